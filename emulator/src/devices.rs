//! Remembered devices: the keys handed out in NewDeviceMetadata, their confirmation, DeviceType as the device
//! operations show it, and the device half of sign-in (DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER).
//!
//! Device SRP is Cognito's password SRP with other names: the DeviceGroupKey stands where the pool name does,
//! the DeviceKey where USER_ID_FOR_SRP does, and the device password (which only the client knows) where the
//! user's password does. The verifier v = g^x arrives ready-made in ConfirmDevice, so the server side is the same
//! B = k·v + g^b and S = (A·v^u)^b as for users (`srp.rs`).

use crate::auth::{hex, parse_hex_int};
use crate::error::ApiError;
use crate::input::Input;
use crate::model::{Device, Pool, User};
use crate::srp;
use crate::state::{Ctx, Expect};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

/// ResourceNotFoundException "Device does not exist.": the words Amplify looks for (it then forgets its device and
/// signs in again) and identity-js looks for (any ResourceNotFoundException naming a device).
pub fn not_found() -> ApiError {
    ApiError::new("ResourceNotFoundException", "Device does not exist.")
}

/// Whether the pool tracks devices at all.
pub fn tracking(pool: &Pool) -> bool {
    pool.settings.device_configuration.is_some()
}

/// A device the user confirmed (ConfirmDevice); the only kind the device operations and sign-in know.
pub fn confirmed<'a>(user: &'a User, key: &str) -> Option<&'a Device> {
    user.devices.get(key).filter(|d| d.confirmed)
}

/// Whether a sign-in from this device skips the MFA code: the device is remembered and the pool lets remembered
/// devices stand in for MFA (ChallengeRequiredOnNewDevice, in the API reference's words).
pub fn replaces_mfa(pool: &Pool, user: &User, key: Option<&str>) -> bool {
    let suppress = pool.settings.device_configuration.is_some_and(|d| d.challenge_required_on_new_device);
    suppress && key.and_then(|k| confirmed(user, k)).is_some_and(|d| d.remembered)
}

/// Draws a new (unconfirmed) device for the user and returns its NewDeviceMetadata. The DeviceGroupKey is drawn
/// once per user and shared by all the user's devices.
pub fn new_device_metadata(ctx: &mut Ctx<'_>, pool_id: &str, username: &str) -> Result<Value, ApiError> {
    let region = ctx.pool(pool_id)?.region().to_owned();
    let key = format!("{region}_{}", ctx.uuid());
    let fresh_group = format!("-{}", alnum(ctx, 9));
    let now = ctx.now;
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    let group = user.device_group_key.get_or_insert(fresh_group).clone();
    // Handed-out keys nobody confirmed would pile up with every sign-in from a fresh browser: keep the last few.
    let stale: Vec<String> = user.devices.values().filter(|d| !d.confirmed).map(|d| d.key.clone()).collect();
    if stale.len() >= MAX_UNCONFIRMED {
        let mut by_age: Vec<(i64, String)> =
            stale.into_iter().filter_map(|k| user.devices.get(&k).map(|d| (d.created, k))).collect();
        by_age.sort();
        for (_, k) in by_age.iter().take(by_age.len() + 1 - MAX_UNCONFIRMED) {
            user.devices.remove(k);
        }
    }
    let device = Device {
        key: key.clone(),
        confirmed: false,
        remembered: false,
        name: None,
        salt: String::new(),
        verifier: String::new(),
        created: now,
        modified: now,
        last_authenticated: None,
    };
    user.devices.insert(key.clone(), device);
    Ok(json!({ "DeviceKey": key, "DeviceGroupKey": group }))
}

/// Unconfirmed device keys kept per user.
const MAX_UNCONFIRMED: usize = 20;

fn alnum(ctx: &mut Ctx<'_>, n: usize) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    ctx.random_bytes(n).iter().map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()])).collect()
}

