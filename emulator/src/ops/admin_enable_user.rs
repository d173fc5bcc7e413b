//! AdminDisableUser / AdminEnableUser{UserPoolId, Username}. A disabled user cannot sign in or refresh,
//! and the access tokens it held are revoked for good (AWS: "revokes all access tokens"); once enabled
//! again its refresh tokens work and mint new ones.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

fn set(ctx: &mut Ctx<'_>, input: &Input, enabled: bool) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    user.enabled = enabled;
    user.modified = now;
    if !enabled {
        tokens::revoke_access_tokens(ctx, pool_id, &username);
    }
    Ok(json!({}))
}

pub fn disable(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    set(ctx, input, false)
}

pub fn enable(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    set(ctx, input, true)
}
