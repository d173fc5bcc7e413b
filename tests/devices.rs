//! Remembered devices in the state machine, over a scripted transport: NewDeviceMetadata on a finished sign-in,
//! ConfirmDevice's verifier and the remembered status it leads to, a sign-in through a device (DEVICE_KEY on
//! InitiateAuth and PASSWORD_VERIFIER, then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answered without the app),
//! a device Cognito no longer knows (reported once, one fresh sign-in, no loop) and the device list. The SRP
//! arithmetic itself is checked against the srp crate (tests/srp_crate.rs) and amazon-cognito-identity-js.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/scripted.rs"]
mod scripted;
#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use base64ct::{Base64, Encoding};
use cognito_totp::core::Error;
use cognito_totp::core::flow::{Client, Config, Device, NewDevice, RememberedStatus, Step};
use cognito_totp::core::input::ConfigInput;
use cognito_totp::core::secret::Password;
use cognito_totp::core::srp::{SrpClient, device_verifier};
use cognito_totp::core::timestamp::cognito_timestamp;
use cognito_totp::core::wire::Loose;
use scripted::{FixedClock, FixedRandom, Reply, Scripted, cognito_error, ok, run};
use serde_json::{Value, json};
use srp_vectors::{Input, a_bytes};

const DEVICE_KEY: &str = "us-east-1_6d2b0b5e-3c51-4a43-9e0a-2f1c7f1d8a90";
const GROUP_KEY: &str = "-4vC0Jx9Q";
const DEVICE_PASSWORD: &str = "ZGV2aWNlIHBhc3N3b3JkIGZvciB0aGUgdGVzdHMgb2YgZGV2aWNlcw==";

type TestClient = Client<Scripted, FixedClock, FixedRandom>;

struct Setup {
    input: Input,
    script: Scripted,
    client: TestClient,
}

fn setup(replies: impl FnOnce(&Input) -> Vec<Reply>) -> Setup {
    let case = srp_vectors::load().cases.into_iter().find(|c| c.name == "plain-ascii").unwrap();
    let input = case.input;
    let script = Scripted::new(replies(&input));
    let clock = FixedClock { now: input.unix_seconds, log: script.clone() };
    let s = |v: &str| Loose::Str(v.into());
    let config = Config::from_input(&ConfigInput {
        user_pool_id: s(&input.pool_id),
        client_id: s("client123"),
        endpoint: s("http://127.0.0.1:9229/"),
        client_secret: Loose::Missing,
        timeout_ms: Loose::Missing,
    })
    .unwrap();
    let client = Client::new(config, script.clone(), clock, FixedRandom::new(vec![a_bytes(&input.a_hex)]));
    Setup { input, script, client }
}

fn device() -> Device {
    Device::new(DEVICE_KEY.into(), GROUP_KEY.into(), Password::new(DEVICE_PASSWORD.into())).unwrap()
}

fn password_verifier(input: &Input) -> Reply {
    ok(&json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": input.salt_hex, "SECRET_BLOCK": input.secret_block, "SRP_B": input.b_hex,
            "USERNAME": "alice", "USER_ID_FOR_SRP": input.user_id_for_srp,
        },
        "Session": "session-verifier",
    })
    .to_string())
}

fn device_srp_auth() -> Reply {
    ok(&json!({ "ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": {}, "Session": "session-device" })
        .to_string())
}

/// DEVICE_PASSWORD_VERIFIER with the vector's server half (any valid B, salt and secret block do).
fn device_password_verifier(input: &Input) -> Reply {
    ok(&json!({
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": input.salt_hex, "SECRET_BLOCK": input.secret_block, "SRP_B": input.b_hex,
            "USERNAME": input.user_id_for_srp, "DEVICE_KEY": DEVICE_KEY,
        },
        "Session": "session-device-verifier",
    })
    .to_string())
}

fn tokens(new_device: Value) -> Reply {
    ok(&json!({
        "AuthenticationResult": {
            "AccessToken": "eyJ.access.sig", "ExpiresIn": 3600, "IdToken": "eyJ.id.sig",
            "RefreshToken": "eyJ.refresh.sig", "TokenType": "Bearer", "NewDeviceMetadata": new_device,
        },
        "ChallengeParameters": {},
    })
    .to_string())
}

fn totp_challenge() -> Reply {
    ok(&json!({ "ChallengeName": "SOFTWARE_TOKEN_MFA", "ChallengeParameters": {}, "Session": "session-mfa" })
        .to_string())
}

