//! DescribeUserPool{UserPoolId} → UserPool.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::Pool;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool = ctx.pool(input.req_str("UserPoolId")?)?;
    Ok(json!({ "UserPool": pool_type(pool) }))
}

pub fn pool_type(pool: &Pool) -> Value {
    let mut out = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", pool.region(), pool.id),
        "MfaConfiguration": pool.mfa.as_str(),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.created,
        "EstimatedNumberOfUsers": pool.users.len(),
        "Policies": { "PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7,
        }},
        "UserPoolTier": "ESSENTIALS",
    });
    if !pool.username_attributes.is_empty() {
        out["UsernameAttributes"] = json!(pool.username_attributes);
    }
    out
}
