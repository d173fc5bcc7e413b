//! Cognito's SRP-6a dialect (client half), exactly as `../shared/COGNITO.md` describes it.
//!
//! | step | value |
//! |---|---|
//! | group | N = RFC 3526 group 15 (3072-bit), g = 2 |
//! | k | H(padHex(N) ‖ padHex(g)) |
//! | A | g^a mod N, `a` = 128 caller-supplied random bytes |
//! | u | H(padHex(A) ‖ padHex(B)) |
//! | x | H(padHex(salt) ‖ H(poolName ‖ USER_ID_FOR_SRP ‖ ":" ‖ password)) |
//! | S | (B − k·g^x)^(a + u·x) mod N |
//! | key | HKDF-SHA256(salt = padHex(u), ikm = padHex(S), info = "Caldera Derived Key", 16 bytes) |
//! | signature | base64 HMAC-SHA256(key, poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK bytes ‖ TIMESTAMP) |
//!
//! Integers are fixed-size little-endian byte arrays (384 bytes below N). Every exponentiation whose exponent
//! depends on a secret (`a`, `x`, `a + u·x`) runs in [`cognito_totp_mont`] (Montgomery form, 28-bit limbs,
//! fixed windows whose table reads are constant-time, a step count that depends only on the public bit bound).
//! The fixed-base powers g^a and g^x split the exponent into chunks raised to g^(2^(32·i)), whose window tables
//! are built once, at the first key (`group`), so the chunks share one chain of squarings and no table is built
//! per sign-in. The little arithmetic around them — B − k·g^x mod N
//! and a + u·x — is branch-free schoolbook code here. Only lengths leak, and those the protocol itself exposes
//! (padHex strips leading zeros). crypto-bigint checks all of it in the tests; the wasm does not carry it.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use base64ct::{Base64, Encoding};
use cognito_totp_mont::{BYTES, Modulus, Table};
use hkdf::Hkdf;
use hmac::Hmac;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::core::hmac;
use crate::core::secret::Password;

/// N as 768 lowercase hex digits (public: tests and tools compare against it).
pub const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd",
    "ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f",
    "83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510",
    "15728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200c",
    "bbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

/// An integer below 2^3072, little-endian.
type Int = [u8; BYTES];

/// Hex (big-endian, lowercase, at most `2·L` digits) to little-endian bytes, at compile time: the constants below
/// are stored once, in the form the arithmetic reads. Unit tests recompute every one of them.
const fn le_from_hex<const L: usize>(hex: &str) -> [u8; L] {
    let h = hex.as_bytes();
    let mut out = [0u8; L];
    let mut i = 0;
    while i < h.len() {
        let c = h[h.len() - 1 - i];
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => 0,
        };
        out[i / 2] |= v << (4 * (i % 2));
        i += 1;
    }
    out
}

const N: Int = le_from_hex(N_HEX);

/// k = H(padHex(N) ‖ padHex(g)) = H(0x00 ‖ N ‖ 0x02): a constant of the group (the unit test
/// `k_matches_the_published_cognito_value` recomputes it).
const K: Int = le_from_hex(K_HEX);
const K_HEX: &str = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";

/// `a` is 1024 bits, `u·x` at most 512: `a + u·x` needs at most 1025 bits, so the exponent is never reduced and
/// the ladder runs a fixed 1025 steps whatever its value.
const EXPONENT_BITS: u32 = 1025;

/// Why an SRP step failed. All of these are protocol errors (bad server data or bad caller input).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A hex field (named: `"SALT"`, `"SRP_B"`) is empty, not hex, or longer than N.
    InvalidHex(&'static str),
    /// SECRET_BLOCK is not valid base64.
    InvalidBase64,
    /// The server's B is 0 mod N.
    BadServerB,
    /// u = H(A ‖ B) is zero.
    ZeroU,
    /// The pool id is not `region_Name`, or the pool name is not non-empty ASCII alphanumerics.
    InvalidPoolName,
    /// The caller's random `a` is zero (so A = 1 and the session key would not depend on it).
    BadRandom,
    /// A device key or group key is empty.
    InvalidDevice,
    /// HKDF refused to expand the key. Cannot happen for Cognito's 16 bytes (HKDF-SHA256 gives up to 8160); an
    /// error rather than a panic because the wasm must not trap.
    KeyDerivation,
}

