//! The sign-in / enrollment state machine over a [`Transport`].
//!
//! Every public method maps to one method of the JS `CognitoTotp` class. Each network step returns
//! a [`Step`]; a step that needs an answer carries a [`Challenge`] whose Session and username stay
//! private (redacted `Debug`, zeroized Session), so the app can show the step but not leak it.

use std::cell::RefCell;
use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use miniserde::de::{Deserialize, Map, Seq, Visitor};
use miniserde::json;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::b64;
use super::error::Error;
use super::secret::{Password, SecretString};
use super::srp::{SrpClient, SrpError};
use super::timestamp::cognito_timestamp;
use super::transport::{
    backoff_ms, Clock, HttpRequest, HttpResponse, Random, Transport, TransportError, MAX_ATTEMPTS,
};
use super::wire::{
    self, AccessTokenRequest, AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, AuthResponse,
    AuthenticationResult, EmptyResponse, GetUserResponse, InitiateAuthRequest, MfaSettings,
    RespondToAuthChallengeRequest, RevokeTokenRequest, SetUserMfaPreferenceRequest, TokenOrSession,
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
};

/// How to reach one app client of one user pool.
#[derive(Debug, Clone)]
pub struct Config {
    /// `us-east-1_AbC123`.
    pub user_pool_id: String,
    pub client_id: String,
    /// Defaults to `https://cognito-idp.{region}.amazonaws.com/`. Must be https, or plain http to
    /// a loopback address (a local emulator).
    pub endpoint: Option<String>,
    /// For app clients created with a secret: every call that names a user then carries
    /// `SECRET_HASH`. Shipping a client secret to browsers defeats its purpose; this exists for
    /// tools, tests and server-side use.
    pub client_secret: Option<SecretString>,
    /// Abort each HTTP request after this long.
    pub timeout_ms: Option<u32>,
}

/// The tokens of a finished sign-in (or a refresh). They belong to the caller: nothing here
/// stores them.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    /// Absent after a refresh (Cognito keeps the refresh token unless rotation is on).
    pub refresh_token: Option<String>,
    pub expires_in: u64,
    pub token_type: String,
}

impl core::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"<redacted>")
            .field("id_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish()
    }
}

/// A second factor the user can pick or has enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaKind {
    Totp,
    Sms,
    Email,
}

impl MfaKind {
    /// The JS-facing name: `"TOTP"`, `"SMS"`, `"EMAIL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MfaKind::Totp => "TOTP",
            MfaKind::Sms => "SMS",
            MfaKind::Email => "EMAIL",
        }
    }

    pub fn parse(name: &str) -> Option<MfaKind> {
        match name {
            "TOTP" => Some(MfaKind::Totp),
            "SMS" => Some(MfaKind::Sms),
            "EMAIL" => Some(MfaKind::Email),
            _ => None,
        }
    }

    /// Cognito's name, as in `MFAS_CAN_CHOOSE`, `ANSWER` and `UserMFASettingList`.
    pub fn cognito_name(self) -> &'static str {
        match self {
            MfaKind::Totp => "SOFTWARE_TOKEN_MFA",
            MfaKind::Sms => "SMS_MFA",
            MfaKind::Email => "EMAIL_OTP",
        }
    }

    pub fn from_cognito(name: &str) -> Option<MfaKind> {
        match name {
            "SOFTWARE_TOKEN_MFA" => Some(MfaKind::Totp),
            "SMS_MFA" | "SMS_OTP" => Some(MfaKind::Sms),
            "EMAIL_OTP" => Some(MfaKind::Email),
            _ => None,
        }
    }
}

/// One challenge waiting for its answer: Cognito's challenge name, the Session and the username
/// Cognito wants back (`USER_ID_FOR_SRP`, a UUID for alias sign-ins).
#[derive(Clone)]
pub struct Challenge {
    name: String,
    session: SecretString,
    username: String,
}

