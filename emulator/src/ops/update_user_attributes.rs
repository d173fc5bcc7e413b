//! UpdateUserAttributes{AccessToken, UserAttributes} → CodeDeliveryDetailsList, and
//! AdminUpdateUserAttributes{UserPoolId, Username, UserAttributes} (which may also set the
//! `*_verified` flags). A changed email or phone number is no longer verified.

use crate::attributes::{self, Writer};
use crate::auth;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let updates = required_attributes(input)?;
    let sent = attributes::update(ctx, &c.pool_id, &c.username, &updates, Writer::User)?;
    Ok(json!({ "CodeDeliveryDetailsList": sent }))
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let given = input.req_str("Username")?;
    let updates = required_attributes(input)?;
    let username = auth::admin_user(ctx, pool_id, given)?;
    attributes::update(ctx, pool_id, &username, &updates, Writer::Admin)?;
    Ok(json!({}))
}

fn required_attributes(input: &Input) -> Result<Vec<(String, String)>, ApiError> {
    if !input.0.contains_key("UserAttributes") {
        return Err(crate::input::missing("userAttributes"));
    }
    input.attributes("UserAttributes")
}