impl SrpError {
    /// A fixed English sentence (no formatting, so the wasm build links no `core::fmt`): the text the protocol
    /// layer puts after `SRP: ` in its `ProtocolError`.
    pub fn message(&self) -> &'static str {
        match self {
            SrpError::InvalidHex("SALT") => "invalid hex in SALT",
            SrpError::InvalidHex("SRP_B") => "invalid hex in SRP_B",
            SrpError::InvalidHex(_) => "invalid hex",
            SrpError::InvalidBase64 => "SECRET_BLOCK is not valid base64",
            SrpError::BadServerB => "server sent SRP_B = 0 mod N",
            SrpError::ZeroU => "SRP scrambling parameter u is zero",
            SrpError::InvalidPoolName => "malformed user pool id",
            SrpError::BadRandom => "random SRP exponent is unusable",
            SrpError::InvalidDevice => "the device has no key or group key",
            SrpError::KeyDerivation => "SRP key derivation failed",
        }
    }
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for SrpError {}

/// The client's ephemeral SRP state for one sign-in: the secret `a` (wiped on drop) and the public A.
pub struct SrpClient {
    /// `a`, little-endian.
    a: Zeroizing<[u8; 128]>,
    /// A = g^a mod N, little-endian.
    big_a: Int,
}

impl fmt::Debug for SrpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpClient").field("a", &"<redacted>").field("A", &self.a_hex()).finish()
    }
}

/// The intermediate values of one password claim, in the SDK's hex notation (`BigInteger.toString(16)`; the key
/// as 32 hex digits). For known-answer tests only: x, S and key are secrets, so Debug redacts them and the strings
/// are wiped on drop.
#[doc(hidden)]
pub struct SrpIntermediates {
    pub x_hex: String,
    pub u_hex: String,
    pub s_hex: String,
    pub key_hex: String,
}

impl Drop for SrpIntermediates {
    fn drop(&mut self) {
        self.x_hex.zeroize();
        self.s_hex.zeroize();
        self.key_hex.zeroize();
    }
}

impl fmt::Debug for SrpIntermediates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpIntermediates")
            .field("x", &"<redacted>")
            .field("u", &self.u_hex)
            .field("S", &"<redacted>")
            .field("key", &"<redacted>")
            .finish()
    }
}

/// What the claim is derived from (little-endian); secrets wiped on drop.
struct Derived {
    x: Zeroizing<[u8; 32]>,
    u: [u8; 32],
    s: Zeroizing<Int>,
    key: Zeroizing<[u8; 16]>,
}

impl SrpClient {
    /// `a_bytes`: 128 random bytes from the caller (tests pass fixed ones), read big-endian as the SDK does.
    /// Computes A = g^a mod N.
    ///
    /// `a` is used as is (1024 bits < N, so no reduction is needed, as in the SDK). All-zero bytes are refused.
    pub fn new(a_bytes: &[u8; 128]) -> Result<SrpClient, SrpError> {
        let mut a = Zeroizing::new(*a_bytes);
        a.reverse();
        if is_zero(&*a) {
            return Err(SrpError::BadRandom);
        }
        let big_a = pow_g_1024(&a);
        // Cannot happen for a prime N and g ≠ 0; checked because a zero A would let anyone compute S.
        if is_zero(&big_a) {
            return Err(SrpError::BadRandom);
        }
        Ok(SrpClient { a, big_a })
    }

    /// SRP_A as the SDK sends it: lowercase hex without a leading zero nibble.
    pub fn a_hex(&self) -> String {
        min_hex(&self.big_a)
    }

    /// Answers PASSWORD_VERIFIER with PASSWORD_CLAIM_SIGNATURE (base64). `pool_name` is the part of the pool id
    /// after `_` ([`pool_name`]); `timestamp` the string from [`crate::core::timestamp::cognito_timestamp`], which
    /// the caller sends back verbatim as TIMESTAMP (and SECRET_BLOCK as PASSWORD_CLAIM_SECRET_BLOCK).
    #[allow(clippy::too_many_arguments)]
    pub fn password_claim(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        if !valid_pool_name(pool_name) {
            return Err(SrpError::InvalidPoolName);
        }
        self.claim_and_derived(pool_name, user_id_for_srp, password, salt_hex, srp_b_hex, secret_block_b64, timestamp)
            .map(|(claim, _)| claim)
    }

