//! # cognito-totp
//!
//! Sign in to an Amazon Cognito user pool with `USER_SRP_AUTH`, answer every MFA challenge, and
//! enroll a TOTP authenticator (QR code rendered locally as SVG) — from Rust or, compiled to
//! WebAssembly, from JavaScript (`npm i cognito-totp`).
//!
//! The crate is a sans-IO [`core`] (SRP, TIMESTAMP, TOTP, otpauth URI, QR → SVG, the Cognito
//! messages and the sign-in state machine [`core::flow::Client`]) driven over the
//! [`core::transport::Transport`] trait, plus a thin wasm-bindgen layer (wasm32 only) that
//! supplies `fetch`, `Date.now()` and `crypto.getRandomValues` and exports the `CognitoTotp` class.
//!
//! ## The sign-in, step by step
//!
//! | # | request (`X-Amz-Target`) | sends | Cognito answers | next |
//! |---|---|---|---|---|
//! | 1 | `InitiateAuth` `USER_SRP_AUTH` | `USERNAME`, `SRP_A` = g^a mod N (`SECRET_HASH`) | `PASSWORD_VERIFIER`: `SALT`, `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`, Session | 2 |
//! | 2 | `RespondToAuthChallenge` `PASSWORD_VERIFIER` | `USERNAME` = `USER_ID_FOR_SRP`, `PASSWORD_CLAIM_SECRET_BLOCK`, `TIMESTAMP`, `PASSWORD_CLAIM_SIGNATURE` = HMAC(key, pool ‖ user ‖ block ‖ time) | tokens → `done`, or a challenge below | |
//! | | `SOFTWARE_TOKEN_MFA` → step `totpCode` | `SOFTWARE_TOKEN_MFA_CODE` ([`core::flow::Client::confirm_totp`]) | tokens | |
//! | | `MFA_SETUP` → step `mfaSetup` | `AssociateSoftwareToken{Session}` → secret (QR); `VerifySoftwareToken{Session, UserCode}` → new Session; `RespondToAuthChallenge MFA_SETUP` | tokens | |
//! | | `NEW_PASSWORD_REQUIRED` → step `newPassword` | `NEW_PASSWORD`, `userAttributes.*` | tokens or another challenge | |
//! | | `SELECT_MFA_TYPE` → step `selectMfa` | `ANSWER` = `SOFTWARE_TOKEN_MFA` / `SMS_MFA` / `EMAIL_OTP` | the chosen code challenge | |
//! | | `SMS_MFA` / `EMAIL_OTP` → step `smsCode` / `emailCode` | `SMS_MFA_CODE` / `EMAIL_OTP_CODE` | tokens | |
//!
//! The password itself is never sent: the server only ever sees A and the claim signature.
//! Signed in, `AssociateSoftwareToken{AccessToken}` + `VerifySoftwareToken` + `SetUserMFAPreference`
//! enroll TOTP; `disableTotp` re-runs steps 1–2 as a password check before turning TOTP off.
//!
//! Each call is tried at most 3 times, with jittered exponential backoff in between, and retried only for
//! `TooManyRequestsException`, HTTP 5xx and network failures — never for an authentication failure.
//! Tokens go to the caller; nothing is written to `localStorage`, `sessionStorage` or cookies.

pub mod core;

/// The JS API (wasm32 only). Public so in-browser tests can call the exported functions directly.
#[cfg(target_arch = "wasm32")]
pub mod wasm;
