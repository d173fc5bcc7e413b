//! Rust ↔ JS values, by hand with `Reflect` (no serde: it would cost more wasm than all of this).

use std::collections::BTreeMap;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::flow::{Challenge, MfaPreference, Preference, Step, Tokens, User};
use crate::core::qr::{Ecc, SvgOptions};
use crate::core::Error;

use super::{AuthStep, TotpSetup};
use crate::core::flow::TotpSetup as CoreTotpSetup;

/// A real JS `Error` with `name` = the Cognito type (or a local name), Cognito's `message` and a
/// `retryable` flag — the shape apps already check with amazon-cognito-identity-js.
pub fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(e.name());
    let _ = Reflect::set(&err, &JsValue::from_str("retryable"), &JsValue::from_bool(e.retryable()));
    err.into()
}

pub fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() { Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED) } else { JsValue::UNDEFINED }
}

/// `undefined`/`null` → `None`; a string → `Some`; anything else is an `InvalidParameterException`.
pub fn get_string(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| Error::InvalidParameter(format!("{key} must be a string")))
}

pub fn get_u32(obj: &JsValue, key: &str) -> Result<Option<u32>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Ok(Some(n as u32)),
        _ => Err(Error::InvalidParameter(format!("{key} must be a non-negative integer"))),
    }
}

/// A `Record<string, string>`.
pub fn string_map(obj: &JsValue, what: &str) -> Result<BTreeMap<String, String>, Error> {
    let obj = obj.dyn_ref::<Object>().ok_or_else(|| Error::InvalidParameter(format!("{what} must be an object")))?;
    let mut out = BTreeMap::new();
    for entry in Object::entries(obj).iter() {
        let pair = Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair
            .get(1)
            .as_string()
            .ok_or_else(|| Error::InvalidParameter(format!("{what}.{key} must be a string")))?;
        out.insert(key, value);
    }
    Ok(out)
}

pub fn map_to_object(map: &BTreeMap<String, String>) -> Object {
    let obj = Object::new();
    for (k, v) in map {
        set(&obj, k, &JsValue::from_str(v));
    }
    obj
}

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> Array {
    items.into_iter().map(JsValue::from_str).collect()
}

pub fn tokens_to_object(t: &Tokens) -> Object {
    let obj = Object::new();
    set(&obj, "accessToken", &JsValue::from_str(&t.access_token));
    set(&obj, "idToken", &JsValue::from_str(&t.id_token));
    if let Some(r) = &t.refresh_token {
        set(&obj, "refreshToken", &JsValue::from_str(r));
    }
    set(&obj, "expiresIn", &JsValue::from_f64(t.expires_in as f64));
    set(&obj, "tokenType", &JsValue::from_str(&t.token_type));
    obj
}

pub fn user_to_object(u: &User) -> Object {
    let obj = Object::new();
    set(&obj, "username", &JsValue::from_str(&u.username));
    set(&obj, "attributes", &map_to_object(&u.attributes));
    let mfa = Object::new();
    set(&mfa, "enabled", &string_array(u.mfa_enabled.iter().map(String::as_str)));
    if let Some(p) = &u.mfa_preferred {
        set(&mfa, "preferred", &JsValue::from_str(p));
    }
    set(&obj, "mfa", &mfa);
    obj
}

/// The public fields of a step as a plain object (what `toJSON` returns).
pub fn step_to_object(step: &AuthStep) -> Object {
    let obj = Object::new();
    set(&obj, "type", &JsValue::from_str(step.step.kind()));
    for (key, value) in [
        ("tokens", step.tokens()),
        ("options", step.options()),
        ("destination", step.destination()),
        ("requiredAttributes", step.required_attributes()),
        ("userAttributes", step.user_attributes()),
        ("friendlyDeviceName", step.friendly_device_name()),
        ("canSetup", step.can_setup()),
    ] {
        if !value.is_undefined() {
            set(&obj, key, &value);
        }
    }
    obj
}

/// The challenge behind a step object this library returned. The step is asked for a copy of
/// itself, because turning a wasm object into a Rust value takes it away from JS.
pub fn challenge_from_js(value: &JsValue) -> Result<Challenge, Error> {
    let not_a_step = || Error::InvalidParameter("expected a step object returned by this library".to_owned());
    let step = library_copy::<AuthStep>(value).ok_or_else(not_a_step)?;
    match step.step {
        Step::Done(_) => Err(Error::InvalidParameter("this step is done: there is nothing to answer".to_owned())),
        other => other.challenge().cloned().ok_or_else(not_a_step),
    }
}

/// The `TotpSetup` behind a value `associateTotp` returned (copied, like steps).
pub fn setup_from_js(value: &JsValue) -> Result<CoreTotpSetup, Error> {
    library_copy::<TotpSetup>(value)
        .map(|s| s.setup)
        .ok_or_else(|| Error::InvalidParameter("expected the TotpSetup returned by associateTotp".to_owned()))
}

/// Asks a wasm object of ours for a copy of itself and takes that copy over.
fn library_copy<T: TryFromJsValue>(value: &JsValue) -> Option<T> {
    let clone = get(value, "__cognitoTotpClone").dyn_into::<Function>().ok()?;
    let copy = clone.call0(value).ok()?;
    T::try_from_js_value(copy).ok()
}

fn preference(obj: &JsValue, key: &str) -> Result<Option<Preference>, Error> {
    match get_string(obj, key)? {
        None => Ok(None),
        Some(s) => Preference::parse(&s).map(Some).ok_or_else(|| {
            Error::InvalidParameter(format!("{key} must be \"preferred\", \"enabled\" or \"disabled\""))
        }),
    }
}

pub fn mfa_preference(obj: &JsValue) -> Result<MfaPreference, Error> {
    if !obj.is_object() {
        return Err(Error::InvalidParameter("setMfaPreference needs { totp, sms?, email? }".to_owned()));
    }
    Ok(MfaPreference { totp: preference(obj, "totp")?, sms: preference(obj, "sms")?, email: preference(obj, "email")? })
}

/// `{ ecc?, border?, dark?, light?, title? }`; absent members keep the defaults.
pub fn svg_options(obj: &JsValue) -> Result<SvgOptions, Error> {
    let mut opts = SvgOptions::default();
    if obj.is_undefined() || obj.is_null() {
        return Ok(opts);
    }
    if !obj.is_object() {
        return Err(Error::InvalidParameter("SVG options must be an object".to_owned()));
    }
    if let Some(ecc) = get_string(obj, "ecc")? {
        opts.ecc = match ecc.as_str() {
            "L" | "low" => Ecc::Low,
            "M" | "medium" => Ecc::Medium,
            "Q" | "quartile" => Ecc::Quartile,
            "H" | "high" => Ecc::High,
            _ => return Err(Error::InvalidParameter("ecc must be \"L\", \"M\", \"Q\" or \"H\"".to_owned())),
        };
    }
    if let Some(border) = get_u32(obj, "border")? {
        opts.border = border;
    }
    if let Some(dark) = get_string(obj, "dark")? {
        opts.dark = dark;
    }
    if let Some(light) = get_string(obj, "light")? {
        opts.light = light;
    }
    opts.title = get_string(obj, "title")?;
    Ok(opts)
}