impl Challenge {
    /// Cognito's challenge name (`SOFTWARE_TOKEN_MFA`, `MFA_SETUP`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl core::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Challenge")
            .field("name", &self.name)
            .field("session", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Where a sign-in stands after a call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Step {
    /// Signed in.
    Done(Tokens),
    /// `SOFTWARE_TOKEN_MFA`: answer with [`Client::confirm_totp`].
    TotpCode { challenge: Challenge, friendly_device_name: Option<String> },
    /// `MFA_SETUP`: [`Client::associate_totp`] with the challenge, then [`Client::verify_totp`].
    MfaSetup { challenge: Challenge, can_setup: Vec<String> },
    /// `NEW_PASSWORD_REQUIRED`: answer with [`Client::complete_new_password`].
    NewPassword {
        challenge: Challenge,
        /// Attribute names (without the `userAttributes.` prefix) the new password must come with.
        required_attributes: Vec<String>,
        /// The user's current attributes as Cognito sent them.
        user_attributes: BTreeMap<String, String>,
    },
    /// `SELECT_MFA_TYPE`: answer with [`Client::select_mfa`].
    SelectMfa { challenge: Challenge, options: Vec<MfaKind> },
    /// `SMS_MFA`: answer with [`Client::confirm_code`].
    SmsCode { challenge: Challenge, destination: Option<String> },
    /// `EMAIL_OTP`: answer with [`Client::confirm_code`].
    EmailCode { challenge: Challenge, destination: Option<String> },
}

impl Step {
    /// The JS `type` discriminant.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Done(_) => "done",
            Step::TotpCode { .. } => "totpCode",
            Step::MfaSetup { .. } => "mfaSetup",
            Step::NewPassword { .. } => "newPassword",
            Step::SelectMfa { .. } => "selectMfa",
            Step::SmsCode { .. } => "smsCode",
            Step::EmailCode { .. } => "emailCode",
        }
    }

    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            Step::Done(_) => None,
            Step::TotpCode { challenge, .. }
            | Step::MfaSetup { challenge, .. }
            | Step::NewPassword { challenge, .. }
            | Step::SelectMfa { challenge, .. }
            | Step::SmsCode { challenge, .. }
            | Step::EmailCode { challenge, .. } => Some(challenge),
        }
    }
}

/// What [`Client::associate_totp`] binds the new software token to.
#[derive(Debug, Clone, Copy)]
pub enum AssociateWith<'a> {
    /// The `MFA_SETUP` challenge of a sign-in in progress.
    Challenge(&'a Challenge),
    /// A signed-in user's access token.
    AccessToken(&'a str),
}

#[derive(Clone)]
enum SetupAuth {
    AccessToken(SecretString),
    Session { session: SecretString, username: String },
}

/// A software token waiting for its first code: the shared secret to show (as a QR code) and how
/// to verify it.
#[derive(Clone)]
pub struct TotpSetup {
    secret: SecretString,
    auth: SetupAuth,
}

impl TotpSetup {
    /// The base32 shared secret (`SecretCode`), for the otpauth URI / QR code.
    pub fn secret(&self) -> &str {
        self.secret.as_str()
    }

    /// Whether this setup belongs to a sign-in's `MFA_SETUP` (verifying it continues the sign-in).
    pub fn is_sign_in(&self) -> bool {
        matches!(self.auth, SetupAuth::Session { .. })
    }
}

impl core::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TotpSetup").field("secret", &"<redacted>").finish_non_exhaustive()
    }
}

/// `enabled` and `preferred` flags for one factor in [`Client::set_mfa_preference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    Preferred,
    Enabled,
    Disabled,
}

impl Preference {
    pub fn parse(s: &str) -> Option<Preference> {
        match s {
            "preferred" => Some(Preference::Preferred),
            "enabled" => Some(Preference::Enabled),
            "disabled" => Some(Preference::Disabled),
            _ => None,
        }
    }

    fn settings(self) -> MfaSettings {
        MfaSettings {
            enabled: self != Preference::Disabled,
            preferred: self == Preference::Preferred,
        }
    }
}

/// Input of [`Client::set_mfa_preference`]; `None` leaves that factor as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MfaPreference {
    pub totp: Option<Preference>,
    pub sms: Option<Preference>,
    pub email: Option<Preference>,
}

/// The signed-in user as `GetUser` describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub attributes: BTreeMap<String, String>,
    /// Enabled factors as `"TOTP"`, `"SMS"`, `"EMAIL"` (unknown Cognito names passed through).
    pub mfa_enabled: Vec<String>,
    pub mfa_preferred: Option<String>,
}

// ---- local validation -----------------------------------------------------------------------

/// `^[a-z]{2}-[a-z]+-\d_[A-Za-z0-9]+$`; returns the region.
pub fn validate_pool_id(pool_id: &str) -> Result<&str, Error> {
    let bad = || Error::invalid("userPoolId must look like us-east-1_AbC123");
    let (region, name) = pool_id.split_once('_').ok_or_else(bad)?;
    let mut parts = region.split('-');
    let geo = parts.next().ok_or_else(bad)?;
    let area = parts.next().ok_or_else(bad)?;
    let number = parts.next().ok_or_else(bad)?;
    let ok = parts.next().is_none()
        && geo.len() == 2
        && geo.bytes().all(|b| b.is_ascii_lowercase())
        && !area.is_empty()
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && number.len() == 1
        && number.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok { Ok(region) } else { Err(bad()) }
}

