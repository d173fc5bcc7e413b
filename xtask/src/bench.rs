//! `cargo xtask bench`: builds the release package exactly as it ships, runs the same SRP client step in
//! cognito-totp, amazon-cognito-identity-js and Amplify v6 in one headless Chromium page, weighs the
//! packages, times wasm instantiation, counts the requests of each flow against a fresh emulator, and
//! writes `target/bench/results.json` and the README "Figures" table.
//!
//! The browser part is `bench/run.mjs` (playwright-core, esbuild); this file sets up what it needs (the
//! package, the emulator, a loopback static server with `/config.json`) and reports what it measured.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use serde_json::{Value, json};

use crate::emulator::{self, Announcement};
use crate::process::{run_logged, tail};
use crate::serve;
use crate::{Error, Result, demo, install, root, target_dir};

/// Arguments of wasm-opt (npm binaryen) applied to every shipped `.wasm`: optimise for size, and keep no
/// name, producer or debug sections — names alone were a third of the module.
pub const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--strip-debug",
    "--strip-producers",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// npm binaryen's wasm-opt (Debian's binaryen 108 breaks current wasm-bindgen output, so never PATH's).
pub fn wasm_opt_path() -> PathBuf {
    root().join("bench/node_modules/.bin/wasm-opt")
}

/// Runs wasm-opt over every `.wasm` in a wasm-pack output directory. wasm-pack itself is told not to
/// (`wasm-opt = false` in Cargo.toml): without a binaryen on PATH it would try to download one.
pub fn optimize_package(out_dir: &Path) -> Result<()> {
    let wasm_opt = wasm_opt_path();
    if !wasm_opt.exists() {
        return Err(Error::new(format!(
            "{} is missing; run `cargo xtask install` (it runs `npm ci` in bench/)",
            wasm_opt.display()
        )));
    }
    for entry in std::fs::read_dir(out_dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
            continue;
        }
        let tmp = path.with_extension("opt.wasm");
        println!("$ wasm-opt {} {}", WASM_OPT_ARGS.join(" "), path.display());
        let status = Command::new(&wasm_opt).arg(&path).arg("-o").arg(&tmp).args(WASM_OPT_ARGS).status()?;
        if !status.success() {
            return Err(Error::new(format!("wasm-opt failed on {} ({status})", path.display())));
        }
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

struct Options {
    build: bool,
    readme: bool,
    n: Option<u32>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options { build: true, readme: true, n: None };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-build" => o.build = false,
            "--no-readme" => o.readme = false,
            "--n" => {
                let n = it.next().and_then(|v| v.parse().ok()).filter(|n| *n >= 1);
                o.n = Some(n.ok_or_else(|| Error::new("--n needs a positive number"))?);
            }
            other => return Err(Error::new(format!("unknown bench option `{other}`"))),
        }
    }
    Ok(o)
}

fn bench_dir() -> PathBuf {
    target_dir().join("bench")
}

/// Which wasm-bindgen glue the package gets: `web` (the app awaits `init()`, which fetches the wasm) or
/// `bundler` (the bundler loads the wasm on import; `init()` is a no-op so the same app code runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkgTarget {
    Web,
    Bundler,
}

impl PkgTarget {
    fn name(self) -> &'static str {
        match self {
            PkgTarget::Web => "web",
            PkgTarget::Bundler => "bundler",
        }
    }
}

/// The JS layer copied next to the kernel: the entry (`cognito_totp.js`), the protocol modules and the
/// public typings. `init.js` comes from `js/` or, for the bundler build, `js/bundler/`.
const JS_FILES: &[&str] = &["cognito_totp.js", "client.js", "http.js", "errors.js", "init.js", "cognito_totp.d.ts"];

