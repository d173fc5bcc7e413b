//! The size breakdown of the shipped wasm for `cargo xtask bench`: the same module as the package's, optimised
//! by the same wasm-opt pass but keeping its function names (`-g` instead of `--strip-debug`), profiled with
//! `twiggy top` and summed by crate. The shipped module has no names, so twiggy alone could not attribute it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::package::{PkgTarget, WASM_OPT_ARGS, wasm_opt_path, wasm_pack_build};
use crate::{Error, Result};

/// The groups of the breakdown, in the order they are reported.
pub const GROUPS: &[&str] = &[
    "cognito_totp",
    "mont",
    "core::fmt and panics",
    "serde / serde_wasm_bindgen",
    "exports: wasm-bindgen's shims, with the Rust inlined into them",
    "wasm-bindgen runtime (wasm_bindgen, js_sys, web_sys, futures)",
    "sha2",
    "sha1",
    "hmac / hkdf / digest",
    "qrcodegen",
    "base64ct",
    "alloc (and the allocator)",
    "core (other)",
    "data",
    "names section (not shipped)",
    "other (types, imports, exports, tables, unnamed code)",
];

/// The group of one twiggy item, by the crate paths in its (demangled) name. Generic code is counted where it
/// was written when that shows in the name first: `<T as core::fmt::Debug>::fmt` is formatting, `<T as
/// serde::Deserialize>` is serde, whoever `T` is.
pub fn group_of(raw: &str) -> &'static str {
    let name = &without_crate_hashes(raw);
    let has = |needles: &[&str]| needles.iter().any(|n| name.contains(n));
    if name.starts_with("data[") || name.starts_with("data segment") {
        "data"
    } else if name.starts_with('"') && name.ends_with(" names\" subsection") {
        "names section (not shipped)"
    } else if has(&["core::fmt", "core::panicking", "core::result::unwrap_failed", "core::option::expect_failed"]) {
        "core::fmt and panics"
    } else if has(&["serde_wasm_bindgen", "serde::", "serde_core::"]) {
        "serde / serde_wasm_bindgen"
    } else if name.ends_with(" shim") {
        "exports: wasm-bindgen's shims, with the Rust inlined into them"
    } else if has(&["wasm_bindgen", "js_sys", "web_sys", "__wbg", "__wbindgen", "__externref"]) {
        "wasm-bindgen runtime (wasm_bindgen, js_sys, web_sys, futures)"
    } else if has(&["sha2::"]) {
        "sha2"
    } else if has(&["sha1::"]) {
        "sha1"
    } else if has(&["hmac::", "hkdf::", "digest::", "block_buffer::"]) {
        "hmac / hkdf / digest"
    } else if has(&["cognito_totp_mont"]) {
        "mont"
    } else if has(&["qrcodegen"]) {
        "qrcodegen"
    } else if has(&["base64ct"]) {
        "base64ct"
    } else if has(&["cognito_totp"]) {
        "cognito_totp"
    } else if has(&["alloc::", "lol_alloc", "dlmalloc", "__rust_alloc", "__rust_dealloc", "__rust_realloc", "__rdl_"]) {
        "alloc (and the allocator)"
    } else if has(&["core::"]) {
        "core (other)"
    } else {
        "other (types, imports, exports, tables, unnamed code)"
    }
}

