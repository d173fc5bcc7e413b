//! A deterministic SRP step for known-answer tests and `cargo xtask bench`: the same client work a
//! sign-in does (A = g^a; then u, x, g^x, S, HKDF key, signature) for caller-supplied inputs, so the
//! browser can compare it with other implementations on identical data. Built only with the `testing`
//! feature (it needs js-sys to read its parameter object), never in the published package.

use alloc::borrow::ToOwned;
use alloc::string::String;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::secret::Password;
use crate::core::srp::{self, SrpClient};

#[wasm_bindgen(typescript_custom_section)]
const TS_SRP_PARAMS: &'static str = r#"
/** Inputs of `srpPasswordClaim` (hex as `BigInteger.toString(16)`, SECRET_BLOCK as base64). */
export interface SrpClaimParams {
  aHex: string; poolId: string; userIdForSrp: string; password: string;
  saltHex: string; srpBHex: string; secretBlock: string; timestamp: string;
}
"#;

/// A JS `Error` named `InvalidParameterException`, as these test entry points always threw.
fn invalid(message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("InvalidParameterException");
    let _ = Reflect::set(&err, &JsValue::from_str("retryable"), &JsValue::FALSE);
    err.into()
}

/// Deterministic SRP step for tests and benchmarks: computes SRP_A from the given `aHex`, then the
/// PASSWORD_VERIFIER signature for the server's salt, B and SECRET_BLOCK. Never use a fixed `a` in
/// production: a sign-in must draw a fresh random `a` (which `SrpKey` takes from `crypto.getRandomValues`).
#[wasm_bindgen(js_name = srpPasswordClaim, unchecked_return_type = "{ srpA: string; signature: string }")]
pub fn srp_password_claim(
    #[wasm_bindgen(unchecked_param_type = "SrpClaimParams")] params: JsValue,
) -> Result<Object, JsValue> {
    let a_hex = field(&params, "aHex")?;
    claim(&prepared(&a_hex)?, &params)
}

/// An SRP key pair computed ahead from a given `a`, as `prepare()` does with a random one: lets a benchmark
/// time the part of a sign-in that remains after `prepare()`. Consumed by its one claim.
#[wasm_bindgen]
pub struct SrpPrepared {
    client: SrpClient,
}

#[wasm_bindgen]
impl SrpPrepared {
    /// A = g^a for the given `aHex` (for tests and benchmarks only, like `srpPasswordClaim`).
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(js_name = aHex)] a_hex: &str) -> Result<SrpPrepared, JsValue> {
        prepared(a_hex).map(|client| SrpPrepared { client })
    }

    /// `srpPasswordClaim` without the A step; `aHex` in `params` is ignored.
    #[wasm_bindgen(js_name = passwordClaim, unchecked_return_type = "{ srpA: string; signature: string }")]
    pub fn password_claim(
        self,
        #[wasm_bindgen(unchecked_param_type = "SrpClaimParams")] params: JsValue,
    ) -> Result<Object, JsValue> {
        claim(&self.client, &params)
    }
}

fn prepared(a_hex: &str) -> Result<SrpClient, JsValue> {
    let a = a_bytes(a_hex)?;
    SrpClient::new(&a).map_err(|e| invalid(e.message()))
}

/// A required string member of `params`.
fn field(params: &JsValue, key: &str) -> Result<String, JsValue> {
    let value = if params.is_object() { Reflect::get(params, &JsValue::from_str(key))? } else { JsValue::UNDEFINED };
    value.as_string().ok_or_else(|| invalid(&(key.to_owned() + " is required and must be a string")))
}

fn claim(client: &SrpClient, params: &JsValue) -> Result<Object, JsValue> {
    let password = Password::new(field(params, "password")?);
    let pool_id = field(params, "poolId")?;
    let pool_name = srp::pool_name(&pool_id).map_err(|e| invalid(e.message()))?;
    let signature = client
        .password_claim(
            pool_name,
            &field(params, "userIdForSrp")?,
            &password,
            &field(params, "saltHex")?,
            &field(params, "srpBHex")?,
            &field(params, "secretBlock")?,
            &field(params, "timestamp")?,
        )
        .map_err(|e| invalid(e.message()))?;
    let out = Object::new();
    Reflect::set(&out, &JsValue::from_str("srpA"), &JsValue::from_str(&client.a_hex()))?;
    Reflect::set(&out, &JsValue::from_str("signature"), &JsValue::from_str(&signature))?;
    Ok(out)
}

/// `a` as 128 big-endian bytes from hex without leading zeros (at most 256 digits).
fn a_bytes(hex: &str) -> Result<zeroize::Zeroizing<[u8; 128]>, JsValue> {
    let bad = || invalid("aHex must be 1 to 256 hex digits");
    if hex.is_empty() || hex.len() > 256 {
        return Err(bad());
    }
    let mut out = zeroize::Zeroizing::new([0u8; 128]);
    // Walk from the least significant digit so an odd length needs no padding copy.
    for (i, c) in hex.bytes().rev().enumerate() {
        let nibble = (c as char).to_digit(16).ok_or_else(bad)? as u8;
        let byte = 127 - i / 2;
        out[byte] |= if i % 2 == 0 { nibble } else { nibble << 4 };
    }
    Ok(out)
}
