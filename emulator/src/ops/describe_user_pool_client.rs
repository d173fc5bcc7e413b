//! DescribeUserPoolClient{UserPoolId, ClientId}.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::{AppClient, TimeUnit, Validity};
use crate::state::{Config, Ctx};
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?;
    let pool = ctx.pool(pool_id)?;
    let client = pool.client(client_id).ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok(json!({ "UserPoolClient": client_type(pool_id, client, pool.prevent_user_existence_errors, ctx.config) }))
}

/// UserPoolClientType. Lifetimes the client does not set are the emulator's (`config`), shown in
/// minutes (access, id) and days (refresh).
pub fn client_type(pool_id: &str, client: &AppClient, pool_default: bool, config: &Config) -> Value {
    let prevent = if client.prevent_user_existence_errors.unwrap_or(pool_default) { "ENABLED" } else { "LEGACY" };
    let or_default = |v: Option<Validity>, seconds: i64, unit: TimeUnit| {
        v.unwrap_or(Validity { value: seconds / unit.seconds(), unit })
    };
    let access = or_default(client.access_token_validity, config.access_token_ttl, TimeUnit::Minutes);
    let id = or_default(client.id_token_validity, config.access_token_ttl, TimeUnit::Minutes);
    let refresh = or_default(client.refresh_token_validity, config.refresh_token_ttl, TimeUnit::Days);
    let session = client.auth_session_validity.unwrap_or((config.session_ttl / 60).clamp(3, 15));
    let mut out = json!({
        "UserPoolId": pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "CreationDate": client.created,
        "LastModifiedDate": client.modified.max(client.created),
        "ExplicitAuthFlows": client.explicit_auth_flows,
        "RefreshTokenValidity": refresh.value,
        "AccessTokenValidity": access.value,
        "IdTokenValidity": id.value,
        "TokenValidityUnits": {
            "AccessToken": access.unit.as_str(), "IdToken": id.unit.as_str(), "RefreshToken": refresh.unit.as_str(),
        },
        "EnableTokenRevocation": true,
        "AuthSessionValidity": session,
        "PreventUserExistenceErrors": prevent,
    });
    if let Some(secret) = &client.secret {
        out["ClientSecret"] = json!(secret);
    }
    out
}
