//! `cargo xtask <demo|test|bench|package|fuzz|load|install>`: the project's two README commands and their set-up.
//!
//! Everything here is plain `std::process::Command` glue, except the demo's static server (axum),
//! which lives in-process so the Content-Security-Policy and `/config.json` are exactly what the
//! tests exercise.

mod bench;
mod counts;
mod demo;
mod emulator;
mod hardening;
mod install;
mod package;
mod process;
mod serve;
mod test;
mod wasm_size;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The one error type of the xtask: a message for a person, already saying what to do.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Self(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The workspace root: xtask/ is one level below it.
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` like cargo does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { root().join(dir) }
        }
        None => root().join("target"),
    }
}

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  demo     build the package, start the emulator (or use a real pool) and serve www/
           --port N            static server port (default 8080)
           --emulator-port N   emulator port (default 9229; 0 = any free port)
           --no-build          reuse www/pkg as it is
           Real pool: set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID (optional COGNITO_ENDPOINT).
  test     run every stage (native, browser, ministack, e2e, thirdparty, package, fuzz, load,
           bundlers, firefox)
           --stage NAME|N      run only this stage (repeatable)
           --no-install        skip the install steps
  bench    SRP CPU, package size, instantiate time and requests per flow, against
           amazon-cognito-identity-js and Amplify v6 in one headless Chromium page;
           and the shipped wasm's size by crate (twiggy); writes target/bench/results.json,
           the README Figures table and the figures of docs/size-and-speed.md
           --n N               measured runs per implementation (default 30)
           --no-build          reuse target/bench/pkg* as they are
           --no-readme         leave README.md and docs/size-and-speed.md alone
  package  build the npm package as it ships (wasm-pack, wasm-opt, package.json)
           --target web|bundler  wasm-bindgen target (default web)
           --out DIR           output directory (default pkg/)
  fuzz     run each cargo-fuzz target in fuzz/ (nightly; installs cargo-fuzz if missing)
           --seconds N         fuzzing time per target (default 300)
           --target NAME       only this target (repeatable): flow, srp, otpauth_qr, dispatch
  load     the emulator under load: 200 concurrent SRP sign-ins + TOTP enrollments, kill -9
           mid-load with --state (3 rounds), malformed requests; prints the LOAD figures
  install  run the install steps only
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "demo" => demo::run(rest),
        "test" => test::run(rest),
        "install" => install::all().map(|()| ExitCode::SUCCESS),
        "bench" => bench::run(rest),
        "package" => package::package(rest),
        "fuzz" => hardening::fuzz(rest),
        "load" => hardening::load(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
