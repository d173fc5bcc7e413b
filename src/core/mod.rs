//! The sans-IO core: plain Rust, tested natively. No JS, no network, no clock, no RNG of its own: the protocol
//! runs over the [`transport`] traits, which the wasm layer implements with `fetch`, `Date.now()` and
//! `crypto.getRandomValues`, and the tests with scripted answers.

pub mod error;
pub mod flow;
pub mod input;
pub mod otpauth;
pub mod qr;
pub mod secret;
pub mod srp;
pub mod timestamp;
pub mod totp;
pub mod transport;
pub mod wire;

pub use error::Error;

use hkdf::HmacImpl;
use hmac::digest::Output;

/// HMAC (the `hmac` crate; `M` = `Hmac<Sha256>` or `Hmac<Sha1>`) of the concatenation of `parts`. Built through
/// hkdf's [`HmacImpl`], whose constructor is infallible (HMAC takes a key of any length), so no caller handles an
/// error that cannot happen.
pub(crate) fn hmac<M: HmacImpl>(key: &[u8], parts: &[&[u8]]) -> Output<M> {
    let mut mac = M::new_from_slice(key);
    for p in parts {
        mac.update(p);
    }
    mac.finalize()
}
