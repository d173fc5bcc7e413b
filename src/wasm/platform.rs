//! The core's platform traits in the browser (and in workers, and Node ≥ 20): gloo-net's `Request` over the global
//! `fetch`, with an `AbortController` for the timeout; `setTimeout` for backoff; `Date.now()`;
//! `crypto.getRandomValues`. JSON never exists as text in wasm: requests go out through serde-wasm-bindgen and
//! `JSON.stringify`, answers come in through `JSON.parse` and serde-wasm-bindgen.

use alloc::format;
use alloc::string::String;

use gloo_net::http::{Method, RequestBuilder};
use js_sys::{Array, JSON, JsString, Promise, Uint8Array};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestCredentials};

use crate::core::Error;
use crate::core::transport::{Body, Clock, Random, Reply, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// Looked up at each call, so a test that replaces `crypto.getRandomValues` is honoured.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(array: &Uint8Array) -> Result<JsValue, JsValue>;
    /// `JSON.parse` of a JS string as it is (js-sys' binding takes a Rust `&str`, which would copy the body into
    /// wasm and back).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js(text: &JsString) -> Result<JsValue, JsValue>;
}

/// Browsers keep timer delays as signed 32-bit integers and fire at once on overflow, which would turn a generous
/// `timeoutMs` into an instant timeout.
fn timer_ms(ms: u32) -> i32 {
    i32::try_from(ms).unwrap_or(i32::MAX)
}

/// The serializer every request and result goes through: maps as plain objects (not `Map`), as JSON would have them.
pub fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)
}

/// A JS exception as `name: message` (`TypeError: Failed to fetch`), for `NetworkError` messages.
fn describe(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => format!("{}: {}", js.name, js.message),
        gloo_net::Error::GlooError(message) => message.clone(),
    }
}

fn describe_js(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => format!("{}: {}", String::from(err.name()), String::from(err.message())),
        None => "the response body could not be read".into(),
    }
}

/// The global `fetch`, one endpoint. Requests carry no cookies (`credentials: "omit"`) and bypass the HTTP cache:
/// Cognito needs neither, and tokens must end up in neither.
pub struct Fetch {
    pub endpoint: String,
}

impl Fetch {
    async fn fetch(
        &self,
        operation: &str,
        body: &JsString,
        controller: Option<&AbortController>,
    ) -> Result<Reply<JsValue>, String> {
        let signal = controller.map(AbortController::signal);
        let response = RequestBuilder::new(&self.endpoint)
            .method(Method::POST)
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", &format!("AWSCognitoIdentityProviderService.{operation}"))
            .header("X-Amz-User-Agent", concat!("cognito-totp/", env!("CARGO_PKG_VERSION")))
            .credentials(RequestCredentials::Omit)
            .cache(RequestCache::NoStore)
            .abort_signal(signal.as_ref())
            .body(body.clone())
            .map_err(|e| describe(&e))?
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = response.status();
        let error_type = response.headers().get("x-amzn-ErrorType");
        let raw: web_sys::Response = response.into();
        let text_promise = raw.text().map_err(|e| describe_js(&e))?;
        let text: JsString = JsFuture::from(text_promise).await.map_err(|e| describe_js(&e))?.unchecked_into();
        Ok(Reply { status, error_type, body: classify(&text) })
    }
}

/// `JSON.parse` of the body, kept when it is an object; else what the body looks like.
fn classify(text: &JsString) -> Body<JsValue> {
    if let Ok(value) = parse_js(text)
        && value.is_object()
        && !Array::is_array(&value)
    {
        return Body::Object(value);
    }
    let trimmed = text.trim();
    if trimmed.length() == 0 {
        return Body::Empty;
    }
    Body::Other(char::from_u32(u32::from(trimmed.char_code_at(0) as u16)).unwrap_or('?'))
}

impl Transport for Fetch {
    type Json = JsValue;
    type Body = JsString;

    fn encode<T: Serialize>(&self, request: &T) -> Result<JsString, Error> {
        let value = request.serialize(&serializer()).map_err(|_| Error::invalid("the request cannot be encoded"))?;
        JSON::stringify(&value).map_err(|_| Error::invalid("the request cannot be encoded"))
    }

    fn decode<T: DeserializeOwned>(&self, json: JsValue) -> Option<T> {
        serde_wasm_bindgen::from_value(json).ok()
    }

    fn parse_json(&self, text: &str) -> Option<JsValue> {
        JSON::parse(text).ok()
    }

    async fn post(
        &self,
        operation: &'static str,
        body: &JsString,
        timeout_ms: Option<u32>,
    ) -> Result<Reply<JsValue>, TransportError> {
        // The timer aborts the request and the reading of its body. The closure lives until the timer is cleared:
        // dropping it earlier would leave the timer calling freed code.
        let controller = match timeout_ms {
            Some(_) => Some(AbortController::new().map_err(|e| TransportError::Network(describe_js(&e)))?),
            None => None,
        };
        let abort = controller.clone().map(|c| Closure::once(move || c.abort()));
        let timer = match (&abort, timeout_ms) {
            (Some(abort), Some(ms)) => Some(set_timeout(abort.as_ref().unchecked_ref(), timer_ms(ms))),
            _ => None,
        };
        let result = self.fetch(operation, body, controller.as_ref()).await;
        if let Some(id) = timer {
            clear_timeout(&id);
        }
        drop(abort);
        let timed_out = controller.is_some_and(|c| c.signal().aborted());
        result.map_err(|message| if timed_out { TransportError::Timeout } else { TransportError::Network(message) })
    }
}

/// `Date.now()` and `setTimeout`.
pub struct JsClock;

impl Clock for JsClock {
    fn now_unix(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }

    async fn sleep(&self, ms: u32) {
        let promise = Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, timer_ms(ms));
        });
        // A timer promise only resolves.
        let _ = JsFuture::from(promise).await;
    }
}

/// `crypto.getRandomValues` of the global `crypto`, checked when the client is created. The JS copy of each draw is
/// wiped once wasm has it. Should a later draw fail, the buffer stays zero, which the SRP step refuses as an
/// unusable `a`.
pub struct JsRandom;

impl JsRandom {
    /// Whether the global `crypto.getRandomValues` works (a secure context, or Node ≥ 20).
    pub fn available() -> bool {
        get_random_values(&Uint8Array::new_with_length(1)).is_ok()
    }
}

impl Random for JsRandom {
    fn fill(&self, dest: &mut [u8]) {
        let Ok(len) = u32::try_from(dest.len()) else { return };
        let array = Uint8Array::new_with_length(len);
        if get_random_values(&array).is_ok() {
            array.copy_to(dest);
        }
        array.fill(0, 0, len);
    }
}
