//! CreateUserPoolClient{UserPoolId, ClientName, GenerateSecret?, ExplicitAuthFlows?,
//! PreventUserExistenceErrors?, AccessTokenValidity?, IdTokenValidity?, RefreshTokenValidity?,
//! TokenValidityUnits?, AuthSessionValidity?}.

use super::describe_user_pool_client::client_type;
use crate::error::ApiError;
use crate::input::Input;
use crate::model::{AppClient, TimeUnit, Validity};
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
    check_client_name(name)?;
    let settings = ClientSettings::read(input)?;
    ctx.pool(pool_id)?;
    let id = seed::new_client_id(ctx);
    let secret =
        if input.opt_bool("GenerateSecret")?.unwrap_or(false) { Some(seed::new_client_secret(ctx)) } else { None };
    let mut client = AppClient::new(id, name.to_owned(), ctx.now);
    client.secret = secret;
    settings.apply(&mut client);
    let out = client_type(pool_id, &client, false, ctx.config);
    ctx.pool_mut(pool_id)?.clients.push(client);
    Ok(json!({ "UserPoolClient": out }))
}

pub fn check_client_name(name: &str) -> Result<(), ApiError> {
    if name.is_empty() || name.chars().count() > 128 {
        return Err(ApiError::invalid_parameter("ClientName must be 1-128 characters"));
    }
    Ok(())
}

/// What CreateUserPoolClient and UpdateUserPoolClient share. Absent members take AWS's defaults (the
/// default flows, LEGACY, the default lifetimes), which is how an update resets what it is not given.
pub struct ClientSettings {
    flows: Vec<String>,
    prevent_user_existence_errors: bool,
    access: Option<Validity>,
    id: Option<Validity>,
    refresh: Option<Validity>,
    auth_session: Option<i64>,
}

impl ClientSettings {
    pub fn read(input: &Input) -> Result<Self, ApiError> {
        let flows = input.str_list("ExplicitAuthFlows")?;
        if let Some(bad) = flows.iter().find(|f| !FLOWS.contains(&f.as_str())) {
            return Err(ApiError::invalid_parameter(format!("Invalid explicit auth flow {bad}")));
        }
        let prevent_user_existence_errors = match input.opt_str("PreventUserExistenceErrors")? {
            None | Some("LEGACY") => false,
            Some("ENABLED") => true,
            Some(other) => {
                return Err(ApiError::invalid_parameter(format!("Invalid PreventUserExistenceErrors {other}")));
            }
        };
        let units = input.opt_obj("TokenValidityUnits")?;
        let unit = |member: &str, default: TimeUnit| -> Result<TimeUnit, ApiError> {
            match units.as_ref().map(|u| u.opt_str(member)).transpose()?.flatten() {
                None => Ok(default),
                Some(u) => {
                    TimeUnit::parse(u).ok_or_else(|| ApiError::invalid_parameter(format!("Invalid time unit {u}")))
                }
            }
        };
        // Access and id tokens: 5 minutes to a day; refresh tokens: an hour to ten years.
        let validity = |member: &str, unit_member: &str, default: TimeUnit, range: (i64, i64)| {
            let Some(value) = input.opt_i64(member)?.filter(|v| *v != 0) else { return Ok(None) };
            let v = Validity { value, unit: unit(unit_member, default)? };
            if !(range.0..=range.1).contains(&v.seconds()) {
                return Err(ApiError::invalid_parameter(format!("Invalid range for token validity: {member}")));
            }
            Ok(Some(v))
        };
        let short = (300, 86_400);
        let access = validity("AccessTokenValidity", "AccessToken", TimeUnit::Hours, short)?;
        let id = validity("IdTokenValidity", "IdToken", TimeUnit::Hours, short)?;
        let refresh = validity("RefreshTokenValidity", "RefreshToken", TimeUnit::Days, (3600, 3650 * 86_400))?;
        let auth_session = input.opt_i64("AuthSessionValidity")?;
        if auth_session.is_some_and(|m| !(3..=15).contains(&m)) {
            return Err(ApiError::invalid_parameter("AuthSessionValidity must be between 3 and 15 minutes"));
        }
        Ok(Self { flows, prevent_user_existence_errors, access, id, refresh, auth_session })
    }

    pub fn apply(self, client: &mut AppClient) {
        client.explicit_auth_flows = self.flows;
        client.prevent_user_existence_errors = Some(self.prevent_user_existence_errors);
        client.access_token_validity = self.access;
        client.id_token_validity = self.id;
        client.refresh_token_validity = self.refresh;
        client.auth_session_validity = self.auth_session;
    }
}
