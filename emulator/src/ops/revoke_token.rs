//! RevokeToken{Token, ClientId, ClientSecret?}: revokes one refresh token and the access tokens from it.

use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let token = input.req_str("Token")?;
    let client_id = input.req_str("ClientId")?;
    let (_, client) = auth::client_and_pool(ctx, client_id)?;
    if let Some(secret) = &client.secret {
        let given = input.opt_str("ClientSecret")?.unwrap_or_default();
        if !bool::from(given.as_bytes().ct_eq(secret.as_bytes())) {
            return Err(ApiError::new(
                "UnauthorizedException",
                format!("Invalid client secret for client {client_id}"),
            ));
        }
    }
    let Some(grant) = ctx.inner.db.grants.get(token) else {
        return Err(ApiError::new("UnsupportedTokenTypeException", "The token provided is not a refresh token"));
    };
    if grant.client_id != client_id {
        return Err(ApiError::new("UnauthorizedException", "Token was not issued to this client"));
    }
    tokens::revoke_grant(ctx, token);
    Ok(json!({}))
}
