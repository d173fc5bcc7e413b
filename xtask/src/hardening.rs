//! `cargo xtask fuzz` (cargo-fuzz targets in fuzz/, nightly) and `cargo xtask load` (the
//! emulator's load / kill -9 / malformed-request tests), plus the two `cargo xtask test` stages
//! built on them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::counts::{self, Counts};
use crate::process::{logs_dir, run_logged};
use crate::{Error, Result, root};

/// The cargo-fuzz targets, in run order (fuzz/Cargo.toml `[[bin]]`s).
pub const TARGETS: [&str; 4] = ["flow", "srp", "otpauth_qr", "dispatch"];

/// Release build with debug assertions and overflow checks (an overflow that would wrap silently in
/// the shipped build is a finding), without AddressSanitizer: the code under test forbids `unsafe`,
/// and ASan's cost would halve the runs that SRP already makes slow. `build` and `run` must agree,
/// or cargo rebuilds everything.
const BUILD_FLAGS: [&str; 4] = ["-O", "-a", "-s", "none"];

/// Seconds per target in the `cargo xtask test` smoke stage: 4 × (8 s + ~5 s of start-up) stays under a
/// minute, plus the build when the sources changed.
pub const SMOKE_SECONDS: u64 = 8;

/// What one target's run found.
pub struct FuzzRun {
    pub target: &'static str,
    pub execs: u64,
    pub seconds: u64,
    pub coverage: Option<u64>,
    pub corpus: Option<u64>,
    /// `None` when clean; otherwise why it failed (crash artifact, build error, …).
    pub failure: Option<String>,
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

/// cargo-fuzz and the nightly toolchain, checked without installing anything. The message says
/// how to get them, so a stage that needs them fails clearly instead of passing silently.
pub fn fuzz_tools_present() -> Result<()> {
    let nightly = Command::new("rustup")
        .args(["toolchain", "list"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("nightly")))
        .unwrap_or(false);
    if !nightly {
        return Err(Error::new(
            "the nightly toolchain is missing (cargo-fuzz needs it): rustup toolchain install nightly",
        ));
    }
    let fuzz = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !fuzz {
        return Err(Error::new(
            "cargo-fuzz is missing: cargo install cargo-fuzz --locked (or run `cargo xtask fuzz`, which installs it)",
        ));
    }
    Ok(())
}

/// Installs cargo-fuzz when it is missing (`cargo xtask fuzz`, and `cargo xtask test` for its
/// fuzz stage). The nightly toolchain itself comes with the machine; it cannot be fetched here.
pub fn install_cargo_fuzz() -> Result<()> {
    if fuzz_tools_present().is_ok() {
        println!("[install] cargo-fuzz … present");
        return Ok(());
    }
    println!("[install] cargo-fuzz … installing");
    let ok = Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]).status().is_ok_and(|s| s.success());
    if !ok {
        return Err(Error::new("installing cargo-fuzz failed; run by hand: cargo install cargo-fuzz --locked"));
    }
    fuzz_tools_present()
}

/// `cargo +nightly fuzz build` of all targets with [`BUILD_FLAGS`].
fn build_targets() -> Result<()> {
    let log = logs_dir()?.join("fuzz-build.log");
    let mut cmd = Command::new("cargo");
    cmd.current_dir(fuzz_dir()).args(["+nightly", "fuzz", "build"]).args(BUILD_FLAGS);
    let outcome = run_logged(&mut cmd, &log, Duration::from_secs(45 * 60))?;
    if outcome.success {
        Ok(())
    } else {
        Err(Error::new(format!("building the fuzz targets failed ({}); see {}", outcome.summary, log.display())))
    }
}

/// Runs one target for `seconds` on one core. New inputs go to `corpus`; the committed seeds in
/// fuzz/seeds/TARGET are read too. libFuzzer's chatter goes to the log only.
fn run_target(target: &'static str, seconds: u64, corpus: &Path) -> Result<FuzzRun> {
    let dir = fuzz_dir();
    std::fs::create_dir_all(corpus)?;
    let seeds = dir.join("seeds").join(target);
    let log_path = logs_dir()?.join(format!("fuzz-{target}.log"));
    let log = std::fs::File::create(&log_path)?;
    let mut cmd = Command::new("cargo");
    cmd.current_dir(&dir)
        .args(["+nightly", "fuzz", "run"])
        .args(BUILD_FLAGS)
        .arg(target)
        .arg(corpus)
        .arg(&seeds)
        .args(["--", &format!("-max_total_time={seconds}"), "-timeout=10", "-print_final_stats=1"])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    println!("fuzz {target}: {seconds}s (log {})", log_path.display());
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| Error::new(format!("cannot start cargo fuzz: {e}")))?;
    // Build time on top of the fuzzing time, then a hard stop.
    let limit = Duration::from_secs(seconds + 30 * 60);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let output = std::fs::read_to_string(&log_path).unwrap_or_default();
    let mut run = parse_libfuzzer(target, &output);
    run.failure = match status {
        Some(s) if s.success() => None,
        Some(s) => Some(
            crash_summary(&output).unwrap_or_else(|| format!("cargo fuzz exited with {s}; see {}", log_path.display())),
        ),
        None => Some(format!("did not finish within {}s", limit.as_secs())),
    };
    Ok(run)
}

