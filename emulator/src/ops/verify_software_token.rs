//! VerifySoftwareToken{AccessToken | Session, UserCode, FriendlyDeviceName?} → Status (+ Session).

use crate::error::ApiError;
use crate::input::Input;
use crate::state::{Ctx, Expect};
use crate::tokens;
use crate::totp;
use serde_json::{Value, json};

fn mismatch() -> ApiError {
    ApiError::new("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
}

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let code = input.req_str("UserCode")?;
    let device = input.opt_str("FriendlyDeviceName")?.map(str::to_owned);
    let access = input.opt_str("AccessToken")?;
    let session = input.opt_str("Session")?;
    let (pool_id, username, setup) = match (access, session) {
        (Some(token), None) => {
            let c = tokens::verify_access(ctx, token)?;
            (c.pool_id, c.username, None)
        }
        (None, Some(id)) => {
            let s = ctx.session(id, None)?;
            if !matches!(s.expect, Expect::MfaSetup { verified: false }) {
                return Err(ApiError::invalid_session());
            }
            (s.pool_id.clone(), s.username.clone(), Some((id.to_owned(), s)))
        }
        _ => return Err(ApiError::invalid_parameter("Exactly one of AccessToken or Session must be provided")),
    };
    if !ctx.pool(&pool_id)?.software_token_mfa {
        return Err(ApiError::totp_not_enabled());
    }
    let now = ctx.now;
    let user = ctx.pool_mut(&pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
    let Some(secret) = user.pending_totp_secret.clone() else {
        return Err(ApiError::invalid_parameter(
            "User has not associated a software token (call AssociateSoftwareToken first)",
        ));
    };
    let Some(step) = totp::verify(&secret, code, now, user.last_totp_step) else {
        return Err(mismatch());
    };
    user.totp_secret = Some(secret);
    user.pending_totp_secret = None;
    user.last_totp_step = Some(step);
    user.totp_device_name = Some(device.unwrap_or_else(|| "TOTP device".into()));
    user.modified = now;
    match setup {
        None => Ok(json!({ "Status": "SUCCESS" })),
        Some((id, s)) => {
            // Enrolling during sign-in makes TOTP the user's MFA from now on, as the pool requires one.
            user.totp.enabled = true;
            if !user.sms.preferred && !user.email.preferred {
                user.totp.preferred = true;
            }
            ctx.consume_session(&id);
            ctx.flow = s.flow.clone();
            let next = ctx.new_session(&s.pool_id, &s.client_id, &s.username, Expect::MfaSetup { verified: true });
            Ok(json!({ "Status": "SUCCESS", "Session": next }))
        }
    }
}
