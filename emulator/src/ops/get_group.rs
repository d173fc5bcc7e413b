//! GetGroup{UserPoolId, GroupName} → Group.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::{Group, Pool};
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("GroupName")?;
    let pool_id = input.req_str("UserPoolId")?;
    let group = find(ctx.pool(pool_id)?, name)?;
    Ok(json!({ "Group": group_type(pool_id, group) }))
}

pub fn find<'a>(pool: &'a Pool, name: &str) -> Result<&'a Group, ApiError> {
    pool.groups.get(name).ok_or_else(not_found)
}

pub fn not_found() -> ApiError {
    ApiError::new("ResourceNotFoundException", "Group not found.")
}

/// GroupType; the optional members are omitted when unset, as AWS does.
pub fn group_type(pool_id: &str, g: &Group) -> Value {
    let mut out = json!({
        "GroupName": g.name,
        "UserPoolId": pool_id,
        "CreationDate": g.created,
        "LastModifiedDate": g.modified,
    });
    if let Some(d) = &g.description {
        out["Description"] = json!(d);
    }
    if let Some(r) = &g.role_arn {
        out["RoleArn"] = json!(r);
    }
    if let Some(p) = g.precedence {
        out["Precedence"] = json!(p);
    }
    out
}
