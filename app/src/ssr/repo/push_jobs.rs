//! The push queue (outbox): leased jobs that write an accepted request into the ATS.

use chrono::{DateTime, Duration, Utc};

use super::now;
use crate::ssr::db::Db;

/// A claimed push job.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PushJob {
    pub id: i64,
    pub request_id: i64,
    pub tenant_id: i64,
    pub attempts: i64,
    /// Names this push in the logs and on screen, so support can find it.
    pub correlation_id: String,
}

/// Why a push stopped, as the hiring manager sees it: our words, the ATS's HTTP status and
/// Merge's problem type when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub status: Option<u16>,
    pub problem: Option<String>,
}

impl Failure {
    /// A failure that did not come from an ATS answer.
    pub fn plain(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            status: None,
            problem: None,
        }
    }
}

const CLAIM_SQLITE: &str = "UPDATE push_jobs SET lease_until = $2, updated_at = $1 WHERE id = ( \
       SELECT id FROM push_jobs WHERE state = 'queued' AND next_attempt_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT 1) \
     RETURNING id, request_id, tenant_id, attempts, COALESCE(correlation_id, '') AS correlation_id";

const CLAIM_POSTGRES: &str = "UPDATE push_jobs SET lease_until = $2, updated_at = $1 WHERE id = ( \
       SELECT id FROM push_jobs WHERE state = 'queued' AND next_attempt_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_attempt_at, id LIMIT 1 \
       FOR UPDATE SKIP LOCKED) \
     RETURNING id, request_id, tenant_id, attempts, COALESCE(correlation_id, '') AS correlation_id";

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

    /// Extends the lease of a push this worker is running.
    pub async fn renew_push_lease(&self, job_id: i64, lease: Duration) -> sqlx::Result<()> {
        let t = now();
        crate::on_db!(self, |p| sqlx::query(
            "UPDATE push_jobs SET lease_until = $2 WHERE id = $1 AND lease_until IS NOT NULL"
        )
        .bind(job_id)
        .bind(t + lease)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Gives a push back without recording an outcome (this worker is shutting down).
    pub async fn release_push(&self, job_id: i64) -> sqlx::Result<()> {
        crate::on_db!(self, |p| sqlx::query(
            "UPDATE push_jobs SET lease_until = NULL WHERE id = $1 AND state = 'queued'"
        )
        .bind(job_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Sets a push's state and message, releasing its lease.
    async fn set_push(
        &self,
        job_id: i64,
        state: &str,
        failure: Option<&Failure>,
        next_attempt_at: Option<DateTime<Utc>>,
        count_attempt: bool,
    ) -> sqlx::Result<()> {
        let t = now();
        crate::on_db!(self, |p| {
            sqlx::query(
            "UPDATE push_jobs SET state = $2, last_error = $3, error_status = $4, error_problem = $5, \
               next_attempt_at = COALESCE($6, next_attempt_at), attempts = attempts + $7, lease_until = NULL, \
               updated_at = $8 WHERE id = $1"
        )
        .bind(job_id)
        .bind(state)
        .bind(failure.map(|f| f.message.as_str()))
        .bind(failure.and_then(|f| f.status).map(i64::from))
        .bind(failure.and_then(|f| f.problem.as_deref()))
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
    pub async fn push_waiting(&self, job_id: i64, reason: &Failure) -> sqlx::Result<()> {
        self.set_push(job_id, "waiting", Some(reason), None, false)
            .await
    }

    /// A transient failure: try again at `at`.
    pub async fn push_retry(
        &self,
        job_id: i64,
        error: &Failure,
        at: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        self.set_push(job_id, "queued", Some(error), Some(at), true)
            .await
    }

    /// A permanent failure: stop and say why.
    pub async fn push_failed(&self, job_id: i64, error: &Failure) -> sqlx::Result<()> {
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

    /// Whether the push is still the worker's to run (erasure deletes it; a retry re-queues it).
    pub async fn push_still_leased(&self, job_id: i64) -> sqlx::Result<bool> {
        let state: Option<String> = crate::on_db!(self, |p| sqlx::query_scalar(
            "SELECT state FROM push_jobs WHERE id = $1 AND lease_until IS NOT NULL"
        )
        .bind(job_id)
        .fetch_optional(p)
        .await)?;
        Ok(state.as_deref() == Some("queued"))
    }

    /// Re-queues one failed or waiting push of the tenant now, with a fresh attempt budget.
    /// Returns false (and changes nothing) when the push is queued, running or done.
    pub async fn retry_push(&self, tenant_id: i64, request_public_id: &str) -> sqlx::Result<bool> {
        let t = now();
        let changed = crate::on_db!(self, |p| {
            sqlx::query(
            "UPDATE push_jobs SET state = 'queued', attempts = 0, next_attempt_at = $3, updated_at = $3 \
             WHERE tenant_id = $1 AND state IN ('failed', 'waiting') AND lease_until IS NULL \
               AND request_id = (SELECT id FROM interview_requests WHERE tenant_id = $1 AND public_id = $2)"
        )
        .bind(tenant_id)
        .bind(request_public_id)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(changed > 0)
    }
}