/// DeviceType. The attribute names are those of the API reference's AdminListDevices example (`device_status`,
/// `device_name`, `dev:device_arn`, `dev:device_owner`, `dev:device_remembered_status`); `last_ip_used` and
/// `dev:device_sdk` are left out (the emulator does not track them).
pub fn device_type(pool: &Pool, user: &User, d: &Device) -> Value {
    let owner = format!("{}.{}", user.username, pool.id);
    let mut attrs = vec![json!({"Name": "device_status", "Value": "valid"})];
    if let Some(name) = &d.name {
        attrs.push(json!({"Name": "device_name", "Value": name}));
    }
    attrs.push(json!({"Name": "dev:device_arn", "Value": format!(
        "arn:aws:cognito-idp:{}:000000000000:owner/{owner}/device/{}", pool.region(), d.key
    )}));
    attrs.push(json!({"Name": "dev:device_owner", "Value": owner}));
    let status = if d.remembered { "remembered" } else { "not_remembered" };
    attrs.push(json!({"Name": "dev:device_remembered_status", "Value": status}));
    let mut out = json!({
        "DeviceKey": d.key,
        "DeviceAttributes": attrs,
        "DeviceCreateDate": d.created,
        "DeviceLastModifiedDate": d.modified,
    });
    if let Some(t) = d.last_authenticated {
        out["DeviceLastAuthenticatedDate"] = json!(t);
    }
    out
}

/// DeviceKey as the model constrains it (`[\w-]+_[0-9a-f-]+`, 1–55 characters); anything else cannot name a device.
pub fn device_key(input: &Input) -> Result<&str, ApiError> {
    let key = input.req_str("DeviceKey")?;
    let shaped = key.len() <= 55
        && key.split_once('_').is_some_and(|(region, id)| {
            !region.is_empty()
                && region.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && !id.is_empty()
                && id.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase() || c == '-')
        });
    if shaped {
        Ok(key)
    } else {
        Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+",
        ))
    }
}

/// DeviceRememberedStatus → remembered?
pub fn remembered_status(input: &Input) -> Result<bool, ApiError> {
    match input.opt_str("DeviceRememberedStatus")? {
        Some("remembered") => Ok(true),
        Some("not_remembered") => Ok(false),
        None => Err(ApiError::invalid_parameter("DeviceRememberedStatus is required")),
        Some(other) => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]"
        ))),
    }
}

/// The user's confirmed device, mutably.
pub fn confirmed_mut<'a>(
    ctx: &'a mut Ctx<'_>,
    pool_id: &str,
    username: &str,
    key: &str,
) -> Result<&'a mut Device, ApiError> {
    let user = ctx.pool_mut(pool_id)?.users.get_mut(username).ok_or_else(ApiError::user_not_found)?;
    user.devices.get_mut(key).filter(|d| d.confirmed).ok_or_else(not_found)
}

/// DEVICE_SRP_AUTH answered with {USERNAME, DEVICE_KEY, SRP_A}: the DEVICE_PASSWORD_VERIFIER challenge, with B
/// from the device's verifier.
pub fn start_device_srp(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    r: &Input,
) -> Result<Value, ApiError> {
    let key = need_device_key(ctx, r)?;
    let srp_a = r.opt_str("SRP_A")?.ok_or_else(|| ApiError::invalid_parameter("Missing required parameter SRP_A"))?;
    let a = crate::auth::client_public(srp_a)?;
    let user = ctx.pool(pool_id)?.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let device = confirmed(user, &key).ok_or_else(not_found)?;
    let v = parse_hex_int(&device.verifier).ok_or_else(|| ApiError::internal("corrupt device verifier"))?;
    let salt = device.salt.clone();
    let b = ctx.random_bytes(256);
    let big_b = srp::server_public(&v, &b);
    let secret_block = ctx.random_bytes(724);
    let params = json!({
        "SRP_B": hex(&big_b),
        "SALT": salt,
        "SECRET_BLOCK": STANDARD.encode(&secret_block),
        "USERNAME": username,
        "DEVICE_KEY": key,
    });
    let session =
        ctx.new_session(pool_id, client_id, username, Expect::DevicePasswordVerifier { a, b, big_b, secret_block });
    Ok(json!({ "ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ChallengeParameters": params, "Session": session }))
}

