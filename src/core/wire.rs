//! The Cognito JSON 1.1 messages as serde types: requests (`Serialize`, PascalCase members, absent optional ones
//! left out) and answers (`Deserialize`). The core never sees JSON text: the platform turns a request into its
//! own value (serde-wasm-bindgen, then `JSON.stringify`, in the browser) and hands answers back as its own
//! parsed value (`JSON.parse`, then serde-wasm-bindgen).
//!
//! Answers are read leniently, member by member, the way the AWS SDKs read them: a member of the wrong type
//! counts as absent ([`Loose`]), and the state machine then decides whether that absence is a
//! `ProtocolError`. Shapes are those of botocore's model (`cognito-idp/2016-04-18/service-2.json`).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

// ---- reading answers ------------------------------------------------------------------------------------

/// Any JSON value, kept only as far as the client reads it: strings, numbers and lists of them. Objects,
/// booleans and `null` carry nothing the client reads where a `Loose` stands, and an absent member is
/// [`Loose::Missing`]. One `Deserialize` impl for every scalar member keeps the wasm small.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Loose {
    #[default]
    Missing,
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Loose>),
    /// An object, or anything else the client has no use for here.
    Other,
}

impl Loose {
    /// A non-empty string, else `None` (an empty string says nothing in Cognito's answers).
    pub fn text(&self) -> Option<&str> {
        match self {
            Loose::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// Any string, the empty one included.
    pub fn string(&self) -> Option<&str> {
        match self {
            Loose::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Takes the non-empty string out.
    pub fn take_text(&mut self) -> Option<String> {
        match core::mem::take(self) {
            Loose::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }

    /// `null` or absent.
    pub fn is_missing(&self) -> bool {
        matches!(self, Loose::Missing)
    }

    /// A list whose every item is a string (`None` for anything else, a list holding a non-string included).
    pub fn strings(&self) -> Option<Vec<&str>> {
        match self {
            Loose::List(items) => items.iter().map(Loose::string).collect(),
            _ => None,
        }
    }

    /// `true` only for the JSON `true`.
    pub fn is_true(&self) -> bool {
        matches!(self, Loose::Bool(true))
    }

    /// A number (Cognito's dates are seconds since the epoch, with a fraction).
    pub fn number(&self) -> Option<f64> {
        match *self {
            Loose::Num(n) if n.is_finite() => Some(n),
            _ => None,
        }
    }

    /// A whole number of seconds as Cognito's `ExpiresIn` (an integer, at most 2^53 so that JS reads it exactly).
    pub fn seconds(&self) -> Option<u64> {
        const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
        match *self {
            Loose::Num(n) if (0.0..=MAX_SAFE).contains(&n) && n.fract() == 0.0 => Some(n as u64),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Missing)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Missing)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        Loose::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Num(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Str(v))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Loose::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        // Read to the end: a streaming deserializer (serde_json in the tests) insists.
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
}

/// A JSON object's members in order, a repeated name keeping its last value (as `JSON.parse` has it): the
/// attributes of a user, which the app gets as a plain object. A list, not a `BTreeMap`: a handful of entries,
/// and no B-tree code in the wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Members<V>(pub Vec<(String, V)>);

impl<V> Default for Members<V> {
    fn default() -> Self {
        Members(Vec::new())
    }
}

impl<V> Members<V> {
    pub fn set(&mut self, key: String, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<V: Serialize> Serialize for Members<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Members<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor<V>(core::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MembersVisitor<V> {
            type Value = Members<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<V>, A::Error> {
                let mut out = Members::default();
                while let Some((key, value)) = map.next_entry()? {
                    out.set(key, value);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(MembersVisitor(core::marker::PhantomData))
    }
}

/// Every answer the client reads, as one type, so that one decoder is compiled: each operation's output sets the
/// members botocore's model gives it and leaves the rest absent.
///
/// | operation | members |
/// |---|---|
/// | `InitiateAuth`, `RespondToAuthChallenge` | `ChallengeName`, `Session`, `ChallengeParameters`, `AuthenticationResult` |
/// | `AssociateSoftwareToken` | `SecretCode`, `Session` (when called with one) |
/// | `VerifySoftwareToken` | `Status`, `Session` (when called with one) |
/// | `GetUser` | `Username`, `UserAttributes`, `UserMFASettingList`, `PreferredMfaSetting` |
/// | `ConfirmDevice` | `UserConfirmationNecessary` |
/// | `ListDevices`, `GetDevice` | `Devices`, `PaginationToken`; `Device` |
/// | any error (non-2xx) | `__type`, `message` (some services: `Message`) |
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Answer {
    pub challenge_name: Loose,
    pub session: Loose,
    pub challenge_parameters: Option<ChallengeParameters>,
    pub authentication_result: Option<AuthenticationResult>,
    pub secret_code: Loose,
    pub status: Loose,
    pub username: Loose,
    pub user_attributes: Option<Vec<Option<AttributeType>>>,
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Loose,
    pub preferred_mfa_setting: Loose,
    pub user_confirmation_necessary: Loose,
    pub devices: Option<Vec<Option<DeviceType>>>,
    pub device: Option<DeviceType>,
    pub pagination_token: Loose,
    #[serde(rename = "__type")]
    pub error_type: Loose,
    #[serde(rename = "message")]
    pub error_message: Loose,
    #[serde(rename = "Message")]
    pub error_message_capitalised: Loose,
}

/// The members of `ChallengeParameters` the client reads (all strings; lists and maps as JSON text).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "SCREAMING_SNAKE_CASE")]
pub struct ChallengeParameters {
    pub salt: Loose,
    pub srp_b: Loose,
    pub secret_block: Loose,
    pub username: Loose,
    pub user_id_for_srp: Loose,
    pub friendly_device_name: Loose,
    pub mfas_can_setup: Loose,
    pub mfas_can_choose: Loose,
    pub code_delivery_destination: Loose,
    #[serde(rename = "requiredAttributes")]
    pub required_attributes: Loose,
    #[serde(rename = "userAttributes")]
    pub user_attributes: Loose,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: Loose,
    pub id_token: Loose,
    pub refresh_token: Loose,
    pub expires_in: Loose,
    pub token_type: Loose,
    /// On a sign-in in a pool that tracks devices, from a device it does not know yet.
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    pub device_key: Loose,
    pub device_group_key: Loose,
}

/// One device of `ListDevices` / `GetDevice`; the dates are seconds since the epoch.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DeviceType {
    pub device_key: Loose,
    pub device_attributes: Option<Vec<Option<AttributeType>>>,
    pub device_create_date: Loose,
    pub device_last_modified_date: Loose,
    pub device_last_authenticated_date: Loose,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: Loose,
    pub value: Loose,
}

/// `com.amazonaws.cognito.identity.idp.model#NotAuthorizedException:http://internal...` → `NotAuthorizedException`:
/// the part after the last `#` and before the first `:`, trimmed; `None` when nothing is left.
pub fn error_type(raw: &str) -> Option<&str> {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    let name = after_hash.split(':').next().unwrap_or(after_hash).trim();
    (!name.is_empty()).then_some(name)
}

// ---- writing requests -----------------------------------------------------------------------------------

/// `AuthParameters` / `ChallengeResponses`: a string map, in insertion order, a key set twice keeping its last
/// value.
#[derive(Default, Clone)]
pub struct Params<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Params<'a> {
    pub fn new() -> Self {
        Params(Vec::new())
    }

    pub fn set(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) {
        let (key, value) = (key.into(), value.into());
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }
}

/// The values can be a Session, a code or a new password.
impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(k, _)| k)).finish()
    }
}

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(&**k, &**v)?;
        }
        map.end()
    }
}

