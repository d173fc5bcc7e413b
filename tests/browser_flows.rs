//! The network paths end to end, in the browser, through the JS-facing API, against the server
//! named by `COGNITO_TEST_CONFIG` (set by `cargo xtask test`; see DEVELOPERS.md): the local
//! emulator, or ministack for the paths it supports. Users and passwords come from the shared seed.
//!
//! Paths a backend cannot run print `NOT RUN: <path>: <reason>` and are collected by the harness.
//! Without `COGNITO_TEST_CONFIG` every test fails with "COGNITO_TEST_CONFIG not set": a suite
//! that could not reach a server must never look green.
//!
//! By hand: start `cognito-emulator --port 0 --seed emulator/seed/test.json`, build the config
//! JSON from its output, then
//! `COGNITO_TEST_CONFIG='…' CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 \
//!  cargo test -p cognito-totp --target wasm32-unknown-unknown --test browser_flows`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use cognito_totp::wasm::{CognitoTotp, totp_code};
use js_sys::{Array, Function, Object, Promise};
use miniserde::json::{self, Value};
use miniserde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[path = "common/browser.rs"]
mod browser;

use browser::{obj, prop, prop_str, set};

wasm_bindgen_test_configure!(run_in_browser);

// ---- configuration and seed -------------------------------------------------------------------

struct Env {
    backend: String,
    endpoint: String,
    pools: Value,
    /// `missingUsers` of the ministack set-up: seeded users that backend cannot hold, with why.
    missing: Vec<(String, String, String)>,
}

fn env() -> Env {
    let Some(raw) = option_env!("COGNITO_TEST_CONFIG") else {
        panic!("COGNITO_TEST_CONFIG not set: these tests need a running emulator (cargo xtask test sets it)");
    };
    let config: Value = json::from_str(raw).expect("COGNITO_TEST_CONFIG is not JSON");
    let backend = string(&config, &["backend"]).to_owned();
    let endpoint = string(&config, &["endpoint"]).to_owned();
    let pools = get(&config, &["pools"]).clone();
    let missing = match &config {
        Value::Object(o) => match o.get("missingUsers") {
            Some(Value::Array(list)) => list
                .iter()
                .map(|m| {
                    (string(m, &["pool"]).to_owned(), string(m, &["username"]).to_owned(), string(m, &["reason"]).to_owned())
                })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    Env { backend, endpoint, pools, missing }
}

fn get<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| match v {
        Value::Object(o) => o.get(*k).unwrap_or_else(|| panic!("no {k} in {}", json::to_string(v))),
        _ => panic!("not an object at {k}"),
    })
}

fn string<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    match get(v, path) {
        Value::String(s) => s,
        other => panic!("{path:?} is not a string: {}", json::to_string(other)),
    }
}