/// DEVICE_PASSWORD_VERIFIER: checks the device's claim. `Ok(())` = proven (the caller issues tokens).
pub fn verify_device_claim(
    ctx: &mut Ctx<'_>,
    pool_id: &str,
    username: &str,
    expect: &Expect,
    r: &Input,
) -> Result<(), ApiError> {
    let Expect::DevicePasswordVerifier { a, b, big_b, secret_block } = expect else {
        return Err(ApiError::invalid_session());
    };
    let key = need_device_key(ctx, r)?;
    let need = |name: &str| {
        r.opt_str(name)?.ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
    };
    let block = need("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let timestamp = need("TIMESTAMP")?;
    let signature = need("PASSWORD_CLAIM_SIGNATURE")?;
    let user = ctx.pool(pool_id)?.users.get(username).ok_or_else(ApiError::user_not_found)?;
    let group = user.device_group_key.clone().ok_or_else(not_found)?;
    let device = confirmed(user, &key).ok_or_else(not_found)?;
    let v = parse_hex_int(&device.verifier).ok_or_else(|| ApiError::internal("corrupt device verifier"))?;
    let block_ok = STANDARD.decode(block).is_ok_and(|bytes| bool::from(bytes.ct_eq(secret_block)));
    let time_ok = srp::parse_timestamp(timestamp).is_some();
    let sig = STANDARD.decode(signature).unwrap_or_default();
    let claim =
        srp::Claim { realm: &group, username: &key, a, b, big_b, v: &v, secret_block, timestamp, signature: &sig };
    if !(block_ok && time_ok && srp::verify_claim(&claim).is_ok()) {
        return Err(ApiError::bad_credentials());
    }
    let now = ctx.now;
    confirmed_mut(ctx, pool_id, username, &key)?.last_authenticated = Some(now);
    Ok(())
}

/// DEVICE_KEY of a device challenge answer: required, and the device this sign-in named.
fn need_device_key(ctx: &Ctx<'_>, r: &Input) -> Result<String, ApiError> {
    let key =
        r.opt_str("DEVICE_KEY")?.ok_or_else(|| ApiError::invalid_parameter("Missing required parameter DEVICE_KEY"))?;
    if ctx.flow.device_key.as_deref() != Some(key) {
        return Err(ApiError::invalid_session());
    }
    Ok(key.to_owned())
}

/// ConfirmDevice's DeviceSecretVerifierConfig{PasswordVerifier, Salt}: both base64 of big-endian bytes (the SDKs
/// send the bytes of padHex, so a leading 0x00 may be there). Returns (salt hex, verifier hex).
pub fn verifier_config(input: &Input) -> Result<(String, String), ApiError> {
    let config = input
        .opt_obj("DeviceSecretVerifierConfig")?
        .ok_or_else(|| ApiError::invalid_parameter("DeviceSecretVerifierConfig is required to confirm a device"))?;
    let bytes = |name: &str| -> Result<Vec<u8>, ApiError> {
        let text = config.opt_str(name)?.ok_or_else(|| crate::input::missing(name))?;
        let bytes = STANDARD
            .decode(text)
            .map_err(|_| ApiError::invalid_parameter(format!("{name} of DeviceSecretVerifierConfig is not base64")))?;
        if bytes.iter().all(|&b| b == 0) || bytes.len() > 1024 {
            return Err(ApiError::invalid_parameter(format!("{name} of DeviceSecretVerifierConfig is not valid")));
        }
        Ok(bytes)
    };
    let salt = bytes("Salt")?;
    let verifier = bytes("PasswordVerifier")?;
    // v must be a group element: 0 < v < N. (v ≡ 0 would make B = g^b and S = 0 for anyone.)
    if srp::check_a(&verifier).is_err() || parse_hex_int(&hex(&verifier)).is_none_or(|v| !below_modulus(&v)) {
        return Err(ApiError::invalid_parameter("PasswordVerifier of DeviceSecretVerifierConfig is not valid"));
    }
    Ok((salt.iter().map(|b| format!("{b:02x}")).collect(), hex(&verifier)))
}

/// Big-endian integer without leading zeros < N.
fn below_modulus(v: &[u8]) -> bool {
    let n = srp::modulus();
    v.len() < n.len() || (v.len() == n.len() && v < n.as_slice())
}
