//! The server half of Cognito's SRP-6a dialect, written from the server equations only:
//! v = g^x, B = k·v + g^b, S = (A·v^u)^b, key = HKDF(padHex(u), padHex(S), "Caldera Derived Key").
//! It shares no code with the client crate so that a mistake cannot hide on both sides.

use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};
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

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // The constant is a fixed literal, so parsing cannot fail; fall back to zero rather than panic.
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = hash_int(&[&pad(&n), &pad(&g)]);
        Group { n, g, k }
    })
}

/// The modulus N.
pub fn modulus() -> &'static BigUint {
    &group().n
}

/// The generator g (2).
pub fn generator() -> &'static BigUint {
    &group().g
}

/// The multiplier k = H(padHex(N) ‖ padHex(g)).
pub fn multiplier() -> &'static BigUint {
    &group().k
}

/// The bytes of Cognito's `padHex`: big-endian magnitude, with a 0x00 in front when the top bit is set
/// (Java `BigInteger.toByteArray`), so the value always reads as non-negative.
pub fn pad(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hash_int(parts: &[&[u8]]) -> BigUint {
    BigUint::from_bytes_be(&hash(parts))
}

/// The pool name used inside SRP: the pool id after the underscore.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// x = H(padHex(salt) ‖ H(poolName ‖ username ‖ ":" ‖ password)).
fn private_x(pool_id: &str, username: &str, password: &str, salt: &[u8]) -> BigUint {
    let inner = hash(&[pool_name(pool_id).as_bytes(), username.as_bytes(), b":", password.as_bytes()]);
    // The salt travels as hex and is read back as an integer, so leading zero bytes do not count.
    let salt_int = BigUint::from_bytes_be(salt);
    hash_int(&[&pad(&salt_int), &inner])
}

/// The verifier v = g^x mod N stored for a user.
pub fn verifier(pool_id: &str, username: &str, password: &str, salt: &[u8]) -> BigUint {
    let g = group();
    g.g.modpow(&private_x(pool_id, username, password, salt), &g.n)
}

/// B = (k·v + g^b) mod N.
pub fn server_public(v: &BigUint, b: &BigUint) -> BigUint {
    let g = group();
    (&g.k * v + g.g.modpow(b, &g.n)) % &g.n
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

/// Everything the server needs to check a PASSWORD_CLAIM_SIGNATURE.
pub struct Claim<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    pub a: &'a BigUint,
    pub b: &'a BigUint,
    pub big_b: &'a BigUint,
    pub v: &'a BigUint,
    pub secret_block: &'a [u8],
    pub timestamp: &'a str,
    pub signature: &'a [u8],
}

/// Refuses an A that is 0 mod N.
pub fn check_a(a: &BigUint) -> Result<(), SrpError> {
    if (a % modulus()).is_zero() { Err(SrpError::IllegalA) } else { Ok(()) }
}

/// u = H(padHex(A) ‖ padHex(B)).
pub fn scramble(a: &BigUint, big_b: &BigUint) -> BigUint {
    hash_int(&[&pad(a), &pad(big_b)])
}

/// key = HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key"), 16 bytes.
pub fn derive_key(u: &BigUint, s: &BigUint) -> [u8; 16] {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(&pad(u)), &pad(s));
    let mut key = [0u8; 16];
    // 16 bytes is far below HKDF's 255·32 limit, so expand cannot fail; the key stays zero if it did.
    let _ = hk.expand(b"Caldera Derived Key", &mut key);
    key
}

/// The 16-byte session key: S = (A·v^u)^b mod N, then HKDF-SHA256.
pub fn session_key(a: &BigUint, big_b: &BigUint, b: &BigUint, v: &BigUint) -> Result<[u8; 16], SrpError> {
    check_a(a)?;
    let g = group();
    let u = scramble(a, big_b);
    if u.is_zero() {
        return Err(SrpError::IllegalU);
    }
    let s = ((a % &g.n) * v.modpow(&u, &g.n) % &g.n).modpow(b, &g.n);
    Ok(derive_key(&u, &s))
}

/// HMAC-SHA256(key, poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK bytes ‖ TIMESTAMP).
pub fn claim_signature(
    key: &[u8; 16],
    pool_id: &str,
    username: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(pool_name(pool_id).as_bytes());
    mac.update(username.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Verifies the client's signature in constant time.
pub fn verify_claim(c: &Claim<'_>) -> Result<(), SrpError> {
    let key = session_key(c.a, c.big_b, c.b, c.v)?;
    let expected = claim_signature(&key, c.pool_id, c.username, c.secret_block, c.timestamp);
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
        bytes.extend(modulus().to_bytes_be());
        bytes.push(2);
        assert_eq!(*multiplier(), BigUint::from_bytes_be(&Sha256::digest(&bytes)));
        assert_eq!(modulus().bits(), 3072);
    }

    #[test]
    fn pad_follows_java_sign_rule() {
        assert_eq!(pad(&BigUint::from(0x7fu32)), vec![0x7f]);
        assert_eq!(pad(&BigUint::from(0x80u32)), vec![0x00, 0x80]);
        assert_eq!(pad(&BigUint::from(0u32)), vec![0]);
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
        assert_eq!(check_a(&BigUint::zero()), Err(SrpError::IllegalA));
        assert_eq!(check_a(modulus()), Err(SrpError::IllegalA));
        assert_eq!(check_a(&(modulus() * 3u32)), Err(SrpError::IllegalA));
        assert!(check_a(&BigUint::from(2u32)).is_ok());
    }
}
