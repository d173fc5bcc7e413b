//! CreateUserPoolClient{UserPoolId, ClientName, GenerateSecret?, ExplicitAuthFlows?}.

use super::describe_user_pool_client::client_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::AppClient;
use crate::seed;
use crate::state::Ctx;
use serde_json::{Value, json};

const FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
];

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let name = input.req_str("ClientName")?;
    let flows = input.str_list("ExplicitAuthFlows")?;
    if let Some(bad) = flows.iter().find(|f| !FLOWS.contains(&f.as_str())) {
        return Err(ApiError::invalid_parameter(format!("Invalid explicit auth flow {bad}")));
    }
    let prevent = match input.opt_str("PreventUserExistenceErrors")? {
        None | Some("LEGACY") => Some(false),
        Some("ENABLED") => Some(true),
        Some(other) => return Err(ApiError::invalid_parameter(format!("Invalid PreventUserExistenceErrors {other}"))),
    };
    ctx.pool(pool_id)?;
    let id = seed::new_client_id(ctx);
    let secret =
        if input.opt_bool("GenerateSecret")?.unwrap_or(false) { Some(seed::new_client_secret(ctx)) } else { None };
    let client = AppClient {
        id,
        name: name.to_owned(),
        key: None,
        secret,
        explicit_auth_flows: flows,
        prevent_user_existence_errors: prevent,
        created: ctx.now,
    };
    let out = client_type(pool_id, &client, false);
    ctx.pool_mut(pool_id)?.clients.push(client);
    Ok(json!({ "UserPoolClient": out }))
}
