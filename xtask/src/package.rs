//! `cargo xtask package` and `build_package`, the only way the npm package is assembled (`demo`, `test` and
//! `bench` all build through it): the wasm kernel from wasm-pack, the shipped wasm-opt pass, then the JS layer
//! from `js/` with `cognito_totp.js` as the entry.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::{Value, json};

use crate::{Error, Result, install, root};

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

/// A JSON file, with its path in the error.
pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::new(format!("{} is not JSON: {e}", path.display())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
}