/// Execs, time, coverage and corpus size from libFuzzer's output (`Done N runs in S second(s)`,
/// `cov: C`, `corp: K/…`).
fn parse_libfuzzer(target: &'static str, output: &str) -> FuzzRun {
    let mut run = FuzzRun { target, execs: 0, seconds: 0, coverage: None, corpus: None, failure: None };
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("Done ") {
            let mut it = rest.split_whitespace();
            run.execs = it.next().and_then(|n| n.parse().ok()).unwrap_or(run.execs);
            run.seconds = it.nth(2).and_then(|n| n.parse().ok()).unwrap_or(run.seconds);
        }
        if let Some(n) = field(line, "cov: ") {
            run.coverage = Some(n);
        }
        if let Some(n) = field(line, "corp: ") {
            run.corpus = Some(n);
        }
        if let Some(n) = line.strip_prefix("stat::number_of_executed_units: ").and_then(|n| n.trim().parse().ok()) {
            run.execs = n;
        }
    }
    run
}

fn field(line: &str, key: &str) -> Option<u64> {
    let rest = line.split(key).nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The panic message and the artifact path of a crash.
fn crash_summary(output: &str) -> Option<String> {
    let panic = output.lines().find(|l| l.contains("panicked at")).map(str::trim);
    let artifact = output.lines().find(|l| l.contains("Test unit written to")).map(str::trim);
    let next = panic.and_then(|p| {
        let mut lines = output.lines().skip_while(|l| l.trim() != p);
        lines.nth(1).map(str::trim)
    });
    match (panic, artifact) {
        (None, None) => None,
        (p, a) => Some([p, next, a].into_iter().flatten().collect::<Vec<_>>().join(" | ")),
    }
}

fn print_fuzz_table(runs: &[FuzzRun]) {
    println!("\n{:<11} {:>12} {:>6} {:>8} {:>7} {:>6}  result", "target", "execs", "secs", "exec/s", "cov", "corpus");
    for r in runs {
        let rate = r.execs.checked_div(r.seconds).unwrap_or(0);
        let opt = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
        println!(
            "{:<11} {:>12} {:>6} {:>8} {:>7} {:>6}  {}",
            r.target,
            r.execs,
            r.seconds,
            rate,
            opt(r.coverage),
            opt(r.corpus),
            r.failure.as_deref().unwrap_or("no crash")
        );
    }
}

/// `cargo xtask fuzz [--seconds N] [--target NAME]`.
pub fn fuzz(args: &[String]) -> Result<ExitCode> {
    let mut seconds = 300;
    let mut only: Vec<&'static str> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|s| *s > 0)
                    .ok_or_else(|| Error::new("--seconds needs a positive number"))?;
            }
            "--target" => {
                let v = it.next().ok_or_else(|| Error::new("--target needs a name"))?;
                let t = TARGETS.iter().find(|t| **t == v.as_str()).ok_or_else(|| {
                    Error::new(format!("unknown fuzz target `{v}` (targets: {})", TARGETS.join(", ")))
                })?;
                only.push(t);
            }
            other => return Err(Error::new(format!("unknown fuzz option `{other}`"))),
        }
    }
    let targets: Vec<&'static str> = if only.is_empty() { TARGETS.to_vec() } else { only };
    install_cargo_fuzz()?;
    build_targets()?;
    let mut runs = Vec::new();
    for t in targets {
        runs.push(run_target(t, seconds, &fuzz_dir().join("corpus").join(t))?);
    }
    print_fuzz_table(&runs);
    let crashed = runs.iter().filter(|r| r.failure.is_some()).count();
    if crashed == 0 {
        println!("no crashes in {} target(s)", runs.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{crashed} target(s) failed; crash inputs are under fuzz/artifacts/");
        Ok(ExitCode::FAILURE)
    }
}

