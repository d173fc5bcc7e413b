//! The emulated world: pools, app clients, users, and the tokens handed out. Everything in [`Db`] is
//! what `--state` persists.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Pool-level MFA configuration.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaMode {
    #[default]
    Off,
    Optional,
    On,
}

impl MfaMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "OFF",
            Self::Optional => "OPTIONAL",
            Self::On => "ON",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "OFF" => Some(Self::Off),
            "OPTIONAL" => Some(Self::Optional),
            "ON" => Some(Self::On),
            _ => None,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub key: Option<String>,
    /// Never printed: the Debug impl below redacts it.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub explicit_auth_flows: Vec<String>,
    /// PreventUserExistenceErrors: `Some(true)` = ENABLED, `Some(false)` = LEGACY, `None` = the pool's
    /// seed default.
    #[serde(default)]
    pub prevent_user_existence_errors: Option<bool>,
    /// AccessTokenValidity / IdTokenValidity / RefreshTokenValidity as set (value, unit); `None` = the
    /// emulator's defaults (`Config`).
    #[serde(default)]
    pub access_token_validity: Option<Validity>,
    #[serde(default)]
    pub id_token_validity: Option<Validity>,
    #[serde(default)]
    pub refresh_token_validity: Option<Validity>,
    /// AuthSessionValidity in minutes; `None` = `--session-ttl`.
    #[serde(default)]
    pub auth_session_validity: Option<i64>,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
}

/// A token lifetime as the API states it: a number and its unit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Validity {
    pub value: i64,
    pub unit: TimeUnit,
}

impl Validity {
    pub fn seconds(self) -> i64 {
        self.value.saturating_mul(self.unit.seconds())
    }
}

/// TimeUnitsType.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl TimeUnit {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "seconds" => Some(Self::Seconds),
            "minutes" => Some(Self::Minutes),
            "hours" => Some(Self::Hours),
            "days" => Some(Self::Days),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seconds => "seconds",
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::Days => "days",
        }
    }
    pub fn seconds(self) -> i64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3600,
            Self::Days => 86_400,
        }
    }
}

impl std::fmt::Debug for AppClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppClient")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl AppClient {
    /// A client with AWS's defaults: no secret, the default flows, the emulator's token lifetimes.
    pub fn new(id: String, name: String, now: i64) -> Self {
        Self {
            id,
            name,
            key: None,
            secret: None,
            explicit_auth_flows: Vec::new(),
            prevent_user_existence_errors: None,
            access_token_validity: None,
            id_token_validity: None,
            refresh_token_validity: None,
            auth_session_validity: None,
            created: now,
            modified: now,
        }
    }

    /// Whether the client allows a flow, honouring the legacy names and AWS's default set.
    pub fn allows(&self, flow: &str) -> bool {
        if self.explicit_auth_flows.is_empty() {
            return matches!(flow, "USER_SRP_AUTH" | "REFRESH_TOKEN_AUTH" | "CUSTOM_AUTH");
        }
        let legacy = match flow {
            "ADMIN_USER_PASSWORD_AUTH" => Some("ADMIN_NO_SRP_AUTH"),
            "USER_PASSWORD_AUTH" => Some("USER_PASSWORD_AUTH"),
            "CUSTOM_AUTH" => Some("CUSTOM_AUTH_FLOW_ONLY"),
            _ => None,
        };
        self.explicit_auth_flows
            .iter()
            .any(|f| f.strip_prefix("ALLOW_") == Some(flow) || legacy.is_some_and(|l| f == l))
            || (flow == "REFRESH_TOKEN_AUTH" && !self.explicit_auth_flows.iter().any(|f| f.starts_with("ALLOW_")))
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default, PartialEq, Eq)]
pub struct MfaFlags {
    pub enabled: bool,
    pub preferred: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum UserStatus {
    #[serde(rename = "CONFIRMED")]
    Confirmed,
    #[serde(rename = "FORCE_CHANGE_PASSWORD")]
    ForceChangePassword,
    #[serde(rename = "UNCONFIRMED")]
    Unconfirmed,
    #[serde(rename = "RESET_REQUIRED")]
    ResetRequired,
}

impl UserStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Confirmed => "CONFIRMED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::Unconfirmed => "UNCONFIRMED",
            Self::ResetRequired => "RESET_REQUIRED",
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub sub: String,
    pub status: UserStatus,
    pub enabled: bool,
    pub attributes: BTreeMap<String, String>,
    /// SRP salt and verifier, hex. The password itself is never stored.
    pub salt: String,
    pub verifier: String,
    #[serde(default)]
    pub totp_secret: Option<String>,
    #[serde(default)]
    pub pending_totp_secret: Option<String>,
    #[serde(default)]
    pub totp_device_name: Option<String>,
    #[serde(default)]
    pub last_totp_step: Option<u64>,
    #[serde(default)]
    pub totp: MfaFlags,
    #[serde(default)]
    pub sms: MfaFlags,
    #[serde(default)]
    pub email: MfaFlags,
    #[serde(default)]
    pub failed_attempts: u32,
    #[serde(default)]
    pub locked_until: i64,
    #[serde(default)]
    pub confirmation_code: Option<String>,
    /// ForgotPassword code and its expiry.
    #[serde(default)]
    pub reset_code: Option<(String, i64)>,
    /// GetUserAttributeVerificationCode codes: attribute name → (code, expiry).
    #[serde(default)]
    pub verification_codes: BTreeMap<String, (String, i64)>,
    /// Names of the pool's groups the user belongs to.
    #[serde(default)]
    pub groups: BTreeSet<String>,
    /// The user's DeviceGroupKey, drawn with the first device Cognito hands out (one per user).
    #[serde(default)]
    pub device_group_key: Option<String>,
    /// Device key → device: handed out (NewDeviceMetadata), then confirmed (ConfirmDevice).
    #[serde(default)]
    pub devices: BTreeMap<String, Device>,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
}

