//! ConfirmSignUp{ClientId, Username, ConfirmationCode, SecretHash?} (the code verifies the email or phone
//! it went to) and AdminConfirmSignUp{UserPoolId, Username} (no code, nothing verified).

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::{User, UserStatus};
use crate::state::Ctx;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let code = input.req_str("ConfirmationCode")?;
    let (pool_id, username) = auth::client_user(ctx, input)?;
    let now = ctx.now;
    let user = unconfirmed(ctx, &pool_id, &username)?;
    let expected = user.confirmation_code.clone().unwrap_or_default();
    if expected.is_empty() || !bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
        return Err(ApiError::new("CodeMismatchException", "Invalid verification code provided, please try again."));
    }
    user.status = UserStatus::Confirmed;
    user.confirmation_code = None;
    user.modified = now;
    let verified = if user.attributes.contains_key("email") { "email_verified" } else { "phone_number_verified" };
    user.attributes.insert(verified.into(), "true".into());
    Ok(json!({}))
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    let now = ctx.now;
    let user = unconfirmed(ctx, pool_id, &username)?;
    user.status = UserStatus::Confirmed;
    user.confirmation_code = None;
    user.modified = now;
    Ok(json!({}))
}

/// The user, if it is still UNCONFIRMED; Cognito's NotAuthorizedException otherwise.
fn unconfirmed<'a>(ctx: &'a mut Ctx<'_>, pool_id: &str, username: &str) -> Result<&'a mut User, ApiError> {
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    Ok(user)
}
