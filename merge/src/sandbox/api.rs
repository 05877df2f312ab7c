//! The fake Merge ATS API under `/api/ats/v1`: authentication, the per-account rate limit,
//! linking endpoints, account endpoints and the read endpoints of every common model.

use std::time::Instant;

use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde_json::json;

use super::faults::{check_rate_limit, throttled};
use super::lists::{page, present, ListParams, Model};
use super::state::{now, random_token, LinkTokenState};
use super::{writes, Sandbox};
use crate::types::{
    AccountToken, Application, Attachment, AvailableActions, Candidate, Job, JobInterviewStage,
    LinkToken, LinkTokenRequest, ModelOperation, Page, RejectReason, RemoteUser,
    ScheduledInterview, SyncState, SyncStatus,
};

/// Where the Merge ATS API lives.
pub const API_PREFIX: &str = "/api/ats/v1";

/// A Django-REST-Framework-style error: `{"detail": message}`.
pub(crate) fn detail(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "detail": message }))).into_response()
}

fn unauthorized(message: &str) -> Response {
    detail(StatusCode::UNAUTHORIZED, message)
}

/// The Merge API routes (without fault injection, which `Sandbox::api_router` adds).
pub(crate) fn routes() -> Router<Sandbox> {
    let r = Router::new()
        .route("/link-token", post(create_link_token))
        .route("/account-token/{public_token}", get(exchange_public_token))
        .route("/account-details", get(account_details))
        .route("/available-actions", get(available_actions))
        .route("/delete-account", post(delete_account))
        .route("/sync-status", get(sync_status))
        .route("/users", get(list::<RemoteUser>))
        .route("/users/{id}", get(retrieve::<RemoteUser>))
        .route("/jobs", get(list::<Job>))
        .route("/jobs/{id}", get(retrieve::<Job>))
        .route("/job-interview-stages", get(list::<JobInterviewStage>))
        .route(
            "/job-interview-stages/{id}",
            get(retrieve::<JobInterviewStage>),
        )
        .route(
            "/candidates",
            get(list::<Candidate>).post(writes::create_candidate),
        )
        .route("/candidates/{id}", get(retrieve::<Candidate>))
        .route(
            "/applications",
            get(list::<Application>).post(writes::create_application),
        )
        .route("/applications/{id}", get(retrieve::<Application>))
        .route(
            "/attachments",
            get(list::<Attachment>).post(writes::create_attachment),
        )
        .route("/attachments/{id}", get(retrieve::<Attachment>))
        .route("/interviews", get(list::<ScheduledInterview>))
        .route("/interviews/{id}", get(retrieve::<ScheduledInterview>))
        .route("/reject-reasons", get(list::<RejectReason>))
        .route("/reject-reasons/{id}", get(retrieve::<RejectReason>));
    Router::new().nest(API_PREFIX, r)
}

/// Every other path under `/api/ats/v1/` (scorecards, offers, ...): Merge's JSON 404. A route
/// of its own, so the request counters see it; outside fault injection, as before.
pub(crate) fn unknown_routes() -> Router<Sandbox> {
    Router::new().route(
        &format!("{API_PREFIX}/{{*rest}}"),
        any(|| async { detail(StatusCode::NOT_FOUND, "Not found.") }),
    )
}

/// The request carried `Authorization: Bearer <api key>`.
pub(crate) struct ApiKey;

impl FromRequestParts<Sandbox> for ApiKey {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, Response> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "Authentication credentials were not provided.",
            ));
        };
        let value = value.to_str().unwrap_or_default();
        let key = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim());
        match key {
            Some(key) if key == sandbox.api_key() => Ok(ApiKey),
            _ => Err(unauthorized("Invalid API key.")),
        }
    }
}

/// The request carried the API key and the `X-Account-Token` of a live linked account, and is
/// within that account's rate limit. Holds the linked-account id.
pub(crate) struct Linked(pub String);