/// https anywhere; plain http only to the loopback interface (a local emulator), since tokens and
/// the SRP exchange must not cross a network in clear text.
pub fn validate_endpoint(endpoint: &str) -> Result<(), Error> {
    let bad = || Error::invalid("endpoint must be an https:// URL, or http:// to 127.0.0.1, localhost or [::1]");
    if let Some(rest) = endpoint.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad());
        }
        return Ok(());
    }
    let rest = endpoint.strip_prefix("http://").ok_or_else(bad)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split_once(']').map(|(h, _)| h).ok_or_else(bad)?
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if authority.contains('@') {
        return Err(bad());
    }
    match host {
        "127.0.0.1" | "localhost" | "::1" => Ok(()),
        _ => Err(bad()),
    }
}

/// A one-time code: spaces are dropped (users type `123 456`), then exactly six ASCII digits.
pub fn normalize_code(code: &str) -> Result<String, Error> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Error::invalid("the code must be exactly 6 digits"))
    }
}

fn require_non_empty(value: &str, what: &str) -> Result<(), Error> {
    if value.is_empty() {
        Err(Error::invalid(format!("{what} must not be empty")))
    } else {
        Ok(())
    }
}

/// `SECRET_HASH` = base64(HMAC-SHA256(client secret, username ‖ client id)).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> Result<String, Error> {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes())
        .map_err(|_| Error::invalid("clientSecret is not usable as an HMAC key"))?;
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    Ok(b64::encode(&mac.finalize().into_bytes()))
}

fn srp_error(e: SrpError) -> Error {
    match e {
        SrpError::InvalidPoolId => Error::invalid(e.to_string()),
        other => Error::protocol(format!("SRP: {other}")),
    }
}

// ---- the client -----------------------------------------------------------------------------

/// A Cognito user-pool client over injected I/O.
pub struct Client<T, C, R> {
    pool_id: String,
    client_id: String,
    endpoint: String,
    client_secret: Option<SecretString>,
    timeout_ms: Option<u32>,
    transport: T,
    clock: C,
    random: R,
    /// An ephemeral SRP key (secret `a`, public A = g^a) computed ahead by [`Client::prepare`]; the next
    /// sign-in takes it out, so a key is used by at most one sign-in.
    prepared: RefCell<Option<SrpClient>>,
}

impl<T, C, R> core::fmt::Debug for Client<T, C, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.endpoint)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl<T: Transport, C: Clock, R: Random> Client<T, C, R> {
    /// Validates the configuration (pool id, client id, endpoint) without any request.
    pub fn new(config: Config, transport: T, clock: C, random: R) -> Result<Self, Error> {
        let region = validate_pool_id(&config.user_pool_id)?;
        require_non_empty(&config.client_id, "clientId")?;
        let endpoint = match config.endpoint {
            Some(e) => {
                validate_endpoint(&e)?;
                e
            }
            None => format!("https://cognito-idp.{region}.amazonaws.com/"),
        };
        if let Some(secret) = &config.client_secret {
            require_non_empty(secret.as_str(), "clientSecret")?;
        }
        if config.timeout_ms == Some(0) {
            return Err(Error::invalid("timeoutMs must be positive"));
        }
        Ok(Client {
            pool_id: config.user_pool_id,
            client_id: config.client_id,
            endpoint,
            client_secret: config.client_secret,
            timeout_ms: config.timeout_ms,
            transport,
            clock,
            random,
            prepared: RefCell::new(None),
        })
    }

    /// Draws a fresh SRP secret `a` and computes A = g^a now (about a quarter of a sign-in's SRP
    /// work), so the next [`Client::sign_in`] only pays for the rest. Call it when a sign-in form
    /// appears. A key is used once: the next sign-in takes it, and calling this again replaces (and
    /// wipes) an unused one.
    pub fn prepare(&self) -> Result<(), Error> {
        let srp = self.fresh_srp()?;
        *self.prepared.borrow_mut() = Some(srp);
        Ok(())
    }

