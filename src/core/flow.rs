//! The sign-in and enrollment state machine over a [`Transport`], a [`Clock`] and a [`Random`].
//!
//! Every public method of [`Client`] is one method of the JS `CognitoTotp` class. A call that continues a
//! sign-in returns a [`Step`]; a step that needs an answer holds a [`Challenge`] (Cognito's challenge name, the
//! Session, the username Cognito wants back), which serialises to nothing: the app sees the step's public fields,
//! never its Session.
//!
//! | # | request (`X-Amz-Target`) | sends | Cognito answers | step |
//! |---|---|---|---|---|
//! | 1 | `InitiateAuth` `USER_SRP_AUTH` | `USERNAME`, `SRP_A` = g^a (`SECRET_HASH`) | `PASSWORD_VERIFIER`: `SALT`, `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`, Session | |
//! | 2 | `RespondToAuthChallenge` `PASSWORD_VERIFIER` | `USERNAME` = `USER_ID_FOR_SRP`, `PASSWORD_CLAIM_SECRET_BLOCK`, `TIMESTAMP`, `PASSWORD_CLAIM_SIGNATURE` | tokens, or a challenge below | `done` |
//! | | `SOFTWARE_TOKEN_MFA` | `SOFTWARE_TOKEN_MFA_CODE` | tokens | `totpCode` |
//! | | `MFA_SETUP` | `AssociateSoftwareToken{Session}` → secret; `VerifySoftwareToken{Session, UserCode}` → Session; `RespondToAuthChallenge MFA_SETUP` | tokens | `mfaSetup` |
//! | | `NEW_PASSWORD_REQUIRED` | `NEW_PASSWORD`, `userAttributes.*` | tokens or another challenge | `newPassword` |
//! | | `SELECT_MFA_TYPE` | `ANSWER` = `SOFTWARE_TOKEN_MFA` / `SMS_MFA` / `EMAIL_OTP` | the chosen code challenge | `selectMfa` |
//! | | `SMS_MFA` / `SMS_OTP` / `EMAIL_OTP` | `SMS_MFA_CODE` / `SMS_OTP_CODE` / `EMAIL_OTP_CODE` | tokens | `smsCode` / `emailCode` |

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;
use core::fmt;

use serde::Serialize;
use zeroize::Zeroizing;

use super::error::Error;
use super::input::{self, ConfigInput, PreferenceInput};
use super::secret::{Password, SecretString, secret_hash};
use super::srp::{self, SrpClient, SrpError};
use super::timestamp::cognito_timestamp;
use super::transport::{Clock, Random, Transport, call};
use super::wire::{
    Answer, AuthenticationResult, ChallengeParameters, DeviceType, Loose, Members, MfaSettings, NewDeviceMetadata,
    Params, Request, VerifierConfig,
};

// ---- configuration ---------------------------------------------------------------------------------------

/// How to reach one app client of one user pool, checked.
#[derive(Clone)]
pub struct Config {
    /// The pool id after `_`, as SRP hashes it.
    pool_name: String,
    client_id: String,
    endpoint: String,
    client_secret: Option<SecretString>,
    timeout_ms: Option<u32>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("pool_name", &self.pool_name)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.endpoint)
            .field("client_secret", &self.client_secret)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

impl Config {
    /// Checks what `new CognitoTotp(config)` got, in the order the JS API documents its errors.
    pub fn from_input(input: &ConfigInput) -> Result<Config, Error> {
        let need = |value: &Loose, key: &str| {
            input::opt_string(value, key)?.ok_or_else(|| Error::invalid(format!("config.{key} is required")))
        };
        let pool_id = need(&input.user_pool_id, "userPoolId")?;
        let client_id = need(&input.client_id, "clientId")?;
        let endpoint = input::opt_string(&input.endpoint, "endpoint")?;
        let client_secret = input::opt_string(&input.client_secret, "clientSecret")?;
        let timeout_ms = input::opt_uint(&input.timeout_ms, "timeoutMs")?;
        let (region, pool_name) = validate_pool_id(&pool_id)?;
        input::required(Some(&client_id), "clientId")?;
        let endpoint = match endpoint {
            Some(e) => {
                validate_endpoint(&e)?;
                e
            }
            None => format!("https://cognito-idp.{region}.amazonaws.com/"),
        };
        if let Some(secret) = &client_secret {
            input::required(Some(secret), "clientSecret")?;
        }
        if timeout_ms == Some(0) {
            return Err(Error::invalid("timeoutMs must be positive"));
        }
        Ok(Config {
            pool_name: pool_name.into(),
            client_id,
            endpoint,
            client_secret: client_secret.map(SecretString::new),
            timeout_ms,
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

/// `^[a-z]{2}-[a-z]+-[0-9]_[A-Za-z0-9]+$`; returns the region and the pool name.
pub fn validate_pool_id(pool_id: &str) -> Result<(&str, &str), Error> {
    let bad = || Error::invalid("userPoolId must look like us-east-1_AbC123");
    let (region, name) = pool_id.split_once('_').ok_or_else(bad)?;
    let mut parts = region.split('-');
    let (Some(geo), Some(area), Some(number), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let ok = geo.len() == 2
        && lower(geo)
        && lower(area)
        && number.len() == 1
        && number.bytes().all(|b| b.is_ascii_digit())
        && srp::pool_name(pool_id).is_ok();
    if ok { Ok((region, name)) } else { Err(bad()) }
}

/// https anywhere; plain http only to the loopback interface (a local emulator), since tokens and the SRP
/// exchange must not cross a network in clear text.
pub fn validate_endpoint(endpoint: &str) -> Result<(), Error> {
    let bad = || Error::invalid("endpoint must be an https:// URL, or http:// to 127.0.0.1, localhost or [::1]");
    let authority = |rest: &str| rest.split(['/', '?', '#']).next().unwrap_or_default().to_string();
    if let Some(rest) = endpoint.strip_prefix("https://") {
        let authority = authority(rest);
        return if authority.is_empty() || authority.contains(char::is_whitespace) { Err(bad()) } else { Ok(()) };
    }
    let authority = authority(endpoint.strip_prefix("http://").ok_or_else(bad)?);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(h, _)| h).ok_or_else(bad)?,
        None => authority.split(':').next().unwrap_or_default(),
    };
    if authority.contains('@') || !matches!(host, "127.0.0.1" | "localhost" | "::1") {
        return Err(bad());
    }
    Ok(())
}

/// A one-time code: whitespace dropped (users type `123 456`), then exactly six ASCII digits.
pub fn normalize_code(code: &str) -> Result<String, Error> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Error::invalid("the code must be exactly 6 digits"))
    }
}

