//! Client hardening in the browser, through the JS surface (methods looked up by their JS names and
//! called with `Reflect.apply`, as an app would): every injected fault, every bad input and every
//! refused SRP value ends in a JS `Error` with the expected `name` — never a wasm trap — and the
//! same `CognitoTotp` object then completes a sign-in. Emulator only: it needs `/_emulator/faults`,
//! the request log and the movable clock; on another backend each test prints a `NOT RUN:` line.
//!
//! Decisions pinned here:
//! - An HTML 502 counts as a 5xx: retried (3 tries in all). When every try fails it is a
//!   `ProtocolError` (the body is no Cognito error), whose message names the status and says
//!   "HTML body" without echoing it.
//! - A 200 whose body is empty, cut off or missing members is a `ProtocolError` at once: a
//!   malformed success is not retried (the operation may have run).
//! - A timeout or a refused connection is a retryable `NetworkError` after 3 tries.
//! - u = 0 cannot be injected: u = SHA-256(A ‖ B), so a B giving u = 0 is a SHA-256 preimage. The
//!   client still refuses it (`SrpError::ZeroU`); B ≡ 0 (mod N) is tested with B = 0 and B = N.
//!
//! By hand: as for browser_flows.rs, with `--test browser_faults`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::wasm::{CognitoTotp, totp_code};
use js_sys::{Array, Function, Object, Promise, Reflect};
use miniserde::json::{self, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[path = "common/browser.rs"]
mod browser;

use browser::{obj, prop, prop_str, set};

wasm_bindgen_test_configure!(run_in_browser);

// ---- the server under test ---------------------------------------------------------------------

struct Emu {
    endpoint: String,
    config: Value,
}

/// The emulator named by `COGNITO_TEST_CONFIG`, or `None` after printing why `what` did not run.
fn emulator(what: &str) -> Option<Emu> {
    let raw = option_env!("COGNITO_TEST_CONFIG")
        .unwrap_or_else(|| panic!("COGNITO_TEST_CONFIG not set: these tests need a running emulator"));
    let config: Value = json::from_str(raw).expect("COGNITO_TEST_CONFIG is not JSON");
    let backend = text(&config, &["backend"]).to_owned();
    if backend != "emulator" {
        console_log!("NOT RUN: {what}: {backend} has no /_emulator fault injection, request log or clock");
        return None;
    }
    Some(Emu { endpoint: text(&config, &["endpoint"]).to_owned(), config })
}

fn member<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| match v {
        Value::Object(o) => o.get(*k).unwrap_or_else(|| panic!("no {k} in {}", json::to_string(v))),
        _ => panic!("not an object at {k}"),
    })
}

fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    match member(v, path) {
        Value::String(s) => s,
        other => panic!("{path:?} is not a string: {}", json::to_string(other)),
    }
}

fn number(v: &Value, key: &str) -> f64 {
    match member(v, &[key]) {
        Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("{key} is not a number: {}", json::to_string(other)),
    }
}

/// Seeded users (emulator/seed/test.json is the one source of names and passwords).
fn password(pool: &str, username: &str) -> String {
    let seed: Value = json::from_str(include_str!("../emulator/seed/test.json")).unwrap();
    let Value::Array(pools) = member(&seed, &["pools"]) else { panic!("pools") };
    let pool = pools.iter().find(|p| text(p, &["key"]) == pool).unwrap();
    let Value::Array(users) = member(pool, &["users"]) else { panic!("users") };
    let u = users.iter().find(|u| text(u, &["username"]) == username).unwrap();
    text(u, &["password"]).to_owned()
}

const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // user optional/totp

impl Emu {
    fn base_config(&self, pool: &str) -> Object {
        let client = text(&self.config, &["pools", pool, "clients", "web", "clientId"]);
        obj(&[
            ("userPoolId", text(&self.config, &["pools", pool, "poolId"]).into()),
            ("clientId", client.into()),
            ("endpoint", self.endpoint.as_str().into()),
            ("timeoutMs", 20_000.into()),
        ])
    }

    fn api(&self, pool: &str) -> Api {
        Api::new(&self.base_config(pool)).unwrap_or_else(|e| panic!("new CognitoTotp: {}", describe(&e)))
    }

    fn api_with(&self, pool: &str, key: &str, value: JsValue) -> Api {
        let config = self.base_config(pool);
        set(&config, key, &value);
        Api::new(&config).unwrap_or_else(|e| panic!("new CognitoTotp: {}", describe(&e)))
    }

    async fn dev(&self, method: &str, path: &str, body: Option<String>) -> Value {
        http(method, &format!("{}_emulator/{path}", self.endpoint), body).await
    }

