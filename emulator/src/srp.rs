//! The server half of Cognito's SRP-6a dialect, written from the server equations only:
//! v = g^x, B = k·v + g^b, S = (A·v^u)^b, key = HKDF(padHex(u), padHex(S), "Caldera Derived Key").
//! It shares no code with the client crate so that a mistake cannot hide on both sides.
//!
//! The group arithmetic is the RustCrypto `srp` crate's (`Server::compute_b_pub`, `compute_premaster_secret`, on
//! crypto-bigint's constant-time Montgomery forms), over Cognito's group: RFC 3526's 3072-bit N with g = 2 (the
//! crate's own G3072 has g = 5). Everything Cognito does differently from RFC 5054 is computed here and handed
//! in: k = H(padHex(N) ‖ padHex(g)), u = H(padHex(A) ‖ padHex(B)) and x with Java-style sign padding rather than
//! padding to the length of N, and the HKDF key and HMAC signature instead of RFC 5054's H(S) and M1.
//!
//! Integers cross this module's API as big-endian bytes (leading zero bytes do not matter).

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use srp::bigint::modular::{ConstMontyForm, ConstMontyParams};
use srp::bigint::{BoxedUint, U3072, const_monty_params};
use srp::{Client, Group, Server};
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// RFC 3526 group 15 (3072-bit MODP), the group Cognito uses with g = 2.
pub(crate) const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

const_monty_params!(CognitoGroup, U3072, N_HEX, "Cognito's SRP group: RFC 3526's 3072-bit N, with g = 2.");

impl Group for CognitoGroup {
    type Element = ConstMontyForm<Self, { U3072::LIMBS }>;
    const G: Self::Element = ConstMontyForm::new(&U3072::from_u8(2));
}

/// The crate's server over Cognito's group. Its digest parameter is only used by `process_reply` (RFC 5054's
/// proofs), which Cognito's dialect does not use.
fn server() -> Server<CognitoGroup, Sha256> {
    Server::new()
}

fn int(be: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(be)
}

/// Big-endian bytes without leading zeros (zero is empty).
fn trimmed(n: &BoxedUint) -> Vec<u8> {
    n.to_be_bytes_trimmed_vartime().into_vec()
}

/// x mod N, for an integer of any length (a client may send an A longer than N; the crate's Montgomery
/// conversion would cut it to N's width instead of reducing it).
fn reduce(x: &[u8]) -> BoxedUint {
    BoxedUint::from(int(x).rem(CognitoGroup::PARAMS.modulus().as_nz_ref()))
}

/// The modulus N, big-endian.
pub fn modulus() -> Vec<u8> {
    trimmed(&BoxedUint::from(CognitoGroup::PARAMS.modulus()))
}

/// The multiplier k = H(padHex(N) ‖ padHex(g)) (not RFC 5054's k = H(N ‖ PAD(g))).
pub fn multiplier() -> &'static [u8; 32] {
    static K: OnceLock<[u8; 32]> = OnceLock::new();
    K.get_or_init(|| hash(&[&pad(&modulus()), &pad(&[2])]))
}

/// The bytes of Cognito's `padHex`: the big-endian magnitude without leading zeros, with a 0x00 in front when the
/// top bit is set (Java `BigInteger.toByteArray`), so the value always reads as non-negative; zero is one 0x00.
pub fn pad(n: &[u8]) -> Vec<u8> {
    let digits = &n[n.iter().position(|&b| b != 0).unwrap_or(n.len())..];
    let mut bytes = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|b| b & 0x80 != 0) {
        bytes.push(0);
    }
    bytes.extend_from_slice(digits);
    bytes
}

fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// The pool name used inside SRP: the pool id after the underscore.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// x = H(padHex(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)).
fn private_x(pool_id: &str, username: &str, password: &str, salt: &[u8]) -> [u8; 32] {
    let inner = hash(&[pool_name(pool_id).as_bytes(), username.as_bytes(), b":", password.as_bytes()]);
    // The salt travels as hex and is read back as an integer, so leading zero bytes do not count (`pad`).
    hash(&[&pad(salt), &inner])
}

/// The verifier v = g^x mod N stored for a user (the crate's `compute_g_x`, which is what its
/// `compute_verifier` raises; Cognito's x is computed above).
pub fn verifier(pool_id: &str, username: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let x = private_x(pool_id, username, password, salt);
    trimmed(&Client::<CognitoGroup, Sha256>::new().compute_g_x(&int(&x)))
}

/// B = (k·v + g^b) mod N.
pub fn server_public(v: &[u8], b: &[u8]) -> Vec<u8> {
    trimmed(&server().compute_b_pub(&int(b), &int(multiplier()), &reduce(v)))
}

