//! The password holder and the app-client secret's one use (SECRET_HASH).
//!
//! Debug never prints a password, so one that ends up inside a logged struct (or an error chain) stays private,
//! and its bytes are wiped when the holder is dropped.

use alloc::string::String;
use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use base64ct::{Base64, Encoding};
use hmac::Hmac;
use sha2::Sha256;

use crate::core::hmac;

/// `SECRET_HASH` = base64(HMAC-SHA256(client secret, username ‖ client id)), sent with every request of an app
/// client that has a secret.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    Base64::encode_string(&hmac::<Hmac<Sha256>>(client_secret.as_bytes(), &[username.as_bytes(), client_id.as_bytes()]))
}

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

/// A string the app must not see in logs: a Session, a token held for later, the client secret, a TOTP secret.
/// Debug prints `<redacted>`; the bytes are wiped on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::secret_hash;

    #[test]
    fn secret_hash_is_base64_hmac_sha256_of_username_then_client_id() {
        // Computed with Python: base64(hmac.new(b"topsecret", b"alice" + b"client123", sha256).digest()).
        assert_eq!(secret_hash("topsecret", "alice", "client123"), "QOaF4kSzdPw1nPLE5QMEoi2mW87FFhdfpWgk5WhA12c=");
        assert_ne!(secret_hash("topsecret", "alice", "client124"), secret_hash("topsecret", "alice", "client123"));
    }

    #[test]
    fn secret_hash_with_keys_of_a_whole_block_and_longer() {
        // Python's hmac again: a 64-byte key is used as is, a 73-byte one is hashed first (RFC 2104).
        assert_eq!(secret_hash(&"a".repeat(64), "alice", "client123"), "GBwz17Vdwe5kVqW09Kh7h5R+Vmn6fOXNxuWCdDhE01g=");
        let long = "1example23456789012345678901234567890abcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(secret_hash(long, "alice", "client123"), "rIOLz026l/JaZNQOD8vlfMlW7JK5V7ZK0jgYoi1ZOGg=");
    }
}
