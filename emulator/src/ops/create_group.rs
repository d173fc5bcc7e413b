//! CreateGroup{UserPoolId, GroupName, Description?, RoleArn?, Precedence?} → Group.

use super::get_group::group_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::Group;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("GroupName")?;
    let pool_id = input.req_str("UserPoolId")?;
    check_name(name)?;
    let GroupSettings { description, role_arn, precedence } = settings(input)?;
    let now = ctx.now;
    let pool = ctx.pool_mut(pool_id)?;
    if pool.groups.contains_key(name) {
        return Err(ApiError::new("GroupExistsException", "A group with the name already exists."));
    }
    let group = Group { name: name.to_owned(), description, role_arn, precedence, created: now, modified: now };
    let out = group_type(pool_id, &group);
    pool.groups.insert(name.to_owned(), group);
    Ok(json!({ "Group": out }))
}

/// GroupNameType: 1–128 letters, marks, symbols, numbers or punctuation (no spaces).
pub fn check_name(name: &str) -> Result<(), ApiError> {
    let len = name.chars().count();
    if (1..=128).contains(&len) && !name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ))
    }
}

/// Description, RoleArn and Precedence as given (each `None` when absent).
pub struct GroupSettings {
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
}

/// Reads [`GroupSettings`], checked against the model's limits. Shared with UpdateGroup.
pub fn settings(input: &Input) -> Result<GroupSettings, ApiError> {
    let description = input.opt_str("Description")?;
    if description.is_some_and(|d| d.chars().count() > 2048) {
        return Err(ApiError::invalid_parameter("Description must be at most 2048 characters"));
    }
    let role_arn = input.opt_str("RoleArn")?;
    if role_arn.is_some_and(|r| !r.starts_with("arn:") || !(20..=2048).contains(&r.len()) || r.split(':').count() < 6) {
        return Err(ApiError::invalid_parameter("RoleArn is not a valid ARN"));
    }
    let precedence = input.opt_i64("Precedence")?;
    if precedence.is_some_and(|p| !(0..=i64::from(i32::MAX)).contains(&p)) {
        return Err(ApiError::invalid_parameter("Precedence must be a non-negative integer"));
    }
    Ok(GroupSettings { description: description.map(str::to_owned), role_arn: role_arn.map(str::to_owned), precedence })
}
