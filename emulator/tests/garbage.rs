//! Every operation fed mutated and random input: always an AWS error type or a success, never an
//! internal error or a panic. A cheap, deterministic stand-in for fuzzing the dispatch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use cognito_emulator::ops::OPERATIONS;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

fn random_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth > 3 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.r#gen::<bool>()),
        2 => json!(rng.r#gen::<i64>()),
        3 => json!(rng.r#gen::<f64>()),
        4 => {
            let len = rng.gen_range(0..40);
            let s: String = (0..len).map(|_| char::from_u32(rng.gen_range(0..0x3000)).unwrap_or('x')).collect();
            json!(s)
        }
        5 => Value::Array((0..rng.gen_range(0..4)).map(|_| random_value(rng, depth + 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..rng.gen_range(0..4) {
                m.insert(MEMBERS[rng.gen_range(0..MEMBERS.len())].to_owned(), random_value(rng, depth + 1));
            }
            Value::Object(m)
        }
    }
}

const MEMBERS: &[&str] = &[
    "AuthFlow",
    "ClientId",
    "AuthParameters",
    "ChallengeName",
    "ChallengeResponses",
    "Session",
    "AccessToken",
    "UserCode",
    "UserPoolId",
    "Username",
    "Password",
    "Token",
    "SoftwareTokenMfaSettings",
    "Enabled",
    "PreferredMfa",
    "USERNAME",
    "SRP_A",
    "PASSWORD",
    "UserAttributes",
    "Name",
    "Value",
    "Limit",
    "Filter",
    "MfaConfiguration",
    "PoolName",
    "ClientName",
    "ExplicitAuthFlows",
    "TemporaryPassword",
    "Permanent",
    "GroupName",
    "Precedence",
    "Description",
    "RoleArn",
    "UserAttributeNames",
    "AttributeName",
    "Code",
    "NextToken",
    "PaginationToken",
    "AttributesToGet",
    "Policies",
    "PasswordPolicy",
    "MinimumLength",
    "DeviceConfiguration",
    "AccessTokenValidity",
    "TokenValidityUnits",
    "PreventUserExistenceErrors",
    "AutoVerifiedAttributes",
    "DeletionProtection",
    "DeviceKey",
    "DeviceSecretVerifierConfig",
    "PasswordVerifier",
    "Salt",
    "DeviceName",
    "DeviceRememberedStatus",
    "DEVICE_KEY",
];

fn mutate(rng: &mut StdRng, template: &Value) -> Value {
    let mut v = template.clone();
    if let Value::Object(m) = &mut v {
        let keys: Vec<String> = m.keys().cloned().collect();
        for k in keys {
            match rng.gen_range(0..6) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    m.insert(k, random_value(rng, 1));
                }
                _ => {}
            }
        }
        if rng.gen_bool(0.3) {
            m.insert(MEMBERS[rng.gen_range(0..MEMBERS.len())].to_owned(), random_value(rng, 1));
        }
    }
    v
}

#[tokio::test]
async fn operations_never_fail_internally_on_garbage() {
    let emu = common::emulator();
    let p = common::pool("optional");
    // Device tracking on, and a confirmed device, so the device operations get past their lookups.
    let tracking = json!({"UserPoolId": p.id, "MfaConfiguration": "OPTIONAL",
                          "DeviceConfiguration": {"DeviceOnlyRememberedOnUserPrompt": true}});
    emu.call("UpdateUserPool", tracking).await.ok();
    let tokens = emu.tokens("optional", "plain").await;
    let device = tokens["NewDeviceMetadata"]["DeviceKey"].clone();
    let verifier = json!({"PasswordVerifier": "AgM=", "Salt": "AQID"});
    let confirm =
        json!({"AccessToken": tokens["AccessToken"], "DeviceKey": device, "DeviceSecretVerifierConfig": verifier});
    emu.call("ConfirmDevice", confirm).await.ok();
    let template = json!({
        "AuthFlow": "USER_SRP_AUTH", "ClientId": p.web, "UserPoolId": p.id, "Username": "enroll1",
        "AuthParameters": {"USERNAME": "plain", "SRP_A": "abcdef", "PASSWORD": "x", "REFRESH_TOKEN": tokens["RefreshToken"]},
        "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {"USERNAME": "plain"}, "Session": "s",
        "AccessToken": tokens["AccessToken"], "UserCode": "123456", "Token": tokens["RefreshToken"],
        "Password": "Garbage-Passw0rd!", "PoolName": "g", "ClientName": "c",
        "GroupName": "garbage", "Precedence": 3, "AttributeName": "email", "Code": "123456",
        "UserAttributes": [{"Name": "given_name", "Value": "G"}], "UserAttributeNames": ["given_name"],
        "Filter": "username ^= \"enroll\"", "Limit": 2,
        "DeviceKey": device, "DeviceRememberedStatus": "remembered", "DeviceName": "garbage",
        "DeviceSecretVerifierConfig": verifier,
    });
    let mut rng = StdRng::seed_from_u64(1234);
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for round in 0..60 {
        for op in OPERATIONS {
            let body = if round % 10 == 9 {
                // Raw bytes, not even JSON.
                (0..rng.gen_range(0..64)).map(|_| rng.r#gen::<u8>()).collect::<Vec<u8>>()
            } else {
                mutate(&mut rng, &template).to_string().into_bytes()
            };
            match cognito_emulator::call(&emu.state, op, &body, None) {
                Ok(_) => *counts.entry("ok".into()).or_default() += 1,
                Err(e) => {
                    assert_ne!(e.kind, "InternalErrorException", "{op} {}: {e}", String::from_utf8_lossy(&body));
                    assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST, "{op}: {e}");
                    *counts.entry(e.kind.to_owned()).or_default() += 1;
                }
            }
        }
    }
    // The mix must reach past parsing into the operations.
    assert!(counts.get("ok").copied().unwrap_or(0) > 20, "{counts:?}");
    assert!(
        counts.contains_key("SerializationException") && counts.contains_key("InvalidParameterException"),
        "{counts:?}"
    );
    assert!(
        counts.contains_key("NotAuthorizedException") || counts.contains_key("ResourceNotFoundException"),
        "{counts:?}"
    );
}
