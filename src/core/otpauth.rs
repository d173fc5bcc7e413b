//! Google Authenticator key-URI (`otpauth://totp/...`) builder.

use alloc::string::String;

use crate::core::totp::{TotpError, normalize_base32};

/// `otpauth://totp/{Issuer}:{account}?secret={SECRET}&issuer={Issuer}`, label and parameters percent-encoded
/// (everything except RFC 3986 unreserved characters), so `&`, spaces, `@`, `#` and non-ASCII survive any URL parser.
///
/// An empty issuer gives a label of just the account and no `issuer` parameter. The issuer may not contain `:`
/// (apps split the decoded label at the first colon). The secret is validated and normalised (spaces and padding
/// removed, uppercase).
pub fn otpauth_uri(secret_base32: &str, issuer: &str, account: &str) -> Result<String, TotpError> {
    let secret = zeroize::Zeroizing::new(normalize_base32(secret_base32)?);
    if account.is_empty() {
        return Err(TotpError::EmptyAccount);
    }
    if issuer.contains(':') {
        return Err(TotpError::InvalidIssuer);
    }
    let mut uri = String::from("otpauth://totp/");
    if !issuer.is_empty() {
        percent_encode_into(&mut uri, issuer);
        uri.push(':');
    }
    percent_encode_into(&mut uri, account);
    uri.push_str("?secret=");
    uri.push_str(&secret);
    if !issuer.is_empty() {
        uri.push_str("&issuer=");
        percent_encode_into(&mut uri, issuer);
    }
    Ok(uri)
}

fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}
