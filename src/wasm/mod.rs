//! The JS API: the `CognitoTotp` class, the step and setup objects, `qrSvg`, `otpauthUri`,
//! `totpCode`. The only JS-aware code of the crate; everything it does is delegated to `core`.
//!
//! Steps are instances of a wasm class whose getters expose the public fields only: the Session,
//! the SRP username and the challenge name stay in wasm memory. JSON.stringify(step) goes through
//! `toJSON`, which returns the same public fields.

mod convert;
mod io;
#[cfg(feature = "testing")]
mod testing;
#[cfg(feature = "testing")]
pub use testing::{SrpPrepared, srp_password_claim};
mod types;

use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::core::flow::{AssociateWith, Client, Config, MfaKind, Step, TotpSetup as CoreTotpSetup};
use crate::core::secret::{Password, SecretString};
use crate::core::{otpauth, qr, totp, Error};

use convert::{
    get_string, get_u32, js_error, mfa_preference, step_to_object, string_map, svg_options, tokens_to_object,
    user_to_object,
};
use io::{FetchTransport, JsClock, JsRandom};

type WasmClient = Client<FetchTransport, JsClock, JsRandom>;

fn reject(e: Error) -> Promise {
    Promise::reject(&js_error(&e))
}

/// Runs `f` on a cloned client handle and turns its result into a Promise.
fn spawn<F, Fut>(client: &Rc<WasmClient>, f: F) -> Promise
where
    F: FnOnce(Rc<WasmClient>) -> Fut,
    Fut: core::future::Future<Output = Result<JsValue, Error>> + 'static,
{
    // Boxed so that `future_to_promise` and its task machinery are compiled once, not once per method
    // (that was ~25 KB of wasm).
    let fut: core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, Error>>>> =
        Box::pin(f(Rc::clone(client)));
    future_to_promise(async move { fut.await.map_err(|e| js_error(&e)) })
}

/// Sign-in, MFA and TOTP enrollment against one Cognito app client.
#[wasm_bindgen]
pub struct CognitoTotp {
    client: Rc<WasmClient>,
}

