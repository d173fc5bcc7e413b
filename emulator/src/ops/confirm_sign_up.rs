//! ConfirmSignUp{ClientId, Username, ConfirmationCode, SecretHash?}.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let client_id = input.req_str("ClientId")?;
    let given = input.req_str("Username")?;
    let code = input.req_str("ConfirmationCode")?;
    let (pool_id, client) = auth::client_and_pool(ctx, client_id)?;
    let username = ctx.pool(&pool_id)?.find_user_key(given).ok_or_else(ApiError::user_not_found)?;
    auth::check_secret_hash(&client, &[given, username.as_str()], input.opt_str("SecretHash")?)?;
    let now = ctx.now;
    let user = ctx.pool_mut(&pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
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