impl FromRequestParts<Sandbox> for Linked {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, Response> {
        ApiKey::from_request_parts(parts, sandbox).await?;
        let Some(token) = parts
            .headers
            .get("x-account-token")
            .and_then(|v| v.to_str().ok())
        else {
            return Err(unauthorized(
                "Authentication credentials were not provided: missing X-Account-Token.",
            ));
        };
        let (linked, latency) = {
            let mut state = sandbox.lock();
            let Some(acct) = state.account_by_token_mut(token.trim()) else {
                return Err(unauthorized("Invalid account token."));
            };
            match check_rate_limit(acct, Instant::now()) {
                Ok(()) => (Linked(acct.id.clone()), acct.latency),
                Err(secs) => {
                    return Err(throttled(
                        &format!("Request was throttled. Expected available in {secs} seconds."),
                        secs,
                    ))
                }
            }
        };
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        Ok(linked)
    }
}

/// The linked account vanished between authentication and use (deleted concurrently).
fn gone() -> Response {
    unauthorized("Invalid account token.")
}

fn bad_request(message: &str) -> Response {
    detail(StatusCode::BAD_REQUEST, message)
}

async fn list<T: Model>(
    Linked(id): Linked,
    State(sandbox): State<Sandbox>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = match ListParams::parse(query.as_deref(), T::EXPAND) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    // Build under the lock, serialise after it.
    let page = {
        let state = sandbox.lock();
        let Some(acct) = state.account(&id) else {
            return gone();
        };
        page::<T>(acct, &q)
    };
    Json(page).into_response()
}

async fn retrieve<T: Model>(
    Linked(id): Linked,
    State(sandbox): State<Sandbox>,
    Path(record_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = match ListParams::parse(query.as_deref(), T::EXPAND) {
        Ok(q) => q,
        Err(e) => return bad_request(&e),
    };
    let found = {
        let state = sandbox.lock();
        let Some(acct) = state.account(&id) else {
            return gone();
        };
        T::table(acct)
            .get(&record_id)
            .map(|rec| present(acct, rec, &q))
    };
    match found {
        Some(rec) => Json(rec).into_response(),
        None => detail(StatusCode::NOT_FOUND, "Not found."),
    }
}

/// DRF-style field errors: `{"field": ["message"]}`.
fn field_error(field: &str, message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ field: [message] }))).into_response()
}

async fn create_link_token(
    _key: ApiKey,
    State(sandbox): State<Sandbox>,
    body: axum::body::Bytes,
) -> Response {
    let req: LinkTokenRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_request(&format!("JSON parse error - {e}")),
    };
    for (field, value) in [
        ("end_user_email_address", &req.end_user_email_address),
        (
            "end_user_organization_name",
            &req.end_user_organization_name,
        ),
        ("end_user_origin_id", &req.end_user_origin_id),
    ] {
        if value.trim().is_empty() {
            return field_error(field, "This field may not be blank.");
        }
        if value.chars().count() > 100 {
            return field_error(field, "Ensure this field has no more than 100 characters.");
        }
    }
    if !req.categories.iter().any(|c| c == "ats") {
        return field_error(
            "categories",
            "This sandbox only offers the \"ats\" category.",
        );
    }
    if let Some(slug) = &req.integration {
        if super::profiles::Profile::by_slug(slug).is_none() {
            return field_error(
                "integration",
                "Unknown integration; the sandbox offers greenhouse, lever, workable, recruitee.",
            );
        }
    }
    let minutes = i64::from(req.link_expiry_mins.unwrap_or(30).clamp(30, 10_080));
    let token = random_token(40);
    let mut state = sandbox.lock();
    let integration_name = state
        .accounts
        .iter()
        .rev()
        .find(|a| !a.deleted && a.origin_id == req.end_user_origin_id)
        .map(|a| a.profile.name.to_owned());
    state.link_tokens.insert(
        token.clone(),
        LinkTokenState {
            request: req,
            expires_at: now() + Duration::minutes(minutes),
            used: false,
        },
    );
    Json(LinkToken {
        link_token: token,
        integration_name,
        magic_link_url: None,
    })
    .into_response()
}

