//! The sans-IO core: plain Rust, tested natively. No JS, no network, no clock, no RNG of its own: the protocol
//! runs over the [`transport`] traits, which the wasm layer implements with `fetch`, `Date.now()` and
//! `crypto.getRandomValues`, and the tests with scripted answers.

mod b64;
pub mod error;
pub mod flow;
pub mod hash;
pub mod input;
pub mod otpauth;
pub mod qr;
pub mod qrcode;
pub mod secret;
pub mod srp;
pub mod timestamp;
pub mod totp;
pub mod transport;
pub mod wire;

pub use error::Error;