/// The package as users get it, in `out_dir` (recreated): the wasm kernel (`kernel.js`, `kernel_bg.wasm`
/// and wasm-bindgen's typings, from `wasm-pack build --out-name kernel -- --no-default-features`, through
/// the shipped wasm-opt pass), the JS layer from `js/` with `cognito_totp.js` as the entry, and a
/// package.json naming them. With feature `testing` the entry also re-exports the kernel's test-only
/// `srpPasswordClaim` and `SrpPrepared`.
pub fn build_package(out_dir: &Path, target: PkgTarget, features: &[&str]) -> Result<()> {
    // wasm-pack adds to what is there; a file of an older layout must not ship (or be listed) again.
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir)?;
    }
    let mut cargo_args = vec!["--no-default-features".to_string()];
    if !features.is_empty() {
        cargo_args.push("--features".into());
        cargo_args.push(features.join(","));
    }
    println!(
        "$ wasm-pack build --target {} --release --out-dir {} --out-name kernel -- {}",
        target.name(),
        out_dir.display(),
        cargo_args.join(" ")
    );
    let status = Command::new("wasm-pack")
        .args(["build", "--target", target.name(), "--release", "--out-name", "kernel", "--out-dir"])
        .arg(out_dir)
        .arg("--")
        .args(&cargo_args)
        .current_dir(root())
        .status()
        .map_err(|e| Error::new(format!("cannot run wasm-pack ({e}); run `cargo xtask install` first")))?;
    if !status.success() {
        return Err(Error::new(format!("wasm-pack build --target {} failed ({status})", target.name())));
    }
    optimize_package(out_dir)?;
    add_js_layer(out_dir, target, features.contains(&"testing"))
}

/// `cargo xtask package [--target web|bundler] [--out DIR]`: the npm package as it ships (default: web, in `pkg/`),
/// ready for `npm publish DIR` or a local `npm i DIR`.
pub fn package(args: &[String]) -> Result<ExitCode> {
    let mut target = PkgTarget::Web;
    let mut out = root().join("pkg");
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--target" => {
                target = match it.next().map(String::as_str) {
                    Some("web") => PkgTarget::Web,
                    Some("bundler") => PkgTarget::Bundler,
                    _ => return Err(Error::new("--target takes web or bundler")),
                }
            }
            "--out" => {
                let dir = it.next().ok_or_else(|| Error::new("--out needs a directory"))?;
                out = std::env::current_dir()?.join(dir);
            }
            other => return Err(Error::new(format!("unknown option `{other}` for `cargo xtask package`"))),
        }
    }
    install::for_demo()?;
    build_package(&out, target, &[])?;
    println!("package ({}) in {}", target.name(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// Copies the JS layer into a wasm-pack output directory and rewrites its package.json around it.
fn add_js_layer(out_dir: &Path, target: PkgTarget, testing: bool) -> Result<()> {
    let manifest_path = out_dir.join("package.json");
    let mut manifest = read_json(&manifest_path)?;
    let version = manifest.get("version").and_then(Value::as_str).unwrap_or("0.0.0").to_owned();
    let js = root().join("js");
    for file in JS_FILES {
        let from = match (*file, target) {
            ("init.js", PkgTarget::Bundler) => js.join("bundler/init.js"),
            _ => js.join(file),
        };
        let text =
            std::fs::read_to_string(&from).map_err(|e| Error::new(format!("cannot read {}: {e}", from.display())))?;
        let mut text = text.replace("__VERSION__", &version);
        if testing && file.starts_with("cognito_totp.") {
            text.push_str("export { srpPasswordClaim, SrpPrepared } from './kernel.js';\n");
        }
        std::fs::write(out_dir.join(file), text)?;
    }
    // Everything wasm-pack listed (the kernel), then the JS layer.
    let mut files: Vec<Value> = manifest.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
    files.extend(JS_FILES.iter().map(|f| Value::from(*f)));
    files.dedup();
    let obj = manifest
        .as_object_mut()
        .ok_or_else(|| Error::new(format!("{} is not a JSON object", manifest_path.display())))?;
    obj.insert("type".into(), json!("module"));
    obj.insert("files".into(), Value::Array(files));
    obj.insert("main".into(), json!("cognito_totp.js"));
    obj.insert("module".into(), json!("cognito_totp.js"));
    obj.insert("types".into(), json!("cognito_totp.d.ts"));
    // wasm-pack's `sideEffects` stays: it names kernel.js where instantiating the wasm is one.
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::new(e.to_string()))?;
    std::fs::write(&manifest_path, text + "\n")?;
    Ok(())
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Result<&'a str> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key).ok_or_else(|| Error::new(format!("missing `{}`", path.join("."))))?;
    }
    cur.as_str().ok_or_else(|| Error::new(format!("`{}` is not a string", path.join("."))))
}

