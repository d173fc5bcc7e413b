//! DeleteUserPool{UserPoolId} and DeleteUserPoolClient{UserPoolId, ClientId}. Tokens of a deleted pool or
//! client stop working because their grants go too.

use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    if ctx.pool(pool_id)?.settings.deletion_protection {
        return Err(ApiError::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated.",
        ));
    }
    ctx.inner.db.pools.remove(pool_id);
    revoke_where(ctx, |g| g.pool_id == pool_id);
    Ok(json!({}))
}

pub fn client(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?.to_owned();
    let pool = ctx.pool_mut(pool_id)?;
    let before = pool.clients.len();
    pool.clients.retain(|c| c.id != client_id);
    if pool.clients.len() == before {
        return Err(ApiError::client_not_found(&client_id));
    }
    revoke_where(ctx, |g| g.client_id == client_id);
    Ok(json!({}))
}

fn revoke_where(ctx: &mut Ctx<'_>, pred: impl Fn(&crate::model::Grant) -> bool) {
    let gone: Vec<String> = ctx.inner.db.grants.iter().filter(|(_, g)| pred(g)).map(|(t, _)| t.clone()).collect();
    for t in gone {
        tokens::revoke_grant(ctx, &t);
    }
}
