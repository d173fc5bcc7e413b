//! ConfirmDevice{AccessToken, DeviceKey, DeviceSecretVerifierConfig{PasswordVerifier, Salt}, DeviceName?} →
//! {UserConfirmationNecessary}. The device is one handed out in NewDeviceMetadata to this user; from now on it can
//! sign in with device SRP. When the pool sets DeviceOnlyRememberedOnUserPrompt it stays not remembered (and the
//! answer says the user must be asked), otherwise it is remembered at once.

use crate::devices;
use crate::error::ApiError;
use crate::input::Input;
use crate::state::Ctx;
use crate::tokens;
use serde_json::{Value, json};

pub fn run(ctx: &mut Ctx<'_>, input: &Input) -> Result<Value, ApiError> {
    let c = tokens::verify_access(ctx, input.req_str("AccessToken")?)?;
    let key = devices::device_key(input)?.to_owned();
    let name = input.opt_str("DeviceName")?.map(str::to_owned);
    if name.as_ref().is_some_and(|n| n.is_empty() || n.chars().count() > 1024) {
        return Err(ApiError::invalid_parameter("DeviceName must be 1-1024 characters"));
    }
    let (salt, verifier) = devices::verifier_config(input)?;
    let prompt =
        ctx.pool(&c.pool_id)?.settings.device_configuration.is_some_and(|d| d.device_only_remembered_on_user_prompt);
    let now = ctx.now;
    let user = ctx.pool_mut(&c.pool_id)?.users.get_mut(&c.username).ok_or_else(ApiError::user_not_found)?;
    let device = user.devices.get_mut(&key).ok_or_else(devices::not_found)?;
    if device.confirmed {
        return Err(ApiError::new("DeviceKeyExistsException", "Device key already exists."));
    }
    device.confirmed = true;
    device.remembered = !prompt;
    device.name = name;
    device.salt = salt;
    device.verifier = verifier;
    device.modified = now;
    device.last_authenticated = Some(now);
    Ok(json!({ "UserConfirmationNecessary": prompt }))
}
