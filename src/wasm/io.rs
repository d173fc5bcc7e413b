//! The platform half of the core's traits: the global `fetch` (pages, workers, Node ≥ 18 — no
//! `window` needed), `setTimeout` for backoff and timeouts, `Date.now()`, `crypto.getRandomValues`.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Crypto, Response};

use crate::core::{Clock, HttpRequest, HttpResponse, Random, Transport, TransportError};

fn global_function(name: &str) -> Result<Function, JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name))?
        .dyn_into::<Function>()
        .map_err(|_| JsValue::from_str(&format!("the global {name} is not a function")))
}

/// A JS exception as text, for `NetworkError` messages (`TypeError: Failed to fetch`).
fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let message: String = err.message().into();
        format!("{name}: {message}")
    } else {
        e.as_string().unwrap_or_else(|| "fetch failed".to_owned())
    }
}

/// The longest delay `setTimeout` honours: browsers store it as a signed 32-bit integer and fire
/// at once when it overflows, which would turn a generous `timeoutMs` into an instant timeout.
const MAX_TIMER_MS: u32 = i32::MAX as u32;

/// `setTimeout(f, ms)`, returning the timer id for `clearTimeout`.
fn set_timeout(callback: &Function, ms: u32) -> Result<JsValue, JsValue> {
    global_function("setTimeout")?.call2(&js_sys::global(), callback, &JsValue::from(ms.min(MAX_TIMER_MS)))
}

fn clear_timeout(id: &JsValue) {
    if let Ok(clear) = global_function("clearTimeout") {
        // Nothing useful to do if clearing fails: the timer then just fires on a finished request.
        let _ = clear.call1(&js_sys::global(), id);
    }
}

/// The `fetch` transport. Requests never carry cookies (`credentials: "omit"`) and bypass the
/// HTTP cache: Cognito needs neither, and tokens must not end up in either.
#[derive(Debug, Default, Clone, Copy)]
pub struct FetchTransport;

impl FetchTransport {
    async fn fetch(request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let net = |e: JsValue| TransportError::Network(describe(&e));
        let fetch = global_function("fetch").map_err(net)?;
        let headers = Object::new();
        for (name, value) in &request.headers {
            Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value)).map_err(net)?;
        }
        let init = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&init, &JsValue::from_str(k), v).map(|_| ()).map_err(net);
        set("method", &JsValue::from_str("POST"))?;
        set("headers", &headers)?;
        set("body", &JsValue::from_str(&request.body))?;
        set("credentials", &JsValue::from_str("omit"))?;
        set("cache", &JsValue::from_str("no-store"))?;

        // The timer aborts both the request and the reading of the body.
        // The closure is kept until the timer is cleared: dropping it earlier would leave the
        // timer calling freed code, and `once_into_js` would leak it when the timer never fires.
        let mut timer = None;
        let mut controller = None;
        let mut on_timeout = None;
        if let Some(ms) = request.timeout_ms {
            let c = AbortController::new().map_err(net)?;
            set("signal", &c.signal())?;
            let abort_target = c.clone();
            let closure = Closure::once(move || abort_target.abort());
            timer = Some(set_timeout(closure.as_ref().unchecked_ref(), ms).map_err(net)?);
            on_timeout = Some(closure);
            controller = Some(c);
        }
        let aborted = || controller.as_ref().is_some_and(|c| c.signal().aborted());
        let fail = |e: JsValue| if aborted() { TransportError::Timeout } else { TransportError::Network(describe(&e)) };

        let result = async {
            let promise = fetch
                .call2(&js_sys::global(), &JsValue::from_str(&request.url), &init)
                .map_err(fail)?
                .dyn_into::<Promise>()
                .map_err(fail)?;
            let response = JsFuture::from(promise).await.map_err(fail)?.dyn_into::<Response>().map_err(fail)?;
            let error_type_header = response.headers().get("x-amzn-ErrorType").ok().flatten();
            let text = JsFuture::from(response.text().map_err(fail)?).await.map_err(fail)?;
            Ok(HttpResponse { status: response.status(), error_type_header, body: text.as_string().unwrap_or_default() })
        }
        .await;
        if let Some(id) = timer {
            clear_timeout(&id);
        }
        drop(on_timeout);
        result
    }
}

impl Transport for FetchTransport {
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Self::fetch(&request).await
    }

    async fn sleep(&self, ms: u32) {
        let promise = Promise::new(&mut |resolve, _reject| {
            // If setTimeout is missing the promise resolves at once: backoff is best effort.
            if set_timeout(&resolve, ms).is_err() {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let _ = JsFuture::from(promise).await;
    }
}

/// `Date.now()`.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsClock;

impl Clock for JsClock {
    fn now_unix(&self) -> u64 {
        (js_sys::Date::now() / 1000.0) as u64
    }
}

/// `crypto.getRandomValues` of the global `crypto` (checked when the client is created, so a
/// failure later leaves the buffer zeroed, which the SRP step refuses as an unusable `a`).
#[derive(Debug, Clone)]
pub struct JsRandom {
    crypto: Crypto,
}

impl JsRandom {
    pub fn from_global() -> Result<JsRandom, String> {
        // Duck-typed, not `instanceof Crypto`: Node 18 has `crypto` but no global `Crypto` class.
        let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
            .ok()
            .filter(|c| {
                Reflect::get(c, &JsValue::from_str("getRandomValues")).is_ok_and(|f| f.is_function())
            })
            .map(JsCast::unchecked_into::<Crypto>)
            .ok_or_else(|| "no global crypto.getRandomValues (a secure context is required)".to_owned())?;
        let mut probe = [0u8; 1];
        crypto
            .get_random_values_with_u8_array(&mut probe)
            .map_err(|e| format!("crypto.getRandomValues failed: {}", describe(&e)))?;
        Ok(JsRandom { crypto })
    }
}

impl Random for JsRandom {
    fn fill(&self, dest: &mut [u8]) {
        dest.fill(0);
        let _ = self.crypto.get_random_values_with_u8_array(dest);
    }
}
