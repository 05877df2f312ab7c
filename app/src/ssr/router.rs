//! The axum router: Leptos pages and server functions, the signed profile PDFs, the
//! marketplace JSON API, health checks, the embedded sandbox's Link and control routes, and
//! the protections every request passes (CSRF origin check, security headers, size limits).

use std::time::Duration;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{limit::RequestBodyLimitLayer, services::ServeDir, timeout::TimeoutLayer};

use super::{
    events, marketplace_api, profile,
    state::{AppState, RequestSession},
    webhooks,
};
use crate::app::{shell, App};

/// Largest request body accepted anywhere (server functions, API, webhooks).
const BODY_LIMIT: usize = 1024 * 1024;

/// Builds the whole HTTP surface over `state`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let pkg_dir = format!(
        "{}/{}",
        state.leptos_options.site_root, state.leptos_options.site_pkg_dir
    );
    let mut app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/files/profile/{file}", get(profile::serve))
        .route("/webhooks/merge", post(webhooks::receive))
        .nest("/api/v1", marketplace_api::router())
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            ServeDir::new(pkg_dir),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || {
                    provide_context(state.clone());
                    provide_context(RequestSession::default());
                }
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone());
    if let Some(sandbox) = &state.sandbox {
        // The sandbox's Link script and control API share our origin in embedded mode.
        app = app
            .merge(sandbox.link_router())
            .merge(sandbox.control_router());
    }
    // Every request is bounded in time, except the long-lived event stream.
    let app = app.layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(30),
    ));
    let live = Router::new()
        .route("/events", get(events::stream))
        .with_state(state.clone());
    app.merge(live)
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn_with_state(state, protect))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
}

async fn ready(State(state): State<AppState>) -> Response {
    if !state.db.ping().await {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    } else if !state.db.migrations_applied().await {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database migrations not applied",
        )
            .into_response()
    } else {
        "ready".into_response()
    }
}

/// Gives a server function's error its own HTTP status (404, 409, 422, ...): Leptos answers
/// every server-function error with 500 and leaves the status to the function.
async fn error_status(req: Request<Body>, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "error body too large").into_response();
    };
    if let Ok(e) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Rejects cross-site state-changing requests and adds security headers to every response.
async fn protect(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && is_cross_site(&req)
    {
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Signed links live in URLs: never send them to other sites in Referer.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if state.config.public_url.scheme() == "https" {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    res
}

/// The Content-Security-Policy: our own scripts and the Merge Link script's origin. Built once,
/// at start-up (it depends only on the configuration).
pub fn content_security_policy(config: &super::config::Config) -> HeaderValue {
    let link_src = config
        .link_script_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' {link_src}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self' https://*.merge.dev; \
         frame-src 'self' https://*.merge.dev; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// A browser request from another origin (Origin differs from Host, or Fetch Metadata says so).
fn is_cross_site(req: &Request<Body>) -> bool {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        return origin == "null" || !origin_host.eq_ignore_ascii_case(host);
    }
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site")
}
