//! # cognito-totp
//!
//! Sign in to an Amazon Cognito user pool with `USER_SRP_AUTH`, answer every MFA challenge, and enroll a TOTP
//! authenticator (the QR code drawn locally as SVG), from JavaScript (`npm i cognito-totp`). This crate is the
//! whole client: it speaks Cognito's JSON API from the browser itself.
//!
//! - [`core`] is sans-IO plain Rust, tested natively: Cognito's SRP-6a dialect ([`core::srp`], over the
//!   constant-time `cognito-totp-mont` crate), TOTP, the otpauth URI, the QR SVG, the wire types as serde structs
//!   ([`core::wire`]), the retry policy and error mapping ([`core::transport`]) and the sign-in / enrollment state
//!   machine ([`core::flow`]), all over a `Transport`, a `Clock` and a `Random` passed in.
//! - `wasm` (wasm32 only) is the thin wasm-bindgen layer, the only code that knows JS: gloo-net over the global
//!   `fetch`, serde-wasm-bindgen for options and results, `crypto.getRandomValues`, the `CognitoTotp` and
//!   `TotpSetup` classes, step objects whose Sessions stay in wasm memory, and errors as real JS `Error`s named after
//!   Cognito's error types.
//!
//! The flow, step by step, is in [`core::flow`]'s documentation. The password is never sent: Cognito only ever
//! sees A and the claim signature.

extern crate alloc;

// lol_alloc's free-list allocator: ~0.8 KB of wasm against dlmalloc's ~5 KB, memory flat over repeated sign-ins.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

pub mod core;

/// The JS API (wasm32 only). Public so in-browser tests can call it directly.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
