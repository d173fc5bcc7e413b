//! Dev endpoints under `/_emulator/` for tests: the SMS/email outbox, the request log, the clock, fault
//! injection, and the list of emulated operations. Loopback peers only.

use crate::error::ApiError;
use crate::state::{AppState, Fault, FaultKind};
use crate::{is_loopback, json_response};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// At most about 100 years in total per call.
const MAX_ADVANCE: i64 = 100 * 366 * 86_400;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/messages", get(messages).delete(clear_messages))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/requests/contains", post(contains))
        .route("/clock", get(clock).post(advance_clock))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/operations", get(operations))
        .layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(req: Request, next: Next) -> Response {
    if is_loopback(req.extensions()) {
        next.run(req).await
    } else {
        ApiError::new("AccessDeniedException", "The /_emulator endpoints answer loopback peers only")
            .with_status(StatusCode::FORBIDDEN)
            .into_response()
    }
}

fn ok(value: &Value) -> Response {
    json_response(StatusCode::OK, value)
}

fn body_json(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    match crate::input::Input::parse(body) {
        Ok(input) => Ok(input.0),
        Err(e) => Err(e),
    }
}

/// Every operation the emulator answers (the model test walks them all).
async fn operations() -> Response {
    ok(&json!(crate::ops::OPERATIONS))
}

async fn messages(State(state): State<AppState>) -> Response {
    let inner = state.lock();
    ok(&json!(inner.messages))
}

async fn clear_messages(State(state): State<AppState>) -> Response {
    state.lock().messages.clear();
    ok(&json!({}))
}

async fn requests(State(state): State<AppState>) -> Response {
    let inner = state.lock();
    let list: Vec<Value> = inner
        .requests
        .iter()
        .map(|r| json!({ "target": r.target, "status": r.status, "bytes": r.bytes, "at": r.at }))
        .collect();
    ok(&Value::Array(list))
}

async fn clear_requests(State(state): State<AppState>) -> Response {
    let mut inner = state.lock();
    inner.requests.clear();
    inner.request_bytes = 0;
    ok(&json!({}))
}

async fn contains(State(state): State<AppState>, body: Bytes) -> Response {
    let map = match body_json(&body) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let Some(needle) = map.get("needle").and_then(Value::as_str).filter(|n| !n.is_empty()) else {
        return ApiError::invalid_parameter("needle (a non-empty string) is required").into_response();
    };
    let inner = state.lock();
    let count = inner.requests.iter().filter(|r| r.body.contains(needle)).count();
    ok(&json!({ "count": count, "total": inner.requests.len() }))
}

async fn clock(State(state): State<AppState>) -> Response {
    ok(&json!({ "now": state.now() }))
}

async fn advance_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let map = match body_json(&body) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    // Bounded so that "now" plus any lifetime can never overflow.
    let Some(secs) = map.get("advanceSeconds").and_then(Value::as_i64).filter(|s| (0..=MAX_ADVANCE).contains(s)) else {
        return ApiError::invalid_parameter(format!("advanceSeconds must be an integer from 0 to {MAX_ADVANCE}"))
            .into_response();
    };
    {
        let mut inner = state.lock();
        inner.clock_offset = inner.clock_offset.saturating_add(secs).min(MAX_ADVANCE * 10);
    }
    ok(&json!({ "now": state.now() }))
}

fn kind_name(kind: &FaultKind) -> &'static str {
    match kind {
        FaultKind::Html502 => "html502",
        FaultKind::Empty => "empty",
        FaultKind::Truncated => "truncated",
        FaultKind::MissingMembers => "missingMembers",
        FaultKind::Slow(_) => "slow",
        FaultKind::Throttle => "throttle",
        FaultKind::Http500 => "http500",
        FaultKind::SrpBZero => "srpBZero",
        FaultKind::SrpBEqualsN => "srpBEqualsN",
    }
}

async fn list_faults(State(state): State<AppState>) -> Response {
    let inner = state.lock();
    let list: Vec<Value> = inner
        .faults
        .iter()
        .map(|f| json!({ "target": f.target, "kind": kind_name(&f.kind), "times": f.remaining }))
        .collect();
    ok(&Value::Array(list))
}