fn opt_string(v: &Value, path: &[&str]) -> Option<String> {
    let (last, parent) = path.split_last()?;
    match get(v, parent) {
        Value::Object(o) => match o.get(*last) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl Env {
    fn emulator(&self) -> bool {
        self.backend == "emulator"
    }

    /// `true` when the path can run here; otherwise prints the NOT RUN line.
    fn runs(&self, path: &str, needs_emulator_because: &str) -> bool {
        if self.emulator() {
            return true;
        }
        // One line per path, however many tests meet it.
        thread_local!(static SAID: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) });
        let first = SAID.with(|said| {
            let mut said = said.borrow_mut();
            let new = !said.iter().any(|p| p == path);
            if new {
                said.push(path.to_owned());
            }
            new
        });
        if first {
            console_log!("NOT RUN: {path}: {} {needs_emulator_because}", self.backend);
        }
        false
    }

    /// `true` when the seeded user exists on this backend; otherwise prints the NOT RUN line.
    fn has_user(&self, path: &str, pool: &str, username: &str) -> bool {
        match self.missing.iter().find(|(p, u, _)| p == pool && u == username) {
            None => true,
            Some((_, _, reason)) => {
                console_log!("NOT RUN: {path}: {} has no user {pool}/{username}: {reason}", self.backend);
                false
            }
        }
    }

    fn pool_id(&self, pool: &str) -> String {
        string(&self.pools, &[pool, "poolId"]).to_owned()
    }

    fn client(&self, pool: &str, client: &str) -> CognitoTotp {
        let config = obj(&[
            ("userPoolId", self.pool_id(pool).into()),
            ("clientId", string(&self.pools, &[pool, "clients", client, "clientId"]).into()),
            ("endpoint", self.endpoint.as_str().into()),
            ("timeoutMs", JsValue::from(20_000)),
        ]);
        if let Some(secret) = opt_string(&self.pools, &[pool, "clients", client, "clientSecret"]) {
            set(&config, "clientSecret", &secret.into());
        }
        CognitoTotp::new(config.into()).unwrap_or_else(|e| panic!("new CognitoTotp: {e:?}"))
    }

    fn web(&self, pool: &str) -> CognitoTotp {
        self.client(pool, "web")
    }

    fn dev_url(&self, path: &str) -> String {
        format!("{}_emulator/{path}", self.endpoint)
    }

    /// The server's idea of now: the emulator's (movable) clock, or this machine's.
    async fn now(&self) -> u64 {
        if self.emulator() {
            let v = http_json("GET", &self.dev_url("clock"), None).await;
            match get(&v, &["now"]) {
                Value::Number(n) => n.to_string().parse::<f64>().unwrap() as u64,
                other => panic!("clock: {}", json::to_string(other)),
            }
        } else {
            (js_sys::Date::now() / 1000.0) as u64
        }
    }

    async fn advance(&self, seconds: u64) {
        assert!(self.emulator());
        http_json("POST", &self.dev_url("clock"), Some(&format!(r#"{{"advanceSeconds":{seconds}}}"#))).await;
    }

    /// A code the server will accept once: on the emulator the clock first moves to a TOTP
    /// window no earlier code used (a code is good only once); ministack does not track reuse.
    async fn fresh_code(&self, secret: &str) -> String {
        if self.emulator() {
            self.advance(30).await;
        }
        totp_code(secret, Some(self.now().await as f64)).unwrap()
    }

    async fn code_now(&self, secret: &str) -> String {
        totp_code(secret, Some(self.now().await as f64)).unwrap()
    }

    /// The newest SMS/EMAIL code the emulator "sent" to `username`.
    async fn message_code(&self, username: &str, channel: &str) -> (String, String) {
        let v = http_json("GET", &self.dev_url("messages"), None).await;
        let Value::Array(list) = v else { panic!("messages is not an array") };
        let m = list
            .iter()
            .rev()
            .find(|m| string(m, &["username"]) == username && string(m, &["channel"]) == channel)
            .unwrap_or_else(|| panic!("no {channel} message for {username}"));
        (string(m, &["code"]).to_owned(), string(m, &["destination"]).to_owned())
    }

    /// How many logged request bodies contain `needle` (emulator only).
    async fn requests_containing(&self, needle: &str) -> (u64, u64) {
        let body = json::to_string(&Value::Object(
            [("needle".to_owned(), Value::String(needle.to_owned()))].into_iter().collect(),
        ));
        let v = http_json("POST", &self.dev_url("requests/contains"), Some(&body)).await;
        let n = |k: &str| match get(&v, &[k]) {
            Value::Number(n) => n.to_string().parse::<u64>().unwrap(),
            _ => panic!("{k} is not a number"),
        };
        (n("count"), n("total"))
    }

    /// Proves the password never left the page: no logged body contains it (or its JSON escape).
    async fn assert_never_sent(&self, password: &str) {
        if !self.runs("password never in a request body", "has no /_emulator/requests/contains") {
            return;
        }
        let (count, total) = self.requests_containing(password).await;
        assert!(total > 0, "the emulator logged no requests");
        assert_eq!(count, 0, "a request carried the password");
        let escaped = json::to_string(&Value::String(password.to_owned()));
        let (count, _) = self.requests_containing(escaped.trim_matches('"')).await;
        assert_eq!(count, 0, "a request carried the JSON-escaped password");
    }
}

#[derive(Deserialize)]
struct Seed {
    pools: Vec<SeedPool>,
}
#[derive(Deserialize)]
struct SeedPool {
    key: String,
    users: Vec<SeedUser>,
}
#[derive(Deserialize, Clone)]
struct SeedUser {
    username: String,
    password: Option<String>,
    #[serde(rename = "temporaryPassword")]
    temporary_password: Option<String>,
    #[serde(rename = "totpSecret")]
    totp_secret: Option<String>,
    attributes: BTreeMap<String, String>,
}

fn user(pool: &str, username: &str) -> SeedUser {
    let seed: Seed = json::from_str(include_str!("../emulator/seed/test.json")).unwrap();
    seed.pools
        .into_iter()
        .find(|p| p.key == pool)
        .and_then(|p| p.users.into_iter().find(|u| u.username == username))
        .unwrap_or_else(|| panic!("{pool}/{username} not in the seed"))
}

impl SeedUser {
    fn pw(&self) -> String {
        self.password.clone().or_else(|| self.temporary_password.clone()).unwrap()
    }
}

// ---- JS plumbing ------------------------------------------------------------------------------

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!("unexpected rejection: {} {}", prop_str(&e, "name"), prop_str(&e, "message")),
    }
}

/// The promise must reject with a JS `Error` of this `name`; returns it.
async fn fails(p: Promise, name: &str) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => panic!("expected {name}, got {v:?}"),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
            assert_eq!(prop_str(&e, "name"), name, "message: {}", prop_str(&e, "message"));
            assert!(prop(&e, "retryable").as_bool().is_some(), "retryable flag missing");
            e
        }
    }
}

