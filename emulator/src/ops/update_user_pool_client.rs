//! UpdateUserPoolClient{UserPoolId, ClientId, ClientName?, ExplicitAuthFlows?, PreventUserExistenceErrors?,
//! AccessTokenValidity?, IdTokenValidity?, RefreshTokenValidity?, TokenValidityUnits?, AuthSessionValidity?}
//! → UserPoolClient. As on AWS, a setting left out goes back to its default; the name stays if not given.
//! New lifetimes apply to tokens issued from then on.

use super::create_user_pool_client::{ClientSettings, check_client_name};
use super::describe_user_pool_client::client_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let client_id = input.req_str("ClientId")?;
    let name = input.opt_str("ClientName")?;
    if let Some(n) = name {
        check_client_name(n)?;
    }
    let settings = ClientSettings::read(input)?;
    let (now, config) = (ctx.now, ctx.config);
    let pool = ctx.pool_mut(pool_id)?;
    let pool_default = pool.prevent_user_existence_errors;
    let client =
        pool.clients.iter_mut().find(|c| c.id == client_id).ok_or_else(|| ApiError::client_not_found(client_id))?;
    settings.apply(client);
    if let Some(n) = name {
        n.clone_into(&mut client.name);
    }
    client.modified = now;
    let out = client_type(pool_id, client, pool_default, config);
    Ok(json!({ "UserPoolClient": out }))
}
