//! UpdateUserPool{UserPoolId, MfaConfiguration?, Policies?, DeviceConfiguration?, AutoVerifiedAttributes?,
//! AdminCreateUserConfig?, DeletionProtection?, SmsConfiguration?, PoolName?...}. As on AWS, a setting
//! the request leaves out goes back to its default (MFA OFF, Cognito's password policy, ...); the
//! factors set by SetUserPoolMfaConfig stay.

use super::create_user_pool::{check_pool_name, set_mfa, settings};
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let settings = settings(input)?;
    let name = input.opt_str("PoolName")?;
    if let Some(n) = name {
        check_pool_name(n)?;
    }
    let now = ctx.now;
    let pool = ctx.pool_mut(pool_id)?;
    set_mfa(pool, input)?;
    pool.settings = settings;
    if let Some(n) = name {
        n.clone_into(&mut pool.name);
    }
    pool.modified = now;
    Ok(json!({}))
}
