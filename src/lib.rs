//! cognito-totp
