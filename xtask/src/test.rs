//! `cargo xtask test`: every stage, each summarised, ending with one `N passed, M failed` line.
//!
//! A stage that cannot run (missing test files, a server that does not start, a tool whose output
//! has no summary) counts as one failure: nothing is passed by default.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::counts::{self, Counts};
use crate::package::{PkgTarget, build_package};
use crate::process::{ServerGuard, free_port, http_ok, logs_dir, run_logged, tail, wait_until};
use crate::{Error, Result, demo, emulator, install, root, serve, target_dir};

const MINUTE: Duration = Duration::from_secs(60);

/// (number, name, what it runs) in run order.
const STAGES: [(u8, &str, &str); 10] = [
    (1, "native", "cargo test --workspace"),
    (2, "browser", "wasm-bindgen tests, js/test (Node) and e2e/client (headless Chromium) against the emulator"),
    (3, "ministack", "e2e/client/flows.test.mjs against ministack"),
    (4, "e2e", "playwright through www/ against the emulator"),
    (5, "thirdparty", "third-party clients against the emulator"),
    (6, "package", "the bundler package, its package.json and the typings check"),
    (7, "fuzz", "each cargo-fuzz target for 8 s (nightly)"),
    (8, "load", "emulator: 200 concurrent sign-ins, kill -9, malformed input"),
    (9, "bundlers", "the packed tarball in a Vite and a webpack app (Chromium) and in Node, against the emulator"),
    (10, "firefox", "the wasm-bindgen browser suites in headless Firefox ESR (geckodriver)"),
];

#[derive(Default)]
struct StageResult {
    name: &'static str,
    counts: Counts,
    not_run: Vec<String>,
    /// Why the stage could not run or its tool failed without a count to show for it.
    problems: Vec<String>,
    elapsed: Duration,
}

impl StageResult {
    fn failed(&self) -> u64 {
        self.counts.failed + self.problems.len() as u64
    }

    /// Adds one tool run: its counts, its `NOT RUN:` lines, and a problem when the exit status
    /// and the counts disagree or there was nothing to count.
    fn record(&mut self, what: &str, outcome: &crate::process::Outcome, counts: Counts) {
        self.not_run.extend(counts::not_run(&outcome.output));
        if !counts.found {
            self.problems.push(format!("{what}: no test summary in its output ({})", outcome.summary));
        } else if counts.total() == 0 {
            self.problems.push(format!("{what}: ran no tests"));
        } else if !outcome.success && counts.failed == 0 {
            self.problems.push(format!("{what}: {}", outcome.summary));
        }
        self.counts.add(&counts);
    }
}

