//! The one error type of the core. The wasm layer turns it into a JS `Error` whose `name` is
//! [`Error::name`], so app code written for amazon-cognito-identity-js / Amplify (which check
//! `err.name === "NotAuthorizedException"`) keeps working.

use core::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito answered with an error; `name` is its `__type` without namespace.
    Service { name: String, message: String, retryable: bool },
    /// Bad input caught locally, before any request was sent.
    InvalidParameter(String),
    /// The request never got an HTTP response (fetch failed, timed out).
    Network(String),
    /// The response was not what the protocol promises (HTML, truncated JSON, missing members,
    /// an SRP value the client must refuse).
    Protocol(String),
}

impl Error {
    /// The name JS sees: the Cognito error type, or one of the three local names.
    pub fn name(&self) -> &str {
        match self {
            Error::Service { name, .. } => name,
            Error::InvalidParameter(_) => "InvalidParameterException",
            Error::Network(_) => "NetworkError",
            Error::Protocol(_) => "ProtocolError",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Error::Service { message, .. } => message,
            Error::InvalidParameter(m) | Error::Network(m) | Error::Protocol(m) => m,
        }
    }

    /// Whether trying the same call again later may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Service { retryable, .. } => *retryable,
            Error::Network(_) => true,
            Error::InvalidParameter(_) | Error::Protocol(_) => false,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidParameter(message.into())
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Self {
        Error::Protocol(message.into())
    }
}

/// Cognito error types worth retrying (besides any 5xx).
pub(crate) fn is_retryable_type(name: &str) -> bool {
    matches!(name, "TooManyRequestsException" | "InternalErrorException" | "ThrottlingException")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.message())
    }
}

impl std::error::Error for Error {}