/// `name` without the `[0123456789abcdef]` disambiguators rustc puts after crate names (`core[c593…]::fmt`).
fn without_crate_hashes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('[') {
        let tail = &rest[at + 1..];
        let hex = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(&rest[..at]);
        if hex == 16 && tail.as_bytes().get(16) == Some(&b']') {
            rest = &tail[17..];
        } else {
            out.push('[');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Bytes per group (every group present, zeros included) from `twiggy top -f json` items.
pub fn summarise(items: &[Value]) -> Vec<(&'static str, u64)> {
    let mut sums: Vec<(&'static str, u64)> = GROUPS.iter().map(|g| (*g, 0)).collect();
    for item in items {
        let name = item.get("name").and_then(Value::as_str).unwrap_or("");
        let size = item.get("shallow_size").and_then(Value::as_u64).unwrap_or(0);
        let group = group_of(name);
        if let Some(slot) = sums.iter_mut().find(|(g, _)| *g == group) {
            slot.1 += size;
        }
    }
    sums
}

fn twiggy_json(args: &[&str], wasm: &Path) -> Result<Value> {
    let out = Command::new("twiggy")
        .args(args)
        .args(["-f", "json"])
        .arg(wasm)
        .output()
        .map_err(|e| Error::new(format!("cannot run twiggy ({e}); `cargo install twiggy`")))?;
    if !out.status.success() {
        return Err(Error::new(format!("twiggy {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr))));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| Error::new(format!("twiggy's JSON: {e}")))
}

/// The named twin of the shipped module, `dir/cognito_totp_named.wasm`: wasm-pack's output in `dir` put through
/// the package's wasm-opt arguments with `-g` (keep the names) instead of `--strip-debug`.
pub fn build_named(dir: &Path) -> Result<()> {
    wasm_pack_build(dir, PkgTarget::Web, &[])?;
    let input = dir.join("cognito_totp_bg.wasm");
    let named = named_wasm(dir);
    let args: Vec<&str> = WASM_OPT_ARGS.iter().copied().filter(|a| *a != "--strip-debug").chain(["-g"]).collect();
    println!("$ wasm-opt {} {} -o {}", args.join(" "), input.display(), named.display());
    let status = Command::new(wasm_opt_path()).arg(&input).arg("-o").arg(&named).args(&args).status()?;
    if !status.success() {
        return Err(Error::new(format!("wasm-opt failed on {} ({status})", input.display())));
    }
    Ok(())
}

pub fn named_wasm(dir: &Path) -> PathBuf {
    dir.join("cognito_totp_named.wasm")
}

/// The breakdown as JSON: the module's sizes, bytes per group, and twiggy's 25 largest items.
pub fn breakdown(named: &Path, shipped_wasm: &Path) -> Result<Value> {
    let items = twiggy_json(&["top"], named)?;
    let items = items.as_array().cloned().unwrap_or_default();
    let groups = summarise(&items);
    let top: Vec<Value> = items
        .iter()
        .take(25)
        .map(|i| json!({ "name": i.get("name"), "bytes": i.get("shallow_size"), "group": group_of(i["name"].as_str().unwrap_or("")) }))
        .collect();
    let total: u64 = groups.iter().map(|(_, b)| b).sum();
    let names: u64 = groups.iter().filter(|(g, _)| g.starts_with("names")).map(|(_, b)| b).sum();
    Ok(json!({
        "shipped_bytes": std::fs::metadata(shipped_wasm)?.len(),
        "named_bytes": std::fs::metadata(named)?.len(),
        "twiggy_total_bytes": total,
        "without_names_bytes": total - names,
        "groups": groups.iter().map(|(g, b)| json!({ "group": g, "bytes": b })).collect::<Vec<_>>(),
        "top": top,
    }))
}

/// The breakdown as a Markdown table (raw bytes of the module; gzip does not split by crate).
pub fn table(b: &Value) -> String {
    let n = |k: &str| b.get(k).and_then(Value::as_u64).unwrap_or(0);
    let base = n("without_names_bytes").max(1) as f64;
    let mut out = format!(
        "Shipped `cognito_totp_bg.wasm`: {} bytes raw. Its named twin (same wasm-opt pass with `-g`): {} bytes, of \
         which {} outside the names section. Bytes per group (twiggy `top`, shallow sizes, summed by crate):\n\n\
         | group | bytes | share |\n|---|---:|---:|\n",
        n("shipped_bytes"),
        n("named_bytes"),
        n("without_names_bytes"),
    );
    let groups = b.get("groups").and_then(Value::as_array).cloned().unwrap_or_default();
    for g in groups {
        let name = g.get("group").and_then(Value::as_str).unwrap_or("?");
        let bytes = g.get("bytes").and_then(Value::as_u64).unwrap_or(0);
        if bytes == 0 || name.starts_with("names") {
            continue;
        }
        out.push_str(&format!("| {name} | {bytes} | {:.1}% |\n", bytes as f64 * 100.0 / base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_grouped_by_crate() {
        assert_eq!(group_of("cognito_totp_mont::pow::h1234"), "mont");
        assert_eq!(group_of("cognito_totp::core::flow::Client::sign_in::{{closure}}"), "cognito_totp");
        assert_eq!(group_of("<cognito_totp::core::Error as core::fmt::Debug>::fmt"), "core::fmt and panics");
        assert_eq!(group_of("<f64 as core[c5930c85a12de822]::fmt::Display>::fmt"), "core::fmt and panics");
        assert_eq!(group_of("data segment \".rodata.4\""), "data");
        assert_eq!(group_of("\"function names\" subsection"), "names section (not shipped)");
        assert_eq!(group_of("cognitototp_new externref shim multivalue shim"), GROUPS[4]);
        assert_eq!(group_of("serde_wasm_bindgen::de::Deserializer::deserialize_any"), "serde / serde_wasm_bindgen");
        assert_eq!(group_of("sha2::sha256::compress256"), "sha2");
        assert_eq!(group_of("<sha1::Sha1Core as digest::core_api::UpdateCore>::update_blocks"), "sha1");
        assert_eq!(group_of("alloc::raw_vec::RawVec<T,A>::grow_one"), "alloc (and the allocator)");
        assert_eq!(group_of("data[3]"), "data");
        assert_eq!(group_of("__wbindgen_malloc"), GROUPS[5]);
        assert_eq!(group_of("code[12]"), "other (types, imports, exports, tables, unnamed code)");
    }

    #[test]
    fn every_group_is_summed() {
        let items = vec![
            json!({ "name": "data[0]", "shallow_size": 10 }),
            json!({ "name": "data[1]", "shallow_size": 5 }),
            json!({ "name": "sha2::x", "shallow_size": 7 }),
        ];
        let s = summarise(&items);
        assert_eq!(s.len(), GROUPS.len());
        assert!(s.contains(&("data", 15)));
        assert!(s.contains(&("sha2", 7)));
        assert!(s.contains(&("sha1", 0)));
    }
}
