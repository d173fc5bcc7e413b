//! Seed files (the format in DEVELOPERS.md): pools, app clients and users to create at start.

use crate::auth::password_record;
use crate::model::{AppClient, DeviceConfiguration, MfaFlags, MfaMode, Pool, User, UserStatus};
use crate::state::Ctx;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedFile {
    #[serde(default, rename = "$comment")]
    pub comment: Option<serde_json::Value>,
    pub pools: Vec<SeedPool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPool {
    pub key: String,
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default = "off")]
    pub mfa: String,
    #[serde(default)]
    pub software_token_mfa: bool,
    #[serde(default)]
    pub sms_mfa: bool,
    #[serde(default)]
    pub email_mfa: bool,
    #[serde(default)]
    pub username_attributes: Vec<String>,
    #[serde(default)]
    pub prevent_user_existence_errors: bool,
    /// Device tracking (DeviceConfiguration); absent = off.
    #[serde(default)]
    pub device_configuration: Option<SeedDeviceConfiguration>,
    #[serde(default)]
    pub clients: Vec<SeedClient>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedDeviceConfiguration {
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

fn off() -> String {
    "OFF".into()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedClient {
    pub key: String,
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub explicit_auth_flows: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default = "confirmed")]
    pub status: String,
    #[serde(default)]
    pub temporary_password: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub totp_secret: Option<String>,
    #[serde(default)]
    pub mfa: SeedMfa,
    #[serde(default, rename = "$comment")]
    pub comment: Option<serde_json::Value>,
    /// Shown next to the user on the demo page (`cargo xtask demo`); the emulator ignores it.
    #[serde(default)]
    pub note: Option<String>,
}

fn confirmed() -> String {
    "CONFIRMED".into()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SeedMfa {
    #[serde(default)]
    pub totp: Option<String>,
    #[serde(default)]
    pub sms: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

fn flags(s: Option<&str>) -> Result<MfaFlags, String> {
    match s {
        None | Some("disabled") => Ok(MfaFlags::default()),
        Some("enabled") => Ok(MfaFlags { enabled: true, preferred: false }),
        Some("preferred") => Ok(MfaFlags { enabled: true, preferred: true }),
        Some(other) => Err(format!("unknown MFA setting {other:?} (disabled | enabled | preferred)")),
    }
}

pub fn parse(text: &str) -> Result<SeedFile, String> {
    serde_json::from_str(text).map_err(|e| format!("seed file: {e}"))
}

/// A fresh pool id: `{region}_` + 9 alphanumerics, like Cognito's.
pub fn new_pool_id(ctx: &mut Ctx<'_>, region: &str) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bytes = ctx.random_bytes(9);
    let tail: String = bytes.iter().map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()])).collect();
    format!("{region}_{tail}")
}

/// A fresh client id: 26 lowercase alphanumerics.
pub fn new_client_id(ctx: &mut Ctx<'_>) -> String {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    ctx.random_bytes(26).iter().map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()])).collect()
}

/// A fresh client secret: 51 lowercase alphanumerics.
pub fn new_client_secret(ctx: &mut Ctx<'_>) -> String {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    ctx.random_bytes(51).iter().map(|b| char::from(ALNUM[usize::from(*b) % ALNUM.len()])).collect()
}

/// Adds the seed's pools to the database.
pub fn apply(ctx: &mut Ctx<'_>, seed: &SeedFile) -> Result<(), String> {
    for sp in &seed.pools {
        let mfa = MfaMode::parse(&sp.mfa).ok_or_else(|| format!("pool {}: mfa must be OFF, OPTIONAL or ON", sp.key))?;
        let id = match &sp.id {
            Some(id) => id.clone(),
            None => new_pool_id(ctx, "us-east-1"),
        };
        if !id.contains('_') {
            return Err(format!("pool {}: id {id} must look like region_Name", sp.key));
        }
        let mut clients = Vec::new();
        for sc in &sp.clients {
            let cid = match &sc.id {
                Some(c) => c.clone(),
                None => new_client_id(ctx),
            };
            let mut client = AppClient::new(cid, sc.name.clone(), ctx.now);
            client.key = Some(sc.key.clone());
            client.secret = sc.secret.clone();
            client.explicit_auth_flows = sc.explicit_auth_flows.clone();
            clients.push(client);
        }
        let mut pool = Pool::new(id.clone(), sp.name.clone(), ctx.now);
        pool.key = Some(sp.key.clone());
        pool.mfa = mfa;
        pool.software_token_mfa = sp.software_token_mfa;
        pool.sms_mfa = sp.sms_mfa;
        pool.email_mfa = sp.email_mfa;
        pool.username_attributes = sp.username_attributes.clone();
        pool.prevent_user_existence_errors = sp.prevent_user_existence_errors;
        pool.settings.device_configuration = sp.device_configuration.as_ref().map(|d| DeviceConfiguration {
            challenge_required_on_new_device: d.challenge_required_on_new_device,
            device_only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt,
        });
        pool.clients = clients;
        for su in &sp.users {
            let status = match su.status.as_str() {
                "CONFIRMED" => UserStatus::Confirmed,
                "FORCE_CHANGE_PASSWORD" => UserStatus::ForceChangePassword,
                "UNCONFIRMED" => UserStatus::Unconfirmed,
                other => return Err(format!("user {}: unknown status {other}", su.username)),
            };
            let password = match status {
                UserStatus::ForceChangePassword => su.temporary_password.as_deref().or(su.password.as_deref()),
                _ => su.password.as_deref(),
            }
            .ok_or_else(|| format!("user {}: needs a password (or temporaryPassword)", su.username))?;
            let (salt, verifier) = password_record(ctx, &id, &su.username, password);
            if let Some(secret) = &su.totp_secret
                && crate::totp::base32_decode(secret).is_none_or(|k| k.is_empty())
            {
                return Err(format!("user {}: totpSecret is not base32", su.username));
            }
            let sub = ctx.uuid();
            let mut user = User::new(su.username.clone(), sub, status, salt, verifier, ctx.now);
            user.attributes = su.attributes.clone();
            user.totp_secret = su.totp_secret.clone();
            user.totp_device_name = su.totp_secret.as_ref().map(|_| "TOTP device".to_owned());
            user.totp = flags(su.mfa.totp.as_deref())?;
            user.sms = flags(su.mfa.sms.as_deref())?;
            user.email = flags(su.mfa.email.as_deref())?;
            pool.users.insert(user.username.clone(), user);
        }
        ctx.inner.db.pools.insert(id, pool);
    }
    Ok(())
}

/// Builds a database from a seed (used by main and by tests).
pub fn build(state: &crate::AppState, seed: &SeedFile) -> Result<(), String> {
    let now = state.now();
    let mut inner = state.lock();
    let mut ctx = Ctx { inner: &mut inner, now, config: &state.config, region: None, flow: Default::default() };
    apply(&mut ctx, seed)
}
