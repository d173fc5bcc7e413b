//! AdminDeleteUser{UserPoolId, Username}: the user's refresh tokens go with it.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    delete(ctx, pool_id, &username)?;
    Ok(json!({}))
}

/// Removes the user (group memberships with it) and revokes every token it holds. Shared with DeleteUser.
pub fn delete(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) -> Result<(), ApiError> {
    ctx.pool_mut(pool_id)?.users.remove(username).ok_or_else(ApiError::user_not_found)?;
    tokens::revoke_user(ctx, pool_id, username);
    Ok(())
}
