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
    let s = &pool.settings;
    let p = s.password_policy;
    let mut out = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", pool.region(), pool.id),
        "MfaConfiguration": pool.mfa.as_str(),
        "CreationDate": pool.created,
        "LastModifiedDate": pool.modified.max(pool.created),
        "EstimatedNumberOfUsers": pool.users.len(),
        "Policies": { "PasswordPolicy": {
            "MinimumLength": p.minimum_length, "RequireUppercase": p.require_uppercase,
            "RequireLowercase": p.require_lowercase, "RequireNumbers": p.require_numbers,
            "RequireSymbols": p.require_symbols, "TemporaryPasswordValidityDays": p.temporary_password_validity_days,
        }},
        "AdminCreateUserConfig": { "AllowAdminCreateUserOnly": s.admin_create_user_only },
        "DeletionProtection": if s.deletion_protection { "ACTIVE" } else { "INACTIVE" },
        "UserPoolTier": "ESSENTIALS",
    });
    if !pool.username_attributes.is_empty() {
        out["UsernameAttributes"] = json!(pool.username_attributes);
    }
    if !s.auto_verified_attributes.is_empty() {
        out["AutoVerifiedAttributes"] = json!(s.auto_verified_attributes);
    }
    if let Some(d) = s.device_configuration {
        out["DeviceConfiguration"] = json!({
            "ChallengeRequiredOnNewDevice": d.challenge_required_on_new_device,
            "DeviceOnlyRememberedOnUserPrompt": d.device_only_remembered_on_user_prompt,
        });
    }
    out
}
