//! What an app passes in — the client configuration, SVG options, otpauth labels, MFA preferences — as serde
//! types whose members are [`Loose`], then checked here with the messages the public API documents. A member of
//! the wrong type is an `InvalidParameterException` naming it, never a coercion.

use alloc::format;
use alloc::string::String;

use super::error::Error;
use super::qr::{Ecc, SvgOptions};
use super::wire::Loose;

/// `undefined`/`null` → `None`; a string → itself; anything else is refused.
pub fn opt_string(value: &Loose, key: &str) -> Result<Option<String>, Error> {
    match value {
        Loose::Missing => Ok(None),
        Loose::Str(s) => Ok(Some(s.clone())),
        _ => Err(Error::invalid(format!("{key} must be a string"))),
    }
}

/// `true`, `false`, or absent.
pub fn opt_bool(value: &Loose, key: &str) -> Result<Option<bool>, Error> {
    match value {
        Loose::Missing => Ok(None),
        Loose::Bool(b) => Ok(Some(*b)),
        _ => Err(Error::invalid(format!("{key} must be true or false"))),
    }
}

/// A whole number in `0..=u32::MAX`, or absent.
pub fn opt_uint(value: &Loose, key: &str) -> Result<Option<u32>, Error> {
    match *value {
        Loose::Missing => Ok(None),
        Loose::Num(n) if n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Ok(Some(n as u32)),
        _ => Err(Error::invalid(format!("{key} must be a non-negative integer"))),
    }
}

/// A string that must be there (`None`: the app passed something else) and not be empty.
pub fn required<'a>(value: Option<&'a str>, what: &str) -> Result<&'a str, Error> {
    match value {
        None => Err(Error::invalid(format!("{what} must be a string"))),
        Some("") => Err(Error::invalid(format!("{what} must not be empty"))),
        Some(v) => Ok(v),
    }
}

/// `new CognitoTotp({ userPoolId, clientId, endpoint?, clientSecret?, timeoutMs? })`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConfigInput {
    pub user_pool_id: Loose,
    pub client_id: Loose,
    pub endpoint: Loose,
    pub client_secret: Loose,
    pub timeout_ms: Loose,
}

/// `{ ecc?, border?, dark?, light?, title? }`, with an otpauth label's `issuer` and `account` beside them when the
/// options come to `TotpSetup.qrSvg`, and `secret` for the free `otpauthUri`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DrawInput {
    pub secret: Loose,
    pub issuer: Loose,
    pub account: Loose,
    pub ecc: Loose,
    pub border: Loose,
    pub dark: Loose,
    pub light: Loose,
    pub title: Loose,
}

impl DrawInput {
    /// The otpauth label: `(issuer, account)`, each `""` when absent.
    pub fn label(&self) -> Result<(String, String), Error> {
        Ok((
            opt_string(&self.issuer, "issuer")?.unwrap_or_default(),
            opt_string(&self.account, "account")?.unwrap_or_default(),
        ))
    }

    /// The SVG options; absent members keep the defaults.
    pub fn svg_options(&self) -> Result<SvgOptions, Error> {
        let mut opts = SvgOptions::default();
        if let Some(ecc) = opt_string(&self.ecc, "ecc")? {
            opts.ecc = match ecc.as_str() {
                "L" | "low" => Ecc::Low,
                "M" | "medium" => Ecc::Medium,
                "Q" | "quartile" => Ecc::Quartile,
                "H" | "high" => Ecc::High,
                _ => return Err(Error::invalid("ecc must be \"L\", \"M\", \"Q\" or \"H\"")),
            };
        }
        if let Some(border) = opt_uint(&self.border, "border")? {
            opts.border = border;
        }
        if let Some(dark) = opt_string(&self.dark, "dark")? {
            opts.dark = dark;
        }
        if let Some(light) = opt_string(&self.light, "light")? {
            opts.light = light;
        }
        opts.title = opt_string(&self.title, "title")?;
        Ok(opts)
    }
}

/// `setMfaPreference(accessToken, { totp, sms?, email? })`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PreferenceInput {
    pub totp: Loose,
    pub sms: Loose,
    pub email: Loose,
}

/// A device as the app kept it (`Device.toRecord()`): `{ key, groupKey, password }`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceInput {
    pub key: Loose,
    pub group_key: Loose,
    pub password: Loose,
}

/// What `rememberDevice` reads of a done step (or of `{ tokens, newDevice }` the app kept).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RememberInput {
    pub tokens: TokensInput,
    pub new_device: DeviceInput,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TokensInput {
    pub access_token: Loose,
}

/// `rememberDevice(step, { name?, remember? })` and `listDevices(token, { limit?, paginationToken? })`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceOptions {
    pub name: Loose,
    pub remember: Loose,
    pub limit: Loose,
    pub pagination_token: Loose,
}
