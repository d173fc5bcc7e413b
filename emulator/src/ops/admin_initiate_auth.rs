//! AdminInitiateAuth{UserPoolId, ClientId, AuthFlow, AuthParameters}: ADMIN_USER_PASSWORD_AUTH,
//! USER_SRP_AUTH, REFRESH_TOKEN_AUTH.

use super::params;
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::Value;

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?;
    let flow = input.req_str("AuthFlow")?;
    let p = params(input, "AuthParameters")?;
    ctx.pool(pool_id)?;
    let (owner, client) = auth::client_and_pool(ctx, client_id)?;
    if owner != pool_id {
        return Err(ApiError::client_not_found(client_id));
    }
    super::initiate_auth::start(ctx, pool_id, &client, flow, &p, true)
}