/// The SRP inputs of the first known-answer case (generated by amazon-cognito-identity-js) and what it must give.
pub fn srp_case(vectors: &Value) -> Result<Value> {
    let case = vectors
        .get("cases")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .ok_or_else(|| Error::new("tests/vectors/srp.json has no cases"))?;
    let input = |k: &str| str_at(case, &["input", k]);
    Ok(json!({
        "aHex": input("aHex")?, "poolId": input("poolId")?, "userIdForSrp": input("userIdForSrp")?,
        "password": input("password")?, "saltHex": input("saltHex")?, "srpBHex": input("bHex")?,
        "secretBlock": input("secretBlock")?, "timestamp": str_at(case, &["output", "timestamp"])?,
        "expected": { "srpA": str_at(case, &["output", "A"])?, "signature": str_at(case, &["output", "signature"])? },
    }))
}

/// A seed user of one pool, with the pool's public (`web`) client as the emulator announced it.
fn flow_user(seed: &Value, announced: &Announcement, pool: &str, username: &str) -> Result<Value> {
    let user = seed
        .get("pools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("key").and_then(Value::as_str) == Some(pool))
        .flat_map(|p| p.get("users").and_then(Value::as_array).into_iter().flatten())
        .find(|u| u.get("username").and_then(Value::as_str) == Some(username))
        .ok_or_else(|| Error::new(format!("the test seed has no user {username} in pool {pool}")))?;
    let client = announced
        .clients
        .iter()
        .find(|c| c.pool_key == pool && c.client_key == "web")
        .ok_or_else(|| Error::new(format!("the emulator announced no web client for pool {pool}")))?;
    Ok(json!({
        "pool": { "poolId": client.pool_id, "clientId": client.client_id },
        "username": username,
        "password": str_at(user, &["password"])?,
        "secret": user.get("totpSecret").cloned().unwrap_or(Value::Null),
    }))
}

/// The page's `/config.json`: the emulator, the SRP inputs, and one seed user per flow.
pub fn page_config(seed: &Value, announced: &Announcement, vectors: &Value) -> Result<Value> {
    Ok(json!({
        "endpoint": announced.endpoint,
        "srp": srp_case(vectors)?,
        "flows": {
            "totpSignIn": flow_user(seed, announced, "optional", "totp")?,
            "enrollment": flow_user(seed, announced, "optional", "enroll6")?,
            "mfaSetupSignIn": flow_user(seed, announced, "required", "newbie3")?,
        },
    }))
}

const IMPLS: [&str; 3] = ["cognito-totp", "amazon-cognito-identity-js", "amplify"];

fn num(v: &Value, path: &[&str]) -> Option<f64> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    cur.as_f64()
}

fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / 1000.0)
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "?".to_string(), |x| format!("{x:.1} ms"))
}

