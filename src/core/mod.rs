//! The sans-IO core: plain Rust, tested natively. No JS, no network, no clock, no RNG of its own —
//! those come in through the traits in [`transport`].

mod b64;
pub mod error;
pub mod flow;
pub mod otpauth;
pub mod qr;
pub mod secret;
pub mod srp;
pub mod timestamp;
pub mod totp;
pub mod transport;
pub mod wire;

pub use error::Error;
pub use flow::{AssociateWith, Challenge, Client, Config, MfaKind, MfaPreference, Preference, Step, Tokens, TotpSetup, User};
pub use transport::{Clock, HttpRequest, HttpResponse, Random, Transport, TransportError};
