//! The webhook delivery log (event, ids, time, outcome — never bodies).

use chrono::{DateTime, Utc};

use super::now;
use crate::{on_db, ssr::db::Db};

/// One logged delivery.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub event: String,
    pub linked_account_id: Option<String>,
    pub model_id: Option<String>,
    pub outcome: String,
    pub received_at: DateTime<Utc>,
}

impl Db {
    /// Logs a delivery. With a signature hash, returns false when that delivery was already
    /// logged (a repeat), in which case nothing is written.
    pub async fn log_delivery(
        &self,
        signature_hash: Option<&str>,
        event: &str,
        linked_account_id: Option<&str>,
        outcome: &str,
    ) -> sqlx::Result<bool> {
        let rows = on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO webhook_deliveries (signature_hash, tenant_id, linked_account_id, event, outcome, received_at) \
             VALUES ($1, (SELECT tenant_id FROM connections WHERE linked_account_id = $3), $3, $2, $4, $5) \
             ON CONFLICT (signature_hash) DO NOTHING"
        )
        .bind(signature_hash)
        .bind(event)
        .bind(linked_account_id)
        .bind(outcome)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(rows == 1)
    }

    /// Records what a logged delivery led to (and the marketplace record it concerned).
    pub async fn set_delivery_outcome(
        &self,
        signature_hash: &str,
        outcome: &str,
        model_id: Option<&str>,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "UPDATE webhook_deliveries SET outcome = $2, model_id = $3 WHERE signature_hash = $1"
        )
        .bind(signature_hash)
        .bind(outcome)
        .bind(model_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The newest deliveries (all tenants; for support and tests).
    pub async fn deliveries(&self, limit: i64) -> sqlx::Result<Vec<DeliveryRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, DeliveryRow>(
            "SELECT event, linked_account_id, model_id, outcome, received_at FROM webhook_deliveries \
             ORDER BY id DESC LIMIT $1"
        )
        .bind(limit)
        .fetch_all(p)
        .await
        })
    }

    /// The tenant connected to a Merge linked account.
    pub async fn tenant_of_linked_account(
        &self,
        linked_account_id: &str,
    ) -> sqlx::Result<Option<i64>> {
        on_db!(self, |p| sqlx::query_scalar(
            "SELECT tenant_id FROM connections WHERE linked_account_id = $1"
        )
        .bind(linked_account_id)
        .fetch_optional(p)
        .await)
    }

    /// The tenant's accepted request whose ATS application is `application_id`, if any.
    pub async fn request_of_application(
        &self,
        tenant_id: i64,
        application_id: &str,
    ) -> sqlx::Result<Option<i64>> {
        on_db!(self, |p| {
            sqlx::query_scalar(
            "SELECT id FROM interview_requests WHERE tenant_id = $1 AND ats_application_id = $2 AND state = 'accepted'"
        )
        .bind(tenant_id)
        .bind(application_id)
        .fetch_optional(p)
        .await
        })
    }
}