async fn add_fault(State(state): State<AppState>, body: Bytes) -> Response {
    let map = match body_json(&body) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let target = map.get("target").and_then(Value::as_str).unwrap_or("*").to_owned();
    let times = map.get("times").and_then(Value::as_u64).unwrap_or(1);
    let delay = map.get("delayMs").and_then(Value::as_u64).unwrap_or(3000).min(120_000);
    let kind = match map.get("kind").and_then(Value::as_str) {
        Some("html502") => FaultKind::Html502,
        Some("empty") => FaultKind::Empty,
        Some("truncated") => FaultKind::Truncated,
        Some("missingMembers") => FaultKind::MissingMembers,
        Some("slow") => FaultKind::Slow(delay),
        Some("throttle") => FaultKind::Throttle,
        Some("http500") => FaultKind::Http500,
        Some("srpBZero") => FaultKind::SrpBZero,
        Some("srpBEqualsN") => FaultKind::SrpBEqualsN,
        _ => {
            return ApiError::invalid_parameter(
                "kind must be html502 | empty | truncated | missingMembers | slow | throttle | http500 | srpBZero \
                 | srpBEqualsN",
            )
            .into_response();
        }
    };
    let target = target.strip_prefix("AWSCognitoIdentityProviderService.").unwrap_or(&target).to_owned();
    let remaining = u32::try_from(times).unwrap_or(u32::MAX);
    state.lock().faults.push(Fault { target, kind, remaining });
    ok(&json!({}))
}

async fn clear_faults(State(state): State<AppState>) -> Response {
    state.lock().faults.clear();
    ok(&json!({}))
}

/// Takes one use of the first fault matching this operation.
pub(crate) fn take_fault(state: &AppState, op: &str) -> Option<FaultKind> {
    let mut inner = state.lock();
    let idx = inner.faults.iter().position(|f| f.remaining > 0 && (f.target == "*" || f.target == op))?;
    let fault = inner.faults.get_mut(idx)?;
    fault.remaining -= 1;
    let kind = fault.kind.clone();
    if fault.remaining == 0 {
        inner.faults.remove(idx);
    }
    Some(kind)
}

pub(crate) enum FaultOutcome {
    Respond(Response),
    Delay(u64),
    /// Run the operation, then replace `ChallengeParameters.SRP_B` of a successful answer.
    SrpB(&'static str),
}

/// Rewrites SRP_B of a PASSWORD_VERIFIER answer; any other answer passes unchanged.
pub(crate) fn rewrite_srp_b(value: &mut Value, b_hex: &str) {
    if let Some(b) = value.get_mut("ChallengeParameters").and_then(|p| p.get_mut("SRP_B")) {
        *b = Value::String(b_hex.to_owned());
    }
}

pub(crate) fn fault_response(kind: &FaultKind) -> FaultOutcome {
    let amz_json = |status: StatusCode, body: &'static str| {
        let mut res = (status, body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-amz-json-1.1"));
        res
    };
    FaultOutcome::Respond(match kind {
        FaultKind::Html502 => {
            let mut res = (
                StatusCode::BAD_GATEWAY,
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            )
                .into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            res
        }
        FaultKind::Empty => amz_json(StatusCode::OK, ""),
        FaultKind::Truncated => amz_json(StatusCode::OK, "{\"ChallengeName\":\"PASSWORD_VERIFIER\",\"ChallengePara"),
        FaultKind::MissingMembers => amz_json(StatusCode::OK, "{}"),
        FaultKind::Slow(ms) => return FaultOutcome::Delay(*ms),
        FaultKind::SrpBZero => return FaultOutcome::SrpB("0"),
        FaultKind::SrpBEqualsN => return FaultOutcome::SrpB(crate::srp::N_HEX),
        FaultKind::Throttle => ApiError::new("TooManyRequestsException", "Rate exceeded").into_response(),
        FaultKind::Http500 => ApiError::internal("Internal server error (injected)").into_response(),
    })
}