    /// The next `times` calls of `target` fail as `kind`.
    async fn fault(&self, target: &str, kind: &str, times: u32, delay_ms: u32) {
        let body = format!(r#"{{"target":"{target}","kind":"{kind}","times":{times},"delayMs":{delay_ms}}}"#);
        self.dev("POST", "faults", Some(body)).await;
    }

    /// Clears faults and the request log, so each case counts its own requests.
    async fn reset(&self) {
        self.dev("DELETE", "faults", None).await;
        self.dev("DELETE", "requests", None).await;
    }

    /// `(operation, HTTP status)` of every logged request, oldest first.
    async fn log(&self) -> Vec<(String, u16)> {
        let Value::Array(list) = self.dev("GET", "requests", None).await else { panic!("requests") };
        list.iter()
            .map(|r| {
                let target = text(r, &["target"]);
                (target.rsplit('.').next().unwrap_or(target).to_owned(), number(r, "status") as u16)
            })
            .collect()
    }

    async fn ops(&self) -> Vec<String> {
        self.log().await.into_iter().map(|(op, _)| op).collect()
    }

    async fn now(&self) -> f64 {
        number(&self.dev("GET", "clock", None).await, "now")
    }

    async fn advance(&self, seconds: u32) {
        self.dev("POST", "clock", Some(format!(r#"{{"advanceSeconds":{seconds}}}"#))).await;
    }

    /// A TOTP code for a window no earlier test used (the emulator takes each code once).
    async fn fresh_code(&self, secret: &str) -> String {
        self.advance(30).await;
        totp_code(secret, Some(self.now().await)).unwrap()
    }

    /// How many logged request bodies contain `needle`, and how many were logged.
    async fn bodies_containing(&self, needle: &str) -> (f64, f64) {
        let body = json::to_string(&Value::Object(
            [("needle".to_owned(), Value::String(needle.to_owned()))].into_iter().collect(),
        ));
        let v = self.dev("POST", "requests/contains", Some(body)).await;
        (number(&v, "count"), number(&v, "total"))
    }

    /// Neither the secret nor its JSON escape is in any logged request body.
    async fn never_sent(&self, secret: &str, what: &str) {
        let (count, total) = self.bodies_containing(secret).await;
        assert!(total > 0.0, "the request log is empty: nothing was checked");
        assert_eq!(count, 0.0, "{what} was sent in a request");
        let escaped = json::to_string(&Value::String(secret.to_owned()));
        assert_eq!(self.bodies_containing(escaped.trim_matches('"')).await.0, 0.0, "{what} (JSON-escaped) was sent");
    }
}

// ---- JS plumbing -------------------------------------------------------------------------------

fn describe(e: &JsValue) -> String {
    format!("{}: {}", prop(e, "name").as_string().unwrap_or_default(), prop(e, "message").as_string().unwrap_or_default())
}

/// A trap (`RuntimeError: unreachable`, a panic compiled to abort) must never reach the caller.
fn assert_no_trap(e: &JsValue) {
    let name = prop(e, "name").as_string().unwrap_or_default();
    assert!(
        !e.is_instance_of::<js_sys::WebAssembly::RuntimeError>() && name != "RuntimeError",
        "wasm trap: {}",
        describe(e)
    );
}

/// `fetch` for the dev endpoints; non-2xx fails the test.
async fn http(method: &str, url: &str, body: Option<String>) -> Value {
    let fetch = prop(&js_sys::global(), "fetch").dyn_into::<Function>().unwrap();
    let init = obj(&[("method", method.into())]);
    if let Some(b) = body {
        set(&init, "body", &b.into());
        set(&init, "headers", &obj(&[("content-type", "application/json".into())]));
    }
    let promise: Promise = fetch.call2(&JsValue::NULL, &url.into(), &init).unwrap().dyn_into().unwrap();
    let resp = JsFuture::from(promise).await.unwrap();
    let status = prop(&resp, "status").as_f64().unwrap();
    let read: Promise = prop(&resp, "text").dyn_into::<Function>().unwrap().call0(&resp).unwrap().dyn_into().unwrap();
    let body = JsFuture::from(read).await.unwrap().as_string().unwrap();
    assert!((200.0..300.0).contains(&status), "{method} {url}: HTTP {status} {body}");
    if body.trim().is_empty() { Value::Null } else { json::from_str(&body).unwrap() }
}

/// A `CognitoTotp` as JS holds it.
struct Api(JsValue);

impl Api {
    fn new(config: &Object) -> Result<Api, JsValue> {
        let config: JsValue = config.into();
        CognitoTotp::new(config).map(|c| Api(c.into())).inspect_err(assert_no_trap)
    }

    /// `api[method](...args)` as a Promise; a synchronous throw becomes a rejection.
    fn start(&self, method: &str, args: &[JsValue]) -> Promise {
        let f = prop(&self.0, method).dyn_into::<Function>().unwrap_or_else(|_| panic!("no method {method}"));
        let args: Array = args.iter().collect();
        match Reflect::apply(&f, &self.0, &args) {
            Ok(p) => p.dyn_into::<Promise>().expect("a Promise"),
            Err(e) => Promise::reject(&e),
        }
    }

    /// `api[method](...args)`, awaited.
    async fn call(&self, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        JsFuture::from(self.start(method, args)).await.inspect_err(assert_no_trap)
    }

    async fn sign_in(&self, username: &str, password: &str) -> Result<JsValue, JsValue> {
        self.call("signIn", &[username.into(), password.into()]).await
    }
}

fn ok(r: Result<JsValue, JsValue>, what: &str) -> JsValue {
    r.unwrap_or_else(|e| panic!("{what}: unexpected {}", describe(&e)))
}

/// Must be a JS `Error` named `name` with a message and a `retryable` flag; returns it.
fn err(r: Result<JsValue, JsValue>, name: &str, what: &str) -> JsValue {
    let e = match r {
        Ok(v) => panic!("{what}: expected {name}, got {:?}", js_sys::JSON::stringify(&v)),
        Err(e) => e,
    };
    assert!(e.is_instance_of::<js_sys::Error>(), "{what}: not an Error: {e:?}");
    assert_eq!(prop_str(&e, "name"), name, "{what}: {}", describe(&e));
    assert!(!prop_str(&e, "message").is_empty(), "{what}: empty message");
    assert!(prop(&e, "retryable").as_bool().is_some(), "{what}: no retryable flag");
    e
}

fn retryable(e: &JsValue) -> bool {
    prop(e, "retryable").as_bool().unwrap()
}

fn step_type(step: &JsValue) -> String {
    prop_str(step, "type")
}

fn access_token(step: &JsValue) -> String {
    assert_eq!(step_type(step), "done");
    prop_str(&prop(step, "tokens"), "accessToken")
}

/// The object still works: a complete sign-in of optional/plain.
async fn works(emu: &Emu, api: &Api, after: &str) {
    emu.dev("DELETE", "faults", None).await;
    let step = ok(api.sign_in("plain", &password("optional", "plain")).await, after);
    assert_eq!(step_type(&step), "done", "sign-in after {after}");
}

fn count(ops: &[String], op: &str) -> usize {
    ops.iter().filter(|o| *o == op).count()
}

// ---- faults on the wire -------------------------------------------------------------------------

/// 5xx (HTML 502, Cognito 500) on each sign-in step: once → retried away; every try → reported.
#[wasm_bindgen_test]
async fn server_errors_are_retried_then_reported() {
    let Some(emu) = emulator("5xx faults") else { return };
    let api = emu.api("optional");
    let pw = password("optional", "plain");
    for target in ["InitiateAuth", "RespondToAuthChallenge"] {
        for (kind, name) in [("html502", "ProtocolError"), ("http500", "InternalErrorException")] {
            let case = format!("{kind} on {target}");
            emu.reset().await;
            emu.fault(target, kind, 1, 0).await;
            let step = ok(api.sign_in("plain", &pw).await, &format!("{case} once"));
            assert_eq!(step_type(&step), "done");
            let log = emu.log().await;
            let tries: Vec<u16> = log.iter().filter(|(op, _)| op == target).map(|(_, s)| *s).collect();
            assert_eq!(tries, [if kind == "html502" { 502 } else { 500 }, 200], "{case}: {log:?}");

            emu.reset().await;
            emu.fault(target, kind, 3, 0).await;
            let e = err(api.sign_in("plain", &pw).await, name, &case);
            let message = prop_str(&e, "message");
            if kind == "html502" {
                assert!(message.contains("502") && message.contains("HTML"), "{case}: {message}");
                assert!(!message.contains("<html") && !message.contains("Bad Gateway"), "body echoed: {message}");
            } else {
                assert!(retryable(&e), "{case}: a 500 may pass later");
            }
            let ops = emu.ops().await;
            assert_eq!(count(&ops, target), 3, "{case}: 3 tries in all: {ops:?}");
            if target == "InitiateAuth" {
                assert_eq!(count(&ops, "RespondToAuthChallenge"), 0, "{case}: {ops:?}");
            }
            works(&emu, &api, &case).await;
        }
    }
    emu.never_sent(&pw, "the password").await;
}

/// A 200 that is empty, cut off or lacks members: one `ProtocolError`, not retried, on every
/// step that reads a body.
#[wasm_bindgen_test]
async fn malformed_success_bodies_are_protocol_errors() {
    let Some(emu) = emulator("malformed 200 bodies") else { return };
    let api = emu.api("optional");
    let pw = password("optional", "plain");
    let token = access_token(&ok(api.sign_in("plain", &pw).await, "sign-in"));
    let mut cases = 0;
    for kind in ["empty", "truncated", "missingMembers"] {
        for target in ["InitiateAuth", "RespondToAuthChallenge", "GetUser", "AssociateSoftwareToken"] {
            let case = format!("{kind} on {target}");
            emu.reset().await;
            emu.fault(target, kind, 1, 0).await;
            let result = match target {
                "GetUser" => api.call("getUser", &[token.as_str().into()]).await,
                "AssociateSoftwareToken" => api.call("associateTotp", &[token.as_str().into()]).await,
                _ => api.sign_in("plain", &pw).await,
            };
            let e = err(result, "ProtocolError", &case);
            assert!(!retryable(&e), "{case}");
            let ops = emu.ops().await;
            assert_eq!(count(&ops, target), 1, "{case}: not retried: {ops:?}");
            if target == "InitiateAuth" {
                assert!(!ops.iter().any(|o| o == "RespondToAuthChallenge"), "{case}: {ops:?}");
            }
            cases += 1;
            works(&emu, &api, &case).await;
        }
    }
    // The faults cost nothing: the access token still works.
    ok(api.call("getUser", &[token.as_str().into()]).await, "getUser after the faults");
    console_log!("malformed 200 bodies: {cases} cases");
    emu.never_sent(&pw, "the password").await;
}

/// `timeoutMs` cuts a slow answer: once → the retry succeeds; every try → `NetworkError`.
#[wasm_bindgen_test]
async fn slow_answers_time_out_as_network_errors() {
    let Some(emu) = emulator("timeouts") else { return };
    let pw = password("optional", "plain");
    let api = emu.api_with("optional", "timeoutMs", 800.into());
    ok(api.sign_in("plain", &pw).await, "a sign-in within the timeout");
    // An aborted request may never be logged (the server drops it with the connection), so the
    // tries are counted from the faults used up: each try takes one before it waits.
    for target in ["InitiateAuth", "RespondToAuthChallenge"] {
        emu.reset().await;
        emu.fault(target, "slow", 1, 2000).await;
        let step = ok(api.sign_in("plain", &pw).await, &format!("slow {target} once"));
        assert_eq!(step_type(&step), "done");
        assert_eq!(faults_left(&emu).await, 0.0);

        emu.reset().await;
        emu.fault(target, "slow", 4, 2000).await;
        let started = js_sys::Date::now();
        let e = err(api.sign_in("plain", &pw).await, "NetworkError", &format!("slow {target}"));
        let took = js_sys::Date::now() - started;
        assert!(prop_str(&e, "message").contains("timed out"), "{}", describe(&e));
        assert!(retryable(&e));
        // 3 × 800 ms plus at most 100 + 200 ms of backoff; waiting for the server would take
        // 3 × 2 s. The bound sits between the two, leaving room for a loaded machine.
        assert!(took < 5000.0, "slow {target}: {took} ms — the timeout did not cut the wait");
        assert!(took >= 2400.0, "slow {target}: {took} ms — 3 tries of 800 ms cannot end sooner");
        assert_eq!(faults_left(&emu).await, 1.0, "slow {target}: exactly 3 tries");
        works(&emu, &api, &format!("slow {target}")).await;
    }
    // Abandoned answers still finishing on the server must not land in the next test's log.
    sleep(2100).await;

    // A timeout beyond setTimeout's range (2^31 - 1 ms) must not wrap round to "at once".
    for huge in [2_147_483_648.0, 4_294_967_295.0] {
        let api = emu.api_with("optional", "timeoutMs", huge.into());
        works(&emu, &api, &format!("timeoutMs = {huge}")).await;
    }
}

async fn faults_left(emu: &Emu) -> f64 {
    let Value::Array(list) = emu.dev("GET", "faults", None).await else { panic!("faults") };
    list.iter().map(|f| number(f, "times")).sum()
}

/// Nothing listens on the endpoint: `NetworkError` after 3 quick tries, and again on the next call
/// (the object is not poisoned; its endpoint is fixed, so only another object can succeed).
#[wasm_bindgen_test]
async fn connection_refused_is_a_network_error() {
    let Some(emu) = emulator("connection refused") else { return };
    let pw = password("optional", "plain");
    // Port 2: unassigned, not on Chromium's blocked-port list, so the fetch really tries to connect.
    let api = emu.api_with("optional", "endpoint", "http://127.0.0.1:2/".into());
    for attempt in ["first call", "second call"] {
        let started = js_sys::Date::now();
        let e = err(api.sign_in("plain", &pw).await, "NetworkError", attempt);
        assert!(retryable(&e));
        assert!(prop_str(&e, "message").starts_with("InitiateAuth:"), "{}", describe(&e));
        assert!(js_sys::Date::now() - started < 3000.0, "{attempt}: refusals took too long");
    }
    works(&emu, &emu.api("optional"), "a refused connection").await;
}

/// TooManyRequestsException: once → retried after a short jittered pause; every time → given up
/// after 3 tries with that error.
#[wasm_bindgen_test]
async fn throttling_is_retried_with_bounded_backoff_then_given_up() {
    let Some(emu) = emulator("throttling") else { return };
    let api = emu.api("optional");
    let pw = password("optional", "plain");
    let token = access_token(&ok(api.sign_in("plain", &pw).await, "sign-in"));

    // Timed on GetUser (no SRP arithmetic in the way): the pause is 50–100 ms, then 100–200 ms.
    for times in [1, 2] {
        emu.reset().await;
        emu.fault("GetUser", "throttle", times, 0).await;
        let started = js_sys::Date::now();
        ok(api.call("getUser", &[token.as_str().into()]).await, "throttled GetUser");
        let took = js_sys::Date::now() - started;
        assert!(took >= if times == 1 { 50.0 } else { 150.0 }, "{times} throttles: no backoff ({took} ms)");
        // The upper bounds only prove the backoff is bounded (the pauses total ≤ 300 ms); they leave
        // room for a loaded 2-core CI machine, where one emulator call alone can take hundreds of ms.
        assert!(took < 3000.0, "{times} throttles: {took} ms");
        assert_eq!(count(&emu.ops().await, "GetUser"), times as usize + 1);
    }
    // Concurrent sign-ins on one object, throttled along the way, each finish on their own.
    emu.reset().await;
    emu.fault("InitiateAuth", "throttle", 2, 0).await;
    emu.fault("RespondToAuthChallenge", "throttle", 2, 0).await;
    let users = [("plain", "done"), ("totp", "totpCode"), ("jörg", "done"), ("sms", "smsCode")];
    let started: Array = users
        .iter()
        .map(|(u, _)| api.start("signIn", &[(*u).into(), password("optional", u).into()]))
        .collect();
    let steps = JsFuture::from(Promise::all(&started)).await.unwrap_or_else(|e| panic!("concurrent: {}", describe(&e)));
    let kinds: Vec<String> = Array::from(&steps).iter().map(|s| step_type(&s)).collect();
    assert_eq!(kinds, users.map(|(_, k)| k), "concurrent sign-ins");
    assert_eq!(faults_left(&emu).await, 0.0);

    let started = js_sys::Date::now();
    ok(api.sign_in("plain", &pw).await, "unthrottled sign-in");
    let unthrottled = js_sys::Date::now() - started;
    for target in ["InitiateAuth", "RespondToAuthChallenge"] {
        emu.reset().await;
        emu.fault(target, "throttle", 1, 0).await;
        let started = js_sys::Date::now();
        assert_eq!(step_type(&ok(api.sign_in("plain", &pw).await, "throttled once")), "done");
        let extra = js_sys::Date::now() - started - unthrottled;
        assert!(extra < 3000.0, "throttled {target} once: {extra} ms more than a plain sign-in");

        emu.reset().await;
        emu.fault(target, "throttle", 10, 0).await;
        let e = err(api.sign_in("plain", &pw).await, "TooManyRequestsException", target);
        assert!(retryable(&e));
        let log = emu.log().await;
        let tries = log.iter().filter(|(op, status)| op == target && *status == 400).count();
        assert_eq!(tries, 3, "{target}: gave up after 3 tries: {log:?}");
        emu.reset().await;
        works(&emu, &api, &format!("throttled {target}")).await;
    }
}

/// The sign-in Session outlives neither an MFA step nor an MFA setup: the answer after expiry is
/// NotAuthorizedException, and a new sign-in on the same object completes.
#[wasm_bindgen_test]
async fn an_expired_session_is_not_authorized() {
    let Some(emu) = emulator("session expiry") else { return };
    emu.reset().await;
    let api = emu.api("optional");
    let pw = password("optional", "totp");
    let step = ok(api.sign_in("totp", &pw).await, "totp sign-in");
    assert_eq!(step_type(&step), "totpCode");
    emu.advance(181).await;
    let code = totp_code(TOTP_SECRET, Some(emu.now().await)).unwrap();
    let e = err(api.call("confirmTotp", &[step, code.into()]).await, "NotAuthorizedException", "expired step");
    assert!(prop_str(&e, "message").contains("expired"), "{}", describe(&e));
    assert!(!retryable(&e));
    let step = ok(api.sign_in("totp", &pw).await, "totp sign-in again");
    let code = emu.fresh_code(TOTP_SECRET).await;
    assert_eq!(step_type(&ok(api.call("confirmTotp", &[step, code.into()]).await, "confirm")), "done");
    emu.never_sent(&pw, "the password").await;

    // Between AssociateSoftwareToken and VerifySoftwareToken of an MFA_SETUP.
    let api = emu.api("required");
    let pw = password("required", "newbie3");
    let step = ok(api.sign_in("newbie3", &pw).await, "newbie3 sign-in");
    assert_eq!(step_type(&step), "mfaSetup");
    let setup = ok(api.call("associateTotp", &[step]).await, "associate");
    emu.advance(181).await;
    let code = totp_code(&prop_str(&setup, "secret"), Some(emu.now().await)).unwrap();
    err(api.call("verifyTotp", &[setup, code.into()]).await, "NotAuthorizedException", "expired setup");
    let step = ok(api.sign_in("newbie3", &pw).await, "newbie3 again");
    assert_eq!(step_type(&step), "mfaSetup", "nothing was enrolled by the expired setup");
    let setup = ok(api.call("associateTotp", &[step]).await, "associate again");
    let code = emu.fresh_code(&prop_str(&setup, "secret")).await;
    let done = ok(api.call("verifyTotp", &[setup, code.into()]).await, "verify");
    assert_eq!(step_type(&done), "done");
    emu.never_sent(&pw, "the password").await;
}

/// 5xx answering an MFA code: the step is kept, and the same step with the same code then works
/// (the faulted calls never reached the operation, so the code is still unused).
#[wasm_bindgen_test]
async fn server_errors_on_an_mfa_answer_keep_the_step_usable() {
    let Some(emu) = emulator("5xx on RespondToAuthChallenge(SOFTWARE_TOKEN_MFA)") else { return };
    emu.reset().await;
    let api = emu.api("optional");
    let pw = password("optional", "totp");
    let step = ok(api.sign_in("totp", &pw).await, "totp sign-in");
    let code = emu.fresh_code(TOTP_SECRET).await;
    for (kind, name) in [("http500", "InternalErrorException"), ("html502", "ProtocolError")] {
        emu.fault("RespondToAuthChallenge", kind, 3, 0).await;
        err(api.call("confirmTotp", &[step.clone(), code.as_str().into()]).await, name, kind);
    }
    emu.fault("RespondToAuthChallenge", "http500", 2, 0).await;
    let done = ok(api.call("confirmTotp", &[step, code.into()]).await, "third try after two 500s");
    assert_eq!(step_type(&done), "done");
    let log = emu.log().await;
    let answered: Vec<u16> = log.iter().filter(|(op, _)| op == "RespondToAuthChallenge").map(|(_, s)| *s).collect();
    // PASSWORD_VERIFIER, then 3 × 500, 3 × 502, 2 × 500 and the answer that went through.
    assert_eq!(answered, [200, 500, 500, 500, 502, 502, 502, 500, 500, 200], "{log:?}");
}

// ---- SRP values the client must refuse -----------------------------------------------------------

/// B ≡ 0 (mod N) would let anyone who knows nothing of the password forge the session key; the
/// client must stop before it signs anything.
#[wasm_bindgen_test]
async fn a_server_b_of_zero_mod_n_is_refused_before_answering() {
    let Some(emu) = emulator("SRP B ≡ 0 (mod N)") else { return };
    let api = emu.api("optional");
    let pw = password("optional", "plain");
    for kind in ["srpBZero", "srpBEqualsN"] {
        emu.reset().await;
        emu.fault("InitiateAuth", kind, 1, 0).await;
        let e = err(api.sign_in("plain", &pw).await, "ProtocolError", kind);
        assert!(prop_str(&e, "message").contains("SRP"), "{kind}: {}", describe(&e));
        assert!(!retryable(&e));
        assert_eq!(emu.ops().await, ["InitiateAuth"], "{kind}: no PASSWORD_VERIFIER answer may be sent");
        works(&emu, &api, kind).await;
    }
    emu.never_sent(&pw, "the password").await;
}

// ---- input validation, before any request ---------------------------------------------------------

/// Every bad input rejects with InvalidParameterException naming the problem, and the request log
/// does not grow.
#[wasm_bindgen_test]
async fn bad_input_is_refused_before_any_request() {
    let Some(emu) = emulator("input validation against the request log") else { return };
    let api = emu.api("optional");
    let pw = password("optional", "totp");
    let step = ok(api.sign_in("totp", &pw).await, "totp sign-in");
    assert_eq!(step_type(&step), "totpCode");
    emu.reset().await;
    let mut tried = 0;

    // Constructor: pool id, client id, endpoint, timeout.
    let bad_configs: &[(&str, JsValue, &str)] = &[
        ("userPoolId", "".into(), "userPoolId"),
        ("userPoolId", "us-east-1".into(), "userPoolId"),
        ("userPoolId", "us-east-1_".into(), "userPoolId"),
        ("userPoolId", "US-EAST-1_abc".into(), "userPoolId"),
        ("userPoolId", "us-east-1_ab-c".into(), "userPoolId"),
        ("userPoolId", "us-east-1_ab c".into(), "userPoolId"),
        ("userPoolId", "useast1_abc".into(), "userPoolId"),
        ("userPoolId", 42.into(), "userPoolId"),
        ("clientId", "".into(), "clientId"),
        ("clientId", JsValue::UNDEFINED, "clientId"),
        ("endpoint", "http://example.com/".into(), "https"),
        ("endpoint", "http://10.0.0.1:9229/".into(), "https"),
        ("endpoint", "http://127.0.0.1.example.com/".into(), "https"),
        ("endpoint", "http://localhost.example.com/".into(), "https"),
        ("endpoint", "http://user@127.0.0.1/".into(), "https"),
        ("endpoint", "http://127.0.0.1@example.com/".into(), "https"),
        ("endpoint", "ftp://127.0.0.1/".into(), "https"),
        ("endpoint", "ws://127.0.0.1/".into(), "https"),
        ("endpoint", "https://".into(), "https"),
        ("endpoint", "127.0.0.1:9229".into(), "https"),
        ("endpoint", "".into(), "https"),
        ("timeoutMs", 0.into(), "timeoutMs"),
        ("timeoutMs", (-5).into(), "timeoutMs"),
        ("timeoutMs", 1.5.into(), "timeoutMs"),
        ("timeoutMs", "300".into(), "timeoutMs"),
    ];
    for (key, value, says) in bad_configs {
        let config = emu.base_config("optional");
        set(&config, key, value);
        let what = format!("{key} = {value:?}");
        let e = err(Api::new(&config).map(|a| a.0), "InvalidParameterException", &what);
        assert!(prop_str(&e, "message").contains(says), "{what}: {}", describe(&e));
        tried += 1;
    }
    for good in ["http://127.0.0.1:9229/", "http://localhost:9229/", "http://[::1]:9229/", "https://cognito.example.com/"] {
        let config = emu.base_config("optional");
        set(&config, "endpoint", &good.into());
        Api::new(&config).unwrap_or_else(|e| panic!("{good}: {}", describe(&e)));
    }
    let e = err(Api::new(&obj(&[])).map(|a| a.0), "InvalidParameterException", "empty config");
    assert!(prop_str(&e, "message").contains("userPoolId"), "{}", describe(&e));
    tried += 1;

    // Sign-in input.
    for (user, pass, says) in [("", pw.as_str(), "username"), ("totp", "", "password"), ("", "", "username")] {
        let e = err(api.sign_in(user, pass).await, "InvalidParameterException", &format!("{user:?}/{pass:?}"));
        assert!(prop_str(&e, "message").contains(says), "{}", describe(&e));
        tried += 1;
    }
    // Codes: exactly six digits once whitespace is dropped.
    for bad in ["", "   ", "12345", "1234567", "123 4567", "12345a", "12-456", "+12345", "１２３４５６", "١٢٣٤٥٦", "123456\u{0}"] {
        let e = err(api.call("confirmTotp", &[step.clone(), bad.into()]).await, "InvalidParameterException", bad);
        assert!(prop_str(&e, "message").contains("6 digits"), "{bad:?}: {}", describe(&e));
        tried += 1;
    }
    // Other calls' arguments.
    let wrong_type: &[(&str, Vec<JsValue>, &str)] = &[
        ("getUser", vec!["".into()], "access token"),
        ("globalSignOut", vec!["".into()], "access token"),
        ("refresh", vec!["".into()], "refresh token"),
        ("revokeToken", vec!["".into()], "refresh token"),
        ("associateTotp", vec!["".into()], "access token"),
        ("setMfaPreference", vec!["token".into(), obj(&[]).into()], "at least one"),
        ("setMfaPreference", vec!["token".into(), obj(&[("totp", "always".into())]).into()], "preferred"),
        ("disableTotp", vec!["totp".into(), "".into(), "token".into()], "password"),
        ("disableTotp", vec!["totp".into(), pw.as_str().into(), "".into()], "access token"),
        ("confirmTotp", vec![obj(&[("type", "totpCode".into())]).into(), "123456".into()], "step"),
        ("confirmCode", vec![step.clone(), "123456".into()], "SMS or email"),
        ("selectMfa", vec![step.clone(), "TOTP".into()], "SELECT_MFA_TYPE"),
        ("selectMfa", vec![step.clone(), "PIGEON".into()], "TOTP"),
        ("completeNewPassword", vec![step.clone(), "New-Passw0rd!".into()], "NEW_PASSWORD_REQUIRED"),
        ("associateTotp", vec![step.clone()], "MFA_SETUP"),
        ("verifyTotp", vec![obj(&[("secret", TOTP_SECRET.into())]).into(), "123456".into()], "TotpSetup"),
    ];
    for (method, args, says) in wrong_type {
        let e = err(api.call(method, args).await, "InvalidParameterException", method);
        assert!(prop_str(&e, "message").contains(says), "{method}: {}", describe(&e));
        tried += 1;
    }
    assert_eq!(emu.log().await, [], "a bad input reached the server");
    console_log!("input validation: {tried} bad inputs refused before any request");

    // " 123 456 " is the code 123456: accepted, and it completes the sign-in.
    let code = emu.fresh_code(TOTP_SECRET).await;
    let spaced = format!(" {} {} ", &code[..3], &code[3..]);
    let done = ok(api.call("confirmTotp", &[step, spaced.into()]).await, "spaced code");
    assert_eq!(step_type(&done), "done");
    assert_eq!(emu.ops().await, ["RespondToAuthChallenge"]);
}

// ---- nothing leaks -------------------------------------------------------------------------------

const CONSOLE_METHODS: [&str; 7] = ["log", "info", "warn", "error", "debug", "trace", "dir"];

/// Wraps each console method so every message is also recorded; `restore` puts them back.
struct ConsoleTap {
    originals: Vec<(&'static str, JsValue)>,
    seen: Array,
}

impl ConsoleTap {
    fn install() -> ConsoleTap {
        let console = prop(&js_sys::global(), "console");
        let seen = Array::new();
        let mut originals = Vec::new();
        for name in CONSOLE_METHODS {
            let original = prop(&console, name);
            let wrapper = Function::new_with_args(
                "seen, original",
                "return function (...args) { \
                   seen.push(args.map(a => { try { return typeof a === 'string' ? a : String(a) + ' ' + JSON.stringify(a); } \
                                              catch (_) { return String(a); } }).join(' ')); \
                   return original.apply(this, args); };",
            )
            .call2(&JsValue::NULL, &seen, &original)
            .unwrap();
            Reflect::set(&console, &name.into(), &wrapper).unwrap();
            originals.push((name, original));
        }
        ConsoleTap { originals, seen }
    }

    fn restore(self) -> Vec<String> {
        let console = prop(&js_sys::global(), "console");
        for (name, original) in &self.originals {
            Reflect::set(&console, &(*name).into(), original).unwrap();
        }
        self.seen.iter().map(|s| s.as_string().unwrap()).collect()
    }
}

/// Everything the page could keep: both storages, entry by entry, and the cookies.
fn page_storage() -> Vec<String> {
    let g = js_sys::global();
    let mut out = Vec::new();
    for area in ["localStorage", "sessionStorage"] {
        let s = prop(&g, area);
        let len = prop(&s, "length").as_f64().unwrap() as u32;
        let key = prop(&s, "key").dyn_into::<Function>().unwrap();
        let get = prop(&s, "getItem").dyn_into::<Function>().unwrap();
        for i in 0..len {
            let k = key.call1(&s, &i.into()).unwrap();
            let v = get.call1(&s, &k).unwrap();
            out.push(format!("{area}:{}={}", k.as_string().unwrap(), v.as_string().unwrap_or_default()));
        }
    }
    out.push(format!("cookie:{}", prop_str(&prop(&g, "document"), "cookie")));
    out
}

/// A full sign-in, TOTP enrollment, MFA sign-in, refresh and a few failures, with the console
/// tapped: no console message and no error message carries the password, the TOTP secret, a
/// token; no request carries the password; storage and cookies are exactly as before.
#[wasm_bindgen_test]
async fn a_full_enrollment_leaks_nothing_and_stores_nothing() {
    let Some(emu) = emulator("no secret in console, storage or requests") else { return };
    emu.reset().await;
    let g = js_sys::global();
    let local = prop(&g, "localStorage");
    // Something of the app's own, which must survive untouched.
    let set_item = prop(&local, "setItem").dyn_into::<Function>().unwrap();
    set_item.call2(&local, &"app-canary".into(), &"kept".into()).unwrap();
    let before = page_storage();

    let tap = ConsoleTap::install();
    console_log!("tap-canary");
    let mut errors = Vec::new();
    let mut secrets = Vec::new();
    let run = async {
        let api = emu.api("optional");
        let pw = password("optional", "enroll2");
        secrets.push(pw.clone());
        let step = ok(api.sign_in("enroll2", &pw).await, "sign-in");
        let tokens = prop(&step, "tokens");
        for t in ["accessToken", "idToken", "refreshToken"] {
            secrets.push(prop_str(&tokens, t));
        }
        let token = access_token(&step);
        let setup = ok(api.call("associateTotp", &[token.as_str().into()]).await, "associate");
        let secret = prop_str(&setup, "secret");
        secrets.push(secret.clone());
        let label = obj(&[("issuer", "Leak Test".into()), ("account", "enroll2".into())]);
        for render in ["uri", "qrSvg"] {
            let f = prop(&setup, render).dyn_into::<Function>().unwrap();
            assert!(f.call1(&setup, &label).unwrap().as_string().is_some());
        }
        let code = emu.fresh_code(&secret).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        errors.push(err(
            api.call("verifyTotp", &[setup.clone(), wrong.into()]).await,
            "EnableSoftwareTokenMFAException",
            "wrong first code",
        ));
        ok(api.call("verifyTotp", &[setup, code.into()]).await, "verify");
        ok(api.call("setMfaPreference", &[token.as_str().into(), obj(&[("totp", "preferred".into())]).into()]).await, "prefer");
        errors.push(err(api.sign_in("enroll2", "Wrong-Passw0rd!").await, "NotAuthorizedException", "wrong password"));
        emu.fault("InitiateAuth", "html502", 3, 0).await;
        errors.push(err(api.sign_in("enroll2", &pw).await, "ProtocolError", "html502"));
        let step = ok(api.sign_in("enroll2", &pw).await, "MFA sign-in");
        assert_eq!(step_type(&step), "totpCode");
        let code = emu.fresh_code(&secret).await;
        let done = ok(api.call("confirmTotp", &[step, code.into()]).await, "confirm");
        let refresh = prop_str(&prop(&done, "tokens"), "refreshToken");
        secrets.push(access_token(&done));
        secrets.push(refresh.clone());
        let renewed = ok(api.call("refresh", &[refresh.as_str().into()]).await, "refresh");
        secrets.push(prop_str(&renewed, "accessToken"));
        ok(api.call("revokeToken", &[refresh.as_str().into()]).await, "revoke");
        errors.push(err(api.call("refresh", &[refresh.as_str().into()]).await, "NotAuthorizedException", "revoked"));
        // Off again, so a rerun against the same emulator starts from a plain user.
        ok(api.call("disableTotp", &["enroll2".into(), pw.as_str().into(), token.as_str().into()]).await, "disable");
    };
    run.await;
    let console = tap.restore();
    assert!(console.iter().any(|l| l.contains("tap-canary")), "the console tap recorded nothing: {console:?}");

    assert_eq!(page_storage(), before, "the library wrote to localStorage, sessionStorage or cookies");
    let remove = prop(&local, "removeItem").dyn_into::<Function>().unwrap();
    remove.call1(&local, &"app-canary".into()).unwrap();

    let said: Vec<String> = console.into_iter().chain(errors.iter().map(describe)).collect();
    for secret in &secrets {
        assert!(secret.len() >= 16, "a secret too short to search for");
        for line in &said {
            assert!(!line.contains(secret.as_str()), "a secret ({}…) appeared in: {line}", &secret[..6]);
        }
    }
    emu.never_sent(&secrets[0], "the password").await;
    emu.never_sent("Wrong-Passw0rd!", "the wrong password").await;
    console_log!("leak checks: {} secrets against {} console/error messages", secrets.len(), said.len());
}

async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let set_timeout = prop(&js_sys::global(), "setTimeout").dyn_into::<Function>().unwrap();
        set_timeout.call2(&JsValue::NULL, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}
