//! Cognito SRP known answers from amazon-cognito-identity-js (tests/vectors/gen-srp-vectors.mjs → srp.json).
// Native only: the browser runs the same checks in tests/browser_unit.rs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::secret::Password;
use cognito_totp::core::srp::{N_HEX, SrpClient, SrpError, pool_name};
use cognito_totp::core::timestamp::cognito_timestamp;

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use srp_vectors::{Input, a_bytes};

fn vectors() -> srp_vectors::File {
    srp_vectors::load()
}

// The first vector's inputs and client, for the negative tests (its B is a valid group element).
fn sample() -> (Input, SrpClient) {
    let case = vectors().cases.into_iter().next().unwrap();
    let client = SrpClient::new(&a_bytes(&case.input.a_hex)).unwrap();
    (case.input, client)
}

#[test]
fn every_vector_matches_the_sdk_step_by_step() {
    let file = vectors();
    assert!(file.implementation.starts_with("amazon-cognito-identity-js "), "{}", file.implementation);
    assert!(file.cases.len() >= 8, "only {} cases", file.cases.len());
    for case in &file.cases {
        let i = &case.input;
        let o = &case.output;
        let name = &case.name;
        let client = SrpClient::new(&a_bytes(&i.a_hex)).unwrap();
        assert_eq!(client.a_hex(), o.big_a, "{name}: A");

        // COGNITO.md: day of month not padded; the SDK (6.3.21) agrees, so the recorded string must equal ours.
        let timestamp = cognito_timestamp(i.unix_seconds);
        assert_eq!(timestamp, o.timestamp, "{name}: TIMESTAMP");

        let password = Password::new(i.password.clone());
        let pool = pool_name(&i.pool_id).unwrap();
        let (signature, inter) = i.claim(&client, &timestamp);
        assert_eq!(inter.x_hex, o.x, "{name}: x");
        assert_eq!(inter.u_hex, o.u, "{name}: u");
        assert_eq!(inter.s_hex, o.big_s, "{name}: S");
        assert_eq!(inter.key_hex, o.key, "{name}: key");
        assert_eq!(signature, o.signature, "{name}: signature");
        // The SDK echoes SECRET_BLOCK and TIMESTAMP unchanged (the JS layer does the same with ours).
        assert_eq!(o.secret_block, i.secret_block, "{name}: secret block echoed");
        assert_eq!(o.username, i.user_id_for_srp, "{name}: the SDK answers with USER_ID_FOR_SRP");

        // The public entry point gives the same claim as the test hook.
        let plain = client
            .password_claim(pool, &i.user_id_for_srp, &password, &i.salt_hex, &i.b_hex, &i.secret_block, &timestamp)
            .unwrap();
        assert_eq!(plain, signature, "{name}: password_claim");
    }
}

#[test]
fn the_vectors_cover_the_edge_cases_they_claim() {
    let file = vectors();
    let find = |n: &str| file.cases.iter().find(|c| c.name == n).unwrap_or_else(|| panic!("case {n} missing"));
    assert!(!find("non-ascii").input.password.is_ascii());
    assert!(!find("non-ascii").input.user_id_for_srp.is_ascii());
    assert!(u8::from_str_radix(&find("salt-top-bit").input.salt_hex[..2], 16).unwrap() >= 0x80);
    assert_eq!(find("salt-odd-length").input.salt_hex.len() % 2, 1);
    assert!(find("salt-leading-zero-bytes").input.salt_hex.starts_with("00"));
    assert_eq!(find("alias-uuid").input.user_id_for_srp.len(), 36);
    assert!(find("short-u").output.u.len() < 64);
    assert!(find("short-s").output.big_s.len() < 768);
    assert!(find("b-above-n").input.b_hex.len() == 768 && find("b-above-n").input.b_hex.as_str() > N_HEX);
    assert!(cognito_timestamp(find("leap-day").input.unix_seconds).contains("Feb 29"));
}

#[test]
fn a_different_password_gives_a_different_signature() {
    let (i, client) = sample();
    let t = cognito_timestamp(i.unix_seconds);
    let pool = pool_name(&i.pool_id).unwrap();
    let good = client
        .password_claim(
            pool,
            &i.user_id_for_srp,
            &Password::new(i.password.clone()),
            &i.salt_hex,
            &i.b_hex,
            &i.secret_block,
            &t,
        )
        .unwrap();
    let bad = client
        .password_claim(
            pool,
            &i.user_id_for_srp,
            &Password::new(format!("{}x", i.password)),
            &i.salt_hex,
            &i.b_hex,
            &i.secret_block,
            &t,
        )
        .unwrap();
    assert_ne!(good, bad);
    // Another TIMESTAMP or SECRET_BLOCK is signed differently too (the server checks both).
    let later = cognito_timestamp(i.unix_seconds + 1);
    let pw = Password::new(i.password.clone());
    assert_ne!(
        client.password_claim(pool, &i.user_id_for_srp, &pw, &i.salt_hex, &i.b_hex, &i.secret_block, &later).unwrap(),
        good
    );
    assert_ne!(client.password_claim(pool, &i.user_id_for_srp, &pw, &i.salt_hex, &i.b_hex, "AAAA", &t).unwrap(), good);
}