struct Options {
    stages: Vec<u8>,
    install: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options { stages: Vec::new(), install: true };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--stage" | "--only" => {
                let v = it.next().ok_or_else(|| Error::new("--stage needs a stage name or number"))?;
                for part in v.split(',') {
                    let n = STAGES
                        .iter()
                        .find(|(n, name, _)| *name == part || n.to_string() == part)
                        .map(|(n, _, _)| *n)
                        .ok_or_else(|| {
                            let names: Vec<_> = STAGES.iter().map(|(n, s, _)| format!("{n}={s}")).collect();
                            Error::new(format!("unknown stage `{part}` (stages: {})", names.join(", ")))
                        })?;
                    o.stages.push(n);
                }
            }
            "--no-install" => o.install = false,
            other => return Err(Error::new(format!("unknown test option `{other}`"))),
        }
    }
    if o.stages.is_empty() {
        o.stages = STAGES.iter().map(|(n, _, _)| *n).collect();
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<ExitCode> {
    let options = parse(args)?;
    let started = Instant::now();
    if options.install {
        install::all()?;
    }
    let mut results = Vec::new();
    for (n, name, what) in STAGES {
        if !options.stages.contains(&n) {
            continue;
        }
        println!("\n==== stage {n}: {name} — {what}");
        let t = Instant::now();
        let mut result = StageResult { name, ..StageResult::default() };
        let outcome = match n {
            1 => native(&mut result),
            2 => browser(&mut result),
            3 => ministack(&mut result),
            4 => e2e(&mut result),
            5 => thirdparty(&mut result),
            6 => package(&mut result),
            7 => fuzz_smoke(&mut result),
            8 => load(&mut result),
            9 => bundlers(&mut result),
            _ => firefox(&mut result),
        };
        if let Err(e) = outcome {
            result.problems.push(format!("could not run: {e}"));
        }
        result.elapsed = t.elapsed();
        println!("==== stage {n}: {name} done in {}s", result.elapsed.as_secs());
        results.push(result);
    }
    Ok(report(&results, started.elapsed()))
}

fn report(results: &[StageResult], elapsed: Duration) -> ExitCode {
    println!("\n==== summary ({}s)", elapsed.as_secs());
    println!("{:<11} {:>7} {:>7} {:>8} {:>6}  result", "stage", "passed", "failed", "skipped", "time");
    let mut total = Counts::default();
    let mut failed = 0;
    for r in results {
        let verdict = if r.failed() == 0 { "ok".to_string() } else { "FAILED".to_string() };
        println!(
            "{:<11} {:>7} {:>7} {:>8} {:>5}s  {verdict}",
            r.name,
            r.counts.passed,
            r.failed(),
            r.counts.skipped,
            r.elapsed.as_secs()
        );
        for p in &r.problems {
            println!("{:<11} ! {p}", "");
        }
        total.add(&r.counts);
        failed += r.failed();
    }
    let mut listed = false;
    for r in results {
        for name in &r.counts.failed_names {
            if !listed {
                println!("failed:");
                listed = true;
            }
            println!("  - {}: {name}", r.name);
        }
    }
    let skipped_names: Vec<(&str, &String)> =
        results.iter().flat_map(|r| r.counts.skipped_names.iter().map(move |s| (r.name, s))).collect();
    if total.skipped > 0 || !skipped_names.is_empty() {
        println!("skipped:");
        for (stage, name) in &skipped_names {
            println!("  - {stage}: {name}");
        }
        if (skipped_names.len() as u64) < total.skipped {
            println!("  - ({} more without a name in the tool's output)", total.skipped - skipped_names.len() as u64);
        }
    }
    let not_run: Vec<(&str, &String)> =
        results.iter().flat_map(|r| r.not_run.iter().map(move |s| (r.name, s))).collect();
    if !not_run.is_empty() {
        println!("not run ({} paths this backend cannot do, as the tests report them):", not_run.len());
        for (stage, line) in not_run {
            println!("  - {stage}: {}", line.trim_start_matches("NOT RUN:").trim());
        }
    }
    if total.skipped > 0 {
        println!("{} passed, {failed} failed, {} skipped", total.passed, total.skipped);
    } else {
        println!("{} passed, {failed} failed", total.passed);
    }
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Stage 7: the fuzz targets, briefly; fails (with how to install) when cargo-fuzz or nightly is missing.
fn fuzz_smoke(result: &mut StageResult) -> Result<()> {
    let counts = crate::hardening::fuzz_smoke()?;
    result.counts.add(&counts);
    Ok(())
}

/// Stage 8: emulator/tests/load.rs (excluded from stage 1 by `test = false`).
fn load(result: &mut StageResult) -> Result<()> {
    let (outcome, counts) = crate::hardening::load_stage(&log_path("load")?)?;
    result.record("cargo test -p cognito-emulator --test load", &outcome, counts);
    Ok(())
}

fn log_path(name: &str) -> Result<PathBuf> {
    Ok(logs_dir()?.join(format!("{name}.log")))
}

fn cargo() -> Command {
    let mut c = Command::new("cargo");
    c.current_dir(root());
    c
}

/// Files in `dir` whose names satisfy `matches`, sorted; empty when the directory is missing.
fn files(dir: &Path, matches: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&matches))
        .collect();
    found.sort();
    found
}

fn require(path: &Path) -> Result<()> {
    if path.exists() {
        Ok(())
    } else {
        Err(Error::new(format!("{} does not exist yet", path.strip_prefix(root()).unwrap_or(path).display())))
    }
}

fn native(result: &mut StageResult) -> Result<()> {
    let outcome = run_logged(cargo().args(["test", "--workspace"]), &log_path("native")?, 30 * MINUTE)?;
    result.record("cargo test --workspace", &outcome, counts::cargo(&outcome.output));
    // Two gates that keep the tree as the README's reader finds it: formatted (rustfmt.toml), and
    // without a lint warning, the package's wasm build included.
    gate(result, "cargo fmt --check", cargo().args(["fmt", "--all", "--check"]), "fmt")?;
    gate(
        result,
        "cargo clippy (workspace)",
        cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        "clippy",
    )?;
    let wasm = [
        "clippy",
        "-p",
        "cognito-totp",
        "--target",
        "wasm32-unknown-unknown",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ];
    gate(result, "cargo clippy (the package's wasm build)", cargo().args(wasm), "clippy-wasm")
}

