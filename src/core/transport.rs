//! What the state machine needs from the platform, as traits — one HTTP POST of a JSON body, a clock with a
//! sleep, and randomness — and the one place that turns an HTTP answer into a parsed body or an [`Error`]:
//! [`call`], with the retry policy.
//!
//! The browser implements the traits with gloo-net over the global `fetch`, `setTimeout`, `Date.now()` and
//! `crypto.getRandomValues` (src/wasm); the native tests with scripted answers, a fixed clock and fixed bytes.
//! No `Send` bounds: JS futures are `!Send` and the client is single-threaded by design.

use alloc::format;
use alloc::string::String;
use core::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::Error;
use super::wire::{Answer, error_type};

/// What came back from one POST, whatever its status.
#[derive(Debug)]
pub struct Reply<J> {
    pub status: u16,
    /// The `x-amzn-ErrorType` header.
    pub error_type: Option<String>,
    pub body: Body<J>,
}

/// An answer's body as the platform parsed it (`JSON.parse` in the browser): the client only ever reads objects.
#[derive(Debug)]
pub enum Body<J> {
    /// A JSON object.
    Object(J),
    /// Nothing but whitespace.
    Empty,
    /// Anything else, described by its first non-blank character (the body itself is never quoted: it could
    /// hold tokens).
    Other(char),
}

impl<J> Body<J> {
    /// "empty body", "HTML body", "malformed or incomplete JSON", "not JSON".
    pub fn describe(&self) -> &'static str {
        match self {
            Body::Object(_) => "a JSON object",
            Body::Empty => "empty body",
            Body::Other('<') => "HTML body",
            Body::Other('{') => "malformed or incomplete JSON",
            Body::Other(_) => "not JSON",
        }
    }
}

/// The request got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Refused, cut, offline, blocked by CORS… (the platform's own `name: message`).
    Network(String),
    /// The timeout elapsed, before the answer or while its body was read.
    Timeout,
}

/// Moves one Cognito call and converts between the core's serde types and the platform's JSON values.
pub trait Transport {
    /// A parsed JSON value of the platform (`JsValue` in the browser, `serde_json::Value` natively).
    type Json;
    /// A request body ready to send, reused as is by every retry.
    type Body;

    fn encode<T: Serialize>(&self, request: &T) -> Result<Self::Body, Error>;
    /// `None` when `json` does not have `T`'s shape (the caller says which answer was malformed).
    fn decode<T: DeserializeOwned>(&self, json: Self::Json) -> Option<T>;
    /// Parses JSON text that an answer carries inside a string (`MFAS_CAN_SETUP`, `userAttributes`), with the
    /// platform's parser; `None` if it is not JSON.
    fn parse_json(&self, text: &str) -> Option<Self::Json>;
    /// POSTs `body` as `operation` (`X-Amz-Target: AWSCognitoIdentityProviderService.{operation}`), aborting
    /// after `timeout_ms`, including the reading of the body.
    fn post(
        &self,
        operation: &'static str,
        body: &Self::Body,
        timeout_ms: Option<u32>,
    ) -> impl Future<Output = Result<Reply<Self::Json>, TransportError>>;
}

/// Wall-clock time (the SRP `TIMESTAMP`) and waiting (retry backoff).
pub trait Clock {
    fn now_unix(&self) -> u64;
    fn sleep(&self, ms: u32) -> impl Future<Output = ()>;
}

/// A cryptographically secure random source (SRP `a`, the jitter of retries).
pub trait Random {
    fn fill(&self, dest: &mut [u8]);
}

/// At most this many tries per operation.
pub const MAX_ATTEMPTS: u32 = 3;
/// The backoff ceiling before the first retry; doubled for each further one.
pub const BASE_BACKOFF_MS: u32 = 100;

/// Error types worth trying again (besides any 5xx): throttling and Cognito's own transient failure. Never an auth
/// failure, a submitted code or `LimitExceededException` (an attempt limit: retrying only makes it worse).
pub fn is_retryable_type(name: &str) -> bool {
    matches!(name, "TooManyRequestsException" | "InternalErrorException" | "ThrottlingException")
}

