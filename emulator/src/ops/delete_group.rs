//! DeleteGroup{UserPoolId, GroupName}: its members leave it (tokens already issued keep their claims).

use super::get_group::not_found;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("GroupName")?;
    let pool_id = input.req_str("UserPoolId")?;
    let pool = ctx.pool_mut(pool_id)?;
    pool.groups.remove(name).ok_or_else(not_found)?;
    for user in pool.users.values_mut() {
        user.groups.remove(name);
    }
    Ok(json!({}))
}
