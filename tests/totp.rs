//! RFC 6238 TOTP (Appendix B vectors as data) and RFC 4648 base32.
// Native only: the browser runs the same checks in tests/browser_unit.rs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::totp::{TotpError, base32_decode, hotp, normalize_base32, totp_code};
use miniserde::{Deserialize, json};

#[derive(Deserialize)]
struct Rfc6238 {
    #[serde(rename = "seedAscii")]
    seed_ascii: String,
    #[serde(rename = "seedBase32")]
    seed_base32: String,
    digits: u32,
    step: u64,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    time: u64,
    #[serde(rename = "counterHex")]
    counter_hex: String,
    totp: String,
}

fn rfc() -> Rfc6238 {
    json::from_str(include_str!("vectors/rfc6238.json")).unwrap()
}

#[test]
fn rfc6238_appendix_b_sha1_eight_digits() {
    let rfc = rfc();
    assert_eq!(rfc.vectors.len(), 6);
    for v in &rfc.vectors {
        let counter = u64::from_str_radix(&v.counter_hex, 16).unwrap();
        assert_eq!(counter, v.time / rfc.step, "T for {}", v.time);
        assert_eq!(hotp(rfc.seed_ascii.as_bytes(), counter, rfc.digits).unwrap(), v.totp, "time {}", v.time);
    }
}

#[test]
fn rfc6238_appendix_b_six_digit_truncation() {
    let rfc = rfc();
    assert_eq!(base32_decode(&rfc.seed_base32).unwrap(), rfc.seed_ascii.as_bytes());
    for v in &rfc.vectors {
        // Both truncations take the same 31-bit value mod 10^d, so the 6-digit code is the 8-digit one's tail.
        assert_eq!(totp_code(&rfc.seed_base32, v.time).unwrap(), v.totp[2..], "time {}", v.time);
    }
}

#[test]
fn rfc4226_appendix_d_hotp_values() {
    // RFC 4226 Appendix D: the ASCII key "12345678901234567890", counters 0 to 9, 6 digits.
    let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    for (counter, code) in expected.iter().enumerate() {
        assert_eq!(hotp(b"12345678901234567890", counter as u64, 6).unwrap(), *code, "counter {counter}");
    }
}

#[test]
fn codes_change_exactly_at_step_boundaries() {
    let s = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(totp_code(s, 0).unwrap(), totp_code(s, 29).unwrap());
    assert_ne!(totp_code(s, 29).unwrap(), totp_code(s, 30).unwrap());
    assert_eq!(totp_code(s, 30).unwrap(), totp_code(s, 59).unwrap());
    // Leading zeros are kept: six characters always.
    assert_eq!(totp_code(s, 1111111109).unwrap(), "081804");
}

#[test]
fn secret_spelling_does_not_change_the_code() {
    let canonical = totp_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1_700_000_000).unwrap();
    for spelling in [
        "jbswy3dpehpk3pxpjbswy3dpehpk3pxp",
        "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ] {
        assert_eq!(totp_code(spelling, 1_700_000_000).unwrap(), canonical, "{spelling}");
    }
}

#[test]
fn base32_rfc4648_test_vectors() {
    let cases: [(&str, &str, &str); 7] = [
        ("", "", ""),
        ("f", "MY======", "MY"),
        ("fo", "MZXQ====", "MZXQ"),
        ("foo", "MZXW6===", "MZXW6"),
        ("foob", "MZXW6YQ=", "MZXW6YQ"),
        ("fooba", "MZXW6YTB", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======", "MZXW6YTBOI"),
    ];
    for (plain, padded, unpadded) in cases {
        assert_eq!(base32_decode(padded).unwrap(), plain.as_bytes(), "{padded}");
        assert_eq!(base32_decode(unpadded).unwrap(), plain.as_bytes(), "{unpadded}");
        assert_eq!(base32_decode(&padded.to_lowercase()).unwrap(), plain.as_bytes(), "lowercase {padded}");
    }
    assert_eq!(base32_decode(" MZXW 6YTB OI ").unwrap(), b"foobar");
    // The digits 2-7 are values 26-31: "77777777" is five 0xff bytes.
    assert_eq!(base32_decode("77777777").unwrap(), [0xff; 5]);
    assert_eq!(base32_decode("AAAAAAAA").unwrap(), [0x00; 5]);
}

#[test]
fn base32_rejects_what_is_not_base32() {
    for bad in ['0', '1', '8', '9', '-', '+', '/', 'é'] {
        let s = format!("MZXW{bad}YTB");
        assert_eq!(base32_decode(&s), Err(TotpError::InvalidBase32Char(bad)), "{s}");
    }
    // 1, 3 or 6 symbols in the last group cannot encode whole bytes.
    for bad in ["M", "MZX", "MZXW6Y", "MZXW6YTBM"] {
        assert_eq!(base32_decode(bad), Err(TotpError::InvalidBase32Length), "{bad}");
    }
    // Padding, when present, must be complete and last.
    assert_eq!(base32_decode("MY="), Err(TotpError::InvalidBase32Length));
    assert_eq!(base32_decode("MY==A==="), Err(TotpError::InvalidBase32Length));
    assert_eq!(base32_decode("MY=======").unwrap_err(), TotpError::InvalidBase32Length);
}

#[test]
fn empty_or_invalid_secrets_give_errors_not_codes() {
    assert_eq!(totp_code("", 59), Err(TotpError::EmptySecret));
    assert_eq!(totp_code("   ", 59), Err(TotpError::EmptySecret));
    assert_eq!(totp_code("not base32!", 59), Err(TotpError::InvalidBase32Char('!')));
    assert_eq!(hotp(b"k", 1, 0), Err(TotpError::InvalidDigits));
    assert_eq!(hotp(b"k", 1, 10), Err(TotpError::InvalidDigits));
}

#[test]
fn normalised_secret_is_uppercase_without_spaces_or_padding() {
    assert_eq!(normalize_base32("mzxw 6ytb oi======").unwrap(), "MZXW6YTBOI");
    assert_eq!(normalize_base32(""), Err(TotpError::EmptySecret));
    assert_eq!(normalize_base32("MZX1"), Err(TotpError::InvalidBase32Char('1')));
}