#[test]
fn refuses_b_congruent_to_zero() {
    let (i, client) = sample();
    let pw = Password::new(i.password.clone());
    let t = cognito_timestamp(i.unix_seconds);
    for b in ["0", "000", N_HEX, &N_HEX.to_uppercase()] {
        let err = client.password_claim(
            pool_name(&i.pool_id).unwrap(),
            &i.user_id_for_srp,
            &pw,
            &i.salt_hex,
            b,
            &i.secret_block,
            &t,
        );
        assert_eq!(err, Err(SrpError::BadServerB), "B = {}", &b[..b.len().min(8)]);
    }
}

#[test]
fn refuses_malformed_inputs() {
    let (i, client) = sample();
    let pw = Password::new(i.password.clone());
    let t = cognito_timestamp(i.unix_seconds);
    let claim = |pool: &str, salt: &str, b: &str, block: &str| {
        client.password_claim(pool, &i.user_id_for_srp, &pw, salt, b, block, &t)
    };
    // The claim takes the pool NAME: a whole pool id (or an empty name) is refused, not signed for the wrong name.
    assert_eq!(claim(&i.pool_id, &i.salt_hex, &i.b_hex, &i.secret_block), Err(SrpError::InvalidPoolName));
    assert_eq!(claim("", &i.salt_hex, &i.b_hex, &i.secret_block), Err(SrpError::InvalidPoolName));
    assert_eq!(pool_name("AbC123"), Err(SrpError::InvalidPoolName));
    let pool = pool_name(&i.pool_id).unwrap();
    assert_eq!(claim(pool, "", &i.b_hex, &i.secret_block), Err(SrpError::InvalidHex("SALT")));
    assert_eq!(claim(pool, "xyz", &i.b_hex, &i.secret_block), Err(SrpError::InvalidHex("SALT")));
    assert_eq!(claim(pool, &i.salt_hex, "", &i.secret_block), Err(SrpError::InvalidHex("SRP_B")));
    assert_eq!(claim(pool, &i.salt_hex, "-1", &i.secret_block), Err(SrpError::InvalidHex("SRP_B")));
    // 3073 bits: does not fit in the group's width.
    let too_long = format!("1{}", "0".repeat(768));
    assert_eq!(claim(pool, &i.salt_hex, &too_long, &i.secret_block), Err(SrpError::InvalidHex("SRP_B")));
    // Leading zeros beyond 768 digits are fine: it is the integer that counts.
    let padded = format!("0000{}", i.b_hex);
    assert!(claim(pool, &i.salt_hex, &padded, &i.secret_block).is_ok());
    assert_eq!(claim(pool, &i.salt_hex, &i.b_hex, "not base64!"), Err(SrpError::InvalidBase64));
    // SECRET_BLOCK must be canonical padded base64: two texts never decode to the same block.
    for bad in ["Zg", "Zg=", "Zh==", "Zm9=", "Z===", "====", "Zg==Zg==", "Zm9v\n", "Zm-v", "Zm9v YQ=="] {
        assert_eq!(claim(pool, &i.salt_hex, &i.b_hex, bad), Err(SrpError::InvalidBase64), "{bad:?}");
    }
    for good in ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYmFy"] {
        assert!(claim(pool, &i.salt_hex, &i.b_hex, good).is_ok(), "{good:?}");
    }
}

#[test]
fn refuses_a_zero_exponent() {
    assert_eq!(SrpClient::new(&[0u8; 128]).unwrap_err(), SrpError::BadRandom);
    let mut one = [0u8; 128];
    one[127] = 1;
    assert_eq!(SrpClient::new(&one).unwrap().a_hex(), "2");
}

#[test]
fn debug_output_holds_no_secret() {
    let (i, client) = sample();
    let pw = Password::new(i.password.clone());
    let t = cognito_timestamp(i.unix_seconds);
    let (_, inter) = i.claim(&client, &t);
    let dumps = [format!("{client:?}"), format!("{pw:?}"), format!("{inter:?}")];
    for dump in &dumps {
        assert!(dump.contains("<redacted>"), "{dump}");
        assert!(!dump.contains(&i.a_hex[..16]), "a leaked: {dump}");
        assert!(!dump.contains(&i.password), "password leaked: {dump}");
        assert!(!dump.contains(&inter.x_hex[..16]), "x leaked: {dump}");
        assert!(!dump.contains(&inter.s_hex[..16]), "S leaked: {dump}");
        assert!(!dump.contains(&inter.key_hex[..16]), "key leaked: {dump}");
    }
    assert_eq!(format!("{pw:?}"), "Password(<redacted>)");
    // A is public and useful when debugging a sign-in.
    assert!(dumps[0].contains(&client.a_hex()));
}
