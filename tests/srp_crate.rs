//! The client's SRP against the RustCrypto `srp` crate (a dev-dependency; mont/ stays the shipped engine): on
//! every vector of tests/vectors/srp.json, S from `srp::Client::compute_premaster_secret` over Cognito's group,
//! then the HKDF key and PASSWORD_CLAIM_SIGNATURE from it, must equal what `SrpClient` computes (and what
//! amazon-cognito-identity-js recorded).
//!
//! The crate computes A, x (its `compute_identity_hash` / `compute_x` are Cognito's formula when the "username"
//! is poolName ‖ USER_ID_FOR_SRP and the salt is padHex(salt)) and S. Cognito's k and u are computed here and
//! handed in: the crate's `compute_k` / `compute_u_padded` pad to the length of N (RFC 5054), Cognito pads like
//! Java's `BigInteger.toByteArray`. Its group is RFC 3526's N with g = 2 (the crate's G3072 has g = 5).
// Native only: the crate is not built for the browser tests.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64ct::{Base64, Encoding};
use cognito_totp::core::secret::Password;
use cognito_totp::core::srp::{N_HEX, SrpClient, device_verifier, pool_name};
use cognito_totp::core::timestamp::cognito_timestamp;
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use srp::bigint::modular::ConstMontyForm;
use srp::bigint::{BoxedUint, U3072, const_monty_params};
use srp::{Client, Group};

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

const_monty_params!(CognitoGroup, U3072, N_HEX, "RFC 3526 group 15, as Cognito uses it (g = 2).");

impl Group for CognitoGroup {
    type Element = ConstMontyForm<Self, { U3072::LIMBS }>;
    const G: Self::Element = ConstMontyForm::new(&U3072::from_u8(2));
}

type CognitoClient = Client<CognitoGroup, Sha256>;

/// Big-endian bytes of a hex integer of any length (odd allowed).
fn hex_be(hex: &str) -> Vec<u8> {
    let hex = if hex.len() % 2 == 1 { format!("0{hex}") } else { hex.to_owned() };
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// Cognito's padHex as bytes: the integer's minimal big-endian bytes, with 0x00 in front when the top bit is set.
fn pad(be: &[u8]) -> Vec<u8> {
    let digits = &be[be.iter().position(|&b| b != 0).unwrap_or(be.len())..];
    let mut out = Vec::new();
    if digits.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(digits);
    out
}

fn trimmed(n: &BoxedUint) -> Vec<u8> {
    n.to_be_bytes_trimmed_vartime().into_vec()
}

/// `BigInteger.toString(16)`.
fn min_hex(be: &[u8]) -> String {
    let hex: String = be.iter().map(|b| format!("{b:02x}")).collect();
    let hex = hex.trim_start_matches('0');
    if hex.is_empty() { "0".into() } else { hex.into() }
}

fn int(be: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(be)
}

/// What the crate's side computes for one exchange.
struct Claim {
    big_a: Vec<u8>,
    x: BoxedUint,
    u: Vec<u8>,
    s: Vec<u8>,
    key: [u8; 16],
    signature: String,
}

/// The claim by the crate, for a vector's a, B, salt and secret block: `prefix` is the pool name (or the
/// DeviceGroupKey), `user` USER_ID_FOR_SRP (or the DeviceKey).
fn crate_claim(
    client: &CognitoClient,
    i: &srp_vectors::Input,
    prefix: &str,
    user: &str,
    password: &str,
    timestamp: &str,
) -> Claim {
    // k = H(padHex(N) ‖ padHex(g)) = H(0x00 ‖ N ‖ 0x02).
    let k = Sha256::digest([pad(&hex_be(N_HEX)), pad(&[2])].concat());
    let a = int(&hex_be(&i.a_hex));
    let big_a = trimmed(&client.compute_g_x(&a));
    let b = hex_be(&i.b_hex);
    let u = Sha256::digest([pad(&big_a), pad(&b)].concat()).to_vec();
    let identity = CognitoClient::compute_identity_hash(format!("{prefix}{user}").as_bytes(), password.as_bytes());
    let x = CognitoClient::compute_x(&identity, &pad(&hex_be(&i.salt_hex)));
    let s = trimmed(&client.compute_premaster_secret(&int(&b), &int(&k), &x, &a, &int(&u)));
    let mut key = [0u8; 16];
    Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s)).expand(b"Caldera Derived Key", &mut key).unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(prefix.as_bytes());
    mac.update(user.as_bytes());
    mac.update(&Base64::decode_vec(&i.secret_block).unwrap());
    mac.update(timestamp.as_bytes());
    let signature = Base64::encode_string(&mac.finalize().into_bytes());
    Claim { big_a, x, u, s, key, signature }
}

