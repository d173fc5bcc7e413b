//! AssociateSoftwareToken{AccessToken | Session} → SecretCode (+ a new Session in the MFA_SETUP case).

use crate::error::ApiError;
use crate::input::Input;
use crate::state::{Ctx, Expect};
use crate::tokens;
use crate::totp;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let access = input.opt_str("AccessToken")?;
    let session = input.opt_str("Session")?;
    match (access, session) {
        (Some(token), None) => {
            let claims = tokens::verify_access(ctx, token)?;
            if !ctx.pool(&claims.pool_id)?.software_token_mfa {
                return Err(ApiError::totp_not_enabled());
            }
            let secret = new_secret(ctx);
            let user =
                ctx.pool_mut(&claims.pool_id)?.users.get_mut(&claims.username).ok_or_else(ApiError::user_not_found)?;
            user.pending_totp_secret = Some(secret.clone());
            Ok(json!({ "SecretCode": secret }))
        }
        (None, Some(session_id)) => {
            let s = ctx.session(session_id, None)?;
            if !matches!(s.expect, Expect::MfaSetup { .. }) {
                return Err(ApiError::invalid_session());
            }
            if !ctx.pool(&s.pool_id)?.software_token_mfa {
                return Err(ApiError::totp_not_enabled());
            }
            let secret = new_secret(ctx);
            let user = ctx.pool_mut(&s.pool_id)?.users.get_mut(&s.username).ok_or_else(ApiError::user_not_found)?;
            user.pending_totp_secret = Some(secret.clone());
            ctx.consume_session(session_id);
            ctx.flow = s.flow.clone();
            let next = ctx.new_session(&s.pool_id, &s.client_id, &s.username, Expect::MfaSetup { verified: false });
            Ok(json!({ "SecretCode": secret, "Session": next }))
        }
        _ => Err(ApiError::invalid_parameter("Exactly one of AccessToken or Session must be provided")),
    }
}

/// 20 random bytes in base32: 32 characters, like Cognito's SecretCode.
fn new_secret(ctx: &mut Ctx<'_>) -> String {
    totp::base32_encode(&ctx.random_bytes(20))
}
