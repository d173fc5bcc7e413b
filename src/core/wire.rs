//! Cognito's JSON 1.1 messages (member names from the botocore model
//! `cognito-idp/2016-04-18/service-2.json`), the request headers, and error-body parsing.
//!
//! miniserde keeps the wasm small but cannot skip `None` on output, so requests are written
//! through [`Body`], which only emits members that are present; responses derive `Deserialize`
//! with every member optional and are checked for the members a step needs in `flow`.

use std::collections::BTreeMap;

use miniserde::json;
use miniserde::Deserialize;

use super::error::{is_retryable_type, Error};
use super::transport::HttpResponse;

/// `X-Amz-Target` prefix of every user-pool operation.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
pub const USER_AGENT: &str = concat!("cognito-totp/", env!("CARGO_PKG_VERSION"));

/// The headers every call carries, in the order they are sent.
pub fn headers(operation: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", CONTENT_TYPE.to_owned()),
        ("X-Amz-Target", format!("{TARGET_PREFIX}{operation}")),
        ("X-Amz-User-Agent", USER_AGENT.to_owned()),
    ]
}

/// A JSON object under construction that leaves out absent members. Members are kept as rendered
/// JSON, sorted by name (the order the earlier `miniserde::json::Object` gave), and written out by
/// hand: going through `miniserde::json::Value` linked its whole serializer, floats included.
#[derive(Default)]
pub struct Body(Vec<(String, String)>);

impl Body {
    pub fn new() -> Self {
        Body(Vec::new())
    }
    fn member(mut self, key: &str, rendered: String) -> Self {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => self.0[i].1 = rendered,
            Err(i) => self.0.insert(i, (key.to_owned(), rendered)),
        }
        self
    }
    pub fn str(self, key: &str, value: &str) -> Self {
        let mut out = String::with_capacity(value.len() + 2);
        write_str(&mut out, value);
        self.member(key, out)
    }
    pub fn opt_str(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }
    pub fn bool(self, key: &str, value: bool) -> Self {
        self.member(key, if value { "true" } else { "false" }.to_owned())
    }
    pub fn map(self, key: &str, entries: &BTreeMap<String, String>) -> Self {
        let body = entries.iter().fold(Body::new(), |b, (k, v)| b.str(k, v));
        self.object(key, body)
    }
    pub fn object(self, key: &str, value: Body) -> Self {
        self.member(key, value.into_json())
    }
    pub fn opt_object(self, key: &str, value: Option<Body>) -> Self {
        match value {
            Some(v) => self.object(key, v),
            None => self,
        }
    }
    pub fn into_json(self) -> String {
        let mut out = String::from("{");
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&mut out, k);
            out.push(':');
            out.push_str(v);
        }
        out.push('}');
        out
    }
}

/// A JSON string literal with the escapes serde_json and miniserde write: `\"`, `\\`, the short
/// forms `\b \t \n \f \r`, `\u00XX` (lowercase hex) for the other control characters, all else as is.
fn write_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                let b = u32::from(c) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[b >> 4]));
                out.push(char::from(HEX[b & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---- requests -------------------------------------------------------------------------------

/// `InitiateAuth` (USER_SRP_AUTH, REFRESH_TOKEN_AUTH).
pub struct InitiateAuthRequest<'a> {
    pub auth_flow: &'a str,
    pub client_id: &'a str,
    pub auth_parameters: BTreeMap<String, String>,
}

impl InitiateAuthRequest<'_> {
    pub fn to_json(&self) -> String {
        Body::new()
            .str("AuthFlow", self.auth_flow)
            .str("ClientId", self.client_id)
            .map("AuthParameters", &self.auth_parameters)
            .into_json()
    }
}

/// `RespondToAuthChallenge`.
pub struct RespondToAuthChallengeRequest<'a> {
    pub client_id: &'a str,
    pub challenge_name: &'a str,
    pub session: Option<&'a str>,
    pub challenge_responses: BTreeMap<String, String>,
}

impl RespondToAuthChallengeRequest<'_> {
    pub fn to_json(&self) -> String {
        Body::new()
            .str("ChallengeName", self.challenge_name)
            .str("ClientId", self.client_id)
            .map("ChallengeResponses", &self.challenge_responses)
            .opt_str("Session", self.session)
            .into_json()
    }
}

/// `AssociateSoftwareToken`: exactly one of the access token or the sign-in Session.
pub enum TokenOrSession<'a> {
    AccessToken(&'a str),
    Session(&'a str),
}

impl TokenOrSession<'_> {
    fn add(&self, body: Body) -> Body {
        match self {
            TokenOrSession::AccessToken(t) => body.str("AccessToken", t),
            TokenOrSession::Session(s) => body.str("Session", s),
        }
    }
}

pub struct AssociateSoftwareTokenRequest<'a> {
    pub auth: TokenOrSession<'a>,
}

impl AssociateSoftwareTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        self.auth.add(Body::new()).into_json()
    }
}

pub struct VerifySoftwareTokenRequest<'a> {
    pub auth: TokenOrSession<'a>,
    pub user_code: &'a str,
    pub friendly_device_name: Option<&'a str>,
}