#[test]
fn s_key_and_signature_equal_the_srp_crates_on_every_vector() {
    let file = srp_vectors::load();
    assert!(file.cases.len() >= 10, "only {} cases", file.cases.len());
    let crate_client = CognitoClient::new();
    for case in &file.cases {
        let (i, o, name) = (&case.input, &case.output, &case.name);
        let pool = pool_name(&i.pool_id).unwrap();

        // The crate's side.
        let timestamp = cognito_timestamp(i.unix_seconds);
        let Claim { big_a, x, u, s, key, signature } =
            crate_claim(&crate_client, i, pool, &i.user_id_for_srp, &i.password, &timestamp);

        // Ours (src/core/srp.rs over mont/).
        let ours = SrpClient::new(&srp_vectors::a_bytes(&i.a_hex)).unwrap();
        assert_eq!(ours.a_hex(), min_hex(&big_a), "{name}: A");
        let (our_signature, inter) = i.claim(&ours, &timestamp);
        assert_eq!(inter.x_hex, min_hex(&trimmed(&x)), "{name}: x");
        assert_eq!(inter.u_hex, min_hex(&u), "{name}: u");
        assert_eq!(inter.s_hex, min_hex(&s), "{name}: S");
        let key_hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(inter.key_hex, key_hex, "{name}: key");
        assert_eq!(our_signature, signature, "{name}: PASSWORD_CLAIM_SIGNATURE");
        // And all three agree with the SDK.
        assert_eq!(
            (o.big_s.as_str(), o.key.as_str(), o.signature.as_str()),
            (inter.s_hex.as_str(), key_hex.as_str(), signature.as_str()),
            "{name}: SDK"
        );
    }
}

#[test]
fn the_crates_own_k_and_u_are_not_cognitos() {
    // Why k and u are handed in: RFC 5054 pads g and A, B to the length of N; Cognito does not.
    let g = CognitoGroup::generator();
    let rfc_k = srp::utils::compute_k::<Sha256>(&g).to_be_bytes_trimmed_vartime();
    let cognito_k = Sha256::digest([pad(&hex_be(N_HEX)), pad(&[2])].concat());
    assert_ne!(rfc_k.as_ref(), cognito_k.as_slice());
    assert_eq!(min_hex(&cognito_k), "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
    let case = &srp_vectors::load().cases[0];
    let (a, b) = (hex_be(&case.output.big_a), hex_be(&case.input.b_hex));
    let rfc_u = srp::utils::compute_u_padded::<Sha256>(&g, &a, &b).to_be_bytes_trimmed_vartime();
    assert_ne!(min_hex(&rfc_u), case.output.u);
    assert_eq!(min_hex(&Sha256::digest([pad(&a), pad(&b)].concat())), case.output.u);
}

/// The device SRP is the password SRP with the DeviceGroupKey in place of the pool name, the DeviceKey as the user
/// and the device password: the crate's S, HKDF key and signature over DeviceGroupKey ‖ DeviceKey ‖ SECRET_BLOCK ‖
/// TIMESTAMP must equal `SrpClient::device_claim` on every vector's a, B, salt and secret block.
#[test]
fn the_device_proof_equals_the_srp_crates_on_every_vector() {
    let crate_client = CognitoClient::new();
    let group_key = "-4vC0Jx9Q";
    let device_key = "us-east-1_6d2b0b5e-3c51-4a43-9e0a-2f1c7f1d8a90";
    let device_password = Password::new("aGVsbG8gZGV2aWNlIHBhc3N3b3JkIG9mIDQwIGJ5dGVzIQ==".into());
    for case in &srp_vectors::load().cases {
        let (i, name) = (&case.input, &case.name);
        let timestamp = cognito_timestamp(i.unix_seconds);
        let signature =
            crate_claim(&crate_client, i, group_key, device_key, device_password.as_str(), &timestamp).signature;

        let ours = SrpClient::new(&srp_vectors::a_bytes(&i.a_hex)).unwrap();
        let our_signature = ours
            .device_claim(group_key, device_key, &device_password, &i.salt_hex, &i.b_hex, &i.secret_block, &timestamp)
            .unwrap();
        assert_eq!(our_signature, signature, "{name}: device PASSWORD_CLAIM_SIGNATURE");
    }
}

/// ConfirmDevice's verifier: `Client::compute_verifier` with the identity DeviceGroupKey ‖ DeviceKey and the salt as
/// padHex bytes is exactly v = g^x, so the crate computes what `device_verifier` sends (PasswordVerifier =
/// padHex(v), Salt = padHex(salt), both base64).
#[test]
fn the_device_verifier_equals_the_srp_crates() {
    let crate_client = CognitoClient::new();
    let password = Password::new("c2VjcmV0IGRldmljZSBwYXNzd29yZA==".into());
    let salts: [[u8; 16]; 3] = [[0x11; 16], [0xf0; 16], {
        let mut s = [0x7f; 16];
        s[0] = 0;
        s
    }];
    for salt in salts {
        let ours = device_verifier("-groupKey1", "eu-west-1_abc-123", &password, &salt);
        let salt_bytes = pad(&salt);
        assert_eq!(Base64::decode_vec(&ours.salt_b64).unwrap(), salt_bytes, "Salt is padHex(salt)");
        let v =
            crate_client.compute_verifier(b"-groupKey1eu-west-1_abc-123", password.as_str().as_bytes(), &salt_bytes);
        assert_eq!(Base64::decode_vec(&ours.password_verifier_b64).unwrap(), pad(&v), "PasswordVerifier is padHex(v)");
    }
}