/// One device of a user. Its SRP salt and verifier come from the client (ConfirmDevice); the device
/// password itself never reaches the emulator.
#[derive(Clone, Serialize, Deserialize)]
pub struct Device {
    pub key: String,
    /// Set by ConfirmDevice; until then the device is only a key that was handed out.
    #[serde(default)]
    pub confirmed: bool,
    /// DeviceRememberedStatus: `true` = remembered.
    #[serde(default)]
    pub remembered: bool,
    #[serde(default)]
    pub name: Option<String>,
    /// SRP salt and verifier as big-endian hex (no leading zeros in the verifier).
    #[serde(default)]
    pub salt: String,
    #[serde(default)]
    pub verifier: String,
    pub created: i64,
    pub modified: i64,
    #[serde(default)]
    pub last_authenticated: Option<i64>,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("confirmed", &self.confirmed)
            .field("remembered", &self.remembered)
            .field("verifier", &"<redacted>")
            .finish()
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("status", &self.status)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl User {
    /// A user with no MFA and no pending codes.
    pub fn new(username: String, sub: String, status: UserStatus, salt: String, verifier: String, now: i64) -> Self {
        Self {
            username,
            sub,
            status,
            enabled: true,
            attributes: BTreeMap::new(),
            salt,
            verifier,
            totp_secret: None,
            pending_totp_secret: None,
            totp_device_name: None,
            last_totp_step: None,
            totp: MfaFlags::default(),
            sms: MfaFlags::default(),
            email: MfaFlags::default(),
            failed_attempts: 0,
            locked_until: 0,
            confirmation_code: None,
            reset_code: None,
            verification_codes: BTreeMap::new(),
            groups: BTreeSet::new(),
            device_group_key: None,
            devices: BTreeMap::new(),
            created: now,
            modified: now,
        }
    }

    /// The MFA types the user could be challenged with in this pool, in AWS's order.
    pub fn active_mfa(&self, pool: &Pool) -> Vec<&'static str> {
        let mut out = Vec::new();
        if pool.sms_mfa && self.sms.enabled && self.attributes.contains_key("phone_number") {
            out.push("SMS_MFA");
        }
        // In a pool that requires MFA a verified token is used even if the user never "enabled" it.
        let totp_on = self.totp.enabled || pool.mfa == MfaMode::On;
        if pool.software_token_mfa && totp_on && self.totp_secret.is_some() {
            out.push("SOFTWARE_TOKEN_MFA");
        }
        if pool.email_mfa && self.email.enabled && self.attributes.contains_key("email") {
            out.push("EMAIL_OTP");
        }
        out
    }

    /// The preferred MFA type if set and usable.
    pub fn preferred_mfa(&self, pool: &Pool) -> Option<&'static str> {
        let active = self.active_mfa(pool);
        let pick = if self.totp.preferred {
            "SOFTWARE_TOKEN_MFA"
        } else if self.sms.preferred {
            "SMS_MFA"
        } else if self.email.preferred {
            "EMAIL_OTP"
        } else {
            return None;
        };
        active.contains(&pick).then_some(pick)
    }

    /// UserMFASettingList as GetUser/AdminGetUser return it (what is enabled, pool permitting or not).
    pub fn mfa_setting_list(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.sms.enabled {
            out.push("SMS_MFA");
        }
        if self.totp.enabled && self.totp_secret.is_some() {
            out.push("SOFTWARE_TOKEN_MFA");
        }
        if self.email.enabled {
            out.push("EMAIL_OTP");
        }
        out
    }

    pub fn preferred_setting(&self) -> Option<&'static str> {
        if self.totp.preferred {
            Some("SOFTWARE_TOKEN_MFA")
        } else if self.sms.preferred {
            Some("SMS_MFA")
        } else if self.email.preferred {
            Some("EMAIL_OTP")
        } else {
            None
        }
    }

    pub fn attribute_list(&self) -> serde_json::Value {
        let mut attrs = vec![serde_json::json!({"Name": "sub", "Value": self.sub})];
        for (k, v) in &self.attributes {
            if k != "sub" {
                attrs.push(serde_json::json!({"Name": k, "Value": v}));
            }
        }
        serde_json::Value::Array(attrs)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pool {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub key: Option<String>,
    pub mfa: MfaMode,
    pub software_token_mfa: bool,
    pub sms_mfa: bool,
    pub email_mfa: bool,
    #[serde(default)]
    pub username_attributes: Vec<String>,
    #[serde(default)]
    pub prevent_user_existence_errors: bool,
    pub clients: Vec<AppClient>,
    pub users: BTreeMap<String, User>,
    /// Group name → group (membership lives on the users).
    #[serde(default)]
    pub groups: BTreeMap<String, Group>,
    #[serde(default)]
    pub settings: PoolSettings,
    #[serde(default)]
    pub created: i64,
    #[serde(default)]
    pub modified: i64,
}

/// What CreateUserPool / UpdateUserPool set beyond MFA. UpdateUserPool resets every member it is not
/// given to these defaults, as AWS does.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PoolSettings {
    #[serde(default)]
    pub password_policy: PasswordPolicy,
    /// Device tracking: on when set (AWS: any DeviceConfiguration member turns it on).
    #[serde(default)]
    pub device_configuration: Option<DeviceConfiguration>,
    /// `email` / `phone_number`: a changed value gets a verification code without being asked.
    #[serde(default)]
    pub auto_verified_attributes: Vec<String>,
    /// AdminCreateUserConfig.AllowAdminCreateUserOnly: SignUp is refused.
    #[serde(default)]
    pub admin_create_user_only: bool,
    /// DeletionProtection ACTIVE: DeleteUserPool is refused.
    #[serde(default)]
    pub deletion_protection: bool,
}

