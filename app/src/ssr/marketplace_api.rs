//! The marketplace's JSON API for its other services (per-client bearer tokens, see
//! `api_clients`): read an interview request, record the candidate's accept or decline, and
//! erase a candidate.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
    Json, Router,
};
use serde_json::{json, Value};

use super::{
    api_clients::{self, ApiClient},
    invitations,
    repo::requests::AnswerOutcome,
    state::AppState,
};

/// Routes under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/interview-requests/{id}", get(show))
        .route("/interview-requests/{id}/accept", post(accept))
        .route("/interview-requests/{id}/decline", post(decline))
        .route("/candidates/{id}", delete(erase))
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// The calling client, or the 401 to answer (no, unknown or revoked bearer token).
async fn client(state: &AppState, headers: &HeaderMap) -> Result<ApiClient, Response> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let found = match token {
        Some(t) => api_clients::authenticate(&state.db, t).await,
        None => Ok(None),
    };
    match found {
        Ok(Some(client)) => Ok(client),
        Ok(None) => Err(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid bearer token is required.",
        )),
        Err(e) => {
            tracing::error!("marketplace API authentication: {e:#}");
            Err(internal())
        }
    }
}

fn internal() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Something went wrong on our side.",
    )
}

fn no_request() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "No such interview request.",
    )
}

/// The client and the request's tenant check: a request of another company is not found.
async fn visible(state: &AppState, headers: &HeaderMap, id: &str) -> Result<(), Response> {
    let client = client(state, headers).await?;
    if client == ApiClient::Marketplace {
        return Ok(());
    }
    match state.db.request_unscoped(id).await {
        Ok(Some(r)) if client.may_see(r.tenant_id) => Ok(()),
        Ok(_) => Err(no_request()),
        Err(e) => {
            tracing::error!("marketplace API: {e:#}");
            Err(internal())
        }
    }
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = visible(&state, &headers, &id).await {
        return refused;
    }
    respond_with(&state, &id, StatusCode::OK).await
}

async fn accept(state: State<AppState>, headers: HeaderMap, id: Path<String>) -> Response {
    answer(state, headers, id, true).await
}

async fn decline(state: State<AppState>, headers: HeaderMap, id: Path<String>) -> Response {
    answer(state, headers, id, false).await
}

async fn answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    accept: bool,
) -> Response {
    if let Err(refused) = visible(&state, &headers, &id).await {
        return refused;
    }
    match invitations::answer(&state, &id, accept).await {
        Ok(AnswerOutcome::Changed | AnswerOutcome::AlreadyDone) => {
            respond_with(&state, &id, StatusCode::OK).await
        }
        Ok(AnswerOutcome::Conflict) => error(
            StatusCode::CONFLICT,
            "conflict",
            if accept {
                "The candidate already declined this request."
            } else {
                "The candidate already accepted this request."
            },
        ),
        Ok(AnswerOutcome::NotFound) => no_request(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &e.to_string(),
        ),
    }
}

/// Erases a candidate (by public id or e-mail address): their data here and their queued pushes.
async fn erase(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match client(&state, &headers).await {
        Ok(ApiClient::Marketplace) => {}
        Ok(ApiClient::Company(_)) => {
            return error(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Erasing a candidate needs a marketplace-wide API client; this one is limited to one company.",
            )
        }
        Err(refused) => return refused,
    }
    match state.db.erase_candidate(&id).await {
        Ok(Some(e)) => {
            tracing::info!(candidate = %e.candidate_id, requests = e.requests_removed, pushes = e.pushes_cancelled, "candidate erased");
            Json(json!({
                "candidate_id": e.candidate_id,
                "requests_removed": e.requests_removed,
                "pushes_cancelled": e.pushes_cancelled,
            }))
            .into_response()
        }
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found", "No such candidate."),
        Err(e) => {
            tracing::error!("erasing a candidate: {e}");
            internal()
        }
    }
}

async fn respond_with(state: &AppState, id: &str, status: StatusCode) -> Response {
    match request_json(state, id).await {
        Ok(Some(body)) => (status, Json(body)).into_response(),
        Ok(None) => no_request(),
        Err(e) => {
            tracing::error!("marketplace API: {e:#}");
            internal()
        }
    }
}

/// The JSON shape of an interview request (documented in docs/api.md).
async fn request_json(state: &AppState, id: &str) -> anyhow::Result<Option<Value>> {
    let Some(r) = state.db.request_unscoped(id).await? else {
        return Ok(None);
    };
    let interviews = state.db.interviews(r.tenant_id, r.id).await?;
    let history = state.db.stage_history(r.tenant_id, r.id).await?;
    let response_url = (r.state == "sent").then(|| invitations::answer_url(state, &r.public_id));
    Ok(Some(json!({
        "id": r.public_id,
        "state": r.state,
        "position": { "id": r.position_public_id, "title": r.position_title },
        "candidate": { "id": r.candidate_public_id, "name": r.candidate_name, "email": r.candidate_email },
        "candidate_response_url": response_url,
        "push": r.push_state.as_ref().map(|s| json!({
            "state": s,
            "message": r.push_error,
            "attempts": r.push_attempts,
            "correlation_id": r.push_correlation_id,
            "http_status": r.push_error_status,
            "problem_type": r.push_error_problem,
        })),
        "ats": {
            "candidate_id": r.ats_candidate_id,
            "application_id": r.ats_application_id,
            "attachment_id": r.ats_attachment_id,
        },
        "current_stage": r.current_stage_id.as_ref().map(|sid| json!({ "id": sid, "name": r.current_stage_name })),
        "stage_history": history.iter().map(|(name, at)| json!({ "name": name, "at": at })).collect::<Vec<_>>(),
        "interviews": interviews.iter().map(|i| json!({
            "id": i.merge_id,
            "start_at": i.start_at,
            "end_at": i.end_at,
            "location": i.location,
            "status": if i.remote_was_deleted { Some("CANCELLED") } else { i.status.as_deref() },
            "organizer": i.organizer,
            "interviewers": i.interviewers,
        })).collect::<Vec<_>>(),
        "outcome": match r.state.as_str() {
            "hired" | "rejected" => json!({ "result": r.state, "reject_reason": r.reject_reason, "at": r.outcome_at }),
            _ => Value::Null,
        },
        "accepted_at": r.accepted_at,
        "created_at": r.created_at,
    })))
}