    fn fresh_srp(&self) -> Result<SrpClient, Error> {
        let mut a = Zeroizing::new([0u8; 128]);
        self.random.fill(a.as_mut_slice());
        SrpClient::new(&a).map_err(srp_error)
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// `USER_SRP_AUTH`: the password never leaves this function; only A and the claim signature do.
    pub async fn sign_in(&self, username: &str, password: &Password) -> Result<Step, Error> {
        let (response, srp_username) = self.password_verifier(username, password).await?;
        self.next_step(response, &srp_username)
    }

    /// Answers `SOFTWARE_TOKEN_MFA`.
    pub async fn confirm_totp(&self, challenge: &Challenge, code: &str) -> Result<Step, Error> {
        let code = normalize_code(code)?;
        expect_challenge(challenge, &["SOFTWARE_TOKEN_MFA"])?;
        let mut responses = BTreeMap::new();
        responses.insert("SOFTWARE_TOKEN_MFA_CODE".to_owned(), code);
        self.respond(challenge, responses).await
    }

    /// Answers `SMS_MFA` / `EMAIL_OTP` with the code the user received.
    pub async fn confirm_code(&self, challenge: &Challenge, code: &str) -> Result<Step, Error> {
        let code = normalize_code(code)?;
        let key = match challenge.name.as_str() {
            "SMS_MFA" => "SMS_MFA_CODE",
            "SMS_OTP" => "SMS_OTP_CODE",
            "EMAIL_OTP" => "EMAIL_OTP_CODE",
            other => {
                return Err(Error::invalid(format!("confirmCode answers an SMS or email code step, not {other}")));
            }
        };
        let mut responses = BTreeMap::new();
        responses.insert(key.to_owned(), code);
        self.respond(challenge, responses).await
    }

    /// Answers `SELECT_MFA_TYPE`.
    pub async fn select_mfa(&self, challenge: &Challenge, kind: MfaKind) -> Result<Step, Error> {
        expect_challenge(challenge, &["SELECT_MFA_TYPE"])?;
        let mut responses = BTreeMap::new();
        responses.insert("ANSWER".to_owned(), kind.cognito_name().to_owned());
        self.respond(challenge, responses).await
    }

    /// Answers `NEW_PASSWORD_REQUIRED`; `attributes` fill the required attributes.
    pub async fn complete_new_password(
        &self,
        challenge: &Challenge,
        new_password: &Password,
        attributes: &BTreeMap<String, String>,
    ) -> Result<Step, Error> {
        require_non_empty(new_password.as_str(), "the new password")?;
        expect_challenge(challenge, &["NEW_PASSWORD_REQUIRED"])?;
        let mut responses = BTreeMap::new();
        for (name, value) in attributes {
            require_non_empty(name, "an attribute name")?;
            responses.insert(format!("userAttributes.{name}"), value.clone());
        }
        // NEW_PASSWORD is the one place a password is sent as such: Cognito stores a new verifier
        // from it (the SRP exchange only proves knowledge of an existing one).
        responses.insert("NEW_PASSWORD".to_owned(), new_password.as_str().to_owned());
        self.respond(challenge, responses).await
    }

    /// `AssociateSoftwareToken` with the sign-in Session (`MFA_SETUP`) or an access token.
    pub async fn associate_totp(&self, with: AssociateWith<'_>) -> Result<TotpSetup, Error> {
        let auth = match with {
            AssociateWith::Challenge(challenge) => {
                expect_challenge(challenge, &["MFA_SETUP"])?;
                TokenOrSession::Session(challenge.session.as_str())
            }
            AssociateWith::AccessToken(token) => {
                require_non_empty(token, "the access token")?;
                TokenOrSession::AccessToken(token)
            }
        };
        let body = AssociateSoftwareTokenRequest { auth }.to_json();
        let response = self.send("AssociateSoftwareToken", body).await?;
        let parsed: AssociateSoftwareTokenResponse =
            wire::parse_success("AssociateSoftwareToken", &response.body, false)?;
        let secret = parsed
            .secret_code
            .filter(|s| !s.is_empty())
            .map(SecretString::new)
            .ok_or_else(|| Error::protocol("AssociateSoftwareToken: the response has no SecretCode"))?;
        let auth = match with {
            AssociateWith::Challenge(challenge) => SetupAuth::Session {
                // Cognito issues a new Session here; the old one would be refused by VerifySoftwareToken.
                session: parsed
                    .session
                    .map(SecretString::new)
                    .ok_or_else(|| Error::protocol("AssociateSoftwareToken: the response has no Session"))?,
                username: challenge.username.clone(),
            },
            AssociateWith::AccessToken(token) => SetupAuth::AccessToken(SecretString::new(token.to_owned())),
        };
        Ok(TotpSetup { secret, auth })
    }

    /// `VerifySoftwareToken`. For a sign-in's setup it then answers `MFA_SETUP` with the new
    /// Session and returns the next step; for an access-token setup it returns `None`.
    pub async fn verify_totp(
        &self,
        setup: &TotpSetup,
        code: &str,
        friendly_device_name: Option<&str>,
    ) -> Result<Option<Step>, Error> {
        let code = normalize_code(code)?;
        let friendly_device_name = friendly_device_name.filter(|n| !n.is_empty());
        let auth = match &setup.auth {
            SetupAuth::AccessToken(t) => TokenOrSession::AccessToken(t.as_str()),
            SetupAuth::Session { session, .. } => TokenOrSession::Session(session.as_str()),
        };
        let body = VerifySoftwareTokenRequest { auth, user_code: &code, friendly_device_name }.to_json();
        let response = self.send("VerifySoftwareToken", body).await?;
        let parsed: VerifySoftwareTokenResponse = wire::parse_success("VerifySoftwareToken", &response.body, false)?;
        match parsed.status.as_deref() {
            Some("SUCCESS") => {}
            Some(_) => {
                return Err(Error::Service {
                    name: "EnableSoftwareTokenMFAException".to_owned(),
                    message: "VerifySoftwareToken answered Status ERROR".to_owned(),
                    retryable: false,
                });
            }
            None => return Err(Error::protocol("VerifySoftwareToken: the response has no Status")),
        }
        match &setup.auth {
            SetupAuth::AccessToken(_) => Ok(None),
            SetupAuth::Session { username, .. } => {
                let session = parsed
                    .session
                    .map(SecretString::new)
                    .ok_or_else(|| Error::protocol("VerifySoftwareToken: the response has no Session"))?;
                let challenge = Challenge { name: "MFA_SETUP".to_owned(), session, username: username.clone() };
                self.respond(&challenge, BTreeMap::new()).await.map(Some)
            }
        }
    }

    /// `SetUserMFAPreference`; at least one factor must be given.
    pub async fn set_mfa_preference(&self, access_token: &str, preference: MfaPreference) -> Result<(), Error> {
        require_non_empty(access_token, "the access token")?;
        if preference == MfaPreference::default() {
            return Err(Error::invalid("setMfaPreference needs at least one of totp, sms, email"));
        }
        let body = SetUserMfaPreferenceRequest {
            access_token,
            software_token: preference.totp.map(Preference::settings),
            sms: preference.sms.map(Preference::settings),
            email: preference.email.map(Preference::settings),
        }
        .to_json();
        let response = self.send("SetUserMFAPreference", body).await?;
        wire::parse_success::<EmptyResponse>("SetUserMFAPreference", &response.body, true)?;
        Ok(())
    }

    /// `GetUser`.
    pub async fn get_user(&self, access_token: &str) -> Result<User, Error> {
        require_non_empty(access_token, "the access token")?;
        let body = AccessTokenRequest { access_token }.to_json();
        let response = self.send("GetUser", body).await?;
        let parsed: GetUserResponse = wire::parse_success("GetUser", &response.body, false)?;
        let username = parsed.username.ok_or_else(|| Error::protocol("GetUser: the response has no Username"))?;
        // Inserted one by one rather than collected: `collect` into a BTreeMap sorts first, and that
        // linked a stable sort (~1.5 KB gzip) into the wasm for a handful of attributes. Same result
        // (a repeated name keeps its last value).
        let mut attributes = BTreeMap::new();
        for a in parsed.user_attributes.ok_or_else(|| Error::protocol("GetUser: the response has no UserAttributes"))? {
            if let Some(name) = a.name {
                attributes.insert(name, a.value.unwrap_or_default());
            }
        }
        let js_name = |n: String| MfaKind::from_cognito(&n).map_or(n, |k| k.as_str().to_owned());
        Ok(User {
            username,
            attributes,
            mfa_enabled: parsed.user_mfa_setting_list.unwrap_or_default().into_iter().map(js_name).collect(),
            mfa_preferred: parsed.preferred_mfa_setting.filter(|p| !p.is_empty()).map(js_name),
        })
    }

    /// Turns TOTP off after re-checking the password with SRP. The check passes once Cognito
    /// accepts PASSWORD_VERIFIER, whatever challenge follows (the user is not asked for a code);
    /// only then is `SetUserMFAPreference` sent.
    pub async fn disable_totp(&self, username: &str, password: &Password, access_token: &str) -> Result<(), Error> {
        require_non_empty(access_token, "the access token")?;
        self.password_verifier(username, password).await?;
        let preference = MfaPreference { totp: Some(Preference::Disabled), ..MfaPreference::default() };
        self.set_mfa_preference(access_token, preference).await
    }

    /// `REFRESH_TOKEN_AUTH`. With a client secret Cognito wants `SECRET_HASH`, which is keyed on
    /// the username, so `username` is then required (for alias pools: the `sub` / USER_ID_FOR_SRP).
    pub async fn refresh(&self, refresh_token: &str, username: Option<&str>) -> Result<Tokens, Error> {
        require_non_empty(refresh_token, "the refresh token")?;
        let mut params = BTreeMap::new();
        params.insert("REFRESH_TOKEN".to_owned(), refresh_token.to_owned());
        if let Some(secret) = &self.client_secret {
            let username = username.filter(|u| !u.is_empty()).ok_or_else(|| {
                Error::invalid("refresh with a client secret needs the username (SECRET_HASH is keyed on it)")
            })?;
            params.insert("SECRET_HASH".to_owned(), secret_hash(secret.as_str(), username, &self.client_id)?);
        }
        let body =
            InitiateAuthRequest { auth_flow: "REFRESH_TOKEN_AUTH", client_id: &self.client_id, auth_parameters: params }
                .to_json();
        let response = self.send("InitiateAuth", body).await?;
        let parsed: AuthResponse = wire::parse_success("InitiateAuth", &response.body, false)?;
        match parsed.authentication_result {
            Some(result) => tokens(result),
            None => Err(Error::protocol("InitiateAuth (refresh): the response has no AuthenticationResult")),
        }
    }

    /// `GlobalSignOut`: invalidates every refresh token of the user.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), Error> {
        require_non_empty(access_token, "the access token")?;
        let body = AccessTokenRequest { access_token }.to_json();
        let response = self.send("GlobalSignOut", body).await?;
        wire::parse_success::<EmptyResponse>("GlobalSignOut", &response.body, true)?;
        Ok(())
    }

