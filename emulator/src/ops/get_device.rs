//! GetDevice{DeviceKey, AccessToken} and AdminGetDevice{UserPoolId, Username, DeviceKey} → Device.

use crate::auth;
use crate::devices;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    // The required member first, as for every operation; then who is asking.
    devices::device_key(input)?;
    let c = tokens::verify_access(ctx, access_token(input)?)?;
    get(ctx, &c.pool_id, &c.username, input)
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    get(ctx, pool_id, &username, input)
}

/// The model leaves AccessToken optional on GetDevice and ForgetDevice, but the API reference says both are
/// authorized with the user's access token only (no IAM): without one there is nobody to act for.
pub fn access_token(input: &Input) -> Result<&str, ApiError> {
    input.opt_str("AccessToken")?.ok_or_else(|| ApiError::not_authorized("Access Token is required."))
}

fn get(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, input: &Input) -> Result<Value, ApiError> {
    let key = devices::device_key(input)?;
    let pool = ctx.pool(pool_id)?;
    let user = pool.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let device = devices::confirmed(user, key).ok_or_else(devices::not_found)?;
    Ok(json!({ "Device": devices::device_type(pool, user, device) }))
}
