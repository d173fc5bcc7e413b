//! CreateUserPool{PoolName, MfaConfiguration?, UsernameAttributes?, Policies?, DeviceConfiguration?,
//! AutoVerifiedAttributes?, AdminCreateUserConfig?, DeletionProtection?, SmsConfiguration?...} → UserPool.

use super::describe_user_pool::pool_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::{DeviceConfiguration, MfaMode, PasswordPolicy, Pool, PoolSettings};
use crate::seed;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let name = input.req_str("PoolName")?;
    check_pool_name(name)?;
    let settings = settings(input)?;
    let username_attributes = input.str_list("UsernameAttributes")?;
    if let Some(bad) = username_attributes.iter().find(|a| *a != "email" && *a != "phone_number") {
        return Err(ApiError::invalid_parameter(format!("Invalid UsernameAttributes value {bad}")));
    }
    let region = ctx.region.clone().unwrap_or_else(|| "us-east-1".into());
    let id = seed::new_pool_id(ctx, &region);
    let mut pool = Pool::new(id.clone(), name.to_owned(), ctx.now);
    set_mfa(&mut pool, input)?;
    pool.settings = settings;
    pool.username_attributes = username_attributes;
    let out = pool_type(&pool);
    ctx.inner.db.pools.insert(id, pool);
    Ok(json!({ "UserPool": out }))
}

pub fn check_pool_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() || name.chars().count() > 128 {
        return Err(ApiError::invalid_parameter("PoolName must be 1-128 characters"));
    }
    Ok(())
}

/// MfaConfiguration (OFF when absent). ON or OPTIONAL needs a factor: one the pool has already
/// (SetUserPoolMfaConfig), or SMS through an SmsConfiguration in the same request.
pub fn set_mfa(pool: &mut Pool, input: &Input) -> Result<(), ApiError> {
    let mode = match input.opt_str("MfaConfiguration")? {
        None => MfaMode::Off,
        Some(m) => {
            MfaMode::parse(m).ok_or_else(|| ApiError::invalid_parameter(format!("Invalid MfaConfiguration {m}")))?
        }
    };
    let sms = input.opt_obj("SmsConfiguration")?.is_some();
    if mode != MfaMode::Off && !sms && !pool.software_token_mfa && !pool.sms_mfa && !pool.email_mfa {
        return Err(ApiError::invalid_parameter(
            "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
        ));
    }
    if sms {
        pool.sms_mfa = true;
    }
    pool.mfa = mode;
    Ok(())
}

/// The settings CreateUserPool and UpdateUserPool share; every member absent takes its default (which
/// is how UpdateUserPool resets what it is not given, as AWS documents).
pub fn settings(input: &Input) -> Result<PoolSettings, ApiError> {
    let mut out = PoolSettings::default();
    if let Some(policy) = input.opt_obj("Policies")?.and_then(|p| p.0.get("PasswordPolicy").cloned()) {
        let serde_json::Value::Object(map) = policy else {
            return Err(ApiError::serialization("Value for member PasswordPolicy is not a valid structure"));
        };
        out.password_policy = password_policy(&Input(map))?;
    }
    if let Some(d) = input.opt_obj("DeviceConfiguration")? {
        out.device_configuration = Some(DeviceConfiguration {
            challenge_required_on_new_device: d.opt_bool("ChallengeRequiredOnNewDevice")?.unwrap_or(false),
            device_only_remembered_on_user_prompt: d.opt_bool("DeviceOnlyRememberedOnUserPrompt")?.unwrap_or(false),
        });
    }
    out.auto_verified_attributes = input.str_list("AutoVerifiedAttributes")?;
    if let Some(bad) = out.auto_verified_attributes.iter().find(|a| *a != "email" && *a != "phone_number") {
        return Err(ApiError::invalid_parameter(format!("Invalid AutoVerifiedAttributes value {bad}")));
    }
    if let Some(c) = input.opt_obj("AdminCreateUserConfig")? {
        out.admin_create_user_only = c.opt_bool("AllowAdminCreateUserOnly")?.unwrap_or(false);
    }
    out.deletion_protection = match input.opt_str("DeletionProtection")? {
        None | Some("INACTIVE") => false,
        Some("ACTIVE") => true,
        Some(other) => return Err(ApiError::invalid_parameter(format!("Invalid DeletionProtection {other}"))),
    };
    Ok(out)
}

fn password_policy(p: &Input) -> Result<PasswordPolicy, ApiError> {
    let minimum_length = p.opt_i64("MinimumLength")?.unwrap_or(8);
    if !(6..=99).contains(&minimum_length) {
        return Err(ApiError::invalid_parameter("MinimumLength must be between 6 and 99"));
    }
    let temporary_password_validity_days = p.opt_i64("TemporaryPasswordValidityDays")?.unwrap_or(7);
    if !(0..=365).contains(&temporary_password_validity_days) {
        return Err(ApiError::invalid_parameter("TemporaryPasswordValidityDays must be between 0 and 365"));
    }
    let flag = |name: &str| p.opt_bool(name).map(|b| b.unwrap_or(false));
    Ok(PasswordPolicy {
        minimum_length,
        require_uppercase: flag("RequireUppercase")?,
        require_lowercase: flag("RequireLowercase")?,
        require_numbers: flag("RequireNumbers")?,
        require_symbols: flag("RequireSymbols")?,
        temporary_password_validity_days,
    })
}
