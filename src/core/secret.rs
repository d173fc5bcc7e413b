//! Zeroized, redacted holders for secrets the client handles.
//!
//! Debug never prints the value, so a secret that ends up inside a logged struct (or an error chain) stays private,
//! and the bytes are wiped when the holder is dropped.

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A user's password. Only the SRP step reads it, through [`Password::as_str`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Password(String);

impl Password {
    pub fn new(password: String) -> Self {
        Self(password)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Any other secret string: a TOTP shared secret, a Cognito session, a refresh token.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}