fn sign_in(s: &Setup) -> Result<Step, Error> {
    run(s.client.sign_in(Some(&s.input.user_id_for_srp), Some(&Password::new(s.input.password.clone()))))
}

fn sign_in_on(s: &Setup, device: &Device) -> Result<(Step, Option<Error>), Error> {
    let password = Password::new(s.input.password.clone());
    run(s.client.sign_in_on_device(Some(&s.input.user_id_for_srp), Some(&password), device))
}

#[track_caller]
fn assert_error<T: std::fmt::Debug>(result: Result<T, Error>, name: &str) -> Error {
    let e = result.expect_err("expected an error");
    assert_eq!(e.name(), name, "{e}");
    e
}

fn new_device() -> NewDevice {
    NewDevice { key: DEVICE_KEY.into(), group_key: GROUP_KEY.into() }
}

// ---- a new device ----------------------------------------------------------------------------------------

#[test]
fn new_device_metadata_is_on_the_done_step_and_absent_when_null_or_partial() {
    let s =
        setup(|i| vec![password_verifier(i), tokens(json!({ "DeviceKey": DEVICE_KEY, "DeviceGroupKey": GROUP_KEY }))]);
    let step = sign_in(&s).unwrap();
    let Step::Done { new_device: metadata, .. } = &step else { panic!("{step:?}") };
    assert_eq!(metadata.as_ref(), Some(&new_device()));
    let public = serde_json::to_value(&step).unwrap();
    assert_eq!(public["newDevice"], json!({ "key": DEVICE_KEY, "groupKey": GROUP_KEY }));

    for metadata in [json!(null), json!({ "DeviceKey": DEVICE_KEY }), json!({ "DeviceKey": "", "DeviceGroupKey": "g" })]
    {
        let s = setup(|i| vec![password_verifier(i), tokens(metadata.clone())]);
        let step = sign_in(&s).unwrap();
        assert!(matches!(&step, Step::Done { new_device: None, .. }), "{metadata}: {step:?}");
        assert!(serde_json::to_value(&step).unwrap().get("newDevice").is_none());
    }
}

#[test]
fn remember_device_sends_the_verifier_of_a_fresh_password_and_sets_the_status_only_where_needed() {
    // (remember, UserConfirmationNecessary) → the status call that follows ConfirmDevice, if any.
    let cases = [
        (true, true, Some("remembered")),
        (true, false, None),
        (false, false, Some("not_remembered")),
        (false, true, None),
    ];
    for (remember, necessary, status) in cases {
        let mut replies = vec![ok(&json!({ "UserConfirmationNecessary": necessary }).to_string())];
        if status.is_some() {
            replies.push(ok("{}"));
        }
        let s = setup(|_| replies);
        let device =
            run(s.client.remember_device(Some("eyJ.access.sig"), &new_device(), Some("Firefox on Linux"), remember))
                .unwrap();
        assert_eq!((device.key(), device.group_key()), (DEVICE_KEY, GROUP_KEY));
        // FixedRandom draws 0xff bytes for everything but SRP keys: the password is base64 of 40 of them.
        assert_eq!(device.password().as_str(), Base64::encode_string(&[0xff; 40]));
        assert!(!format!("{device:?}").contains(device.password().as_str()), "Debug shows the device password");

        let bodies = s.script.bodies();
        let expected = device_verifier(GROUP_KEY, DEVICE_KEY, device.password(), &[0xff; 16]);
        assert_eq!(
            bodies[0],
            json!({
                "AccessToken": "eyJ.access.sig", "DeviceKey": DEVICE_KEY, "DeviceName": "Firefox on Linux",
                "DeviceSecretVerifierConfig": {
                    "PasswordVerifier": expected.password_verifier_b64, "Salt": expected.salt_b64,
                },
            })
        );
        // padHex of a salt whose top bit is set gains a 0x00.
        assert_eq!(Base64::decode_vec(&expected.salt_b64).unwrap(), [&[0u8][..], &[0xff; 16]].concat());
        assert!(!s.script.requests()[0].body.contains(device.password().as_str()), "the device password was sent");
        let mut operations = vec!["ConfirmDevice"];
        if let Some(status) = status {
            operations.push("UpdateDeviceStatus");
            assert_eq!(
                bodies[1],
                json!({ "AccessToken": "eyJ.access.sig", "DeviceKey": DEVICE_KEY, "DeviceRememberedStatus": status })
            );
        }
        assert_eq!(s.script.operations(), operations, "remember {remember}, necessary {necessary}");
    }
}

