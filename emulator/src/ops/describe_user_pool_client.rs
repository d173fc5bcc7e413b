//! DescribeUserPoolClient{UserPoolId, ClientId}.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::AppClient;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?;
    let pool = ctx.pool(pool_id)?;
    let client = pool.client(client_id).ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok(json!({ "UserPoolClient": client_type(pool_id, client, pool.prevent_user_existence_errors) }))
}

pub fn client_type(pool_id: &str, client: &AppClient, pool_default: bool) -> Value {
    let prevent = if client.prevent_user_existence_errors.unwrap_or(pool_default) { "ENABLED" } else { "LEGACY" };
    let mut out = json!({
        "UserPoolId": pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "CreationDate": client.created,
        "LastModifiedDate": client.created,
        "ExplicitAuthFlows": client.explicit_auth_flows,
        "RefreshTokenValidity": 30,
        "AccessTokenValidity": 60,
        "IdTokenValidity": 60,
        "TokenValidityUnits": { "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days" },
        "EnableTokenRevocation": true,
        "AuthSessionValidity": 3,
        "PreventUserExistenceErrors": prevent,
    });
    if let Some(secret) = &client.secret {
        out["ClientSecret"] = json!(secret);
    }
    out
}
