//! The sans-IO core: plain Rust, tested natively. No JS, no network, no clock, no RNG of its own — the
//! caller passes the time and the random bytes in.

mod b64;
pub mod hash;
pub mod otpauth;
pub mod qr;
pub mod qrcode;
pub mod secret;
pub mod srp;
pub mod timestamp;
pub mod totp;