    /// Answers DEVICE_PASSWORD_VERIFIER: the same proof with the DeviceGroupKey in place of the pool name, the
    /// DeviceKey in place of the user and the device's password (amazon-cognito-identity-js `getDeviceResponse`:
    /// an `AuthenticationHelper` built on the DeviceGroupKey, `getPasswordAuthenticationKey(deviceKey,
    /// randomPassword, B, salt)`, the signature over DeviceGroupKey ‖ DeviceKey ‖ SECRET_BLOCK ‖ TIMESTAMP).
    #[allow(clippy::too_many_arguments)]
    pub fn device_claim(
        &self,
        device_group_key: &str,
        device_key: &str,
        device_password: &Password,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        if device_group_key.is_empty() || device_key.is_empty() {
            return Err(SrpError::InvalidDevice);
        }
        let (claim, _) = self.claim_and_derived(
            device_group_key,
            device_key,
            device_password,
            salt_hex,
            srp_b_hex,
            secret_block_b64,
            timestamp,
        )?;
        Ok(claim)
    }

    /// [`Self::password_claim`] plus its intermediates, so tests can pin down which step disagrees.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub fn debug_intermediates(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<(String, SrpIntermediates), SrpError> {
        if !valid_pool_name(pool_name) {
            return Err(SrpError::InvalidPoolName);
        }
        let (claim, d) = self.claim_and_derived(
            pool_name,
            user_id_for_srp,
            password,
            salt_hex,
            srp_b_hex,
            secret_block_b64,
            timestamp,
        )?;
        // The key as 32 hex digits (leading zeros kept, unlike the integers).
        let key_hex =
            d.key.iter().flat_map(|b| [b >> 4, b & 0xf]).map(|n| char::from(HEX_DIGITS[usize::from(n)])).collect();
        let inter = SrpIntermediates { x_hex: min_hex(&*d.x), u_hex: min_hex(&d.u), s_hex: min_hex(&*d.s), key_hex };
        Ok((claim, inter))
    }

    #[allow(clippy::too_many_arguments)]
    fn claim_and_derived(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt_hex: &str,
        srp_b_hex: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<(String, Derived), SrpError> {
        let secret_block = Base64::decode_vec(secret_block_b64).map_err(|_| SrpError::InvalidBase64)?;
        let salt = parse_hex(salt_hex, "SALT")?;
        let b_bytes = parse_hex(srp_b_hex, "SRP_B")?;
        let d = self.derive(pool_name, user_id_for_srp, password, &salt, &b_bytes)?;

        let signature = hmac::<Hmac<Sha256>>(
            &*d.key,
            &[pool_name.as_bytes(), user_id_for_srp.as_bytes(), &secret_block, timestamp.as_bytes()],
        );
        Ok((Base64::encode_string(&signature), d))
    }

    /// `salt` and `b_bytes` are the minimal big-endian encodings of the parsed integers.
    fn derive(
        &self,
        pool_name: &str,
        user_id_for_srp: &str,
        password: &Password,
        salt: &[u8],
        b_bytes: &[u8],
    ) -> Result<Derived, SrpError> {
        let b = int_from_le(b_bytes).ok_or(SrpError::InvalidHex("SRP_B"))?;
        let m = mont_modulus();
        // The Montgomery round trip reduces any value below 2^3072 < 2N, so B ≥ N (which the SDK also accepts)
        // works.
        let b_mod_n = m.retrieve(&m.to_montgomery(&b));
        if is_zero(&*b_mod_n) {
            return Err(SrpError::BadServerB);
        }

        // u hashes B as sent, not reduced (as the SDK does).
        let u = le32(&sha256(&[&pad_hex(&self.big_a), &pad_hex(b_bytes)]));
        if is_zero(&u) {
            return Err(SrpError::ZeroU);
        }

        let inner = Zeroizing::new(sha256(&[
            pool_name.as_bytes(),
            user_id_for_srp.as_bytes(),
            b":",
            password.as_str().as_bytes(),
        ]));
        let x = Zeroizing::new(le32(&Zeroizing::new(sha256(&[&pad_hex(salt), &*inner]))));

        // B − k·g^x mod N: subtraction mod N handles the negative case the SDK's signed BigInteger sees.
        let g_x = pow_g_256(&x);
        let k_g_x = m.retrieve(&m.mul(&m.to_montgomery(&K), &m.to_montgomery(&g_x)));
        let base = sub_mod(&b_mod_n, &k_g_x);
        let exponent = a_plus_ux(&self.a, &u, &x);
        let words = le_words(&*exponent);
        let s = m.multi_pow(&[(&*base, &words)], EXPONENT_BITS, 5);

        let mut key = Zeroizing::new([0u8; 16]);
        Hkdf::<Sha256>::new(Some(&pad_hex(&u)), &pad_hex(&*s))
            .expand(b"Caldera Derived Key", &mut *key)
            .map_err(|_| SrpError::KeyDerivation)?;
        Ok(Derived { x, u, s, key })
    }
}

