//! RespondToAuthChallenge: PASSWORD_VERIFIER, SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE,
//! MFA_SETUP, NEW_PASSWORD_REQUIRED, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER.

use super::{need, params};
use crate::auth;
use crate::devices;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::UserStatus;
use crate::srp;
use crate::state::{AuthSession, Ctx, Expect};
use crate::totp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use subtle::ConstantTimeEq;

/// Wrong MFA codes allowed on one session before it is burnt.
const MAX_WRONG_CODES: u32 = 3;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    respond(ctx, input, None)
}

/// Shared with AdminRespondToAuthChallenge, which names the pool too.
pub fn respond(ctx: &mut Ctx<'_>, input: &Input, admin_pool: Option<&str>) -> Result<Value, ApiError> {
    let name = input.req_str("ChallengeName")?;
    let client_id = input.req_str("ClientId")?;
    let r = params(input, "ChallengeResponses")?;
    let (pool_id, client) = auth::client_and_pool(ctx, client_id)?;
    if admin_pool.is_some_and(|p| p != pool_id) {
        return Err(ApiError::client_not_found(client_id));
    }
    let typed = need(&r, "USERNAME")?;
    let session_id = match input.opt_str("Session")? {
        Some(s) => s.to_owned(),
        None if name == "PASSWORD_VERIFIER" => session_by_secret_block(ctx, &r)?,
        None => return Err(ApiError::invalid_parameter("Missing required parameter Session")),
    };
    let session = ctx.session(&session_id, Some(client_id))?;
    if session.expect.challenge_name() != name {
        return Err(ApiError::invalid_session());
    }
    let fake = matches!(session.expect, Expect::PasswordVerifier { fake: true, .. });
    let real = ctx.pool(&pool_id)?.find_user_key(typed);
    if !fake && real.as_deref() != Some(session.username.as_str()) {
        return Err(ApiError::invalid_session());
    }
    let candidates: Vec<&str> = [Some(typed), Some(session.username.as_str())].into_iter().flatten().collect();
    auth::check_secret_hash(&client, &candidates, r.opt_str("SECRET_HASH")?)?;
    let username = session.username.clone();
    ctx.flow = session.flow.clone();
    match &session.expect {
        Expect::PasswordVerifier { .. } => {
            // PASSWORD_VERIFIER's DEVICE_KEY decides; an explicit null (identity-js's retry after "Device does not
            // exist.") means no device, even if InitiateAuth named one.
            match input.opt_obj("ChallengeResponses")?.and_then(|m| m.0.get("DEVICE_KEY").cloned()) {
                Some(Value::Null) => ctx.flow.device_key = None,
                Some(_) => ctx.flow.device_key = r.opt_str("DEVICE_KEY")?.map(str::to_owned),
                None => {}
            }
            ctx.consume_session(&session_id);
            password_verifier(ctx, &pool_id, &session_id, &session, &r)
        }
        Expect::DeviceSrpAuth => {
            ctx.consume_session(&session_id);
            devices::start_device_srp(ctx, &pool_id, client_id, &username, &r)
        }
        Expect::DevicePasswordVerifier { .. } => {
            ctx.consume_session(&session_id);
            devices::verify_device_claim(ctx, &pool_id, &username, &session.expect, &r)?;
            auth::plain_tokens(ctx, &pool_id, client_id, &username)
        }
        Expect::SoftwareTokenMfa => {
            let code = need(&r, "SOFTWARE_TOKEN_MFA_CODE")?;
            let user = ctx.pool(&pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
            let secret = user.totp_secret.clone().ok_or_else(ApiError::totp_not_enabled)?;
            match totp::verify(&secret, code, ctx.now, user.last_totp_step) {
                Some(step) => {
                    if let Some(u) = ctx.pool_mut(&pool_id)?.users.get_mut(&username) {
                        u.last_totp_step = Some(step);
                    }
                    ctx.consume_session(&session_id);
                    ctx.flow.mfa_done = true;
                    auth::tokens_result(ctx, &pool_id, client_id, &username)
                }
                None => Err(wrong_code(ctx, &session_id)),
            }
        }
        Expect::SmsMfa { code } | Expect::EmailOtp { code } => {
            let member = if name == "SMS_MFA" { "SMS_MFA_CODE" } else { "EMAIL_OTP_CODE" };
            let given = need(&r, member)?;
            if given.len() == code.len() && bool::from(given.as_bytes().ct_eq(code.as_bytes())) {
                ctx.consume_session(&session_id);
                ctx.flow.mfa_done = true;
                auth::tokens_result(ctx, &pool_id, client_id, &username)
            } else {
                Err(wrong_code(ctx, &session_id))
            }
        }
        Expect::SelectMfaType => {
            let answer = need(&r, "ANSWER")?;
            let pool = ctx.pool(&pool_id)?.clone();
            let user = pool.users.get(&username).cloned().ok_or_else(ApiError::user_not_found)?;
            if !user.active_mfa(&pool).contains(&answer) {
                return Err(ApiError::invalid_parameter(format!("Invalid ANSWER {answer} for SELECT_MFA_TYPE")));
            }
            ctx.consume_session(&session_id);
            auth::mfa_challenge(ctx, &pool_id, client_id, &user, answer)
        }
        Expect::MfaSetup { verified } => {
            if !verified {
                return Err(ApiError::invalid_parameter(
                    "Software token has not been associated and verified for this session",
                ));
            }
            ctx.consume_session(&session_id);
            ctx.flow.mfa_done = true;
            auth::tokens_result(ctx, &pool_id, client_id, &username)
        }
        Expect::NewPasswordRequired => {
            let new_password = need(&r, "NEW_PASSWORD")?;
            auth::check_policy(ctx, &pool_id, new_password)?;
            let (salt, verifier) = auth::password_record(ctx, &pool_id, &username, new_password);
            let now = ctx.now;
            let updates: Vec<(String, String)> =
                r.0.iter()
                    .filter_map(|(k, v)| Some((k.strip_prefix("userAttributes.")?.to_owned(), v.as_str()?.to_owned())))
                    .collect();
            let user = ctx.pool_mut(&pool_id)?.users.get_mut(&username).ok_or_else(ApiError::user_not_found)?;
            for (k, v) in updates {
                if k != "sub" {
                    user.attributes.insert(k, v);
                }
            }
            user.salt = salt;
            user.verifier = verifier;
            user.status = UserStatus::Confirmed;
            user.modified = now;
            ctx.consume_session(&session_id);
            let pool = ctx.pool(&pool_id)?.clone();
            let user = pool.users.get(&username).cloned().ok_or_else(ApiError::user_not_found)?;
            auth::finish_after_password(ctx, &pool, client_id, &user)
        }
    }
}

/// A wrong code keeps the session for a retry or two, then burns it.
fn wrong_code(ctx: &mut Ctx<'_>, session_id: &str) -> ApiError {
    if let Some(s) = ctx.inner.sessions.get_mut(session_id) {
        s.wrong_codes += 1;
        if s.wrong_codes >= MAX_WRONG_CODES {
            ctx.inner.sessions.remove(session_id);
        }
    }
    ApiError::code_mismatch()
}

/// Some clients omit Session on PASSWORD_VERIFIER; the SECRET_BLOCK then identifies the attempt.
fn session_by_secret_block(ctx: &Ctx<'_>, r: &Input) -> Result<String, ApiError> {
    let block = STANDARD.decode(need(r, "PASSWORD_CLAIM_SECRET_BLOCK")?).map_err(|_| ApiError::bad_credentials())?;
    ctx.inner
        .sessions
        .iter()
        .find(|(_, s)| matches!(&s.expect, Expect::PasswordVerifier { secret_block, .. } if *secret_block == block))
        .map(|(id, _)| id.clone())
        .ok_or_else(ApiError::invalid_session)
}

fn password_verifier(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    session_id: &str,
    session: &AuthSession,
    r: &Input,
) -> Result<Value, ApiError> {
    let Expect::PasswordVerifier { a, b, big_b, secret_block, fake } = &session.expect else {
        return Err(ApiError::invalid_session());
    };
    let block = need(r, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let timestamp = need(r, "TIMESTAMP")?;
    let signature = need(r, "PASSWORD_CLAIM_SIGNATURE")?;
    if *fake {
        return Err(ApiError::bad_credentials());
    }
    let username = session.username.as_str();
    auth::guard_lockout(ctx, pool_id, username)?;
    let user = ctx.pool(pool_id)?.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let v = auth::parse_hex_int(&user.verifier).ok_or_else(|| ApiError::internal("corrupt verifier"))?;
    let block_ok = STANDARD.decode(block).is_ok_and(|bytes| bool::from(bytes.ct_eq(secret_block)));
    let time_ok = srp::parse_timestamp(timestamp).is_some();
    let sig = STANDARD.decode(signature).unwrap_or_default();
    let realm = srp::pool_name(pool_id);
    let claim = srp::Claim { realm, username, a, b, big_b, v: &v, secret_block, timestamp, signature: &sig };
    let sig_ok = srp::verify_claim(&claim).is_ok();
    if block_ok && time_ok && sig_ok {
        // A device this user does not have (forgotten, never confirmed): say so and keep the session, so the client
        // can answer again without DEVICE_KEY, as identity-js does.
        let pool = ctx.pool(pool_id)?;
        if let Some(key) = ctx.flow.device_key.as_deref()
            && devices::tracking(pool)
            && pool.users.get(username).and_then(|u| devices::confirmed(u, key)).is_none()
        {
            ctx.inner.sessions.insert(session_id.to_owned(), session.clone());
            return Err(devices::not_found());
        }
        auth::after_password(ctx, pool_id, &session.client_id, username)
    } else {
        auth::record_failure(ctx, pool_id, username);
        Err(ApiError::bad_credentials())
    }
}
