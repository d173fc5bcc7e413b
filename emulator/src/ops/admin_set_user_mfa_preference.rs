//! AdminSetUserMFAPreference{UserPoolId, Username, ...Settings}.

use super::set_user_mfa_preference::apply;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    apply(ctx, pool_id, &username, input)?;
    Ok(json!({}))
}
