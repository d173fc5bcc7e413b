//! The deterministic SRP entry points the bench uses (`srpPasswordClaim`, `SrpPrepared`) give the SDK's
//! answers for every known-answer case, through the JS boundary, in the browser.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cognito-totp --target wasm32-unknown-unknown --features testing --test browser_srp_testing`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

// Loud rather than zero tests: these entry points only exist with the feature (`cargo xtask test` passes it).
#[cfg(not(feature = "testing"))]
compile_error!("browser_srp_testing needs `--features testing` (srpPasswordClaim and SrpPrepared are not shipped)");

use cognito_totp::wasm::{SrpPrepared, srp_password_claim};
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn params(c: &srp_vectors::Case) -> JsValue {
    let o = Object::new();
    for (k, v) in [
        ("aHex", &c.input.a_hex),
        ("poolId", &c.input.pool_id),
        ("userIdForSrp", &c.input.user_id_for_srp),
        ("password", &c.input.password),
        ("saltHex", &c.input.salt_hex),
        ("srpBHex", &c.input.b_hex),
        ("secretBlock", &c.input.secret_block),
        ("timestamp", &c.output.timestamp),
    ] {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v)).unwrap();
    }
    o.into()
}

fn field(o: &Object, k: &str) -> String {
    Reflect::get(o, &JsValue::from_str(k)).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn srp_password_claim_signs_every_vector_like_the_sdk() {
    for c in srp_vectors::load().cases {
        let out = srp_password_claim(params(&c)).unwrap_or_else(|_| panic!("{}", c.name));
        assert_eq!(field(&out, "srpA"), c.output.big_a, "{}", c.name);
        assert_eq!(field(&out, "signature"), c.output.signature, "{}", c.name);
    }
}

#[wasm_bindgen_test]
fn a_prepared_key_gives_the_same_claim() {
    for c in srp_vectors::load().cases {
        let prepared = SrpPrepared::new(&c.input.a_hex).unwrap();
        let out = prepared.password_claim(params(&c)).unwrap();
        assert_eq!(field(&out, "srpA"), c.output.big_a, "{}", c.name);
        assert_eq!(field(&out, "signature"), c.output.signature, "{}", c.name);
    }
}

#[wasm_bindgen_test]
fn bad_inputs_are_invalid_parameter_errors() {
    let c = &srp_vectors::load().cases[0];
    for (key, value) in [("aHex", "xyz"), ("aHex", ""), ("srpBHex", "not hex"), ("poolId", "nounderscore")] {
        let p = params(c);
        Reflect::set(&p, &JsValue::from_str(key), &JsValue::from_str(value)).unwrap();
        let err = srp_password_claim(p).err().unwrap_or_else(|| panic!("{key}={value:?} was accepted"));
        let name = Reflect::get(&err, &JsValue::from_str("name")).unwrap().as_string();
        assert_eq!(name.as_deref(), Some("InvalidParameterException"), "{key}={value:?}");
    }
    // 257 hex digits cannot be a 1024-bit a.
    assert!(SrpPrepared::new(&"1".repeat(257)).is_err());
}
