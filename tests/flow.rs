//! The state machine over a replaying transport: Cognito-shaped JSON (tests/fixtures/, shapes from
//! the botocore model) for every challenge and branch, every error mapping, malformed responses,
//! the retry policy, and the exact requests. SRP is real: the server side of each exchange is an
//! amazon-cognito-identity-js vector (tests/vectors/srp.json), so the signature the client sends
//! must equal the SDK's.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use cognito_totp::core::flow::{AssociateWith, Client, Config, MfaKind, MfaPreference, Preference, Step};
use cognito_totp::core::secret::{Password, SecretString};
use cognito_totp::core::srp::N_HEX;
use cognito_totp::core::transport::{Clock, HttpRequest, HttpResponse, Random, Transport, TransportError};
use cognito_totp::core::Error;
use miniserde::json::{self, Value};

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use srp_vectors::{Input, Output, a_bytes};

// ---- the doubles ------------------------------------------------------------------------------

enum Reply {
    Http(u16, Option<&'static str>, String),
    Network,
    Timeout,
}

fn ok(body: &str) -> Reply {
    Reply::Http(200, None, body.to_owned())
}

fn err(status: u16, body: &str) -> Reply {
    Reply::Http(status, None, body.to_owned())
}

fn cognito_error(name: &str, message: &str) -> Reply {
    Reply::Http(400, None, format!(r#"{{"__type":"{name}","message":"{message}"}}"#))
}

#[derive(Default)]
struct Log {
    replies: VecDeque<Reply>,
    requests: Vec<HttpRequest>,
    sleeps: Vec<u32>,
}

/// Answers each request with the next scripted reply and records what was sent.
#[derive(Clone, Default)]
struct Replay(Rc<RefCell<Log>>);

impl Replay {
    fn new(replies: Vec<Reply>) -> Self {
        Replay(Rc::new(RefCell::new(Log { replies: replies.into(), ..Log::default() })))
    }
    fn requests(&self) -> Vec<HttpRequest> {
        self.0.borrow().requests.clone()
    }
    fn bodies(&self) -> Vec<Value> {
        self.requests().iter().map(|r| json::from_str(&r.body).unwrap()).collect()
    }
    fn operations(&self) -> Vec<&'static str> {
        self.requests().iter().map(|r| r.operation).collect()
    }
    fn sleeps(&self) -> Vec<u32> {
        self.0.borrow().sleeps.clone()
    }
    fn left(&self) -> usize {
        self.0.borrow().replies.len()
    }
}

impl Transport for Replay {
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut log = self.0.borrow_mut();
        log.requests.push(request);
        match log.replies.pop_front().expect("the client sent more requests than scripted") {
            Reply::Http(status, header, body) => {
                Ok(HttpResponse { status, error_type_header: header.map(str::to_owned), body })
            }
            Reply::Network => Err(TransportError::Network("TypeError: Failed to fetch".to_owned())),
            Reply::Timeout => Err(TransportError::Timeout),
        }
    }
    async fn sleep(&self, ms: u32) {
        self.0.borrow_mut().sleeps.push(ms);
    }
}

struct FixedClock(u64);
impl Clock for FixedClock {
    fn now_unix(&self) -> u64 {
        self.0
    }
}

/// The first 128-byte draw is the vector's `a`; every other draw (retry jitter) is 0xff bytes,
/// the worst case for the backoff bound.
struct FixedRandom {
    a: [u8; 128],
}
impl Random for FixedRandom {
    fn fill(&self, dest: &mut [u8]) {
        if dest.len() == 128 {
            dest.copy_from_slice(&self.a);
        } else {
            dest.fill(0xff);
        }
    }
}

/// The replies are ready at once, so polling to completion needs no real executor.
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("future did not complete");
}

// ---- SRP vectors ------------------------------------------------------------------------------

fn vector(name: &str) -> (Input, Output) {
    let case = srp_vectors::load().cases.into_iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no vector {name}"));
    (case.input, case.output)
}

/// The PASSWORD_VERIFIER challenge a server would send for this vector.
fn password_verifier(input: &Input, username: &str) -> Reply {
    ok(&format!(
        r#"{{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{{"SALT":"{}","SECRET_BLOCK":"{}","SRP_B":"{}","USERNAME":"{username}","USER_ID_FOR_SRP":"{}"}},"Session":"session-verifier"}}"#,
        input.salt_hex, input.secret_block, input.b_hex, input.user_id_for_srp
    ))
}

const CLIENT_ID: &str = "client123";
const SECRET: &str = "topsecret";

struct Setup {
    input: Input,
    output: Output,
    replay: Replay,
    client: Client<Replay, FixedClock, FixedRandom>,
}

fn setup_with(name: &str, secret: Option<&str>, replies: impl FnOnce(&Input) -> Vec<Reply>) -> Setup {
    let (input, output) = vector(name);
    let replay = Replay::new(replies(&input));
    let config = Config {
        user_pool_id: input.pool_id.clone(),
        client_id: CLIENT_ID.to_owned(),
        endpoint: Some("http://127.0.0.1:9229/".to_owned()),
        client_secret: secret.map(|s| SecretString::new(s.to_owned())),
        timeout_ms: Some(5000),
    };
    let client = Client::new(
        config,
        replay.clone(),
        FixedClock(input.unix_seconds),
        FixedRandom { a: a_bytes(&input.a_hex) },
    )
    .unwrap();
    Setup { input, output, replay, client }
}