/// "Equal jitter" backoff before retry number `retry` (0-based): half of 100 ms · 2^retry fixed, half random,
/// so clients throttled together do not retry in lock-step, yet never retry at once.
pub fn backoff_ms(retry: u32, random: &impl Random) -> u32 {
    let half = BASE_BACKOFF_MS.saturating_mul(1 << retry.min(16)) / 2;
    let mut bytes = [0u8; 4];
    random.fill(&mut bytes);
    half + u32::from_le_bytes(bytes) % (half + 1)
}

/// A non-2xx answer as the package's error: Cognito's type (the body's `__type`, else the header) with its
/// message, or a `ProtocolError` when neither names one.
pub fn service_error<T: Transport>(transport: &T, operation: &str, reply: Reply<T::Json>) -> Error {
    let status = reply.status;
    let described = reply.body.describe();
    let body = match reply.body {
        Body::Object(json) => transport.decode::<Answer>(json).unwrap_or_default(),
        _ => Answer::default(),
    };
    let name =
        body.error_type.string().and_then(error_type).or_else(|| reply.error_type.as_deref().and_then(error_type));
    let Some(name) = name else {
        // A gateway's 5xx page is as transient as Cognito's own 5xx: the same call may pass later.
        return Error::Protocol {
            message: format!("{operation}: HTTP {status} without a Cognito error type ({described})").into(),
            retryable: status >= 500,
        };
    };
    // A type the platform could not read (a lone UTF-16 surrogate comes through as U+FFFD) names nothing: it is
    // not passed on as a name that never was the server's.
    if name.contains('\u{fffd}') {
        return Error::protocol(format!("{operation}: HTTP {status} with an error type that cannot be read"));
    }
    // A blank `message` must not win over `Message`, nor leave an Error without text.
    let non_blank = |m: &crate::core::wire::Loose| m.string().filter(|s| !s.trim().is_empty()).map(String::from);
    let message = non_blank(&body.error_message)
        .or_else(|| non_blank(&body.error_message_capitalised))
        .unwrap_or_else(|| format!("{operation} failed with HTTP {status}"));
    Error::Service { retryable: status >= 500 || is_retryable_type(name), name: name.into(), message }
}

/// POSTs one operation with the retry policy and returns the 2xx answer's object (`None` for an empty body, which
/// only operations whose output has no members may give: `allow_empty`).
///
/// Throttling, 5xx and network failures are tried again, up to [`MAX_ATTEMPTS`] tries in all, after a jittered
/// pause; nothing else is.
pub async fn call<T: Transport, C: Clock, R: Random>(
    transport: &T,
    clock: &C,
    random: &R,
    operation: &'static str,
    body: &T::Body,
    timeout_ms: Option<u32>,
    allow_empty: bool,
) -> Result<Option<T::Json>, Error> {
    let mut attempt = 1;
    loop {
        let error = match transport.post(operation, body, timeout_ms).await {
            Ok(reply) if (200..300).contains(&reply.status) => {
                return match reply.body {
                    Body::Object(json) => Ok(Some(json)),
                    Body::Empty if allow_empty => Ok(None),
                    other => Err(Error::protocol(format!(
                        "{operation}: the response is not the expected JSON ({})",
                        other.describe()
                    ))),
                };
            }
            Ok(reply) => {
                let status = reply.status;
                let error = service_error(transport, operation, reply);
                if status < 500 && error.name() != "TooManyRequestsException" {
                    return Err(error);
                }
                error
            }
            Err(TransportError::Timeout) => Error::Network(match timeout_ms {
                Some(ms) => format!("{operation}: the request timed out after {ms} ms"),
                None => format!("{operation}: the request timed out"),
            }),
            Err(TransportError::Network(message)) => Error::Network(format!("{operation}: {message}")),
        };
        if attempt >= MAX_ATTEMPTS {
            return Err(error);
        }
        clock.sleep(backoff_ms(attempt - 1, random)).await;
        attempt += 1;
    }
}
