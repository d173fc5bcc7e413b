//! Typed access to tests/vectors/srp.json (written by tests/vectors/gen-srp-vectors.mjs), shared by the native and
//! browser test files: `#[path = "common/srp_vectors.rs"] mod srp_vectors;`
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::secret::Password;
use cognito_totp::core::srp::{SrpClient, SrpIntermediates, pool_name};
use miniserde::{Deserialize, json};

#[derive(Deserialize, Clone)]
pub struct File {
    pub implementation: String,
    pub cases: Vec<Case>,
}

#[derive(Deserialize, Clone)]
pub struct Case {
    pub name: String,
    pub input: Input,
    pub output: Output,
}

#[derive(Deserialize, Clone)]
pub struct Input {
    #[serde(rename = "poolId")]
    pub pool_id: String,
    #[serde(rename = "userIdForSrp")]
    pub user_id_for_srp: String,
    pub password: String,
    #[serde(rename = "aHex")]
    pub a_hex: String,
    #[serde(rename = "bHex")]
    pub b_hex: String,
    #[serde(rename = "saltHex")]
    pub salt_hex: String,
    #[serde(rename = "secretBlock")]
    pub secret_block: String,
    #[serde(rename = "unixSeconds")]
    pub unix_seconds: u64,
}

/// Hex values as `BigInteger.toString(16)`; `key` as 32 hex digits; the rest exactly as the SDK sent them.
#[derive(Deserialize, Clone)]
pub struct Output {
    #[serde(rename = "A")]
    pub big_a: String,
    pub x: String,
    pub u: String,
    #[serde(rename = "S")]
    pub big_s: String,
    pub key: String,
    pub timestamp: String,
    pub signature: String,
    pub username: String,
    #[serde(rename = "secretBlock")]
    pub secret_block: String,
}

impl Input {
    /// `client`'s PASSWORD_CLAIM_SIGNATURE and intermediates for this input, signed at `timestamp`.
    pub fn claim(&self, client: &SrpClient, timestamp: &str) -> (String, SrpIntermediates) {
        client
            .debug_intermediates(
                pool_name(&self.pool_id).unwrap(),
                &self.user_id_for_srp,
                &Password::new(self.password.clone()),
                &self.salt_hex,
                &self.b_hex,
                &self.secret_block,
                timestamp,
            )
            .unwrap()
    }
}

pub fn load() -> File {
    json::from_str(include_str!("../vectors/srp.json")).expect("srp.json parses")
}

/// The case's fixed `a` as the 128 bytes `SrpClient::new` takes.
pub fn a_bytes(hex: &str) -> [u8; 128] {
    assert_eq!(hex.len(), 256, "a must be 128 bytes");
    let mut out = [0u8; 128];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}
