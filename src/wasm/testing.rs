//! A deterministic SRP step for known-answer tests and `cargo xtask bench`: the same client work a
//! sign-in does (A = g^a; then u, x, g^x, S, HKDF key, signature) for caller-supplied inputs, so the
//! browser can compare it with other implementations on identical data.

use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::core::Error;
use crate::core::secret::Password;
use crate::core::srp::SrpClient;

use super::convert::{get_string, js_error, set};

#[wasm_bindgen(typescript_custom_section)]
const TS_SRP_PARAMS: &'static str = r#"
/** Inputs of `srpPasswordClaim` (hex as `BigInteger.toString(16)`, SECRET_BLOCK as base64). */
export interface SrpClaimParams {
  aHex: string; poolId: string; userIdForSrp: string; password: string;
  saltHex: string; srpBHex: string; secretBlock: string; timestamp: string;
}
"#;

/// Deterministic SRP step for tests and benchmarks: computes SRP_A from the given `aHex`, then the
/// PASSWORD_VERIFIER signature for the server's salt, B and SECRET_BLOCK. Never use a fixed `a` in
/// production: a sign-in must draw a fresh random `a` (which `CognitoTotp.signIn` does).
#[wasm_bindgen(js_name = srpPasswordClaim, unchecked_return_type = "{ srpA: string; signature: string }")]
pub fn srp_password_claim(
    #[wasm_bindgen(unchecked_param_type = "SrpClaimParams")] params: JsValue,
) -> Result<Object, JsValue> {
    run(&params).map_err(|e| js_error(&e))
}

/// An SRP key pair computed ahead from a given `a`, as `CognitoTotp.prepare()` does with a random one:
/// lets a benchmark time the part of a sign-in that remains after `prepare()`. Consumed by its one claim.
#[wasm_bindgen]
pub struct SrpPrepared {
    client: SrpClient,
}

#[wasm_bindgen]
impl SrpPrepared {
    /// A = g^a for the given `aHex` (for tests and benchmarks only, like `srpPasswordClaim`).
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(js_name = aHex)] a_hex: &str) -> Result<SrpPrepared, JsValue> {
        prepared(a_hex).map(|client| SrpPrepared { client }).map_err(|e| js_error(&e))
    }

    /// `srpPasswordClaim` without the A step; `aHex` in `params` is ignored.
    #[wasm_bindgen(js_name = passwordClaim, unchecked_return_type = "{ srpA: string; signature: string }")]
    pub fn password_claim(
        self,
        #[wasm_bindgen(unchecked_param_type = "SrpClaimParams")] params: JsValue,
    ) -> Result<Object, JsValue> {
        claim(&self.client, &params).map_err(|e| js_error(&e))
    }
}

fn prepared(a_hex: &str) -> Result<SrpClient, Error> {
    let a = a_bytes(a_hex)?;
    SrpClient::new(&a).map_err(|e| Error::InvalidParameter(e.to_string()))
}

fn run(params: &JsValue) -> Result<Object, Error> {
    let a_hex = get_string(params, "aHex")?.ok_or_else(|| Error::InvalidParameter("aHex is required".to_owned()))?;
    claim(&prepared(&a_hex)?, params)
}

fn claim(client: &SrpClient, params: &JsValue) -> Result<Object, Error> {
    let field = |key: &str| -> Result<String, Error> {
        get_string(params, key)?.ok_or_else(|| Error::InvalidParameter(format!("{key} is required")))
    };
    let password = Password::new(field("password")?);
    let claim = client
        .password_claim(
            &field("poolId")?,
            &field("userIdForSrp")?,
            &password,
            &field("saltHex")?,
            &field("srpBHex")?,
            &field("secretBlock")?,
            &field("timestamp")?,
        )
        .map_err(|e| Error::InvalidParameter(e.to_string()))?;
    let out = Object::new();
    set(&out, "srpA", &JsValue::from_str(&client.a_hex()));
    set(&out, "signature", &JsValue::from_str(&claim.signature_b64));
    Ok(out)
}

/// `a` as 128 big-endian bytes from hex without leading zeros (at most 256 digits).
fn a_bytes(hex: &str) -> Result<zeroize::Zeroizing<[u8; 128]>, Error> {
    let bad = || Error::InvalidParameter("aHex must be 1 to 256 hex digits".to_owned());
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
