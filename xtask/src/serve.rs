//! The static server for www/: real MIME types (application/wasm), a strict CSP, and the generated
//! `/config.json`. The demo and the e2e stage use this same code.

use std::path::PathBuf;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::routing::get;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{Error, Result};

/// The scheme://host[:port] part of an endpoint URL: CSP sources should name the origin only.
pub fn origin(endpoint: &str) -> &str {
    let after_scheme = endpoint.find("://").map_or(0, |i| i + 3);
    match endpoint[after_scheme..].find('/') {
        Some(i) => &endpoint[..after_scheme + i],
        None => endpoint,
    }
}

pub fn content_security_policy(endpoint: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self' {}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        origin(endpoint)
    )
}

/// The router: `/config.json` from memory, everything else from `www`.
pub fn app(www: PathBuf, config_json: String, endpoint: &str) -> Result<Router> {
    let csp = HeaderValue::from_str(&content_security_policy(endpoint))
        .map_err(|_| Error::new(format!("endpoint {endpoint:?} cannot go into a CSP header")))?;
    let config = move || {
        let body = config_json.clone();
        async move { ([(CONTENT_TYPE, "application/json")], body) }
    };
    Ok(Router::new()
        .route("/config.json", get(config))
        .fallback_service(ServeDir::new(www))
        .layer(SetResponseHeaderLayer::overriding(CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // A rebuilt www/pkg must be picked up on reload, never a stale cached module.
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-store"))))
}

/// Serves `app` on an already bound listener until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> Result<()> {
    axum::serve(listener, app).await.map_err(|e| Error::new(format!("static server failed: {e}")))
}

/// A static server on its own runtime thread, for the test stages; dropping it stops the server.
pub struct Background {
    pub port: u16,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Background {
    pub fn start(app: Router, port: u16) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))?;
        let port = listener.local_addr()?.port();
        runtime.spawn(async move {
            if let Err(e) = serve(listener, app).await {
                eprintln!("[xtask] {e}");
            }
        });
        Ok(Self { port, runtime: Some(runtime) })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            // Waits for the accept loop to be dropped, so the port is closed when this returns.
            rt.shutdown_timeout(std::time::Duration::from_secs(2));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn www() -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-www-{}-{:?}", std::process::id(), std::thread::current().id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
        std::fs::write(dir.join("pkg/cognito_totp_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("pkg/cognito_totp.js"), "export {};").unwrap();
        dir
    }

    async fn get(app: &Router, path: &str) -> axum::http::Response<Body> {
        app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap()
    }

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(origin("http://127.0.0.1:9229/"), "http://127.0.0.1:9229");
        assert_eq!(
            origin("https://cognito-idp.eu-west-1.amazonaws.com/"),
            "https://cognito-idp.eu-west-1.amazonaws.com"
        );
        assert_eq!(origin("http://localhost:1"), "http://localhost:1");
    }

    #[tokio::test]
    async fn serves_wasm_with_its_mime_type_and_the_security_headers() {
        let dir = www();
        let app = app(dir.clone(), "{}".into(), "http://127.0.0.1:9229/").unwrap();
        let res = get(&app, "/pkg/cognito_totp_bg.wasm").await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(h[CONTENT_TYPE], "application/wasm");
        assert_eq!(h[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[REFERRER_POLICY], "no-referrer");
        let csp = h[CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), "{csp}");
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:9229;"), "{csp}");
        assert!(csp.contains("object-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");

        let js = get(&app, "/pkg/cognito_totp.js").await;
        assert!(js.headers()[CONTENT_TYPE].to_str().unwrap().contains("javascript"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn serves_the_index_the_config_and_404s() {
        let dir = www();
        let config = r#"{"endpoint":"http://127.0.0.1:1/","emulator":true}"#;
        let app = app(dir.clone(), config.into(), "http://127.0.0.1:1/").unwrap();
        let index = get(&app, "/").await;
        assert_eq!(index.status(), StatusCode::OK);
        assert!(index.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
        assert!(index.headers().contains_key(CONTENT_SECURITY_POLICY));

        let res = get(&app, "/config.json").await;
        assert_eq!(res.headers()[CONTENT_TYPE], "application/json");
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], config.as_bytes());

        assert_eq!(get(&app, "/nope.js").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/../Cargo.toml").await.status(), StatusCode::NOT_FOUND);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn background_server_answers_on_a_real_socket() {
        let dir = www();
        let server = Background::start(app(dir.clone(), "{}".into(), "http://127.0.0.1:1/").unwrap(), 0).unwrap();
        assert!(crate::process::http_ok(server.port, "/config.json"));
        let port = server.port;
        drop(server);
        assert!(!crate::process::http_ok(port, "/config.json"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
