//! SignUp{ClientId, Username, Password, SecretHash?, UserAttributes?} → an UNCONFIRMED user and a code
//! on the dev channel.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let client_id = input.req_str("ClientId")?;
    let given = input.req_str("Username")?;
    let password = input.req_str("Password")?;
    let attributes = input.attributes("UserAttributes")?;
    let (pool_id, client) = auth::client_and_pool(ctx, client_id)?;
    auth::check_secret_hash(&client, &[given], input.opt_str("SecretHash")?)?;
    if ctx.pool(&pool_id)?.settings.admin_create_user_only {
        return Err(ApiError::not_authorized("SignUp is not permitted for this user pool"));
    }
    auth::check_policy(ctx, &pool_id, password)?;
    let username = auth::create_user(ctx, &pool_id, given, password, UserStatus::Unconfirmed, attributes)?;
    let delivery = send_confirmation_code(ctx, &pool_id, &username)?;
    let sub = ctx.pool(&pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?.sub.clone();
    Ok(json!({ "UserConfirmed": false, "UserSub": sub, "CodeDeliveryDetails": delivery }))
}

/// A fresh sign-up confirmation code to the user's email (else phone), replacing any earlier one;
/// returns its CodeDeliveryDetails. Shared with ResendConfirmationCode.
pub fn send_confirmation_code(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) -> Result<Value, ApiError> {
    let code = ctx.digits(6);
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    user.confirmation_code = Some(code.clone());
    let (channel, attr, destination) = auth::contact(user);
    let destination = destination.unwrap_or_default();
    auth::deliver(ctx, pool_id, username, channel, &destination, &code);
    Ok(json!({ "Destination": destination, "DeliveryMedium": channel, "AttributeName": attr }))
}
