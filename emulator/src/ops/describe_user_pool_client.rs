//! DescribeUserPoolClient{UserPoolId, ClientId}.

use crate::error::ApiError;
use crate::input::Input;
use crate::model::AppClient;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?;
    let client = ctx.pool(pool_id)?.client(client_id).ok_or_else(|| ApiError::client_not_found(client_id))?;
    Ok(json!({ "UserPoolClient": client_type(pool_id, client) }))
}

pub fn client_type(pool_id: &str, client: &AppClient) -> Value {
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
    });
    if let Some(secret) = &client.secret {
        out["ClientSecret"] = json!(secret);
    }
    out
}
