//! ListDevices{AccessToken, Limit?, PaginationToken?} and AdminListDevices{UserPoolId, Username, Limit?,
//! PaginationToken?} → Devices (confirmed devices, by device key), PaginationToken.

use super::list_groups::with_token;
use crate::auth;
use crate::devices;
use crate::error::ApiError;
use crate::input::Input;
use crate::page::Page;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    list(ctx, &c.pool_id, &c.username, input)
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    list(ctx, pool_id, &username, input)
}

fn list(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, input: &Input) -> Result<Value, ApiError> {
    let page = Page::read(input, "PaginationToken")?;
    let pool = ctx.pool(pool_id)?;
    let user = pool.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let confirmed = user.devices.iter().filter(|(_, d)| d.confirmed);
    let (items, next) = page.take(confirmed.map(|(k, d)| (k, devices::device_type(pool, user, d))));
    Ok(with_token(json!({ "Devices": items }), "PaginationToken", next))
}
