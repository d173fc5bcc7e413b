//! DeleteUserAttributes{AccessToken, UserAttributeNames} and AdminDeleteUserAttributes{UserPoolId,
//! Username, UserAttributeNames}.

use crate::attributes::{self, Writer};
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let names = input.str_list("UserAttributeNames")?;
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    attributes::delete(ctx, &c.pool_id, &c.username, &names, Writer::User)?;
    Ok(json!({}))
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let given = input.req_str("Username")?;
    let names = input.str_list("UserAttributeNames")?;
    let username = auth::admin_user(ctx, pool_id, given)?;
    attributes::delete(ctx, pool_id, &username, &names, Writer::Admin)?;
    Ok(json!({}))
}
