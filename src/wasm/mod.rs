//! The JS API: the `CognitoTotp` class, step objects, `TotpSetup`, and the free functions `qrSvg`, `otpauthUri`,
//! `totpCode`. The only code of the crate that knows JS; every decision is the core's.
//!
//! - Arguments arrive as `JsValue`s and are checked here or in the core, so a wrong type is an
//!   `InvalidParameterException` (a rejected promise for the async methods), never a coercion or a throw from
//!   wasm-bindgen's glue. Option objects come in through serde-wasm-bindgen; results go out through it as plain
//!   JS objects.
//! - Every failure is a real JS `Error` with `name`, `message` and `retryable` ([`js_error`]).
//! - Sessions, the client secret, a setup's secret and a prepared SRP key stay in wasm memory ([`hidden`]).
//! - Every async method returns its promise through [`spawn`], one boxed future type for all of them.

mod devices;
mod hidden;
mod platform;
mod steps;
#[cfg(feature = "testing")]
mod testing;
mod types;

pub use devices::Device;
#[cfg(feature = "testing")]
pub use testing::{SrpPrepared, srp_password_claim};

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;

use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::core::flow::{AssociateWith, Client, Config, MfaKind, MfaPreference, TotpSetup as CoreSetup};
use crate::core::input::{ConfigInput, DrawInput, PreferenceInput};
use crate::core::secret::Password;
use crate::core::wire::{Loose, Members};
use crate::core::{Error, otpauth, qr, totp};

use hidden::Hidden;
use platform::{Fetch, JsClock, JsRandom, serializer};

type WasmClient = Client<Fetch, JsClock, JsRandom>;

/// A real JS `Error` whose `name` is Cognito's error type (or a local one), with `message` and `retryable`: the
/// shape apps already check with amazon-cognito-identity-js.
pub fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name(e.name());
    // Setting a data property on a fresh Error cannot fail.
    let _ = Reflect::set(&err, &JsValue::from_str("retryable"), &JsValue::from_bool(e.retryable()));
    err.into()
}

fn invalid(message: &'static str) -> Error {
    Error::invalid(message)
}

/// A result as a plain JS object.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value.serialize(&serializer()).map_err(|_| Error::protocol("the result cannot be handed to JS"))
}

/// An options object: `undefined`/`null` → the defaults; an object → its members (each checked later); anything
/// else → `not_object`.
fn options<T: DeserializeOwned + Default>(value: &JsValue, not_object: &'static str) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(invalid(not_object));
    }
    serde_wasm_bindgen::from_value(value.clone()).map_err(|_| invalid(not_object))
}

/// Members of an object that may not be one (an otpauth label): anything but an object has none.
fn lenient<T: DeserializeOwned + Default>(value: &JsValue) -> T {
    if value.is_object() { serde_wasm_bindgen::from_value(value.clone()).unwrap_or_default() } else { T::default() }
}

/// A one-time code as the app passed it: a string, or a number as JS would print it (`123456`).
fn code_text(value: &JsValue) -> String {
    match (value.as_string(), value.as_f64()) {
        (Some(s), _) => s,
        // Six digits at most make a code: a larger number is refused either way.
        (None, Some(n)) if n.fract() == 0.0 && (0.0..1e7).contains(&n) => (n as u32).to_string(),
        _ => String::new(),
    }
}

type BoxedCall = Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>;

/// Runs a call and hands back its promise. Boxed, so that `future_to_promise` and its task machinery are compiled
/// once for every method.
fn spawn(call: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    let call: BoxedCall = Box::pin(call);
    future_to_promise(async move { call.await.map_err(|e| js_error(&e)) })
}

thread_local! {
    static SETUPS: Hidden<CoreSetup> = Hidden::new(&SETUPS);
}

/// Sign-in, MFA and TOTP enrollment against one Cognito app client.
#[wasm_bindgen]
pub struct CognitoTotp {
    client: Rc<WasmClient>,
}

