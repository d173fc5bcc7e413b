//! The I/O the state machine needs, as traits: one HTTP POST, a sleep for backoff, the clock and
//! randomness. The wasm layer implements them with `fetch`, `setTimeout`, `Date.now()` and
//! `crypto.getRandomValues`; tests implement them with replayed responses and fixed values.
//!
//! No `Send` bounds anywhere: JS futures are `!Send`, and the client is single-threaded by design.

use core::future::Future;

/// One Cognito JSON 1.1 request, fully formed by the core (URL, headers, body), so the headers are
/// decided in one place and the transport only moves bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Absolute URL of the Cognito endpoint.
    pub url: String,
    /// The operation, e.g. `InitiateAuth` (also present in the `X-Amz-Target` header).
    pub operation: &'static str,
    /// Header name/value pairs to send, in order.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body. It can hold a Session or tokens, hence the redacted `Debug`.
    pub body: String,
    /// Abort the request after this many milliseconds (`None`: no client-side limit).
    pub timeout_ms: Option<u32>,
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("url", &self.url)
            .field("operation", &self.operation)
            .field("body", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// What came back: the status, the `x-amzn-ErrorType` header (if any) and the body as text.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub error_type_header: Option<String>,
    pub body: String,
}

impl core::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("error_type_header", &self.error_type_header)
            .field("body", &"<redacted>")
            .finish()
    }
}

/// The request never produced an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// Connection refused, DNS, CORS, offline … (the text is the platform's message).
    Network(String),
    /// `timeout_ms` elapsed and the request was aborted.
    Timeout,
}

/// Sends requests and sleeps between retries.
pub trait Transport {
    /// POST `request` and return the response, whatever its status.
    fn call(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>;
    /// Wait `ms` milliseconds (retry backoff).
    fn sleep(&self, ms: u32) -> impl Future<Output = ()>;
}

/// Wall-clock time, for the SRP `TIMESTAMP`.
pub trait Clock {
    fn now_unix(&self) -> u64;
}

/// A cryptographically secure random source (SRP `a`, retry jitter).
pub trait Random {
    fn fill(&self, dest: &mut [u8]);
}

/// At most this many attempts per operation.
pub const MAX_ATTEMPTS: u32 = 3;
/// Backoff before the second attempt; doubled for each further one.
pub const BASE_BACKOFF_MS: u32 = 100;

/// "Equal jitter" backoff: half the exponential delay fixed, half random, so clients throttled
/// together do not retry in lock-step yet never retry immediately.
pub fn backoff_ms(retry: u32, random: &impl Random) -> u32 {
    let ceiling = BASE_BACKOFF_MS.saturating_mul(1u32 << retry.min(10));
    let half = ceiling / 2;
    let mut bytes = [0u8; 4];
    random.fill(&mut bytes);
    let r = u32::from_le_bytes(bytes);
    half + r % (half + 1)
}