// ---- what the calls return -------------------------------------------------------------------------------

/// The tokens of a finished sign-in or refresh. They belong to the app: the library never stores them.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    /// Absent after a refresh unless the pool rotates refresh tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub expires_in: u64,
    pub token_type: String,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// A second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaKind {
    Totp,
    Sms,
    Email,
}

impl MfaKind {
    /// `"TOTP"`, `"SMS"`, `"EMAIL"` as the JS API names them.
    pub fn parse(name: &str) -> Option<MfaKind> {
        match name {
            "TOTP" => Some(MfaKind::Totp),
            "SMS" => Some(MfaKind::Sms),
            "EMAIL" => Some(MfaKind::Email),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MfaKind::Totp => "TOTP",
            MfaKind::Sms => "SMS",
            MfaKind::Email => "EMAIL",
        }
    }

    /// Cognito's name, as in `ANSWER`.
    pub fn cognito_name(self) -> &'static str {
        match self {
            MfaKind::Totp => "SOFTWARE_TOKEN_MFA",
            MfaKind::Sms => "SMS_MFA",
            MfaKind::Email => "EMAIL_OTP",
        }
    }

    /// From Cognito's names in `MFAS_CAN_CHOOSE`, `MFAS_CAN_SETUP` and `UserMFASettingList`.
    pub fn from_cognito(name: &str) -> Option<MfaKind> {
        match name {
            "SOFTWARE_TOKEN_MFA" => Some(MfaKind::Totp),
            "SMS_MFA" | "SMS_OTP" => Some(MfaKind::Sms),
            "EMAIL_OTP" => Some(MfaKind::Email),
            _ => None,
        }
    }
}

/// Cognito's factor name as the JS API shows it: `TOTP`, `SMS`, `EMAIL`, or as it came when unknown.
fn factor_name(name: &str) -> String {
    match MfaKind::from_cognito(name) {
        Some(kind) => kind.as_str().into(),
        None => name.into(),
    }
}

/// One challenge waiting for its answer. Never serialised, never printed.
#[derive(Clone)]
pub struct Challenge {
    name: String,
    session: SecretString,
    username: String,
    /// The device the sign-in goes through: its key goes with every answer, and it proves itself when Cognito asks
    /// (DEVICE_SRP_AUTH).
    device: Option<Device>,
}

impl Challenge {
    /// Cognito's challenge name (`SOFTWARE_TOKEN_MFA`, `MFA_SETUP`, …).
    pub fn name(&self) -> &str {
        &self.name
    }

    fn expect(&self, name: &str) -> Result<(), Error> {
        if self.name == name { Ok(()) } else { Err(Error::invalid(format!("this step is {}, not {name}", self.name))) }
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Where a sign-in stands after a call. Serialises to the JS step object: `type` and the public fields.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum Step {
    /// Signed in. `new_device`: the pool tracks devices and this one is new to it; [`Client::remember_device`]
    /// confirms it.
    Done {
        tokens: Tokens,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_device: Option<NewDevice>,
    },
    /// `SOFTWARE_TOKEN_MFA`: [`Client::confirm_totp`].
    TotpCode {
        #[serde(skip)]
        challenge: Challenge,
        #[serde(skip_serializing_if = "Option::is_none")]
        friendly_device_name: Option<String>,
    },
    /// `MFA_SETUP`: [`Client::associate_totp`], then [`Client::verify_totp`].
    MfaSetup {
        #[serde(skip)]
        challenge: Challenge,
        /// `TOTP` (and other factors Cognito lists, by their JS names).
        can_setup: Vec<String>,
    },
    /// `NEW_PASSWORD_REQUIRED`: [`Client::complete_new_password`].
    NewPassword {
        #[serde(skip)]
        challenge: Challenge,
        /// Attribute names (without `userAttributes.`) the new password must come with.
        required_attributes: Vec<String>,
        /// The user's attributes as Cognito sent them (string members only).
        user_attributes: Members<String>,
    },
    /// `SELECT_MFA_TYPE`: [`Client::select_mfa`].
    SelectMfa {
        #[serde(skip)]
        challenge: Challenge,
        options: Vec<MfaKind>,
    },
    /// `SMS_MFA` / `SMS_OTP`: [`Client::confirm_code`].
    SmsCode {
        #[serde(skip)]
        challenge: Challenge,
        #[serde(skip_serializing_if = "Option::is_none")]
        destination: Option<String>,
    },
    /// `EMAIL_OTP`: [`Client::confirm_code`].
    EmailCode {
        #[serde(skip)]
        challenge: Challenge,
        #[serde(skip_serializing_if = "Option::is_none")]
        destination: Option<String>,
    },
}

impl Step {
    /// The challenge this step answers; `None` once signed in.
    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            Step::Done { .. } => None,
            Step::TotpCode { challenge, .. }
            | Step::MfaSetup { challenge, .. }
            | Step::NewPassword { challenge, .. }
            | Step::SelectMfa { challenge, .. }
            | Step::SmsCode { challenge, .. }
            | Step::EmailCode { challenge, .. } => Some(challenge),
        }
    }

    /// Splits the step into its public part (what the app sees) and its challenge.
    pub fn into_parts(self) -> (Step, Option<Challenge>) {
        let challenge = self.challenge().cloned();
        (self, challenge)
    }
}

/// What a software token is bound to until verified.
#[derive(Clone)]
enum SetupAuth {
    AccessToken(SecretString),
    /// A sign-in's `MFA_SETUP`: the Session AssociateSoftwareToken gave, the username to answer as, and the device
    /// the sign-in goes through.
    Session {
        session: SecretString,
        username: String,
        device: Option<Device>,
    },
}

/// A software token waiting for its first code: the shared secret to show, and how to verify it.
#[derive(Clone)]
pub struct TotpSetup {
    secret: SecretString,
    auth: SetupAuth,
}

impl TotpSetup {
    /// The base32 shared secret (`SecretCode`).
    pub fn secret(&self) -> &str {
        self.secret.as_str()
    }
}