fn kind(step: &JsValue) -> String {
    prop_str(step, "type")
}

fn tokens(step: &JsValue) -> JsValue {
    assert_eq!(kind(step), "done");
    prop(step, "tokens")
}

fn access(step: &JsValue) -> String {
    prop_str(&tokens(step), "accessToken")
}

async fn http_json(method: &str, url: &str, body: Option<&str>) -> Value {
    let fetch = prop(&js_sys::global(), "fetch").dyn_into::<Function>().unwrap();
    let init = obj(&[("method", method.into())]);
    if let Some(b) = body {
        set(&init, "body", &b.into());
        set(&init, "headers", &obj(&[("content-type", "application/json".into())]));
    }
    let resp = ok(fetch.call2(&JsValue::NULL, &url.into(), &init).unwrap().dyn_into().unwrap()).await;
    let status = prop(&resp, "status").as_f64().unwrap();
    let text_fn = prop(&resp, "text").dyn_into::<Function>().unwrap();
    let text = ok(text_fn.call0(&resp).unwrap().dyn_into().unwrap()).await.as_string().unwrap();
    assert!((200.0..300.0).contains(&status), "{method} {url}: HTTP {status} {text}");
    if text.trim().is_empty() { Value::Null } else { json::from_str(&text).unwrap() }
}

fn strings(v: &JsValue) -> Vec<String> {
    Array::from(v).iter().map(|s| s.as_string().unwrap()).collect()
}

async fn sign_in(auth: &CognitoTotp, u: &SeedUser) -> JsValue {
    ok(auth.sign_in(u.username.clone(), u.pw())).await
}

