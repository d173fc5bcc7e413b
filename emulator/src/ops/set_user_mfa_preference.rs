//! SetUserMFAPreference{AccessToken, SoftwareTokenMfaSettings?, SMSMfaSettings?, EmailMfaSettings?}.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::User;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let token = input.req_str("AccessToken")?;
    let c = tokens::verify_access(ctx, token)?;
    apply(ctx, &c.pool_id, &c.username, input)?;
    Ok(json!({}))
}

/// Shared with AdminSetUserMFAPreference.
pub fn apply(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, input: &Input) -> Result<(), ApiError> {
    let settings = [("SoftwareTokenMfaSettings", 0usize), ("SMSMfaSettings", 1), ("EmailMfaSettings", 2)];
    let mut changes = Vec::new();
    for (member, idx) in settings {
        if let Some(s) = input.opt_obj(member)? {
            changes.push((idx, s.opt_bool("Enabled")?, s.opt_bool("PreferredMfa")?));
        }
    }
    let pool = ctx.pool(pool_id)?;
    let (totp_on, sms_on, email_on) = (pool.software_token_mfa, pool.sms_mfa, pool.email_mfa);
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    for &(idx, enabled, preferred) in &changes {
        let wants = enabled == Some(true) || preferred == Some(true);
        if idx == 0 && wants {
            if !totp_on {
                return Err(ApiError::invalid_parameter("Software token MFA is not enabled for the user pool"));
            }
            if user.totp_secret.is_none() {
                return Err(ApiError::invalid_parameter("User has not verified software token mfa"));
            }
        }
        if idx == 1 && wants && !sms_on {
            return Err(ApiError::invalid_parameter("SMS MFA is not enabled for the user pool"));
        }
        if idx == 2 && wants && !email_on {
            return Err(ApiError::invalid_parameter("Email MFA is not enabled for the user pool"));
        }
    }
    for (idx, enabled, preferred) in changes {
        if preferred == Some(true) {
            user.totp.preferred = false;
            user.sms.preferred = false;
            user.email.preferred = false;
        }
        let flags = slot(user, idx);
        if let Some(e) = enabled {
            flags.enabled = e;
        }
        if let Some(p) = preferred {
            flags.preferred = p;
        }
        if flags.preferred {
            flags.enabled = true;
        }
        if !flags.enabled {
            flags.preferred = false;
        }
    }
    user.modified = now;
    Ok(())
}

fn slot(user: &mut User, idx: usize) -> &mut crate::model::MfaFlags {
    match idx {
        0 => &mut user.totp,
        1 => &mut user.sms,
        _ => &mut user.email,
    }
}