impl fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TotpSetup").finish_non_exhaustive()
    }
}

/// What [`Client::associate_totp`] binds the new token to.
#[derive(Debug, Clone, Copy)]
pub enum AssociateWith<'a> {
    /// A sign-in's `MFA_SETUP`.
    Challenge(&'a Challenge),
    /// A signed-in user's access token.
    AccessToken(&'a str),
}

/// One factor of [`Client::set_mfa_preference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    Preferred,
    Enabled,
    Disabled,
}

impl Preference {
    fn parse(value: &Loose, key: &str) -> Result<Option<Preference>, Error> {
        let Some(value) = input::opt_string(value, key)? else { return Ok(None) };
        match value.as_str() {
            "preferred" => Ok(Some(Preference::Preferred)),
            "enabled" => Ok(Some(Preference::Enabled)),
            "disabled" => Ok(Some(Preference::Disabled)),
            _ => Err(Error::invalid(format!("{key} must be \"preferred\", \"enabled\" or \"disabled\""))),
        }
    }

    fn settings(self) -> MfaSettings {
        MfaSettings { enabled: self != Preference::Disabled, preferred_mfa: self == Preference::Preferred }
    }
}

/// `setMfaPreference`'s input, checked; `None` leaves a factor as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MfaPreference {
    pub totp: Option<Preference>,
    pub sms: Option<Preference>,
    pub email: Option<Preference>,
}

impl MfaPreference {
    pub fn from_input(input: &PreferenceInput) -> Result<MfaPreference, Error> {
        Ok(MfaPreference {
            totp: Preference::parse(&input.totp, "totp")?,
            sms: Preference::parse(&input.sms, "sms")?,
            email: Preference::parse(&input.email, "email")?,
        })
    }
}

/// The signed-in user as `GetUser` describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub username: String,
    pub attributes: Members<String>,
    pub mfa: UserMfa,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserMfa {
    /// `TOTP`, `SMS`, `EMAIL` (unknown Cognito names passed through).
    pub enabled: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred: Option<String>,
}

// ---- devices -----------------------------------------------------------------------------------------------

/// A device Cognito remembers for a user: its key and group key (identifiers) and its password, the secret that
/// proves it (DEVICE_SRP_AUTH). The app keeps it, like a refresh token; the library stores nothing.
#[derive(Clone)]
pub struct Device {
    key: String,
    group_key: String,
    password: Password,
}

impl Device {
    /// A device as the app kept it. Cognito's device keys are `{region}_{uuid}` (at most 55 characters); the
    /// group key and the password must not be empty.
    pub fn new(key: String, group_key: String, password: Password) -> Result<Device, Error> {
        if key.is_empty() || key.len() > 55 || !key.contains('_') {
            return Err(Error::invalid("device.key must be a Cognito device key ({region}_{uuid})"));
        }
        if group_key.is_empty() || group_key.len() > 256 {
            return Err(Error::invalid("device.groupKey must be a non-empty string"));
        }
        if password.as_str().is_empty() {
            return Err(Error::invalid("device.password must be a non-empty string"));
        }
        Ok(Device { key, group_key, password })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn group_key(&self) -> &str {
        &self.group_key
    }

    /// The device's secret, for the app to store (only through an explicit call in the JS API).
    pub fn password(&self) -> &Password {
        &self.password
    }
}

impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device").field("key", &self.key).field("group_key", &self.group_key).finish_non_exhaustive()
    }
}

/// A device Cognito has just met (`NewDeviceMetadata` of a finished sign-in): [`Client::remember_device`] makes it
/// a [`Device`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewDevice {
    pub key: String,
    pub group_key: String,
}

impl NewDevice {
    fn from_metadata(metadata: &NewDeviceMetadata) -> Option<NewDevice> {
        let key = metadata.device_key.string().filter(|k| !k.is_empty())?;
        let group_key = metadata.device_group_key.string().filter(|k| !k.is_empty())?;
        Some(NewDevice { key: key.into(), group_key: group_key.into() })
    }
}

/// `UpdateDeviceStatus`'s `DeviceRememberedStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RememberedStatus {
    Remembered,
    NotRemembered,
}

impl RememberedStatus {
    pub fn parse(value: &str) -> Option<RememberedStatus> {
        match value {
            "remembered" => Some(RememberedStatus::Remembered),
            "not_remembered" => Some(RememberedStatus::NotRemembered),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            RememberedStatus::Remembered => "remembered",
            RememberedStatus::NotRemembered => "not_remembered",
        }
    }
}

/// One of the user's devices as `ListDevices` / `GetDevice` describe it. Dates are milliseconds since the epoch
/// (what `new Date(ms)` takes); Cognito sends seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub key: String,
    /// The `device_name` attribute (ConfirmDevice's DeviceName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// From the `dev:device_remembered_status` attribute; absent when Cognito does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remembered: Option<bool>,
    /// Every attribute as Cognito sent it (`device_name`, `device_status`, `last_ip_used`, ...).
    pub attributes: Members<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_authenticated_at: Option<f64>,
}

impl DeviceInfo {
    fn from_wire(device: DeviceType, call: &str) -> Result<DeviceInfo, Error> {
        let key = device
            .device_key
            .string()
            .filter(|k| !k.is_empty())
            .ok_or_else(|| Error::protocol(format!("{call}: a device has no DeviceKey")))?
            .into();
        let mut attributes = Members::<String>::default();
        for attribute in device.device_attributes.into_iter().flatten().flatten() {
            if let Some(name) = attribute.name.string() {
                attributes.set(name.into(), attribute.value.string().unwrap_or_default().into());
            }
        }
        let name = attributes.get("device_name").cloned();
        let remembered = attributes
            .get("dev:device_remembered_status")
            .and_then(|s| RememberedStatus::parse(s))
            .map(|status| status == RememberedStatus::Remembered);
        let ms = |date: &Loose| date.number().filter(|s| *s >= 0.0).map(|s| (s * 1000.0).round());
        Ok(DeviceInfo {
            key,
            name,
            remembered,
            created_at: ms(&device.device_create_date),
            last_modified_at: ms(&device.device_last_modified_date),
            last_authenticated_at: ms(&device.device_last_authenticated_date),
            attributes,
        })
    }
}