#[wasm_bindgen]
impl CognitoTotp {
    /// Validates the configuration; throws `InvalidParameterException` on a malformed pool id,
    /// a missing client id or a non-https endpoint.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "CognitoTotpConfig")] config: JsValue) -> Result<CognitoTotp, JsValue> {
        Self::build(&config).map_err(|e| js_error(&e))
    }

    fn build(config: &JsValue) -> Result<CognitoTotp, Error> {
        if !config.is_object() {
            return Err(Error::InvalidParameter("new CognitoTotp(config) needs a config object".to_owned()));
        }
        let required = |key: &str| {
            get_string(config, key)?.ok_or_else(|| Error::InvalidParameter(format!("config.{key} is required")))
        };
        let config = Config {
            user_pool_id: required("userPoolId")?,
            client_id: required("clientId")?,
            endpoint: get_string(config, "endpoint")?,
            client_secret: get_string(config, "clientSecret")?.map(SecretString::new),
            timeout_ms: get_u32(config, "timeoutMs")?,
        };
        let random = JsRandom::from_global().map_err(Error::InvalidParameter)?;
        let client = Client::new(config, FetchTransport, JsClock, random)?;
        Ok(CognitoTotp { client: Rc::new(client) })
    }

    /// The Cognito endpoint requests go to.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.client.endpoint().to_owned()
    }

    /// Computes the next sign-in's SRP key pair now (fresh random `a`, A = g^a), so `signIn` only
    /// pays for the password proof. Call it when the sign-in form appears; the key serves one
    /// sign-in only, and calling again replaces an unused one.
    pub fn prepare(&self) -> Result<(), JsValue> {
        self.client.prepare().map_err(|e| js_error(&e))
    }

    /// USER_SRP_AUTH. The password never leaves wasm; only the SRP proof is sent.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<Step>")]
    pub fn sign_in(&self, username: String, password: String) -> Promise {
        let password = Password::new(password);
        spawn(&self.client, |c| async move { c.sign_in(&username, &password).await.map(step_to_js) })
    }

    /// Answers a `totpCode` step.
    #[wasm_bindgen(js_name = confirmTotp, unchecked_return_type = "Promise<Step>")]
    pub fn confirm_totp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpCodeStep")] step: JsValue,
        code: String,
    ) -> Promise {
        match convert::challenge_from_js(&step) {
            Ok(ch) => spawn(&self.client, |c| async move { c.confirm_totp(&ch, &code).await.map(step_to_js) }),
            Err(e) => reject(e),
        }
    }

    /// Answers an `smsCode` or `emailCode` step.
    #[wasm_bindgen(js_name = confirmCode, unchecked_return_type = "Promise<Step>")]
    pub fn confirm_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SmsCodeStep | EmailCodeStep")] step: JsValue,
        code: String,
    ) -> Promise {
        match convert::challenge_from_js(&step) {
            Ok(ch) => spawn(&self.client, |c| async move { c.confirm_code(&ch, &code).await.map(step_to_js) }),
            Err(e) => reject(e),
        }
    }

    /// Answers a `selectMfa` step with one of `step.options`.
    #[wasm_bindgen(js_name = selectMfa, unchecked_return_type = "Promise<Step>")]
    pub fn select_mfa(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SelectMfaStep")] step: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MfaType")] mfa: String,
    ) -> Promise {
        let Some(kind) = MfaKind::parse(&mfa) else {
            return reject(Error::InvalidParameter("selectMfa takes \"TOTP\", \"SMS\" or \"EMAIL\"".to_owned()));
        };
        match convert::challenge_from_js(&step) {
            Ok(ch) => spawn(&self.client, |c| async move { c.select_mfa(&ch, kind).await.map(step_to_js) }),
            Err(e) => reject(e),
        }
    }

    /// Answers a `newPassword` step; `attributes` supplies `step.requiredAttributes`.
    #[wasm_bindgen(js_name = completeNewPassword, unchecked_return_type = "Promise<Step>")]
    pub fn complete_new_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewPasswordStep")] step: JsValue,
        #[wasm_bindgen(js_name = newPassword)] new_password: String,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string>")] attributes: JsValue,
    ) -> Promise {
        let new_password = Password::new(new_password);
        let attributes = if attributes.is_undefined() || attributes.is_null() {
            Ok(BTreeMap::new())
        } else {
            string_map(&attributes, "attributes")
        };
        match (convert::challenge_from_js(&step), attributes) {
            (Ok(ch), Ok(attrs)) => spawn(&self.client, |c| async move {
                c.complete_new_password(&ch, &new_password, &attrs).await.map(step_to_js)
            }),
            (Err(e), _) | (_, Err(e)) => reject(e),
        }
    }

    /// AssociateSoftwareToken with an `mfaSetup` step (sign-in Session) or an access token.
    #[wasm_bindgen(js_name = associateTotp, unchecked_return_type = "Promise<TotpSetup>")]
    pub fn associate_totp(
        &self,
        #[wasm_bindgen(js_name = stepOrAccessToken, unchecked_param_type = "MfaSetupStep | string")]
        step_or_access_token: JsValue,
    ) -> Promise {
        if let Some(token) = step_or_access_token.as_string() {
            return spawn(&self.client, |c| async move {
                c.associate_totp(AssociateWith::AccessToken(&token)).await.map(|s| TotpSetup { setup: s }.into())
            });
        }
        match convert::challenge_from_js(&step_or_access_token) {
            Ok(ch) => spawn(&self.client, |c| async move {
                c.associate_totp(AssociateWith::Challenge(&ch)).await.map(|s| TotpSetup { setup: s }.into())
            }),
            Err(e) => reject(e),
        }
    }

    /// VerifySoftwareToken. For a sign-in setup it resolves to the next step; for an
    /// access-token setup to `undefined` (then call `setMfaPreference`).
    #[wasm_bindgen(js_name = verifyTotp, unchecked_return_type = "Promise<Step | undefined>")]
    pub fn verify_totp(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpSetup")] setup: JsValue,
        code: String,
        #[wasm_bindgen(js_name = friendlyDeviceName)] friendly_device_name: Option<String>,
    ) -> Promise {
        let setup = match convert::setup_from_js(&setup) {
            Ok(s) => s,
            Err(e) => return reject(e),
        };
        spawn(&self.client, |c| async move {
            let next = c.verify_totp(&setup, &code, friendly_device_name.as_deref()).await?;
            Ok(next.map_or(JsValue::UNDEFINED, step_to_js))
        })
    }

    /// SetUserMFAPreference, e.g. `{ totp: "preferred" }`.
    #[wasm_bindgen(js_name = setMfaPreference, unchecked_return_type = "Promise<void>")]
    pub fn set_mfa_preference(
        &self,
        #[wasm_bindgen(js_name = accessToken)] access_token: String,
        #[wasm_bindgen(unchecked_param_type = "MfaPreference")] preference: JsValue,
    ) -> Promise {
        match mfa_preference(&preference) {
            Ok(p) => spawn(&self.client, |c| async move {
                c.set_mfa_preference(&access_token, p).await.map(|()| JsValue::UNDEFINED)
            }),
            Err(e) => reject(e),
        }
    }

    /// GetUser.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<User>")]
    pub fn get_user(&self, #[wasm_bindgen(js_name = accessToken)] access_token: String) -> Promise {
        spawn(&self.client, |c| async move { c.get_user(&access_token).await.map(|u| user_to_object(&u).into()) })
    }

    /// Re-checks the password with SRP, then turns TOTP off.
    #[wasm_bindgen(js_name = disableTotp, unchecked_return_type = "Promise<void>")]
    pub fn disable_totp(
        &self,
        username: String,
        password: String,
        #[wasm_bindgen(js_name = accessToken)] access_token: String,
    ) -> Promise {
        let password = Password::new(password);
        spawn(&self.client, |c| async move {
            c.disable_totp(&username, &password, &access_token).await.map(|()| JsValue::UNDEFINED)
        })
    }

    /// REFRESH_TOKEN_AUTH. `username` is needed only with a client secret.
    #[wasm_bindgen(unchecked_return_type = "Promise<Tokens>")]
    pub fn refresh(&self, #[wasm_bindgen(js_name = refreshToken)] refresh_token: String, username: Option<String>) -> Promise {
        spawn(&self.client, |c| async move {
            c.refresh(&refresh_token, username.as_deref()).await.map(|t| tokens_to_object(&t).into())
        })
    }

    /// GlobalSignOut.
    #[wasm_bindgen(js_name = globalSignOut, unchecked_return_type = "Promise<void>")]
    pub fn global_sign_out(&self, #[wasm_bindgen(js_name = accessToken)] access_token: String) -> Promise {
        spawn(&self.client, |c| async move { c.global_sign_out(&access_token).await.map(|()| JsValue::UNDEFINED) })
    }

    /// RevokeToken (a refresh token).
    #[wasm_bindgen(js_name = revokeToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_token(&self, #[wasm_bindgen(js_name = refreshToken)] refresh_token: String) -> Promise {
        spawn(&self.client, |c| async move { c.revoke_token(&refresh_token).await.map(|()| JsValue::UNDEFINED) })
    }
}

