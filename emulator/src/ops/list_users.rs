//! ListUsers{UserPoolId, Limit?, Filter?} with the simple `attr = "value"` and `attr ^= "prefix"` filters.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::User;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let limit = input.opt_i64("Limit")?.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter("Limit must be between 1 and 60"));
    }
    let filter = match input.opt_str("Filter")? {
        Some(f) if !f.trim().is_empty() => Some(parse_filter(f)?),
        _ => None,
    };
    let pool = ctx.pool(pool_id)?;
    let users: Vec<Value> = pool
        .users
        .values()
        .filter(|u| filter.as_ref().is_none_or(|(attr, prefix, value)| matches(u, attr, *prefix, value)))
        .take(usize::try_from(limit).unwrap_or(60))
        .map(auth::user_type)
        .collect();
    Ok(json!({ "Users": users }))
}

fn parse_filter(f: &str) -> Result<(String, bool, String), ApiError> {
    let bad = || ApiError::invalid_parameter(format!("Invalid filter: {f}"));
    let (attr, prefix, rest) = if let Some((a, r)) = f.split_once("^=") {
        (a, true, r)
    } else if let Some((a, r)) = f.split_once('=') {
        (a, false, r)
    } else {
        return Err(bad());
    };
    let value = rest.trim().strip_prefix('"').and_then(|v| v.strip_suffix('"')).ok_or_else(bad)?;
    Ok((attr.trim().to_owned(), prefix, value.to_owned()))
}

fn matches(user: &User, attr: &str, prefix: bool, value: &str) -> bool {
    let actual = match attr {
        "username" => Some(user.username.as_str()),
        "sub" => Some(user.sub.as_str()),
        "status" | "cognito:user_status" => Some(user.status.as_str()),
        other => user.attributes.get(other).map(String::as_str),
    };
    actual.is_some_and(|a| if prefix { a.starts_with(value) } else { a == value })
}
