//! InitiateAuth: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH.

use super::{need, params};
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::AppClient;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let flow = input.req_str("AuthFlow")?;
    let client_id = input.req_str("ClientId")?;
    let p = params(input, "AuthParameters")?;
    let (pool_id, client) = auth::client_and_pool(ctx, client_id)?;
    start(ctx, &pool_id, &client, flow, &p, false)
}

/// Shared with AdminInitiateAuth (`admin` allows the ADMIN_* flows instead of USER_PASSWORD_AUTH).
pub fn start(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    flow: &str,
    p: &Input,
    admin: bool,
) -> Result<Value, ApiError> {
    match flow {
        "USER_SRP_AUTH" => {
            auth::require_flow(client, "USER_SRP_AUTH")?;
            let typed = need(p, "USERNAME")?;
            let srp_a = need(p, "SRP_A")?;
            let real = ctx.pool(pool_id)?.find_user_key(typed);
            let candidates: Vec<&str> = [Some(typed), real.as_deref()].into_iter().flatten().collect();
            auth::check_secret_hash(client, &candidates, p.opt_str("SECRET_HASH")?)?;
            // Remembered until PASSWORD_VERIFIER, whose own DEVICE_KEY (or explicit null) has the last word.
            ctx.flow.device_key = p.opt_str("DEVICE_KEY")?.map(str::to_owned);
            auth::start_srp(ctx, pool_id, &client.id, typed, srp_a)
        }
        "USER_PASSWORD_AUTH" if !admin => {
            auth::require_flow(client, "USER_PASSWORD_AUTH")?;
            password_flow(ctx, pool_id, client, p)
        }
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" if admin => {
            auth::require_flow(client, "ADMIN_USER_PASSWORD_AUTH")?;
            password_flow(ctx, pool_id, client, p)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            auth::require_flow(client, "REFRESH_TOKEN_AUTH")?;
            refresh(ctx, client, p)
        }
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" | "CUSTOM_AUTH" | "USER_AUTH" => {
            Err(ApiError::invalid_parameter(format!("{flow} flow not supported by this operation or emulator")))
        }
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
        ))),
    }
}

fn password_flow(ctx: &mut Ctx<'_>, pool_id: &str, client: &AppClient, p: &Input) -> Result<Value, ApiError> {
    let typed = need(p, "USERNAME")?;
    let password = need(p, "PASSWORD")?;
    let real = ctx.pool(pool_id)?.find_user_key(typed);
    let candidates: Vec<&str> = [Some(typed), real.as_deref()].into_iter().flatten().collect();
    auth::check_secret_hash(client, &candidates, p.opt_str("SECRET_HASH")?)?;
    let Some(username) = auth::resolve_user(ctx, pool_id, &client.id, typed)? else {
        return Err(ApiError::bad_credentials());
    };
    auth::guard_lockout(ctx, pool_id, &username)?;
    let user = ctx.pool(pool_id)?.users.get(&username).ok_or_else(ApiError::user_not_found)?;
    if auth::password_matches(pool_id, user, password) {
        auth::after_password(ctx, pool_id, &client.id, &username)
    } else {
        auth::record_failure(ctx, pool_id, &username);
        Err(ApiError::bad_credentials())
    }
}

fn refresh(ctx: &mut Ctx<'_>, client: &AppClient, p: &Input) -> Result<Value, ApiError> {
    let token = need(p, "REFRESH_TOKEN")?;
    let invalid = || ApiError::not_authorized("Invalid Refresh Token");
    let grant = ctx.inner.db.grants.get(token).cloned().ok_or_else(invalid)?;
    if grant.client_id != client.id {
        return Err(invalid());
    }
    if grant.revoked || ctx.inner.db.revoked_origins.contains(&grant.origin_jti) {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if grant.expires <= ctx.now {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    let user = ctx.pool(&grant.pool_id)?.users.get(&grant.username).ok_or_else(ApiError::user_not_found)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let sub = user.sub.clone();
    auth::check_secret_hash(client, &[grant.username.as_str(), sub.as_str()], p.opt_str("SECRET_HASH")?)?;
    let (pool_id, username) = (grant.pool_id.clone(), grant.username.clone());
    let result = tokens::issue(ctx, &pool_id, &client.id, &username, Some((token.to_owned(), grant)))?;
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}
