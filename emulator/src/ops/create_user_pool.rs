//! CreateUserPool{PoolName, MfaConfiguration?, UsernameAttributes?, UserPoolAddOns?...} → UserPool.

use super::describe_user_pool::pool_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::{MfaMode, Pool};
use crate::seed;
use crate::state::Ctx;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("PoolName")?;
    if name.is_empty() || name.len() > 128 {
        return Err(ApiError::invalid_parameter("PoolName must be 1-128 characters"));
    }
    let mfa = match input.opt_str("MfaConfiguration")? {
        None => MfaMode::Off,
        Some(m) => {
            MfaMode::parse(m).ok_or_else(|| ApiError::invalid_parameter(format!("Invalid MfaConfiguration {m}")))?
        }
    };
    if mfa != MfaMode::Off {
        // Cognito refuses MFA without a factor; a new pool has none until SetUserPoolMfaConfig.
        return Err(ApiError::invalid_parameter(
            "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
        ));
    }
    let username_attributes = input.str_list("UsernameAttributes")?;
    let region = ctx.region.clone().unwrap_or_else(|| "us-east-1".into());
    let id = seed::new_pool_id(ctx, &region);
    let pool = Pool {
        id: id.clone(),
        name: name.to_owned(),
        key: None,
        mfa,
        software_token_mfa: false,
        sms_mfa: false,
        email_mfa: false,
        username_attributes,
        prevent_user_existence_errors: false,
        clients: Vec::new(),
        users: BTreeMap::new(),
        created: ctx.now,
    };
    let out = pool_type(&pool);
    ctx.inner.db.pools.insert(id, pool);
    Ok(json!({ "UserPool": out }))
}
