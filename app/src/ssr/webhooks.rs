//! `POST /webhooks/merge`: Merge's webhooks. The signature is checked on the raw body bytes
//! before anything is parsed; a delivery seen before (same signature) is acknowledged and
//! ignored; the work happens after the answer. Only marketplace applications are acted on:
//! foreign records in a payload are dropped in memory, never stored or logged.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use merge::types::{Application, Ref, ScheduledInterview, WebhookPayload};
use serde_json::json;

use super::{crypto::hash_token, state::AppState, sync};

/// Handles one delivery.
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    use secrecy::ExposeSecret;
    let signature = headers
        .get(merge::webhook::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = state.config.webhook_key.expose_secret().as_bytes();
    if signature.is_empty() || !merge::webhook::verify(key, &body, signature) {
        if let Err(e) = state.db.log_delivery(None, "", None, "rejected").await {
            tracing::error!("logging a rejected webhook: {e}");
        }
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid signature"})),
        )
            .into_response();
    }
    let Ok(payload) = serde_json::from_slice::<WebhookPayload>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "body is not a Merge webhook"})),
        )
            .into_response();
    };
    // One delivery = one signature (Merge re-sends the same bytes); padding is not significant.
    let id = hash_token(signature.trim().trim_end_matches('='));
    let account = payload.linked_account.as_ref().map(|a| a.id.clone());
    match state
        .db
        .log_delivery(Some(&id), payload.event(), account.as_deref(), "accepted")
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            if let Err(e) = state
                .db
                .log_delivery(None, payload.event(), account.as_deref(), "duplicate")
                .await
            {
                tracing::error!("logging a repeated webhook: {e}");
            }
            return (StatusCode::OK, Json(json!({"status": "duplicate"}))).into_response();
        }
        Err(e) => {
            tracing::error!("logging a webhook: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    tokio::spawn(async move {
        let (outcome, model) = match process(&state, &payload).await {
            Ok(Some(model)) => ("accepted", Some(model)),
            Ok(None) => ("ignored", None),
            Err(e) => {
                tracing::warn!(
                    event = payload.event(),
                    "processing a webhook failed: {e:#}"
                );
                ("accepted", None)
            }
        };
        if let Err(e) = state
            .db
            .set_delivery_outcome(&id, outcome, model.as_deref())
            .await
        {
            tracing::error!("recording a webhook outcome: {e}");
        }
    });
    (StatusCode::OK, Json(json!({"status": "accepted"}))).into_response()
}

/// The connection status after Merge deleted the linked account.
pub const DELETED: &str = "DELETED";

/// Acts on one event; returns the marketplace record it concerned (None = ignored).
async fn process(state: &AppState, payload: &WebhookPayload) -> anyhow::Result<Option<String>> {
    let Some(account) = payload.linked_account.as_ref() else {
        return Ok(None);
    };
    let Some(tenant) = state.db.tenant_of_linked_account(&account.id).await? else {
        return Ok(None);
    };
    let event = payload.event().to_ascii_lowercase();
    // The account's status as Merge reports it (RELINK_NEEDED, ...); a deleted account is gone
    // whatever status the payload still carries, until a company admin relinks or disconnects.
    let status = if event == "linkedaccount.deleted" {
        Some(DELETED.to_string())
    } else {
        account.status.as_ref().map(|s| s.as_str().to_string())
    };
    if let Some(status) = status {
        state.db.set_connection_status(tenant, &status).await?;
    }
    let application_id = match event.split_once('.').map(|(model, _)| model) {
        Some("linkedaccount") => {
            if event == "linkedaccount.synced" {
                sync::request_sync(state, tenant, false).await?;
            }
            return Ok(Some(account.id.clone()));
        }
        // Users, jobs and stages: an incremental pull reads what changed since the last one.
        Some("job" | "jobinterviewstage" | "remoteuser") => {
            sync::request_sync(state, tenant, false).await?;
            return Ok(Some(account.id.clone()));
        }
        Some("application") => payload.data_as::<Application>().ok().map(|a| a.id),
        Some("scheduledinterview" | "interview") => payload
            .data_as::<ScheduledInterview>()
            .ok()
            .and_then(|i| i.application.map(|a: Ref<Application>| a.id().to_string())),
        _ => None,
    };
    let Some(application_id) = application_id else {
        return Ok(None);
    };
    // Foreign applications end here: not ours, so nothing is read, stored or logged.
    let Some(request_id) = state
        .db
        .request_of_application(tenant, &application_id)
        .await?
    else {
        return Ok(None);
    };
    sync::sync_application(state, tenant, request_id, &application_id).await?;
    Ok(Some(application_id))
}
