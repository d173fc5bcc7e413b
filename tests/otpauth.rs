//! otpauth key URIs must survive a real URL parser with every character intact.
// Native only: the browser runs the same checks in tests/browser_unit.rs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognito_totp::core::otpauth::otpauth_uri;
use cognito_totp::core::totp::TotpError;
use percent_encoding::percent_decode_str;
use url::Url;

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// What an authenticator app reads back: (issuer from the label, account, secret, issuer parameter).
fn parse(uri: &str) -> (Option<String>, String, String, Option<String>) {
    let url = Url::parse(uri).unwrap();
    assert_eq!(url.scheme(), "otpauth");
    assert_eq!(url.host_str(), Some("totp"));
    assert_eq!(url.fragment(), None, "a '#' leaked into {uri}");
    let raw_label = url.path().strip_prefix('/').unwrap();
    // The label separator must be a literal ':'; encoded colons would be part of a name.
    let (issuer, account) = match raw_label.split_once(':') {
        Some((i, a)) => (Some(decode(i)), decode(a)),
        None => (None, decode(raw_label)),
    };
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys == ["secret"] || keys == ["secret", "issuer"], "unexpected parameters {keys:?} in {uri}");
    let secret = pairs[0].1.clone();
    let issuer_param = pairs.get(1).map(|(_, v)| v.clone());
    (issuer, account, secret, issuer_param)
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

#[test]
fn ampersand_and_spaces_in_the_issuer_are_encoded() {
    let uri = otpauth_uri(SECRET, "My App & Co", "alice@example.com").unwrap();
    assert_eq!(
        uri,
        "otpauth://totp/My%20App%20%26%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=My%20App%20%26%20Co"
    );
    let (issuer, account, secret, param) = parse(&uri);
    assert_eq!(issuer.as_deref(), Some("My App & Co"));
    assert_eq!(account, "alice@example.com");
    assert_eq!(secret, SECRET);
    assert_eq!(param.as_deref(), Some("My App & Co"));
}

#[test]
fn round_trips_awkward_names() {
    let cases = [
        ("Bäckerei Müller ☕", "jörg+test@example.com"),
        ("ACME", "Alice Smith"),
        ("a=b?c#d/e%f+g", "x&y=z#w?v/u%t"),
        ("日本語アプリ", "ユーザー@例え.jp"),
        ("Tab\tand\nnewline", "emoji 😀 user"),
        ("Corp", "user:with:colons"),
    ];
    for (issuer, account) in cases {
        let uri = otpauth_uri(SECRET, issuer, account).unwrap();
        assert!(uri.is_ascii(), "{uri}");
        let (i, a, s, p) = parse(&uri);
        assert_eq!(i.as_deref(), Some(issuer), "{uri}");
        assert_eq!(a, account, "{uri}");
        assert_eq!(s, SECRET, "{uri}");
        assert_eq!(p.as_deref(), Some(issuer), "{uri}");
    }
}

#[test]
fn empty_issuer_gives_a_bare_label_and_no_issuer_parameter() {
    let uri = otpauth_uri(SECRET, "", "alice").unwrap();
    assert_eq!(uri, "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    let (i, a, s, p) = parse(&uri);
    assert_eq!((i, a.as_str(), s.as_str(), p), (None, "alice", SECRET, None));
}

#[test]
fn secret_is_validated_and_normalised() {
    let uri = otpauth_uri("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp", "ACME", "alice").unwrap();
    assert_eq!(parse(&uri).2, SECRET);
    assert_eq!(otpauth_uri("MZXW6===", "ACME", "alice").unwrap(), "otpauth://totp/ACME:alice?secret=MZXW6&issuer=ACME");
    assert_eq!(otpauth_uri("not-base32", "ACME", "alice"), Err(TotpError::InvalidBase32Char('-')));
}

#[test]
fn refuses_what_would_make_an_ambiguous_uri() {
    assert_eq!(otpauth_uri("", "ACME", "alice"), Err(TotpError::EmptySecret));
    assert_eq!(otpauth_uri(SECRET, "ACME", ""), Err(TotpError::EmptyAccount));
    assert_eq!(otpauth_uri(SECRET, "AC:ME", "alice"), Err(TotpError::InvalidIssuer));
}
