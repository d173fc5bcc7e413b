//! The one error type of the protocol core. The wasm layer turns it into a JS `Error` whose `name` is
//! [`Error::name`] and which carries [`Error::retryable`], so app code written for amazon-cognito-identity-js or
//! Amplify (`err.name === "NotAuthorizedException"`) keeps working.
//!
//! Messages never quote a response body or a secret: a body can hold tokens, and a message ends up in logs.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Bad input caught locally, before anything was sent (`InvalidParameterException`).
    InvalidParameter(Cow<'static, str>),
    /// Cognito refused the call: `name` is its error type without namespace (`CodeMismatchException`).
    Service { name: String, message: String, retryable: bool },
    /// The request got no HTTP answer: cut, refused, offline, CORS, timed out (`NetworkError`, always retryable).
    Network(String),
    /// The answer is not what the protocol allows: HTML, truncated JSON, a missing member, an SRP value the
    /// client must refuse (`ProtocolError`). Retryable only when it stands for a 5xx without a Cognito error type
    /// (a gateway's error page): the same call may pass later.
    Protocol { message: Cow<'static, str>, retryable: bool },
}

impl Error {
    /// The JS `name`: Cognito's error type, or one of the local names.
    pub fn name(&self) -> &str {
        match self {
            Error::InvalidParameter(_) => "InvalidParameterException",
            Error::Service { name, .. } => name,
            Error::Network(_) => "NetworkError",
            Error::Protocol { .. } => "ProtocolError",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Error::InvalidParameter(m) | Error::Protocol { message: m, .. } => m,
            Error::Service { message, .. } | Error::Network(message) => message,
        }
    }

    /// Whether the same call may succeed later (throttling, 5xx, network). Auth failures, wrong codes and
    /// `LimitExceededException` are final: retrying them only makes things worse.
    pub fn retryable(&self) -> bool {
        match self {
            Error::InvalidParameter(_) => false,
            Error::Service { retryable, .. } | Error::Protocol { retryable, .. } => *retryable,
            Error::Network(_) => true,
        }
    }

    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidParameter(message.into())
    }

    pub fn protocol(message: impl Into<Cow<'static, str>>) -> Self {
        Error::Protocol { message: message.into(), retryable: false }
    }

    /// A refusal of Cognito's kind that the client itself decides (e.g. VerifySoftwareToken's `Status: ERROR`).
    pub(crate) fn service(name: &str, message: &str) -> Self {
        Error::Service { name: name.into(), message: message.into(), retryable: false }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.message())
    }
}

impl core::error::Error for Error {}