// ---- the paths --------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn srp_sign_in_and_wrong_password() {
    let env = env();
    let auth = env.web("optional");
    let plain = user("optional", "plain");
    let step = sign_in(&auth, &plain).await;
    let t = tokens(&step);
    assert!(!prop_str(&t, "idToken").is_empty());
    assert!(!prop_str(&t, "refreshToken").is_empty());
    assert_eq!(prop_str(&t, "tokenType"), "Bearer");
    assert!(prop(&t, "expiresIn").as_f64().unwrap() > 0.0);
    let me = ok(auth.get_user(access(&step))).await;
    assert_eq!(prop_str(&me, "username"), "plain");
    assert_eq!(prop_str(&prop(&me, "attributes"), "email"), plain.attributes["email"]);

    let e = fails(auth.sign_in("plain".into(), "Wrong-Passw0rd!".into()), "NotAuthorizedException").await;
    assert_eq!(prop(&e, "retryable").as_bool(), Some(false));

    // Non-ASCII username and password.
    let jorg = user("optional", "jörg");
    let step = sign_in(&auth, &jorg).await;
    assert_eq!(kind(&step), "done");

    // Bad input never reaches the server.
    fails(auth.sign_in("plain".into(), String::new()), "InvalidParameterException").await;
    env.assert_never_sent(&plain.pw()).await;
    env.assert_never_sent(&jorg.pw()).await;
}

#[wasm_bindgen_test]
async fn alias_sign_in_and_secret_client() {
    let env = env();
    let alias_pool = user("alias", "2f0b6c1e-7d3a-4e58-9b21-6a4c8e0d1f35");
    let step = ok(env.web("alias").sign_in(alias_pool.attributes["email"].clone(), alias_pool.pw())).await;
    assert_eq!(kind(&step), "done");

    let auth = env.client("optional", "secret");
    let plain = user("optional", "plain");
    let step = sign_in(&auth, &plain).await;
    let refresh = prop_str(&tokens(&step), "refreshToken");
    fails(auth.refresh(refresh.clone(), None), "InvalidParameterException").await;
    let renewed = ok(auth.refresh(refresh, Some("plain".into()))).await;
    ok(auth.get_user(prop_str(&renewed, "accessToken"))).await;
    env.assert_never_sent(&alias_pool.pw()).await;
}

#[wasm_bindgen_test]
async fn enroll_with_access_token_then_sign_in_with_totp_then_disable() {
    let env = env();
    let auth = env.web("optional");
    let u = user("optional", "enroll1");
    let step = sign_in(&auth, &u).await;
    let token = access(&step);

    let setup = ok(auth.associate_totp(token.clone().into())).await;
    let secret = prop_str(&setup, "secret");
    assert_eq!(secret.len(), 32, "{secret}");
    let label = obj(&[("issuer", "My App & Co".into()), ("account", "enroll1@example.com".into())]);
    let call = |name: &str, arg: &JsValue| {
        prop(&setup, name).dyn_into::<Function>().unwrap().call1(&setup, arg).unwrap().as_string().unwrap()
    };
    let uri = call("uri", &label);
    assert!(uri.starts_with("otpauth://totp/") && uri.contains(&format!("secret={secret}")), "{uri}");
    let svg = call("qrSvg", &label);
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{svg}");

    // Wrong code first: refused, nothing enabled.
    let wrong = if env.code_now(&secret).await == "000000" { "111111" } else { "000000" };
    fails(
        auth.verify_totp(setup.clone(), wrong.into(), Some("Browser".into())),
        "EnableSoftwareTokenMFAException",
    )
    .await;
    let code = env.fresh_code(&secret).await;
    let verified = ok(auth.verify_totp(setup.clone(), code, Some("Browser".into()))).await;
    assert!(verified.is_undefined());
    ok(auth.set_mfa_preference(token.clone(), obj(&[("totp", "preferred".into())]).into())).await;
    let me = ok(auth.get_user(token.clone())).await;
    assert_eq!(strings(&prop(&prop(&me, "mfa"), "enabled")), ["TOTP"]);
    assert_eq!(prop_str(&prop(&me, "mfa"), "preferred"), "TOTP");

    // Now sign-in asks for the code.
    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "totpCode");
    let code = env.fresh_code(&secret).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    fails(auth.confirm_totp(step.clone(), wrong.into()), "CodeMismatchException").await;
    let done = ok(auth.confirm_totp(step, code)).await;
    let token = access(&done);

    // Turning it off re-checks the password: a wrong one changes nothing.
    fails(auth.disable_totp("enroll1".into(), "Wrong-Passw0rd!".into(), token.clone()), "NotAuthorizedException").await;
    let me = ok(auth.get_user(token.clone())).await;
    assert_eq!(strings(&prop(&prop(&me, "mfa"), "enabled")), ["TOTP"]);
    ok(auth.disable_totp("enroll1".into(), u.pw(), token.clone())).await;
    let me = ok(auth.get_user(token)).await;
    assert!(strings(&prop(&prop(&me, "mfa"), "enabled")).is_empty());
    assert_eq!(kind(&sign_in(&auth, &u).await), "done", "no code asked any more");
    env.assert_never_sent(&u.pw()).await;
}