/// Why a password claim was refused; all of them map to the same client-visible error.
#[derive(Debug, PartialEq, Eq)]
pub enum SrpError {
    /// A ≡ 0 (mod N), which would let a client force S = 0.
    IllegalA,
    /// u = 0 (cannot happen with a sane hash, refused anyway).
    IllegalU,
    /// The signature did not match.
    BadSignature,
}

/// Everything the server needs to check a PASSWORD_CLAIM_SIGNATURE (integers big-endian). The same claim signs
/// a user's password (realm = the pool name, user = USER_ID_FOR_SRP) and a device (realm = the DeviceGroupKey,
/// user = the DeviceKey).
pub struct Claim<'a> {
    /// [`pool_name`] of the pool, or the DeviceGroupKey.
    pub realm: &'a str,
    pub username: &'a str,
    pub a: &'a [u8],
    pub b: &'a [u8],
    pub big_b: &'a [u8],
    pub v: &'a [u8],
    pub secret_block: &'a [u8],
    pub timestamp: &'a str,
    pub signature: &'a [u8],
}

/// Refuses an A that is 0 mod N (the crate checks this only inside `process_reply`, RFC 5054's flow).
pub fn check_a(a: &[u8]) -> Result<(), SrpError> {
    if bool::from(reduce(a).is_zero()) { Err(SrpError::IllegalA) } else { Ok(()) }
}

/// u = H(padHex(A) ‖ padHex(B)), over A and B as sent (not reduced), as the SDKs hash them.
pub fn scramble(a: &[u8], big_b: &[u8]) -> [u8; 32] {
    hash(&[&pad(a), &pad(big_b)])
}

/// key = HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key"), 16 bytes.
pub fn derive_key(u: &[u8], s: &[u8]) -> [u8; 16] {
    let hk = Hkdf::<Sha256>::new(Some(&pad(u)), &pad(s));
    let mut key = [0u8; 16];
    // 16 bytes is far below HKDF's 255·32 limit, so expand cannot fail; the key stays zero if it did.
    let _ = hk.expand(b"Caldera Derived Key", &mut key);
    key
}

/// The 16-byte session key: S = (A·v^u)^b mod N (the crate's `compute_premaster_secret`), then HKDF-SHA256.
pub fn session_key(a: &[u8], big_b: &[u8], b: &[u8], v: &[u8]) -> Result<[u8; 16], SrpError> {
    check_a(a)?;
    let u = scramble(a, big_b);
    if u.iter().all(|&byte| byte == 0) {
        return Err(SrpError::IllegalU);
    }
    let s = server().compute_premaster_secret(&reduce(a), &reduce(v), &int(&u), &int(b));
    Ok(derive_key(&u, &trimmed(&s)))
}

