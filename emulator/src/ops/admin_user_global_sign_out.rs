//! AdminUserGlobalSignOut{UserPoolId, Username}: revokes every refresh token of the user and the
//! access tokens minted from them, like the user's own GlobalSignOut.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    tokens::revoke_user(ctx, pool_id, &username);
    Ok(json!({}))
}