#[wasm_bindgen_test]
async fn totp_sign_in_wrong_code_reuse_and_session_expiry() {
    let env = env();
    if !env.has_user("TOTP sign-in with a seeded secret (wrong code, reuse, expiry)", "optional", "totp") {
        return;
    }
    let auth = env.web("optional");
    let u = user("optional", "totp");
    let secret = u.totp_secret.clone().unwrap();

    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "totpCode");
    let code = env.fresh_code(&secret).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    fails(auth.confirm_totp(step.clone(), wrong.into()), "CodeMismatchException").await;
    fails(auth.confirm_totp(step.clone(), "12345".into()), "InvalidParameterException").await;
    let done = ok(auth.confirm_totp(step, code.clone())).await;
    assert_eq!(kind(&done), "done");

    if env.runs("reused TOTP code refused", "accepts a code twice") {
        let step = sign_in(&auth, &u).await;
        fails(auth.confirm_totp(step, code), "CodeMismatchException").await;
    }

    if env.runs("session expiry", "has no movable clock") {
        let step = sign_in(&auth, &u).await;
        env.advance(181).await;
        let code = env.code_now(&secret).await;
        let e = fails(auth.confirm_totp(step, code), "NotAuthorizedException").await;
        assert!(prop_str(&e, "message").contains("expired"), "{}", prop_str(&e, "message"));
    }
    env.assert_never_sent(&u.pw()).await;
}

#[wasm_bindgen_test]
async fn mfa_setup_through_the_session() {
    let env = env();
    if !env.runs("MFA_SETUP (pool required)", "lacks MFA_SETUP") {
        return;
    }
    let auth = env.web("required");
    let u = user("required", "newbie1");
    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "mfaSetup");
    assert!(strings(&prop(&step, "canSetup")).contains(&"TOTP".to_owned()));
    assert!(!js_sys::JSON::stringify(&step).unwrap().as_string().unwrap().to_lowercase().contains("session"));
    let setup = ok(auth.associate_totp(step)).await;
    let secret = prop_str(&setup, "secret");
    let code = env.fresh_code(&secret).await;
    let next = ok(auth.verify_totp(setup.clone(), code, Some("Browser".into()))).await;
    assert_eq!(kind(&next), "done");
    ok(auth.get_user(access(&next))).await;

    // From now on the sign-in asks for the code.
    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "totpCode");
    let code = env.fresh_code(&secret).await;
    assert_eq!(kind(&ok(auth.confirm_totp(step, code)).await), "done");
    env.assert_never_sent(&u.pw()).await;
}