    /// `RevokeToken`: revokes one refresh token (and the tokens issued from it).
    pub async fn revoke_token(&self, refresh_token: &str) -> Result<(), Error> {
        require_non_empty(refresh_token, "the refresh token")?;
        let body = RevokeTokenRequest {
            token: refresh_token,
            client_id: &self.client_id,
            client_secret: self.client_secret.as_ref().map(SecretString::as_str),
        }
        .to_json();
        let response = self.send("RevokeToken", body).await?;
        wire::parse_success::<EmptyResponse>("RevokeToken", &response.body, true)?;
        Ok(())
    }

    // ---- internals ----

    /// InitiateAuth(USER_SRP_AUTH) + RespondToAuthChallenge(PASSWORD_VERIFIER). Returns the
    /// answer to PASSWORD_VERIFIER and the USER_ID_FOR_SRP it used.
    async fn password_verifier(&self, username: &str, password: &Password) -> Result<(AuthResponse, String), Error> {
        require_non_empty(username, "username")?;
        require_non_empty(password.as_str(), "password")?;
        // Taken, not borrowed: a prepared `a` must never serve a second sign-in.
        let prepared = self.prepared.borrow_mut().take();
        let srp = match prepared {
            Some(srp) => srp,
            None => self.fresh_srp()?,
        };

        let mut params = BTreeMap::new();
        params.insert("USERNAME".to_owned(), username.to_owned());
        params.insert("SRP_A".to_owned(), srp.a_hex());
        self.add_secret_hash(&mut params, username)?;
        let body =
            InitiateAuthRequest { auth_flow: "USER_SRP_AUTH", client_id: &self.client_id, auth_parameters: params }
                .to_json();
        let response = self.send("InitiateAuth", body).await?;
        let parsed: AuthResponse = wire::parse_success("InitiateAuth", &response.body, false)?;
        if parsed.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return Err(Error::protocol(format!(
                "InitiateAuth(USER_SRP_AUTH) answered {} instead of PASSWORD_VERIFIER",
                parsed.challenge_name.as_deref().unwrap_or("no challenge")
            )));
        }
        let params = parsed.challenge_parameters.unwrap_or_default();
        let param = |name: &str| {
            params
                .get(name)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| Error::protocol(format!("PASSWORD_VERIFIER: ChallengeParameters has no {name}")))
        };
        let salt = param("SALT")?;
        let srp_b = param("SRP_B")?;
        let secret_block = param("SECRET_BLOCK")?;
        let srp_username = match params.get("USER_ID_FOR_SRP").filter(|v| !v.is_empty()) {
            Some(u) => u.clone(),
            None => param("USERNAME")?.clone(),
        };
        let timestamp = cognito_timestamp(self.clock.now_unix());
        let claim = srp
            .password_claim(&self.pool_id, &srp_username, password, salt, srp_b, secret_block, &timestamp)
            .map_err(srp_error)?;

        let mut responses = BTreeMap::new();
        responses.insert("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), claim.secret_block_b64);
        responses.insert("PASSWORD_CLAIM_SIGNATURE".to_owned(), claim.signature_b64);
        responses.insert("TIMESTAMP".to_owned(), claim.timestamp);
        let session = parsed.session.map(SecretString::new);
        let response = self
            .respond_raw("PASSWORD_VERIFIER", session.as_ref().map(SecretString::as_str), &srp_username, responses)
            .await?;
        Ok((response, srp_username))
    }

    async fn respond(&self, challenge: &Challenge, responses: BTreeMap<String, String>) -> Result<Step, Error> {
        let response =
            self.respond_raw(&challenge.name, Some(challenge.session.as_str()), &challenge.username, responses).await?;
        self.next_step(response, &challenge.username)
    }

    async fn respond_raw(
        &self,
        challenge_name: &str,
        session: Option<&str>,
        username: &str,
        mut responses: BTreeMap<String, String>,
    ) -> Result<AuthResponse, Error> {
        responses.insert("USERNAME".to_owned(), username.to_owned());
        self.add_secret_hash(&mut responses, username)?;
        let body = RespondToAuthChallengeRequest {
            client_id: &self.client_id,
            challenge_name,
            session,
            challenge_responses: responses,
        }
        .to_json();
        let response = self.send("RespondToAuthChallenge", body).await?;
        wire::parse_success("RespondToAuthChallenge", &response.body, false)
    }

    fn add_secret_hash(&self, params: &mut BTreeMap<String, String>, username: &str) -> Result<(), Error> {
        if let Some(secret) = &self.client_secret {
            params.insert("SECRET_HASH".to_owned(), secret_hash(secret.as_str(), username, &self.client_id)?);
        }
        Ok(())
    }

    /// Maps an InitiateAuth / RespondToAuthChallenge answer to the next [`Step`].
    fn next_step(&self, response: AuthResponse, username: &str) -> Result<Step, Error> {
        if let Some(result) = response.authentication_result {
            return tokens(result).map(Step::Done);
        }
        let name = response
            .challenge_name
            .ok_or_else(|| Error::protocol("the response has neither AuthenticationResult nor ChallengeName"))?;
        let session = response
            .session
            .filter(|s| !s.is_empty())
            .map(SecretString::new)
            .ok_or_else(|| Error::protocol(format!("challenge {name} came without a Session")))?;
        let params = response.challenge_parameters.unwrap_or_default();
        let username = params
            .get("USER_ID_FOR_SRP")
            .or_else(|| params.get("USERNAME"))
            .filter(|u| !u.is_empty())
            .map_or_else(|| username.to_owned(), Clone::clone);
        let param = |key: &str| params.get(key).filter(|v| !v.is_empty()).cloned();
        let challenge = Challenge { name: name.clone(), session, username };
        Ok(match name.as_str() {
            "SOFTWARE_TOKEN_MFA" => Step::TotpCode { challenge, friendly_device_name: param("FRIENDLY_DEVICE_NAME") },
            "MFA_SETUP" => {
                let can_setup = json_string_list(param("MFAS_CAN_SETUP").as_deref());
                Step::MfaSetup { challenge, can_setup }
            }
            "NEW_PASSWORD_REQUIRED" => {
                let required_attributes = json_string_list(param("requiredAttributes").as_deref())
                    .into_iter()
                    .map(|a| a.strip_prefix("userAttributes.").map_or_else(|| a.clone(), str::to_owned))
                    .collect();
                let user_attributes = json_string_map(param("userAttributes").as_deref());
                Step::NewPassword { challenge, required_attributes, user_attributes }
            }
            "SELECT_MFA_TYPE" => {
                let options = json_string_list(param("MFAS_CAN_CHOOSE").as_deref())
                    .iter()
                    .filter_map(|n| MfaKind::from_cognito(n))
                    .collect::<Vec<_>>();
                if options.is_empty() {
                    return Err(Error::protocol("SELECT_MFA_TYPE: MFAS_CAN_CHOOSE lists no known factor"));
                }
                Step::SelectMfa { challenge, options }
            }
            "SMS_MFA" | "SMS_OTP" => {
                Step::SmsCode { challenge, destination: param("CODE_DELIVERY_DESTINATION") }
            }
            "EMAIL_OTP" => Step::EmailCode { challenge, destination: param("CODE_DELIVERY_DESTINATION") },
            other => return Err(Error::protocol(format!("unsupported challenge {other}"))),
        })
    }

    /// POST with the retry policy: up to [`MAX_ATTEMPTS`] tries, backing off between them, only
    /// for throttling, 5xx and network failures. Returns the 2xx response.
    async fn send(&self, operation: &'static str, body: String) -> Result<HttpResponse, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let request = HttpRequest {
                url: self.endpoint.clone(),
                operation,
                headers: wire::headers(operation),
                body: body.clone(),
                timeout_ms: self.timeout_ms,
            };
            let (error, retry) = match self.transport.call(request).await {
                Ok(response) if (200..300).contains(&response.status) => return Ok(response),
                Ok(response) => {
                    let error = wire::parse_error(operation, &response);
                    let retry = response.status >= 500
                        || matches!(&error, Error::Service { name, .. } if name == "TooManyRequestsException");
                    (error, retry)
                }
                Err(TransportError::Timeout) => {
                    let after = self.timeout_ms.map_or_else(String::new, |ms| format!(" after {ms} ms"));
                    (Error::Network(format!("{operation}: the request timed out{after}")), true)
                }
                Err(TransportError::Network(message)) => (Error::Network(format!("{operation}: {message}")), true),
            };
            if !retry || attempt >= MAX_ATTEMPTS {
                return Err(error);
            }
            self.transport.sleep(backoff_ms(attempt - 1, &self.random)).await;
        }
    }
}