impl VerifySoftwareTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        self.auth
            .add(Body::new())
            .str("UserCode", self.user_code)
            .opt_str("FriendlyDeviceName", self.friendly_device_name)
            .into_json()
    }
}

/// `{Enabled, PreferredMfa}` of `SMSMfaSettings`, `SoftwareTokenMfaSettings`, `EmailMfaSettings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaSettings {
    pub enabled: bool,
    pub preferred: bool,
}

impl MfaSettings {
    fn body(self) -> Body {
        Body::new().bool("Enabled", self.enabled).bool("PreferredMfa", self.preferred)
    }
}

pub struct SetUserMfaPreferenceRequest<'a> {
    pub access_token: &'a str,
    pub software_token: Option<MfaSettings>,
    pub sms: Option<MfaSettings>,
    pub email: Option<MfaSettings>,
}

impl SetUserMfaPreferenceRequest<'_> {
    pub fn to_json(&self) -> String {
        Body::new()
            .str("AccessToken", self.access_token)
            .opt_object("EmailMfaSettings", self.email.map(MfaSettings::body))
            .opt_object("SMSMfaSettings", self.sms.map(MfaSettings::body))
            .opt_object("SoftwareTokenMfaSettings", self.software_token.map(MfaSettings::body))
            .into_json()
    }
}

/// `GetUser` and `GlobalSignOut` take only the access token.
pub struct AccessTokenRequest<'a> {
    pub access_token: &'a str,
}

impl AccessTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        Body::new().str("AccessToken", self.access_token).into_json()
    }
}

pub struct RevokeTokenRequest<'a> {
    pub token: &'a str,
    pub client_id: &'a str,
    pub client_secret: Option<&'a str>,
}

impl RevokeTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        Body::new()
            .str("ClientId", self.client_id)
            .opt_str("ClientSecret", self.client_secret)
            .str("Token", self.token)
            .into_json()
    }
}

// ---- responses ------------------------------------------------------------------------------

/// `InitiateAuth` and `RespondToAuthChallenge` share this shape.
#[derive(Deserialize, Default)]
pub struct AuthResponse {
    #[serde(rename = "ChallengeName")]
    pub challenge_name: Option<String>,
    #[serde(rename = "Session")]
    pub session: Option<String>,
    #[serde(rename = "ChallengeParameters")]
    pub challenge_parameters: Option<BTreeMap<String, String>>,
    #[serde(rename = "AuthenticationResult")]
    pub authentication_result: Option<AuthenticationResult>,
}

