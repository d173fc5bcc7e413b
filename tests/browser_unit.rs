//! In-browser checks of the package's free functions and errors (headless Chromium via wasm-bindgen-test): TOTP,
//! the otpauth URI and the QR SVG give the same answers inside the browser as natively, their options arrive
//! through serde-wasm-bindgen as documented, and every failure reaches JS as a real `Error` named
//! `InvalidParameterException` with a message and `retryable: false`. The flows themselves are tested in Chromium
//! against the emulator by e2e/client (through the public API, as an app uses it).
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cognito-totp --target wasm32-unknown-unknown --test browser_unit`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::wasm::{CognitoTotp, otpauth_uri, qr_svg, totp_code};
use js_sys::{Object, Reflect};
use miniserde::{Deserialize, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The thrown value as JS sees it: an `Error` named `InvalidParameterException`, not retryable, with a non-empty
/// message, which is returned.
fn js_message(v: JsValue) -> String {
    assert!(v.is_instance_of::<js_sys::Error>(), "not an Error: {v:?}");
    let get = |k: &str| Reflect::get(&v, &JsValue::from_str(k)).unwrap();
    assert_eq!(get("name").as_string().as_deref(), Some("InvalidParameterException"));
    assert_eq!(get("retryable").as_bool(), Some(false));
    let message = get("message").as_string().unwrap_or_default();
    assert!(!message.is_empty(), "{v:?}");
    message
}

/// A plain object from (key, value) pairs.
fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn n(v: f64) -> JsValue {
    JsValue::from_f64(v)
}

#[wasm_bindgen_test]
fn the_constructor_checks_its_configuration_and_picks_the_default_endpoint() {
    let auth = CognitoTotp::new(obj(&[("userPoolId", s("eu-west-1_AbC123")), ("clientId", s("c"))])).unwrap();
    assert_eq!(auth.endpoint(), "https://cognito-idp.eu-west-1.amazonaws.com/");
    let bad = |config: JsValue| js_message(CognitoTotp::new(config).err().expect("accepted"));
    assert!(bad(s("us-east-1_A")).contains("config object"));
    assert!(bad(obj(&[("clientId", s("c"))])).contains("config.userPoolId is required"));
    assert!(bad(obj(&[("userPoolId", n(1.0)), ("clientId", s("c"))])).contains("userPoolId must be a string"));
    let with = |k: &str, v: JsValue| obj(&[("userPoolId", s("us-east-1_A")), ("clientId", s("c")), (k, v)]);
    assert!(bad(with("endpoint", s("http://example.com/"))).contains("https"));
    assert!(bad(with("timeoutMs", s("100"))).contains("timeoutMs"));
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
        let code = totp_code(s(&rfc.seed_base32), Some(n(v.time as f64))).unwrap();
        assert_eq!(code, v.totp[2..], "t = {}", v.time);
    }
    // A code with leading zeros keeps them (t = 1111111109 gives 081804 for this seed).
    assert_eq!(totp_code(s(&rfc.seed_base32), Some(n(1_111_111_109.9))).unwrap(), "081804");
    // Without a time, now (a code of six digits).
    let now = totp_code(s(&rfc.seed_base32), None).unwrap();
    assert!(now.len() == 6 && now.bytes().all(|b| b.is_ascii_digit()), "{now}");
    for bad in [n(-1.0), n(f64::NAN), n(f64::NEG_INFINITY), s("59")] {
        assert!(js_message(totp_code(s(&rfc.seed_base32), Some(bad)).unwrap_err()).contains("unixSeconds"));
    }
    assert!(js_message(totp_code(s("not base32!"), Some(n(0.0))).unwrap_err()).contains("base32"));
    js_message(totp_code(s(""), Some(n(0.0))).unwrap_err());
    assert!(js_message(totp_code(n(7.0), Some(n(0.0))).unwrap_err()).contains("secret must be a string"));
}

#[wasm_bindgen_test]
fn otpauth_uri_export_round_trips_through_the_browser_url_parser() {
    let params = |secret: &str, issuer: &str, account: &str| {
        obj(&[("secret", s(secret)), ("issuer", s(issuer)), ("account", s(account))])
    };
    let uri = otpauth_uri(params("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "My App & Co", "jörg@example.com")).unwrap();
    let url = web_sys::Url::new(&uri).unwrap();
    assert_eq!(url.protocol(), "otpauth:");
    let search = url.search_params();
    assert_eq!(search.get("secret").as_deref(), Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
    assert_eq!(search.get("issuer").as_deref(), Some("My App & Co"));
    let label = js_sys::decode_uri_component(&url.pathname()).unwrap().as_string().unwrap();
    assert!(label.ends_with("My App & Co:jörg@example.com"), "{label}");
    // An empty issuer leaves the label and the parameter out; the secret is normalised.
    assert_eq!(otpauth_uri(params("jbsw y3dp", "", "bob")).unwrap(), "otpauth://totp/bob?secret=JBSWY3DP");
    js_message(otpauth_uri(params("JBSWY3DP", "x", "")).unwrap_err());
    js_message(otpauth_uri(params("JBSWY3DP", "a:b", "bob")).unwrap_err());
    js_message(otpauth_uri(params("not-base32", "x", "bob")).unwrap_err());
    let typed = obj(&[("secret", s("JBSWY3DP")), ("issuer", s("a")), ("account", n(7.0))]);
    assert!(js_message(otpauth_uri(typed).unwrap_err()).contains("account must be a string"));
}

fn svg(
    text: &str,
    ecc: Option<&str>,
    border: Option<f64>,
    dark: Option<&str>,
    title: Option<&str>,
) -> Result<String, JsValue> {
    let options: Vec<(&str, JsValue)> =
        [("ecc", ecc.map(s)), ("border", border.map(n)), ("dark", dark.map(s)), ("title", title.map(s))]
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
    qr_svg(s(text), Some(obj(&options)))
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
    let label = obj(&[
        ("secret", s("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")),
        ("issuer", s("My App & Co")),
        ("account", s("alice@example.com")),
    ]);
    let uri = otpauth_uri(label).unwrap();
    assert_eq!(svg(&uri, None, None, None, None).unwrap(), include_str!("golden/qr-otpauth-default.svg"));
    assert_eq!(qr_svg(s(&uri), None).unwrap(), include_str!("golden/qr-otpauth-default.svg"));
    let all = qr_svg(
        s("HELLO WORLD"),
        Some(obj(&[
            ("ecc", s("H")),
            ("border", n(6.0)),
            ("dark", s("#1a2b3c")),
            ("light", s("white")),
            ("title", s("Scan <me> & \"go\" 'now'")),
        ])),
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
    let light = qr_svg(s("x"), Some(obj(&[("light", s("#12"))]))).unwrap_err();
    assert!(js_message(light).contains("light"));
    assert!(js_message(qr_svg(s("x"), Some(obj(&[("border", s("4"))]))).unwrap_err()).contains("border"));
    assert!(js_message(qr_svg(s("x"), Some(s("big"))).unwrap_err()).contains("SVG options must be an object"));
    assert!(js_message(qr_svg(n(1.0), None).unwrap_err()).contains("text must be a string"));
    js_message(svg(&"x".repeat(3000), Some("H"), None, None, None).unwrap_err());
}
