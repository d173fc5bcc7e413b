//! Inputs found by the cargo-fuzz targets in fuzz/ (`cargo xtask fuzz`), replayed natively so the
//! fixes stay fixed. Each test is named after the bug it found.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::transport::HttpResponse;
use cognito_totp::core::wire::parse_error;
use cognito_totp::core::Error;

fn error_for(status: u16, header: Option<&str>, body: &str) -> Error {
    parse_error("InitiateAuth", &HttpResponse { status, error_type_header: header.map(str::to_owned), body: body.to_owned() })
}

/// fuzz/wire crash-3ef11f3a: `{"__type":"on","message":"","Message":"Irn"}` gave an Error whose
/// message was empty (the empty lowercase member won over the uppercase one).
#[test]
fn empty_error_message_no_longer_hides_the_other_member() {
    let e = error_for(400, None, r#"{"__type":"on","message":"","Message":"Irn"}"#);
    assert_eq!((e.name(), e.message()), ("on", "Irn"));
}

/// Same bug, neither member usable: the message says what failed instead of being blank.
#[test]
fn blank_error_messages_fall_back_to_the_operation_and_status() {
    for body in [r#"{"__type":"NotAuthorizedException","message":""}"#, r#"{"__type":"NotAuthorizedException","message":"  ","Message":""}"#] {
        let e = error_for(400, None, body);
        assert_eq!(e.name(), "NotAuthorizedException");
        assert_eq!(e.message(), "InitiateAuth failed with HTTP 400", "{body}");
    }
    // The exact crash input: selector 5, header `NotAu\x83tedEon` (decoded lossily), then the body.
    let e = error_for(405, Some("NotAu\u{fffd}tedEon"), r#"{"__type":"on","message":"","Message":"Irn"}"#);
    assert!(!e.message().is_empty());
}