/// One command that passes or fails as a whole, counted as one test.
fn gate(result: &mut StageResult, what: &str, cmd: &mut Command, log: &str) -> Result<()> {
    let outcome = run_logged(cmd, &log_path(log)?, 30 * MINUTE)?;
    let (passed, failed) = if outcome.success { (1, 0) } else { (0, 1) };
    let failed_names = if outcome.success { Vec::new() } else { vec![what.to_owned()] };
    result.record(what, &outcome, Counts { passed, failed, found: true, failed_names, ..Counts::default() });
    Ok(())
}

/// The WebDriver server wasm-bindgen-test-runner drives: its environment variable (which also picks the browser)
/// and the binary.
struct Driver {
    var: &'static str,
    path: PathBuf,
}

fn chromedriver() -> Driver {
    Driver { var: "CHROMEDRIVER", path: PathBuf::from("/usr/bin/chromedriver") }
}

/// `cargo test -p cognito-totp --target wasm32-unknown-unknown [extra]` in the headless browser of `driver`.
/// Always with `--test ...`: the native test files have native-only dev-dependencies.
fn browser_tests(driver: &Driver, config: &Value, extra: &[&str], log: &str) -> Result<crate::process::Outcome> {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "-p",
        "cognito-totp",
        "--target",
        "wasm32-unknown-unknown",
        // browser_srp_testing exercises the test-only exports (srpPasswordClaim, SrpPrepared).
        "--features",
        "testing",
    ])
    .args(extra)
    // Passing tests print their `NOT RUN:` lines only when output is not captured.
    .args(["--", "--nocapture"])
    // The runner takes the first of GECKODRIVER, SAFARIDRIVER, CHROMEDRIVER, MSEDGEDRIVER that is set.
    .env_remove("GECKODRIVER")
    .env_remove("CHROMEDRIVER")
    .env(driver.var, &driver.path)
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
    .env("COGNITO_TEST_CONFIG", config.to_string());
    run_logged(&mut cmd, &log_path(log)?, 30 * MINUTE)
}

/// The public package (web target) the client suites load, built once per `cargo xtask test`.
fn client_package() -> Result<PathBuf> {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    built_once(&BUILT, "client-pkg", PkgTarget::Web)
}

/// The bundler package (what `cargo xtask package --target bundler` builds), built once per `cargo xtask test`.
fn bundler_package() -> Result<PathBuf> {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    built_once(&BUILT, "pkg-bundler", PkgTarget::Bundler)
}

/// `target/<dir>`, built as the package for `target` the first time it is asked for.
fn built_once(built: &OnceLock<PathBuf>, dir: &str, target: PkgTarget) -> Result<PathBuf> {
    if let Some(dir) = built.get() {
        return Ok(dir.clone());
    }
    let dir = target_dir().join(dir);
    build_package(&dir, target, &[])?;
    Ok(built.get_or_init(|| dir).clone())
}

/// The e2e/client suites that exist, by file name (`flows`, `faults`); a missing one is an error.
fn client_suites(names: &[&str]) -> Result<Vec<PathBuf>> {
    let dir = root().join("e2e/client");
    names
        .iter()
        .map(|n| {
            let path = dir.join(format!("{n}.test.mjs"));
            require(&path).map(|()| path)
        })
        .collect()
}

/// `node --test` over e2e/client suites in headless Chromium (playwright-core), one file at a time: the
/// files share one server, its clock and its request log.
fn client_tests(config: &Value, pkg: &Path, suites: &[PathBuf], log: &str) -> Result<crate::process::Outcome> {
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .args(suites)
        .current_dir(root())
        .env("COGNITO_TEST_CONFIG", config.to_string())
        .env("COGNITO_PKG_DIR", pkg);
    run_logged(&mut cmd, &log_path(log)?, 20 * MINUTE)
}

