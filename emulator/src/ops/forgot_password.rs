//! ForgotPassword{ClientId, Username, SecretHash?} puts a code in the outbox;
//! ConfirmForgotPassword{ClientId, Username, ConfirmationCode, Password, SecretHash?} uses it.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

/// How long a reset code stays good (Cognito: 1 hour).
const CODE_TTL: i64 = 3600;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let (pool_id, username) = auth::client_user(ctx, input)?;
    let delivery = send_reset_code(ctx, &pool_id, &username)?;
    Ok(json!({ "CodeDeliveryDetails": delivery }))
}

/// A password-reset code to the user's email (else phone), good for an hour; returns its
/// CodeDeliveryDetails. Shared with AdminResetUserPassword.
pub fn send_reset_code(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) -> Result<Value, ApiError> {
    let code = ctx.digits(6);
    let expires = ctx.now + CODE_TTL;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    let (channel, attr, destination) = auth::contact(user);
    let Some(destination) = destination else {
        return Err(ApiError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        ));
    };
    user.reset_code = Some((code.clone(), expires));
    auth::deliver(ctx, pool_id, username, channel, &destination, &code);
    Ok(json!({ "Destination": destination, "DeliveryMedium": channel, "AttributeName": attr }))
}

pub fn confirm(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let code = input.req_str("ConfirmationCode")?;
    let password = input.req_str("Password")?;
    let (pool_id, username) = auth::client_user(ctx, input)?;
    let user = ctx.pool(&pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    let Some((expected, expires)) = user.reset_code.clone() else {
        return Err(ApiError::new("CodeMismatchException", "Invalid verification code provided, please try again."));
    };
    if !bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
        return Err(ApiError::new("CodeMismatchException", "Invalid verification code provided, please try again."));
    }
    if expires <= ctx.now {
        return Err(ApiError::new("ExpiredCodeException", "Invalid code provided, please request a code again."));
    }
    auth::check_policy(ctx, &pool_id, password)?;
    auth::set_password(ctx, &pool_id, &username, password)?;
    if let Some(user) = ctx.pool_mut(&pool_id)?.users.get_mut(&username) {
        user.reset_code = None;
        if user.status == UserStatus::ResetRequired || user.status == UserStatus::ForceChangePassword {
            user.status = UserStatus::Confirmed;
        }
    }
    Ok(json!({}))
}