/// A page of `ListDevices`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DevicePage {
    pub devices: Vec<DeviceInfo>,
    /// Pass it back for the next page; absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

// ---- the client ------------------------------------------------------------------------------------------

/// A Cognito user-pool app client over injected I/O.
pub struct Client<T, C, R> {
    config: Config,
    transport: T,
    clock: C,
    random: R,
    /// An SRP key (secret `a`, A = g^a) computed ahead by [`Client::prepare`]; the next sign-in takes it out, so a
    /// key serves one sign-in at most.
    prepared: RefCell<Option<SrpClient>>,
}

impl<T, C, R> fmt::Debug for Client<T, C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.config).finish_non_exhaustive()
    }
}

/// A password that must be there and not be empty (`None`: the app passed something other than a string).
fn required_password<'a>(password: Option<&'a Password>, what: &str) -> Result<&'a Password, Error> {
    input::required(password.map(Password::as_str), what)?;
    password.ok_or_else(|| Error::invalid(format!("{what} must be a string")))
}

fn srp_error(e: SrpError) -> Error {
    Error::protocol(format!("SRP: {}", e.message()))
}

/// Cognito gives lists as JSON text inside a string member; huge or odd names are not worth quoting back.
fn quoted_name(name: &str) -> Cow<'_, str> {
    if name.len() <= 64 { Cow::Borrowed(name) } else { Cow::Borrowed("an unrecognised challenge") }
}

