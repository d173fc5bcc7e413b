//! ListUsersInGroup{UserPoolId, GroupName, Limit?, NextToken?} → Users, NextToken.

use super::get_group::find;
use super::list_groups::with_token;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::page::Page;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let group = input.req_str("GroupName")?;
    let page = Page::read(input, "NextToken")?;
    let pool = ctx.pool(pool_id)?;
    find(pool, group)?;
    let members = pool.users.iter().filter(|(_, u)| u.groups.contains(group));
    let (users, next) = page.take(members.map(|(k, u)| (k, auth::user_type(u))));
    Ok(with_token(json!({ "Users": users }), "NextToken", next))
}