/// Sign-in whose PASSWORD_VERIFIER is followed by `after`.
fn signing_in(after: Vec<Reply>) -> Setup {
    setup_with("plain-ascii", None, |input| {
        let mut replies = vec![password_verifier(input, "alice")];
        replies.extend(after);
        replies
    })
}

/// A client whose transport replays `replies`, with no sign-in in front.
fn replaying(replies: Vec<Reply>) -> Setup {
    setup_with("plain-ascii", None, |_| replies)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn member<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, key| match v {
        Value::Object(o) => o.get(*key).unwrap_or_else(|| panic!("no member {key} in {}", json::to_string(v))),
        _ => panic!("not an object at {key}"),
    })
}

fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    match member(v, path) {
        Value::String(s) => s,
        other => panic!("{path:?} is not a string: {}", json::to_string(other)),
    }
}

fn keys(v: &Value, path: &[&str]) -> Vec<String> {
    match member(v, path) {
        Value::Object(o) => o.keys().cloned().collect(),
        _ => panic!("{path:?} is not an object"),
    }
}

/// No request of the exchange may carry the password, in any spelling.
fn assert_password_never_sent(s: &Setup) {
    for r in s.replay.requests() {
        assert!(!r.body.contains(&s.input.password), "{} carried the password", r.operation);
        let escaped = json::to_string(&Value::String(s.input.password.clone()));
        assert!(!r.body.contains(escaped.trim_matches('"')), "{} carried the escaped password", r.operation);
    }
}

fn sign_in(s: &Setup) -> Result<Step, Error> {
    run(s.client.sign_in(&s.input.user_id_for_srp.clone(), &Password::new(s.input.password.clone())))
}

fn challenge_of(step: &Step) -> cognito_totp::core::flow::Challenge {
    step.challenge().expect("a challenge step").clone()
}

// ---- SRP sign-in ------------------------------------------------------------------------------

