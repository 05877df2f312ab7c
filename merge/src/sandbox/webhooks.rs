//! Outgoing Merge webhooks: the §6.3 envelope, signed with `X-Merge-Webhook-Signature`, posted
//! best-effort from a spawned task; every attempt is kept in a short delivery log.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::state::{now, WebhookTarget};
use super::Sandbox;
use crate::types::{AccountDetails, WebhookHook, WebhookPayload};

/// Deliveries kept in the log.
const LOG_LEN: usize = 500;

/// One webhook delivery attempt.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// Event name (e.g. `Application.changed`).
    pub event: String,
    /// The linked account it was about.
    pub account_id: String,
    /// Merge id of the model in `data`.
    pub model_id: String,
    /// Target URL.
    pub url: String,
    /// HTTP status the target answered, if it answered.
    pub status: Option<u16>,
    /// Transport error, if any.
    pub error: Option<String>,
}

/// The serialised, signed webhook body: `(body, signature)`.
pub(crate) fn signed_body(
    target: &WebhookTarget,
    hook_id: &str,
    linked_account: AccountDetails,
    event: &str,
    data: Value,
) -> Result<(Vec<u8>, String), serde_json::Error> {
    let payload = WebhookPayload {
        hook: WebhookHook {
            id: Some(hook_id.to_owned()),
            event: Some(event.to_owned()),
            target: Some(target.url.to_string()),
        },
        linked_account: Some(linked_account),
        data,
    };
    let body = serde_json::to_vec(&payload)?;
    let signature = crate::webhook::sign(target.key.as_bytes(), &body);
    Ok((body, signature))
}

/// Sends `event` about a linked account (its webhook `linked_account` block) with `data` (a full
/// common model) to the configured target, if any, without waiting for it.
pub(crate) fn send(sandbox: &Sandbox, linked_account: AccountDetails, event: &str, data: Value) {
    let Some(target) = sandbox.lock().webhook_target.clone() else {
        return;
    };
    let model_id = data
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let account_id = linked_account.id.clone();
    let (body, signature) =
        match signed_body(&target, sandbox.hook_id(), linked_account, event, data) {
            Ok(signed) => signed,
            Err(e) => {
                tracing::warn!(error = %e, "sandbox: could not serialise a webhook");
                return;
            }
        };
    let mut delivery = Delivery {
        at: now(),
        event: event.to_owned(),
        account_id,
        model_id,
        url: target.url.to_string(),
        status: None,
        error: None,
    };
    let sandbox = sandbox.clone();
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        let sent = sandbox
            .http()
            .post(target.url.clone())
            .timeout(Duration::from_secs(10))
            .header("content-type", "application/json")
            .header("x-merge-webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(resp) => delivery.status = Some(resp.status().as_u16()),
            Err(e) => {
                tracing::warn!(error = %e, url = %target.url, "sandbox: webhook delivery failed");
                delivery.error = Some(e.to_string());
            }
        }
        let mut state = sandbox.lock();
        state.deliveries.push_back(delivery);
        while state.deliveries.len() > LOG_LEN {
            state.deliveries.pop_front();
        }
    });
}
