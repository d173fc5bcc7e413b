//! The one error type of the emulator: an AWS JSON 1.1 error (`__type` + `message`).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error as Cognito returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, kind, message: message.into() }
    }
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }
    pub fn bad_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }
    pub fn invalid_session() -> Self {
        Self::not_authorized("Invalid session for the user.")
    }
    pub fn expired_session() -> Self {
        Self::not_authorized("Invalid session for the user, session is expired.")
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }
    pub fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }
    pub fn pool_not_found(pool_id: &str) -> Self {
        Self::new("ResourceNotFoundException", format!("User pool {pool_id} does not exist."))
    }
    pub fn client_not_found(client_id: &str) -> Self {
        Self::new("ResourceNotFoundException", format!("User pool client {client_id} does not exist."))
    }
    pub fn code_mismatch() -> Self {
        Self::new("CodeMismatchException", "Invalid code received for user")
    }
    pub fn totp_not_enabled() -> Self {
        Self::new("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool")
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", message).with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "__type": self.kind, "message": self.message }).to_string();
        let mut res = (self.status, body).into_response();
        let h = res.headers_mut();
        h.insert("content-type", HeaderValue::from_static("application/x-amz-json-1.1"));
        h.insert("x-amzn-errortype", HeaderValue::from_static(self.kind));
        res
    }
}
