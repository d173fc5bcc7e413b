//! Cognito's SRP client step (A = g^a, then u, x, S = (B − k·g^x)^(a + u·x), the HKDF key and
//! PASSWORD_CLAIM_SIGNATURE) by the RustCrypto `srp` crate, for the bench page only: the same inputs and output
//! as the package's test-only `srpPasswordClaim`, so its signature must be the others'.
//!
//! The crate does the group arithmetic (`Client::compute_g_x`, `compute_premaster_secret`) and x
//! (`compute_identity_hash` / `compute_x` are Cognito's formula with poolName ‖ USER_ID_FOR_SRP as the username
//! and padHex(salt) as the salt). Cognito's k = H(padHex(N) ‖ padHex(g)) and u = H(padHex(A) ‖ padHex(B)) are
//! computed here: the crate's `compute_k` / `compute_u_padded` pad to the length of N (RFC 5054). The group is
//! RFC 3526's 3072-bit N with g = 2 (the crate's own G3072 has g = 5).

use base64ct::{Base64, Encoding};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use srp::bigint::modular::ConstMontyForm;
use srp::bigint::{BoxedUint, U3072, const_monty_params};
use srp::{Client, Group};
use wasm_bindgen::prelude::*;

const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

const_monty_params!(CognitoGroup, U3072, N_HEX, "RFC 3526 group 15 as Cognito uses it (g = 2).");

impl Group for CognitoGroup {
    type Element = ConstMontyForm<Self, { U3072::LIMBS }>;
    const G: Self::Element = ConstMontyForm::new(&U3072::from_u8(2));
}

/// Big-endian bytes of a hex integer of any length (odd allowed).
fn hex_be(hex: &str, what: &str) -> Result<Vec<u8>, JsError> {
    let bad = || JsError::new(&format!("{what} is not hex"));
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let padded = if hex.len() % 2 == 1 { format!("0{hex}") } else { hex.to_owned() };
    (0..padded.len())
        .step_by(2)
        .map(|i| padded.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()).ok_or_else(bad))
        .collect()
}

/// Cognito's padHex as bytes: minimal big-endian, with 0x00 in front when the top bit is set; zero is one 0x00.
fn pad(be: &[u8]) -> Vec<u8> {
    let digits = &be[be.iter().position(|&b| b != 0).unwrap_or(be.len())..];
    let mut out = Vec::with_capacity(digits.len() + 1);
    if digits.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

fn int(be: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(be)
}

/// `[SRP_A, PASSWORD_CLAIM_SIGNATURE]` for a fixed `a` (hex, as the bench's config gives it).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = srpCrateClaim)]
pub fn srp_crate_claim(
    a_hex: &str,
    pool_id: &str,
    user_id_for_srp: &str,
    password: &str,
    salt_hex: &str,
    srp_b_hex: &str,
    secret_block: &str,
    timestamp: &str,
) -> Result<Vec<String>, JsError> {
    let pool = pool_id.split_once('_').map(|(_, name)| name).ok_or_else(|| JsError::new("malformed pool id"))?;
    let client = Client::<CognitoGroup, Sha256>::new();
    let a = int(&hex_be(a_hex, "aHex")?);
    let big_a = client.compute_g_x(&a).to_be_bytes_trimmed_vartime();
    let big_b = hex_be(srp_b_hex, "srpBHex")?;
    let k = Sha256::digest([pad(&hex_be(N_HEX, "N")?), pad(&[2])].concat());
    let u = Sha256::digest([pad(&big_a), pad(&big_b)].concat());
    let identity = Client::<CognitoGroup, Sha256>::compute_identity_hash(
        [pool.as_bytes(), user_id_for_srp.as_bytes()].concat().as_slice(),
        password.as_bytes(),
    );
    let x = Client::<CognitoGroup, Sha256>::compute_x(&identity, &pad(&hex_be(salt_hex, "saltHex")?));
    let s = client.compute_premaster_secret(&int(&big_b), &int(&k), &x, &a, &int(&u));
    let mut key = [0u8; 16];
    Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s.to_be_bytes_trimmed_vartime()))
        .expand(b"Caldera Derived Key", &mut key)
        .map_err(|_| JsError::new("HKDF failed"))?;
    let block = Base64::decode_vec(secret_block).map_err(|_| JsError::new("SECRET_BLOCK is not base64"))?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).map_err(|_| JsError::new("HMAC key"))?;
    mac.update(pool.as_bytes());
    mac.update(user_id_for_srp.as_bytes());
    mac.update(&block);
    mac.update(timestamp.as_bytes());
    let hex_a: String = big_a.iter().map(|b| format!("{b:02x}")).collect();
    Ok(vec![hex_a.trim_start_matches('0').to_owned(), Base64::encode_string(&mac.finalize().into_bytes())])
}