/// The `cargo xtask test` smoke stage: each target for [`SMOKE_SECONDS`]; one count per target.
/// It starts from the committed seeds only (a fresh corpus under target/), so its time does not grow
/// with the corpus that long runs collect in fuzz/corpus.
pub fn fuzz_smoke() -> Result<Counts> {
    fuzz_tools_present()?;
    build_targets()?;
    let mut c = Counts { found: true, ..Counts::default() };
    let mut runs = Vec::new();
    for t in TARGETS {
        let corpus = crate::target_dir().join("fuzz-smoke").join(t);
        if corpus.exists() {
            std::fs::remove_dir_all(&corpus)?;
        }
        let run = run_target(t, SMOKE_SECONDS, &corpus)?;
        if let Some(why) = &run.failure {
            c.failed += 1;
            c.failed_names.push(format!("fuzz {t}: {why}"));
        } else if run.execs == 0 {
            c.failed += 1;
            c.failed_names.push(format!("fuzz {t}: ran no inputs"));
        } else {
            c.passed += 1;
        }
        runs.push(run);
    }
    print_fuzz_table(&runs);
    Ok(c)
}

/// `cargo test -p cognito-emulator --test load` (not part of `cargo test --workspace`: `test = false`).
fn load_command() -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root()).args([
        "test",
        "-p",
        "cognito-emulator",
        "--test",
        "load",
        "--",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd
}

/// The `LOAD ...` lines the load tests print (the README "Hardening" figures); with `--nocapture`
/// libtest's `test name ... ` may precede them on the same line.
fn load_lines(output: &str) -> Vec<&str> {
    output.lines().filter_map(|l| l.find("LOAD ").and_then(|i| l.get(i..))).collect()
}

/// `cargo xtask load`.
pub fn load(args: &[String]) -> Result<ExitCode> {
    if let Some(other) = args.first() {
        return Err(Error::new(format!("unknown load option `{other}`")));
    }
    let log = logs_dir()?.join("load.log");
    let outcome = run_logged(&mut load_command(), &log, Duration::from_secs(40 * 60))?;
    println!("\n==== load summary");
    for line in load_lines(&outcome.output) {
        println!("{line}");
    }
    Ok(if outcome.success { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The `cargo xtask test` load stage: the same tests (one kill -9 round), counted like any cargo test run.
pub fn load_stage(log: &Path) -> Result<(crate::process::Outcome, Counts)> {
    // One kill -9 round instead of three keeps the test command quick; `cargo xtask load` runs all three.
    let outcome = run_logged(load_command().env("LOAD_KILL_ROUNDS", "1"), log, Duration::from_secs(40 * 60))?;
    let counts = counts::cargo(&outcome.output);
    Ok((outcome, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_final_stats() {
        let out = "#1024\tpulse  cov: 812 ft: 2000 corp: 301/12Kb exec/s: 512 rss: 90Mb\n\
                   #99999\tDONE   cov: 1312 ft: 4175 corp: 1531/339Kb lim: 4096 exec/s: 333 rss: 543Mb\n\
                   Done 99999 runs in 300 second(s)\n\
                   stat::number_of_executed_units: 100001\n";
        let r = parse_libfuzzer("flow", out);
        assert_eq!((r.execs, r.seconds, r.coverage, r.corpus), (100_001, 300, Some(1312), Some(1531)));
    }

    #[test]
    fn load_lines_are_found_after_libtest_prefixes() {
        let out = "running 3 tests\ntest kill ... LOAD kill9 rounds=3\nLOAD malformed requests=15\ntest result: ok.";
        assert_eq!(load_lines(out), vec!["LOAD kill9 rounds=3", "LOAD malformed requests=15"]);
    }

    #[test]
    fn a_crash_names_the_panic_and_the_artifact() {
        let out = "INFO: Running\nthread '<unnamed>' panicked at fuzz_targets/flow.rs:10:5:\n\
                   error without a name\n==1== ERROR: libFuzzer: deadly signal\n\
                   artifact_prefix='/x/'; Test unit written to /x/crash-abc\n";
        let s = crash_summary(out).unwrap_or_default();
        assert!(s.contains("flow.rs:10:5") && s.contains("error without a name") && s.contains("crash-abc"), "{s}");
        assert_eq!(crash_summary("Done 5 runs in 1 second(s)"), None);
    }
}