/// HMAC-SHA256(key, realm ‖ user ‖ SECRET_BLOCK bytes ‖ TIMESTAMP): realm ‖ user is poolName ‖ USER_ID_FOR_SRP
/// for a password, DeviceGroupKey ‖ DeviceKey for a device.
pub fn claim_signature(key: &[u8; 16], realm: &str, username: &str, secret_block: &[u8], timestamp: &str) -> [u8; 32] {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(realm.as_bytes());
    mac.update(username.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Verifies the client's signature in constant time.
pub fn verify_claim(c: &Claim<'_>) -> Result<(), SrpError> {
    let key = session_key(c.a, c.big_b, c.b, c.v)?;
    let expected = claim_signature(&key, c.realm, c.username, c.secret_block, c.timestamp);
    if expected.len() == c.signature.len() && bool::from(expected.as_slice().ct_eq(c.signature)) {
        Ok(())
    } else {
        Err(SrpError::BadSignature)
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Checks the TIMESTAMP shape Cognito insists on: `Tue Jun 3 07:05:06 UTC 2025`, day not zero-padded,
/// weekday consistent with the date. Returns the Unix time it names.
pub fn parse_timestamp(ts: &str) -> Option<i64> {
    let parts: Vec<&str> = ts.split(' ').collect();
    let [wd, mon, day, hms, utc, year] = parts.as_slice() else {
        return None;
    };
    if *utc != "UTC" || day.starts_with('0') || day.is_empty() || day.len() > 2 {
        return None;
    }
    let m = MONTHS.iter().position(|x| x == mon)? as i64 + 1;
    let d: i64 = digits(day)?;
    let y: i64 = if year.len() == 4 { digits(year)? } else { return None };
    let hms: Vec<&str> = hms.split(':').collect();
    let [hh, mm, ss] = hms.as_slice() else {
        return None;
    };
    if hh.len() != 2 || mm.len() != 2 || ss.len() != 2 {
        return None;
    }
    let (hh, mm, ss): (i64, i64, i64) = (digits(hh)?, digits(mm)?, digits(ss)?);
    let month_len = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d < 1 || d > month_len || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let weekday = (days + 4).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
    if DAYS.get(weekday) != Some(wd) {
        return None;
    }
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

fn digits(s: &str) -> Option<i64> {
    if s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

/// Formats a Unix time the way the clients do (used by tests and for symmetry checks).
pub fn format_timestamp(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = DAYS.get((days + 4).rem_euclid(7) as usize).copied().unwrap_or("Sun");
    let mon = MONTHS.get((m - 1) as usize).copied().unwrap_or("Jan");
    format!("{wd} {mon} {d} {:02}:{:02}:{:02} UTC {y}", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn k_is_hash_of_padded_n_and_g() {
        let mut bytes = vec![0u8];
        bytes.extend(modulus());
        bytes.push(2);
        assert_eq!(multiplier().as_slice(), Sha256::digest(&bytes).as_slice());
        assert_eq!(modulus().len(), 384);
        assert_eq!(modulus()[0], 0xff);
        // The value amazon-cognito-identity-js prints for k.
        let k: String = multiplier().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(k, "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    }

    #[test]
    fn pad_follows_java_sign_rule() {
        assert_eq!(pad(&[0x7f]), vec![0x7f]);
        assert_eq!(pad(&[0x80]), vec![0x00, 0x80]);
        assert_eq!(pad(&[0x00, 0x00, 0x80]), vec![0x00, 0x80]);
        assert_eq!(pad(&[0x00, 0x01, 0x00]), vec![0x01, 0x00]);
        assert_eq!(pad(&[0]), vec![0]);
        assert_eq!(pad(&[]), vec![0]);
    }

    #[test]
    fn the_group_is_n_with_g_two() {
        // g^1 = 2, and g^(N−1) = 1 (Fermat, N prime).
        let client = Client::<CognitoGroup, Sha256>::new();
        assert_eq!(trimmed(&client.compute_g_x(&int(&[1]))), vec![2]);
        let mut n_minus_1 = modulus();
        *n_minus_1.last_mut().unwrap() -= 1;
        assert_eq!(trimmed(&client.compute_g_x(&int(&n_minus_1))), vec![1]);
    }

    #[test]
    fn values_at_or_above_n_are_reduced_not_cut() {
        // num-bigint (a dev-dependency) as the reference: N, N + 2, 2^3072 + 2 and 5N + 7 (both longer than N).
        use num_bigint::BigUint;
        let n = BigUint::from_bytes_be(&modulus());
        let above: BigUint = (BigUint::from(1u32) << 3072u32) + 2u32;
        for x in [n.clone(), &n + 2u32, above.clone(), &n * 5u32 + 7u32] {
            assert_eq!(BigUint::from_bytes_be(&trimmed(&reduce(&x.to_bytes_be()))), &x % &n, "{} bits", x.bits());
        }
        // So an A above N gives the S of A mod N: (A·v^u)^b with v = 4, u = 1, b = 3.
        let s = server().compute_premaster_secret(&reduce(&above.to_bytes_be()), &int(&[4]), &int(&[1]), &int(&[3]));
        let expected = (&above % &n * 4u32 % &n).modpow(&BigUint::from(3u32), &n);
        assert_eq!(trimmed(&s), expected.to_bytes_be());
    }

    #[test]
    fn timestamps() {
        assert_eq!(format_timestamp(1_748_934_306), "Tue Jun 3 07:05:06 UTC 2025");
        assert_eq!(parse_timestamp("Tue Jun 3 07:05:06 UTC 2025"), Some(1_748_934_306));
        assert_eq!(parse_timestamp("Tue Jun 03 07:05:06 UTC 2025"), None);
        assert_eq!(parse_timestamp("Wed Jun 3 07:05:06 UTC 2025"), None);
        assert_eq!(parse_timestamp("Tue Jun 3 07:05:06 GMT 2025"), None);
        assert_eq!(parse_timestamp("Thu Feb 29 00:00:00 UTC 2024"), Some(1_709_164_800));
        assert_eq!(parse_timestamp("Sat Feb 29 00:00:00 UTC 2025"), None);
        for t in [0i64, 951_782_400, 1_709_164_800, 4_102_444_799] {
            assert_eq!(parse_timestamp(&format_timestamp(t)), Some(t));
        }
    }

    #[test]
    fn zero_a_refused() {
        assert_eq!(check_a(&[]), Err(SrpError::IllegalA));
        assert_eq!(check_a(&[0, 0]), Err(SrpError::IllegalA));
        assert_eq!(check_a(&modulus()), Err(SrpError::IllegalA));
        // 3N, longer than N: reduced, not cut to N's width.
        let three_n = (num_bigint::BigUint::from_bytes_be(&modulus()) * 3u32).to_bytes_be();
        assert_eq!(three_n.len(), 385);
        assert_eq!(check_a(&three_n), Err(SrpError::IllegalA));
        assert!(check_a(&[2]).is_ok());
    }
}
