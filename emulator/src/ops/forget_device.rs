//! ForgetDevice{DeviceKey, AccessToken} and AdminForgetDevice{UserPoolId, Username, DeviceKey}: the device is
//! deleted; a later sign-in naming it gets ResourceNotFoundException "Device does not exist.".

use super::get_device::access_token;
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
    forget(ctx, &c.pool_id, &c.username, input)
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    forget(ctx, pool_id, &username, input)
}

fn forget(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, input: &Input) -> Result<Value, ApiError> {
    let key = devices::device_key(input)?;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    match user.devices.get(key) {
        Some(d) if d.confirmed => {
            user.devices.remove(key);
            Ok(json!({}))
        }
        _ => Err(devices::not_found()),
    }
}