#[wasm_bindgen_test]
async fn new_password_required() {
    let env = env();
    let auth = env.web("optional");
    let u = user("optional", "temp");
    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "newPassword");
    let required = strings(&prop(&step, "requiredAttributes"));
    let attrs = Object::new();
    for name in &required {
        set(&attrs, name, &JsValue::from_str(u.attributes.get(name).map_or("Temp User", String::as_str)));
    }
    let new_password = "Fresh-Passw0rd!9";
    let done = ok(auth.complete_new_password(step, new_password.into(), attrs.into())).await;
    assert_eq!(kind(&done), "done");
    fails(auth.sign_in("temp".into(), u.pw()), "NotAuthorizedException").await;
    assert_eq!(kind(&ok(auth.sign_in("temp".into(), new_password.into())).await), "done");
    env.assert_never_sent(&u.pw()).await;
}

#[wasm_bindgen_test]
async fn select_mfa_type_then_sms_or_totp() {
    let env = env();
    if !env.runs("SELECT_MFA_TYPE (user both)", "lacks SELECT_MFA_TYPE") {
        return;
    }
    let auth = env.web("optional");
    let u = user("optional", "both");
    let step = sign_in(&auth, &u).await;
    assert_eq!(kind(&step), "selectMfa");
    let mut options = strings(&prop(&step, "options"));
    options.sort();
    assert_eq!(options, ["SMS", "TOTP"]);
    fails(auth.select_mfa(step.clone(), "PIGEON".into()), "InvalidParameterException").await;
    let sms = ok(auth.select_mfa(step, "SMS".into())).await;
    assert_eq!(kind(&sms), "smsCode");
    let (code, destination) = env.message_code("both", "SMS").await;
    assert_masked(&prop_str(&sms, "destination"), &destination);
    assert_eq!(kind(&ok(auth.confirm_code(sms, code)).await), "done");

    let step = sign_in(&auth, &u).await;
    let totp = ok(auth.select_mfa(step, "TOTP".into())).await;
    assert_eq!(kind(&totp), "totpCode");
    let code = env.fresh_code(u.totp_secret.as_deref().unwrap()).await;
    assert_eq!(kind(&ok(auth.confirm_totp(totp, code)).await), "done");
    env.assert_never_sent(&u.pw()).await;
}

/// The step shows where the code went, masked as Cognito does (`+*******0100`), never in full.
fn assert_masked(shown: &str, full: &str) {
    assert!(!shown.is_empty() && shown != full, "{shown} vs {full}");
    assert!(shown.contains('*'), "{shown}");
    if full.starts_with('+') {
        assert!(shown.ends_with(&full[full.len() - 4..]), "{shown} vs {full}");
    }
}

#[wasm_bindgen_test]
async fn sms_and_email_codes() {
    let env = env();
    if !env.runs("SMS and EMAIL codes", "has no /_emulator/messages to read the code from") {
        return;
    }
    let auth = env.web("optional");
    for (name, channel, kind_name) in [("sms", "SMS", "smsCode"), ("email", "EMAIL", "emailCode")] {
        let u = user("optional", name);
        let step = sign_in(&auth, &u).await;
        assert_eq!(kind(&step), kind_name);
        let (code, destination) = env.message_code(name, channel).await;
        assert_masked(&prop_str(&step, "destination"), &destination);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        fails(auth.confirm_code(step.clone(), wrong.into()), "CodeMismatchException").await;
        assert_eq!(kind(&ok(auth.confirm_code(step, code)).await), "done", "{name}");
        env.assert_never_sent(&u.pw()).await;
    }
}

#[wasm_bindgen_test]
async fn refresh_global_sign_out_and_revoke() {
    let env = env();
    let auth = env.web("optional");

    let u = user("optional", "enroll3");
    let step = sign_in(&auth, &u).await;
    let refresh = prop_str(&tokens(&step), "refreshToken");
    let renewed = ok(auth.refresh(refresh.clone(), None)).await;
    let fresh_access = prop_str(&renewed, "accessToken");
    ok(auth.get_user(fresh_access.clone())).await;
    ok(auth.global_sign_out(fresh_access.clone())).await;
    let e = fails(auth.get_user(fresh_access), "NotAuthorizedException").await;
    assert_eq!(prop(&e, "retryable").as_bool(), Some(false));
    fails(auth.refresh(refresh, None), "NotAuthorizedException").await;

    let u = user("optional", "enroll4");
    let step = sign_in(&auth, &u).await;
    let refresh = prop_str(&tokens(&step), "refreshToken");
    ok(auth.revoke_token(refresh.clone())).await;
    fails(auth.refresh(refresh, None), "NotAuthorizedException").await;
}