/// ConfirmDevice's `DeviceSecretVerifierConfig` for a new device, as base64 (amazon-cognito-identity-js
/// `generateHashDevice`, then `Buffer.from(hex, 'hex').toString('base64')` in `CognitoUser`):
/// `Salt` = padHex(salt), `PasswordVerifier` = padHex(g^x) with
/// x = H(padHex(salt) ‖ H(DeviceGroupKey ‖ DeviceKey ‖ ":" ‖ devicePassword)). `salt` is 16 random bytes, read as a
/// big-endian integer (leading zero bytes then drop out of padHex, as `new BigInteger(hex, 16)` does).
pub fn device_verifier(
    device_group_key: &str,
    device_key: &str,
    device_password: &Password,
    salt: &[u8; 16],
) -> DeviceVerifier {
    let mut le_salt = *salt;
    le_salt.reverse();
    let salt_bytes = pad_hex(&le_salt);
    let inner = Zeroizing::new(sha256(&[
        device_group_key.as_bytes(),
        device_key.as_bytes(),
        b":",
        device_password.as_str().as_bytes(),
    ]));
    let x = Zeroizing::new(le32(&Zeroizing::new(sha256(&[&salt_bytes, &*inner]))));
    let verifier = pow_g_256(&x);
    DeviceVerifier {
        salt_b64: Base64::encode_string(&salt_bytes),
        password_verifier_b64: Base64::encode_string(&pad_hex(&*verifier)),
    }
}

/// `DeviceSecretVerifierConfig`: what Cognito keeps to check a device's later proofs (public values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceVerifier {
    pub salt_b64: String,
    pub password_verifier_b64: String,
}

/// Whether every byte is zero, without stopping at the first non-zero one (the values are secret).
fn is_zero(x: &[u8]) -> bool {
    x.iter().fold(0u8, |acc, &b| acc | b) == 0
}

/// SHA-256 of the concatenation of `parts`.
fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// A 32-byte digest read as a big-endian integer, as little-endian bytes.
fn le32(digest: &[u8; 32]) -> [u8; 32] {
    let mut out = *digest;
    out.reverse();
    out
}

/// x − y over 3072 bits (wrapping), and the borrow out (1 when x < y). Branch-free.
fn sub(x: &Int, y: &Int) -> (Int, u16) {
    let mut out = [0u8; BYTES];
    let mut borrow = 0u16;
    for ((o, &xi), &yi) in out.iter_mut().zip(x).zip(y) {
        let d = u16::from(xi).wrapping_sub(u16::from(yi)).wrapping_sub(borrow);
        *o = d as u8;
        borrow = d >> 15;
    }
    (out, borrow)
}

/// (x − y) mod N for x, y < N, branch-free (y = k·g^x derives from the password).
fn sub_mod(x: &Int, y: &Int) -> Zeroizing<Int> {
    let (diff, borrow) = sub(x, y);
    let mut out = Zeroizing::new(diff);
    // borrow is 1 exactly when x < y: add N back, under a mask rather than a branch.
    let mask = 0u8.wrapping_sub(borrow as u8);
    let mut carry = 0u16;
    for (o, &ni) in out.iter_mut().zip(&N) {
        let s = u16::from(*o) + u16::from(ni & mask) + carry;
        *o = s as u8;
        carry = s >> 8;
    }
    out
}

/// 2x mod N for a public x < N.
fn double_mod(x: &Int) -> Int {
    let mut twice = [0u8; BYTES];
    let mut carry = 0u8;
    for (t, &b) in twice.iter_mut().zip(x) {
        *t = b << 1 | carry;
        carry = b >> 7;
    }
    // 2x < 2N: subtract N once when the doubled value reached N (or left the 3072 bits).
    let (reduced, borrow) = sub(&twice, &N);
    if carry == 1 || borrow == 0 { reduced } else { twice }
}

/// a + u·x (little-endian; at most 1025 bits, so 129 bytes), schoolbook with fixed loop bounds.
fn a_plus_ux(a: &[u8; 128], u: &[u8; 32], x: &[u8; 32]) -> Zeroizing<[u8; 129]> {
    // Column sums of u·x: at most 32 products of < 2^16 each, far below 2^32.
    let mut columns = Zeroizing::new([0u32; 64]);
    for (i, &ui) in u.iter().enumerate() {
        for (j, &xj) in x.iter().enumerate() {
            columns[i + j] += u32::from(ui) * u32::from(xj);
        }
    }
    let mut out = Zeroizing::new([0u8; 129]);
    let mut carry = 0u32;
    for (i, o) in out.iter_mut().enumerate() {
        let sum = carry + u32::from(a.get(i).copied().unwrap_or(0)) + columns.get(i).copied().unwrap_or(0);
        *o = sum as u8;
        carry = sum >> 8;
    }
    carry.zeroize();
    out
}

