//! RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30-second step) and RFC 4648 base32, the emulator's own copy.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 without padding (what Cognito's SecretCode looks like).
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in data {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Lenient base32 decoding: case-insensitive, ignores spaces and `=` padding.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        if c == b' ' || c == b'=' {
            continue;
        }
        let upper = c.to_ascii_uppercase();
        let value = ALPHABET.iter().position(|&a| a == upper)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The HOTP value for one counter, as a zero-padded 6-digit string.
pub fn hotp(key: &[u8], counter: u64) -> String {
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bin = (u32::from(digest[offset] & 0x7f) << 24)
        | (u32::from(digest[offset + 1]) << 16)
        | (u32::from(digest[offset + 2]) << 8)
        | u32::from(digest[offset + 3]);
    format!("{:06}", bin % 1_000_000)
}

/// The 30-second step containing `unix`.
pub fn step(unix: i64) -> u64 {
    u64::try_from(unix.max(0)).unwrap_or(0) / 30
}

/// The code for a base32 secret at a Unix time (tests and the dev tooling use it).
pub fn code_at(secret_b32: &str, unix: i64) -> Option<String> {
    Some(hotp(&base32_decode(secret_b32)?, step(unix)))
}

/// Checks `code` against the steps t−1, t, t+1 and returns the step it matched, refusing any step at or
/// before `last_used` (a code is good once).
pub fn verify(secret_b32: &str, code: &str, unix: i64, last_used: Option<u64>) -> Option<u64> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let key = base32_decode(secret_b32)?;
    let now = step(unix);
    let mut matched = None;
    for s in [now.saturating_sub(1), now, now + 1] {
        // Compare every candidate so timing does not say which window matched.
        let ok = bool::from(hotp(&key, s).as_bytes().ct_eq(code.as_bytes()));
        if ok && matched.is_none() && last_used.is_none_or(|l| s > l) {
            matched = Some(s);
        }
    }
    matched
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        // Appendix B, truncated to 6 digits.
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(hotp(key, step(t)), code, "t={t}");
        }
    }

    #[test]
    fn base32_round_trip() {
        assert_eq!(base32_encode(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode("gezdgnbvgy3tqojqgezdgnbvgy3tqojq").unwrap(), b"12345678901234567890");
        assert_eq!(base32_decode("JBSWY3DPEHPK3PXP").unwrap(), b"Hello!\xde\xad\xbe\xef");
        assert!(base32_decode("ABC1").is_none());
    }

    #[test]
    fn window_and_reuse() {
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let t = 1_111_111_111;
        let code = code_at(secret, t).unwrap();
        assert_eq!(verify(secret, &code, t, None), Some(step(t)));
        assert_eq!(verify(secret, &code, t + 30, None), Some(step(t)));
        assert_eq!(verify(secret, &code, t - 30, None), Some(step(t)));
        assert_eq!(verify(secret, &code, t + 60, None), None);
        assert_eq!(verify(secret, &code, t, Some(step(t))), None);
        assert_eq!(verify(secret, "12345", t, None), None);
    }
}
