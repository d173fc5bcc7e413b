//! SetUserPoolMfaConfig{UserPoolId, MfaConfiguration?, SoftwareTokenMfaConfiguration?, SmsMfaConfiguration?,
//! EmailMfaConfiguration?}.

use super::get_user_pool_mfa_config::mfa_config;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::MfaMode;
use crate::state::Ctx;
use serde_json::Value;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let mode = match input.opt_str("MfaConfiguration")? {
        None => None,
        Some(m) => Some(
            MfaMode::parse(m).ok_or_else(|| ApiError::invalid_parameter(format!("Invalid MfaConfiguration {m}")))?,
        ),
    };
    let totp = match input.opt_obj("SoftwareTokenMfaConfiguration")? {
        Some(c) => Some(c.opt_bool("Enabled")?.unwrap_or(false)),
        None => None,
    };
    // An SmsMfaConfiguration / EmailMfaConfiguration block switches that factor on (there is no Enabled flag).
    let sms = input.opt_obj("SmsMfaConfiguration")?.is_some();
    let email = input.opt_obj("EmailMfaConfiguration")?.is_some();
    let pool = ctx.pool_mut(pool_id)?;
    let new_totp = totp.unwrap_or(pool.software_token_mfa);
    let new_mode = mode.unwrap_or(pool.mfa);
    if new_mode != MfaMode::Off && !new_totp && !sms && !email && !pool.sms_mfa && !pool.email_mfa {
        return Err(ApiError::invalid_parameter("At least one MFA type must be enabled when MFA is ON or OPTIONAL"));
    }
    pool.software_token_mfa = new_totp;
    if mode.is_some() || sms {
        pool.sms_mfa = sms;
    }
    if mode.is_some() || email {
        pool.email_mfa = email;
    }
    pool.mfa = new_mode;
    Ok(mfa_config(pool))
}
