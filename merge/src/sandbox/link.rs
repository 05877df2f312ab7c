//! The Merge-Link-compatible front end: the `initialize.js` script (`window.MergeLink`) and the
//! endpoints its modal calls, under `/merge-link/`. Linking creates and seeds a linked account,
//! or repairs the existing one of the same `end_user_origin_id` and integration.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::api::detail;
use super::profiles::{Profile, PROFILES};
use super::seed::seed_account;
use super::state::{now, random_token, Account, PublicTokenState};
use super::Sandbox;
use crate::types::LinkedAccountStatus;

/// The Link script, served at `/merge-link/initialize.js`.
const LINK_JS: &str = include_str!("link.js");

/// How long a public token may wait for the exchange.
const PUBLIC_TOKEN_MINUTES: i64 = 10;

/// The Link routes; CORS-open so a page on another origin can use a standalone sandbox.
pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/merge-link/initialize.js", get(script))
        .route("/merge-link/api/session", get(session).options(preflight))
        .route(
            "/merge-link/api/complete",
            post(complete).options(preflight),
        )
        .layer(middleware::from_fn(cors))
}

async fn cors(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    resp
}

async fn preflight(method: Method) -> StatusCode {
    debug_assert_eq!(method, Method::OPTIONS);
    StatusCode::NO_CONTENT
}

async fn script() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LINK_JS,
    )
        .into_response()
}

#[derive(Deserialize)]
struct SessionQuery {
    #[serde(default)]
    link_token: String,
}

/// An integration as the modal lists it.
#[derive(Serialize)]
struct Choice {
    slug: &'static str,
    name: &'static str,
    color: &'static str,
}

/// Checks a link token; returns the integrations it may link, or why not.
fn usable_link_token(
    sandbox: &Sandbox,
    token: &str,
) -> Result<(Vec<&'static Profile>, String), String> {
    let state = sandbox.lock();
    let Some(lt) = state.link_tokens.get(token) else {
        return Err("This link token is unknown. Ask the application for a new one.".to_owned());
    };
    if lt.used {
        return Err(
            "This link token was already used. Ask the application for a new one.".to_owned(),
        );
    }
    if lt.expires_at < now() {
        return Err("This link token has expired. Ask the application for a new one.".to_owned());
    }
    let choices = match lt.request.integration.as_deref().and_then(Profile::by_slug) {
        Some(p) => vec![p],
        None => PROFILES.iter().collect(),
    };
    Ok((choices, lt.request.end_user_organization_name.clone()))
}

/// `GET /merge-link/api/session?link_token=`: what the modal shows.
async fn session(
    State(sandbox): State<Sandbox>,
    axum::extract::Query(q): axum::extract::Query<SessionQuery>,
) -> Response {
    match usable_link_token(&sandbox, &q.link_token) {
        Ok((profiles, organization)) => {
            let integrations: Vec<Choice> = profiles
                .iter()
                .map(|p| Choice {
                    slug: p.slug,
                    name: p.name,
                    color: p.color,
                })
                .collect();
            Json(json!({ "organization": organization, "integrations": integrations }))
                .into_response()
        }
        Err(e) => detail(StatusCode::BAD_REQUEST, &e),
    }
}

/// Body of `POST /merge-link/api/complete`.
#[derive(Deserialize)]
struct CompleteRequest {
    link_token: String,
    integration: String,
}

/// Completes a link: creates and seeds the linked account (or relinks the existing one) and
/// returns a single-use public token.
pub(crate) fn complete_link(
    sandbox: &Sandbox,
    link_token: &str,
    slug: &str,
) -> Result<String, String> {
    let (choices, _) = usable_link_token(sandbox, link_token)?;
    let Some(profile) = choices
        .into_iter()
        .find(|p| p.slug.eq_ignore_ascii_case(slug))
    else {
        return Err(format!(
            "Integration {slug:?} is not offered for this link token."
        ));
    };
    let rpm = sandbox.requests_per_minute();
    let mut state = sandbox.lock();
    let request = match state.link_tokens.get_mut(link_token) {
        Some(lt) if !lt.used => {
            lt.used = true;
            lt.request.clone()
        }
        _ => return Err("This link token was already used.".to_owned()),
    };
    let existing = state
        .accounts
        .iter_mut()
        .find(|a| !a.deleted && a.origin_id == request.end_user_origin_id && a.profile == profile);
    let account_id = match existing {
        Some(acct) => {
            acct.status = LinkedAccountStatus::Complete;
            acct.org_name = request.end_user_organization_name.clone();
            acct.email = request.end_user_email_address.clone();
            acct.id.clone()
        }
        None => {
            let mut acct = Account::new(profile, &request, rpm);
            seed_account(&mut acct);
            let id = acct.id.clone();
            state.accounts.push(acct);
            id
        }
    };
    let public_token = random_token(40);
    state.public_tokens.insert(
        public_token.clone(),
        PublicTokenState {
            account_id,
            expires_at: now() + Duration::minutes(PUBLIC_TOKEN_MINUTES),
        },
    );
    Ok(public_token)
}

async fn complete(State(sandbox): State<Sandbox>, body: axum::body::Bytes) -> Response {
    let req: CompleteRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return detail(StatusCode::BAD_REQUEST, &format!("JSON parse error - {e}")),
    };
    match complete_link(&sandbox, &req.link_token, &req.integration) {
        Ok(public_token) => Json(json!({ "public_token": public_token })).into_response(),
        Err(e) => detail(StatusCode::BAD_REQUEST, &e),
    }
}
