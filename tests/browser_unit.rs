//! In-browser checks of the wasm kernel's exports (headless Chromium via wasm-bindgen-test): the SRP vectors
//! through `SrpKey`, TIMESTAMP, SECRET_HASH, TOTP, the otpauth URI and the QR SVG give the same answers inside
//! the browser as natively, and every failure reaches JS as a real `Error` with a message.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cognito-totp --target wasm32-unknown-unknown --test browser_unit`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::wasm::{SrpKey, otpauth_uri, qr_svg, secret_hash, srp_timestamp, totp_code};
use js_sys::Reflect;
use miniserde::{Deserialize, json};
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::*;

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use srp_vectors::a_bytes;

wasm_bindgen_test_configure!(run_in_browser);

/// The thrown value as JS sees it: an `Error` instance with a non-empty message, which is returned.
fn js_message(e: JsError) -> String {
    let v = JsValue::from(e);
    assert!(v.is_instance_of::<js_sys::Error>(), "not an Error: {v:?}");
    let message = Reflect::get(&v, &JsValue::from_str("message")).unwrap().as_string().unwrap_or_default();
    assert!(!message.is_empty(), "{v:?}");
    message
}

fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').unwrap().1
}

// ---- SRP --------------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn srp_vectors_match_the_sdk_through_srp_key() {
    let file = srp_vectors::load();
    assert!(file.cases.len() >= 8);
    for case in &file.cases {
        let (i, o) = (&case.input, &case.output);
        let key = SrpKey::new(a_bytes(&i.a_hex).to_vec()).unwrap();
        assert_eq!(key.srp_a(), o.big_a, "{}: A", case.name);
        let timestamp = srp_timestamp(i.unix_seconds as f64).unwrap();
        assert_eq!(timestamp, o.timestamp, "{}: TIMESTAMP", case.name);
        let signature = key
            .password_claim(
                pool_name(&i.pool_id),
                &i.user_id_for_srp,
                i.password.clone(),
                &i.salt_hex,
                &i.b_hex,
                &i.secret_block,
                &timestamp,
            )
            .unwrap();
        assert_eq!(signature, o.signature, "{}: signature", case.name);
    }
}

#[wasm_bindgen_test]
fn srp_key_takes_exactly_128_nonzero_random_bytes() {
    for len in [0usize, 127, 129, 256] {
        let message = js_message(SrpKey::new(vec![7u8; len]).err().unwrap_or_else(|| panic!("{len} bytes accepted")));
        assert!(message.contains("128"), "{message}");
    }
    js_message(SrpKey::new(vec![0u8; 128]).err().expect("all-zero a accepted"));
    // Random keys differ, and A is the SDK's hex form (no leading zero nibble, at most 768 digits).
    let fresh = |seed: u8| SrpKey::new((0..128u8).map(|b| b.wrapping_mul(31).wrapping_add(seed)).collect()).unwrap();
    let (a, b) = (fresh(1).srp_a(), fresh(2).srp_a());
    assert_ne!(a, b);
    for hex in [&a, &b] {
        assert!(hex.len() <= 768 && !hex.starts_with('0'), "{hex}");
        assert!(hex.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)), "{hex}");
    }
}

#[wasm_bindgen_test]
fn bad_server_values_throw_errors_naming_the_value() {
    let case = &srp_vectors::load().cases[0];
    let i = &case.input;
    let t = &case.output.timestamp;
    let claim = |pool: &str, salt: &str, b: &str, block: &str| {
        SrpKey::new(a_bytes(&i.a_hex).to_vec()).unwrap().password_claim(
            pool,
            &i.user_id_for_srp,
            i.password.clone(),
            salt,
            b,
            block,
            t,
        )
    };
    let pool = pool_name(&i.pool_id);
    let n_hex = cognito_totp::core::srp::N_HEX;
    for (salt, b, block, says) in [
        (i.salt_hex.as_str(), "0", i.secret_block.as_str(), "server sent SRP_B = 0 mod N"),
        (i.salt_hex.as_str(), n_hex, i.secret_block.as_str(), "server sent SRP_B = 0 mod N"),
        (i.salt_hex.as_str(), "xyz", i.secret_block.as_str(), "invalid hex in SRP_B"),
        ("", i.b_hex.as_str(), i.secret_block.as_str(), "invalid hex in SALT"),
        (i.salt_hex.as_str(), i.b_hex.as_str(), "not base64!", "SECRET_BLOCK is not valid base64"),
    ] {
        assert_eq!(js_message(claim(pool, salt, b, block).unwrap_err()), says);
    }
    // The whole pool id instead of its name is refused rather than signed for the wrong name.
    js_message(claim(&i.pool_id, &i.salt_hex, &i.b_hex, &i.secret_block).unwrap_err());
}