fn step_to_js(step: Step) -> JsValue {
    AuthStep { step }.into()
}

/// A sign-in step. Its TypeScript face is the `Step` union; the class itself is not exported
/// in the typings.
#[wasm_bindgen(skip_typescript)]
pub struct AuthStep {
    step: Step,
}

#[wasm_bindgen]
impl AuthStep {
    #[wasm_bindgen(getter, js_name = "type")]
    pub fn kind(&self) -> String {
        self.step.kind().to_owned()
    }

    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> JsValue {
        match &self.step {
            Step::Done(t) => tokens_to_object(t).into(),
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter)]
    pub fn options(&self) -> JsValue {
        match &self.step {
            Step::SelectMfa { options, .. } => {
                options.iter().map(|k| JsValue::from_str(k.as_str())).collect::<Array>().into()
            }
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter)]
    pub fn destination(&self) -> JsValue {
        match &self.step {
            Step::SmsCode { destination, .. } | Step::EmailCode { destination, .. } => {
                destination.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str)
            }
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter, js_name = requiredAttributes)]
    pub fn required_attributes(&self) -> JsValue {
        match &self.step {
            Step::NewPassword { required_attributes, .. } => {
                required_attributes.iter().map(|a| JsValue::from_str(a)).collect::<Array>().into()
            }
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter, js_name = userAttributes)]
    pub fn user_attributes(&self) -> JsValue {
        match &self.step {
            Step::NewPassword { user_attributes, .. } => convert::map_to_object(user_attributes).into(),
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter, js_name = friendlyDeviceName)]
    pub fn friendly_device_name(&self) -> JsValue {
        match &self.step {
            Step::TotpCode { friendly_device_name: Some(n), .. } => JsValue::from_str(n),
            _ => JsValue::UNDEFINED,
        }
    }

    #[wasm_bindgen(getter, js_name = canSetup)]
    pub fn can_setup(&self) -> JsValue {
        match &self.step {
            Step::MfaSetup { can_setup, .. } => can_setup
                .iter()
                .map(|n| match MfaKind::from_cognito(n) {
                    Some(kind) => JsValue::from_str(kind.as_str()),
                    None => JsValue::from_str(n),
                })
                .collect::<Array>()
                .into(),
            _ => JsValue::UNDEFINED,
        }
    }

    /// The public fields only, so logging a step never prints its Session.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Object {
        step_to_object(self)
    }

    /// A copy for the library's own use: passing a step back to a method must not consume it
    /// (a mistyped code is retried with the same step).
    #[wasm_bindgen(js_name = "__cognitoTotpClone", skip_typescript)]
    pub fn clone_for_library(&self) -> AuthStep {
        AuthStep { step: self.step.clone() }
    }
}

