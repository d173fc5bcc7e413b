//! Arbitrary bytes into every response type the client parses, and into the error parser.
//! Properties: never a panic; a parse either yields the type or a `Protocol` error; a non-2xx
//! response always becomes an error with a non-empty name and message.
#![no_main]

use cognito_totp::core::Error;
use cognito_totp::core::transport::HttpResponse;
use cognito_totp::core::wire::{
    self, AssociateSoftwareTokenResponse, AuthResponse, EmptyResponse, GetUserResponse, VerifySoftwareTokenResponse,
};
use libfuzzer_sys::fuzz_target;

fn success<T: miniserde::Deserialize + Default>(op: &str, body: &str, allow_empty: bool) {
    if let Err(e) = wire::parse_success::<T>(op, body, allow_empty) {
        assert!(matches!(e, Error::Protocol(_)), "{op}: parse failure must be a ProtocolError, got {}", e.name());
        assert!(!e.message().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    // The header travels before the first NUL, the body after it.
    let (header, body) = match rest.iter().position(|&b| b == 0) {
        Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i + 1..).unwrap_or_default()),
        None => (&[][..], rest),
    };
    let body = String::from_utf8_lossy(body);
    let allow_empty = selector & 0x80 != 0;
    match selector % 6 {
        0 => success::<AuthResponse>("InitiateAuth", &body, allow_empty),
        1 => success::<AssociateSoftwareTokenResponse>("AssociateSoftwareToken", &body, allow_empty),
        2 => success::<VerifySoftwareTokenResponse>("VerifySoftwareToken", &body, allow_empty),
        3 => success::<GetUserResponse>("GetUser", &body, allow_empty),
        4 => success::<EmptyResponse>("SetUserMFAPreference", &body, allow_empty),
        _ => {
            let status = 400 + u16::from(selector % 200);
            let header = (!header.is_empty()).then(|| String::from_utf8_lossy(header).into_owned());
            let response = HttpResponse { status, error_type_header: header, body: body.into_owned() };
            let e = wire::parse_error("RespondToAuthChallenge", &response);
            assert!(!e.name().is_empty(), "an error without a name");
            assert!(!e.message().is_empty(), "an error without a message");
            if let Error::Service { name, .. } = &e {
                assert_eq!(wire::normalize_error_type(name), name.as_str(), "error type not normalised");
                assert!(!name.contains('#'));
            }
        }
    }
});