impl<T: Transport, C: Clock, R: Random> Client<T, C, R> {
    pub fn new(config: Config, transport: T, clock: C, random: R) -> Self {
        Client { config, transport, clock, random, prepared: RefCell::new(None) }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Draws a fresh `a` and computes A = g^a now, so the next [`Client::sign_in`] only pays for the rest. Calling
    /// again replaces (and wipes) an unused key.
    pub fn prepare(&self) -> Result<(), Error> {
        let key = self.fresh_key()?;
        *self.prepared.borrow_mut() = Some(key);
        Ok(())
    }

    /// Wipes an unused prepared key now.
    pub fn forget_prepared(&self) {
        self.prepared.borrow_mut().take();
    }

    fn fresh_key(&self) -> Result<SrpClient, Error> {
        let mut a = Zeroizing::new([0u8; 128]);
        self.random.fill(a.as_mut_slice());
        SrpClient::new(&a).map_err(srp_error)
    }

    /// `USER_SRP_AUTH`: only A and the claim signature leave; the password stays here.
    pub async fn sign_in(&self, username: Option<&str>, password: Option<&Password>) -> Result<Step, Error> {
        self.sign_in_once(username, password, None).await
    }

    /// `USER_SRP_AUTH` through a remembered device: its key goes with the sign-in and it proves itself when
    /// Cognito asks (DEVICE_SRP_AUTH), which in a pool that suppresses MFA on remembered devices is all it asks.
    /// A device Cognito no longer knows (`ResourceNotFoundException`, "Device does not exist.") is reported once,
    /// as the second value, and the sign-in goes on as from a new device: one retry, no loop.
    pub async fn sign_in_on_device(
        &self,
        username: Option<&str>,
        password: Option<&Password>,
        device: &Device,
    ) -> Result<(Step, Option<Error>), Error> {
        match self.sign_in_once(username, password, Some(device)).await {
            Err(e) if e.name() == "ResourceNotFoundException" => {
                let step = self.sign_in_once(username, password, None).await?;
                Ok((step, Some(e)))
            }
            other => other.map(|step| (step, None)),
        }
    }

    async fn sign_in_once(
        &self,
        username: Option<&str>,
        password: Option<&Password>,
        device: Option<&Device>,
    ) -> Result<Step, Error> {
        let (answer, username) = self.password_verifier(username, password, device).await?;
        self.advance(answer, &username, device).await
    }

    /// Answers `SOFTWARE_TOKEN_MFA`.
    pub async fn confirm_totp(&self, challenge: &Challenge, code: &str) -> Result<Step, Error> {
        let code = normalize_code(code)?;
        challenge.expect("SOFTWARE_TOKEN_MFA")?;
        let mut responses = Params::new();
        responses.set("SOFTWARE_TOKEN_MFA_CODE", code);
        self.respond(challenge, responses).await
    }

    /// Answers `SMS_MFA`, `SMS_OTP` or `EMAIL_OTP` with the code the user received.
    pub async fn confirm_code(&self, challenge: &Challenge, code: &str) -> Result<Step, Error> {
        let code = normalize_code(code)?;
        let key = match challenge.name.as_str() {
            "SMS_MFA" => "SMS_MFA_CODE",
            "SMS_OTP" => "SMS_OTP_CODE",
            "EMAIL_OTP" => "EMAIL_OTP_CODE",
            other => return Err(Error::invalid(format!("confirmCode answers an SMS or email code step, not {other}"))),
        };
        let mut responses = Params::new();
        responses.set(key, code);
        self.respond(challenge, responses).await
    }

    /// Answers `SELECT_MFA_TYPE`.
    pub async fn select_mfa(&self, challenge: &Challenge, kind: MfaKind) -> Result<Step, Error> {
        challenge.expect("SELECT_MFA_TYPE")?;
        let mut responses = Params::new();
        responses.set("ANSWER", kind.cognito_name());
        self.respond(challenge, responses).await
    }

    /// Answers `NEW_PASSWORD_REQUIRED`; `attributes` supply the required ones (checked by the caller to be
    /// strings).
    pub async fn complete_new_password(
        &self,
        challenge: &Challenge,
        new_password: Option<&Password>,
        attributes: &[(String, String)],
    ) -> Result<Step, Error> {
        let new_password = required_password(new_password, "the new password")?.as_str();
        challenge.expect("NEW_PASSWORD_REQUIRED")?;
        let mut responses = Params::new();
        for (name, value) in attributes {
            input::required(Some(name), "an attribute name")?;
            responses.set(format!("userAttributes.{name}"), value.as_str());
        }
        // The one place a password is sent as such: Cognito stores a new verifier from it (the SRP exchange only
        // proves knowledge of an existing one).
        responses.set("NEW_PASSWORD", new_password);
        self.respond(challenge, responses).await
    }

    /// `AssociateSoftwareToken` with a sign-in's `MFA_SETUP` (its Session) or an access token.
    pub async fn associate_totp(&self, with: AssociateWith<'_>) -> Result<TotpSetup, Error> {
        let mut request = Request::default();
        match with {
            AssociateWith::Challenge(challenge) => {
                challenge.expect("MFA_SETUP")?;
                request.session = Some(challenge.session.as_str());
            }
            AssociateWith::AccessToken(token) => {
                input::required(Some(token), "the access token")?;
                request.access_token = Some(token);
            }
        }
        let mut answer = self.send("AssociateSoftwareToken", &request, false).await?;
        let secret = answer
            .secret_code
            .take_text()
            .map(SecretString::new)
            .ok_or_else(|| Error::protocol("AssociateSoftwareToken: the response has no SecretCode"))?;
        let auth = match with {
            // Cognito issues a new Session here; the old one would be refused by VerifySoftwareToken.
            AssociateWith::Challenge(challenge) => SetupAuth::Session {
                session: answer
                    .session
                    .take_text()
                    .map(SecretString::new)
                    .ok_or_else(|| Error::protocol("AssociateSoftwareToken: the response has no Session"))?,
                username: challenge.username.clone(),
                device: challenge.device.clone(),
            },
            AssociateWith::AccessToken(token) => SetupAuth::AccessToken(SecretString::new(token.into())),
        };
        Ok(TotpSetup { secret, auth })
    }

    /// `VerifySoftwareToken`. A sign-in's setup then answers `MFA_SETUP` and returns the next step; an
    /// access-token setup returns `None` (the app then calls [`Client::set_mfa_preference`]).
    pub async fn verify_totp(
        &self,
        setup: &TotpSetup,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<Option<Step>, Error> {
        let code = normalize_code(code)?;
        let mut request = Request {
            user_code: Some(&code),
            friendly_device_name: friendly_device_name.filter(|n| !n.is_empty()),
            ..Request::default()
        };
        match &setup.auth {
            SetupAuth::AccessToken(token) => request.access_token = Some(token.as_str()),
            SetupAuth::Session { session, .. } => request.session = Some(session.as_str()),
        }
        let mut answer = self.send("VerifySoftwareToken", &request, false).await?;
        match answer.status.string() {
            Some("SUCCESS") => {}
            Some(_) => {
                return Err(Error::service(
                    "EnableSoftwareTokenMFAException",
                    "VerifySoftwareToken answered Status ERROR",
                ));
            }
            None => return Err(Error::protocol("VerifySoftwareToken: the response has no Status")),
        }
        let SetupAuth::Session { username, device, .. } = &setup.auth else { return Ok(None) };
        let session = answer
            .session
            .take_text()
            .map(SecretString::new)
            .ok_or_else(|| Error::protocol("VerifySoftwareToken: the response has no Session"))?;
        let challenge =
            Challenge { name: "MFA_SETUP".into(), session, username: username.clone(), device: device.clone() };
        self.respond(&challenge, Params::new()).await.map(Some)
    }

    /// `SetUserMFAPreference`; at least one factor must be given.
    pub async fn set_mfa_preference(&self, access_token: Option<&str>, preference: MfaPreference) -> Result<(), Error> {
        input::required(access_token, "the access token")?;
        if preference == MfaPreference::default() {
            return Err(Error::invalid("setMfaPreference needs at least one of totp, sms, email"));
        }
        let request = Request {
            access_token,
            software_token_mfa_settings: preference.totp.map(Preference::settings),
            sms_mfa_settings: preference.sms.map(Preference::settings),
            email_mfa_settings: preference.email.map(Preference::settings),
            ..Request::default()
        };
        self.send_empty("SetUserMFAPreference", &request).await
    }

    /// `GetUser`.
    pub async fn get_user(&self, access_token: Option<&str>) -> Result<User, Error> {
        input::required(access_token, "the access token")?;
        let request = Request { access_token, ..Request::default() };
        let answer = self.send("GetUser", &request, false).await?;
        let username =
            answer.username.string().ok_or_else(|| Error::protocol("GetUser: the response has no Username"))?.into();
        let list =
            answer.user_attributes.ok_or_else(|| Error::protocol("GetUser: the response has no UserAttributes"))?;
        let enabled = match &answer.user_mfa_setting_list {
            Loose::Missing => Vec::new(),
            names => names
                .strings()
                .ok_or_else(|| Error::protocol("GetUser: UserMFASettingList is not a list of names"))?
                .into_iter()
                .map(factor_name)
                .collect(),
        };
        let mut attributes = Members::default();
        for attribute in list.into_iter().flatten() {
            if let Some(name) = attribute.name.string() {
                attributes.set(name.into(), attribute.value.string().unwrap_or_default().into());
            }
        }
        let preferred = answer.preferred_mfa_setting.text().map(factor_name);
        Ok(User { username, attributes, mfa: UserMfa { enabled, preferred } })
    }

    /// Turns TOTP off after re-checking the password with SRP (there is no delete operation). The check passes
    /// once Cognito accepts PASSWORD_VERIFIER, whatever challenge follows (no code is asked); only then is
    /// `SetUserMFAPreference` sent.
    pub async fn disable_totp(
        &self,
        username: Option<&str>,
        password: Option<&Password>,
        access_token: Option<&str>,
    ) -> Result<(), Error> {
        input::required(access_token, "the access token")?;
        self.password_verifier(username, password, None).await?;
        let preference = MfaPreference { totp: Some(Preference::Disabled), ..MfaPreference::default() };
        self.set_mfa_preference(access_token, preference).await
    }

    /// `REFRESH_TOKEN_AUTH`. With a client secret, SECRET_HASH is keyed on the username, which is then required
    /// (for alias pools: the `sub`).
    pub async fn refresh(&self, refresh_token: Option<&str>, username: Option<&str>) -> Result<Tokens, Error> {
        let refresh_token = input::required(refresh_token, "the refresh token")?;
        let mut params = Params::new();
        params.set("REFRESH_TOKEN", refresh_token);
        if self.config.client_secret.is_some() {
            let username = username.filter(|u| !u.is_empty()).ok_or_else(|| {
                Error::invalid("refresh with a client secret needs the username (SECRET_HASH is keyed on it)")
            })?;
            self.add_secret_hash(&mut params, username);
        }
        let request = Request {
            auth_flow: Some("REFRESH_TOKEN_AUTH"),
            client_id: Some(&self.config.client_id),
            auth_parameters: Some(params),
            ..Request::default()
        };
        let answer = self.send("InitiateAuth", &request, false).await?;
        let result = answer
            .authentication_result
            .ok_or_else(|| Error::protocol("InitiateAuth (refresh): the response has no AuthenticationResult"))?;
        tokens(result)
    }

    /// `GlobalSignOut`: every refresh token of the user stops working.
    pub async fn global_sign_out(&self, access_token: Option<&str>) -> Result<(), Error> {
        input::required(access_token, "the access token")?;
        self.send_empty("GlobalSignOut", &Request { access_token, ..Request::default() }).await
    }

    /// `RevokeToken`: one refresh token (and the tokens issued from it).
    pub async fn revoke_token(&self, refresh_token: Option<&str>) -> Result<(), Error> {
        input::required(refresh_token, "the refresh token")?;
        let request = Request {
            token: refresh_token,
            client_id: Some(&self.config.client_id),
            client_secret: self.config.client_secret.as_ref().map(SecretString::as_str),
            ..Request::default()
        };
        self.send_empty("RevokeToken", &request).await
    }

    /// Confirms the device a sign-in met (`step.newDevice`): draws its password (base64 of 40 random bytes, as
    /// amazon-cognito-identity-js) and a 16-byte salt, sends Cognito the device verifier (ConfirmDevice), then
    /// sets the remembered status the app chose where Cognito would not already have it so (a pool that remembers
    /// only on the user's prompt answers `UserConfirmationNecessary`). Returns the device for the app to keep.
    pub async fn remember_device(
        &self,
        access_token: Option<&str>,
        new_device: &NewDevice,
        name: Option<&str>,
        remember: bool,
    ) -> Result<Device, Error> {
        input::required(access_token, "the access token")?;
        if name.is_some_and(|n| n.is_empty() || n.len() > 1024) {
            return Err(Error::invalid("the device name must be 1 to 1024 characters"));
        }
        let mut drawn = Zeroizing::new([0u8; 40]);
        self.random.fill(drawn.as_mut_slice());
        let password = Password::new(<base64ct::Base64 as base64ct::Encoding>::encode_string(drawn.as_slice()));
        let mut salt = [0u8; 16];
        self.random.fill(&mut salt);
        let verifier = srp::device_verifier(&new_device.group_key, &new_device.key, &password, &salt);
        let request = Request {
            access_token,
            device_key: Some(&new_device.key),
            device_secret_verifier_config: Some(VerifierConfig {
                password_verifier: &verifier.password_verifier_b64,
                salt: &verifier.salt_b64,
            }),
            device_name: name,
            ..Request::default()
        };
        let answer = self.send("ConfirmDevice", &request, true).await?;
        let necessary = answer.user_confirmation_necessary.is_true();
        let status = match (remember, necessary) {
            (true, true) => Some(RememberedStatus::Remembered),
            (false, false) => Some(RememberedStatus::NotRemembered),
            _ => None,
        };
        if let Some(status) = status {
            self.update_device_status(access_token, Some(&new_device.key), status).await?;
        }
        Device::new(new_device.key.clone(), new_device.group_key.clone(), password)
    }

    /// `ListDevices`: one page of the user's devices (`limit`: 1 to 60, Cognito's bounds).
    pub async fn list_devices(
        &self,
        access_token: Option<&str>,
        limit: Option<u32>,
        pagination_token: Option<&str>,
    ) -> Result<DevicePage, Error> {
        input::required(access_token, "the access token")?;
        if limit.is_some_and(|l| !(1..=60).contains(&l)) {
            return Err(Error::invalid("limit must be 1 to 60"));
        }
        let pagination_token = pagination_token.filter(|t| !t.is_empty());
        let request = Request { access_token, limit, pagination_token, ..Request::default() };
        let answer = self.send("ListDevices", &request, false).await?;
        let listed = answer.devices.ok_or_else(|| Error::protocol("ListDevices: the response has no Devices"))?;
        let devices = listed
            .into_iter()
            .flatten()
            .map(|device| DeviceInfo::from_wire(device, "ListDevices"))
            .collect::<Result<Vec<_>, _>>()?;
        let pagination_token = answer.pagination_token.text().filter(|t| !t.is_empty()).map(String::from);
        Ok(DevicePage { devices, pagination_token })
    }

    /// `GetDevice`.
    pub async fn get_device(&self, access_token: Option<&str>, device_key: Option<&str>) -> Result<DeviceInfo, Error> {
        input::required(access_token, "the access token")?;
        let device_key = Some(input::required(device_key, "the device key")?);
        let answer = self.send("GetDevice", &Request { access_token, device_key, ..Request::default() }, false).await?;
        let device = answer.device.ok_or_else(|| Error::protocol("GetDevice: the response has no Device"))?;
        DeviceInfo::from_wire(device, "GetDevice")
    }

    /// `ForgetDevice`: Cognito forgets the device; a sign-in through it is then asked for MFA again.
    pub async fn forget_device(&self, access_token: Option<&str>, device_key: Option<&str>) -> Result<(), Error> {
        input::required(access_token, "the access token")?;
        let device_key = Some(input::required(device_key, "the device key")?);
        self.send_empty("ForgetDevice", &Request { access_token, device_key, ..Request::default() }).await
    }

    /// `UpdateDeviceStatus`.
    pub async fn update_device_status(
        &self,
        access_token: Option<&str>,
        device_key: Option<&str>,
        status: RememberedStatus,
    ) -> Result<(), Error> {
        input::required(access_token, "the access token")?;
        let device_key = Some(input::required(device_key, "the device key")?);
        let request =
            Request { access_token, device_key, device_remembered_status: Some(status.as_str()), ..Request::default() };
        self.send_empty("UpdateDeviceStatus", &request).await
    }

    // ---- internals ----

    /// InitiateAuth(USER_SRP_AUTH) + RespondToAuthChallenge(PASSWORD_VERIFIER). Returns the answer to
    /// PASSWORD_VERIFIER and the username Cognito wants from now on (USER_ID_FOR_SRP).
    async fn password_verifier(
        &self,
        username: Option<&str>,
        password: Option<&Password>,
        device: Option<&Device>,
    ) -> Result<(Answer, String), Error> {
        let username = input::required(username, "username")?;
        let password = required_password(password, "password")?;
        // Taken, not borrowed: a prepared `a` must never serve a second sign-in.
        let prepared = self.prepared.borrow_mut().take();
        let key = match prepared {
            Some(key) => key,
            None => self.fresh_key()?,
        };
        let mut params = Params::new();
        params.set("USERNAME", username);
        params.set("SRP_A", key.a_hex());
        if let Some(device) = device {
            params.set("DEVICE_KEY", device.key.as_str());
        }
        self.add_secret_hash(&mut params, username);
        let request = Request {
            auth_flow: Some("USER_SRP_AUTH"),
            client_id: Some(&self.config.client_id),
            auth_parameters: Some(params),
            ..Request::default()
        };
        let answer = self.send("InitiateAuth", &request, false).await?;
        let (salt, srp_b, secret_block, srp_user) =
            verifier_parameters(&answer, "InitiateAuth(USER_SRP_AUTH)", "PASSWORD_VERIFIER")?;
        let timestamp = cognito_timestamp(self.clock.now_unix());
        let signature = key
            .password_claim(&self.config.pool_name, &srp_user, password, &salt, &srp_b, &secret_block, &timestamp)
            .map_err(srp_error)?;
        drop(key);
        let responses = claim_responses(secret_block, signature, timestamp, device);
        let session = answer.session.text().map(|s| SecretString::new(s.into()));
        let answer = self
            .respond_raw("PASSWORD_VERIFIER", session.as_ref().map(SecretString::as_str), &srp_user, responses)
            .await?;
        Ok((answer, srp_user))
    }

    async fn respond(&self, challenge: &Challenge, mut responses: Params<'_>) -> Result<Step, Error> {
        if let Some(device) = &challenge.device {
            responses.set("DEVICE_KEY", device.key.as_str());
        }
        let answer =
            self.respond_raw(&challenge.name, Some(challenge.session.as_str()), &challenge.username, responses).await?;
        self.advance(answer, &challenge.username, challenge.device.as_ref()).await
    }

    /// The next step after an answer; a device proof Cognito asks for (`DEVICE_SRP_AUTH`) is given at once, the app
    /// has nothing to say to it.
    async fn advance(&self, answer: Answer, username: &str, device: Option<&Device>) -> Result<Step, Error> {
        if answer.authentication_result.is_some() || answer.challenge_name.string() != Some("DEVICE_SRP_AUTH") {
            return self.next_step(answer, username, device);
        }
        let device = device.ok_or_else(|| {
            Error::protocol("Cognito asked for a device proof (DEVICE_SRP_AUTH), but the sign-in named no device")
        })?;
        let session =
            answer.session.text().ok_or_else(|| Error::protocol("challenge DEVICE_SRP_AUTH came without a Session"))?;
        let answer = self.device_proof(session, username, device).await?;
        // The MFA answers that may follow carry the DEVICE_KEY too (as amazon-cognito-identity-js sends it); a
        // DEVICE_SRP_AUTH straight after the proof is an unsupported challenge, not a loop.
        self.next_step(answer, username, Some(device))
    }

    /// DEVICE_SRP_AUTH (`DEVICE_KEY`, a fresh `SRP_A`) → DEVICE_PASSWORD_VERIFIER (`SRP_B`, `SALT`, `SECRET_BLOCK`)
    /// → the proof, signed with the device's password; what follows is Cognito's answer to it.
    async fn device_proof(&self, session: &str, username: &str, device: &Device) -> Result<Answer, Error> {
        let key = self.fresh_key()?;
        let mut responses = Params::new();
        responses.set("DEVICE_KEY", device.key.as_str());
        responses.set("SRP_A", key.a_hex());
        let answer = self.respond_raw("DEVICE_SRP_AUTH", Some(session), username, responses).await?;
        let (salt, srp_b, secret_block, _) =
            verifier_parameters(&answer, "RespondToAuthChallenge(DEVICE_SRP_AUTH)", "DEVICE_PASSWORD_VERIFIER")?;
        let timestamp = cognito_timestamp(self.clock.now_unix());
        let signature = key
            .device_claim(&device.group_key, &device.key, &device.password, &salt, &srp_b, &secret_block, &timestamp)
            .map_err(srp_error)?;
        drop(key);
        let responses = claim_responses(secret_block, signature, timestamp, Some(device));
        let session = answer.session.text().map(|s| SecretString::new(s.into()));
        self.respond_raw("DEVICE_PASSWORD_VERIFIER", session.as_ref().map(SecretString::as_str), username, responses)
            .await
    }

    async fn respond_raw(
        &self,
        challenge_name: &str,
        session: Option<&str>,
        username: &str,
        mut responses: Params<'_>,
    ) -> Result<Answer, Error> {
        responses.set("USERNAME", username);
        self.add_secret_hash(&mut responses, username);
        let request = Request {
            challenge_name: Some(challenge_name),
            client_id: Some(&self.config.client_id),
            challenge_responses: Some(responses),
            session,
            ..Request::default()
        };
        self.send("RespondToAuthChallenge", &request, false).await
    }

    fn add_secret_hash(&self, params: &mut Params<'_>, username: &str) {
        if let Some(secret) = &self.config.client_secret {
            params.set("SECRET_HASH", secret_hash(secret.as_str(), username, &self.config.client_id));
        }
    }

    /// An InitiateAuth / RespondToAuthChallenge answer as the next [`Step`].
    fn next_step(&self, answer: Answer, username: &str, device: Option<&Device>) -> Result<Step, Error> {
        if let Some(result) = answer.authentication_result {
            let new_device = result.new_device_metadata.as_ref().and_then(NewDevice::from_metadata);
            return tokens(result).map(|tokens| Step::Done { tokens, new_device });
        }
        let name = answer
            .challenge_name
            .text()
            .ok_or_else(|| Error::protocol("the response has neither AuthenticationResult nor ChallengeName"))?;
        let session = answer
            .session
            .text()
            .map(|s| SecretString::new(s.into()))
            .ok_or_else(|| Error::protocol(format!("challenge {} came without a Session", quoted_name(name))))?;
        let p = answer.challenge_parameters.unwrap_or_default();
        let username = p.user_id_for_srp.text().or(p.username.text()).unwrap_or(username).into();
        let challenge = Challenge { name: name.into(), session, username, device: device.cloned() };
        Ok(match name {
            "SOFTWARE_TOKEN_MFA" => {
                Step::TotpCode { challenge, friendly_device_name: p.friendly_device_name.text().map(String::from) }
            }
            "MFA_SETUP" => {
                let can_setup = self.json_list(&p.mfas_can_setup).iter().map(|n| factor_name(n)).collect();
                Step::MfaSetup { challenge, can_setup }
            }
            "NEW_PASSWORD_REQUIRED" => {
                let required_attributes = self
                    .json_list(&p.required_attributes)
                    .into_iter()
                    .map(|a| a.strip_prefix("userAttributes.").map(String::from).unwrap_or(a))
                    .collect();
                let user_attributes = self.json_string_map(&p.user_attributes);
                Step::NewPassword { challenge, required_attributes, user_attributes }
            }
            "SELECT_MFA_TYPE" => {
                let options: Vec<MfaKind> =
                    self.json_list(&p.mfas_can_choose).iter().filter_map(|n| MfaKind::from_cognito(n)).collect();
                if options.is_empty() {
                    return Err(Error::protocol("SELECT_MFA_TYPE: MFAS_CAN_CHOOSE lists no known factor"));
                }
                Step::SelectMfa { challenge, options }
            }
            "SMS_MFA" | "SMS_OTP" => Step::SmsCode { destination: destination(&p), challenge },
            "EMAIL_OTP" => Step::EmailCode { destination: destination(&p), challenge },
            other => return Err(Error::protocol(format!("unsupported challenge {}", quoted_name(other)))),
        })
    }

    /// A challenge parameter holding a JSON list of strings as text; anything else reads as an empty list.
    fn json_list(&self, value: &Loose) -> Vec<String> {
        let parsed = value.string().and_then(|t| self.transport.parse_json(t));
        let list = parsed.and_then(|json| self.transport.decode::<Loose>(json));
        match list.as_ref().and_then(Loose::strings) {
            Some(items) => items.into_iter().map(String::from).collect(),
            None => Vec::new(),
        }
    }

    /// `userAttributes`: a JSON object as text; its string members, a repeated name keeping its last value.
    fn json_string_map(&self, value: &Loose) -> Members<String> {
        let parsed = value.string().and_then(|t| self.transport.parse_json(t));
        let members = parsed.and_then(|json| self.transport.decode::<Members<Loose>>(json)).unwrap_or_default();
        let strings = members.0.into_iter().filter_map(|(k, v)| match v {
            Loose::Str(s) => Some((k, s)),
            _ => None,
        });
        Members(strings.collect())
    }

    /// One call with the retry policy, its answer decoded.
    async fn send(&self, operation: &'static str, request: &Request<'_>, allow_empty: bool) -> Result<Answer, Error> {
        let body = self.transport.encode(request)?;
        let json =
            call(&self.transport, &self.clock, &self.random, operation, &body, self.config.timeout_ms, allow_empty)
                .await?;
        match json {
            None => Ok(Answer::default()),
            Some(json) => self
                .transport
                .decode(json)
                .ok_or_else(|| Error::protocol(format!("{operation}: the response does not have Cognito's shape"))),
        }
    }

    /// An operation whose output has no members: `{}` or an empty body.
    async fn send_empty(&self, operation: &'static str, request: &Request<'_>) -> Result<(), Error> {
        let body = self.transport.encode(request)?;
        call(&self.transport, &self.clock, &self.random, operation, &body, self.config.timeout_ms, true).await?;
        Ok(())
    }
}

/// The answer to PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER: the claim, and the device key when there is one.
fn claim_responses<'a>(
    secret_block: String,
    signature: String,
    timestamp: String,
    device: Option<&'a Device>,
) -> Params<'a> {
    let mut responses = Params::new();
    responses.set("PASSWORD_CLAIM_SECRET_BLOCK", secret_block);
    responses.set("PASSWORD_CLAIM_SIGNATURE", signature);
    responses.set("TIMESTAMP", timestamp);
    if let Some(device) = device {
        responses.set("DEVICE_KEY", device.key.as_str());
    }
    responses
}