#[derive(Deserialize, Default)]
pub struct AuthenticationResult {
    #[serde(rename = "AccessToken")]
    pub access_token: Option<String>,
    #[serde(rename = "IdToken")]
    pub id_token: Option<String>,
    #[serde(rename = "RefreshToken")]
    pub refresh_token: Option<String>,
    #[serde(rename = "ExpiresIn")]
    pub expires_in: Option<u64>,
    #[serde(rename = "TokenType")]
    pub token_type: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AssociateSoftwareTokenResponse {
    #[serde(rename = "SecretCode")]
    pub secret_code: Option<String>,
    #[serde(rename = "Session")]
    pub session: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct VerifySoftwareTokenResponse {
    #[serde(rename = "Status")]
    pub status: Option<String>,
    #[serde(rename = "Session")]
    pub session: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AttributeType {
    #[serde(rename = "Name")]
    pub name: Option<String>,
    #[serde(rename = "Value")]
    pub value: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct GetUserResponse {
    #[serde(rename = "Username")]
    pub username: Option<String>,
    #[serde(rename = "UserAttributes")]
    pub user_attributes: Option<Vec<AttributeType>>,
    #[serde(rename = "PreferredMfaSetting")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

/// Operations whose output has no members (`SetUserMFAPreference`, `GlobalSignOut`,
/// `RevokeToken`): any JSON object is accepted.
#[derive(Deserialize, Default)]
pub struct EmptyResponse {}

/// Parse a 2xx body. An empty body is accepted only for operations whose output has no members,
/// which `allow_empty` says.
pub fn parse_success<T>(operation: &str, body: &str, allow_empty: bool) -> Result<T, Error>
where
    T: Deserialize + Default,
{
    if allow_empty && body.trim().is_empty() {
        return Ok(<T as Default>::default());
    }
    json::from_str::<T>(body).map_err(|_| {
        Error::protocol(format!("{operation}: the response is not the expected JSON ({})", describe_body(body)))
    })
}

/// Says what kind of body came back, without echoing it (it could hold tokens).
fn describe_body(body: &str) -> &'static str {
    let t = body.trim_start();
    if t.is_empty() {
        "empty body"
    } else if t.starts_with('<') {
        "HTML body"
    } else if t.starts_with('{') {
        "malformed or incomplete JSON"
    } else {
        "not JSON"
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "__type")]
    error_type: Option<String>,
    message: Option<String>,
    #[serde(rename = "Message")]
    message_upper: Option<String>,
}

/// `com.amazonaws...#NotAuthorizedException:http://...` → `NotAuthorizedException`.
pub fn normalize_error_type(raw: &str) -> &str {
    let after_hash = raw.rsplit_once('#').map_or(raw, |(_, t)| t);
    let before_colon = after_hash.split_once(':').map_or(after_hash, |(t, _)| t);
    before_colon.trim()
}

/// Turn a non-2xx response into an [`Error`]. The `__type` member wins over the header.
pub fn parse_error(operation: &str, response: &HttpResponse) -> Error {
    let parsed = json::from_str::<ErrorBody>(&response.body).ok();
    let from_body = parsed.as_ref().and_then(|b| b.error_type.as_deref()).map(normalize_error_type);
    let from_header = response.error_type_header.as_deref().map(normalize_error_type);
    let name = from_body.or(from_header).filter(|n| !n.is_empty()).map(str::to_owned);
    let retry_status = response.status >= 500;
    match name {
        Some(name) => {
            // An empty `message` must not win over `Message` or leave JS an Error with no text
            // (found by fuzz/fuzz_targets/wire.rs).
            let non_blank = |m: Option<String>| m.filter(|m| !m.trim().is_empty());
            let message = parsed
                .and_then(|b| non_blank(b.message).or_else(|| non_blank(b.message_upper)))
                .unwrap_or_else(|| format!("{operation} failed with HTTP {}", response.status));
            Error::Service {
                retryable: retry_status || is_retryable_type(&name),
                name,
                message,
            }
        }
        None => Error::protocol(format!(
            "{operation}: HTTP {} without a Cognito error type ({})",
            response.status,
            describe_body(&response.body)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniserde::json::{Object, Value};

    #[test]
    fn error_types_lose_namespace_and_suffix() {
        assert_eq!(normalize_error_type("NotAuthorizedException"), "NotAuthorizedException");
        assert_eq!(
            normalize_error_type("com.amazonaws.cognito.identity.idp.model#CodeMismatchException"),
            "CodeMismatchException"
        );
        assert_eq!(
            normalize_error_type("UserNotFoundException:http://internal.amazon.com/coral/com.amazonaws.cognito/"),
            "UserNotFoundException"
        );
        assert_eq!(normalize_error_type("aws#ExpiredCodeException:http://x/"), "ExpiredCodeException");
    }

    #[test]
    fn bodies_omit_absent_members() {
        let body = VerifySoftwareTokenRequest {
            auth: TokenOrSession::Session("s"),
            user_code: "123456",
            friendly_device_name: None,
        }
        .to_json();
        assert_eq!(body, r#"{"Session":"s","UserCode":"123456"}"#);
        let body = RevokeTokenRequest { token: "t", client_id: "c", client_secret: None }.to_json();
        assert_eq!(body, r#"{"ClientId":"c","Token":"t"}"#);
    }

    #[test]
    fn strings_are_json_escaped() {
        let body = Body::new().str("K", "a\"b\\c\n\u{1}ü").into_json();
        assert_eq!(miniserde::json::from_str::<Value>(&body).map(|v| json::to_string(&v)).ok(), Some(body.clone()));
        assert!(body.contains(r#"a\"b\\c\n"#), "{body}");
    }

    #[test]
    fn bodies_are_what_miniserde_wrote_for_the_same_object() {
        let every_char: String = (0u32..0x80).chain([0xe9, 0x2028, 0x1f600]).filter_map(char::from_u32).collect();
        let mut map = BTreeMap::new();
        map.insert("zeta".to_owned(), every_char.clone());
        map.insert("Alpha".to_owned(), String::new());
        let body = Body::new()
            .bool("On", false)
            .str("b", &every_char)
            .map("M", &map)
            .object("Nested", Body::new().bool("x", true).str("a", "1"))
            .str("b", "replaced")
            .into_json();

        let mut expected = Object::new();
        expected.insert("On".into(), Value::Bool(false));
        expected.insert("b".into(), Value::String("replaced".into()));
        let mut m = Object::new();
        for (k, v) in &map {
            m.insert(k.clone(), Value::String(v.clone()));
        }
        expected.insert("M".into(), Value::Object(m));
        let mut nested = Object::new();
        nested.insert("x".into(), Value::Bool(true));
        nested.insert("a".into(), Value::String("1".into()));
        expected.insert("Nested".into(), Value::Object(nested));
        assert_eq!(body, json::to_string(&Value::Object(expected)));
        assert_eq!(Body::new().into_json(), "{}");
    }

    #[test]
    fn a_5xx_error_is_retryable_and_the_header_is_a_fallback() {
        let r = HttpResponse { status: 500, error_type_header: Some("InternalErrorException".into()), body: String::new() };
        let e = parse_error("GetUser", &r);
        assert_eq!((e.name(), e.retryable()), ("InternalErrorException", true));
        let r = HttpResponse {
            status: 400,
            error_type_header: Some("HeaderException".into()),
            body: r#"{"__type":"BodyException","message":"m"}"#.into(),
        };
        assert_eq!(parse_error("GetUser", &r).name(), "BodyException");
    }
}
