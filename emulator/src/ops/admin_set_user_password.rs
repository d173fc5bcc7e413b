//! AdminSetUserPassword{UserPoolId, Username, Password, Permanent?}.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let given = input.req_str("Username")?;
    let password = input.req_str("Password")?;
    let permanent = input.opt_bool("Permanent")?.unwrap_or(false);
    auth::check_policy(ctx, pool_id, password)?;
    let username = auth::admin_user(ctx, pool_id, given)?;
    auth::set_password(ctx, pool_id, &username, password)?;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    user.status = if permanent { UserStatus::Confirmed } else { UserStatus::ForceChangePassword };
    Ok(json!({}))
}
