//! The push queue (outbox): leased jobs that write an accepted request into the ATS.

use chrono::{DateTime, Duration, Utc};

use super::now;
use crate::ssr::db::Db;

/// A claimed push job.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct PushJob {
    pub id: i64,
    pub request_id: i64,
    pub tenant_id: i64,
    pub attempts: i64,
}

const CLAIM_SQLITE: &str = "UPDATE push_jobs SET lease_until = $2, updated_at = $1 WHERE id = ( \
       SELECT id FROM push_jobs WHERE state = 'queued' AND next_attempt_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT 1) \
     RETURNING id, request_id, tenant_id, attempts";

const CLAIM_POSTGRES: &str = "UPDATE push_jobs SET lease_until = $2, updated_at = $1 WHERE id = ( \
       SELECT id FROM push_jobs WHERE state = 'queued' AND next_attempt_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT 1 \
       FOR UPDATE SKIP LOCKED) \
     RETURNING id, request_id, tenant_id, attempts";

impl Db {
    /// Leases the next due push for `lease`; a process that dies loses the lease when it expires.
    pub async fn claim_push(&self, lease: Duration) -> sqlx::Result<Option<PushJob>> {
        let t = now();
        match self {
            Db::Sqlite(p) => {
                sqlx::query_as::<_, PushJob>(CLAIM_SQLITE)
                    .bind(t)
                    .bind(t + lease)
                    .fetch_optional(p)
                    .await
            }
            Db::Postgres(p) => {
                sqlx::query_as::<_, PushJob>(CLAIM_POSTGRES)
                    .bind(t)
                    .bind(t + lease)
                    .fetch_optional(p)
                    .await
            }
        }
    }

    /// Sets a push's state and message, releasing its lease.
    async fn set_push(
        &self,
        job_id: i64,
        state: &str,
        error: Option<&str>,
        next_attempt_at: Option<DateTime<Utc>>,
        count_attempt: bool,
    ) -> sqlx::Result<()> {
        let t = now();
        crate::on_db!(self, |p| {
            sqlx::query(
            "UPDATE push_jobs SET state = $2, last_error = $3, next_attempt_at = COALESCE($4, next_attempt_at), \
               attempts = attempts + $5, lease_until = NULL, updated_at = $6 WHERE id = $1"
        )
        .bind(job_id)
        .bind(state)
        .bind(error)
        .bind(next_attempt_at)
        .bind(i64::from(count_attempt))
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The push finished: candidate, application and attachment exist in the ATS.
    pub async fn push_done(&self, job_id: i64) -> sqlx::Result<()> {
        self.set_push(job_id, "done", None, None, true).await
    }

    /// The push cannot go on until someone acts (`reason` names the remedy).
    pub async fn push_waiting(&self, job_id: i64, reason: &str) -> sqlx::Result<()> {
        self.set_push(job_id, "waiting", Some(reason), None, false)
            .await
    }

    /// A transient failure: try again at `at`.
    pub async fn push_retry(
        &self,
        job_id: i64,
        error: &str,
        at: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        self.set_push(job_id, "queued", Some(error), Some(at), true)
            .await
    }

    /// A permanent failure: stop and say why.
    pub async fn push_failed(&self, job_id: i64, error: &str) -> sqlx::Result<()> {
        self.set_push(job_id, "failed", Some(error), None, true)
            .await
    }

    /// Re-queues the tenant's waiting pushes (after the remedy was applied); returns how many.
    pub async fn requeue_waiting_pushes(&self, tenant_id: i64) -> sqlx::Result<u64> {
        let t = now();
        let done = crate::on_db!(self, |p| sqlx::query(
            "UPDATE push_jobs SET state = 'queued', next_attempt_at = $2, updated_at = $2 \
             WHERE tenant_id = $1 AND state = 'waiting'"
        )
        .bind(tenant_id)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(done)
    }
}