/// Little-endian bytes as little-endian 32-bit words (the exponent format of [`Modulus::multi_pow`]), wiped on
/// drop.
fn le_words(le: &[u8]) -> Zeroizing<Vec<u32>> {
    let mut words = Zeroizing::new(vec![0u32; le.len().div_ceil(4)]);
    for (i, &b) in le.iter().enumerate() {
        words[i / 4] |= u32::from(b) << (8 * (i % 4));
    }
    words
}

/// N for [`cognito_totp_mont`], with R² mod N from [`group`]. Built per use (a few hundred byte moves) so
/// that the no_std build needs no static beyond that one.
fn mont_modulus() -> Modulus {
    Modulus::new(&N, &group().r2)
}

/// The group's derived public constants, computed once by the first SRP key rather than shipped (as
/// constants they were 3.8 KB of incompressible data in the package, and the tables are 100× that).
struct Group {
    /// R² mod N (R = 2^3080, the Montgomery radix of [`cognito_totp_mont`]'s 110 limbs of 28 bits).
    r2: Int,
    /// The window tables of g^(2^(CHUNK_BITS·i)), i = 0 … FIXED_BASES − 1 (see [`pow_g`]).
    g_tables: Vec<Table>,
}

fn group() -> &'static Group {
    static GROUP: spin::Once<Group> = spin::Once::new();
    GROUP.call_once(|| {
        // R mod N = 2^3072 mod N · 2^8, and 2^3072 mod N = 2^3072 − N (as N > 2^3071), the wrapping 0 − N.
        let mut r = sub(&[0; BYTES], &N).0;
        for _ in 0..8 {
            r = double_mod(&r);
        }
        // With R mod N in R²'s place, `to_montgomery` is the identity, and R mod N, 2R mod N are the
        // Montgomery forms of 1 and 2: square-and-multiply gives the form of 2^6160, which `retrieve` turns
        // into the plain 2^6160 mod N = R² mod N.
        let plain = Modulus::new(&N, &r);
        let two = plain.to_montgomery(&double_mod(&r));
        let mut acc = plain.to_montgomery(&r);
        for bit in (0..13).rev() {
            acc = plain.mul(&acc, &acc);
            if (2 * 3080) >> bit & 1 == 1 {
                acc = plain.mul(&acc, &two);
            }
        }
        let r2 = *plain.retrieve(&acc);

        // The bases stay in Montgomery form from g to the last table: no conversions between them.
        let m = Modulus::new(&N, &r2);
        let mut base = m.to_montgomery(&G);
        let g_tables = (0..FIXED_BASES)
            .map(|i| {
                if i > 0 {
                    for _ in 0..CHUNK_BITS {
                        base = m.mul(&base, &base);
                    }
                }
                m.table(&base, FIXED_WINDOW)
            })
            .collect();
        Group { r2, g_tables }
    })
}

/// The generator g = 2.
const G: Int = le_from_hex("2");

/// Bits of the exponent per fixed base in [`pow_g`]: the number of squarings of g^e. Halving it halves the
/// squarings but doubles the tables (memory and the one-time work of the first key).
const CHUNK_BITS: usize = 32;
/// Window of the fixed-base tables: one multiplication per window of every chunk (1024 / 4 for `a`), each
/// preceded by a masked read of a whole table (2^window entries), which is what makes wider windows lose.
const FIXED_WINDOW: u32 = 4;
/// Enough fixed bases for the 1024-bit `a` (the 256-bit `x` uses the first ones).
const FIXED_BASES: usize = 1024 / CHUNK_BITS;

/// g^e for a secret `e` (little-endian, at most 1024 bits, a whole number of chunks): e is split into chunks
/// e₀ (least significant) … e_(K−1) of CHUNK_BITS, and g^e = ∏ (g^(2^(CHUNK_BITS·i)))^eᵢ is evaluated as one
/// multi-exponentiation over the precomputed tables, so the chunks share CHUNK_BITS squarings and no table is
/// built per key. Constant time in `e`.
fn pow_g(e: &[u8]) -> Zeroizing<Int> {
    let words = le_words(e);
    let terms: Vec<(&Table, &[u32])> = group().g_tables.iter().zip(words.chunks(CHUNK_BITS / 32)).collect();
    mont_modulus().fixed_multi_pow(&terms, CHUNK_BITS as u32)
}

/// g^a for the 1024-bit secret `a`.
fn pow_g_1024(a: &[u8; 128]) -> Int {
    *pow_g(a)
}

