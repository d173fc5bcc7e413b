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
use super::wire::{Answer, AuthenticationResult, ChallengeParameters, Loose, Members, MfaSettings, Params, Request};

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
    /// Signed in.
    Done { tokens: Tokens },
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
    /// A sign-in's `MFA_SETUP`: the Session AssociateSoftwareToken gave, and the username to answer as.
    Session {
        session: SecretString,
        username: String,
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
        let (answer, username) = self.password_verifier(username, password).await?;
        self.next_step(answer, &username)
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
        let SetupAuth::Session { username, .. } = &setup.auth else { return Ok(None) };
        let session = answer
            .session
            .take_text()
            .map(SecretString::new)
            .ok_or_else(|| Error::protocol("VerifySoftwareToken: the response has no Session"))?;
        let challenge = Challenge { name: "MFA_SETUP".into(), session, username: username.clone() };
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
        self.password_verifier(username, password).await?;
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

    // ---- internals ----

    /// InitiateAuth(USER_SRP_AUTH) + RespondToAuthChallenge(PASSWORD_VERIFIER). Returns the answer to
    /// PASSWORD_VERIFIER and the username Cognito wants from now on (USER_ID_FOR_SRP).
    async fn password_verifier(
        &self,
        username: Option<&str>,
        password: Option<&Password>,
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
        self.add_secret_hash(&mut params, username);
        let request = Request {
            auth_flow: Some("USER_SRP_AUTH"),
            client_id: Some(&self.config.client_id),
            auth_parameters: Some(params),
            ..Request::default()
        };
        let answer = self.send("InitiateAuth", &request, false).await?;
        if answer.challenge_name.string() != Some("PASSWORD_VERIFIER") {
            let named = answer.challenge_name.text().map_or(Cow::Borrowed("no challenge"), quoted_name);
            return Err(Error::protocol(format!(
                "InitiateAuth(USER_SRP_AUTH) answered {named} instead of PASSWORD_VERIFIER"
            )));
        }
        let params = answer.challenge_parameters.unwrap_or_default();
        let param = |value: &'_ Loose, name: &str| {
            value
                .text()
                .map(String::from)
                .ok_or_else(|| Error::protocol(format!("PASSWORD_VERIFIER: ChallengeParameters has no {name}")))
        };
        let salt = param(&params.salt, "SALT")?;
        let srp_b = param(&params.srp_b, "SRP_B")?;
        let secret_block = param(&params.secret_block, "SECRET_BLOCK")?;
        let srp_user = match params.user_id_for_srp.text() {
            Some(user) => user.into(),
            None => param(&params.username, "USERNAME")?,
        };
        let timestamp = cognito_timestamp(self.clock.now_unix());
        let signature = key
            .password_claim(&self.config.pool_name, &srp_user, password, &salt, &srp_b, &secret_block, &timestamp)
            .map_err(srp_error)?;
        drop(key);
        let mut responses = Params::new();
        responses.set("PASSWORD_CLAIM_SECRET_BLOCK", secret_block);
        responses.set("PASSWORD_CLAIM_SIGNATURE", signature);
        responses.set("TIMESTAMP", timestamp);
        let session = answer.session.text().map(|s| SecretString::new(s.into()));
        let answer = self
            .respond_raw("PASSWORD_VERIFIER", session.as_ref().map(SecretString::as_str), &srp_user, responses)
            .await?;
        Ok((answer, srp_user))
    }

    async fn respond(&self, challenge: &Challenge, responses: Params<'_>) -> Result<Step, Error> {
        let answer =
            self.respond_raw(&challenge.name, Some(challenge.session.as_str()), &challenge.username, responses).await?;
        self.next_step(answer, &challenge.username)
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
    fn next_step(&self, answer: Answer, username: &str) -> Result<Step, Error> {
        if let Some(result) = answer.authentication_result {
            return tokens(result).map(|tokens| Step::Done { tokens });
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
        let challenge = Challenge { name: name.into(), session, username };
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
