//! # cognito-totp
//!
//! Sign in to an Amazon Cognito user pool with `USER_SRP_AUTH`, answer every MFA challenge, and
//! enroll a TOTP authenticator (QR code rendered locally as SVG) from JavaScript (`npm i cognito-totp`).
//!
//! The package is split in two, so that it stays small:
//!
//! - **this crate, the wasm kernel**: what JS cannot do fast or small — the SRP arithmetic (3072-bit
//!   constant-time exponentiation, [`core::srp`] over the `cognito-totp-mont` crate), the TIMESTAMP string,
//!   SECRET_HASH, RFC 6238 TOTP, the otpauth URI, and the QR code as SVG ([`core::qr`], our writer over the
//!   `qrcodegen-no-heap` encoder). SHA-256, SHA-1, HMAC, HKDF and base64 are the RustCrypto crates (`sha2`,
//!   `sha1`, `hmac`, `hkdf`, `base64ct`).
//!   All synchronous and sans-IO: no network, clock or RNG of its own (the caller passes the time and 128 random
//!   bytes). Built for the package with `--no-default-features`: `#![no_std]` + alloc (lol_alloc's free-list
//!   allocator), a panic handler that traps, and no `core::fmt` in our wasm code paths, so std's panic
//!   machinery stays out of the package (~30 KB gzip; the crates' never-taken `expect`s still link some of
//!   `core::fmt`).
//! - **the JS protocol layer** (`js/` in the repository): the public `CognitoTotp` class and free functions, the
//!   Cognito JSON requests over `fetch`, retries with backoff, the challenge state machine, the step objects and
//!   the named errors. The browser already provides JSON, fetch and promises, so none of that is in the wasm.
//!
//! The kernel's JS exports (`kernel.js`; apps import the JS layer, never the kernel):
//!
//! | export | does |
//! |---|---|
//! | `new SrpKey(random)` | `a` from 128 random bytes, A = g^a; `srpA` getter; `passwordClaim(poolName, userIdForSrp, password, saltHex, srpBHex, secretBlock, timestamp)` → PASSWORD_CLAIM_SIGNATURE, consuming the key |
//! | `srpTimestamp(unixSeconds)` | TIMESTAMP, `Tue Jun 3 07:05:06 UTC 2025` |
//! | `secretHash(clientSecret, username, clientId)` | SECRET_HASH |
//! | `totpCode(secret, unixSeconds)` | the 6-digit RFC 6238 code |
//! | `otpauthUri(secret, issuer, account)` | the key URI for authenticator apps |
//! | `qrSvg(text, ecc?, border?, dark?, light?, title?)` | one-`<path>` SVG QR code |
//!
//! Failures throw a JS `Error` with a fixed English message; the JS layer names it.
//!
//! ## The sign-in, step by step (driven by the JS layer)
//!
//! | # | request (`X-Amz-Target`) | sends | Cognito answers | next |
//! |---|---|---|---|---|
//! | 1 | `InitiateAuth` `USER_SRP_AUTH` | `USERNAME`, `SRP_A` = g^a mod N (`SECRET_HASH`) | `PASSWORD_VERIFIER`: `SALT`, `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`, Session | 2 |
//! | 2 | `RespondToAuthChallenge` `PASSWORD_VERIFIER` | `USERNAME` = `USER_ID_FOR_SRP`, `PASSWORD_CLAIM_SECRET_BLOCK`, `TIMESTAMP`, `PASSWORD_CLAIM_SIGNATURE` = HMAC(key, pool ‖ user ‖ block ‖ time) | tokens → `done`, or a challenge below | |
//! | | `SOFTWARE_TOKEN_MFA` → step `totpCode` | `SOFTWARE_TOKEN_MFA_CODE` | tokens | |
//! | | `MFA_SETUP` → step `mfaSetup` | `AssociateSoftwareToken{Session}` → secret (QR); `VerifySoftwareToken{Session, UserCode}` → new Session; `RespondToAuthChallenge MFA_SETUP` | tokens | |
//! | | `NEW_PASSWORD_REQUIRED` → step `newPassword` | `NEW_PASSWORD`, `userAttributes.*` | tokens or another challenge | |
//! | | `SELECT_MFA_TYPE` → step `selectMfa` | `ANSWER` = `SOFTWARE_TOKEN_MFA` / `SMS_MFA` / `EMAIL_OTP` | the chosen code challenge | |
//! | | `SMS_MFA` / `EMAIL_OTP` → step `smsCode` / `emailCode` | `SMS_MFA_CODE` / `EMAIL_OTP_CODE` | tokens | |
//!
//! The password itself is never sent: the server only ever sees A and the claim signature, and the password
//! only crosses into the kernel for `passwordClaim`, where it is wiped after use.

#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

// The package build (wasm32 without `std`) brings its own allocator and a panic handler that only traps: std's
// panic machinery would link the formatting code this build exists to leave out. Nothing here should panic
// (the lints deny unwrap/expect/panic); a bug that does still ends as a wasm trap, which JS sees as a
// `RuntimeError`.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}

pub mod core;

/// The kernel's JS exports (wasm32 only). Public so in-browser tests can call them directly.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
