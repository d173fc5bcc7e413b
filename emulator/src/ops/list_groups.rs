//! ListGroups{UserPoolId, Limit?, NextToken?} → Groups (by name), NextToken.

use super::get_group::group_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::page::Page;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let page = Page::read(input, "NextToken")?;
    let pool = ctx.pool(pool_id)?;
    let (groups, next) = page.take(pool.groups.iter().map(|(k, g)| (k, group_type(pool_id, g))));
    Ok(with_token(json!({ "Groups": groups }), "NextToken", next))
}

/// Adds the pagination member when there is a next page (AWS omits it on the last one).
pub fn with_token(mut out: Value, member: &str, next: Option<String>) -> Value {
    if let Some(t) = next {
        out[member] = json!(t);
    }
    out
}
