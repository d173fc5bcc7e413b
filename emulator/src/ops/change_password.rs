//! ChangePassword{AccessToken, PreviousPassword, ProposedPassword}.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let previous = input.req_str("PreviousPassword")?;
    let proposed = input.req_str("ProposedPassword")?;
    auth::guard_lockout(ctx, &c.pool_id, &c.username)?;
    let user = ctx.pool(&c.pool_id)?.users.get(&c.username).ok_or_else(ApiError::user_not_found)?;
    if !auth::password_matches(&c.pool_id, user, previous) {
        auth::record_failure(ctx, &c.pool_id, &c.username);
        return Err(ApiError::bad_credentials());
    }
    auth::check_policy(ctx, &c.pool_id, proposed)?;
    auth::set_password(ctx, &c.pool_id, &c.username, proposed)?;
    Ok(json!({}))
}