fn expect_challenge(challenge: &Challenge, names: &[&str]) -> Result<(), Error> {
    if names.contains(&challenge.name.as_str()) {
        Ok(())
    } else {
        Err(Error::invalid(format!("this step is {}, not {}", challenge.name, names.join(" or "))))
    }
}

fn tokens(result: AuthenticationResult) -> Result<Tokens, Error> {
    let missing = |m: &str| Error::protocol(format!("AuthenticationResult has no {m}"));
    Ok(Tokens {
        access_token: result.access_token.filter(|t| !t.is_empty()).ok_or_else(|| missing("AccessToken"))?,
        id_token: result.id_token.filter(|t| !t.is_empty()).ok_or_else(|| missing("IdToken"))?,
        refresh_token: result.refresh_token.filter(|t| !t.is_empty()),
        expires_in: result.expires_in.ok_or_else(|| missing("ExpiresIn"))?,
        token_type: result.token_type.unwrap_or_else(|| "Bearer".to_owned()),
    })
}

/// Challenge parameters carry lists as JSON text (`"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"`).
fn json_string_list(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| json::from_str::<Vec<String>>(t).ok()).unwrap_or_default()
}

/// `userAttributes` is a JSON object as text; non-string values are dropped.
fn json_string_map(text: Option<&str>) -> BTreeMap<String, String> {
    text.and_then(|t| json::from_str::<StringMembers>(t).ok()).map(|m| m.0).unwrap_or_default()
}

