//! USER_SRP_AUTH / PASSWORD_VERIFIER, USER_PASSWORD_AUTH, client checks and lockout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn srp_sign_in_returns_tokens_without_session() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, "plain", &password("optional", "plain")).await;
    let body = r.ok();
    assert!(body.get("Session").is_none(), "no Session on direct success: {body}");
    assert!(body.get("ChallengeName").is_none());
    let result = &body["AuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    assert!(result["RefreshToken"].as_str().unwrap().len() > 100);
    let access = claims(result["AccessToken"].as_str().unwrap());
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["username"], "plain");
    assert_eq!(access["client_id"], p.web.as_str());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["iss"], format!("http://localhost:9229/{}", p.id));
    assert_eq!(access["exp"], T0 + 3600);
    let id = claims(result["IdToken"].as_str().unwrap());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], p.web.as_str());
    assert_eq!(id["cognito:username"], "plain");
    assert_eq!(id["email"], "plain@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["sub"], access["sub"]);
    assert_eq!(id["origin_jti"], access["origin_jti"]);
}

#[tokio::test]
async fn non_ascii_password_signs_in() {
    let emu = emulator();
    let p = pool("optional");
    let pw = password("optional", "jörg");
    assert!(!pw.is_ascii());
    emu.srp(&p.web, &p.id, "jörg", &pw).await.ok();
}

#[tokio::test]
async fn challenge_parameters_shape() {
    let emu = emulator();
    let p = pool("optional");
    let c = SrpClient::new(&p.id);
    let r = emu
        .call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain", "SRP_A": c.a_hex()}}))
        .await;
    let b = r.ok();
    assert_eq!(b["ChallengeName"], "PASSWORD_VERIFIER");
    let cp = &b["ChallengeParameters"];
    assert_eq!(cp["USER_ID_FOR_SRP"], "plain");
    assert_eq!(cp["USERNAME"], "plain");
    assert_eq!(cp["SALT"].as_str().unwrap().len(), 32);
    assert!(cp["SRP_B"].as_str().unwrap().chars().all(|c| c.is_ascii_hexdigit()));
    assert!(!cp["SECRET_BLOCK"].as_str().unwrap().is_empty());
    assert!(b["Session"].as_str().unwrap().len() > 50);
}

#[tokio::test]
async fn wrong_password_signature_block_and_timestamps_refused() {
    let emu = emulator();
    let p = pool("optional");
    let pw = password("optional", "plain");
    for t in [Tamper::WrongPassword, Tamper::Signature, Tamper::SecretBlock, Tamper::PaddedDay, Tamper::WrongWeekday] {
        let r = emu.srp_with(&p.web, &p.id, "plain", &pw, None, &t).await;
        assert_eq!(r.err("NotAuthorizedException"), "Incorrect username or password.");
    }
    // Those five failures reached the lockout threshold, so show the honest path on a fresh emulator.
    let emu = emulator();
    emu.srp(&p.web, &p.id, "plain", &pw).await.ok();
}

#[tokio::test]
async fn padded_day_in_october_refused_but_two_digit_day_accepted() {
    // Day 13 has two digits naturally; a zero-padded single-digit day must be refused (tested above).
    let emu = emulator();
    emu.advance(10 * 86_400); // Jun 13
    let p = pool("optional");
    emu.srp(&p.web, &p.id, "plain", &password("optional", "plain")).await.ok();
}

#[tokio::test]
async fn a_zero_mod_n_refused() {
    let emu = emulator();
    let p = pool("optional");
    let n = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
    for a in ["0", "00", n] {
        let r = emu
            .call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain", "SRP_A": a}}))
            .await;
        r.err("NotAuthorizedException");
    }
}

