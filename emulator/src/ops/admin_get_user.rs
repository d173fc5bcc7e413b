//! AdminGetUser{UserPoolId, Username}.

use super::get_user::add_mfa;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    let user = ctx.pool(pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    let mut out = json!({
        "Username": user.username,
        "UserAttributes": user.attribute_list(),
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status.as_str(),
    });
    add_mfa(&mut out, user);
    Ok(out)
}
