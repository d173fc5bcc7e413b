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
    auth::check_policy(password)?;
    let username = auth::create_user(ctx, &pool_id, given, password, UserStatus::Unconfirmed, attributes)?;
    let code = ctx.digits(6);
    let user = ctx.pool_mut(&pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    user.confirmation_code = Some(code.clone());
    let (channel, attr) =
        if user.attributes.contains_key("email") { ("EMAIL", "email") } else { ("SMS", "phone_number") };
    let destination = user.attributes.get(attr).cloned().unwrap_or_default();
    let sub = user.sub.clone();
    auth::deliver(ctx, &pool_id, &username, channel, &destination, &code);
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": { "Destination": destination, "DeliveryMedium": channel, "AttributeName": attr },
    }))
}
