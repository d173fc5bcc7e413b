//! AdminListGroupsForUser{UserPoolId, Username, Limit?, NextToken?} → Groups (by name), NextToken.

use super::get_group::group_type;
use super::list_groups::with_token;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::page::Page;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let given = input.req_str("Username")?;
    let pool_id = input.req_str("UserPoolId")?;
    let page = Page::read(input, "NextToken")?;
    let username = auth::admin_user(ctx, pool_id, given)?;
    let pool = ctx.pool(pool_id)?;
    let user = pool.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    let mine = pool.groups.iter().filter(|(k, _)| user.groups.contains(*k));
    let (groups, next) = page.take(mine.map(|(k, g)| (k, group_type(pool_id, g))));
    Ok(with_token(json!({ "Groups": groups }), "NextToken", next))
}