#[wasm_bindgen]
impl CognitoTotp {
    /// Checks the configuration; throws `InvalidParameterException` on a malformed pool id, a missing client id or
    /// a non-https endpoint.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoTotpConfig")] config: JsValue,
    ) -> Result<CognitoTotp, JsValue> {
        Self::build(&config).map_err(|e| js_error(&e))
    }

    fn build(config: &JsValue) -> Result<CognitoTotp, Error> {
        if !config.is_object() {
            return Err(invalid("new CognitoTotp(config) needs a config object"));
        }
        let input: ConfigInput = options(config, "new CognitoTotp(config) needs a config object")?;
        let config = Config::from_input(&input)?;
        if !JsRandom::available() {
            return Err(invalid("no global crypto.getRandomValues (a secure context is required)"));
        }
        let transport = Fetch { endpoint: config.endpoint().into() };
        Ok(CognitoTotp { client: Rc::new(Client::new(config, transport, JsClock, JsRandom)) })
    }

    /// The Cognito endpoint requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.client.config().endpoint().into()
    }

    /// Computes the next sign-in's SRP key now (fresh random `a`, A = g^a), so `signIn` only pays for the password
    /// proof. Call it when the sign-in form appears; a key serves one sign-in only, and calling again replaces (and
    /// wipes) an unused one.
    pub fn prepare(&self) -> Result<(), JsValue> {
        self.client.prepare().map_err(|e| js_error(&e))
    }

    /// USER_SRP_AUTH. The password never leaves wasm; only the SRP proof is sent. With `{ device }` the sign-in
    /// goes through a remembered device (no MFA step where the pool suppresses it); a device Cognito no longer
    /// knows is reported once as `step.deviceError` and the sign-in goes on as from a new device.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<Step>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SignInOptions")] sign_in_options: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        let password = password.as_string().map(Password::new);
        let device = devices::sign_in_device(&sign_in_options.unwrap_or(JsValue::UNDEFINED));
        spawn(async move {
            let username = username.as_string();
            match device? {
                None => steps::to_js(client.sign_in(username.as_deref(), password.as_ref()).await?),
                Some(device) => {
                    let (step, notice) =
                        client.sign_in_on_device(username.as_deref(), password.as_ref(), &device).await?;
                    devices::step_with_notice(step, notice)
                }
            }
        })
    }

    /// Answers a `totpCode` step.
    #[wasm_bindgen(js_name = confirmTotp, unchecked_return_type = "Promise<Step>")]
    pub fn confirm_totp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpCodeStep")] step: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let challenge = steps::challenge_of(&step)?;
            steps::to_js(client.confirm_totp(&challenge, &code_text(&code)).await?)
        })
    }

    /// Answers an `smsCode` or `emailCode` step.
    #[wasm_bindgen(js_name = confirmCode, unchecked_return_type = "Promise<Step>")]
    pub fn confirm_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SmsCodeStep | EmailCodeStep")] step: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let challenge = steps::challenge_of(&step)?;
            steps::to_js(client.confirm_code(&challenge, &code_text(&code)).await?)
        })
    }

    /// Answers a `selectMfa` step with one of `step.options`.
    #[wasm_bindgen(js_name = selectMfa, unchecked_return_type = "Promise<Step>")]
    pub fn select_mfa(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SelectMfaStep")] step: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MfaType")] mfa: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let kind = mfa
                .as_string()
                .and_then(|m| MfaKind::parse(&m))
                .ok_or_else(|| invalid("selectMfa takes \"TOTP\", \"SMS\" or \"EMAIL\""))?;
            let challenge = steps::challenge_of(&step)?;
            steps::to_js(client.select_mfa(&challenge, kind).await?)
        })
    }

    /// Answers a `newPassword` step; `attributes` supplies `step.requiredAttributes`.
    #[wasm_bindgen(js_name = completeNewPassword, unchecked_return_type = "Promise<Step>")]
    pub fn complete_new_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewPasswordStep")] step: JsValue,
        #[wasm_bindgen(js_name = newPassword, unchecked_param_type = "string")] new_password: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string> | null")] attributes: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        let password = new_password.as_string().map(Password::new);
        let attributes = attributes.unwrap_or(JsValue::UNDEFINED);
        spawn(async move {
            let challenge = steps::challenge_of(&step)?;
            let given: Members<Loose> = options(&attributes, "attributes must be an object")?;
            let mut pairs = Vec::new();
            for (name, value) in given.0 {
                match value {
                    Loose::Str(value) => pairs.push((name, value)),
                    _ => return Err(Error::invalid(format!("attributes.{name} must be a string"))),
                }
            }
            steps::to_js(client.complete_new_password(&challenge, password.as_ref(), &pairs).await?)
        })
    }

    /// AssociateSoftwareToken, with an `mfaSetup` step (the sign-in's Session) or an access token.
    #[wasm_bindgen(js_name = associateTotp, unchecked_return_type = "Promise<TotpSetup>")]
    pub fn associate_totp(
        &self,
        #[wasm_bindgen(js_name = stepOrAccessToken, unchecked_param_type = "MfaSetupStep | string")] with: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let setup = match with.as_string() {
                Some(token) => client.associate_totp(AssociateWith::AccessToken(&token)).await?,
                None => {
                    let challenge = steps::challenge_of(&with)?;
                    client.associate_totp(AssociateWith::Challenge(&challenge)).await?
                }
            };
            Ok(TotpSetup::handed_out(setup))
        })
    }

    /// VerifySoftwareToken. For a sign-in's setup it resolves to the next step; for an access-token setup to
    /// `undefined` (then call `setMfaPreference`).
    #[wasm_bindgen(js_name = verifyTotp, unchecked_return_type = "Promise<Step | undefined>")]
    pub fn verify_totp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpSetup")] setup: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
        #[wasm_bindgen(js_name = friendlyDeviceName, unchecked_optional_param_type = "string | null")]
        friendly_device_name: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let setup = SETUPS
                .with(|s| s.get(&setup))
                .ok_or_else(|| invalid("expected the TotpSetup returned by associateTotp"))?;
            let name = friendly_device_name.and_then(|n| n.as_string());
            match client.verify_totp(&setup, &code_text(&code), name.as_deref()).await? {
                Some(step) => steps::to_js(step),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }

    /// SetUserMFAPreference, e.g. `{ totp: "preferred" }`; an absent factor is left as it is.
    #[wasm_bindgen(js_name = setMfaPreference, unchecked_return_type = "Promise<void>")]
    pub fn set_mfa_preference(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MfaPreference")] preference: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            if !preference.is_object() {
                return Err(invalid("setMfaPreference needs { totp, sms?, email? }"));
            }
            let input: PreferenceInput = options(&preference, "setMfaPreference needs { totp, sms?, email? }")?;
            let preference = MfaPreference::from_input(&input)?;
            client.set_mfa_preference(access_token.as_string().as_deref(), preference).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// GetUser.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<User>")]
    pub fn get_user(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move { to_js(&client.get_user(access_token.as_string().as_deref()).await?) })
    }

    /// Re-checks the password with SRP, then turns TOTP off (there is no delete operation).
    #[wasm_bindgen(js_name = disableTotp, unchecked_return_type = "Promise<void>")]
    pub fn disable_totp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] username: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        let password = password.as_string().map(Password::new);
        spawn(async move {
            let (username, token) = (username.as_string(), access_token.as_string());
            client.disable_totp(username.as_deref(), password.as_ref(), token.as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// REFRESH_TOKEN_AUTH. `username` is needed only with a client secret.
    #[wasm_bindgen(unchecked_return_type = "Promise<Tokens>")]
    pub fn refresh(
        &self,
        #[wasm_bindgen(js_name = refreshToken, unchecked_param_type = "string")] refresh_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] username: Option<JsValue>,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            let (token, username) = (refresh_token.as_string(), username.and_then(|u| u.as_string()));
            to_js(&client.refresh(token.as_deref(), username.as_deref()).await?)
        })
    }

    /// GlobalSignOut: every refresh token of the user stops working.
    #[wasm_bindgen(js_name = globalSignOut, unchecked_return_type = "Promise<void>")]
    pub fn global_sign_out(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")] access_token: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            client.global_sign_out(access_token.as_string().as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// RevokeToken (a refresh token, and the tokens issued from it).
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(
        &self,
        #[wasm_bindgen(js_name = refreshToken, unchecked_param_type = "string")] refresh_token: JsValue,
    ) -> Promise {
        let client = Rc::clone(&self.client);
        spawn(async move {
            client.revoke_token(refresh_token.as_string().as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl Drop for CognitoTotp {
    /// `free()`: an unused prepared key is wiped now (a call still in flight keeps the client until it settles).
    fn drop(&mut self) {
        self.client.forget_prepared();
    }
}

/// A software token waiting for its first code. Its secret and its Session or access token stay in wasm memory.
#[wasm_bindgen]
pub struct TotpSetup {
    id: u32,
}

impl TotpSetup {
    /// The JS object for a new setup, registered so that `verifyTotp` can find it again.
    fn handed_out(setup: CoreSetup) -> JsValue {
        SETUPS.with(|setups| setups.hand_out(setup, |id| JsValue::from(TotpSetup { id })))
    }

    fn setup(&self) -> Result<Rc<CoreSetup>, JsValue> {
        SETUPS.with(|s| s.by_id(self.id)).ok_or_else(|| js_error(&invalid("this TotpSetup was freed")))
    }
}

#[wasm_bindgen]
impl TotpSetup {
    /// The base32 shared secret, for typing in by hand.
    #[wasm_bindgen(getter)]
    pub fn secret(&self) -> Result<String, JsValue> {
        Ok(self.setup()?.secret().into())
    }

    /// The `otpauth://totp/...` URI for authenticator apps.
    pub fn uri(&self, #[wasm_bindgen(unchecked_param_type = "TotpLabel")] label: JsValue) -> Result<String, JsValue> {
        let setup = self.setup()?;
        uri(setup.secret(), &lenient(&label)).map_err(|e| js_error(&e))
    }

    /// The URI as an SVG QR code: `{ issuer, account, ...SvgOptions }`.
    #[wasm_bindgen(js_name = qrSvg)]
    pub fn qr_svg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpLabel & SvgOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let setup = self.setup()?;
        let text = uri(setup.secret(), &lenient(&options)).map_err(|e| js_error(&e))?;
        draw(&text, &options).map_err(|e| js_error(&e))
    }

    /// `{}`: nothing of a setup is data for JSON.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Object {
        Object::new()
    }
}

impl Drop for TotpSetup {
    /// `free()` forgets the secret and the Session or access token now.
    fn drop(&mut self) {
        let _ = SETUPS.try_with(|s| s.remove(self.id));
    }
}

fn uri(secret: &str, label: &DrawInput) -> Result<String, Error> {
    let (issuer, account) = label.label()?;
    otpauth::otpauth_uri(secret, &issuer, &account).map_err(|e| invalid(e.message()))
}

fn draw(text: &str, options_value: &JsValue) -> Result<String, Error> {
    let input: DrawInput = options(options_value, "SVG options must be an object")?;
    qr::qr_svg(text, &input.svg_options()?).map_err(|e| invalid(e.message()))
}

/// Renders `text` as a standalone SVG QR code (one `<path>`, `viewBox` in modules, a `<title>`).
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SvgOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    let text = text.as_string().ok_or_else(|| js_error(&invalid("text must be a string")))?;
    draw(&text, &options.unwrap_or(JsValue::UNDEFINED)).map_err(|e| js_error(&e))
}

/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…`, percent-encoded.
#[wasm_bindgen(js_name = otpauthUri)]
pub fn otpauth_uri(#[wasm_bindgen(unchecked_param_type = "OtpauthParams")] params: JsValue) -> Result<String, JsValue> {
    let input: DrawInput = lenient(&params);
    let result = crate::core::input::opt_string(&input.secret, "secret")
        .and_then(|secret| uri(&secret.unwrap_or_default(), &input));
    result.map_err(|e| js_error(&e))
}

/// RFC 6238 code (SHA-1, 6 digits, 30 s) for `unixSeconds` (default: now).
#[wasm_bindgen(js_name = totpCode)]
pub fn totp_code(
    #[wasm_bindgen(unchecked_param_type = "string")] secret: JsValue,
    #[wasm_bindgen(js_name = unixSeconds, unchecked_optional_param_type = "number | null")] unix_seconds: Option<
        JsValue,
    >,
) -> Result<String, JsValue> {
    let secret = secret.as_string().ok_or_else(|| js_error(&invalid("secret must be a string")))?;
    let seconds = match unix_seconds {
        Some(t) if !t.is_null() => t.as_f64().unwrap_or(f64::NAN),
        _ => js_sys::Date::now() / 1000.0,
    };
    // Fractions are cut, as `Math.floor` would.
    if !(seconds.is_finite() && seconds >= 0.0) {
        return Err(js_error(&invalid("unixSeconds must be a non-negative number")));
    }
    totp::totp_code(&secret, seconds as u64).map_err(|e| js_error(&invalid(e.message())))
}