/// The server's half of an SRP exchange (`PASSWORD_VERIFIER`, `DEVICE_PASSWORD_VERIFIER`): SALT, SRP_B,
/// SECRET_BLOCK, and the user to answer as (USER_ID_FOR_SRP, else USERNAME; empty when neither is there, which
/// only the device exchange allows: it answers as the sign-in's user).
fn verifier_parameters(answer: &Answer, call: &str, expected: &str) -> Result<(String, String, String, String), Error> {
    if answer.challenge_name.string() != Some(expected) {
        let named = answer.challenge_name.text().map_or(Cow::Borrowed("no challenge"), quoted_name);
        return Err(Error::protocol(format!("{call} answered {named} instead of {expected}")));
    }
    let empty = ChallengeParameters::default();
    let params = answer.challenge_parameters.as_ref().unwrap_or(&empty);
    let param = |value: &Loose, name: &str| {
        value
            .text()
            .map(String::from)
            .ok_or_else(|| Error::protocol(format!("{expected}: ChallengeParameters has no {name}")))
    };
    let salt = param(&params.salt, "SALT")?;
    let srp_b = param(&params.srp_b, "SRP_B")?;
    let secret_block = param(&params.secret_block, "SECRET_BLOCK")?;
    let user = match params.user_id_for_srp.text() {
        Some(user) => user.into(),
        None if expected == "PASSWORD_VERIFIER" => param(&params.username, "USERNAME")?,
        None => String::new(),
    };
    Ok((salt, srp_b, secret_block, user))
}

fn destination(p: &ChallengeParameters) -> Option<String> {
    p.code_delivery_destination.text().map(String::from)
}

fn tokens(result: AuthenticationResult) -> Result<Tokens, Error> {
    let missing = |member: &str| Error::protocol(format!("AuthenticationResult has no {member}"));
    Ok(Tokens {
        access_token: result.access_token.text().ok_or_else(|| missing("AccessToken"))?.into(),
        id_token: result.id_token.text().ok_or_else(|| missing("IdToken"))?.into(),
        refresh_token: result.refresh_token.text().map(String::from),
        expires_in: result.expires_in.seconds().ok_or_else(|| missing("ExpiresIn"))?,
        token_type: result.token_type.text().unwrap_or("Bearer").into(),
    })
}
