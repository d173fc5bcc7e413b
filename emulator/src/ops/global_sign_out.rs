//! GlobalSignOut{AccessToken}: revokes every refresh token of the user and the tokens minted from them.

use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    tokens::revoke_user(ctx, &c.pool_id, &c.username);
    // Tokens whose grant is gone (e.g. restarts without --state) are covered by their origin_jti.
    ctx.inner.db.revoked_origins.insert(c.origin_jti);
    Ok(json!({}))
}
