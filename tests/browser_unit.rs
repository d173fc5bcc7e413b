//! In-browser checks (headless Chromium via wasm-bindgen-test): the SRP vectors, TOTP, otpauth
//! URI and QR give the same answers inside the browser, errors reach JS as real `Error`s with the
//! right `name`, and the fetch transport speaks the protocol (against a scripted `fetch`).
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cognito-totp --target wasm32-unknown-unknown --test browser_unit`
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::secret::Password;
use cognito_totp::core::srp::SrpClient;
use cognito_totp::core::timestamp::cognito_timestamp;
use cognito_totp::wasm::{CognitoTotp, otpauth_uri, qr_svg, totp_code};
use js_sys::{Array, Function, Object, Promise, Reflect};
use miniserde::{Deserialize, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[path = "common/srp_vectors.rs"]
mod srp_vectors;

use srp_vectors::a_bytes;

wasm_bindgen_test_configure!(run_in_browser);

// ---- known answers --------------------------------------------------------------------------

fn srp_vectors() -> srp_vectors::File {
    srp_vectors::load()
}

#[wasm_bindgen_test]
fn srp_vectors_match_the_sdk_in_the_browser() {
    let file = srp_vectors();
    assert!(file.cases.len() >= 8);
    for case in &file.cases {
        let (i, o) = (&case.input, &case.output);
        let client = SrpClient::new(&a_bytes(&i.a_hex)).unwrap();
        assert_eq!(client.a_hex(), o.big_a, "{}: A", case.name);
        let timestamp = cognito_timestamp(i.unix_seconds);
        assert_eq!(timestamp, o.timestamp, "{}: TIMESTAMP", case.name);
        let claim = client
            .password_claim(
                &i.pool_id,
                &i.user_id_for_srp,
                &Password::new(i.password.clone()),
                &i.salt_hex,
                &i.b_hex,
                &i.secret_block,
                &timestamp,
            )
            .unwrap();
        assert_eq!(claim.signature_b64, o.signature, "{}: signature", case.name);
    }
}

#[derive(Deserialize)]
struct Rfc6238 {
    #[serde(rename = "seedBase32")]
    seed_base32: String,
    vectors: Vec<TotpVector>,
}
#[derive(Deserialize)]
struct TotpVector {
    time: u64,
    totp: String,
}

#[wasm_bindgen_test]
fn totp_code_export_gives_rfc6238_codes() {
    let rfc: Rfc6238 = json::from_str(include_str!("vectors/rfc6238.json")).unwrap();
    assert!(rfc.vectors.len() >= 6);
    for v in &rfc.vectors {
        // The RFC lists 8 digits; Cognito's 6-digit code is the same value mod 10^6.
        let code = totp_code(&rfc.seed_base32, Some(v.time as f64)).unwrap();
        assert_eq!(code, v.totp[2..], "t = {}", v.time);
    }
    // Without a time it uses Date.now(): same as asking for now explicitly (barring a step edge).
    let now = (js_sys::Date::now() / 1000.0).floor();
    if (now as u64) % 30 < 29 {
        assert_eq!(totp_code(&rfc.seed_base32, None).unwrap(), totp_code(&rfc.seed_base32, Some(now)).unwrap());
    }
}

#[wasm_bindgen_test]
fn otpauth_uri_export_round_trips_through_the_browser_url_parser() {
    let params = obj(&[
        ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into()),
        ("issuer", "My App & Co".into()),
        ("account", "jörg@example.com".into()),
    ]);
    let uri = otpauth_uri(params.into()).unwrap();
    let url = web_sys::Url::new(&uri).unwrap();
    assert_eq!(url.protocol(), "otpauth:");
    let search = url.search_params();
    assert_eq!(search.get("secret").as_deref(), Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"));
    assert_eq!(search.get("issuer").as_deref(), Some("My App & Co"));
    let label = js_sys::decode_uri_component(&url.pathname()).unwrap().as_string().unwrap();
    assert!(label.ends_with("My App & Co:jörg@example.com"), "{label}");
}

#[wasm_bindgen_test]
fn qr_svg_export_is_one_path_with_title_and_viewbox() {
    let uri = "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let opts = obj(&[("title", "Scan me".into()), ("ecc", "Q".into()), ("dark", "#123456".into())]);
    let svg = qr_svg(uri, opts.into()).unwrap();
    assert_eq!(svg.matches("<path").count(), 1, "{svg}");
    assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title") && svg.contains("Scan me"));
    assert!(svg.contains("#123456"));
    // Same bytes as the core renderer with the same options: the JS options are read faithfully.
    let core = cognito_totp::core::qr::qr_svg(
        uri,
        &cognito_totp::core::qr::SvgOptions {
            ecc: cognito_totp::core::qr::Ecc::Quartile,
            dark: "#123456".into(),
            title: Some("Scan me".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(svg, core);
    // And the browser can parse it as an SVG document.
    let parser = web_sys::DomParser::new().unwrap();
    let doc = parser.parse_from_string(&svg, web_sys::SupportedType::ImageSvgXml).unwrap();
    assert_eq!(doc.get_elements_by_tag_name("parsererror").length(), 0);
    assert_eq!(doc.get_elements_by_tag_name("path").length(), 1);
}

// ---- errors as JS sees them -----------------------------------------------------------------

fn obj(entries: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in entries {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o
}

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn assert_js_error(err: &JsValue, name: &str, retryable: bool) {
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    assert_eq!(prop(err, "name").as_string().as_deref(), Some(name), "{err:?}");
    assert_eq!(prop(err, "retryable").as_bool(), Some(retryable), "{err:?}");
    assert!(!prop(err, "message").as_string().unwrap_or_default().is_empty());
}

async fn rejection(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => panic!("expected a rejection, got {v:?}"),
        Err(e) => e,
    }
}

const POOL: &str = "us-east-1_TestOpt01";
const ENDPOINT: &str = "http://127.0.0.1:9/";

fn client(extra: &[(&str, JsValue)]) -> CognitoTotp {
    let mut entries = vec![("userPoolId", JsValue::from_str(POOL)), ("clientId", "client123".into())];
    entries.extend(extra.iter().cloned());
    CognitoTotp::new(obj(&entries).into()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[wasm_bindgen_test]
async fn empty_password_rejects_with_invalid_parameter_before_any_request() {
    let calls = install_fetch(&[]);
    let auth = client(&[("endpoint", ENDPOINT.into())]);
    let err = rejection(auth.sign_in("alice".into(), String::new())).await;
    assert_js_error(&err, "InvalidParameterException", false);
    let err = rejection(auth.sign_in(String::new(), "pw".into())).await;
    assert_js_error(&err, "InvalidParameterException", false);
    assert_eq!(calls.length(), 0, "nothing may be sent for bad input");
    restore_fetch();
}

#[wasm_bindgen_test]
fn constructor_and_free_functions_throw_named_errors() {
    let bad_pool = CognitoTotp::new(obj(&[("userPoolId", "nope".into()), ("clientId", "c".into())]).into());
    assert_js_error(&bad_pool.err().unwrap(), "InvalidParameterException", false);
    let http = CognitoTotp::new(
        obj(&[("userPoolId", POOL.into()), ("clientId", "c".into()), ("endpoint", "http://example.com/".into())])
            .into(),
    );
    assert_js_error(&http.err().unwrap(), "InvalidParameterException", false);
    assert_js_error(&totp_code("not base32!", Some(0.0)).unwrap_err(), "InvalidParameterException", false);
    let no_account = obj(&[("secret", "JBSWY3DP".into()), ("issuer", "x".into())]);
    assert_js_error(&otpauth_uri(no_account.into()).unwrap_err(), "InvalidParameterException", false);
    assert_js_error(
        &qr_svg("x", obj(&[("dark", "url(javascript:1)".into())]).into()).unwrap_err(),
        "InvalidParameterException",
        false,
    );
    let default_endpoint = client(&[]);
    assert_eq!(default_endpoint.endpoint(), "https://cognito-idp.us-east-1.amazonaws.com/");
}

// ---- the fetch transport against a scripted fetch -------------------------------------------

/// Replaces the global `fetch` with one that answers from `responses` (`[status, body, errorTypeHeader?]`)
/// in order and records each call as `{url, method, headers, body, credentials, signal}`.
fn install_fetch(responses: &[(u16, &str, Option<&str>)]) -> Array {
    let queue = Array::new();
    for (status, body, header) in responses {
        let r = obj(&[
            ("status", JsValue::from(*status)),
            ("body", JsValue::from_str(body)),
            ("header", header.map_or(JsValue::UNDEFINED, JsValue::from_str)),
        ]);
        queue.push(&r);
    }
    let calls = Array::new();
    let factory = Function::new_with_args(
        "queue, calls",
        r#"
        if (!globalThis.__realFetch) globalThis.__realFetch = globalThis.fetch;
        return async (url, init) => {
            calls.push({ url, method: init.method, headers: init.headers, body: init.body,
                         credentials: init.credentials, hasSignal: !!init.signal });
            const r = queue.shift();
            if (!r) throw new TypeError("scripted fetch: no response left");
            if (r.status === 0) {
                // Hang until aborted, like a server that never answers.
                return new Promise((_, reject) => {
                    if (!init.signal) return;
                    init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
                });
            }
            const headers = { "content-type": "application/x-amz-json-1.1" };
            if (r.header) headers["x-amzn-errortype"] = r.header;
            return new Response(r.body, { status: r.status, headers });
        };
        "#,
    );
    let fake = factory.call2(&JsValue::NULL, &queue, &calls).unwrap();
    Reflect::set(&js_sys::global(), &JsValue::from_str("fetch"), &fake).unwrap();
    calls
}

fn restore_fetch() {
    let g = js_sys::global();
    let real = prop(&g, "__realFetch");
    if !real.is_undefined() {
        Reflect::set(&g, &JsValue::from_str("fetch"), &real).unwrap();
    }
}

fn call_body(calls: &Array, i: u32) -> String {
    prop(&calls.get(i), "body").as_string().unwrap()
}

fn call_header(calls: &Array, i: u32, name: &str) -> Option<String> {
    prop(&prop(&calls.get(i), "headers"), name).as_string()
}

#[wasm_bindgen_test]
async fn sign_in_over_fetch_reaches_done_without_sending_the_password() {
    let case = srp_vectors().cases.into_iter().next().unwrap();
    let verifier = format!(
        r#"{{"ChallengeName":"PASSWORD_VERIFIER","Session":"sess-1","ChallengeParameters":{{"SALT":"{}","SRP_B":"{}","SECRET_BLOCK":"{}","USERNAME":"{u}","USER_ID_FOR_SRP":"{u}"}}}}"#,
        case.input.salt_hex,
        case.input.b_hex,
        case.input.secret_block,
        u = case.input.user_id_for_srp
    );
    let done = r#"{"AuthenticationResult":{"AccessToken":"at","IdToken":"it","RefreshToken":"rt","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#;
    let calls = install_fetch(&[(200, &verifier, None), (200, done, None)]);
    let storage = || {
        let g = js_sys::global();
        let len = |name: &str| prop(&prop(&g, name), "length").as_f64().unwrap();
        (len("localStorage"), len("sessionStorage"), prop(&prop(&g, "document"), "cookie").as_string().unwrap())
    };
    let before = storage();
    let auth = client(&[("endpoint", ENDPOINT.into())]);
    let step = JsFuture::from(auth.sign_in(case.input.user_id_for_srp.clone(), case.input.password.clone()))
        .await
        .unwrap();
    restore_fetch();
    assert_eq!(storage(), before, "the library wrote to localStorage, sessionStorage or cookies");
    assert_eq!(prop(&step, "type").as_string().as_deref(), Some("done"));
    let tokens = prop(&step, "tokens");
    assert_eq!(prop(&tokens, "accessToken").as_string().as_deref(), Some("at"));
    assert_eq!(prop(&tokens, "refreshToken").as_string().as_deref(), Some("rt"));
    assert_eq!(prop(&tokens, "expiresIn").as_f64(), Some(3600.0));
    // toJSON shows the public fields only.
    let shown = js_sys::JSON::stringify(&step).unwrap().as_string().unwrap();
    assert!(shown.contains("\"type\":\"done\"") && !shown.contains("sess-1"), "{shown}");

    assert_eq!(calls.length(), 2);
    assert_eq!(prop(&calls.get(0), "url").as_string().as_deref(), Some(ENDPOINT));
    assert_eq!(prop(&calls.get(0), "method").as_string().as_deref(), Some("POST"));
    assert_eq!(prop(&calls.get(0), "credentials").as_string().as_deref(), Some("omit"));
    assert_eq!(call_header(&calls, 0, "Content-Type").as_deref(), Some("application/x-amz-json-1.1"));
    assert_eq!(
        call_header(&calls, 0, "X-Amz-Target").as_deref(),
        Some("AWSCognitoIdentityProviderService.InitiateAuth")
    );
    assert_eq!(
        call_header(&calls, 1, "X-Amz-Target").as_deref(),
        Some("AWSCognitoIdentityProviderService.RespondToAuthChallenge")
    );
    assert_eq!(
        call_header(&calls, 0, "X-Amz-User-Agent"),
        Some(format!("cognito-totp/{}", env!("CARGO_PKG_VERSION")))
    );
    let first = call_body(&calls, 0);
    assert!(first.contains("\"AuthFlow\":\"USER_SRP_AUTH\"") && first.contains("\"SRP_A\":\""), "{first}");
    let second = call_body(&calls, 1);
    assert!(second.contains("PASSWORD_CLAIM_SIGNATURE") && second.contains("\"Session\":\"sess-1\""), "{second}");
    assert!(second.contains(&format!("\"TIMESTAMP\":\"{}", cognito_timestamp(js_sys::Date::now() as u64 / 1000).split(' ').next().unwrap())));
    for i in 0..2 {
        assert!(!call_body(&calls, i).contains(&case.input.password), "call {i} carried the password");
    }
}

#[wasm_bindgen_test]
async fn cognito_errors_keep_their_type_and_only_throttling_is_retried() {
    let not_auth = r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#;
    let calls = install_fetch(&[(400, not_auth, None)]);
    let auth = client(&[("endpoint", ENDPOINT.into())]);
    let err = rejection(auth.get_user("token".into())).await;
    assert_js_error(&err, "NotAuthorizedException", false);
    assert_eq!(prop(&err, "message").as_string().as_deref(), Some("Incorrect username or password."));
    assert_eq!(calls.length(), 1, "auth failures are not retried");

    let throttle = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
    let calls = install_fetch(&[(400, throttle, None), (400, throttle, None), (400, throttle, None)]);
    let err = rejection(auth.get_user("token".into())).await;
    assert_js_error(&err, "TooManyRequestsException", true);
    assert_eq!(calls.length(), 3, "three tries, then give up");

    // The type can come only in the header, namespaced.
    let calls = install_fetch(&[(400, "{}", Some("CodeMismatchException:http://internal.amazon.com/"))]);
    let err = rejection(auth.global_sign_out("token".into())).await;
    assert_js_error(&err, "CodeMismatchException", false);
    assert_eq!(calls.length(), 1);

    let calls = install_fetch(&[(502, "<html>Bad Gateway</html>", None); 3]);
    let err = rejection(auth.get_user("token".into())).await;
    assert_js_error(&err, "ProtocolError", false);
    assert_eq!(calls.length(), 3, "5xx is retried");
    restore_fetch();
}

#[wasm_bindgen_test]
async fn timeout_aborts_the_request_and_is_a_network_error() {
    let calls = install_fetch(&[(0, "", None), (0, "", None), (0, "", None)]);
    let auth = client(&[("endpoint", ENDPOINT.into()), ("timeoutMs", JsValue::from(30))]);
    let started = js_sys::Date::now();
    let err = rejection(auth.get_user("token".into())).await;
    restore_fetch();
    assert_js_error(&err, "NetworkError", true);
    assert!(prop(&err, "message").as_string().unwrap().contains("timed out"));
    assert_eq!(calls.length(), 3);
    assert!(prop(&calls.get(0), "hasSignal").as_bool().unwrap());
    assert!(js_sys::Date::now() - started < 5_000.0);
}

#[wasm_bindgen_test]
async fn steps_are_reusable_after_a_wrong_code_and_hide_the_session() {
    let challenge = r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"secret-session","ChallengeParameters":{"USER_ID_FOR_SRP":"alice","FRIENDLY_DEVICE_NAME":"Phone"}}"#;
    let case = srp_vectors().cases.into_iter().next().unwrap();
    let verifier = format!(
        r#"{{"ChallengeName":"PASSWORD_VERIFIER","Session":"s0","ChallengeParameters":{{"SALT":"{}","SRP_B":"{}","SECRET_BLOCK":"{}","USER_ID_FOR_SRP":"alice"}}}}"#,
        case.input.salt_hex, case.input.b_hex, case.input.secret_block
    );
    let mismatch = r#"{"__type":"CodeMismatchException","message":"Invalid code received for user"}"#;
    let done = r#"{"AuthenticationResult":{"AccessToken":"at","IdToken":"it","ExpiresIn":3600,"TokenType":"Bearer"}}"#;
    let calls = install_fetch(&[(200, &verifier, None), (200, challenge, None), (400, mismatch, None), (200, done, None)]);
    let auth = client(&[("endpoint", ENDPOINT.into())]);
    let step = JsFuture::from(auth.sign_in("alice".into(), "pw".into())).await.unwrap();
    assert_eq!(prop(&step, "type").as_string().as_deref(), Some("totpCode"));
    assert_eq!(prop(&step, "friendlyDeviceName").as_string().as_deref(), Some("Phone"));
    let shown = js_sys::JSON::stringify(&step).unwrap().as_string().unwrap();
    assert!(!shown.contains("secret-session"), "{shown}");

    // A code of the wrong shape never leaves.
    let err = rejection(auth.confirm_totp(step.clone(), "12345".into())).await;
    assert_js_error(&err, "InvalidParameterException", false);
    let err = rejection(auth.confirm_totp(step.clone(), "123456".into())).await;
    assert_js_error(&err, "CodeMismatchException", false);
    let next = JsFuture::from(auth.confirm_totp(step.clone(), "654 321".into())).await.unwrap();
    restore_fetch();
    assert_eq!(prop(&next, "type").as_string().as_deref(), Some("done"));
    assert_eq!(calls.length(), 4);
    let last = call_body(&calls, 3);
    assert!(last.contains("\"SOFTWARE_TOKEN_MFA_CODE\":\"654321\"") && last.contains("\"Session\":\"secret-session\""));

    // Not a step: a plain object is refused locally.
    let err = rejection(auth.confirm_totp(obj(&[("type", "totpCode".into())]).into(), "123456".into())).await;
    assert_js_error(&err, "InvalidParameterException", false);
}

#[wasm_bindgen_test]
async fn misuse_is_refused_locally_with_invalid_parameter() {
    let calls = install_fetch(&[]);
    let auth = client(&[("endpoint", ENDPOINT.into())]);
    let not_setup = obj(&[("secret", "JBSWY3DP".into())]);
    assert_js_error(
        &rejection(auth.verify_totp(not_setup.into(), "123456".into(), None)).await,
        "InvalidParameterException",
        false,
    );
    assert_js_error(&rejection(auth.associate_totp(JsValue::from(42))).await, "InvalidParameterException", false);
    let bad_pref = obj(&[("totp", "always".into())]);
    assert_js_error(
        &rejection(auth.set_mfa_preference("token".into(), bad_pref.into())).await,
        "InvalidParameterException",
        false,
    );
    assert_js_error(
        &rejection(auth.set_mfa_preference("token".into(), Object::new().into())).await,
        "InvalidParameterException",
        false,
    );
    let bad_attrs = obj(&[("name", JsValue::from(3))]);
    let fake_step = obj(&[("type", "newPassword".into())]);
    assert_js_error(
        &rejection(auth.complete_new_password(fake_step.into(), "pw".into(), bad_attrs.into())).await,
        "InvalidParameterException",
        false,
    );
    assert_eq!(calls.length(), 0);
    restore_fetch();
}