#[tokio::test]
async fn unknown_user_and_prevent_user_existence() {
    let emu = emulator();
    let p = pool("optional");
    let r = emu.srp(&p.web, &p.id, "nobody", "Whatever-1!").await;
    assert_eq!(r.err("UserNotFoundException"), "User does not exist.");
    // With prevent-user-existence-errors the pool answers as for a wrong password.
    let pid = p.id.clone();
    emu.state.with_pool_mut(&pid, |pool| pool.prevent_user_existence_errors = true);
    let r = emu.srp(&p.web, &p.id, "nobody", "Whatever-1!").await;
    assert_eq!(r.err("NotAuthorizedException"), "Incorrect username or password.");

    // On AWS it is a client setting: a client created with ENABLED hides unknown users, LEGACY does not.
    let emu = emulator();
    let flows = json!(["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    let mut ids = Vec::new();
    for setting in ["ENABLED", "LEGACY"] {
        let c = emu
            .call("CreateUserPoolClient", json!({"UserPoolId": p.id, "ClientName": setting, "ExplicitAuthFlows": flows, "PreventUserExistenceErrors": setting}))
            .await;
        assert_eq!(c.ok()["UserPoolClient"]["PreventUserExistenceErrors"], setting);
        ids.push(c.body["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned());
    }
    let ghost = |cid: &str| json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cid, "AuthParameters": {"USERNAME": "ghost", "PASSWORD": "Any-Passw0rd!"}});
    assert_eq!(
        emu.call("InitiateAuth", ghost(&ids[0])).await.err("NotAuthorizedException"),
        "Incorrect username or password."
    );
    emu.call("InitiateAuth", ghost(&ids[1])).await.err("UserNotFoundException");
    emu.srp(&ids[0], &p.id, "ghost", "Any-Passw0rd!").await.err("NotAuthorizedException");
    emu.srp(&ids[1], &p.id, "ghost", "Any-Passw0rd!").await.err("UserNotFoundException");
}

#[tokio::test]
async fn alias_sign_in_uses_real_username() {
    let emu = emulator();
    let p = pool("alias");
    let uuid = "2f0b6c1e-7d3a-4e58-9b21-6a4c8e0d1f35";
    let c = SrpClient::new(&p.id);
    let r = emu
        .call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "alias@example.com", "SRP_A": c.a_hex()}}))
        .await;
    assert_eq!(r.ok()["ChallengeParameters"]["USER_ID_FOR_SRP"], uuid);
    let r = emu.srp(&p.web, &p.id, "alias@example.com", &password("alias", uuid)).await;
    let access = claims(r.ok()["AuthenticationResult"]["AccessToken"].as_str().unwrap());
    assert_eq!(access["username"], uuid);
}

#[tokio::test]
async fn client_checks() {
    let emu = emulator();
    let p = pool("optional");
    let pw = password("optional", "plain");
    let r = emu.srp("nosuchclient00000000000000", &p.id, "plain", &pw).await;
    r.err("ResourceNotFoundException");
    // Secret client: missing and wrong SECRET_HASH refused, right one accepted.
    let (cid, secret) = p.secret_client.clone().unwrap();
    let r = emu.srp(&cid, &p.id, "plain", &pw).await;
    r.err("NotAuthorizedException");
    let r = emu.srp_with(&cid, &p.id, "plain", &pw, Some("not-the-secret"), &Tamper::None).await;
    assert!(r.err("NotAuthorizedException").contains("secret hash"));
    emu.srp_with(&cid, &p.id, "plain", &pw, Some(&secret), &Tamper::None).await.ok();
    // A flow the client does not allow.
    emu.state.with_pool_mut(&p.id, |pool| pool.clients[0].explicit_auth_flows = vec!["ALLOW_USER_SRP_AUTH".into()]);
    let r = emu
        .call("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain", "PASSWORD": pw}}))
        .await;
    assert!(r.err("InvalidParameterException").contains("not enabled"));
}

