//! `cargo xtask package` and `build_package`, the only way the npm package is assembled (`demo`, `test` and
//! `bench` all build through it): wasm-pack's build of the crate, the shipped wasm-opt pass, and the package.json
//! around it (plus, for the bundler build, the few lines of entry in `js/bundler/`).

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

/// The bundler build's entry (from `js/bundler/`): wasm-bindgen's module re-exported, plus a no-op `init` and
/// `initSync` so that code written for the web build runs unchanged.
const BUNDLER_ENTRY: &[&str] = &["index.js", "index.d.ts"];

/// The package as users get it, in `out_dir` (recreated): `wasm-pack build --out-name cognito_totp` (the crate is
/// the whole client: `cognito_totp.js` is wasm-bindgen's module, `cognito_totp.d.ts` its typings, generated from
/// the Rust, `snippets/` the steps' prototype), through the shipped wasm-opt pass, and a package.json naming the
/// entry. With feature `testing` the module also exports the deterministic SRP step (`srpPasswordClaim`,
/// `SrpPrepared`).
pub fn build_package(out_dir: &Path, target: PkgTarget, features: &[&str]) -> Result<()> {
    wasm_pack_build(out_dir, target, features)?;
    optimize_package(out_dir)?;
    finish_manifest(out_dir, target)
}

/// The first step of [`build_package`] alone: wasm-pack's output in `out_dir` (recreated), before wasm-opt. The
/// bench uses it to get the same module with its function names, for the size breakdown.
pub fn wasm_pack_build(out_dir: &Path, target: PkgTarget, features: &[&str]) -> Result<()> {
    // wasm-pack adds to what is there; a file of an older layout must not ship (or be listed) again.
    if out_dir.exists() {
        std::fs::remove_dir_all(out_dir)?;
    }
    let mut cargo_args = Vec::new();
    if !features.is_empty() {
        cargo_args.push("--features".to_string());
        cargo_args.push(features.join(","));
    }
    println!(
        "$ wasm-pack build --target {} --release --out-dir {} --out-name cognito_totp -- {}",
        target.name(),
        out_dir.display(),
        cargo_args.join(" ")
    );
    let status = Command::new("wasm-pack")
        .args(["build", "--target", target.name(), "--release", "--out-name", "cognito_totp", "--out-dir"])
        .arg(out_dir)
        .arg("--")
        .args(&cargo_args)
        .current_dir(root())
        .status()
        .map_err(|e| Error::new(format!("cannot run wasm-pack ({e}); run `cargo xtask install` first")))?;
    if !status.success() {
        return Err(Error::new(format!("wasm-pack build --target {} failed ({status})", target.name())));
    }
    Ok(())
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

/// Rewrites wasm-pack's package.json around the entry: an ES module package whose `main`/`module` is
/// `cognito_totp.js` (web) or the bundler entry, listing every file it ships (the snippets included).
fn finish_manifest(out_dir: &Path, target: PkgTarget) -> Result<()> {
    let manifest_path = out_dir.join("package.json");
    let mut manifest = read_json(&manifest_path)?;
    let mut files: Vec<Value> = manifest.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
    if out_dir.join("snippets").is_dir() && !files.contains(&json!("snippets")) {
        files.push(json!("snippets"));
    }
    let (entry, types) = match target {
        PkgTarget::Web => ("cognito_totp.js", "cognito_totp.d.ts"),
        PkgTarget::Bundler => {
            for file in BUNDLER_ENTRY {
                let from = root().join("js/bundler").join(file);
                std::fs::copy(&from, out_dir.join(file))
                    .map_err(|e| Error::new(format!("cannot copy {}: {e}", from.display())))?;
                files.push(json!(file));
            }
            ("index.js", "index.d.ts")
        }
    };
    let obj = manifest
        .as_object_mut()
        .ok_or_else(|| Error::new(format!("{} is not a JSON object", manifest_path.display())))?;
    obj.insert("type".into(), json!("module"));
    obj.insert("files".into(), Value::Array(files));
    obj.insert("main".into(), json!(entry));
    obj.insert("module".into(), json!(entry));
    obj.insert("types".into(), json!(types));
    // wasm-pack's `sideEffects` stays: it names the snippets and, for the bundler, the module that instantiates
    // the wasm on import.
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
        let dir = std::env::temp_dir().join(format!("xtask-manifest-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        let manifest = json!({
            "name": "cognito-totp", "version": "1.2.3",
            "files": ["cognito_totp_bg.wasm", "cognito_totp.js", "cognito_totp.d.ts"],
            "main": "cognito_totp.js", "types": "cognito_totp.d.ts", "sideEffects": side_effects,
        });
        std::fs::write(dir.join("package.json"), manifest.to_string()).unwrap();
        dir
    }

    fn files(pkg: &Value) -> Vec<&str> {
        pkg["files"].as_array().unwrap().iter().filter_map(Value::as_str).collect()
    }

    #[test]
    fn the_web_package_is_wasm_bindgens_module_with_its_snippets() {
        let dir = fake_wasm_pack_output("web", &["./snippets/*"]);
        finish_manifest(&dir, PkgTarget::Web).unwrap();
        let pkg = read_json(&dir.join("package.json")).unwrap();
        assert_eq!((pkg["main"].as_str(), pkg["module"].as_str()), (Some("cognito_totp.js"), Some("cognito_totp.js")));
        assert_eq!(pkg["types"], "cognito_totp.d.ts");
        assert_eq!(pkg["type"], "module");
        assert_eq!(pkg["sideEffects"], json!(["./snippets/*"]));
        assert_eq!(files(&pkg), ["cognito_totp_bg.wasm", "cognito_totp.js", "cognito_totp.d.ts", "snippets"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_bundler_package_enters_through_a_no_op_init() {
        let dir = fake_wasm_pack_output("bundler", &["./cognito_totp.js", "./snippets/*"]);
        finish_manifest(&dir, PkgTarget::Bundler).unwrap();
        let pkg = read_json(&dir.join("package.json")).unwrap();
        assert_eq!((pkg["main"].as_str(), pkg["types"].as_str()), (Some("index.js"), Some("index.d.ts")));
        assert!(files(&pkg).contains(&"index.js") && files(&pkg).contains(&"index.d.ts"));
        let entry = std::fs::read_to_string(dir.join("index.js")).unwrap();
        assert!(entry.contains("export * from './cognito_totp.js'"), "{entry}");
        assert!(entry.contains("export default async function init"), "{entry}");
        // The module whose import instantiates the wasm keeps its side effect.
        assert_eq!(pkg["sideEffects"], json!(["./cognito_totp.js", "./snippets/*"]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
