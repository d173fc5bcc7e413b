//! The state machine over a scripted transport: Cognito-shaped answers (tests/fixtures/, shapes from botocore's
//! model) for every challenge and branch, every error mapping, malformed answers, the retry policy and the exact
//! requests. SRP is real: the server side of each exchange is an amazon-cognito-identity-js vector
//! (tests/vectors/srp.json), so the signature the client sends must be the SDK's.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/scripted.rs"]
mod scripted;
#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use cognito_totp::core::Error;
use cognito_totp::core::flow::{AssociateWith, Challenge, Client, Config, MfaKind, MfaPreference, Preference, Step};
use cognito_totp::core::input::ConfigInput;
use cognito_totp::core::secret::Password;
use cognito_totp::core::wire::Loose;
use scripted::{FixedClock, FixedRandom, Reply, Scripted, cognito_error, err, err_header, ok, run};
use serde_json::{Value, json};
use srp_vectors::{Input, Output, a_bytes};

const CLIENT_ID: &str = "client123";
const SECRET: &str = "topsecret";

type TestClient = Client<Scripted, FixedClock, FixedRandom>;

struct Setup {
    input: Input,
    output: Output,
    script: Scripted,
    client: TestClient,
}

fn vector(name: &str) -> (Input, Output) {
    let case = srp_vectors::load().cases.into_iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no {name}"));
    (case.input, case.output)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn config(pool_id: &str, secret: Option<&str>) -> Config {
    let s = |v: &str| Loose::Str(v.into());
    let input = ConfigInput {
        user_pool_id: s(pool_id),
        client_id: s(CLIENT_ID),
        endpoint: s("http://127.0.0.1:9229/"),
        client_secret: secret.map_or(Loose::Missing, s),
        timeout_ms: Loose::Num(5000.0),
    };
    Config::from_input(&input).unwrap()
}

/// The PASSWORD_VERIFIER challenge a server would send for this vector.
fn password_verifier(input: &Input, username: &str) -> Reply {
    ok(&json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": input.salt_hex, "SECRET_BLOCK": input.secret_block, "SRP_B": input.b_hex,
            "USERNAME": username, "USER_ID_FOR_SRP": input.user_id_for_srp,
        },
        "Session": "session-verifier",
    })
    .to_string())
}

fn setup_with(name: &str, secret: Option<&str>, replies: impl FnOnce(&Input) -> Vec<Reply>) -> Setup {
    let (input, output) = vector(name);
    let script = Scripted::new(replies(&input));
    let clock = FixedClock { now: input.unix_seconds, log: script.clone() };
    let random = FixedRandom::new(vec![a_bytes(&input.a_hex)]);
    let client = Client::new(config(&input.pool_id, secret), script.clone(), clock, random);
    Setup { input, output, script, client }
}

/// A sign-in whose PASSWORD_VERIFIER is answered by `after`.
fn signing_in(after: Vec<Reply>) -> Setup {
    setup_with("plain-ascii", None, |input| [vec![password_verifier(input, "alice")], after].concat())
}

/// A client with no sign-in in front of `replies`.
fn replaying(replies: Vec<Reply>) -> Setup {
    setup_with("plain-ascii", None, |_| replies)
}

fn sign_in(s: &Setup) -> Result<Step, Error> {
    let password = Password::new(s.input.password.clone());
    run(s.client.sign_in(Some(&s.input.user_id_for_srp), Some(&password)))
}

fn challenge(step: &Step) -> Challenge {
    step.challenge().expect("a step with a challenge").clone()
}

fn assert_password_never_sent(s: &Setup) {
    let escaped = serde_json::to_string(&s.input.password).unwrap();
    for r in s.script.requests() {
        assert!(!r.body.contains(&s.input.password), "{} carried the password", r.operation);
        assert!(!r.body.contains(escaped.trim_matches('"')), "{} carried the escaped password", r.operation);
    }
}

#[track_caller]
fn assert_error(result: Result<impl std::fmt::Debug, Error>, name: &str) -> Error {
    let e = result.expect_err("expected an error");
    assert_eq!(e.name(), name, "{e}");
    assert!(!e.message().is_empty());
    e
}

fn public(step: &Step) -> Value {
    serde_json::to_value(step).unwrap()
}

// ---- SRP sign-in --------------------------------------------------------------------------------------

