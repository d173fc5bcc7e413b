//! A local Amazon Cognito user-pool emulator for the sign-in and TOTP paths.
//!
//! [`app`] builds the axum router; `main.rs` only parses flags, binds and serves. The API is AWS JSON 1.1:
//! `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.{Operation}`, dispatched to one module
//! per operation under [`ops`]. Dev endpoints for tests live under `/_emulator/` (loopback peers only).

pub mod attributes;
pub mod auth;
pub mod dev;
pub mod devices;
pub mod error;
pub mod input;
pub mod model;
pub mod ops;
pub mod page;
pub mod persist;
pub mod seed;
pub mod srp;
pub mod state;
pub mod tokens;
pub mod totp;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::net::SocketAddr;

pub use error::ApiError;
pub use state::{AppState, Clock, Config, FixedClock, SystemClock};

/// Largest request body accepted (Cognito's own limit is far lower for these operations).
pub const MAX_BODY: usize = 1024 * 1024;

/// How much of a too-large body is still read (and thrown away) before the 413 goes out. A client that
/// writes its whole body before reading the answer (urllib, a blocking socket) would otherwise see its
/// connection reset mid-write instead of the error. Past this the connection is simply closed.
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// How long draining a too-large body may take.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(30);

const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

const ALLOW_HEADERS: &str = "content-type, x-amz-target, x-amz-user-agent, authorization, x-amz-date, \
                             x-amz-security-token, amz-sdk-invocation-id, amz-sdk-request, x-amz-content-sha256, cache-control";

/// The router: the API on `POST /`, JWKS per pool, and the dev endpoints, all behind CORS.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(root).post(api))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route("/{pool_id}/.well-known/openid-configuration", get(openid_configuration))
        .nest("/_emulator", dev::router())
        .fallback(not_found)
        .layer(middleware::from_fn(cors))
        .with_state(state)
}

async fn root() -> Response {
    json_response(StatusCode::OK, &serde_json::json!({ "service": "cognito-emulator", "healthy": true }))
}

async fn not_found() -> Response {
    ApiError::new("UnknownOperationException", "Not found").with_status(StatusCode::NOT_FOUND).into_response()
}

async fn jwks(State(state): State<AppState>, axum::extract::Path(pool_id): axum::extract::Path<String>) -> Response {
    let inner = state.lock();
    if !inner.db.pools.contains_key(&pool_id) {
        return ApiError::pool_not_found(&pool_id).with_status(StatusCode::NOT_FOUND).into_response();
    }
    json_response(StatusCode::OK, &tokens::jwks(&inner.key))
}

/// Enough OIDC discovery for JWT libraries that start from the issuer (no OAuth endpoints exist here).
async fn openid_configuration(
    State(state): State<AppState>,
    axum::extract::Path(pool_id): axum::extract::Path<String>,
) -> Response {
    if !state.lock().db.pools.contains_key(&pool_id) {
        return ApiError::pool_not_found(&pool_id).with_status(StatusCode::NOT_FOUND).into_response();
    }
    let issuer = format!("{}/{pool_id}", state.config.issuer_base.trim_end_matches('/'));
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "response_types_supported": [],
        }),
    )
}

pub(crate) fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut res = (status, value.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// CORS on every response (errors and dev endpoints too), plus a request id.
async fn cors(req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut res = if req.method() == Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert("access-control-allow-methods", HeaderValue::from_static("POST, GET, DELETE, OPTIONS"));
        let requested = req.headers().get("access-control-request-headers").cloned();
        // Echo what the browser asks for on top of the fixed list, so SDK additions don't break pages.
        let allow = match requested.as_ref().and_then(|v| v.to_str().ok()) {
            Some(r) if !r.is_empty() => format!("{ALLOW_HEADERS}, {r}"),
            _ => ALLOW_HEADERS.to_owned(),
        };
        if let Ok(v) = HeaderValue::from_str(&allow) {
            h.insert("access-control-allow-headers", v);
        }
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
        res
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert("access-control-allow-origin", origin.unwrap_or_else(|| HeaderValue::from_static("*")));
    h.insert("vary", HeaderValue::from_static("Origin"));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("x-amzn-RequestId, x-amzn-ErrorType, x-amz-apigw-id, Date"),
    );
    if !h.contains_key("x-amzn-requestid")
        && let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
    {
        h.insert("x-amzn-requestid", v);
    }
    res
}

/// The peer address, when the server was started with connect info (tests insert it by hand).
pub(crate) fn is_loopback(req_ext: &axum::http::Extensions) -> bool {
    req_ext.get::<ConnectInfo<SocketAddr>>().is_some_and(|ConnectInfo(a)| a.ip().is_loopback())
}

