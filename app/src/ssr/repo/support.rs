//! What the support console reads about one tenant: its push queue (ids and errors, never the
//! candidate), webhook deliveries and recent sync runs.

use chrono::{DateTime, Utc};

use super::connections::SyncRunRow;
use crate::{on_db, ssr::db::Db};

/// One push as support sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushQueueRow {
    pub request_id: String,
    pub position: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub error_status: Option<i64>,
    pub error_problem: Option<String>,
    pub correlation_id: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// One logged webhook delivery of a tenant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantDeliveryRow {
    pub event: String,
    pub model_id: Option<String>,
    pub outcome: String,
    pub received_at: DateTime<Utc>,
}

impl Db {
    /// A tenant's internal id and name from its public id.
    pub async fn tenant_by_public_id(
        &self,
        public_id: &str,
    ) -> sqlx::Result<Option<(i64, String)>> {
        on_db!(self, |p| sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM tenants WHERE public_id = $1"
        )
        .bind(public_id)
        .fetch_optional(p)
        .await)
    }

    /// The tenant's pushes: failed and waiting first, then the newest.
    pub async fn push_queue(&self, tenant_id: i64, limit: i64) -> sqlx::Result<Vec<PushQueueRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, PushQueueRow>(
            "SELECT ir.public_id AS request_id, pos.title AS position, pj.state, pj.attempts, \
               pj.last_error, pj.error_status, pj.error_problem, pj.correlation_id, pj.updated_at \
             FROM push_jobs pj JOIN interview_requests ir ON ir.id = pj.request_id \
               JOIN positions pos ON pos.id = ir.position_id \
             WHERE pj.tenant_id = $1 \
             ORDER BY CASE WHEN pj.state IN ('failed', 'waiting') THEN 0 ELSE 1 END, pj.id DESC LIMIT $2"
        )
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(p)
        .await
        })
    }

    /// The tenant's newest webhook deliveries.
    pub async fn tenant_deliveries(
        &self,
        tenant_id: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<TenantDeliveryRow>> {
        on_db!(self, |p| sqlx::query_as::<_, TenantDeliveryRow>(
            "SELECT event, model_id, outcome, received_at FROM webhook_deliveries \
             WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(p)
        .await)
    }

    /// How many deliveries were rejected (bad or missing signature) since `since`. They name
    /// no tenant: an unverified body is never read.
    pub async fn rejected_deliveries_since(&self, since: DateTime<Utc>) -> sqlx::Result<i64> {
        on_db!(self, |p| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE outcome = 'rejected' AND received_at >= $1"
        )
        .bind(since)
        .fetch_one(p)
        .await
        })
    }

    /// The tenant's newest sync runs.
    pub async fn recent_sync_runs(
        &self,
        tenant_id: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<SyncRunRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, SyncRunRow>(
            "SELECT id, state, pages, users, jobs, stages, applications, error, started_at, finished_at \
             FROM sync_runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
        )
        .bind(tenant_id)
        .bind(limit)
        .fetch_all(p)
        .await
        })
    }
}