#[test]
fn srp_sign_in_sends_exactly_the_requests_cognito_expects() {
    let s = signing_in(vec![ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(
        public(&step),
        json!({"type": "done", "tokens": {
            "accessToken": "eyJ.access.sig", "idToken": "eyJ.id.sig", "refreshToken": "eyJ.refresh.sig",
            "expiresIn": 3600, "tokenType": "Bearer",
        }})
    );
    assert_eq!(s.script.operations(), ["InitiateAuth", "RespondToAuthChallenge"]);
    assert!(s.script.requests().iter().all(|r| r.timeout_ms == Some(5000)));
    assert_eq!(
        s.script.bodies(),
        [
            json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": CLIENT_ID, "AuthParameters": {"USERNAME": "alice", "SRP_A": s.output.big_a}}),
            json!({"ChallengeName": "PASSWORD_VERIFIER", "ClientId": CLIENT_ID, "Session": "session-verifier",
                "ChallengeResponses": {"PASSWORD_CLAIM_SECRET_BLOCK": s.input.secret_block,
                    "PASSWORD_CLAIM_SIGNATURE": s.output.signature, "TIMESTAMP": s.output.timestamp, "USERNAME": "alice"}}),
        ]
    );
    assert_password_never_sent(&s);
}

#[test]
fn every_vector_signs_like_the_sdk_answering_as_user_id_for_srp() {
    for case in srp_vectors::load().cases {
        let s = setup_with(&case.name, None, |i| vec![password_verifier(i, "typed-name"), ok(&fixture("tokens"))]);
        let password = Password::new(s.input.password.clone());
        run(s.client.sign_in(Some("typed-name"), Some(&password))).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let bodies = s.script.bodies();
        assert_eq!(bodies[0]["AuthParameters"]["SRP_A"], case.output.big_a.as_str(), "{}", case.name);
        let responses = &bodies[1]["ChallengeResponses"];
        assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], case.output.signature.as_str(), "{}", case.name);
        assert_eq!(responses["TIMESTAMP"], case.output.timestamp.as_str(), "{}", case.name);
        assert_eq!(responses["USERNAME"], case.input.user_id_for_srp.as_str(), "{}", case.name);
        assert_password_never_sent(&s);
    }
}

#[test]
fn a_client_secret_adds_secret_hash_for_each_username_sent() {
    let (input, output) = vector("alias-uuid");
    let s = setup_with("alias-uuid", Some(SECRET), |i| {
        vec![password_verifier(i, &i.user_id_for_srp), ok(&fixture("software_token_mfa")), ok(&fixture("tokens"))]
    });
    let step = run(s.client.sign_in(Some("alias@example.com"), Some(&Password::new(input.password.clone())))).unwrap();
    // base64(HMAC-SHA256("topsecret", username ‖ "client123")), computed with Python's hmac.
    let bodies = s.script.bodies();
    assert_eq!(bodies[0]["AuthParameters"]["USERNAME"], "alias@example.com");
    assert_eq!(bodies[0]["AuthParameters"]["SECRET_HASH"], "IYGgOriARo4VH5F0RmVtiaU51XHk2szPssuWReWLBwc=");
    assert_eq!(bodies[1]["ChallengeResponses"]["USERNAME"], input.user_id_for_srp.as_str());
    assert_eq!(bodies[1]["ChallengeResponses"]["SECRET_HASH"], "Xf2dZ6kQpDgOyjq5HWBg5qsGDFbLAUkfJEEWVORoeio=");
    assert_eq!(bodies[1]["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"], output.signature.as_str());
    // The MFA answer names the user the challenge named (alice) and hashes that name.
    run(s.client.confirm_totp(&challenge(&step), "123456")).unwrap();
    let answer = &s.script.bodies()[2]["ChallengeResponses"];
    assert_eq!(answer["USERNAME"], "alice");
    assert_eq!(answer["SECRET_HASH"], "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c=");
}

#[test]
fn a_prepared_key_serves_the_next_sign_in_only() {
    let s = signing_in(vec![ok(&fixture("tokens"))]);
    s.client.prepare().unwrap();
    sign_in(&s).unwrap();
    assert_eq!(s.script.bodies()[0]["AuthParameters"]["SRP_A"], s.output.big_a.as_str(), "the prepared key was used");
    s.script.script(vec![password_verifier(&s.input, "alice"), cognito_error("NotAuthorizedException", "no")]);
    assert_error(sign_in(&s), "NotAuthorizedException");
    assert_ne!(s.script.bodies()[0]["AuthParameters"]["SRP_A"], s.output.big_a.as_str(), "a key served twice");
}

#[test]
fn a_server_b_of_zero_mod_n_is_refused_before_anything_is_signed() {
    for b in ["0", cognito_totp::core::srp::N_HEX] {
        let s = setup_with("plain-ascii", None, |i| {
            vec![password_verifier(&Input { b_hex: b.into(), ..i.clone() }, "alice")]
        });
        let e = assert_error(sign_in(&s), "ProtocolError");
        assert!(e.message().starts_with("SRP: "), "{e}");
        assert_eq!(s.script.operations(), ["InitiateAuth"]);
    }
}