/// g^x for the 256-bit secret `x`.
fn pow_g_256(x: &[u8; 32]) -> Zeroizing<Int> {
    pow_g(x)
}

/// The pool name Cognito hashes: the part of the pool id (`us-east-1_AbC123`) after `_`.
pub fn pool_name(pool_id: &str) -> Result<&str, SrpError> {
    match pool_id.split_once('_') {
        Some((region, name)) if !region.is_empty() && valid_pool_name(name) => Ok(name),
        _ => Err(SrpError::InvalidPoolName),
    }
}

/// Non-empty ASCII alphanumerics: what Cognito pool ids carry after the region. Checked again on the claim so a
/// caller passing the whole id (`us-east-1_AbC123`) fails loudly instead of signing for the wrong name.
fn valid_pool_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses hex of any length (odd allowed, as `new BigInteger(s, 16)` does) into the minimal little-endian bytes
/// of the integer (high zero bytes dropped; zero → empty).
fn parse_hex(s: &str, field: &'static str) -> Result<Vec<u8>, SrpError> {
    if s.is_empty() {
        return Err(SrpError::InvalidHex(field));
    }
    let mut out = vec![0u8; s.len().div_ceil(2)];
    // From the least significant digit.
    for (i, c) in s.bytes().rev().enumerate() {
        let v = char::from(c).to_digit(16).ok_or(SrpError::InvalidHex(field))? as u8;
        out[i / 2] |= v << (4 * (i % 2));
    }
    out.truncate(significant(&out));
    Ok(out)
}

/// The length of a little-endian integer without its high zero bytes.
fn significant(le: &[u8]) -> usize {
    le.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1)
}

/// A little-endian integer of at most 384 bytes as an [`Int`].
fn int_from_le(le: &[u8]) -> Option<Int> {
    let mut out = [0u8; BYTES];
    out.get_mut(..le.len())?.copy_from_slice(le);
    Some(out)
}