#[tokio::test]
async fn user_password_auth() {
    let emu = emulator();
    let p = pool("optional");
    let pw = password("optional", "plain");
    let call = |pw: String| {
        let p = pool("optional");
        let emu = &emu;
        async move {
            emu.call("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "plain", "PASSWORD": pw}}))
                .await
        }
    };
    call(pw.clone()).await.ok()["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    call("Wrong-Passw0rd!".into()).await.err("NotAuthorizedException");
    let _ = p;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_and_success_resets() {
    let emu = emulator_with(cognito_emulator::Config { max_password_attempts: 3, ..Default::default() });
    let p = pool("optional");
    let pw = password("optional", "enroll6");
    // Two failures, then success resets the counter.
    for _ in 0..2 {
        emu.srp_with(&p.web, &p.id, "enroll6", &pw, None, &Tamper::WrongPassword).await.err("NotAuthorizedException");
    }
    emu.srp(&p.web, &p.id, "enroll6", &pw).await.ok();
    for _ in 0..3 {
        let r = emu.srp_with(&p.web, &p.id, "enroll6", &pw, None, &Tamper::WrongPassword).await;
        assert_eq!(r.err("NotAuthorizedException"), "Incorrect username or password.");
    }
    // Now even the right password is refused.
    let r = emu.srp(&p.web, &p.id, "enroll6", &pw).await;
    assert_eq!(r.err("NotAuthorizedException"), "Password attempts exceeded");
    // After the lockout passes, the right password works again.
    emu.advance(61);
    emu.srp(&p.web, &p.id, "enroll6", &pw).await.ok();
}

#[tokio::test]
async fn sessions_are_single_use_bound_and_expire() {
    let emu = emulator();
    let p = pool("optional");
    let c = SrpClient::new(&p.id);
    let start = |name: &str| json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": name, "SRP_A": c.a_hex()}});
    let r = emu.call("InitiateAuth", start("plain")).await;
    let body = r.ok().clone();
    let cp = &body["ChallengeParameters"];
    let ts = format_ts(emu.now(), false, 0);
    let block = cp["SECRET_BLOCK"].as_str().unwrap();
    let sig = c.signature(
        "plain",
        &password("optional", "plain"),
        cp["SALT"].as_str().unwrap(),
        cp["SRP_B"].as_str().unwrap(),
        &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, block).unwrap(),
        &ts,
    );
    let responses = json!({"USERNAME": "plain", "PASSWORD_CLAIM_SECRET_BLOCK": block, "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": sig});
    // Made-up session.
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &json!("made-up-session"), responses.clone()).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user.");
    // Cross-user: same session, another USERNAME.
    let mut other = responses.clone();
    other["USERNAME"] = json!("totp");
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &body["Session"], other).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user.");
    // Another app client (even of another pool) cannot use this session.
    let other_client = pool("nototp").web;
    let r = emu.respond(&other_client, "PASSWORD_VERIFIER", &body["Session"], responses.clone()).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user.");
    // Wrong challenge name for the session.
    let r = emu
        .respond(
            &p.web,
            "SOFTWARE_TOKEN_MFA",
            &body["Session"],
            json!({"USERNAME": "plain", "SOFTWARE_TOKEN_MFA_CODE": "123456"}),
        )
        .await;
    r.err("NotAuthorizedException");
    // The genuine answer works once...
    emu.respond(&p.web, "PASSWORD_VERIFIER", &body["Session"], responses.clone()).await.ok();
    // ...and not twice.
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &body["Session"], responses).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user.");
    // Expiry.
    let r = emu.call("InitiateAuth", start("plain")).await;
    let session = r.ok()["Session"].clone();
    emu.advance(181);
    let r = emu.respond(&p.web, "PASSWORD_VERIFIER", &session, json!({"USERNAME": "plain", "PASSWORD_CLAIM_SECRET_BLOCK": "AA==", "TIMESTAMP": "x", "PASSWORD_CLAIM_SIGNATURE": "AA=="})).await;
    assert_eq!(r.err("NotAuthorizedException"), "Invalid session for the user, session is expired.");
}

#[tokio::test]
async fn salt_with_leading_zero_byte_is_read_as_an_integer() {
    // 1 in 256 real salts starts with 00; client and server must both drop it before padHex.
    let emu = emulator();
    let p = pool("optional");
    let salt = [0u8, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
    let v = cognito_emulator::srp::verifier(&p.id, "enroll5", &password("optional", "enroll5"), &salt);
    emu.state.with_pool_mut(&p.id, |pool| {
        let u = pool.users.get_mut("enroll5").unwrap();
        u.salt = salt.iter().map(|b| format!("{b:02x}")).collect();
        u.verifier = cognito_emulator::auth::hex(&v);
    });
    let c = SrpClient::new(&p.id);
    let r = emu
        .call("InitiateAuth", json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "AuthParameters": {"USERNAME": "enroll5", "SRP_A": c.a_hex()}}))
        .await;
    assert!(r.ok()["ChallengeParameters"]["SALT"].as_str().unwrap().starts_with("00"));
    emu.srp(&p.web, &p.id, "enroll5", &password("optional", "enroll5")).await.ok();
    emu.srp_with(&p.web, &p.id, "enroll5", "x", None, &Tamper::WrongPassword).await.err("NotAuthorizedException");
}
