//! UpdateDeviceStatus{AccessToken, DeviceKey, DeviceRememberedStatus} and AdminUpdateDeviceStatus{UserPoolId,
//! Username, DeviceKey, DeviceRememberedStatus}: remembered or not_remembered (a not remembered device still signs
//! in with device SRP, but no longer stands in for MFA).

use crate::auth;
use crate::devices;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    set(ctx, &c.pool_id, &c.username, input)
}

pub fn admin(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let pool_id = input.req_str("UserPoolId")?;
    let username = auth::admin_user(ctx, pool_id, input.req_str("Username")?)?;
    set(ctx, pool_id, &username, input)
}

fn set(ctx: &mut Ctx<'_>, pool_id: &str, username: &str, input: &Input) -> Result<Value, ApiError> {
    let key = devices::device_key(input)?;
    let remembered = devices::remembered_status(input)?;
    let now = ctx.now;
    let device = devices::confirmed_mut(ctx, pool_id, username, key)?;
    device.remembered = remembered;
    device.modified = now;
    Ok(json!({}))
}
