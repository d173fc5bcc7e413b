//! Cognito's SRP-6a dialect (client half). See `../shared/COGNITO.md`.

use core::fmt;

use crate::core::secret::Password;

/// Why an SRP step failed. All of these are protocol errors (bad server data or bad caller input).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A hex field (named) could not be parsed or is out of range.
    InvalidHex(&'static str),
    /// SECRET_BLOCK is not valid base64.
    InvalidBase64,
    /// The server's B is 0 mod N.
    BadServerB,
    /// u = H(A ‖ B) is zero.
    ZeroU,
    /// The pool id has no `region_` prefix or an empty name.
    InvalidPoolId,
    /// The caller's random `a` is 0 mod N (or gives A ≡ 0).
    BadRandom,
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SrpError::InvalidHex(field) => write!(f, "invalid hex in {field}"),
            SrpError::InvalidBase64 => f.write_str("SECRET_BLOCK is not valid base64"),
            SrpError::BadServerB => f.write_str("server sent SRP_B = 0 mod N"),
            SrpError::ZeroU => f.write_str("SRP scrambling parameter u is zero"),
            SrpError::InvalidPoolId => f.write_str("malformed user pool id"),
            SrpError::BadRandom => f.write_str("random SRP exponent is unusable"),
        }
    }
}

impl core::error::Error for SrpError {}

/// The client's ephemeral SRP state for one sign-in.
pub struct SrpClient {
    _priv: (),
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient").field("a", &"<redacted>").finish_non_exhaustive()
    }
}

/// The three PASSWORD_VERIFIER challenge responses computed by the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    pub signature_b64: String,
    pub secret_block_b64: String,
    pub timestamp: String,
}

impl SrpClient {
    /// `a_bytes`: 128 random bytes from the caller (tests pass fixed ones). Computes A = g^a mod N.
    pub fn new(a_bytes: &[u8; 128]) -> Result<SrpClient, SrpError> {
        let _ = a_bytes;
        Err(SrpError::BadRandom)
    }

    /// SRP_A as the SDK sends it: lowercase hex without a leading zero nibble.
    pub fn a_hex(&self) -> String {
        String::new()
    }

    /// Answers PASSWORD_VERIFIER. `pool_id` is the full id (`us-east-1_AbC123`).
    #[allow(clippy::too_many_arguments)]
    pub fn password_claim(
        &self,
        pool_id: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<PasswordClaim, SrpError> {
        let _ = (pool_id, user_id_for_srp, password, salt_hex, srp_b_hex, secret_block_b64, timestamp);
        Err(SrpError::BadRandom)
    }
}