/// A JSON object's string members. Not `miniserde::json::Value`: building Values linked a second
/// object model into the wasm (~2 KB gzip) for this one lenient map.
struct StringMembers(BTreeMap<String, String>);

/// A member value: the string, or `None` for any other JSON value (skipped).
struct StringOrSkip(Option<String>);

struct MembersBuilder<'a> {
    out: &'a mut Option<StringMembers>,
    members: Vec<(String, Option<String>)>,
    value: Option<StringOrSkip>,
}

impl MembersBuilder<'_> {
    /// Files the value of the member just read.
    fn shift(&mut self) {
        if let (Some(last), Some(StringOrSkip(v))) = (self.members.last_mut(), self.value.take()) {
            last.1 = v;
        }
    }
}

impl Map for MembersBuilder<'_> {
    fn key(&mut self, k: &str) -> miniserde::Result<&mut dyn Visitor> {
        self.shift();
        self.members.push((k.to_owned(), None));
        Ok(Deserialize::begin(&mut self.value))
    }
    fn finish(&mut self) -> miniserde::Result<()> {
        self.shift();
        // A repeated name takes its last value, as in a JSON object model, and that value decides
        // whether the member is kept (a map `remove` would link B-tree rebalancing for this corner).
        let mut map = BTreeMap::new();
        for (i, (k, v)) in self.members.iter().enumerate() {
            if let Some(v) = v
                && !self.members[i + 1..].iter().any(|(later, _)| later == k)
            {
                map.insert(k.clone(), v.clone());
            }
        }
        *self.out = Some(StringMembers(map));
        Ok(())
    }
}

