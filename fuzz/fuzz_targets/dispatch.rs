//! Arbitrary X-Amz-Target + body through the emulator's whole router (`oneshot`, current-thread
//! runtime), on a fresh copy of the test seed each run so a crash replays.
//!
//! The first byte picks the target: a real operation (most of the time), raw bytes from the input,
//! or no header at all. In the body `$AT`, `$RT`, `$P`, `$C`, `$G` and `$D` become a valid access token,
//! refresh token, pool id, client id, group name (the signed-in user `plain` is in that group) and the key of
//! a device `plain` confirmed (the pool tracks devices), so mutations reach past authentication into the
//! operations.
//! Properties: never a panic, never a 5xx; the answer is 200 with a JSON body, or 4xx with an AWS
//! `__type` in body and `x-amzn-ErrorType` header.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request};
use cognito_emulator::model::Db;
use cognito_emulator::ops::OPERATIONS;
use cognito_emulator::{AppState, Config, FixedClock, app, seed};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tower::ServiceExt;

const SEED: &str = include_str!("../../emulator/seed/test.json");
const T0: i64 = 1_748_934_306;

struct Fixture {
    key: rsa::RsaPrivateKey,
    db_json: Vec<u8>,
    subs: Vec<(&'static str, String)>,
    runtime: tokio::runtime::Runtime,
}

fn state(key: rsa::RsaPrivateKey, db: Db) -> AppState {
    AppState::new(db, key, Arc::new(FixedClock::new(T0)), StdRng::seed_from_u64(1), Config::default())
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let key = rsa::RsaPrivateKey::new(&mut StdRng::seed_from_u64(7), 2048).expect("rsa key");
        let st = state(key.clone(), Db::default());
        seed::build(&st, &seed::parse(SEED).expect("seed parses")).expect("seed builds");
        let seed: serde_json::Value = serde_json::from_str(SEED).expect("seed json");
        let pool = &seed["pools"][0];
        let pool_id = pool["id"].as_str().expect("pool id").to_owned();
        let client_id = pool["clients"][0]["id"].as_str().expect("client id").to_owned();
        let plain = pool["users"].as_array().expect("users").iter().find(|u| u["username"] == "plain").expect("plain");
        let group = serde_json::json!({"UserPoolId": pool_id, "GroupName": "fuzzers", "Precedence": 1});
        cognito_emulator::call(&st, "CreateGroup", group.to_string().as_bytes(), None).expect("group");
        let member = serde_json::json!({"UserPoolId": pool_id, "GroupName": "fuzzers", "Username": "plain"});
        cognito_emulator::call(&st, "AdminAddUserToGroup", member.to_string().as_bytes(), None).expect("member");
        let tracking = serde_json::json!({"UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
            "DeviceConfiguration": {"DeviceOnlyRememberedOnUserPrompt": true}});
        cognito_emulator::call(&st, "UpdateUserPool", tracking.to_string().as_bytes(), None).expect("tracking");
        let body = serde_json::json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
            "AuthParameters": {"USERNAME": "plain", "PASSWORD": plain["password"]}});
        let out = cognito_emulator::call(&st, "InitiateAuth", body.to_string().as_bytes(), None).expect("sign-in");
        let result = &out["AuthenticationResult"];
        let device = result["NewDeviceMetadata"]["DeviceKey"].as_str().expect("device key").to_owned();
        let confirm = serde_json::json!({"AccessToken": result["AccessToken"], "DeviceKey": device,
            "DeviceSecretVerifierConfig": {"PasswordVerifier": "AgM=", "Salt": "AQID"}});
        cognito_emulator::call(&st, "ConfirmDevice", confirm.to_string().as_bytes(), None).expect("confirm");
        let subs = vec![
            ("$AT", result["AccessToken"].as_str().expect("access token").to_owned()),
            ("$RT", result["RefreshToken"].as_str().expect("refresh token").to_owned()),
            ("$P", pool_id),
            ("$C", client_id),
            ("$G", "fuzzers".to_owned()),
            ("$D", device),
        ];
        // The state API exposes the database only through the state file.
        let path = std::env::temp_dir().join(format!("dispatch-fuzz-{}.json", std::process::id()));
        st.save_to(&path).expect("save");
        let db_json = std::fs::read(&path).expect("read back");
        let _ = std::fs::remove_file(&path);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        Fixture { key, db_json, subs, runtime }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&selector, rest)) = data.split_first() else { return };
    let (target, body): (Option<Vec<u8>>, &[u8]) = match selector {
        0..=199 => {
            let op = OPERATIONS[usize::from(selector) % OPERATIONS.len()];
            (Some(format!("AWSCognitoIdentityProviderService.{op}").into_bytes()), rest)
        }
        200..=239 => match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (Some(rest[..i].to_vec()), &rest[i + 1..]),
            None => (Some(rest.to_vec()), &[][..]),
        },
        _ => (None, rest),
    };
    let body = match std::str::from_utf8(body) {
        Ok(text) => f.subs.iter().fold(text.to_owned(), |t, (k, v)| t.replace(k, v)).into_bytes(),
        Err(_) => body.to_vec(),
    };

    let db: Db = serde_json::from_slice(&f.db_json).expect("snapshot parses");
    let router = app(state(f.key.clone(), db));
    let mut builder = Request::post("/").header("content-type", "application/x-amz-json-1.1");
    if let Some(t) = target {
        // A header value the HTTP stack itself could never carry is not a request the emulator can see.
        let Ok(v) = HeaderValue::from_bytes(&t) else { return };
        builder = builder.header("x-amz-target", v);
    }
    let mut req = builder.body(Body::from(body)).expect("request");
    req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 50000))));

    let (status, error_header, bytes) = f.runtime.block_on(async {
        let res = router.oneshot(req).await.expect("infallible");
        let status = res.status();
        let header = res.headers().get("x-amzn-errortype").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, header, bytes)
    });
    let json: serde_json::Value = serde_json::from_slice(&bytes).expect("the answer is not JSON");
    match status.as_u16() {
        200 => assert!(json.is_object(), "200 without a JSON object"),
        400..=499 => {
            let kind = json["__type"].as_str().expect("4xx without __type");
            assert!(!kind.is_empty() && kind != "InternalErrorException");
            assert_eq!(error_header.as_deref(), Some(kind), "x-amzn-ErrorType differs from __type");
        }
        other => panic!("HTTP {other}: {json}"),
    }
});
