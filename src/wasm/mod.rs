//! The wasm kernel: the few synchronous functions the JS protocol layer (js/) cannot do fast or small —
//! SRP arithmetic, SHA/HMAC, TOTP, the otpauth URI and the QR encoder. All of them delegate to `core`.
//!
//! Every failure throws a plain JS `Error` whose message is a fixed English sentence; the JS layer gives it the
//! public `name` (`InvalidParameterException`, or `ProtocolError` for an SRP value from the server) and
//! `retryable`. Nothing here formats text with `core::fmt`.

#[cfg(feature = "testing")]
mod testing;
#[cfg(feature = "testing")]
pub use testing::{SrpPrepared, srp_password_claim};

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::core::qr::{self, Ecc, SvgOptions};
use crate::core::secret::{self, Password};
use crate::core::srp::SrpClient;
use crate::core::{otpauth, timestamp, totp};

/// The JS `Error` every kernel failure becomes.
fn fail(message: &'static str) -> JsError {
    JsError::new(message)
}

/// A Unix time from JS: finite and non-negative (fractions are cut, as `Math.floor` would).
fn unix_seconds(value: f64) -> Result<u64, JsError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value as u64)
    } else {
        Err(fail("unixSeconds must be a non-negative number"))
    }
}

/// The ephemeral SRP key of one sign-in: the secret `a` (never leaves wasm) and A = g^a.
#[wasm_bindgen]
pub struct SrpKey {
    client: SrpClient,
}

#[wasm_bindgen]
impl SrpKey {
    /// `random`: exactly 128 bytes from `crypto.getRandomValues`, read as the big-endian `a` (as the SDK does).
    /// Computes A = g^a: the expensive half of a sign-in, which `prepare()` runs ahead of time. The copy of the
    /// bytes in wasm memory is wiped before returning.
    #[wasm_bindgen(constructor)]
    pub fn new(random: Vec<u8>) -> Result<SrpKey, JsError> {
        let random = Zeroizing::new(random);
        let bytes: &[u8; 128] =
            random.as_slice().try_into().map_err(|_| fail("SrpKey needs exactly 128 random bytes"))?;
        SrpClient::new(bytes).map(|client| SrpKey { client }).map_err(|e| fail(e.message()))
    }

    /// SRP_A as sent to Cognito (lowercase hex, no leading zero nibble).
    #[wasm_bindgen(getter, js_name = srpA)]
    pub fn srp_a(&self) -> String {
        self.client.a_hex()
    }

    /// PASSWORD_CLAIM_SIGNATURE (base64) for the PASSWORD_VERIFIER challenge. `poolName` is the pool id after
    /// `_`; `timestamp` is what `srpTimestamp` gave and must be sent as TIMESTAMP. Consumes the key: a key serves
    /// one sign-in only (using it again throws).
    #[wasm_bindgen(js_name = passwordClaim)]
    #[allow(clippy::too_many_arguments)]
    pub fn password_claim(
        self,
        #[wasm_bindgen(js_name = poolName)] pool_name: &str,
        #[wasm_bindgen(js_name = userIdForSrp)] user_id_for_srp: &str,
        password: String,
        #[wasm_bindgen(js_name = saltHex)] salt_hex: &str,
        #[wasm_bindgen(js_name = srpBHex)] srp_b_hex: &str,
        #[wasm_bindgen(js_name = secretBlock)] secret_block: &str,
        timestamp: &str,
    ) -> Result<String, JsError> {
        let password = Password::new(password);
        self.client
            .password_claim(pool_name, user_id_for_srp, &password, salt_hex, srp_b_hex, secret_block, timestamp)
            .map_err(|e| fail(e.message()))
    }
}

/// Cognito's TIMESTAMP for a Unix time ("Tue Jun 3 07:05:06 UTC 2025": English, day not zero-padded).
#[wasm_bindgen(js_name = srpTimestamp)]
pub fn srp_timestamp(#[wasm_bindgen(js_name = unixSeconds)] unix: f64) -> Result<String, JsError> {
    unix_seconds(unix).map(timestamp::cognito_timestamp)
}

/// SECRET_HASH: base64(HMAC-SHA256(clientSecret, username ‖ clientId)).
#[wasm_bindgen(js_name = secretHash)]
pub fn secret_hash(
    #[wasm_bindgen(js_name = clientSecret)] client_secret: &str,
    username: &str,
    #[wasm_bindgen(js_name = clientId)] client_id: &str,
) -> String {
    secret::secret_hash(client_secret, username, client_id)
}

/// RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of a base32 secret at `unixSeconds`.
#[wasm_bindgen(js_name = totpCode)]
pub fn totp_code(secret: &str, #[wasm_bindgen(js_name = unixSeconds)] unix: f64) -> Result<String, JsError> {
    totp::totp_code(secret, unix_seconds(unix)?).map_err(|e| fail(e.message()))
}

/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…`, percent-encoded; an empty issuer is left out.
#[wasm_bindgen(js_name = otpauthUri)]
pub fn otpauth_uri(secret: &str, issuer: &str, account: &str) -> Result<String, JsError> {
    otpauth::otpauth_uri(secret, issuer, account).map_err(|e| fail(e.message()))
}

/// `text` as a standalone SVG QR code. `ecc` is "L"/"M"/"Q"/"H" (or low/medium/quartile/high; default M),
/// `border` a whole number of modules (below 4 raised to 4), `dark`/`light` `#rgb`, `#rrggbb` or a lowercase CSS
/// colour name (default black on white), `title` the accessible name (default "QR code").
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(
    text: &str,
    ecc: Option<String>,
    border: Option<f64>,
    dark: Option<String>,
    light: Option<String>,
    title: Option<String>,
) -> Result<String, JsError> {
    let mut opts = SvgOptions::default();
    if let Some(ecc) = ecc {
        opts.ecc = match ecc.as_str() {
            "L" | "low" => Ecc::Low,
            "M" | "medium" => Ecc::Medium,
            "Q" | "quartile" => Ecc::Quartile,
            "H" | "high" => Ecc::High,
            _ => return Err(fail("ecc must be \"L\", \"M\", \"Q\" or \"H\"")),
        };
    }
    if let Some(border) = border {
        // The round trip through u32 rejects fractions, negatives, NaN and values past u32 (`as` saturates).
        let whole = border as u32;
        if f64::from(whole) != border {
            return Err(fail("border must be a non-negative integer"));
        }
        opts.border = whole;
    }
    if let Some(dark) = dark {
        opts.dark = dark;
    }
    if let Some(light) = light {
        opts.light = light;
    }
    opts.title = title;
    qr::qr_svg(text, &opts).map_err(|e| fail(e.message()))
}