#[wasm_bindgen_test]
fn srp_timestamp_and_secret_hash_known_answers() {
    assert_eq!(srp_timestamp(1_748_934_306.0).unwrap(), "Tue Jun 3 07:05:06 UTC 2025");
    // Fractions are cut, as the JS layer's Date.now() / 1000 gives them.
    assert_eq!(srp_timestamp(1_748_934_306.9).unwrap(), "Tue Jun 3 07:05:06 UTC 2025");
    assert_eq!(srp_timestamp(951_782_400.0).unwrap(), "Tue Feb 29 00:00:00 UTC 2000");
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        js_message(srp_timestamp(bad).unwrap_err());
    }
    // base64(HMAC-SHA256("topsecret", username ‖ "client123")), computed with Python's hmac.
    assert_eq!(secret_hash("topsecret", "alice", "client123"), "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c=");
    assert_eq!(
        secret_hash("topsecret", "alias@example.com", "client123"),
        "IYGgOriARo4VH5F0RmVtiaU51XHk2szPssuWReWLBwc="
    );
}

// ---- TOTP, otpauth, QR ----------------------------------------------------------------------------

#[derive(Deserialize)]
struct Rfc6238 {
    #[serde(rename = "seedBase32")]
    seed_base32: String,
    vectors: Vec<TotpVector>,
}
#[derive(Deserialize)]
struct TotpVector {
    time: u64,
    totp: String,
}

#[wasm_bindgen_test]
fn totp_code_export_gives_rfc6238_codes() {
    let rfc: Rfc6238 = json::from_str(include_str!("vectors/rfc6238.json")).unwrap();
    assert!(rfc.vectors.len() >= 6);
    for v in &rfc.vectors {
        // The RFC lists 8 digits; Cognito's 6-digit code is the same value mod 10^6.
        let code = totp_code(&rfc.seed_base32, v.time as f64).unwrap();
        assert_eq!(code, v.totp[2..], "t = {}", v.time);
    }
    // A code with leading zeros keeps them (t = 1111111109 gives 081804 for this seed).
    assert_eq!(totp_code(&rfc.seed_base32, 1_111_111_109.0).unwrap(), "081804");
    for bad in [-1.0, f64::NAN, f64::NEG_INFINITY] {
        js_message(totp_code(&rfc.seed_base32, bad).unwrap_err());
    }
    assert!(js_message(totp_code("not base32!", 0.0).unwrap_err()).contains("base32"));
    js_message(totp_code("", 0.0).unwrap_err());
}

#[wasm_bindgen_test]
fn otpauth_uri_export_round_trips_through_the_browser_url_parser() {
    let uri = otpauth_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "My App & Co", "jörg@example.com").unwrap();
    let url = web_sys::Url::new(&uri).unwrap();
    assert_eq!(url.protocol(), "otpauth:");
    let search = url.search_params();
    assert_eq!(search.get("secret").as_deref(), Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
    assert_eq!(search.get("issuer").as_deref(), Some("My App & Co"));
    let label = js_sys::decode_uri_component(&url.pathname()).unwrap().as_string().unwrap();
    assert!(label.ends_with("My App & Co:jörg@example.com"), "{label}");
    // An empty issuer leaves the label and the parameter out; the secret is normalised.
    assert_eq!(otpauth_uri("jbsw y3dp", "", "bob").unwrap(), "otpauth://totp/bob?secret=JBSWY3DP");
    js_message(otpauth_uri("JBSWY3DP", "x", "").unwrap_err());
    js_message(otpauth_uri("JBSWY3DP", "a:b", "bob").unwrap_err());
    js_message(otpauth_uri("not-base32", "x", "bob").unwrap_err());
}