/// The Markdown table (with date and machine) that goes between the README markers.
pub fn figures_table(r: &Value) -> String {
    let mut out = String::new();
    let machine = |k: &str| {
        r.get("machine").and_then(|m| m.get(k)).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    out.push_str(&format!(
        "Measured {} on {} cores ({}), Chromium {}, median of n = {} after {} warm-up runs (p90 in brackets).\n\n",
        r.get("date").and_then(Value::as_str).map_or("?", |d| d.get(..10).unwrap_or(d)),
        machine("nproc").unwrap_or_else(|| "?".into()),
        machine("cpu").unwrap_or_else(|| "?".into()),
        machine("chromium").unwrap_or_else(|| "?".into()),
        num(r, &["n"]).unwrap_or(0.0),
        num(r, &["warmup"]).unwrap_or(0.0),
    ));
    out.push_str("| | cognito-totp | amazon-cognito-identity-js | Amplify v6 |\n|---|---:|---:|---:|\n");
    let row = |label: &str, cell: &dyn Fn(&str) -> String| {
        let cells: Vec<String> = IMPLS.iter().map(|i| cell(i)).collect();
        format!("| {label} | {} |\n", cells.join(" | "))
    };
    out.push_str(&row("SRP client CPU per sign-in (A, then S, key, signature)", &|i| {
        format!("{} ({})", ms(num(r, &["srp_cpu_ms", i])), ms(num(r, &["srp_cpu_p90_ms", i])))
    }));
    out.push_str(&format!(
        "| same, cognito-totp after `prepare()` (A computed ahead; S, key, signature) | {} ({}), {} faster than identity-js | | |\n",
        ms(num(r, &["signin_after_prepare", "cpu_ms"])),
        ms(num(r, &["signin_after_prepare", "cpu_p90_ms"])),
        num(r, &["signin_after_prepare", "ratio_vs_identity_js"]).map_or("?".into(), |x| format!("{x:.1}×")),
    ));
    out.push_str(&row("same, wall time", &|i| {
        format!("{} ({})", ms(num(r, &["srp_wall_ms", i])), ms(num(r, &["srp_wall_p90_ms", i])))
    }));
    out.push_str(&row("times faster than identity-js (CPU)", &|i| {
        num(r, &["ratio_vs_identity_js", i]).map_or("?".into(), |x| format!("{x:.1}×"))
    }));
    out.push_str(&row("whole capability, gzip -9 (sign-in, MFA, TOTP enrollment, QR)", &|i| {
        num(r, &["bundle_gzip_bytes", i]).map_or("?".into(), kb)
    }));
    out.push_str(&format!(
        "\ncognito-totp download = wasm kernel {} + JS {} (gzip -9 each; the JS is the entry, i.e. the protocol \
         layer and the kernel's wasm-bindgen glue, bundled with esbuild `--bundle --minify` as the peers are, which \
         include `qrcode`). Compile + instantiate of the wasm: {} median ({} p90, n = {}).\n\n",
        num(r, &["cognito_totp_parts_gzip_bytes", "wasm"]).map_or("?".into(), kb),
        num(r, &["cognito_totp_parts_gzip_bytes", "glue"]).map_or("?".into(), kb),
        ms(num(r, &["instantiate_ms", "median"])),
        ms(num(r, &["instantiate_ms", "p90"])),
        num(r, &["instantiate_ms", "n"]).unwrap_or(0.0),
    ));
    out.push_str("| flow (cognito-totp against the emulator) | requests | protocol minimum |\n|---|---:|---:|\n");
    for (key, label) in [
        ("totp_sign_in", "sign-in with TOTP"),
        ("enrollment", "TOTP enrollment with an access token (associate, verify, set preference)"),
        ("mfa_setup_sign_in", "sign-in through MFA_SETUP"),
    ] {
        out.push_str(&format!(
            "| {label} | {} | {} |\n",
            num(r, &["requests", key, "count"]).map_or("?".into(), |x| x.to_string()),
            num(r, &["requests", key, "minimum"]).map_or("?".into(), |x| x.to_string()),
        ));
    }
    out
}

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// `readme` with the text between the bench markers replaced by `table`; the markers are added at the end
/// of the "Figures" section's heading line when the README has none yet.
pub fn replace_figures(readme: &str, table: &str) -> Result<String> {
    let block = format!("{START}\n{table}{END}");
    match (readme.find(START), readme.find(END)) {
        (Some(s), Some(e)) if s < e => Ok(format!("{}{block}{}", &readme[..s], &readme[e + END.len()..])),
        (None, None) => {
            let heading = readme
                .find("## Figures\n")
                .ok_or_else(|| Error::new("README.md has no `## Figures` section for the bench table"))?;
            let at = heading + "## Figures\n".len();
            Ok(format!("{}\n{block}\n{}", &readme[..at], &readme[at..]))
        }
        _ => Err(Error::new("README.md has unbalanced bench markers")),
    }
}

fn print_summary(r: &Value) {
    println!("\n{:<28} {:>12} {:>12} {:>10} {:>12}", "", "SRP CPU ms", "wall ms", "× id-js", "gzip bytes");
    for i in IMPLS {
        println!(
            "{:<28} {:>12} {:>12} {:>10} {:>12}",
            i,
            num(r, &["srp_cpu_ms", i]).map_or("?".into(), |x| format!("{x:.2}")),
            num(r, &["srp_wall_ms", i]).map_or("?".into(), |x| format!("{x:.2}")),
            num(r, &["ratio_vs_identity_js", i]).map_or("?".into(), |x| format!("{x:.2}")),
            num(r, &["bundle_gzip_bytes", i]).map_or("?".into(), |x| x.to_string()),
        );
    }
    println!("cognito-totp after prepare(): {} CPU median", ms(num(r, &["signin_after_prepare", "cpu_ms"])));
    println!("instantiate: {} median", ms(num(r, &["instantiate_ms", "median"])));
    for flow in ["totp_sign_in", "enrollment", "mfa_setup_sign_in"] {
        println!(
            "requests {flow}: {} (minimum {})",
            num(r, &["requests", flow, "count"]).unwrap_or(f64::NAN),
            num(r, &["requests", flow, "minimum"]).unwrap_or(f64::NAN)
        );
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::new(format!("{} is not JSON: {e}", path.display())))
}

pub fn run(args: &[String]) -> Result<ExitCode> {
    let options = parse(args)?;
    install::for_bench()?;
    let dir = bench_dir();
    // The page needs the test-only SRP entry points (feature `testing`); the sizes are those of the package
    // as published, built without them.
    let pkg = dir.join("pkg");
    let shipped = dir.join("pkg-shipped");
    if options.build {
        build_package(&pkg, PkgTarget::Web, &["testing"])?;
        build_package(&shipped, PkgTarget::Web, &[])?;
    } else if !pkg.join("kernel_bg.wasm").exists() || !shipped.join("kernel_bg.wasm").exists() {
        return Err(Error::new("target/bench/pkg{,-shipped} are not built; run without --no-build"));
    }

    let seed_path = root().join("emulator/seed/test.json");
    let seed = demo::read_seed(&seed_path)?;
    let vectors = read_json(&root().join("tests/vectors/srp.json"))?;
    emulator::build()?;
    // A fresh emulator per run: the enrollment and MFA_SETUP flows change their users.
    let emu = emulator::start(&seed_path, 0, "bench-emulator")?;
    let config = page_config(&seed, &emu.announced, &vectors)?;

    let site = dir.join("site");
    std::fs::create_dir_all(&site)?;
    let app = serve::app(site.clone(), config.to_string(), &emu.announced.endpoint)?;
    let server = serve::Background::start(app, 0)?;
    let url = format!("http://127.0.0.1:{}/index.html", server.port);
    let results_path = dir.join("results.json");

    let log = crate::process::logs_dir()?.join("bench-runner.log");
    let mut cmd = Command::new("node");
    cmd.arg(root().join("bench/run.mjs")).arg(&pkg).arg(&site).arg(&url).arg(&results_path).arg(&shipped);
    if let Some(n) = options.n {
        cmd.env("BENCH_N", n.to_string());
    }
    cmd.current_dir(root().join("bench"));
    let outcome = run_logged(&mut cmd, &log, Duration::from_secs(900))?;
    drop(server);
    drop(emu);
    if !outcome.success {
        return Err(Error::new(format!("the bench runner failed:\n{}", tail(&log, 30))));
    }

    let results = read_json(&results_path)?;
    print_summary(&results);
    println!("wrote {}", results_path.display());
    if options.readme {
        let readme_path = root().join("README.md");
        let readme = std::fs::read_to_string(&readme_path)?;
        std::fs::write(&readme_path, replace_figures(&readme, &figures_table(&results))?)?;
        println!("updated the Figures table in README.md");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn figures_replace_only_the_marked_block() {
        let readme = "# x\n\n## Figures\n\nintro\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nafter\n";
        let out = replace_figures(readme, "| new |\n").unwrap();
        assert_eq!(out, "# x\n\n## Figures\n\nintro\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\n\nafter\n");
        // Idempotent: a second run replaces its own block.
        assert_eq!(replace_figures(&out, "| new |\n").unwrap(), out);
    }

    #[test]
    fn figures_markers_are_added_under_the_heading_once() {
        let out = replace_figures("## Figures\nTODO\n", "| t |\n").unwrap();
        assert_eq!(out, "## Figures\n\n<!-- bench:start -->\n| t |\n<!-- bench:end -->\nTODO\n");
        assert!(replace_figures("# no section\n", "t").is_err());
        assert!(replace_figures("<!-- bench:end --> <!-- bench:start -->", "t").is_err());
    }

    #[test]
    fn the_table_shows_every_implementation_and_flow() {
        let r = json!({
            "date": "2026-11-26T07:00:00Z", "n": 30, "warmup": 5,
            "machine": { "nproc": 2, "cpu": "Test CPU", "chromium": "156.0" },
            "srp_cpu_ms": { "cognito-totp": 18.25, "amazon-cognito-identity-js": 160.0, "amplify": 163.0 },
            "srp_cpu_p90_ms": { "cognito-totp": 19.0, "amazon-cognito-identity-js": 170.0, "amplify": 171.0 },
            "ratio_vs_identity_js": { "cognito-totp": 8.77, "amazon-cognito-identity-js": 1.0, "amplify": 0.98 },
            "bundle_gzip_bytes": { "cognito-totp": 35000, "amazon-cognito-identity-js": 36365, "amplify": 49307 },
            "requests": { "totp_sign_in": { "count": 3, "minimum": 3 } },
            "signin_after_prepare": { "cpu_ms": 16.0, "cpu_p90_ms": 17.0, "ratio_vs_identity_js": 10.0 },
        });
        let t = figures_table(&r);
        assert!(t.contains("2026-11-26 on 2 cores (Test CPU), Chromium 156.0"), "{t}");
        assert!(t.contains("| 18.2 ms (19.0 ms) | 160.0 ms (170.0 ms) | 163.0 ms (171.0 ms) |"), "{t}");
        assert!(t.contains("| 8.8× | 1.0× | 1.0× |"), "{t}");
        assert!(t.contains("after `prepare()` (A computed ahead; S, key, signature) | 16.0 ms (17.0 ms), 10.0× faster than identity-js |"), "{t}");
        assert!(t.contains("| 35.0 KB | 36.4 KB | 49.3 KB |"), "{t}");
        assert!(t.contains("| sign-in with TOTP | 3 | 3 |"), "{t}");
        // A missing figure shows as "?" rather than failing the write.
        assert!(t.contains("| sign-in through MFA_SETUP | ? | ? |"), "{t}");
    }

    /// A directory shaped like wasm-pack's output, with its package.json.
    fn fake_wasm_pack_output(name: &str, side_effects: &[&str]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-js-layer-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = json!({
            "name": "cognito-totp", "version": "1.2.3", "files": ["kernel_bg.wasm", "kernel.js", "kernel.d.ts"],
            "main": "kernel.js", "types": "kernel.d.ts", "sideEffects": side_effects,
        });
        std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
        dir
    }

    #[test]
    fn the_js_layer_is_the_entry_of_the_web_package() {
        let dir = fake_wasm_pack_output("web", &["./snippets/*"]);
        add_js_layer(&dir, PkgTarget::Web, false).unwrap();
        let pkg = read_json(&dir.join("package.json")).unwrap();
        assert_eq!((pkg["main"].as_str(), pkg["module"].as_str()), (Some("cognito_totp.js"), Some("cognito_totp.js")));
        assert_eq!(pkg["types"], "cognito_totp.d.ts");
        assert_eq!(pkg["type"], "module");
        assert_eq!(pkg["sideEffects"], json!(["./snippets/*"]));
        let files: Vec<&str> = pkg["files"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        for f in JS_FILES.iter().chain(&["kernel_bg.wasm", "kernel.js", "kernel.d.ts"]) {
            assert!(files.contains(f), "{f} not in {files:?}");
            if !f.starts_with("kernel") {
                assert!(dir.join(f).exists(), "{f} not copied");
            }
        }
        // Every relative import of the copied JS names a shipped file.
        for f in JS_FILES.iter().filter(|f| f.ends_with(".js")) {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            for part in text.split("from './").skip(1) {
                let target = part.split('\'').next().unwrap();
                assert!(files.contains(&target), "{f} imports ./{target}, which is not shipped");
            }
            assert!(!text.contains("__VERSION__"), "{f}: version placeholder left");
        }
        assert!(std::fs::read_to_string(dir.join("http.js")).unwrap().contains("cognito-totp/1.2.3"));
        let init = std::fs::read_to_string(dir.join("init.js")).unwrap();
        assert!(init.contains("from './kernel.js'"), "the web init is the kernel's: {init}");
        let entry = std::fs::read_to_string(dir.join("cognito_totp.js")).unwrap();
        assert!(!entry.contains("srpPasswordClaim"), "test-only exports in a published build");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_bundler_package_has_a_no_op_init_and_testing_builds_reexport_the_srp_step() {
        let dir = fake_wasm_pack_output("bundler", &["./kernel.js", "./snippets/*"]);
        add_js_layer(&dir, PkgTarget::Bundler, true).unwrap();
        let init = std::fs::read_to_string(dir.join("init.js")).unwrap();
        assert!(!init.contains("from './kernel.js'"), "the bundler loads the wasm itself: {init}");
        assert!(init.contains("export default async function init"), "{init}");
        // wasm-pack's sideEffects name kernel.js, whose import instantiates the wasm: kept.
        assert_eq!(
            read_json(&dir.join("package.json")).unwrap()["sideEffects"],
            json!(["./kernel.js", "./snippets/*"])
        );
        for f in ["cognito_totp.js", "cognito_totp.d.ts"] {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            assert!(text.ends_with("export { srpPasswordClaim, SrpPrepared } from './kernel.js';\n"), "{f}: {text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_page_gets_the_first_known_answer_case() {
        let vectors = read_json(&root().join("tests/vectors/srp.json")).unwrap();
        let c = srp_case(&vectors).unwrap();
        assert_eq!(c["poolId"], vectors["cases"][0]["input"]["poolId"]);
        assert_eq!(c["srpBHex"], vectors["cases"][0]["input"]["bHex"]);
        assert_eq!(c["expected"]["signature"], vectors["cases"][0]["output"]["signature"]);
    }

    #[test]
    fn flow_users_come_from_the_seed_with_the_web_client() {
        let seed = demo::read_seed(&root().join("emulator/seed/test.json")).unwrap();
        let mut a = Announcement::default();
        for line in [
            "endpoint http://127.0.0.1:1/",
            "pool optional us-east-1_Opt client web aaaaaaaaaaaaaaaaaaaaaaaaaa",
            "pool optional us-east-1_Opt client secret bbbbbbbbbbbbbbbbbbbbbbbbbb s3cr3t",
            "pool required us-east-1_Req client web cccccccccccccccccccccccccc",
            "ready",
        ] {
            a.feed(line).unwrap();
        }
        let vectors = read_json(&root().join("tests/vectors/srp.json")).unwrap();
        let c = page_config(&seed, &a, &vectors).unwrap();
        assert_eq!(c["flows"]["totpSignIn"]["pool"]["clientId"], "aaaaaaaaaaaaaaaaaaaaaaaaaa");
        assert!(c["flows"]["totpSignIn"]["secret"].is_string());
        assert_eq!(c["flows"]["mfaSetupSignIn"]["pool"]["poolId"], "us-east-1_Req");
        assert!(!c.to_string().contains("s3cr3t"));
    }
}