/// The bytes of the SDK's `padHex` for a little-endian integer: its minimal big-endian encoding, with a 0x00 in
/// front when the top bit is set (Java `toByteArray` semantics); zero is a single 0x00. Wiped on drop (S is
/// hashed through it).
fn pad_hex(le: &[u8]) -> Zeroizing<Vec<u8>> {
    let digits = &le[..significant(le)];
    let mut out = Zeroizing::new(Vec::with_capacity(digits.len() + 1));
    if digits.last().is_none_or(|&b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend(digits.iter().rev());
    out
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `BigInteger.toString(16)` of a little-endian integer: lowercase, no leading zeros, "0" for zero.
fn min_hex(le: &[u8]) -> String {
    let mut s = String::with_capacity(le.len() * 2);
    for &b in le.iter().rev() {
        for nibble in [b >> 4, b & 0xf] {
            if nibble != 0 || !s.is_empty() {
                s.push(char::from(HEX_DIGITS[usize::from(nibble)]));
            }
        }
    }
    if s.is_empty() {
        s.push('0');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::modular::ConstMontyForm;
    use crypto_bigint::{U256, U512, U1024, U2048, U3072, const_monty_params};

    const_monty_params!(GroupModulus, U3072, N_HEX, "N for the crypto-bigint cross-checks");
    type Fe = ConstMontyForm<GroupModulus, { U3072::LIMBS }>;

    fn generator() -> Fe {
        Fe::new(&U3072::from_u8(2))
    }

    fn int(x: &U3072) -> Int {
        let mut out = [0u8; BYTES];
        out.copy_from_slice(x.to_le_bytes().as_ref());
        out
    }

    #[test]
    fn pad_hex_follows_java_to_byte_array() {
        assert_eq!(*pad_hex(&[0x14]), vec![0x14]);
        assert_eq!(*pad_hex(&[0xec, 0x00]), vec![0x00, 0xec]);
        assert_eq!(*pad_hex(&[0x00, 0x01, 0x00, 0x00]), vec![0x01, 0x00]);
        assert_eq!(*pad_hex(&[]), vec![0x00]);
        assert_eq!(*pad_hex(&[0, 0]), vec![0x00]);
    }

    #[test]
    fn hex_parsing_is_integer_parsing() {
        assert_eq!(parse_hex("abc", "SALT"), Ok(vec![0xbc, 0x0a]));
        assert_eq!(parse_hex("0000ff", "SALT"), Ok(vec![0xff]));
        assert_eq!(parse_hex("000", "SALT"), Ok(vec![]));
        assert_eq!(parse_hex("", "SALT"), Err(SrpError::InvalidHex("SALT")));
        assert_eq!(parse_hex("12g4", "SRP_B"), Err(SrpError::InvalidHex("SRP_B")));
        assert_eq!(min_hex(&[0xbc, 0x0a, 0x00]), "abc");
        assert_eq!(min_hex(&[0, 0]), "0");
        assert_eq!(int_from_le(&[1, 2]).map(|x| x[..3].to_vec()), Some(vec![1, 2, 0]));
        assert_eq!(int_from_le(&[1; BYTES + 1]), None);
    }

    #[test]
    fn constants_decode_to_the_crypto_bigint_values() {
        assert_eq!(N, int(&U3072::from_be_hex(N_HEX)));
        assert_eq!(G, int(&U3072::from_u8(2)));
        assert_eq!(le_from_hex::<4>("a0b"), [0x0b, 0x0a, 0, 0]);
    }

    #[test]
    fn k_matches_the_published_cognito_value() {
        // k for group 15 with g = 2 in Cognito's padding; the hex is what amazon-cognito-identity-js prints.
        let digest = sha256(&[&pad_hex(&N), &pad_hex(&[2])]);
        assert_eq!(min_hex(&le32(&digest)), K_HEX);
        assert_eq!(K[..32], le32(&digest));
        assert!(K[32..].iter().all(|&b| b == 0));
    }

    #[test]
    fn montgomery_constants_are_right() {
        // R² = 2^(2·3080) mod N, from g = 2 raised by crypto-bigint.
        let r2 = generator().pow_bounded_exp(&crypto_bigint::U64::from_u64(2 * 3080), 64).retrieve();
        assert_eq!(int(&r2), group().r2);
        // The doubling it starts from: 2^3072 mod N and one step more.
        let two_3072 = int(&U3072::MAX.wrapping_sub(&U3072::from_be_hex(N_HEX)).wrapping_add(&U3072::ONE));
        assert_eq!(sub(&[0; BYTES], &N).0, two_3072);
        assert_eq!(
            double_mod(&two_3072),
            int(&generator().pow_bounded_exp(&crypto_bigint::U64::from_u64(3073), 64).retrieve())
        );
    }

    #[test]
    fn split_fixed_base_powers_equal_plain_powers() {
        let mut a = U1024::ZERO;
        for seed in [1u64, 0xdead_beef, u64::MAX] {
            a = a.wrapping_mul(&U1024::from_u64(0x9e37_79b9_7f4a_7c15)).wrapping_add(&U1024::from_u64(seed));
            let a_full = a.wrapping_sub(&U1024::ONE).wrapping_mul(&U1024::MAX.wrapping_sub(&U1024::from_u64(seed)));
            for e in [a, a_full, U1024::MAX, U1024::ONE] {
                let mut le = [0u8; 128];
                le.copy_from_slice(e.to_le_bytes().as_ref());
                assert_eq!(pow_g_1024(&le), int(&generator().pow_bounded_exp(&e, U1024::BITS).retrieve()));
                let x: U256 = e.resize();
                let mut le = [0u8; 32];
                le.copy_from_slice(x.to_le_bytes().as_ref());
                assert_eq!(*pow_g_256(&le), int(&generator().pow_bounded_exp(&x, U256::BITS).retrieve()));
            }
        }
    }

    #[test]
    fn fixed_base_tables_hold_every_power_of_their_base() {
        // Read back through single-window exponents: table i entry j must be (g^(2^(CHUNK_BITS·i)))^j.
        let m = mont_modulus();
        let tables = &group().g_tables;
        assert_eq!(tables.len(), FIXED_BASES);
        assert_eq!(FIXED_BASES * CHUNK_BITS, 1024);
        for (i, table) in tables.iter().enumerate() {
            let base = generator().square_repeat_vartime((CHUNK_BITS * i) as u32);
            let mut power = Fe::ONE;
            for j in 0..1u32 << FIXED_WINDOW {
                let ours = m.fixed_multi_pow(&[(table, &[j])], FIXED_WINDOW);
                assert_eq!(*ours, int(&power.retrieve()), "table {i}, entry {j}");
                power = power.mul(&base);
            }
        }
    }

    #[test]
    fn fixed_multi_pow_equals_multi_pow_for_random_bases() {
        // The same exponentiation through tables built ahead and through tables built per call.
        let m = mont_modulus();
        let bases: Vec<Int> = samples().iter().map(|s| int(&Fe::new(s).retrieve())).collect();
        let tables: Vec<Table> = bases.iter().map(|b| m.table(&m.to_montgomery(b), FIXED_WINDOW)).collect();
        let exps: Vec<[u32; 3]> = (0u32..10).map(|i| [i.wrapping_mul(0x9e37_79b9), !i, i << 28]).collect();
        let fixed: Vec<(&Table, &[u32])> = tables.iter().zip(&exps).map(|(t, e)| (t, &e[..])).collect();
        let plain: Vec<(&Int, &[u32])> = bases.iter().zip(&exps).map(|(b, e)| (b, &e[..])).collect();
        for n in [1, 3, bases.len()] {
            assert_eq!(*m.fixed_multi_pow(&fixed[..n], 96), *m.multi_pow(&plain[..n], 96, FIXED_WINDOW), "{n} terms");
        }
    }

    /// Pseudo-random 3072-bit values, plus the edge values 0, 1, N − 1 and N + small.
    fn samples() -> Vec<U3072> {
        let n = U3072::from_be_hex(N_HEX);
        let mut out = vec![U3072::ZERO, U3072::ONE, n.wrapping_sub(&U3072::ONE), n.wrapping_add(&U3072::from_u8(5))];
        let mut seed = U3072::from_u64(0x0123_4567_89ab_cdef);
        for round in 0u64..6 {
            seed = seed.wrapping_mul(&U3072::from_u64(0x9e37_79b9_7f4a_7c15)).wrapping_add(&U3072::from_u64(round));
            out.push(seed);
        }
        out
    }

    #[test]
    fn modular_subtraction_and_reduction_equal_crypto_bigint() {
        let m = mont_modulus();
        let reduced: Vec<Fe> = samples().iter().map(Fe::new).collect();
        for (x, xf) in samples().iter().zip(&reduced) {
            // The Montgomery round trip is B mod N, also for B ≥ N.
            assert_eq!(*m.retrieve(&m.to_montgomery(&int(x))), int(&xf.retrieve()));
            for yf in &reduced {
                assert_eq!(*sub_mod(&int(&xf.retrieve()), &int(&yf.retrieve())), int(&xf.sub(yf).retrieve()));
            }
        }
    }

    #[test]
    fn a_plus_ux_equals_crypto_bigint() {
        for s in samples() {
            let (a, u, x): (U1024, U256, U256) =
                (s.resize(), s.shr_vartime(1024).resize(), s.shr_vartime(2048).resize());
            let mut a_le = [0u8; 128];
            a_le.copy_from_slice(a.to_le_bytes().as_ref());
            let (mut u_le, mut x_le) = ([0u8; 32], [0u8; 32]);
            u_le.copy_from_slice(u.to_le_bytes().as_ref());
            x_le.copy_from_slice(x.to_le_bytes().as_ref());
            let ux: U512 = u.concatenating_mul(&x);
            let expected = a.resize::<{ U2048::LIMBS }>().wrapping_add(&ux.resize());
            assert_eq!(a_plus_ux(&a_le, &u_le, &x_le)[..], expected.to_le_bytes().as_ref()[..129]);
        }
    }

    #[test]
    fn mont_exponentiation_equals_crypto_bigint() {
        let top = U2048::MAX.shr_vartime(U2048::BITS - EXPONENT_BITS);
        for (round, s) in samples().iter().enumerate() {
            // Edge bases too (0, 1, N − 1, a value above N reduced); edge exponents 1 and all ones.
            let base = Fe::new(s);
            let e = match round {
                2 => top,
                3 => U2048::ONE,
                _ => s.resize::<{ U2048::LIMBS }>().bitand(&top),
            };
            let words = le_words(e.to_le_bytes().as_ref());
            let ours = mont_modulus().multi_pow(&[(&int(&base.retrieve()), &words)], EXPONENT_BITS, 5);
            assert_eq!(*ours, int(&base.pow_bounded_exp(&e, EXPONENT_BITS).retrieve()), "round {round}");
            let m = mont_modulus();
            let x = m.to_montgomery(&int(&base.retrieve()));
            assert_eq!(m.square(&x), m.mul(&x, &x), "round {round}");
            assert_eq!(*m.retrieve(&m.square(&x)), int(&base.square().retrieve()), "round {round}");
        }
    }

    #[test]
    fn pool_names() {
        assert_eq!(pool_name("us-east-1_AbC123"), Ok("AbC123"));
        assert_eq!(pool_name("AbC123"), Err(SrpError::InvalidPoolName));
        assert_eq!(pool_name("us-east-1_"), Err(SrpError::InvalidPoolName));
        assert_eq!(pool_name("_AbC"), Err(SrpError::InvalidPoolName));
        assert_eq!(pool_name("us-east-1_Ab_C"), Err(SrpError::InvalidPoolName));
    }
}