/// A software token waiting for its first code.
#[wasm_bindgen]
pub struct TotpSetup {
    setup: CoreTotpSetup,
}

#[wasm_bindgen]
impl TotpSetup {
    /// The base32 shared secret, for manual entry.
    #[wasm_bindgen(getter)]
    pub fn secret(&self) -> String {
        self.setup.secret().to_owned()
    }

    /// The `otpauth://totp/...` URI for authenticator apps.
    pub fn uri(&self, #[wasm_bindgen(unchecked_param_type = "TotpLabel")] label: JsValue) -> Result<String, JsValue> {
        self.uri_inner(&label).map_err(|e| js_error(&e))
    }

    /// The URI as an SVG QR code: `{ issuer, account, ...SvgOptions }`.
    #[wasm_bindgen(js_name = qrSvg)]
    pub fn qr_svg(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TotpLabel & SvgOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        let run = || {
            let uri = self.uri_inner(&options)?;
            let opts = svg_options(&options)?;
            qr::qr_svg(&uri, &opts).map_err(|e| Error::InvalidParameter(e.to_string()))
        };
        run().map_err(|e| js_error(&e))
    }

    /// A copy for the library's own use (see `AuthStep`): verifying must not consume the setup,
    /// so a mistyped first code can be retried.
    #[wasm_bindgen(js_name = "__cognitoTotpClone", skip_typescript)]
    pub fn clone_for_library(&self) -> TotpSetup {
        TotpSetup { setup: self.setup.clone() }
    }

    fn uri_inner(&self, label: &JsValue) -> Result<String, Error> {
        let issuer = get_string(label, "issuer")?.unwrap_or_default();
        let account = get_string(label, "account")?.unwrap_or_default();
        otpauth::otpauth_uri(self.setup.secret(), &issuer, &account).map_err(|e| Error::InvalidParameter(e.to_string()))
    }
}

/// Renders `text` as a standalone SVG QR code.
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "SvgOptions")] options: JsValue,
) -> Result<String, JsValue> {
    svg_options(&options)
        .and_then(|opts| qr::qr_svg(text, &opts).map_err(|e| Error::InvalidParameter(e.to_string())))
        .map_err(|e| js_error(&e))
}

/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…`, percent-encoded.
#[wasm_bindgen(js_name = otpauthUri)]
pub fn otpauth_uri(#[wasm_bindgen(unchecked_param_type = "OtpauthParams")] params: JsValue) -> Result<String, JsValue> {
    let run = || {
        let secret = get_string(&params, "secret")?.unwrap_or_default();
        let issuer = get_string(&params, "issuer")?.unwrap_or_default();
        let account = get_string(&params, "account")?.unwrap_or_default();
        otpauth::otpauth_uri(&secret, &issuer, &account).map_err(|e| Error::InvalidParameter(e.to_string()))
    };
    run().map_err(|e| js_error(&e))
}

/// RFC 6238 code (SHA-1, 6 digits, 30 s) for `unixSeconds` (default: now).
#[wasm_bindgen(js_name = totpCode)]
pub fn totp_code(secret: &str, #[wasm_bindgen(js_name = unixSeconds)] unix_seconds: Option<f64>) -> Result<String, JsValue> {
    let now = unix_seconds.unwrap_or_else(|| js_sys::Date::now() / 1000.0);
    if !now.is_finite() || now < 0.0 {
        return Err(js_error(&Error::InvalidParameter("unixSeconds must be a non-negative number".to_owned())));
    }
    totp::totp_code(secret, now as u64).map_err(|e| js_error(&Error::InvalidParameter(e.to_string())))
}