fn browser(result: &mut StageResult) -> Result<()> {
    let rust_suites = files(&root().join("tests"), |n| n.starts_with("browser_") && n.ends_with(".rs"));
    let client = client_suites(&["flows", "faults", "devices"])?;
    // Without the package the Rust suites still run; the client suites then count as one failure.
    let pkg = client_package();
    emulator::build()?;
    let emu = emulator::start(&root().join("emulator/seed/test.json"), 0, "browser-emulator")?;
    let config = emu.announced.test_config("emulator");
    if rust_suites.is_empty() {
        result.problems.push("no tests/browser_*.rs".into());
    } else {
        let outcome = browser_tests(&chromedriver(), &config, &["--test", "browser_*"], "browser")?;
        result.record("wasm-bindgen tests", &outcome, counts::cargo(&outcome.output));
    }
    match pkg {
        Ok(pkg) => {
            // The JS layer of the same package against a replaying server (Node, no browser, no emulator).
            let js_tests = files(&root().join("js/test"), |n| n.ends_with(".test.mjs"));
            if !js_tests.is_empty() {
                let outcome = run_logged(
                    Command::new("node")
                        .args(["--test", "--test-reporter=tap"])
                        .args(&js_tests)
                        .current_dir(root())
                        .env("COGNITO_PKG_DIR", &pkg),
                    &log_path("browser-js")?,
                    10 * MINUTE,
                )?;
                result.record("node --test js/test", &outcome, counts::node(&outcome.output));
            }
            let outcome = client_tests(&config, &pkg, &client, "browser-client")?;
            result.record("node --test e2e/client", &outcome, counts::node(&outcome.output));
        }
        Err(e) => result.problems.push(format!("e2e/client: {e}")),
    }
    drop(emu);
    Ok(())
}

/// `target/venv/bin/python -m pytest -q -rsx DIR` with the venv's tools first on PATH.
fn pytest(dir: &str, env: &[(&str, &str)], log: &str) -> Result<crate::process::Outcome> {
    let venv = target_dir().join("venv/bin");
    let mut cmd = Command::new(venv.join("python"));
    cmd.args(["-m", "pytest", "-q", "-rsx", "-p", "no:cacheprovider", dir])
        .current_dir(root())
        // The aws CLI and ministack the tests call are the venv's.
        .env("PATH", prepend_path(&venv));
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_logged(&mut cmd, &log_path(log)?, 10 * MINUTE)
}