async fn api(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let target_header = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let op_name = target_header.strip_prefix(TARGET_PREFIX).unwrap_or(&target_header).to_owned();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    let body = match read_body(body, declared).await {
        Ok(b) => b,
        Err(seen) => {
            let err = ApiError::new("SerializationException", format!("Request body larger than {MAX_BODY} bytes"))
                .with_status(StatusCode::PAYLOAD_TOO_LARGE);
            log_request(&state, &op_name, err.status.as_u16(), seen, &Bytes::new());
            let mut res = err.into_response();
            res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return res;
        }
    };
    let mut srp_b = None;
    if let Some(fault) = dev::take_fault(&state, &op_name) {
        match dev::fault_response(&fault) {
            dev::FaultOutcome::Respond(res) => {
                log_request(&state, &op_name, res.status().as_u16(), body.len(), &body);
                return res;
            }
            dev::FaultOutcome::Delay(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
            dev::FaultOutcome::SrpB(hex) => srp_b = Some(hex),
        }
    }
    // SRP and RSA arithmetic, the state lock and the fsync all block: keep them off the async workers.
    let result = {
        let (state, headers, target, op, body) =
            (state.clone(), parts.headers.clone(), target_header.clone(), op_name.clone(), body.clone());
        tokio::task::spawn_blocking(move || run_operation(&state, &headers, &target, &op, &body))
            .await
            .unwrap_or_else(|_| Err(ApiError::internal("The operation was interrupted.")))
    };
    let res = match result {
        Ok(mut value) => {
            if let Some(hex) = srp_b {
                dev::rewrite_srp_b(&mut value, hex);
            }
            let mut res = (StatusCode::OK, value.to_string()).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-amz-json-1.1"));
            res
        }
        Err(err) => {
            tracing::info!(operation = %op_name, error = err.kind, "request refused");
            err.into_response()
        }
    };
    log_request(&state, &op_name, res.status().as_u16(), body.len(), &body);
    res
}

/// The body, when it fits in [`MAX_BODY`]; otherwise `Err(bytes seen)`, after draining up to
/// [`DRAIN_LIMIT`] (unless Content-Length already says it is larger) so the 413 reaches the client.
async fn read_body(body: axum::body::Body, declared: Option<usize>) -> Result<Bytes, usize> {
    use http_body_util::BodyExt;
    if let Some(n) = declared.filter(|n| *n > DRAIN_LIMIT) {
        return Err(n);
    }
    let mut body = body;
    let mut kept = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|_| kept.len())?.into_data() else { continue };
        if kept.len() + data.len() > MAX_BODY {
            let mut seen = kept.len() + data.len();
            let drain = async {
                while let Some(Ok(frame)) = body.frame().await {
                    seen = seen.saturating_add(frame.data_ref().map_or(0, Bytes::len));
                    if seen > DRAIN_LIMIT {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
            return Err(seen);
        }
        kept.extend_from_slice(&data);
    }
    Ok(Bytes::from(kept))
}

fn log_request(state: &AppState, target: &str, status: u16, bytes: usize, body: &Bytes) {
    let now = state.now();
    let kept = body.get(..state::MAX_LOGGED_BODY).unwrap_or(body);
    let body = String::from_utf8_lossy(kept).into_owned();
    let mut inner = state.lock();
    inner.request_bytes += body.len();
    inner.requests.push_back(state::LoggedRequest { target: target.to_owned(), status, bytes, at: now, body });
    while inner.requests.len() > state::REQUEST_LOG_CAP || inner.request_bytes > state::REQUEST_LOG_BYTES {
        match inner.requests.pop_front() {
            Some(old) => inner.request_bytes -= old.body.len(),
            None => break,
        }
    }
}

/// `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/cognito-idp/aws4_request, ...`
/// → `us-west-2`. The signature itself is not checked.
fn sigv4_region(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let scope = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
    let region = scope.split('/').nth(2)?;
    let valid =
        !region.is_empty() && region.len() <= 32 && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    valid.then(|| region.to_owned())
}

fn run_operation(
    state: &AppState,
    headers: &HeaderMap,
    target: &str,
    op_name: &str,
    body: &[u8],
) -> Result<serde_json::Value, ApiError> {
    if target.strip_prefix(TARGET_PREFIX).and_then(ops::lookup).is_none() {
        return Err(ApiError::new("UnknownOperationException", format!("Unknown operation {op_name}")));
    }
    call(state, op_name, body, sigv4_region(headers).as_deref())
}

/// Runs one operation on the state, as `POST /` would (without faults, CORS or the request log): the
/// entry point for fuzzing and load tools. `operation` is the name without the service prefix.
pub fn call(
    state: &AppState,
    operation: &str,
    body: &[u8],
    region: Option<&str>,
) -> Result<serde_json::Value, ApiError> {
    let Some(op) = ops::lookup(operation) else {
        return Err(ApiError::new("UnknownOperationException", format!("Unknown operation {operation}")));
    };
    let input = input::Input::parse(body)?;
    let now = state.now();
    let mut inner = state.lock();
    let mut ctx = state::Ctx {
        inner: &mut inner,
        now,
        config: &state.config,
        region: region.map(str::to_owned),
        flow: Default::default(),
    };
    let result = op(&mut ctx, &input);
    // Persist whatever changed (failure counters included) before the caller hears back; an unchanged
    // state is not rewritten.
    if let Some(path) = &state.config.state_file {
        let inner = &mut *inner;
        persist::save_if_changed(path, &inner.db, &mut inner.saved_digest).map_err(|e| {
            tracing::error!(error = %e, "cannot write the state file");
            ApiError::internal("The emulator could not persist its state.")
        })?;
    }
    result
}
