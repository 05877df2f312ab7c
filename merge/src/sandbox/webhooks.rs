//! Outgoing Merge webhooks: the §6.3 envelope, signed with `X-Merge-Webhook-Signature`, posted
//! best-effort from a spawned task; every attempt is kept in a short delivery log. Delivery
//! faults repeat, reorder and re-send deliveries the way Merge does.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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

/// How the sandbox delivers webhooks, like Merge's own habits (`POST /_sandbox/webhook-faults`):
/// every delivery may arrive more than once, out of order, and again when the receiver is slow.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DeliveryFaults {
    /// Times each delivery is sent, same bytes and signature (1–10, default 1).
    #[serde(default = "one")]
    pub copies: u32,
    /// When above 1, deliveries are held until this many are waiting (or `hold_ms` passed since
    /// the first) and then sent newest first (0 or 1: sent at once, in order). At most 100.
    #[serde(default)]
    pub reverse_batch: u32,
    /// The longest a batch waits for more deliveries (default 500, at most 10,000).
    #[serde(default = "default_hold_ms")]
    pub hold_ms: u64,
    /// A receiver slower than this counts as failed and gets the same delivery again, up to
    /// `retries` times, as Merge retries slow receivers (default 10,000; 1–60,000).
    #[serde(default = "default_receiver_timeout_ms")]
    pub receiver_timeout_ms: u64,
    /// Re-sends after a failed or timed-out attempt (default 0, at most 5).
    #[serde(default)]
    pub retries: u32,
}

fn one() -> u32 {
    1
}
fn default_hold_ms() -> u64 {
    500
}
fn default_receiver_timeout_ms() -> u64 {
    10_000
}

impl Default for DeliveryFaults {
    fn default() -> Self {
        DeliveryFaults {
            copies: 1,
            reverse_batch: 0,
            hold_ms: default_hold_ms(),
            receiver_timeout_ms: default_receiver_timeout_ms(),
            retries: 0,
        }
    }
}

impl DeliveryFaults {
    /// Why the control API refuses these settings, if it does.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if !(1..=10).contains(&self.copies) {
            return Some("copies must be between 1 and 10.");
        }
        if self.reverse_batch > 100 {
            return Some("reverse_batch must be at most 100.");
        }
        if self.hold_ms > 10_000 {
            return Some("hold_ms must be at most 10000.");
        }
        if !(1..=60_000).contains(&self.receiver_timeout_ms) {
            return Some("receiver_timeout_ms must be between 1 and 60000.");
        }
        if self.retries > 5 {
            return Some("retries must be at most 5.");
        }
        None
    }

    fn batches(&self) -> bool {
        self.reverse_batch > 1
    }
}

/// A signed delivery waiting to be sent.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    body: Vec<u8>,
    signature: String,
    url: url::Url,
    event: String,
    account_id: String,
    model_id: String,
}

/// Sends `event` about a linked account (its webhook `linked_account` block) with `data` (a full
/// common model) to the configured target, if any, without waiting for it.
pub(crate) fn send(sandbox: &Sandbox, linked_account: AccountDetails, event: &str, data: Value) {
    let Some(target) = sandbox.lock().webhook_target.clone() else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
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
    let outgoing = Outgoing {
        body,
        signature,
        url: target.url,
        event: event.to_owned(),
        account_id,
        model_id,
    };
    let (faults, batch) = {
        let mut state = sandbox.lock();
        let faults = state.delivery_faults.clone();
        if !faults.batches() {
            (faults, vec![outgoing])
        } else {
            state.held_deliveries.push(outgoing);
            let held = state.held_deliveries.len();
            if held == 1 {
                // The first of a batch: send whatever has gathered after hold_ms.
                let sandbox = sandbox.clone();
                let hold = Duration::from_millis(faults.hold_ms);
                runtime.spawn(async move {
                    tokio::time::sleep(hold).await;
                    let batch = std::mem::take(&mut sandbox.lock().held_deliveries);
                    deliver_newest_first(&sandbox, batch).await;
                });
                return;
            }
            if held < faults.reverse_batch as usize {
                return;
            }
            (faults, std::mem::take(&mut state.held_deliveries))
        }
    };
    let sandbox = sandbox.clone();
    runtime.spawn(async move {
        if faults.batches() {
            deliver_newest_first(&sandbox, batch).await;
        } else {
            for outgoing in batch {
                deliver(&sandbox, &faults, outgoing).await;
            }
        }
    });
}

async fn deliver_newest_first(sandbox: &Sandbox, batch: Vec<Outgoing>) {
    let faults = sandbox.lock().delivery_faults.clone();
    for outgoing in batch.into_iter().rev() {
        deliver(sandbox, &faults, outgoing).await;
    }
}

/// Posts one delivery `copies` times, each re-sent up to `retries` times while the receiver
/// fails or is slower than `receiver_timeout_ms`; every attempt goes to the delivery log.
async fn deliver(sandbox: &Sandbox, faults: &DeliveryFaults, outgoing: Outgoing) {
    let timeout = Duration::from_millis(faults.receiver_timeout_ms);
    for _ in 0..faults.copies {
        for _ in 0..=faults.retries {
            let sent = sandbox
                .http()
                .post(outgoing.url.clone())
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("x-merge-webhook-signature", &outgoing.signature)
                .body(outgoing.body.clone())
                .send()
                .await;
            let mut delivery = Delivery {
                at: now(),
                event: outgoing.event.clone(),
                account_id: outgoing.account_id.clone(),
                model_id: outgoing.model_id.clone(),
                url: outgoing.url.to_string(),
                status: None,
                error: None,
            };
            let ok = match sent {
                Ok(resp) => {
                    delivery.status = Some(resp.status().as_u16());
                    resp.status().is_success()
                }
                Err(e) => {
                    tracing::warn!(error = %e, url = %outgoing.url, "sandbox: webhook delivery failed");
                    delivery.error = Some(if e.is_timeout() {
                        format!("receiver slower than {} ms", faults.receiver_timeout_ms)
                    } else {
                        e.to_string()
                    });
                    false
                }
            };
            let mut state = sandbox.lock();
            state.deliveries.push_back(delivery);
            while state.deliveries.len() > LOG_LEN {
                state.deliveries.pop_front();
            }
            drop(state);
            if ok {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_faults_default_to_one_prompt_delivery_and_refuse_silly_settings() {
        let d: DeliveryFaults = serde_json::from_str("{}").unwrap();
        assert_eq!(d, DeliveryFaults::default());
        assert!(d.problem().is_none() && !d.batches());
        for bad in [
            r#"{"copies": 0}"#,
            r#"{"copies": 11}"#,
            r#"{"reverse_batch": 101}"#,
            r#"{"receiver_timeout_ms": 0}"#,
            r#"{"retries": 6}"#,
            r#"{"hold_ms": 10001}"#,
        ] {
            let d: DeliveryFaults = serde_json::from_str(bad).unwrap();
            assert!(d.problem().is_some(), "{bad} is refused");
        }
        assert!(serde_json::from_str::<DeliveryFaults>(r#"{"copy": 2}"#).is_err());
        let d: DeliveryFaults = serde_json::from_str(r#"{"reverse_batch": 3}"#).unwrap();
        assert!(d.batches());
    }
}
