//! AdminDeleteUser{UserPoolId, Username}: the user's refresh tokens go with it.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    ctx.pool_mut(pool_id)?.users.remove(&username);
    let grants: Vec<String> = ctx
        .inner
        .db
        .grants
        .iter()
        .filter(|(_, g)| g.pool_id == pool_id && g.username == username)
        .map(|(t, _)| t.clone())
        .collect();
    for t in grants {
        tokens::revoke_grant(ctx, &t);
    }
    Ok(json!({}))
}