/// Every request body the client sends, as one type so that one serializer is compiled. `InitiateAuth`,
/// `RespondToAuthChallenge`, `AssociateSoftwareToken`, `VerifySoftwareToken`, `SetUserMFAPreference`, `GetUser`,
/// `GlobalSignOut` and `RevokeToken` each fill the members botocore's model gives them; the rest stay absent.
#[derive(Debug, Default, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Request<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_flow: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_parameters: Option<Params<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_responses: Option<Params<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettings>,
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_secret_verifier_config: Option<VerifierConfig<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<&'a str>,
}

/// ConfirmDevice's `DeviceSecretVerifierConfig` (base64 of padHex bytes, as amazon-cognito-identity-js sends them).
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifierConfig<'a> {
    pub password_verifier: &'a str,
    pub salt: &'a str,
}

/// One factor of `SetUserMFAPreference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn error_types_lose_namespace_and_suffix() {
        for (raw, name) in [
            ("NotAuthorizedException", Some("NotAuthorizedException")),
            (
                "com.amazonaws.cognito.identity.idp.model#PasswordResetRequiredException",
                Some("PasswordResetRequiredException"),
            ),
            (
                "UserNotConfirmedException:http://internal.amazon.com/coral/com.amazonaws.cognito/",
                Some("UserNotConfirmedException"),
            ),
            ("aws#LimitExceededException:http://x/", Some("LimitExceededException")),
            (" Weird ", Some("Weird")),
            ("", None),
            ("#", None),
            (":", None),
            ("##::", None),
        ] {
            assert_eq!(error_type(raw), name, "{raw:?}");
        }
    }

    #[test]
    fn loose_reads_what_the_client_needs() {
        let v: Vec<Loose> = serde_json::from_str(r#"["a","",1,2.5,null,true,{"k":[1]},["x",1]]"#).unwrap();
        assert_eq!(v[0].text(), Some("a"));
        assert_eq!(v[1].text(), None);
        assert_eq!(v[1].string(), Some(""));
        assert_eq!(v[2].seconds(), Some(1));
        assert_eq!(v[3].seconds(), None);
        assert!(v[4].is_missing());
        assert_eq!(v[5], Loose::Bool(true));
        assert!(v[5].is_true() && !v[0].is_true());
        assert_eq!(v[6], Loose::Other);
        assert_eq!(v[7].strings(), None);
        assert_eq!(Loose::List(vec![Loose::Str("x".into())]).strings(), Some(vec!["x"]));
        for n in ["-1", "1e308", "18446744073709551616", "9007199254740992"] {
            assert_eq!(serde_json::from_str::<Loose>(n).unwrap().seconds(), None, "{n}");
        }
    }

    #[test]
    fn requests_leave_absent_members_out() {
        let mut params = Params::new();
        params.set("USERNAME", "alice");
        params.set("SRP_A", "ab");
        params.set("USERNAME", "bob");
        let body = Request {
            auth_flow: Some("USER_SRP_AUTH"),
            client_id: Some("c"),
            auth_parameters: Some(params),
            ..Request::default()
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"AuthFlow":"USER_SRP_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"bob","SRP_A":"ab"}}"#
        );
        let prefs = Request {
            access_token: Some("t"),
            sms_mfa_settings: Some(MfaSettings { enabled: false, preferred_mfa: false }),
            ..Request::default()
        };
        assert_eq!(
            serde_json::to_string(&prefs).unwrap(),
            r#"{"AccessToken":"t","SMSMfaSettings":{"Enabled":false,"PreferredMfa":false}}"#
        );
    }
}