#[test]
fn password_verifier_without_its_members_is_a_protocol_error_naming_them() {
    for member in ["SALT", "SECRET_BLOCK", "SRP_B"] {
        let (input, _) = vector("plain-ascii");
        let mut params = json!({"SALT": input.salt_hex, "SECRET_BLOCK": input.secret_block, "SRP_B": input.b_hex,
            "USER_ID_FOR_SRP": "alice"});
        params.as_object_mut().unwrap().remove(member);
        let body = json!({"ChallengeName": "PASSWORD_VERIFIER", "Session": "s", "ChallengeParameters": params});
        let s = replaying(vec![ok(&body.to_string())]);
        let e = assert_error(sign_in(&s), "ProtocolError");
        assert!(e.message().contains(member), "{e}");
        assert_eq!(s.script.left(), 0);
    }
    let s = replaying(vec![ok(&fixture("software_token_mfa"))]);
    let e = assert_error(sign_in(&s), "ProtocolError");
    assert_eq!(e.message(), "InitiateAuth(USER_SRP_AUTH) answered SOFTWARE_TOKEN_MFA instead of PASSWORD_VERIFIER");
}

// ---- challenges -----------------------------------------------------------------------------------

#[test]
fn software_token_mfa_is_answered_with_the_code_and_the_session_which_stays_private() {
    let s = signing_in(vec![ok(&fixture("software_token_mfa"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(public(&step), json!({"type": "totpCode", "friendlyDeviceName": "My phone"}));
    assert!(!format!("{step:?}").contains("session-totp"), "Debug shows the Session");
    s.script
        .script(vec![cognito_error("CodeMismatchException", "Invalid code received for user"), ok(&fixture("tokens"))]);
    assert_error(run(s.client.confirm_totp(&challenge(&step), "000000")), "CodeMismatchException");
    let done = run(s.client.confirm_totp(&challenge(&step), " 123 456 ")).unwrap();
    assert!(matches!(done, Step::Done { .. }));
    assert_eq!(
        s.script.bodies()[1],
        json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": CLIENT_ID, "Session": "session-totp",
            "ChallengeResponses": {"SOFTWARE_TOKEN_MFA_CODE": "123456", "USERNAME": "alice"}})
    );
    for code in ["12345", "1234567", "12a456", "", "１２３４５６"] {
        assert_error(run(s.client.confirm_totp(&challenge(&step), code)), "InvalidParameterException");
    }
    assert_eq!(s.script.requests().len(), 2, "a malformed code is never sent");
}

#[test]
fn mfa_setup_associates_verifies_and_answers_each_with_the_previous_session() {
    let s = signing_in(vec![ok(&fixture("mfa_setup"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(public(&step), json!({"type": "mfaSetup", "canSetup": ["TOTP"]}));
    s.script.script(vec![ok(&fixture("associate_session")), ok(&fixture("verify_session")), ok(&fixture("tokens"))]);
    let setup = run(s.client.associate_totp(AssociateWith::Challenge(&challenge(&step)))).unwrap();
    assert_eq!(setup.secret(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    assert!(!format!("{setup:?}").contains("JBSW"), "Debug shows the secret");
    let next = run(s.client.verify_totp(&setup, "654321", Some("Pixel"))).unwrap().unwrap();
    assert!(matches!(next, Step::Done { .. }));
    assert_eq!(s.script.operations(), ["AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge"]);
    assert_eq!(
        s.script.bodies(),
        [
            json!({"Session": "session-setup-1"}),
            json!({"Session": "session-setup-2", "UserCode": "654321", "FriendlyDeviceName": "Pixel"}),
            json!({"ChallengeName": "MFA_SETUP", "ChallengeResponses": {"USERNAME": "alice"}, "ClientId": CLIENT_ID,
                "Session": "session-setup-3"}),
        ]
    );
}

#[test]
fn access_token_setups_verify_to_none_and_status_error_is_enable_software_token_mfa_exception() {
    let s = replaying(vec![
        ok(r#"{"SecretCode":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}"#),
        ok(r#"{"Status":"SUCCESS"}"#),
        ok(r#"{"Status":"ERROR"}"#),
        ok(r#"{"Status":7}"#),
    ]);
    let setup = run(s.client.associate_totp(AssociateWith::AccessToken("access-1"))).unwrap();
    assert!(run(s.client.verify_totp(&setup, "111111", None)).unwrap().is_none());
    assert_error(run(s.client.verify_totp(&setup, "222222", Some(""))), "EnableSoftwareTokenMFAException");
    assert_error(run(s.client.verify_totp(&setup, "333333", None)), "ProtocolError");
    assert_eq!(
        s.script.bodies(),
        [
            json!({"AccessToken": "access-1"}),
            json!({"AccessToken": "access-1", "UserCode": "111111"}),
            json!({"AccessToken": "access-1", "UserCode": "222222"}),
            json!({"AccessToken": "access-1", "UserCode": "333333"}),
        ]
    );
    let s = signing_in(vec![ok(&fixture("mfa_setup")), ok(r#"{"SecretCode":"JBSWY3DP"}"#)]);
    let step = sign_in(&s).unwrap();
    let e = assert_error(run(s.client.associate_totp(AssociateWith::Challenge(&challenge(&step)))), "ProtocolError");
    assert_eq!(e.message(), "AssociateSoftwareToken: the response has no Session");
}

#[test]
fn new_password_required_lists_attributes_and_sends_them_back_with_the_password() {
    let s = signing_in(vec![ok(&fixture("new_password_required")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(
        public(&step),
        json!({"type": "newPassword", "requiredAttributes": ["name"],
            "userAttributes": {"email_verified": "true", "email": "alice@example.com"}})
    );
    let attributes = [("name".to_string(), "Alice A.".to_string())];
    let password = Password::new("N3w-pass!".into());
    run(s.client.complete_new_password(&challenge(&step), Some(&password), &attributes)).unwrap();
    assert_eq!(
        s.script.bodies()[2],
        json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": CLIENT_ID, "Session": "session-newpw",
            "ChallengeResponses": {"NEW_PASSWORD": "N3w-pass!", "USERNAME": "alice", "userAttributes.name": "Alice A."}})
    );
    let empty = Password::new(String::new());
    assert_error(
        run(s.client.complete_new_password(&challenge(&step), Some(&empty), &[])),
        "InvalidParameterException",
    );
    let nameless = [(String::new(), "x".to_string())];
    let e = assert_error(
        run(s.client.complete_new_password(&challenge(&step), Some(&password), &nameless)),
        "InvalidParameterException",
    );
    assert_eq!(e.message(), "an attribute name must not be empty");
}

#[test]
fn user_attributes_keep_string_members_only_a_repeated_name_its_last_value() {
    let text = r#"{"email":"a@example.com","n":1,"b":true,"z":null,"arr":[1],"obj":{"k":"v"},"dup":"x","dup":2,"dup2":1,"dup2":"s","esc":"\u00e9\n"}"#;
    let body = json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s",
        "ChallengeParameters": {"USER_ID_FOR_SRP": "alice", "userAttributes": text}});
    let s = signing_in(vec![ok(&body.to_string())]);
    let step = sign_in(&s).unwrap();
    assert_eq!(
        public(&step),
        json!({"type": "newPassword", "requiredAttributes": [],
            "userAttributes": {"email": "a@example.com", "dup2": "s", "esc": "é\n"}})
    );
    for not_an_object in ["[]", "\"s\"", "{", "[[\"k\",\"v\"]]", "7"] {
        let body = json!({"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s",
            "ChallengeParameters": {"userAttributes": not_an_object, "requiredAttributes": not_an_object}});
        let s = signing_in(vec![ok(&body.to_string())]);
        let step = sign_in(&s).unwrap();
        assert_eq!(public(&step), json!({"type": "newPassword", "requiredAttributes": [], "userAttributes": {}}));
    }
}

#[test]
fn select_mfa_type_then_an_sms_code_which_cannot_be_answered_as_totp() {
    let s = signing_in(vec![ok(&fixture("select_mfa_type")), ok(&fixture("sms_mfa")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(public(&step), json!({"type": "selectMfa", "options": ["SMS", "TOTP"]}));
    let sms = run(s.client.select_mfa(&challenge(&step), MfaKind::Sms)).unwrap();
    assert_eq!(public(&sms), json!({"type": "smsCode", "destination": "+*******0100"}));
    let e = assert_error(run(s.client.confirm_totp(&challenge(&sms), "123456")), "InvalidParameterException");
    assert_eq!(e.message(), "this step is SMS_MFA, not SOFTWARE_TOKEN_MFA");
    assert!(matches!(run(s.client.confirm_code(&challenge(&sms), "246810")).unwrap(), Step::Done { .. }));
    let bodies = s.script.bodies();
    assert_eq!(bodies[2]["ChallengeResponses"], json!({"ANSWER": "SMS_MFA", "USERNAME": "alice"}));
    assert_eq!(bodies[3]["ChallengeResponses"], json!({"SMS_MFA_CODE": "246810", "USERNAME": "alice"}));
    assert_eq!(bodies[3]["Session"], "session-sms");
}

#[test]
fn email_and_sms_otp_are_answered_with_their_own_code_members() {
    let sms_otp = fixture("sms_mfa").replace("\"SMS_MFA\"", "\"SMS_OTP\"");
    for (answer, step_type, member) in
        [(fixture("email_otp"), "emailCode", "EMAIL_OTP_CODE"), (sms_otp, "smsCode", "SMS_OTP_CODE")]
    {
        let s = signing_in(vec![ok(&answer), ok(&fixture("tokens"))]);
        let step = sign_in(&s).unwrap();
        assert_eq!(public(&step)["type"], step_type);
        run(s.client.confirm_code(&challenge(&step), "135791")).unwrap();
        assert_eq!(s.script.bodies()[2]["ChallengeResponses"][member], "135791");
    }
    let s = signing_in(vec![ok(&fixture("software_token_mfa"))]);
    let step = sign_in(&s).unwrap();
    let e = assert_error(run(s.client.confirm_code(&challenge(&step), "123456")), "InvalidParameterException");
    assert_eq!(e.message(), "confirmCode answers an SMS or email code step, not SOFTWARE_TOKEN_MFA");
}

#[test]
fn unsupported_challenges_missing_sessions_and_empty_answers_are_protocol_errors() {
    for body in [
        r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"x","ChallengeParameters":{}}"#,
        r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeParameters":{}}"#,
        r#"{"ChallengeParameters":{}}"#,
        r#"{"ChallengeName":"SELECT_MFA_TYPE","Session":"x","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"PIGEON\"]"}}"#,
        r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"x","ChallengeParameters":"not an object"}"#,
    ] {
        let s = signing_in(vec![ok(body)]);
        let e = assert_error(sign_in(&s), "ProtocolError");
        assert!(!e.retryable(), "{body}");
    }
}

#[test]
fn tokens_without_their_members_are_protocol_errors_naming_them() {
    for (member, result) in [
        ("AccessToken", json!({"IdToken": "i", "ExpiresIn": 3600})),
        ("IdToken", json!({"AccessToken": "a", "ExpiresIn": 3600})),
        ("ExpiresIn", json!({"AccessToken": "a", "IdToken": "i"})),
        ("ExpiresIn", json!({"AccessToken": "a", "IdToken": "i", "ExpiresIn": 1e308})),
        ("ExpiresIn", json!({"AccessToken": "a", "IdToken": "i", "ExpiresIn": 18446744073709551616.0})),
        ("ExpiresIn", json!({"AccessToken": "a", "IdToken": "i", "ExpiresIn": 3600.5})),
        ("ExpiresIn", json!({"AccessToken": "a", "IdToken": "i", "ExpiresIn": "3600"})),
    ] {
        let s = signing_in(vec![ok(&json!({"AuthenticationResult": result}).to_string())]);
        let e = assert_error(sign_in(&s), "ProtocolError");
        assert!(e.message().contains(member), "{e}");
    }
    let s = signing_in(vec![ok(r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":0}}"#)]);
    assert_eq!(
        public(&sign_in(&s).unwrap()),
        json!({"type": "done", "tokens": {"accessToken": "a", "idToken": "i", "expiresIn": 0, "tokenType": "Bearer"}})
    );
}

// ---- signed-in operations ------------------------------------------------------------------------

#[test]
fn signed_in_operations_send_their_members() {
    let s = replaying(vec![ok("{}"), ok(&fixture("get_user")), ok(""), ok("{}"), ok(&fixture("refresh"))]);
    let preference = MfaPreference { totp: Some(Preference::Preferred), sms: Some(Preference::Disabled), email: None };
    run(s.client.set_mfa_preference(Some("access-1"), preference)).unwrap();
    let user = run(s.client.get_user(Some("access-1"))).unwrap();
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"username": "alice", "attributes": {"sub": "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
            "email": "alice@example.com", "email_verified": "true"}, "mfa": {"enabled": ["SMS", "TOTP"], "preferred": "TOTP"}})
    );
    run(s.client.global_sign_out(Some("access-1"))).unwrap();
    run(s.client.revoke_token(Some("refresh-1"))).unwrap();
    let tokens = run(s.client.refresh(Some("refresh-1"), None)).unwrap();
    assert_eq!(
        serde_json::to_value(&tokens).unwrap(),
        json!({"accessToken": "eyJ.access2.sig", "idToken": "eyJ.id2.sig", "expiresIn": 3600, "tokenType": "Bearer"})
    );
    assert_eq!(
        s.script.operations(),
        ["SetUserMFAPreference", "GetUser", "GlobalSignOut", "RevokeToken", "InitiateAuth"]
    );
    assert_eq!(
        s.script.bodies(),
        [
            json!({"AccessToken": "access-1", "SMSMfaSettings": {"Enabled": false, "PreferredMfa": false},
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
            json!({"AccessToken": "access-1"}),
            json!({"AccessToken": "access-1"}),
            json!({"ClientId": CLIENT_ID, "Token": "refresh-1"}),
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": "refresh-1"}, "ClientId": CLIENT_ID}),
        ]
    );
    let e = assert_error(
        run(s.client.set_mfa_preference(Some("a"), MfaPreference::default())),
        "InvalidParameterException",
    );
    assert_eq!(e.message(), "setMfaPreference needs at least one of totp, sms, email");
}

#[test]
fn refresh_and_revoke_with_a_client_secret() {
    let s = setup_with("plain-ascii", Some(SECRET), |_| vec![ok(&fixture("refresh")), ok("{}")]);
    assert_error(run(s.client.refresh(Some("refresh-1"), None)), "InvalidParameterException");
    run(s.client.refresh(Some("refresh-1"), Some("alice"))).unwrap();
    run(s.client.revoke_token(Some("refresh-1"))).unwrap();
    let bodies = s.script.bodies();
    assert_eq!(
        bodies[0]["AuthParameters"],
        json!({"REFRESH_TOKEN": "refresh-1", "SECRET_HASH": "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c="})
    );
    assert_eq!(bodies[1], json!({"ClientId": CLIENT_ID, "ClientSecret": SECRET, "Token": "refresh-1"}));
}

#[test]
fn get_user_reads_attributes_and_factors_strictly_where_it_must() {
    let s = replaying(vec![ok(
        r#"{"Username":"alice","UserAttributes":[{"Name":"b","Value":"1"},{"Value":"orphan"},{"Name":"a"},null,{"Name":"b","Value":"2"}]}"#,
    )]);
    let user = run(s.client.get_user(Some("access-1"))).unwrap();
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"username": "alice", "attributes": {"b": "2", "a": ""}, "mfa": {"enabled": []}})
    );
    for list in [r#"["SMS_MFA",0]"#, "[null]", "[{}]", r#""SOFTWARE_TOKEN_MFA""#, "{}"] {
        let s =
            replaying(vec![ok(&format!(r#"{{"Username":"alice","UserAttributes":[],"UserMFASettingList":{list}}}"#))]);
        let e = assert_error(run(s.client.get_user(Some("a"))), "ProtocolError");
        assert!(e.message().contains("UserMFASettingList"), "{list}: {e}");
    }
    for (body, says) in [(r#"{"Username":"alice"}"#, "UserAttributes"), (r#"{"UserAttributes":[]}"#, "Username")] {
        let s = replaying(vec![ok(body)]);
        let e = assert_error(run(s.client.get_user(Some("a"))), "ProtocolError");
        assert!(e.message().contains(says), "{e}");
    }
}

#[test]
fn disable_totp_rechecks_the_password_whatever_follows_and_changes_nothing_when_wrong() {
    let s = signing_in(vec![ok(&fixture("software_token_mfa")), ok("{}")]);
    let password = Password::new(s.input.password.clone());
    run(s.client.disable_totp(Some("alice"), Some(&password), Some("access-1"))).unwrap();
    assert_eq!(s.script.operations(), ["InitiateAuth", "RespondToAuthChallenge", "SetUserMFAPreference"]);
    assert_eq!(
        s.script.bodies()[2],
        json!({"AccessToken": "access-1", "SoftwareTokenMfaSettings": {"Enabled": false, "PreferredMfa": false}})
    );
    assert_password_never_sent(&s);
    s.script.script(vec![
        password_verifier(&s.input, "alice"),
        cognito_error("NotAuthorizedException", "Incorrect username or password."),
    ]);
    let wrong = Password::new("wrong".into());
    assert_error(run(s.client.disable_totp(Some("alice"), Some(&wrong), Some("access-1"))), "NotAuthorizedException");
    assert_eq!(s.script.operations(), ["InitiateAuth", "RespondToAuthChallenge"]);
}

// ---- errors and retries -------------------------------------------------------------------------------

#[test]
fn cognito_error_types_map_to_names_with_messages_and_are_not_retried() {
    for (reply, name, message) in [
        (
            cognito_error("NotAuthorizedException", "Incorrect username or password."),
            "NotAuthorizedException",
            "Incorrect username or password.",
        ),
        (
            err(
                400,
                r#"{"__type":"com.amazonaws.cognito.identity.idp.model#PasswordResetRequiredException","Message":"Password reset required for the user"}"#,
            ),
            "PasswordResetRequiredException",
            "Password reset required for the user",
        ),
        (
            err(400, r#"{"__type":"LimitExceededException","message":"  ","Message":"Attempt limit exceeded"}"#),
            "LimitExceededException",
            "Attempt limit exceeded",
        ),
        (
            err_header(400, "{}", "UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/"),
            "UserNotConfirmedException",
            "GetUser failed with HTTP 400",
        ),
        (err_header(403, "", "aws.cognito#ForbiddenException"), "ForbiddenException", "GetUser failed with HTTP 403"),
        (err_header(400, r#"{"__type":"BodyException","message":"m"}"#, "HeaderException"), "BodyException", "m"),
        (err_header(400, r#"{"__type":7,"message":"m"}"#, "HeaderException"), "HeaderException", "m"),
        (
            err(503, "{\"__type\":\"\u{fffd}Exception\"}"),
            "ProtocolError",
            "GetUser: HTTP 503 with an error type that cannot be read",
        ),
    ] {
        let retried = matches!(&reply, Reply::Http(status, ..) if *status >= 500);
        let s = replaying(vec![reply.clone(), reply.clone(), reply, ok("{}")]);
        let e = assert_error(run(s.client.get_user(Some("access"))), name);
        assert_eq!(e.message(), message, "{name}");
        assert!(!e.retryable(), "{name}");
        assert_eq!(s.script.requests().len(), if retried { 3 } else { 1 }, "{name}: tries");
    }
}

#[test]
fn malformed_answers_name_the_kind_of_body_without_echoing_it() {
    for (reply, says) in [
        (ok(""), "empty body"),
        (
            ok(r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab"#),
            "malformed or incomplete JSON",
        ),
        (ok("<html><body>captive portal</body></html>"), "HTML body"),
        (ok("[1,2,3]"), "not JSON"),
        (err(400, "<html>Bad Request</html>"), "HTML body"),
    ] {
        let s = replaying(vec![reply]);
        let e = assert_error(sign_in(&s), "ProtocolError");
        assert!(e.message().contains(says), "{e}");
        assert!(!e.message().contains("captive") && !e.message().contains("Bad Request"), "{e}");
        assert!(!e.retryable());
        assert_eq!(s.script.requests().len(), 1, "{says}");
    }
}

#[test]
fn throttling_is_retried_after_a_jittered_pause_and_given_up_after_three_tries() {
    let throttle = || cognito_error("TooManyRequestsException", "Rate exceeded");
    let s = replaying(vec![throttle(), ok(&fixture("get_user"))]);
    run(s.client.get_user(Some("access"))).unwrap();
    let requests = s.script.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "a retry repeats the request");
    // Equal jitter: 50 ms + up to 50 ms, then 100 ms + up to 100 ms.
    let within = |sleeps: Vec<u32>, bounds: &[(u32, u32)]| {
        assert_eq!(sleeps.len(), bounds.len(), "{sleeps:?}");
        for (ms, (low, high)) in sleeps.iter().zip(bounds) {
            assert!((low..=high).contains(&ms), "{sleeps:?}");
        }
    };
    within(s.script.sleeps(), &[(50, 100)]);
    s.script.script(vec![throttle(), throttle(), throttle(), ok("{}")]);
    let e = assert_error(run(s.client.get_user(Some("access"))), "TooManyRequestsException");
    assert!(e.retryable());
    assert_eq!(s.script.requests().len(), 3);
    within(s.script.sleeps(), &[(50, 100), (100, 200)]);
}

#[test]
fn auth_failures_codes_and_attempt_limits_are_never_retried() {
    for name in [
        "NotAuthorizedException",
        "UserNotFoundException",
        "CodeMismatchException",
        "LimitExceededException",
        "InvalidParameterException",
    ] {
        let s = replaying(vec![cognito_error(name, "no"), ok("{}")]);
        let e = assert_error(run(s.client.get_user(Some("access"))), name);
        assert!(!e.retryable());
        assert_eq!(s.script.requests().len(), 1, "{name}");
    }
    // A submitted MFA code is not sent twice either.
    let s =
        signing_in(vec![ok(&fixture("software_token_mfa")), cognito_error("CodeMismatchException", "no"), ok("{}")]);
    let step = sign_in(&s).unwrap();
    assert_error(run(s.client.confirm_totp(&challenge(&step), "123456")), "CodeMismatchException");
    assert_eq!(s.script.requests().len(), 3);
}

#[test]
fn server_errors_and_network_failures_are_retried_then_reported_retryable() {
    let s = replaying(vec![
        err(500, r#"{"__type":"InternalErrorException","message":"boom"}"#),
        Reply::Network,
        ok(&fixture("get_user")),
    ]);
    assert_eq!(run(s.client.get_user(Some("access"))).unwrap().username, "alice");
    assert_eq!(s.script.requests().len(), 3);

    s.script.script(vec![Reply::Network, Reply::Network, Reply::Network]);
    let e = assert_error(run(s.client.get_user(Some("access"))), "NetworkError");
    assert!(e.retryable());
    assert_eq!(e.message(), "GetUser: TypeError: Failed to fetch");

    s.script.script(vec![err(502, "<html><title>502</title></html>"), err(502, "<html/>"), err(502, "<html/>")]);
    let e = assert_error(run(s.client.get_user(Some("access"))), "ProtocolError");
    assert_eq!(e.message(), "GetUser: HTTP 502 without a Cognito error type (HTML body)");
    assert!(e.retryable(), "a gateway's 5xx page is transient");

    s.script.script(vec![err(429, "")]);
    let e = assert_error(run(s.client.get_user(Some("access"))), "ProtocolError");
    assert!(!e.retryable(), "a 4xx without a type is final");
    assert_eq!(s.script.requests().len(), 1);

    s.script.script(vec![Reply::Timeout, Reply::Timeout, Reply::Timeout]);
    let e = assert_error(run(s.client.get_user(Some("access"))), "NetworkError");
    assert_eq!(e.message(), "GetUser: the request timed out after 5000 ms");
    assert_eq!(s.script.requests().len(), 3);
}

// ---- local validation --------------------------------------------------------------------------------

fn config_error(input: ConfigInput) -> String {
    let e = Config::from_input(&input).expect_err("accepted");
    assert_eq!(e.name(), "InvalidParameterException");
    e.message().to_string()
}

#[test]
fn the_configuration_is_checked_before_any_request() {
    let s = |v: &str| Loose::Str(v.into());
    let base = || ConfigInput { user_pool_id: s("eu-central-1_AbC123"), client_id: s("c"), ..ConfigInput::default() };
    assert_eq!(Config::from_input(&base()).unwrap().endpoint(), "https://cognito-idp.eu-central-1.amazonaws.com/");
    for endpoint in ["http://127.0.0.1:9229/", "http://localhost/", "http://[::1]:1/", "https://example.com"] {
        let c = Config::from_input(&ConfigInput { endpoint: s(endpoint), ..base() }).unwrap();
        assert_eq!(c.endpoint(), endpoint);
    }
    let cases: [(ConfigInput, &str); 12] = [
        (ConfigInput { user_pool_id: s("us-east-1_ab_c"), ..base() }, "userPoolId must look like"),
        (ConfigInput { user_pool_id: s("us-gov-west-1_abc"), ..base() }, "userPoolId must look like"),
        (ConfigInput { user_pool_id: Loose::Num(1.0), ..base() }, "userPoolId must be a string"),
        (ConfigInput { user_pool_id: Loose::Missing, ..base() }, "config.userPoolId is required"),
        (ConfigInput { client_id: Loose::Missing, ..base() }, "config.clientId is required"),
        (ConfigInput { client_id: s(""), ..base() }, "clientId must not be empty"),
        (ConfigInput { endpoint: s("http://[::2]/"), ..base() }, "https"),
        (ConfigInput { endpoint: s("https://exa mple.com/"), ..base() }, "https"),
        (ConfigInput { endpoint: s("http://user@127.0.0.1/"), ..base() }, "https"),
        (ConfigInput { client_secret: s(""), ..base() }, "clientSecret must not be empty"),
        (ConfigInput { timeout_ms: Loose::Num(4_294_967_296.0), ..base() }, "timeoutMs must be a non-negative integer"),
        (ConfigInput { timeout_ms: Loose::Num(0.0), ..base() }, "timeoutMs must be positive"),
    ];
    for (input, says) in cases {
        let message = config_error(input);
        assert!(message.contains(says), "{message} should say {says}");
    }
}

#[test]
fn bad_arguments_are_refused_before_anything_is_sent() {
    let s = replaying(vec![]);
    let password = Password::new("pw".into());
    for (result, says) in [
        (run(s.client.sign_in(None, Some(&password))).map(|_| ()), "username must be a string"),
        (run(s.client.sign_in(Some(""), Some(&password))).map(|_| ()), "username must not be empty"),
        (run(s.client.sign_in(Some("alice"), None)).map(|_| ()), "password must be a string"),
        (run(s.client.get_user(Some(""))).map(|_| ()), "the access token must not be empty"),
        (run(s.client.global_sign_out(None)), "the access token must be a string"),
        (run(s.client.revoke_token(Some(""))), "the refresh token must not be empty"),
        (run(s.client.refresh(None, None)).map(|_| ()), "the refresh token must be a string"),
        (
            run(s.client.associate_totp(AssociateWith::AccessToken(""))).map(|_| ()),
            "the access token must not be empty",
        ),
        (run(s.client.disable_totp(Some("alice"), Some(&password), None)), "the access token must be a string"),
    ] {
        let e = assert_error(result, "InvalidParameterException");
        assert_eq!(e.message(), says);
    }
    assert!(s.script.requests().is_empty());
}
