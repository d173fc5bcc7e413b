//! AdminAddUserToGroup / AdminRemoveUserFromGroup{UserPoolId, Username, GroupName}. Both are
//! idempotent; the next tokens carry the change in `cognito:groups`.

use super::get_group::find;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

fn set(ctx: &mut Ctx<'_>, input: &Input, member: bool) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let given = input.req_str("Username")?;
    let group = input.req_str("GroupName")?;
    find(ctx.pool(pool_id)?, group)?;
    let username = auth::admin_user(ctx, pool_id, given)?;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    if member {
        user.groups.insert(group.to_owned());
    } else {
        user.groups.remove(group);
    }
    Ok(json!({}))
}

pub fn add(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    set(ctx, input, true)
}

pub fn remove(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    set(ctx, input, false)
}
