//! Install steps: each checks first, prints one progress line, and on failure says what to run by hand.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::{Error, Result, root, target_dir};

/// Everything `cargo xtask test` needs.
pub fn all() -> Result<()> {
    wasm_target()?;
    wasm_bindgen_cli()?;
    wasm_pack()?;
    system_packages()?;
    npm_packages()?;
    bench_npm_packages()?;
    python_venv()?;
    crate::hardening::install_cargo_fuzz()?;
    bundler_npm_packages()?;
    firefox()?;
    geckodriver()?;
    Ok(())
}

/// What `cargo xtask bench` needs: the package tools, Chromium, and bench/'s npm packages.
pub fn for_bench() -> Result<()> {
    for_demo()?;
    system_packages()?;
    Ok(())
}

/// What `cargo xtask demo` needs to build the package (wasm-opt comes from bench/'s npm binaryen).
pub fn for_demo() -> Result<()> {
    wasm_target()?;
    wasm_bindgen_cli()?;
    wasm_pack()?;
    bench_npm_packages()?;
    Ok(())
}

fn progress(step: &str, state: &str) {
    println!("[install] {step} … {state}");
}

/// Runs an install command with its output shown; a failure names the command to run by hand.
fn install(step: &str, by_hand: &str, cmd: &mut Command) -> Result<()> {
    progress(step, "installing");
    let status = cmd.status();
    match status {
        Ok(s) if s.success() => {
            progress(step, "installed");
            Ok(())
        }
        Ok(s) => Err(Error::new(format!("installing {step} failed ({s}); run this by hand: {by_hand}"))),
        Err(e) => Err(Error::new(format!("installing {step} failed ({e}); run this by hand: {by_hand}"))),
    }
}

/// stdout of a command when it runs and succeeds; `None` when it is missing or fails.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn wasm_target() -> Result<()> {
    let step = "wasm32 target";
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        progress(step, "present");
        return Ok(());
    }
    install(
        step,
        "rustup target add wasm32-unknown-unknown",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

/// The version of `package` recorded in a Cargo.lock text.
pub fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let next = lines.next()?.trim();
            let version = next.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

/// The wasm-bindgen CLI must equal the crate version exactly, or wasm-pack tries GitHub.
fn wasm_bindgen_cli() -> Result<()> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| Error::new(format!("cannot read Cargo.lock: {e}")))?;
    let version =
        locked_version(&lock, "wasm-bindgen").ok_or_else(|| Error::new("Cargo.lock has no wasm-bindgen entry"))?;
    let step = format!("wasm-bindgen-cli {version}");
    let have = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version.as_str()) {
        progress(&step, "present");
        return Ok(());
    }
    // Not --locked: the CLI's own lock file wants crates newer than this registry mirror has.
    let by_hand = format!("cargo install wasm-bindgen-cli --version {version}");
    install(&step, &by_hand, Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))
}

fn wasm_pack() -> Result<()> {
    let step = "wasm-pack";
    if output_of("wasm-pack", &["--version"]).is_some() {
        progress(step, "present");
        return Ok(());
    }
    install(step, "cargo install wasm-pack --locked", Command::new("cargo").args(["install", "wasm-pack", "--locked"]))
}