fn svg(
    text: &str,
    ecc: Option<&str>,
    border: Option<f64>,
    dark: Option<&str>,
    title: Option<&str>,
) -> Result<String, JsError> {
    qr_svg(text, ecc.map(Into::into), border, dark.map(Into::into), None, title.map(Into::into))
}

#[wasm_bindgen_test]
fn qr_svg_export_is_one_path_with_title_and_viewbox() {
    let uri = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let out = svg(uri, Some("Q"), None, Some("#123456"), Some("Scan me")).unwrap();
    assert_eq!(out.matches("<path").count(), 1, "{out}");
    assert!(out.contains("viewBox=\"0 0 "), "{out}");
    assert!(out.contains("role=\"img\""));
    assert!(out.contains("<title") && out.contains("Scan me"));
    assert!(out.contains("#123456"));
    // Same bytes as the core renderer with the same options: the arguments are read faithfully.
    let core = cognito_totp::core::qr::qr_svg(
        uri,
        &cognito_totp::core::qr::SvgOptions {
            ecc: cognito_totp::core::qr::Ecc::Quartile,
            dark: "#123456".into(),
            title: Some("Scan me".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(out, core);
    // And the browser can parse it as an SVG document.
    let parser = web_sys::DomParser::new().unwrap();
    let doc = parser.parse_from_string(&out, web_sys::SupportedType::ImageSvgXml).unwrap();
    assert_eq!(doc.get_elements_by_tag_name("parsererror").length(), 0);
    assert_eq!(doc.get_elements_by_tag_name("path").length(), 1);
}

#[wasm_bindgen_test]
fn qr_svg_defaults_and_validation() {
    // The committed golden files (tests/qr.rs writes them natively): all defaults (ecc M, border 4, black on
    // white, title "QR code"), then every option set.
    let uri = otpauth_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "My App & Co", "alice@example.com").unwrap();
    assert_eq!(svg(&uri, None, None, None, None).unwrap(), include_str!("golden/qr-otpauth-default.svg"));
    let all = qr_svg(
        "HELLO WORLD",
        Some("H".into()),
        Some(6.0),
        Some("#1a2b3c".into()),
        Some("white".into()),
        Some("Scan <me> & \"go\" 'now'".into()),
    )
    .unwrap();
    assert_eq!(all, include_str!("golden/qr-options.svg"));
    // Borders below 4 are raised to 4; larger ones widen the viewBox.
    assert_eq!(svg("x", None, Some(0.0), None, None).unwrap(), svg("x", None, Some(4.0), None, None).unwrap());
    let wide = svg("x", None, Some(10.0), None, None).unwrap();
    assert!(wide.contains("viewBox=\"0 0 41 41\""), "{wide}");
    assert_eq!(svg("x", Some("low"), None, None, None).unwrap(), svg("x", Some("L"), None, None, None).unwrap());
    for bad_border in [-1.0, 1.5, f64::NAN, 1e12] {
        assert!(js_message(svg("x", None, Some(bad_border), None, None).unwrap_err()).contains("border"));
    }
    assert!(js_message(svg("x", Some("X"), None, None, None).unwrap_err()).contains("ecc"));
    assert!(js_message(svg("x", None, None, Some("url(javascript:1)"), None).unwrap_err()).contains("dark"));
    let light = qr_svg("x", None, None, None, Some("#12".into()), None).unwrap_err();
    assert!(js_message(light).contains("light"));
    js_message(svg(&"x".repeat(3000), Some("H"), None, None, None).unwrap_err());
}