#[wasm_bindgen_test]
async fn totp_in_a_pool_without_software_tokens() {
    let env = env();
    if !env.runs("AssociateSoftwareToken refused in a pool without software-token MFA", "does not enforce the pool's MFA types") {
        return;
    }
    let auth = env.web("nototp");
    let u = user("nototp", "plain");
    let step = sign_in(&auth, &u).await;
    fails(auth.associate_totp(access(&step).into()), "SoftwareTokenMFANotFoundException").await;
}

#[wasm_bindgen_test]
async fn faults_are_retried_or_reported_by_name() {
    let env = env();
    if !env.runs("retries and malformed responses over the network", "has no /_emulator/faults") {
        return;
    }
    let fault = |target: &str, kind: &str, times: u32, delay: u32| {
        format!(r#"{{"target":"{target}","kind":"{kind}","times":{times},"delayMs":{delay}}}"#)
    };
    let auth = env.web("optional");
    let u = user("optional", "plain");
    let token = access(&sign_in(&auth, &u).await);

    // Throttled twice, then served: the third try succeeds.
    http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", "throttle", 2, 0))).await;
    ok(auth.get_user(token.clone())).await;
    // Throttled three times: given up, retryable.
    http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", "throttle", 3, 0))).await;
    let e = fails(auth.get_user(token.clone()), "TooManyRequestsException").await;
    assert_eq!(prop(&e, "retryable").as_bool(), Some(true));
    // An HTML 502 three times is a protocol failure; a 500 once is retried away.
    http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", "html502", 3, 0))).await;
    fails(auth.get_user(token.clone()), "ProtocolError").await;
    http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", "http500", 1, 0))).await;
    ok(auth.get_user(token.clone())).await;
    // Malformed 200s are not retried: each is one ProtocolError.
    for kind in ["empty", "truncated", "missingMembers"] {
        http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", kind, 1, 0))).await;
        fails(auth.get_user(token.clone()), "ProtocolError").await;
        ok(auth.get_user(token.clone())).await;
    }
    // A wrong password is never retried: exactly one InitiateAuth and one answer reach the server.
    http_json("DELETE", &env.dev_url("requests"), None).await;
    fails(auth.sign_in("plain".into(), "Wrong-Passw0rd!".into()), "NotAuthorizedException").await;
    let Value::Array(log) = http_json("GET", &env.dev_url("requests"), None).await else { panic!("requests") };
    let targets: Vec<&str> = log.iter().map(|r| string(r, &["target"])).collect();
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert!(targets[0].ends_with("InitiateAuth") && targets[1].ends_with("RespondToAuthChallenge"), "{targets:?}");

    // timeoutMs aborts a slow answer: NetworkError after the tries.
    let config = obj(&[
        ("userPoolId", env.pool_id("optional").into()),
        ("clientId", string(&env.pools, &["optional", "clients", "web", "clientId"]).into()),
        ("endpoint", env.endpoint.as_str().into()),
        ("timeoutMs", JsValue::from(200)),
    ]);
    let impatient = CognitoTotp::new(config.into()).unwrap();
    http_json("POST", &env.dev_url("faults"), Some(&fault("GetUser", "slow", 3, 2000))).await;
    let started = js_sys::Date::now();
    let e = fails(impatient.get_user(token.clone()), "NetworkError").await;
    assert!(prop_str(&e, "message").contains("timed out"), "{}", prop_str(&e, "message"));
    assert!(js_sys::Date::now() - started < 1900.0, "the timeout did not cut the wait");
    http_json("DELETE", &env.dev_url("faults"), None).await;
}
