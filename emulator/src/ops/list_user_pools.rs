//! ListUserPools{MaxResults} and ListUserPoolClients{UserPoolId, MaxResults?} (no pagination: all fit).

use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let max = input.opt_i64("MaxResults")?.ok_or_else(|| crate::input::missing("maxResults"))?;
    if !(1..=60).contains(&max) {
        return Err(ApiError::invalid_parameter("MaxResults must be between 1 and 60"));
    }
    let pools: Vec<Value> = ctx
        .inner
        .db
        .pools
        .values()
        .take(usize::try_from(max).unwrap_or(60))
        .map(|p| json!({ "Id": p.id, "Name": p.name, "CreationDate": p.created, "LastModifiedDate": p.created }))
        .collect();
    Ok(json!({ "UserPools": pools }))
}

pub fn clients(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let pool = ctx.pool(pool_id)?;
    let list: Vec<Value> =
        pool.clients.iter().map(|c| json!({ "ClientId": c.id, "UserPoolId": pool.id, "ClientName": c.name })).collect();
    Ok(json!({ "UserPoolClients": list }))
}