/// Policies.PasswordPolicy, enforced on every new password of the pool.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub minimum_length: i64,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: i64,
}

impl Default for PasswordPolicy {
    /// Cognito's default policy.
    fn default() -> Self {
        Self {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// DeviceConfigurationType. As the API reference words it: ChallengeRequiredOnNewDevice = a remembered device
/// signs in with device authentication instead of an MFA code; DeviceOnlyRememberedOnUserPrompt = ConfirmDevice
/// leaves the device not remembered until UpdateDeviceStatus says otherwise.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DeviceConfiguration {
    pub challenge_required_on_new_device: bool,
    pub device_only_remembered_on_user_prompt: bool,
}

/// A user pool group. Lower precedence wins (comes first in `cognito:groups`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub role_arn: Option<String>,
    #[serde(default)]
    pub precedence: Option<i64>,
    pub created: i64,
    pub modified: i64,
}

impl Pool {
    /// An empty pool with MFA off and the default settings.
    pub fn new(id: String, name: String, now: i64) -> Self {
        Self {
            id,
            name,
            key: None,
            mfa: MfaMode::Off,
            software_token_mfa: false,
            sms_mfa: false,
            email_mfa: false,
            username_attributes: Vec::new(),
            prevent_user_existence_errors: false,
            clients: Vec::new(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            settings: PoolSettings::default(),
            created: now,
            modified: now,
        }
    }

    pub fn region(&self) -> &str {
        self.id.split_once('_').map_or("us-east-1", |(r, _)| r)
    }

    /// Finds a user by username or, when the pool signs in with email/phone, by that alias.
    pub fn find_user_key(&self, name: &str) -> Option<String> {
        if self.users.contains_key(name) {
            return Some(name.to_owned());
        }
        let lower = name.to_lowercase();
        if self.users.contains_key(&lower) {
            return Some(lower);
        }
        for attr in &self.username_attributes {
            let attr = if attr == "phone_number" { "phone_number" } else { "email" };
            if let Some(u) =
                self.users.values().find(|u| u.attributes.get(attr).is_some_and(|v| v.eq_ignore_ascii_case(name)))
            {
                return Some(u.username.clone());
            }
        }
        None
    }

    pub fn client(&self, id: &str) -> Option<&AppClient> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The user's groups, highest priority first: by precedence (groups without one last), then name.
    pub fn groups_of(&self, user: &User) -> Vec<&Group> {
        let mut groups: Vec<&Group> = user.groups.iter().filter_map(|g| self.groups.get(g)).collect();
        groups.sort_by(|a, b| {
            (a.precedence.is_none(), a.precedence, &a.name).cmp(&(b.precedence.is_none(), b.precedence, &b.name))
        });
        groups
    }
}

/// One sign-in: a refresh token and every access/id token minted from it share its `origin_jti`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grant {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub origin_jti: String,
    pub auth_time: i64,
    pub expires: i64,
    pub revoked: bool,
}

/// The persistent state. No Debug: it holds refresh tokens and the signing key.
#[derive(Default, Serialize, Deserialize)]
pub struct Db {
    pub pools: BTreeMap<String, Pool>,
    /// Refresh token → grant. The token string is the secret; it is never logged.
    pub grants: BTreeMap<String, Grant>,
    /// origin_jti values whose tokens are revoked.
    pub revoked_origins: BTreeSet<String>,
    /// PKCS#8 DER of the RSA signing key, base64.
    #[serde(default)]
    pub signing_key: String,
}

impl Db {
    /// The pool that owns an app client id.
    pub fn pool_id_for_client(&self, client_id: &str) -> Option<String> {
        self.pools.values().find(|p| p.client(client_id).is_some()).map(|p| p.id.clone())
    }
}
