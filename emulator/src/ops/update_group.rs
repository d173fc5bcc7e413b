//! UpdateGroup{UserPoolId, GroupName, Description?, RoleArn?, Precedence?} → Group. Members not given
//! keep their values.

use super::create_group::{GroupSettings, settings};
use super::get_group::{group_type, not_found};
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("GroupName")?;
    let pool_id = input.req_str("UserPoolId")?;
    let GroupSettings { description, role_arn, precedence } = settings(input)?;
    let now = ctx.now;
    let group = ctx.pool_mut(pool_id)?.groups.get_mut(name).ok_or_else(not_found)?;
    if description.is_some() {
        group.description = description;
    }
    if role_arn.is_some() {
        group.role_arn = role_arn;
    }
    if precedence.is_some() {
        group.precedence = precedence;
    }
    group.modified = now;
    Ok(json!({ "Group": group_type(pool_id, group) }))
}