#[test]
fn remember_device_checks_its_input_and_a_failed_confirm_device_is_not_retried_or_hidden() {
    let s = setup(|_| vec![]);
    assert_error(run(s.client.remember_device(None, &new_device(), None, true)), "InvalidParameterException");
    assert_error(run(s.client.remember_device(Some("t"), &new_device(), Some(""), true)), "InvalidParameterException");
    assert!(s.script.requests().is_empty());

    let s = setup(|_| vec![cognito_error("NotAuthorizedException", "Access Token has expired")]);
    assert_error(run(s.client.remember_device(Some("t"), &new_device(), None, true)), "NotAuthorizedException");
    assert_eq!(s.script.operations(), ["ConfirmDevice"]);
    // Throttling is retried; the same verifier goes again.
    let s = setup(|_| {
        vec![
            cognito_error("TooManyRequestsException", "slow down"),
            ok(&json!({ "UserConfirmationNecessary": false }).to_string()),
        ]
    });
    run(s.client.remember_device(Some("t"), &new_device(), None, true)).unwrap();
    let requests = s.script.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[test]
fn device_values_are_checked_when_made() {
    let p = || Password::new("pw".into());
    assert!(Device::new("".into(), "g".into(), p()).is_err());
    assert!(Device::new("nounderscore".into(), "g".into(), p()).is_err());
    assert!(Device::new(format!("us-east-1_{}", "a".repeat(50)), "g".into(), p()).is_err());
    assert!(Device::new(DEVICE_KEY.into(), "".into(), p()).is_err());
    assert!(Device::new(DEVICE_KEY.into(), "g".into(), Password::new(String::new())).is_err());
    assert_eq!(Device::new(String::new(), "g".into(), p()).unwrap_err().name(), "InvalidParameterException");
    assert!(Device::new(DEVICE_KEY.into(), "g".into(), p()).is_ok());
}

// ---- signing in through a device ---------------------------------------------------------------------------

#[test]
fn a_remembered_device_proves_itself_and_the_sign_in_is_done_without_mfa() {
    let s = setup(|i| vec![password_verifier(i), device_srp_auth(), device_password_verifier(i), tokens(json!(null))]);
    let (step, notice) = sign_in_on(&s, &device()).unwrap();
    assert!(notice.is_none());
    assert!(matches!(step, Step::Done { new_device: None, .. }), "{step:?}");
    assert_eq!(
        s.script.operations(),
        ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge", "RespondToAuthChallenge"]
    );
    let b = s.script.bodies();
    assert_eq!(b[0]["AuthParameters"]["DEVICE_KEY"], DEVICE_KEY);
    assert_eq!(b[1]["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(b[1]["ChallengeResponses"]["DEVICE_KEY"], DEVICE_KEY);

    assert_eq!(b[2]["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(b[2]["Session"], "session-device");
    let responses = &b[2]["ChallengeResponses"];
    assert_eq!(responses["DEVICE_KEY"], DEVICE_KEY);
    assert_eq!(responses["USERNAME"], s.input.user_id_for_srp);
    // A fresh key for the device exchange (the second draw), not the password exchange's.
    let device_key = SrpClient::new(&[0x42; 128]).unwrap();
    assert_eq!(responses["SRP_A"], device_key.a_hex());
    assert_ne!(responses["SRP_A"], b[0]["AuthParameters"]["SRP_A"]);

    assert_eq!(b[3]["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert_eq!(b[3]["Session"], "session-device-verifier");
    let responses = &b[3]["ChallengeResponses"];
    let timestamp = cognito_timestamp(s.input.unix_seconds);
    let i = &s.input;
    let signature = device_key
        .device_claim(GROUP_KEY, DEVICE_KEY, device().password(), &i.salt_hex, &i.b_hex, &i.secret_block, &timestamp)
        .unwrap();
    assert_eq!(
        responses,
        &json!({
            "DEVICE_KEY": DEVICE_KEY, "USERNAME": i.user_id_for_srp, "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SECRET_BLOCK": i.secret_block, "PASSWORD_CLAIM_SIGNATURE": signature,
        })
    );
    for r in s.script.requests() {
        assert!(!r.body.contains(DEVICE_PASSWORD), "{} carried the device password", r.operation);
        assert!(!r.body.contains(&s.input.password), "{} carried the password", r.operation);
    }
}

#[test]
fn a_device_not_remembered_is_still_asked_for_mfa_and_the_code_goes_with_its_key() {
    let s = setup(|i| {
        vec![
            password_verifier(i),
            device_srp_auth(),
            device_password_verifier(i),
            totp_challenge(),
            tokens(json!(null)),
        ]
    });
    let (step, notice) = sign_in_on(&s, &device()).unwrap();
    assert!(notice.is_none());
    let Step::TotpCode { .. } = &step else { panic!("{step:?}") };
    let challenge = step.challenge().unwrap().clone();
    let done = run(s.client.confirm_totp(&challenge, "123456")).unwrap();
    assert!(matches!(done, Step::Done { .. }));
    let last = s.script.bodies().pop().unwrap();
    assert_eq!(last["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(last["ChallengeResponses"]["DEVICE_KEY"], DEVICE_KEY);
    assert_eq!(last["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"], "123456");
}

#[test]
fn a_device_cognito_does_not_know_is_reported_once_and_the_sign_in_starts_again_without_it() {
    // At InitiateAuth, at PASSWORD_VERIFIER, at the device proof: each is followed by one fresh sign-in.
    for at in 0..3 {
        let s = setup(|i| {
            let missing = cognito_error("ResourceNotFoundException", "Device does not exist.");
            let mut replies = match at {
                0 => vec![missing],
                1 => vec![password_verifier(i), missing],
                _ => vec![password_verifier(i), device_srp_auth(), missing],
            };
            replies.extend([password_verifier(i), totp_challenge()]);
            replies
        });
        let (step, notice) = sign_in_on(&s, &device()).unwrap();
        let notice = notice.expect("a notice");
        assert_eq!((notice.name(), notice.message()), ("ResourceNotFoundException", "Device does not exist."));
        assert!(matches!(step, Step::TotpCode { .. }), "{at}: {step:?}");
        let bodies = s.script.bodies();
        let restart = bodies.iter().rposition(|b| b.get("AuthFlow").is_some()).unwrap();
        assert!(restart > 0, "{at}: no second InitiateAuth");
        assert!(bodies[restart..].iter().all(|b| !b.to_string().contains(DEVICE_KEY)), "{at}: the key went again");
        assert_eq!(s.script.left(), 0);
    }
    // When the fresh sign-in fails too, that failure is the answer: no third try.
    let s = setup(|_| {
        vec![
            cognito_error("ResourceNotFoundException", "Device does not exist."),
            cognito_error("ResourceNotFoundException", "User pool client does not exist."),
        ]
    });
    let e = assert_error(sign_in_on(&s, &device()), "ResourceNotFoundException");
    assert_eq!(e.message(), "User pool client does not exist.");
    assert_eq!(s.script.operations(), ["InitiateAuth", "InitiateAuth"]);
}

#[test]
fn a_wrong_device_password_is_not_authorized_and_not_retried() {
    let s = setup(|i| {
        vec![
            password_verifier(i),
            device_srp_auth(),
            device_password_verifier(i),
            cognito_error("NotAuthorizedException", "Incorrect username or password."),
        ]
    });
    assert_error(sign_in_on(&s, &device()), "NotAuthorizedException");
    assert_eq!(s.script.left(), 0);
    assert_eq!(s.script.requests().len(), 4);
}

#[test]
fn device_challenges_out_of_place_are_protocol_errors() {
    // DEVICE_SRP_AUTH to a sign-in that named no device.
    let s = setup(|i| vec![password_verifier(i), device_srp_auth()]);
    assert_error(sign_in(&s), "ProtocolError");
    // DEVICE_SRP_AUTH answered with something other than DEVICE_PASSWORD_VERIFIER, or without its members.
    let s = setup(|i| vec![password_verifier(i), device_srp_auth(), totp_challenge()]);
    let e = assert_error(sign_in_on(&s, &device()), "ProtocolError");
    assert!(e.message().contains("DEVICE_PASSWORD_VERIFIER"), "{e}");
    let s = setup(|i| {
        vec![
            password_verifier(i),
            device_srp_auth(),
            ok(&json!({ "ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ChallengeParameters": { "SALT": "ab" }, "Session": "x" })
                .to_string()),
        ]
    });
    let e = assert_error(sign_in_on(&s, &device()), "ProtocolError");
    assert!(e.message().contains("SRP_B"), "{e}");
    // A second DEVICE_SRP_AUTH right after the proof: no loop.
    let s = setup(|i| vec![password_verifier(i), device_srp_auth(), device_password_verifier(i), device_srp_auth()]);
    assert_error(sign_in_on(&s, &device()), "ProtocolError");
    assert_eq!(s.script.left(), 0);
}

// ---- the device list ---------------------------------------------------------------------------------------

#[test]
fn list_get_forget_and_update_send_their_members_and_read_devices() {
    let listed = json!({
        "Devices": [{
            "DeviceKey": DEVICE_KEY,
            "DeviceAttributes": [
                { "Name": "device_status", "Value": "valid" },
                { "Name": "device_name", "Value": "Firefox on Linux" },
                { "Name": "dev:device_remembered_status", "Value": "remembered" },
                { "Name": 7, "Value": "ignored" },
            ],
            "DeviceCreateDate": 1.748934306123e9,
            "DeviceLastModifiedDate": 1748934400,
            "DeviceLastAuthenticatedDate": "not a date",
        }, null, { "DeviceKey": "eu-west-1_x" }],
        "PaginationToken": "next-page",
    });
    let s = setup(|_| {
        vec![
            ok(&listed.to_string()),
            ok(&json!({ "Device": { "DeviceKey": DEVICE_KEY, "DeviceAttributes": [
                { "Name": "dev:device_remembered_status", "Value": "not_remembered" }] } })
            .to_string()),
            ok(""),
            ok("{}"),
        ]
    });
    let page = run(s.client.list_devices(Some("tok"), Some(10), Some("p1"))).unwrap();
    assert_eq!(
        serde_json::to_value(&page).unwrap(),
        json!({
            "devices": [
                {
                    "key": DEVICE_KEY, "name": "Firefox on Linux", "remembered": true,
                    "attributes": {
                        "device_status": "valid", "device_name": "Firefox on Linux",
                        "dev:device_remembered_status": "remembered",
                    },
                    "createdAt": 1748934306123.0, "lastModifiedAt": 1748934400000.0,
                },
                { "key": "eu-west-1_x", "attributes": {} },
            ],
            "paginationToken": "next-page",
        })
    );
    let device = run(s.client.get_device(Some("tok"), Some(DEVICE_KEY))).unwrap();
    assert_eq!(device.remembered, Some(false));
    run(s.client.forget_device(Some("tok"), Some(DEVICE_KEY))).unwrap();
    run(s.client.update_device_status(Some("tok"), Some(DEVICE_KEY), RememberedStatus::Remembered)).unwrap();
    assert_eq!(s.script.operations(), ["ListDevices", "GetDevice", "ForgetDevice", "UpdateDeviceStatus"]);
    let b = s.script.bodies();
    assert_eq!(b[0], json!({ "AccessToken": "tok", "Limit": 10, "PaginationToken": "p1" }));
    assert_eq!(b[1], json!({ "AccessToken": "tok", "DeviceKey": DEVICE_KEY }));
    assert_eq!(b[2], json!({ "AccessToken": "tok", "DeviceKey": DEVICE_KEY }));
    assert_eq!(b[3], json!({ "AccessToken": "tok", "DeviceKey": DEVICE_KEY, "DeviceRememberedStatus": "remembered" }));
}

#[test]
fn device_calls_refuse_bad_input_before_sending_and_bad_answers_after() {
    let s = setup(|_| vec![]);
    assert_error(run(s.client.list_devices(None, None, None)), "InvalidParameterException");
    assert_error(run(s.client.list_devices(Some("t"), Some(0), None)), "InvalidParameterException");
    assert_error(run(s.client.list_devices(Some("t"), Some(61), None)), "InvalidParameterException");
    assert_error(run(s.client.get_device(Some("t"), None)), "InvalidParameterException");
    assert_error(run(s.client.forget_device(Some("t"), Some(""))), "InvalidParameterException");
    assert_error(
        run(s.client.update_device_status(None, Some(DEVICE_KEY), RememberedStatus::NotRemembered)),
        "InvalidParameterException",
    );
    assert!(s.script.requests().is_empty());
    assert_eq!(RememberedStatus::parse("remembered"), Some(RememberedStatus::Remembered));
    assert_eq!(RememberedStatus::parse("Remembered"), None);

    let s = setup(|_| {
        vec![
            ok("{}"),
            ok(&json!({ "Devices": [{ "DeviceAttributes": [] }] }).to_string()),
            ok("{}"),
            cognito_error("ResourceNotFoundException", "Device does not exist."),
        ]
    });
    assert_error(run(s.client.list_devices(Some("t"), None, None)), "ProtocolError");
    assert_error(run(s.client.list_devices(Some("t"), None, None)), "ProtocolError");
    assert_error(run(s.client.get_device(Some("t"), Some(DEVICE_KEY))), "ProtocolError");
    assert_error(run(s.client.forget_device(Some("t"), Some(DEVICE_KEY))), "ResourceNotFoundException");
}