#[test]
fn srp_sign_in_sends_exact_requests_and_the_sdk_signature() {
    let s = signing_in(vec![ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    let Step::Done(tokens) = step else { panic!("expected done") };
    assert_eq!(tokens.access_token, "eyJ.access.sig");
    assert_eq!(tokens.id_token, "eyJ.id.sig");
    assert_eq!(tokens.refresh_token.as_deref(), Some("eyJ.refresh.sig"));
    assert_eq!(tokens.expires_in, 3600);
    assert_eq!(tokens.token_type, "Bearer");

    let requests = s.replay.requests();
    assert_eq!(requests.len(), 2);
    for (r, op) in requests.iter().zip(["InitiateAuth", "RespondToAuthChallenge"]) {
        assert_eq!(r.url, "http://127.0.0.1:9229/");
        assert_eq!(r.operation, op);
        assert_eq!(r.timeout_ms, Some(5000));
        assert_eq!(
            r.headers,
            vec![
                ("Content-Type", "application/x-amz-json-1.1".to_owned()),
                ("X-Amz-Target", format!("AWSCognitoIdentityProviderService.{op}")),
                ("X-Amz-User-Agent", format!("cognito-totp/{}", env!("CARGO_PKG_VERSION"))),
            ]
        );
    }
    // Members exactly, absent optional ones omitted (no null Session on InitiateAuth).
    assert_eq!(
        requests[0].body,
        format!(
            r#"{{"AuthFlow":"USER_SRP_AUTH","AuthParameters":{{"SRP_A":"{}","USERNAME":"alice"}},"ClientId":"client123"}}"#,
            s.output.big_a
        )
    );
    assert_eq!(
        requests[1].body,
        format!(
            r#"{{"ChallengeName":"PASSWORD_VERIFIER","ChallengeResponses":{{"PASSWORD_CLAIM_SECRET_BLOCK":"{}","PASSWORD_CLAIM_SIGNATURE":"{}","TIMESTAMP":"{}","USERNAME":"alice"}},"ClientId":"client123","Session":"session-verifier"}}"#,
            s.input.secret_block, s.output.signature, s.output.timestamp
        )
    );
    assert_password_never_sent(&s);
}

#[test]
fn every_vector_signs_like_the_sdk_through_the_client() {
    for case in srp_vectors::load().cases {
        let s = setup_with(&case.name, None, |input| vec![password_verifier(input, "typed-name"), ok(&fixture("tokens"))]);
        sign_in(&s).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let bodies = s.replay.bodies();
        assert_eq!(text(&bodies[0], &["AuthParameters", "SRP_A"]), case.output.big_a, "{}", case.name);
        let responses = &["ChallengeResponses"];
        assert_eq!(text(&bodies[1], &[responses[0], "PASSWORD_CLAIM_SIGNATURE"]), case.output.signature, "{}", case.name);
        assert_eq!(text(&bodies[1], &[responses[0], "TIMESTAMP"]), case.output.timestamp, "{}", case.name);
        // The answer names USER_ID_FOR_SRP, not what was typed.
        assert_eq!(text(&bodies[1], &[responses[0], "USERNAME"]), case.input.user_id_for_srp, "{}", case.name);
        assert_password_never_sent(&s);
    }
}

#[test]
fn alias_sign_in_with_a_secret_hashes_each_username_it_sends() {
    let (input, _) = vector("alias-uuid");
    let s = setup_with("alias-uuid", Some(SECRET), |input| {
        vec![password_verifier(input, &input.user_id_for_srp), ok(&fixture("tokens"))]
    });
    run(s.client.sign_in("alias@example.com", &Password::new(input.password.clone()))).unwrap();
    let bodies = s.replay.bodies();
    assert_eq!(text(&bodies[0], &["AuthParameters", "USERNAME"]), "alias@example.com");
    // base64(HMAC-SHA256("topsecret", username ‖ "client123")), computed with Python's hmac.
    assert_eq!(text(&bodies[0], &["AuthParameters", "SECRET_HASH"]), "IYGgOriARo4VH5F0RmVtiaU51XHk2szPssuWReWLBwc=");
    assert_eq!(text(&bodies[1], &["ChallengeResponses", "USERNAME"]), "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
    assert_eq!(
        text(&bodies[1], &["ChallengeResponses", "SECRET_HASH"]),
        "Xf2dZ6kQpDgOyjq5HWBg5qsGDFbLAUkfJEEWVORoeio="
    );
}

// ---- challenges -------------------------------------------------------------------------------

#[test]
fn software_token_mfa_is_answered_with_the_code_and_session() {
    let s = signing_in(vec![ok(&fixture("software_token_mfa")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    assert_eq!(step.kind(), "totpCode");
    let Step::TotpCode { friendly_device_name, .. } = &step else { panic!() };
    assert_eq!(friendly_device_name.as_deref(), Some("My phone"));
    let debug = format!("{step:?}");
    assert!(!debug.contains("session-totp"), "Debug leaks the Session: {debug}");

    let done = run(s.client.confirm_totp(&challenge_of(&step), " 123 456 ")).unwrap();
    assert_eq!(done.kind(), "done");
    let last = &s.replay.requests()[2];
    assert_eq!(last.operation, "RespondToAuthChallenge");
    assert_eq!(
        last.body,
        r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeResponses":{"SOFTWARE_TOKEN_MFA_CODE":"123456","USERNAME":"alice"},"ClientId":"client123","Session":"session-totp"}"#
    );
    assert_password_never_sent(&s);
}

#[test]
fn mfa_setup_associates_verifies_and_answers_with_each_new_session() {
    let s = signing_in(vec![
        ok(&fixture("mfa_setup")),
        ok(&fixture("associate_session")),
        ok(&fixture("verify_session")),
        ok(&fixture("tokens")),
    ]);
    let step = sign_in(&s).unwrap();
    let Step::MfaSetup { can_setup, .. } = &step else { panic!("expected mfaSetup, got {}", step.kind()) };
    assert_eq!(can_setup, &["SOFTWARE_TOKEN_MFA"]);
    let setup = run(s.client.associate_totp(AssociateWith::Challenge(&challenge_of(&step)))).unwrap();
    assert_eq!(setup.secret(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    assert!(setup.is_sign_in());
    assert!(!format!("{setup:?}").contains("JBSWY3DP"));
    let next = run(s.client.verify_totp(&setup, "654321", Some("Pixel"))).unwrap().unwrap();
    assert_eq!(next.kind(), "done");

    let r = s.replay.requests();
    assert_eq!(s.replay.operations()[2..], ["AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge"]);
    assert_eq!(r[2].body, r#"{"Session":"session-setup-1"}"#);
    assert_eq!(r[3].body, r#"{"FriendlyDeviceName":"Pixel","Session":"session-setup-2","UserCode":"654321"}"#);
    assert_eq!(
        r[4].body,
        r#"{"ChallengeName":"MFA_SETUP","ChallengeResponses":{"USERNAME":"alice"},"ClientId":"client123","Session":"session-setup-3"}"#
    );
}

#[test]
fn associate_and_verify_with_an_access_token() {
    let s = replaying(vec![ok(r#"{"SecretCode":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}"#), ok(r#"{"Status":"SUCCESS"}"#)]);
    let setup = run(s.client.associate_totp(AssociateWith::AccessToken("access-1"))).unwrap();
    assert!(!setup.is_sign_in());
    assert_eq!(run(s.client.verify_totp(&setup, "111111", None)).unwrap().map(|s| s.kind()), None);
    let r = s.replay.requests();
    assert_eq!(r[0].body, r#"{"AccessToken":"access-1"}"#);
    assert_eq!(r[1].body, r#"{"AccessToken":"access-1","UserCode":"111111"}"#);
}

#[test]
fn verify_status_error_is_enable_software_token_mfa_exception() {
    let s = replaying(vec![ok(r#"{"SecretCode":"GEZDGNBVGY3TQOJQ"}"#), ok(r#"{"Status":"ERROR"}"#)]);
    let setup = run(s.client.associate_totp(AssociateWith::AccessToken("access-1"))).unwrap();
    let e = run(s.client.verify_totp(&setup, "111111", None)).unwrap_err();
    assert_eq!(e.name(), "EnableSoftwareTokenMFAException");
}

#[test]
fn new_password_required_lists_attributes_and_sends_them_back() {
    let s = signing_in(vec![ok(&fixture("new_password_required")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    let Step::NewPassword { required_attributes, user_attributes, .. } = &step else { panic!("{}", step.kind()) };
    assert_eq!(required_attributes, &["name"]);
    assert_eq!(user_attributes.get("email").map(String::as_str), Some("alice@example.com"));
    let attrs = BTreeMap::from([("name".to_owned(), "Alice A.".to_owned())]);
    let done = run(s.client.complete_new_password(&challenge_of(&step), &Password::new("N3w-pass!".into()), &attrs));
    assert_eq!(done.unwrap().kind(), "done");
    assert_eq!(
        s.replay.requests()[2].body,
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","ChallengeResponses":{"NEW_PASSWORD":"N3w-pass!","USERNAME":"alice","userAttributes.name":"Alice A."},"ClientId":"client123","Session":"session-newpw"}"#
    );
    assert_password_never_sent(&s);
}

#[test]
fn select_mfa_type_then_sms_code() {
    let s = signing_in(vec![ok(&fixture("select_mfa_type")), ok(&fixture("sms_mfa")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    let Step::SelectMfa { options, .. } = &step else { panic!("{}", step.kind()) };
    assert_eq!(options, &[MfaKind::Sms, MfaKind::Totp]);
    let sms = run(s.client.select_mfa(&challenge_of(&step), MfaKind::Sms)).unwrap();
    let Step::SmsCode { destination, .. } = &sms else { panic!("{}", sms.kind()) };
    assert_eq!(destination.as_deref(), Some("+*******0100"));
    // The SMS step cannot be answered as TOTP.
    let wrong = run(s.client.confirm_totp(&challenge_of(&sms), "123456")).unwrap_err();
    assert_eq!(wrong.name(), "InvalidParameterException");
    assert_eq!(run(s.client.confirm_code(&challenge_of(&sms), "246810")).unwrap().kind(), "done");
    let r = s.replay.requests();
    assert_eq!(r.len(), 4, "the refused answer sent nothing");
    assert_eq!(
        r[2].body,
        r#"{"ChallengeName":"SELECT_MFA_TYPE","ChallengeResponses":{"ANSWER":"SMS_MFA","USERNAME":"alice"},"ClientId":"client123","Session":"session-select"}"#
    );
    assert_eq!(
        r[3].body,
        r#"{"ChallengeName":"SMS_MFA","ChallengeResponses":{"SMS_MFA_CODE":"246810","USERNAME":"alice"},"ClientId":"client123","Session":"session-sms"}"#
    );
}

#[test]
fn email_otp_code() {
    let s = signing_in(vec![ok(&fixture("email_otp")), ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    let Step::EmailCode { destination, .. } = &step else { panic!("{}", step.kind()) };
    assert_eq!(destination.as_deref(), Some("a***@e***"));
    assert_eq!(run(s.client.confirm_code(&challenge_of(&step), "135791")).unwrap().kind(), "done");
    assert_eq!(text(&s.replay.bodies()[2], &["ChallengeResponses", "EMAIL_OTP_CODE"]), "135791");
}

#[test]
fn a_secret_client_adds_secret_hash_to_every_challenge_answer() {
    let s = setup_with("plain-ascii", Some(SECRET), |input| {
        vec![password_verifier(input, "alice"), ok(&fixture("software_token_mfa")), ok(&fixture("tokens"))]
    });
    let step = sign_in(&s).unwrap();
    run(s.client.confirm_totp(&challenge_of(&step), "123456")).unwrap();
    for body in s.replay.bodies() {
        let (container, _) = match member(&body, &[]) {
            Value::Object(o) if o.contains_key("AuthParameters") => ("AuthParameters", ()),
            _ => ("ChallengeResponses", ()),
        };
        assert_eq!(text(&body, &[container, "SECRET_HASH"]), "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c=");
    }
}

#[test]
fn unsupported_challenges_and_missing_sessions_are_protocol_errors() {
    let s = signing_in(vec![ok(r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"x","ChallengeParameters":{}}"#)]);
    assert_eq!(sign_in(&s).unwrap_err().name(), "ProtocolError");
    let s = signing_in(vec![ok(r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","ChallengeParameters":{}}"#)]);
    assert_eq!(sign_in(&s).unwrap_err().name(), "ProtocolError");
    let s = signing_in(vec![ok(r#"{"ChallengeParameters":{}}"#)]);
    assert_eq!(sign_in(&s).unwrap_err().name(), "ProtocolError");
}

// ---- signed-in operations -----------------------------------------------------------------------

#[test]
fn set_mfa_preference_get_user_sign_out_revoke_refresh() {
    let s = replaying(vec![
        ok("{}"),
        ok(&fixture("get_user")),
        ok(""),
        ok("{}"),
        ok(&fixture("refresh")),
    ]);
    let pref = MfaPreference { totp: Some(Preference::Preferred), sms: Some(Preference::Disabled), email: None };
    run(s.client.set_mfa_preference("access-1", pref)).unwrap();
    let user = run(s.client.get_user("access-1")).unwrap();
    assert_eq!(user.username, "alice");
    assert_eq!(user.attributes.get("email").map(String::as_str), Some("alice@example.com"));
    assert_eq!(user.mfa_enabled, ["SMS", "TOTP"]);
    assert_eq!(user.mfa_preferred.as_deref(), Some("TOTP"));
    run(s.client.global_sign_out("access-1")).unwrap();
    run(s.client.revoke_token("refresh-1")).unwrap();
    let tokens = run(s.client.refresh("refresh-1", None)).unwrap();
    assert_eq!(tokens.access_token, "eyJ.access2.sig");
    assert_eq!(tokens.refresh_token, None);

    let r = s.replay.requests();
    assert_eq!(s.replay.operations(), ["SetUserMFAPreference", "GetUser", "GlobalSignOut", "RevokeToken", "InitiateAuth"]);
    assert_eq!(
        r[0].body,
        r#"{"AccessToken":"access-1","SMSMfaSettings":{"Enabled":false,"PreferredMfa":false},"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}"#
    );
    assert_eq!(r[1].body, r#"{"AccessToken":"access-1"}"#);
    assert_eq!(r[2].body, r#"{"AccessToken":"access-1"}"#);
    assert_eq!(r[3].body, r#"{"ClientId":"client123","Token":"refresh-1"}"#);
    assert_eq!(
        r[4].body,
        r#"{"AuthFlow":"REFRESH_TOKEN_AUTH","AuthParameters":{"REFRESH_TOKEN":"refresh-1"},"ClientId":"client123"}"#
    );
}

#[test]
fn refresh_and_revoke_with_a_client_secret() {
    let s = setup_with("plain-ascii", Some(SECRET), |_| vec![ok(&fixture("refresh")), ok("{}")]);
    let e = run(s.client.refresh("refresh-1", None)).unwrap_err();
    assert_eq!(e.name(), "InvalidParameterException", "SECRET_HASH needs the username");
    run(s.client.refresh("refresh-1", Some("alice"))).unwrap();
    run(s.client.revoke_token("refresh-1")).unwrap();
    let bodies = s.replay.bodies();
    assert_eq!(keys(&bodies[0], &["AuthParameters"]), ["REFRESH_TOKEN", "SECRET_HASH"]);
    assert_eq!(text(&bodies[0], &["AuthParameters", "SECRET_HASH"]), "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c=");
    assert_eq!(text(&bodies[1], &["ClientSecret"]), SECRET);
}

#[test]
fn disable_totp_rechecks_the_password_whatever_challenge_follows() {
    // PASSWORD_VERIFIER accepted, Cognito then asks for the TOTP code: the check has passed.
    let s = signing_in(vec![ok(&fixture("software_token_mfa")), ok("{}")]);
    run(s.client.disable_totp("alice", &Password::new(s.input.password.clone()), "access-1")).unwrap();
    assert_eq!(s.replay.operations(), ["InitiateAuth", "RespondToAuthChallenge", "SetUserMFAPreference"]);
    assert_eq!(
        s.replay.requests()[2].body,
        r#"{"AccessToken":"access-1","SoftwareTokenMfaSettings":{"Enabled":false,"PreferredMfa":false}}"#
    );
    assert_password_never_sent(&s);

    // Wrong password: NotAuthorized, and TOTP is left alone.
    let s = signing_in(vec![cognito_error("NotAuthorizedException", "Incorrect username or password.")]);
    let e = run(s.client.disable_totp("alice", &Password::new("wrong".into()), "access-1")).unwrap_err();
    assert_eq!(e.name(), "NotAuthorizedException");
    assert_eq!(s.replay.operations(), ["InitiateAuth", "RespondToAuthChallenge"]);
}

// ---- errors -----------------------------------------------------------------------------------

#[test]
fn cognito_error_types_map_to_names_with_messages() {
    let cases: &[(Reply, &str, &str, bool)] = &[
        (cognito_error("NotAuthorizedException", "Incorrect username or password."), "NotAuthorizedException", "Incorrect username or password.", false),
        (cognito_error("UserNotFoundException", "User does not exist."), "UserNotFoundException", "User does not exist.", false),
        (cognito_error("CodeMismatchException", "Invalid code received for user"), "CodeMismatchException", "Invalid code received for user", false),
        (cognito_error("ExpiredCodeException", "Invalid code provided, please request a code again."), "ExpiredCodeException", "Invalid code provided, please request a code again.", false),
        (cognito_error("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"), "EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA", false),
        (cognito_error("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool"), "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool", false),
        (cognito_error("InvalidParameterException", "1 validation error detected"), "InvalidParameterException", "1 validation error detected", false),
        // Namespaced `__type`, capitalised `Message`.
        (err(400, r#"{"__type":"com.amazonaws.cognito.identity.idp.model#PasswordResetRequiredException","Message":"Password reset required for the user"}"#), "PasswordResetRequiredException", "Password reset required for the user", false),
        // Only the header names the type.
        (Reply::Http(400, Some("UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/"), "{}".to_owned()), "UserNotConfirmedException", "GetUser failed with HTTP 400", false),
        (Reply::Http(403, Some("aws.cognito#ForbiddenException"), String::new()), "ForbiddenException", "GetUser failed with HTTP 403", false),
    ];
    for (reply, name, message, retryable) in cases {
        let reply = match reply {
            Reply::Http(s, h, b) => Reply::Http(*s, *h, b.clone()),
            _ => unreachable!(),
        };
        let s = signing_in(vec![]);
        let replay = Replay::new(vec![reply]);
        let client = Client::new(
            Config {
                user_pool_id: s.input.pool_id.clone(),
                client_id: CLIENT_ID.into(),
                endpoint: None,
                client_secret: None,
                timeout_ms: None,
            },
            replay.clone(),
            FixedClock(0),
            FixedRandom { a: [1; 128] },
        )
        .unwrap();
        let e = run(client.get_user("access")).unwrap_err();
        assert_eq!((e.name(), e.message(), e.retryable()), (*name, *message, *retryable), "{name}");
        assert!(matches!(e, Error::Service { .. }));
        assert_eq!(replay.requests().len(), 1, "{name} must not be retried");
        assert_eq!(replay.requests()[0].url, "https://cognito-idp.us-east-1.amazonaws.com/");
    }
}

#[test]
fn malformed_responses_are_protocol_errors() {
    let bad: Vec<(&str, Reply)> = vec![
        ("empty body", ok("")),
        ("truncated JSON", ok(r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab"#)),
        ("HTML 200", ok("<html><body>captive portal</body></html>")),
        ("not an object", ok("[1,2,3]")),
        ("400 without a type", err(400, "<html>Bad Request</html>")),
    ];
    for (what, reply) in bad {
        let s = signing_in(vec![]);
        *s.replay.0.borrow_mut() = Log { replies: vec![reply].into(), ..Log::default() };
        let e = sign_in(&s).unwrap_err();
        assert_eq!(e.name(), "ProtocolError", "{what}: {e}");
        assert!(!e.retryable(), "{what}");
        assert_eq!(s.replay.requests().len(), 1, "{what}");
    }
}

#[test]
fn html_502_is_retried_then_reported_as_protocol_error() {
    let html = || err(502, "<html><head><title>502 Bad Gateway</title></head></html>");
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log { replies: vec![html(), html(), html()].into(), ..Log::default() };
    let e = sign_in(&s).unwrap_err();
    assert_eq!(e.name(), "ProtocolError");
    assert!(e.message().contains("502") && e.message().contains("HTML"), "{e}");
    assert_eq!(s.replay.requests().len(), 3);
}

#[test]
fn missing_members_are_protocol_errors() {
    let (input, _) = vector("plain-ascii");
    let without = |member: &str| {
        let mut params = BTreeMap::from([
            ("SALT", input.salt_hex.clone()),
            ("SECRET_BLOCK", input.secret_block.clone()),
            ("SRP_B", input.b_hex.clone()),
            ("USER_ID_FOR_SRP", "alice".to_owned()),
        ]);
        params.remove(member);
        let params: Vec<String> = params.iter().map(|(k, v)| format!(r#""{k}":"{v}""#)).collect();
        ok(&format!(r#"{{"ChallengeName":"PASSWORD_VERIFIER","Session":"s","ChallengeParameters":{{{}}}}}"#, params.join(",")))
    };
    for m in ["SALT", "SECRET_BLOCK", "SRP_B"] {
        let s = signing_in(vec![]);
        *s.replay.0.borrow_mut() = Log { replies: vec![without(m)].into(), ..Log::default() };
        let e = sign_in(&s).unwrap_err();
        assert_eq!(e.name(), "ProtocolError", "{m}");
        assert!(e.message().contains(m), "{e}");
    }
    for (what, body) in [
        ("AccessToken", r#"{"AuthenticationResult":{"IdToken":"i","ExpiresIn":3600}}"#),
        ("IdToken", r#"{"AuthenticationResult":{"AccessToken":"a","ExpiresIn":3600}}"#),
        ("ExpiresIn", r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i"}}"#),
    ] {
        let s = signing_in(vec![ok(body)]);
        let e = sign_in(&s).unwrap_err();
        assert_eq!(e.name(), "ProtocolError", "{what}");
        assert!(e.message().contains(what), "{e}");
    }
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log { replies: vec![ok("{}")].into(), ..Log::default() };
    assert_eq!(run(s.client.associate_totp(AssociateWith::AccessToken("a"))).unwrap_err().name(), "ProtocolError");
    *s.replay.0.borrow_mut() = Log { replies: vec![ok(r#"{"Username":"alice"}"#)].into(), ..Log::default() };
    assert_eq!(run(s.client.get_user("a")).unwrap_err().name(), "ProtocolError");
}

#[test]
fn get_user_attributes_keep_the_last_of_a_repeated_name_and_skip_nameless_ones() {
    let s = replaying(vec![ok(
        r#"{"Username":"alice","UserAttributes":[{"Name":"b","Value":"1"},{"Value":"orphan"},{"Name":"a"},{"Name":"b","Value":"2"}]}"#,
    )]);
    let user = run(s.client.get_user("access-1")).unwrap();
    let got: Vec<(&str, &str)> = user.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(got, [("a", ""), ("b", "2")]);
}

#[test]
fn a_server_b_of_zero_mod_n_is_refused_before_answering() {
    let (input, _) = vector("plain-ascii");
    for b in ["0", N_HEX] {
        let mut bad = input.clone();
        bad.b_hex = b.to_owned();
        let s = signing_in(vec![]);
        *s.replay.0.borrow_mut() = Log { replies: vec![password_verifier(&bad, "alice")].into(), ..Log::default() };
        let e = sign_in(&s).unwrap_err();
        assert_eq!(e.name(), "ProtocolError", "B = {}", &b[..1]);
        assert_eq!(s.replay.requests().len(), 1, "nothing answered for a bad B");
    }
}

// ---- retries ----------------------------------------------------------------------------------

fn throttle() -> Reply {
    cognito_error("TooManyRequestsException", "Rate exceeded")
}

#[test]
fn throttling_then_success_is_retried_with_backoff() {
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log { replies: vec![throttle(), ok(&fixture("get_user"))].into(), ..Log::default() };
    run(s.client.get_user("a")).unwrap();
    assert_eq!(s.replay.requests().len(), 2);
    let sleeps = s.replay.sleeps();
    assert_eq!(sleeps.len(), 1);
    assert!((50..=100).contains(&sleeps[0]), "first backoff {sleeps:?}");
    assert_eq!(s.replay.requests()[0], s.replay.requests()[1], "the retry repeats the request");
}

#[test]
fn throttling_three_times_gives_up_retryable() {
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log { replies: vec![throttle(), throttle(), throttle(), ok("{}")].into(), ..Log::default() };
    let e = run(s.client.global_sign_out("a")).unwrap_err();
    assert_eq!((e.name(), e.retryable()), ("TooManyRequestsException", true));
    assert_eq!(s.replay.requests().len(), 3);
    assert_eq!(s.replay.left(), 1);
    let sleeps = s.replay.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!((50..=100).contains(&sleeps[0]) && (100..=200).contains(&sleeps[1]), "{sleeps:?}");
}

#[test]
fn auth_failures_are_never_retried() {
    for name in ["NotAuthorizedException", "CodeMismatchException", "ExpiredCodeException", "InvalidParameterException"] {
        let s = signing_in(vec![]);
        *s.replay.0.borrow_mut() = Log { replies: vec![cognito_error(name, "no"), ok("{}")].into(), ..Log::default() };
        let e = sign_in(&s).unwrap_err();
        assert_eq!(e.name(), name);
        assert!(!e.retryable());
        assert_eq!(s.replay.requests().len(), 1, "{name}");
        assert!(s.replay.sleeps().is_empty());
    }
}

#[test]
fn network_failures_and_5xx_are_retried() {
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log {
        replies: vec![Reply::Network, err(500, r#"{"__type":"InternalErrorException","message":"boom"}"#), ok("{}")].into(),
        ..Log::default()
    };
    run(s.client.global_sign_out("a")).unwrap();
    assert_eq!(s.replay.requests().len(), 3);

    *s.replay.0.borrow_mut() = Log { replies: vec![Reply::Timeout, Reply::Timeout, Reply::Timeout].into(), ..Log::default() };
    let e = run(s.client.global_sign_out("a")).unwrap_err();
    assert_eq!((e.name(), e.retryable()), ("NetworkError", true));
    assert!(e.message().contains("timed out after 5000 ms"), "{e}");

    *s.replay.0.borrow_mut() = Log {
        replies: (0..3).map(|_| err(503, r#"{"__type":"InternalErrorException","message":"boom"}"#)).collect(),
        ..Log::default()
    };
    let e = run(s.client.global_sign_out("a")).unwrap_err();
    assert_eq!((e.name(), e.retryable()), ("InternalErrorException", true));
}

// ---- local validation -------------------------------------------------------------------------

fn config(pool: &str, endpoint: Option<&str>) -> Config {
    Config {
        user_pool_id: pool.into(),
        client_id: CLIENT_ID.into(),
        endpoint: endpoint.map(str::to_owned),
        client_secret: None,
        timeout_ms: None,
    }
}

fn new_client(c: Config) -> Result<Client<Replay, FixedClock, FixedRandom>, Error> {
    Client::new(c, Replay::default(), FixedClock(0), FixedRandom { a: [1; 128] })
}

#[test]
fn pool_ids_and_endpoints_are_checked_locally() {
    for good in ["us-east-1_AbC123", "eu-west-2_Zz9Yy8Xx7", "ap-southeast-2_x"] {
        assert!(new_client(config(good, None)).is_ok(), "{good}");
    }
    for bad in ["", "us-east-1", "us-east-1_", "US-east-1_abc", "useast-1_abc", "us-east-12_abc", "us-east-1_ab-c", "us_east_1_abc", "u-east-1_abc"] {
        let e = new_client(config(bad, None)).unwrap_err();
        assert_eq!(e.name(), "InvalidParameterException", "{bad}");
    }
    let client = new_client(config("eu-central-1_AbC", None)).unwrap();
    assert_eq!(client.endpoint(), "https://cognito-idp.eu-central-1.amazonaws.com/");
    for good in ["https://cognito.example.com/", "http://127.0.0.1:9229/", "http://localhost:8080/", "http://[::1]:9/", "http://localhost"] {
        assert!(new_client(config("us-east-1_A", Some(good))).is_ok(), "{good}");
    }
    for bad in ["http://example.com/", "http://127.0.0.2/", "http://localhost.evil.com/", "http://user@127.0.0.1/", "ftp://127.0.0.1/", "https://", "127.0.0.1:9229"] {
        let e = new_client(config("us-east-1_A", Some(bad))).unwrap_err();
        assert_eq!(e.name(), "InvalidParameterException", "{bad}");
    }
    let mut c = config("us-east-1_A", None);
    c.client_id = String::new();
    assert!(new_client(c).is_err());
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let s = signing_in(vec![]);
    let pw = Password::new("pw".into());
    let empty = Password::new(String::new());
    let expect_invalid = |r: Result<(), Error>, what: &str| {
        let e = r.unwrap_err();
        assert_eq!(e.name(), "InvalidParameterException", "{what}");
        assert!(!e.retryable());
    };
    expect_invalid(run(s.client.sign_in("", &pw)).map(drop), "empty username");
    expect_invalid(run(s.client.sign_in("alice", &empty)).map(drop), "empty password");
    expect_invalid(run(s.client.get_user("")).map(drop), "empty token");
    expect_invalid(run(s.client.set_mfa_preference("a", MfaPreference::default())), "no preference");
    expect_invalid(run(s.client.disable_totp("alice", &empty, "a")), "empty password (disable)");
    assert!(s.replay.requests().is_empty());

    // Codes: exactly six digits once spaces are gone.
    let t = signing_in(vec![ok(&fixture("software_token_mfa"))]);
    let step = sign_in(&t).unwrap();
    let ch = challenge_of(&step);
    for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦", "12-456", "+12345"] {
        let e = run(t.client.confirm_totp(&ch, bad)).unwrap_err();
        assert_eq!(e.name(), "InvalidParameterException", "{bad:?}");
    }
    assert_eq!(t.replay.requests().len(), 2, "no bad code was sent");
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let s = signing_in(vec![ok(&fixture("tokens"))]);
    let step = sign_in(&s).unwrap();
    let shown = format!("{step:?} {:?}", s.client);
    assert!(!shown.contains("eyJ"), "{shown}");
    let secret = setup_with("plain-ascii", Some(SECRET), |_| vec![]);
    assert!(!format!("{:?}", secret.client).contains(SECRET));
    let req = &s.replay.requests()[1];
    assert!(!format!("{req:?}").contains("session-verifier"));
}

#[test]
fn setups_configs_responses_and_errors_stay_redacted() {
    let s = replaying(vec![ok(r#"{"SecretCode":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}"#)]);
    let setup = run(s.client.associate_totp(AssociateWith::AccessToken("eyJ.access.sig"))).unwrap();
    let shown = format!("{setup:?}");
    assert!(!shown.contains("GEZDGNBV") && !shown.contains("eyJ"), "{shown}");

    let mut c = config("us-east-1_A", None);
    c.client_secret = Some(SecretString::new(SECRET.to_owned()));
    assert!(!format!("{c:?}").contains(SECRET), "{c:?}");

    let response = HttpResponse { status: 200, error_type_header: None, body: fixture("tokens") };
    assert!(!format!("{response:?}").contains("eyJ"), "{response:?}");

    // Failures on the way (bad B, a malformed answer) name the problem, never the password.
    let (mut bad, _) = vector("plain-ascii");
    bad.b_hex = "0".to_owned();
    let s = signing_in(vec![]);
    *s.replay.0.borrow_mut() = Log { replies: vec![password_verifier(&bad, "alice")].into(), ..Log::default() };
    let e = sign_in(&s).unwrap_err();
    let t = signing_in(vec![ok(r#"{"ChallengeName":"#)]);
    let f = sign_in(&t).unwrap_err();
    for e in [e, f] {
        let shown = format!("{e:?} {e}");
        assert!(!shown.contains(&s.input.password), "{shown}");
    }
}

// ---- prepare(): A computed ahead ------------------------------------------------------------------

/// Hands out the queued 128-byte `a` values in order (jitter draws get 0xff), so a test can tell which
/// draw a sign-in used.
struct QueuedRandom(RefCell<VecDeque<[u8; 128]>>);
impl Random for QueuedRandom {
    fn fill(&self, dest: &mut [u8]) {
        if dest.len() == 128 {
            dest.copy_from_slice(&self.0.borrow_mut().pop_front().expect("more `a` draws than queued"));
        } else {
            dest.fill(0xff);
        }
    }
}

fn sent_srp_a(replay: &Replay, request: usize) -> String {
    text(&replay.bodies()[request], &["AuthParameters", "SRP_A"]).to_owned()
}

#[test]
fn a_prepared_key_serves_the_next_sign_in_only() {
    let (input, output) = vector("plain-ascii");
    let other = a_bytes(&vector("non-ascii").0.a_hex);
    let unused = a_bytes(&vector("leap-day").0.a_hex);
    // Draw order: prepare() → `unused`, prepare() again → the vector's a, second sign-in → `other`.
    let random = QueuedRandom(RefCell::new(VecDeque::from([unused, a_bytes(&input.a_hex), other])));
    let replay = Replay::new(vec![
        password_verifier(&input, "alice"),
        ok(&fixture("tokens")),
        password_verifier(&input, "alice"),
        ok(&fixture("tokens")),
    ]);
    let config = Config {
        user_pool_id: input.pool_id.clone(),
        client_id: CLIENT_ID.to_owned(),
        endpoint: Some("http://127.0.0.1:9229/".to_owned()),
        client_secret: None,
        timeout_ms: None,
    };
    let client = Client::new(config, replay.clone(), FixedClock(input.unix_seconds), random).unwrap();
    client.prepare().unwrap();
    // A second prepare() replaces the unused key rather than queueing it.
    client.prepare().unwrap();
    let password = Password::new(input.password.clone());

    run(client.sign_in("alice", &password)).unwrap();
    assert_eq!(sent_srp_a(&replay, 0), output.big_a, "the sign-in used the prepared key");
    assert_eq!(text(&replay.bodies()[1], &["ChallengeResponses", "PASSWORD_CLAIM_SIGNATURE"]), output.signature);

    run(client.sign_in("alice", &password)).unwrap();
    let second = sent_srp_a(&replay, 2);
    assert_ne!(second, output.big_a, "a prepared key must never serve two sign-ins");
    assert_eq!(second, vector("non-ascii").1.big_a, "the second sign-in drew a fresh a");
    assert_eq!(replay.left(), 0);
}