fn is_root() -> bool {
    output_of("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

fn system_packages() -> Result<()> {
    let present = Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && output_of("sh", &["-c", "command -v zbarimg"]).is_some();
    apt("chromium, chromium-driver, zbar-tools (apt)", present, "chromium chromium-driver zbar-tools")
}

/// Firefox ESR for the firefox stage (Debian's package; the browser tests drive it through geckodriver).
fn firefox() -> Result<()> {
    apt("firefox-esr (apt)", Path::new(FIREFOX).exists(), "firefox-esr")
}

/// `apt-get install -y <packages>` (with sudo when not root) unless `present`.
fn apt(step: &str, present: bool, packages: &str) -> Result<()> {
    if present {
        progress(step, "present");
        return Ok(());
    }
    let script = format!("apt-get update && apt-get install -y {packages}");
    let mut cmd = if is_root() {
        let mut c = Command::new("sh");
        c.args(["-c", &script]);
        c
    } else {
        let mut c = Command::new("sudo");
        c.args(["sh", "-c", &script]);
        c
    };
    cmd.env("DEBIAN_FRONTEND", "noninteractive");
    let by_hand = if is_root() { script.clone() } else { format!("sudo sh -c '{script}'") };
    install(step, &by_hand, &mut cmd)
}

/// The browser the firefox stage names to geckodriver.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// Where `cargo install geckodriver --root` puts it: under target/, off PATH, so that wasm-bindgen-test-runner
/// never picks it up for the Chromium stages (it takes the first driver it finds on PATH).
pub fn geckodriver_path() -> std::path::PathBuf {
    target_dir().join("tools/geckodriver/bin/geckodriver")
}

fn geckodriver() -> Result<()> {
    let step = "geckodriver (target/tools/geckodriver)";
    if geckodriver_path().exists() {
        progress(step, "present");
        return Ok(());
    }
    let root_dir = target_dir().join("tools/geckodriver");
    let by_hand = format!("cargo install geckodriver --locked --root {}", root_dir.display());
    let mut cmd = Command::new("cargo");
    cmd.args(["install", "geckodriver", "--locked", "--root"]).arg(&root_dir);
    install(step, &by_hand, &mut cmd)
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn npm_packages() -> Result<()> {
    npm_ci("npm packages (e2e/)", "e2e")
}

/// esbuild, the peers, playwright-core and binaryen (whose wasm-opt every package build uses).
fn bench_npm_packages() -> Result<()> {
    npm_ci("npm packages (bench/)", "bench")
}

/// Vite, vite-plugin-wasm and webpack for the bundlers stage's apps.
fn bundler_npm_packages() -> Result<()> {
    npm_ci("npm packages (e2e/bundlers/)", "e2e/bundlers")
}

fn npm_ci(step: &str, dir: &str) -> Result<()> {
    let pkg_dir = root().join(dir);
    // npm rewrites node_modules/.package-lock.json on every install, so its age tells whether
    // the committed lock changed since.
    let installed = modified(&pkg_dir.join("node_modules/.package-lock.json"));
    let lock = modified(&pkg_dir.join("package-lock.json"));
    if let (Some(installed), Some(lock)) = (installed, lock)
        && installed >= lock
    {
        progress(step, "present");
        return Ok(());
    }
    install(step, &format!("cd {dir} && npm ci"), Command::new("npm").arg("ci").current_dir(&pkg_dir))
}

fn python_venv() -> Result<()> {
    let requirements_path = root().join("e2e/requirements.txt");
    let requirements = std::fs::read(&requirements_path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", requirements_path.display())))?;
    let hash = format!("{:x}", Sha256::digest(&requirements));
    let venv = target_dir().join("venv");
    let python = venv.join("bin/python");
    let by_hand = format!("python3 -m venv {v} && {v}/bin/pip install -r e2e/requirements.txt", v = venv.display());

    let step = "python venv (target/venv)";
    if python.exists() {
        progress(step, "present");
    } else {
        install(step, &by_hand, Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }

    // The stamp holds the hash of the requirements last installed, so an edit reinstalls.
    let step = "python packages (e2e/requirements.txt)";
    let stamp = venv.join(".requirements.sha256");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == hash) {
        progress(step, "present");
        return Ok(());
    }
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r"]).arg(&requirements_path);
    install(step, &by_hand, &mut pip)?;
    std::fs::write(&stamp, hash)?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_locked_version_of_the_named_package_only() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.50\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-bindgen-futures").as_deref(), Some("0.4.50"));
        assert_eq!(locked_version(lock, "serde"), None);
    }

    #[test]
    fn the_workspace_lock_pins_wasm_bindgen() {
        let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap_or_default();
        assert_eq!(locked_version(&lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
    }
}
