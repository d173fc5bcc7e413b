//! RFC 6238 TOTP (HMAC-SHA1, 30 s step) and the RFC 4648 base32 Cognito uses for `SecretCode`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use hmac::Hmac;
use sha1::Sha1;
use zeroize::Zeroizing;

use crate::core::hmac;

/// Why a TOTP secret, code or key URI could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TotpError {
    /// A character outside the base32 alphabet (the offending char is kept; secrets are never echoed whole).
    InvalidBase32Char(char),
    /// The base32 length cannot come from whole bytes (1, 3 or 6 trailing symbols), or padding is malformed.
    InvalidBase32Length,
    /// The secret is empty.
    EmptySecret,
    /// `digits` outside 1..=9 (only the generic HOTP helper takes it).
    InvalidDigits,
    /// The account name of a key URI is empty.
    EmptyAccount,
    /// The issuer contains `:`, which authenticator apps read as the label separator.
    InvalidIssuer,
}

impl TotpError {
    /// A fixed English sentence (no formatting in the wasm build; the offending character stays in the variant).
    pub fn message(&self) -> &'static str {
        match self {
            TotpError::InvalidBase32Char(_) => "invalid base32 character in the TOTP secret",
            TotpError::InvalidBase32Length => "invalid base32 length or padding",
            TotpError::EmptySecret => "TOTP secret is empty",
            TotpError::InvalidDigits => "digits must be between 1 and 9",
            TotpError::EmptyAccount => "account name is empty",
            TotpError::InvalidIssuer => "issuer must not contain ':'",
        }
    }
}

impl fmt::Display for TotpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for TotpError {}

/// Seconds per TOTP step (RFC 6238 default, and what Cognito uses).
pub const STEP_SECONDS: u64 = 30;

/// The 6-digit RFC 6238 code (HMAC-SHA1, 30 s step, T0 = 0) for a base32 secret at a Unix time.
pub fn totp_code(secret_base32: &str, unix_seconds: u64) -> Result<String, TotpError> {
    let key = Zeroizing::new(base32_decode(secret_base32)?);
    if key.is_empty() {
        return Err(TotpError::EmptySecret);
    }
    hotp(&key, unix_seconds / STEP_SECONDS, 6)
}

/// RFC 4226 HOTP with HMAC-SHA1 over a raw key; `digits` in 1..=9.
///
/// Public so the RFC 6238 8-digit vectors can be checked as published.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> Result<String, TotpError> {
    if !(1..=9).contains(&digits) {
        return Err(TotpError::InvalidDigits);
    }
    let digest = hmac::<Hmac<Sha1>>(key, &[&counter.to_be_bytes()]);
    // RFC 4226 dynamic truncation: the low nibble of the last (20th) byte picks 4 bytes.
    let offset = usize::from(digest[19] & 0x0f);
    let word = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    let mut value = (word & 0x7fff_ffff) % 10u32.pow(digits);
    // Zero-padded decimal by hand: `format!` would pull the formatting machinery into the wasm.
    let mut code = [b'0'; 9];
    for d in code[..digits as usize].iter_mut().rev() {
        *d = b'0' + (value % 10) as u8;
        value /= 10;
    }
    Ok(code[..digits as usize].iter().map(|&b| char::from(b)).collect())
}

/// Decodes RFC 4648 base32: case-insensitive, spaces ignored, `=` padding optional (but if present, complete).
pub fn base32_decode(s: &str) -> Result<Vec<u8>, TotpError> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let mut acc: u64 = 0;
    let mut bits = 0u32;
    let mut symbols = 0usize;
    let mut padding = 0usize;
    for c in s.chars() {
        if c == ' ' {
            continue;
        }
        if c == '=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            // Data after padding.
            return Err(TotpError::InvalidBase32Length);
        }
        let v = match c {
            'A'..='Z' => c as u64 - 'A' as u64,
            'a'..='z' => c as u64 - 'a' as u64,
            '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return Err(TotpError::InvalidBase32Char(c)),
        };
        acc = (acc << 5) | v;
        bits += 5;
        symbols += 1;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    zeroize::Zeroize::zeroize(&mut acc);
    // A final group of 1, 3 or 6 symbols cannot encode whole bytes.
    if matches!(symbols % 8, 1 | 3 | 6) {
        return Err(TotpError::InvalidBase32Length);
    }
    if padding > 0 && !(symbols + padding).is_multiple_of(8) {
        return Err(TotpError::InvalidBase32Length);
    }
    Ok(out)
}

/// Canonical form of a base32 secret for display and key URIs: spaces and padding removed, uppercase.
/// Validates it first.
pub fn normalize_base32(s: &str) -> Result<String, TotpError> {
    let bytes = Zeroizing::new(base32_decode(s)?);
    if bytes.is_empty() {
        return Err(TotpError::EmptySecret);
    }
    Ok(s.chars().filter(|c| *c != ' ' && *c != '=').map(|c| c.to_ascii_uppercase()).collect())
}