async fn exchange_public_token(
    _key: ApiKey,
    State(sandbox): State<Sandbox>,
    Path(public_token): Path<String>,
) -> Response {
    let mut state = sandbox.lock();
    let Some(pt) = state.public_tokens.remove(&public_token) else {
        return bad_request("Public token is invalid, expired or already exchanged.");
    };
    if pt.expires_at < now() {
        return bad_request("Public token is invalid, expired or already exchanged.");
    }
    let Some(acct) = state.account(&pt.account_id).filter(|a| !a.deleted) else {
        return bad_request("The linked account of this public token was deleted.");
    };
    Json(AccountToken {
        account_token: acct.token.clone(),
        integration: Some(acct.profile.integration()),
        id: Some(acct.id.clone()),
    })
    .into_response()
}

async fn account_details(Linked(id): Linked, State(sandbox): State<Sandbox>) -> Response {
    let state = sandbox.lock();
    match state.account(&id) {
        Some(acct) => Json(acct.details()).into_response(),
        None => gone(),
    }
}

/// Fields the sandbox fills per written model (`supported_fields`).
const CANDIDATE_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "company",
    "title",
    "locations",
    "phone_numbers",
    "email_addresses",
    "urls",
    "tags",
    "applications",
    "attachments",
];
const APPLICATION_FIELDS: &[&str] = &[
    "candidate",
    "job",
    "applied_at",
    "rejected_at",
    "source",
    "credited_to",
    "current_stage",
    "reject_reason",
];
const ATTACHMENT_FIELDS: &[&str] = &["file_name", "file_url", "candidate", "attachment_type"];

async fn available_actions(Linked(id): Linked, State(sandbox): State<Sandbox>) -> Response {
    let state = sandbox.lock();
    let Some(acct) = state.account(&id) else {
        return gone();
    };
    let required = || -> Vec<String> {
        if acct.profile.requires_remote_user_id {
            vec!["remote_user_id".to_owned()]
        } else {
            Vec::new()
        }
    };
    let op = |name: &str, ops: &[&str], required: Vec<String>, fields: &[&str]| ModelOperation {
        model_name: name.to_owned(),
        available_operations: ops.iter().map(|s| (*s).to_owned()).collect(),
        required_post_parameters: required,
        supported_fields: fields.iter().map(|s| (*s).to_owned()).collect(),
    };
    let fetch = &["FETCH"];
    let create = &["FETCH", "CREATE"];
    let ops = vec![
        op("RemoteUser", fetch, vec![], &[]),
        op("Job", fetch, vec![], &[]),
        op("JobInterviewStage", fetch, vec![], &[]),
        op("Candidate", create, required(), CANDIDATE_FIELDS),
        op("Application", create, required(), APPLICATION_FIELDS),
        op("Attachment", create, required(), ATTACHMENT_FIELDS),
        op("ScheduledInterview", fetch, vec![], &[]),
        op("RejectReason", fetch, vec![], &[]),
    ];
    Json(AvailableActions {
        integration: Some(acct.profile.integration()),
        passthrough_available: Some(false),
        available_model_operations: ops,
    })
    .into_response()
}

async fn delete_account(Linked(id): Linked, State(sandbox): State<Sandbox>) -> Response {
    let mut state = sandbox.lock();
    if let Some(acct) = state.account_mut(&id) {
        acct.deleted = true;
    }
    StatusCode::OK.into_response()
}

/// Model names `GET /sync-status` reports.
const SYNCED_MODELS: [&str; 8] = [
    "Application",
    "Attachment",
    "Candidate",
    "Job",
    "JobInterviewStage",
    "RejectReason",
    "RemoteUser",
    "ScheduledInterview",
];

async fn sync_status(Linked(id): Linked, State(sandbox): State<Sandbox>) -> Response {
    let state = sandbox.lock();
    let Some(acct) = state.account(&id) else {
        return gone();
    };
    let finished = now();
    let results = SYNCED_MODELS
        .iter()
        .map(|m| SyncStatus {
            model_name: Some((*m).to_owned()),
            model_id: Some(format!("ats.{m}")),
            last_sync_start: Some(acct.completed_at),
            next_sync_start: Some(finished + Duration::hours(1)),
            last_sync_result: Some(SyncState::Done),
            last_sync_finished: Some(finished),
            status: Some(SyncState::Done),
            is_initial_sync: Some(false),
            selective_sync_configurations_usage: None,
        })
        .collect();
    Json(Page {
        next: None,
        previous: None,
        results,
    })
    .into_response()
}
