//! AdminResetUserPassword{UserPoolId, Username}: the password stops working (RESET_REQUIRED: the next
//! sign-in gets PasswordResetRequiredException) and a reset code goes out, which ConfirmForgotPassword
//! takes with the new password (as does a code from a later ForgotPassword).

use super::forgot_password::send_reset_code;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    let status = ctx.pool(pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?.status.clone();
    if status == UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized("User password cannot be reset in the current state."));
    }
    send_reset_code(ctx, pool_id, &username)?;
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    user.status = UserStatus::ResetRequired;
    user.modified = now;
    Ok(json!({}))
}