fn ministack(result: &mut StageResult) -> Result<()> {
    let setup = root().join("e2e/ministack/setup.py");
    require(&setup)?;
    let flows = client_suites(&["flows"])?;
    let pkg = client_package()?;
    // setup.py's own tests start their own ministack.
    let own_tests = files(&root().join("e2e/ministack"), |n| n.starts_with("test_") && n.ends_with(".py"));
    if !own_tests.is_empty() {
        let outcome = pytest("e2e/ministack", &[], "ministack-pytest")?;
        result.record("pytest e2e/ministack", &outcome, counts::pytest(&outcome.output));
    }
    let venv = target_dir().join("venv/bin");
    let port = free_port()?;
    let state = target_dir().join(format!("tmp/ministack-{port}"));
    std::fs::create_dir_all(&state)?;
    // Declared before the server guard, so it is removed after the server has stopped.
    let _state = RemoveOnDrop(state.clone());
    let log = log_path("ministack-server")?;
    let log_file = std::fs::File::create(&log)?;
    let child = Command::new(venv.join("ministack"))
        .env("AUTH", "true")
        .env("BIND_HOST", "127.0.0.1")
        .env("GATEWAY_PORT", port.to_string())
        .env("STATE_DIR", &state)
        .current_dir(&state)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| Error::new(format!("cannot start ministack ({e}); run `cargo xtask install`")))?;
    let mut guard = ServerGuard::new("ministack", child);
    wait_until(&mut guard, Duration::from_secs(60), || http_ok(port, "/_ministack/health"))
        .map_err(|e| Error::new(format!("{e}; {}:\n{}", log.display(), tail(&log, 20))))?;

    let endpoint = format!("http://127.0.0.1:{port}/");
    println!("$ target/venv/bin/python e2e/ministack/setup.py --endpoint {endpoint}");
    let setup_log = log_path("ministack-setup")?;
    let out = Command::new(venv.join("python"))
        .arg(&setup)
        .args(["--endpoint", &endpoint])
        .current_dir(root())
        .stderr(std::fs::File::create(&setup_log)?)
        .output()?;
    if !out.status.success() {
        return Err(Error::new(format!(
            "setup.py failed ({}); {}:\n{}",
            out.status,
            setup_log.display(),
            tail(&setup_log, 20)
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let config: Value = serde_json::from_str(text.trim())
        .map_err(|e| Error::new(format!("setup.py did not print the config JSON ({e})")))?;
    if config.get("backend").and_then(Value::as_str) != Some("ministack") {
        return Err(Error::new("setup.py's config does not say \"backend\":\"ministack\""));
    }
    let outcome = client_tests(&config, &pkg, &flows, "ministack")?;
    result.record("e2e/client/flows.test.mjs on ministack", &outcome, counts::node(&outcome.output));
    drop(guard);
    Ok(())
}

fn e2e(result: &mut StageResult) -> Result<()> {
    let test = root().join("e2e/demo.test.mjs");
    require(&test)?;
    demo::build_web_package()?;
    emulator::build()?;
    let seed_path = root().join("emulator/seed/demo.json");
    let seed = demo::read_seed(&seed_path)?;
    let emu = emulator::start(&seed_path, 0, "e2e-emulator")?;
    let config = demo::emulator_config(&seed, &emu.announced);
    let app = serve::app(root().join("www"), config.to_string(), &emu.announced.endpoint)?;
    let server = serve::Background::start(app, 0)?;
    std::fs::create_dir_all(target_dir().join("e2e"))?;
    let outcome = run_logged(
        Command::new("node")
            .args(["--test", "--test-reporter=tap"])
            .arg(&test)
            .current_dir(root())
            .env("DEMO_URL", format!("http://127.0.0.1:{}/", server.port))
            .env("EMULATOR_URL", &emu.announced.endpoint),
        &log_path("e2e")?,
        15 * MINUTE,
    )?;
    result.record("node --test e2e/demo.test.mjs", &outcome, counts::node(&outcome.output));
    drop(server);
    drop(emu);
    Ok(())
}

fn thirdparty(result: &mut StageResult) -> Result<()> {
    let dir = root().join("e2e/thirdparty");
    let node_tests = files(&dir, |n| n.ends_with(".test.mjs"));
    let py_tests = files(&dir, |n| n.starts_with("test_") && n.ends_with(".py"));
    if node_tests.is_empty() && py_tests.is_empty() {
        return Err(Error::new("no e2e/thirdparty/*.test.mjs or test_*.py yet"));
    }
    emulator::build()?;
    let emu = emulator::start(&root().join("emulator/seed/test.json"), 0, "thirdparty-emulator")?;
    let config = emu.announced.test_config("emulator").to_string();
    let endpoint = emu.announced.endpoint.clone();
    if node_tests.is_empty() {
        result.problems.push("no e2e/thirdparty/*.test.mjs yet".into());
    } else {
        let outcome = run_logged(
            Command::new("node")
                .args(["--test", "--test-reporter=tap"])
                .args(&node_tests)
                .current_dir(root())
                .env("EMULATOR_URL", &endpoint)
                .env("COGNITO_TEST_CONFIG", &config),
            &log_path("thirdparty-node")?,
            10 * MINUTE,
        )?;
        result.record("node --test e2e/thirdparty", &outcome, counts::node(&outcome.output));
    }
    if py_tests.is_empty() {
        result.problems.push("no e2e/thirdparty/test_*.py yet".into());
    } else {
        let env = [("EMULATOR_URL", endpoint.as_str()), ("COGNITO_TEST_CONFIG", config.as_str())];
        let outcome = pytest("e2e/thirdparty", &env, "thirdparty-pytest")?;
        result.record("pytest e2e/thirdparty", &outcome, counts::pytest(&outcome.output));
    }
    drop(emu);
    Ok(())
}

/// A scratch directory removed when the stage ends, failed or not.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn prepend_path(dir: &Path) -> std::ffi::OsString {
    let mut paths = vec![dir.to_path_buf()];
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(paths).unwrap_or_default()
}

/// What the package must ship: wasm-bindgen's module, its typings and the wasm (the bundler build adds its entry).
const SHIPPED: [&str; 3] = ["cognito_totp.js", "cognito_totp.d.ts", "cognito_totp_bg.wasm"];

/// The package.json fields an npm consumer and bundlers rely on, for a package entered through `entry`; one message
/// per problem.
pub fn package_json_problems(pkg: &Value, out_dir: &Path, entry: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if pkg.get("name").and_then(Value::as_str) != Some("cognito-totp") {
        problems.push(format!("name is {}, not \"cognito-totp\"", pkg.get("name").unwrap_or(&Value::Null)));
    }
    // Bundlers follow `module`, Node and older tools `main`: both must lead to the public entry.
    for field in ["module", "main"] {
        match pkg.get(field).and_then(Value::as_str) {
            Some(name) if name.trim_start_matches("./") == entry => {}
            Some(other) => problems.push(format!("{field} is {other}, not {entry}")),
            None => problems.push(format!("no \"{field}\"")),
        }
    }
    match pkg.get("types").and_then(Value::as_str) {
        Some(types) if out_dir.join(types).exists() => {}
        Some(types) => problems.push(format!("types names {types}, which was not generated")),
        None => problems.push("no \"types\"".into()),
    }
    match pkg.get("files").and_then(Value::as_array) {
        Some(files) => {
            let listed: Vec<&str> = files.iter().filter_map(Value::as_str).collect();
            for needed in SHIPPED.iter().copied().chain([entry]) {
                if !listed.contains(&needed) {
                    problems.push(format!("\"files\" does not list {needed}"));
                }
            }
            // npm would publish the package without a listed file that is not there.
            for file in listed {
                if !out_dir.join(file).exists() {
                    problems.push(format!("\"files\" lists {file}, which is not in the package"));
                }
            }
        }
        None => problems.push("no \"files\"".into()),
    }
    if pkg.get("sideEffects").is_none() {
        problems.push("no \"sideEffects\"".into());
    }
    problems
}

/// `path` (relative to `base_dir`) made absolute, with `.` and `..` resolved without touching the disk.
fn lexical_join(base_dir: &Path, path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base_dir.join(path).components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The committed tests/typescript/tsconfig.json names the package as www/pkg (what `cargo xtask demo`
/// builds). This is its `paths` and `rootDirs` with every www/pkg location moved to `pkg_dir`, absolute,
/// so the check reads the package this run built and never a stale www/pkg.
fn retargeted_options(base: &Value, base_dir: &Path, pkg_dir: &Path) -> Value {
    let www_pkg = root().join("www/pkg");
    let retarget = |v: &Value| -> Value {
        match v.as_str() {
            Some(s) => {
                let abs = lexical_join(base_dir, s);
                let moved = match abs.strip_prefix(&www_pkg) {
                    Ok(rest) => pkg_dir.join(rest),
                    Err(_) => abs,
                };
                Value::from(moved.to_string_lossy().trim_end_matches('/').to_string())
            }
            None => v.clone(),
        }
    };
    let options = base.get("compilerOptions");
    let mut out = serde_json::Map::new();
    if let Some(Value::Object(paths)) = options.and_then(|o| o.get("paths")) {
        let moved: serde_json::Map<String, Value> = paths
            .iter()
            .map(|(k, list)| {
                let list = list.as_array().map_or_else(Vec::new, |l| l.iter().map(retarget).collect());
                (k.clone(), Value::Array(list))
            })
            .collect();
        out.insert("paths".into(), Value::Object(moved));
    }
    if let Some(Value::Array(dirs)) = options.and_then(|o| o.get("rootDirs")) {
        out.insert("rootDirs".into(), Value::Array(dirs.iter().map(retarget).collect()));
    }
    Value::Object(out)
}

/// `tsc -p tests/typescript` (strict, no emit: api.ts against the public typings, and the JS layer
/// checked against them) with the package in `pkg_dir` in place of www/pkg, through a generated tsconfig
/// that extends the committed one.
fn typecheck(pkg_dir: &Path) -> Result<crate::process::Outcome> {
    let tsc = root().join("bench/node_modules/.bin/tsc");
    if !tsc.exists() {
        return Err(Error::new(format!(
            "{} is missing; run `cargo xtask install` (it runs `npm ci` in bench/)",
            tsc.display()
        )));
    }
    let base_dir = root().join("tests/typescript");
    let base_path = base_dir.join("tsconfig.json");
    require(&base_path)?;
    let base: Value = serde_json::from_str(&std::fs::read_to_string(&base_path)?)
        .map_err(|e| Error::new(format!("{} is not plain JSON: {e}", base_path.display())))?;
    let config = serde_json::json!({
        "extends": base_path,
        "compilerOptions": retargeted_options(&base, &base_dir, pkg_dir),
    });
    let dir = target_dir().join("typecheck");
    std::fs::create_dir_all(&dir)?;
    let config_path = dir.join("tsconfig.json");
    std::fs::write(&config_path, config.to_string())?;
    println!("$ bench/node_modules/.bin/tsc -p tests/typescript (package: {})", pkg_dir.display());
    run_logged(Command::new(&tsc).arg("-p").arg(&config_path).current_dir(root()), &log_path("typecheck")?, 5 * MINUTE)
}

fn package(result: &mut StageResult) -> Result<()> {
    let out_dir = bundler_package()?;
    result.counts.found = true;
    let text = std::fs::read_to_string(out_dir.join("package.json"))?;
    let pkg: Value = serde_json::from_str(&text).map_err(|e| Error::new(format!("package.json is not JSON: {e}")))?;
    let problems = package_json_problems(&pkg, &out_dir, "index.js");
    for p in &problems {
        result.counts.failed_names.push(format!("package.json: {p}"));
    }
    result.counts.failed += problems.len() as u64;
    if problems.is_empty() {
        result.counts.passed += 1;
        println!("package.json of the bundler build: name, main/module, types, files, sideEffects");
    }

    // The typings test imports the web build's `init`/`initSync` with the rest of the API.
    let outcome = typecheck(&client_package()?)?;
    if outcome.success {
        result.counts.passed += 1;
        println!("tests/typescript type-checks against the web package's cognito_totp.d.ts");
    } else {
        result.counts.failed += 1;
        let first_error =
            outcome.output.lines().find(|l| l.contains("error TS")).unwrap_or(&outcome.summary).trim().to_string();
        result.counts.failed_names.push(format!("tsc -p tests/typescript: {first_error}"));
    }
    Ok(())
}

/// `npm pack` of a built package into `dest` (recreated: the web and bundler builds pack to the same file name);
/// the tarball's path.
fn npm_pack(pkg_dir: &Path, dest: &Path) -> Result<PathBuf> {
    if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    std::fs::create_dir_all(dest)?;
    println!("$ npm pack --pack-destination {} {}", dest.display(), pkg_dir.display());
    let out = Command::new("npm")
        .args(["pack", "--json", "--pack-destination"])
        .arg(dest)
        .arg(pkg_dir)
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(Error::new(format!("npm pack {} failed ({})", pkg_dir.display(), out.status)));
    }
    let packed: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::new(format!("npm pack --json printed no JSON ({e})")))?;
    let name = packed
        .get(0)
        .and_then(|p| p.get("filename"))
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("npm pack --json names no filename"))?;
    Ok(dest.join(name))
}

/// `npm install <tarball>` in `dir`, as a user adds the package, without touching the committed package.json or
/// lock file.
fn npm_install_tarball(dir: &Path, tarball: &Path, log: &str) -> Result<()> {
    let mut cmd = Command::new("npm");
    cmd.args(["install", "--no-save", "--no-audit", "--no-fund"]).arg(tarball).current_dir(dir);
    let outcome = run_logged(&mut cmd, &log_path(log)?, 5 * MINUTE)?;
    if outcome.success {
        Ok(())
    } else {
        Err(Error::new(format!("npm install {} in {} failed ({})", tarball.display(), dir.display(), outcome.summary)))
    }
}

/// Stage 9: the bundler build packed and installed into e2e/bundlers (Vite and webpack apps, built and run in
/// Chromium by the test), the web build packed and installed into e2e/bundlers/node (used from Node with initSync),
/// both against one emulator with the test seed.
fn bundlers(result: &mut StageResult) -> Result<()> {
    let dir = root().join("e2e/bundlers");
    let suites = [dir.join("bundlers.test.mjs"), dir.join("node/node.test.mjs")];
    for suite in &suites {
        require(suite)?;
    }
    require(&dir.join("node_modules/.package-lock.json"))
        .map_err(|e| Error::new(format!("{e}: run `cargo xtask install` (npm ci in e2e/bundlers)")))?;
    let packs = target_dir().join("bundlers");
    let bundler_tgz = npm_pack(&bundler_package()?, &packs.join("bundler"))?;
    npm_install_tarball(&dir, &bundler_tgz, "bundlers-npm-install")?;
    let web_tgz = npm_pack(&client_package()?, &packs.join("web"))?;
    npm_install_tarball(&dir.join("node"), &web_tgz, "bundlers-npm-install-node")?;

    emulator::build()?;
    let emu = emulator::start(&root().join("emulator/seed/test.json"), 0, "bundlers-emulator")?;
    let config = emu.announced.test_config("emulator");
    let outcome = run_logged(
        Command::new("node")
            .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
            .args(&suites)
            .current_dir(root())
            .env("COGNITO_TEST_CONFIG", config.to_string())
            .env("COGNITO_TARBALL", &bundler_tgz),
        &log_path("bundlers")?,
        15 * MINUTE,
    )?;
    result.record("node --test e2e/bundlers", &outcome, counts::node(&outcome.output));
    drop(emu);
    Ok(())
}

/// Stage 10: the same wasm-bindgen browser suites as stage 2, in headless Firefox ESR through geckodriver (the
/// build is stage 2's; only the runner's driver differs). webdriver.json names the Firefox binary.
fn firefox(result: &mut StageResult) -> Result<()> {
    let rust_suites = files(&root().join("tests"), |n| n.starts_with("browser_") && n.ends_with(".rs"));
    if rust_suites.is_empty() {
        return Err(Error::new("no tests/browser_*.rs"));
    }
    let driver = Driver { var: "GECKODRIVER", path: install::geckodriver_path() };
    for needed in [driver.path.as_path(), Path::new(install::FIREFOX)] {
        require(needed).map_err(|e| Error::new(format!("{e}: run `cargo xtask install`")))?;
    }
    let outcome = browser_tests(&driver, &Value::Null, &["--test", "browser_*"], "firefox")?;
    result.record("wasm-bindgen tests in Firefox", &outcome, counts::cargo(&outcome.output));
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stages_parse_by_name_or_number() {
        let o = parse(&["--stage".into(), "browser,5".into(), "--no-install".into()]).unwrap();
        assert_eq!(o.stages, vec![2, 5]);
        assert!(!o.install);
        assert_eq!(parse(&[]).unwrap().stages, (1..=10).collect::<Vec<u8>>());
        assert!(parse(&["--stage".into(), "nope".into()]).is_err());
    }

    #[test]
    fn a_stage_with_nothing_to_count_fails() {
        let mut r = StageResult::default();
        let outcome =
            crate::process::Outcome { success: true, output: String::new(), summary: "exit status: 0".into() };
        r.record("tool", &outcome, Counts::default());
        assert_eq!(r.failed(), 1);

        let mut r = StageResult::default();
        let counts = Counts { found: true, ..Counts::default() };
        r.record("tool", &outcome, counts);
        assert_eq!(r.failed(), 1, "zero tests run is a failure");
    }

    #[test]
    fn a_failing_exit_with_passing_counts_still_fails() {
        let mut r = StageResult::default();
        let outcome = crate::process::Outcome {
            success: false,
            output: "NOT RUN: x: y\n".into(),
            summary: "exit status: 101".into(),
        };
        r.record("tool", &outcome, Counts { passed: 3, found: true, ..Counts::default() });
        assert_eq!((r.counts.passed, r.failed()), (3, 1));
        assert_eq!(r.not_run, vec!["NOT RUN: x: y"]);
    }

    #[test]
    fn package_json_checks_name_entry_types_files_side_effects() {
        let dir = std::env::temp_dir().join(format!("xtask-pkg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in SHIPPED {
            std::fs::write(dir.join(f), "").unwrap();
        }
        std::fs::write(dir.join("index.js"), "").unwrap();
        let good = json!({
            "name": "cognito-totp", "main": "index.js", "module": "./index.js",
            "types": "cognito_totp.d.ts", "sideEffects": ["./cognito_totp.js"],
            "files": ["cognito_totp_bg.wasm", "cognito_totp.js", "cognito_totp.d.ts", "index.js"],
        });
        assert!(package_json_problems(&good, &dir, "index.js").is_empty());
        let bad = json!({
            "name": "cognito_totp", "module": "kernel.js", "types": "missing.d.ts",
            "files": ["cognito_totp.js", "gone.js"],
        });
        let problems = package_json_problems(&bad, &dir, "index.js");
        // name, module, main, types, 3 unlisted files, a listed file that is missing, sideEffects
        assert_eq!(problems.len(), 9, "{problems:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_typings_check_reads_the_built_package_not_www_pkg() {
        let base = json!({ "compilerOptions": {
            "strict": true,
            "rootDirs": ["../../www/pkg"],
            "paths": { "cognito-totp": ["../../www/pkg/cognito_totp.d.ts"] },
        }});
        let pkg = Path::new("/tmp/built-pkg");
        let o = retargeted_options(&base, &root().join("tests/typescript"), pkg);
        assert_eq!(o["rootDirs"], json!(["/tmp/built-pkg"]));
        assert_eq!(o["paths"]["cognito-totp"], json!(["/tmp/built-pkg/cognito_totp.d.ts"]));
        assert!(o.get("strict").is_none(), "only the package locations are overridden");
    }
}