miniserde::make_place!(Place);

impl Deserialize for StringMembers {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<StringMembers> {
    fn map(&mut self) -> miniserde::Result<Box<dyn Map + '_>> {
        Ok(Box::new(MembersBuilder { out: &mut self.out, members: Vec::new(), value: None }))
    }
}

impl Deserialize for StringOrSkip {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<StringOrSkip> {
    fn string(&mut self, s: &str) -> miniserde::Result<()> {
        self.out = Some(StringOrSkip(Some(s.to_owned())));
        Ok(())
    }
    fn null(&mut self) -> miniserde::Result<()> {
        self.out = Some(StringOrSkip(None));
        Ok(())
    }
    fn boolean(&mut self, _: bool) -> miniserde::Result<()> {
        self.null()
    }
    fn negative(&mut self, _: i64) -> miniserde::Result<()> {
        self.null()
    }
    fn nonnegative(&mut self, _: u64) -> miniserde::Result<()> {
        self.null()
    }
    fn float(&mut self, _: f64) -> miniserde::Result<()> {
        self.null()
    }
    fn seq(&mut self) -> miniserde::Result<Box<dyn Seq + '_>> {
        self.out = Some(StringOrSkip(None));
        <dyn Visitor>::ignore().seq()
    }
    fn map(&mut self) -> miniserde::Result<Box<dyn Map + '_>> {
        self.out = Some(StringOrSkip(None));
        <dyn Visitor>::ignore().map()
    }
}

#[cfg(test)]
mod tests {
    use super::json_string_map;

    #[test]
    fn user_attributes_keep_string_members_only() {
        let text = r#"{"email":"a@example.com","email_verified":"true","n":1,"neg":-2,"f":1.5,"b":true,"z":null,
            "arr":[1,{"x":"y"}],"obj":{"k":"v"},"dup":"x","dup":2,"dup2":1,"dup2":"s","esc":"\u00e9\n"}"#;
        let map = json_string_map(Some(text));
        let got: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("dup2", "s"), ("email", "a@example.com"), ("email_verified", "true"), ("esc", "é\n")]);
        for not_an_object in [None, Some(""), Some("[]"), Some("\"s\""), Some("{"), Some("{\"a\":\"b\"} x")] {
            assert!(json_string_map(not_an_object).is_empty(), "{not_an_object:?}");
        }
    }
}
