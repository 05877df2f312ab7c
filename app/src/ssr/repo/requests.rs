//! Interview requests: sending, the candidate's answer (which queues the push in the same
//! transaction), and what syncs back from the ATS (stage, interviews, outcome).

use chrono::{DateTime, Utc};

use super::now;
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// A request as pages and the JSON API show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub public_id: String,
    pub tenant_id: i64,
    pub state: String,
    pub message: String,
    pub position_public_id: String,
    pub position_title: String,
    pub ats_job_merge_id: Option<String>,
    pub candidate_id: i64,
    pub candidate_public_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub ats_candidate_id: Option<String>,
    pub ats_application_id: Option<String>,
    pub ats_attachment_id: Option<String>,
    pub current_stage_id: Option<String>,
    pub current_stage_name: Option<String>,
    pub reject_reason: Option<String>,
    pub outcome_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub push_state: Option<String>,
    pub push_error: Option<String>,
    pub push_attempts: Option<i64>,
    pub push_correlation_id: Option<String>,
    pub push_error_status: Option<i64>,
    pub push_error_problem: Option<String>,
}

/// An interview of a marketplace application, as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct InterviewRow {
    pub merge_id: String,
    pub start_at: Option<DateTime<Utc>>,
    pub end_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub status: Option<String>,
    pub organizer: Option<String>,
    /// Interviewer names, comma-separated.
    pub interviewers: String,
    pub remote_was_deleted: bool,
}

/// What the candidate's answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// The state changed now (and, for an acceptance, a push was queued).
    Changed,
    /// The same answer was already recorded; nothing new happened.
    AlreadyDone,
    /// The opposite answer was recorded earlier.
    Conflict,
    NotFound,
}

/// What the ATS says about a marketplace application.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationProgress {
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    /// `Some("hired")` or `Some("rejected")` closes the request.
    pub closed_as: Option<&'static str>,
    pub reject_reason: Option<String>,
    pub interviews: Vec<InterviewRow>,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.public_id, r.tenant_id, r.state, r.message, \
     p.public_id AS position_public_id, p.title AS position_title, p.ats_job_merge_id, \
     c.id AS candidate_id, c.public_id AS candidate_public_id, c.full_name AS candidate_name, c.email AS candidate_email, \
     r.ats_candidate_id, r.ats_application_id, r.ats_attachment_id, r.current_stage_id, r.current_stage_name, \
     r.reject_reason, r.outcome_at, r.accepted_at, r.created_at, \
     j.state AS push_state, j.last_error AS push_error, j.attempts AS push_attempts, j.correlation_id AS push_correlation_id, \
     j.error_status AS push_error_status, j.error_problem AS push_error_problem \
     FROM interview_requests r JOIN positions p ON p.id = r.position_id JOIN candidates c ON c.id = r.candidate_id \
     LEFT JOIN push_jobs j ON j.request_id = r.id";

impl Db {
    /// Creates an interview request for one of the tenant's positions. Returns None when the
    /// position or candidate does not exist; a second request for the same pair is a unique
    /// violation the caller reports as a conflict.
    pub async fn create_request(
        &self,
        tenant_id: i64,
        position_public_id: &str,
        candidate_public_id: &str,
        message: &str,
    ) -> sqlx::Result<Option<String>> {
        let pid = crate::ssr::crypto::public_id();
        let t = now();
        let inserted = on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO interview_requests (public_id, tenant_id, position_id, candidate_id, state, message, created_at, updated_at) \
             SELECT $1, p.tenant_id, p.id, c.id, 'sent', $4, $5, $5 FROM positions p, candidates c \
             WHERE p.tenant_id = $2 AND p.public_id = $3 AND c.public_id = $6"
        )
        .bind(&pid)
        .bind(tenant_id)
        .bind(position_public_id)
        .bind(message)
        .bind(t)
        .bind(candidate_public_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok((inserted == 1).then_some(pid))
    }

    /// The tenant's requests, newest first.
    pub async fn requests(&self, tenant_id: i64) -> sqlx::Result<Vec<RequestRow>> {
        let sql = format!("{REQUEST_SELECT} WHERE r.tenant_id = $1 ORDER BY r.id DESC LIMIT 500");
        on_db!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(tenant_id)
            .fetch_all(p)
            .await)
    }

    /// One of the tenant's requests.
    pub async fn request(
        &self,
        tenant_id: i64,
        public_id: &str,
    ) -> sqlx::Result<Option<RequestRow>> {
        let sql = format!("{REQUEST_SELECT} WHERE r.tenant_id = $1 AND r.public_id = $2");
        on_db!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(tenant_id)
            .bind(public_id)
            .fetch_optional(p)
            .await)
    }

    /// A request by public id across tenants: only for the candidate's signed link and the
    /// marketplace API, which are authorised by the link signature or the API token.
    pub async fn request_unscoped(&self, public_id: &str) -> sqlx::Result<Option<RequestRow>> {
        let sql = format!("{REQUEST_SELECT} WHERE r.public_id = $1");
        on_db!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(public_id)
            .fetch_optional(p)
            .await)
    }

    /// A request by internal id (push worker and sync).
    pub async fn request_by_id(&self, id: i64) -> sqlx::Result<RequestRow> {
        let sql = format!("{REQUEST_SELECT} WHERE r.id = $1");
        on_db!(self, |p| sqlx::query_as::<_, RequestRow>(&sql)
            .bind(id)
            .fetch_one(p)
            .await)
    }

    /// Accepts a sent request and queues its push, in one transaction. Accepting again
    /// changes nothing.
    pub async fn accept_request(&self, public_id: &str) -> sqlx::Result<AnswerOutcome> {
        let t = now();
        let correlation = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE interview_requests SET state = 'accepted', accepted_at = $2, updated_at = $2 \
                 WHERE public_id = $1 AND state = 'sent'",
            )
            .bind(public_id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                let state: Option<String> =
                    sqlx::query_scalar("SELECT state FROM interview_requests WHERE public_id = $1")
                        .bind(public_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Ok(match state.as_deref() {
                    None => AnswerOutcome::NotFound,
                    Some("declined") => AnswerOutcome::Conflict,
                    Some(_) => AnswerOutcome::AlreadyDone,
                });
            }
            sqlx::query(
                "INSERT INTO push_jobs (request_id, tenant_id, state, attempts, next_attempt_at, correlation_id, created_at, updated_at) \
                 SELECT id, tenant_id, 'queued', 0, $2, $3, $2, $2 FROM interview_requests WHERE public_id = $1 \
                 ON CONFLICT (request_id) DO NOTHING",
            )
            .bind(public_id)
            .bind(t)
            .bind(&correlation)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(AnswerOutcome::Changed)
        })
    }

    /// Declines a sent request. Declining again changes nothing; after acceptance it conflicts.
    pub async fn decline_request(&self, public_id: &str) -> sqlx::Result<AnswerOutcome> {
        let t = now();
        on_db!(self, |p| {
            let updated = sqlx::query(
                "UPDATE interview_requests SET state = 'declined', updated_at = $2 WHERE public_id = $1 AND state = 'sent'",
            )
            .bind(public_id)
            .bind(t)
            .execute(p)
            .await?;
            if updated.rows_affected() == 1 {
                return Ok(AnswerOutcome::Changed);
            }
            let state: Option<String> =
                sqlx::query_scalar("SELECT state FROM interview_requests WHERE public_id = $1")
                    .bind(public_id)
                    .fetch_optional(p)
                    .await?;
            Ok(match state.as_deref() {
                None => AnswerOutcome::NotFound,
                Some("declined") => AnswerOutcome::AlreadyDone,
                Some(_) => AnswerOutcome::Conflict,
            })
        })
    }

    /// Records ATS ids as a push obtains them; an id once set is never overwritten.
    pub async fn record_ats_ids(
        &self,
        request_id: i64,
        candidate: Option<&str>,
        application: Option<&str>,
        attachment: Option<&str>,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
            "UPDATE interview_requests SET ats_candidate_id = COALESCE(ats_candidate_id, $2), \
               ats_application_id = COALESCE(ats_application_id, $3), ats_attachment_id = COALESCE(ats_attachment_id, $4), \
               updated_at = $5 WHERE id = $1"
        )
        .bind(request_id)
        .bind(candidate)
        .bind(application)
        .bind(attachment)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Accepted requests of the tenant whose application exists in the ATS and is still open.
    pub async fn open_applications(&self, tenant_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, (i64, String)>(
            "SELECT id, ats_application_id FROM interview_requests \
             WHERE tenant_id = $1 AND state = 'accepted' AND ats_application_id IS NOT NULL ORDER BY id LIMIT 10000"
        )
        .bind(tenant_id)
        .fetch_all(p)
        .await
        })
    }

    /// Stores what the ATS says about a request's application, in one transaction.
    pub async fn store_progress(
        &self,
        tenant_id: i64,
        request_id: i64,
        pr: &ApplicationProgress,
    ) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let current: Option<Option<String>> = sqlx::query_scalar(
                "SELECT current_stage_id FROM interview_requests WHERE id = $1 AND tenant_id = $2 AND state = 'accepted'",
            )
            .bind(request_id)
            .bind(tenant_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(current) = current else {
                // Closed (or gone): closed requests are not updated any more.
                return tx.commit().await;
            };
            if let Some(stage) = pr
                .stage_id
                .as_ref()
                .filter(|s| current.as_ref() != Some(*s))
            {
                sqlx::query(
                    "INSERT INTO stage_history (tenant_id, request_id, stage_id, stage_name, seen_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(tenant_id)
                .bind(request_id)
                .bind(stage)
                .bind(&pr.stage_name)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE interview_requests SET current_stage_id = $2, current_stage_name = $3, reject_reason = $4, \
                   state = COALESCE($5, state), outcome_at = CASE WHEN $5 IS NULL THEN outcome_at ELSE $6 END, updated_at = $6 \
                 WHERE id = $1 AND tenant_id = $7 AND state = 'accepted'",
            )
            .bind(request_id)
            .bind(&pr.stage_id)
            .bind(&pr.stage_name)
            .bind(&pr.reject_reason)
            .bind(pr.closed_as)
            .bind(t)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
            for i in &pr.interviews {
                sqlx::query(
                    "INSERT INTO interviews (tenant_id, request_id, merge_id, start_at, end_at, location, status, organizer, \
                       interviewers, remote_was_deleted, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
                     ON CONFLICT (tenant_id, merge_id) DO UPDATE SET start_at = excluded.start_at, end_at = excluded.end_at, \
                       location = excluded.location, status = excluded.status, organizer = excluded.organizer, \
                       interviewers = excluded.interviewers, remote_was_deleted = excluded.remote_was_deleted, \
                       updated_at = excluded.updated_at",
                )
                .bind(tenant_id)
                .bind(request_id)
                .bind(&i.merge_id)
                .bind(i.start_at)
                .bind(i.end_at)
                .bind(&i.location)
                .bind(&i.status)
                .bind(&i.organizer)
                .bind(&i.interviewers)
                .bind(i.remote_was_deleted)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            // The list is complete (deleted ones included): an interview missing from it was
            // removed in the ATS, so it disappears here too.
            let kept: Vec<&str> = pr.interviews.iter().map(|i| i.merge_id.as_str()).collect();
            let stored: Vec<String> = sqlx::query_scalar(
                "SELECT merge_id FROM interviews WHERE tenant_id = $1 AND request_id = $2",
            )
            .bind(tenant_id)
            .bind(request_id)
            .fetch_all(&mut *tx)
            .await?;
            for gone in stored.iter().filter(|m| !kept.contains(&m.as_str())) {
                sqlx::query("DELETE FROM interviews WHERE tenant_id = $1 AND merge_id = $2")
                    .bind(tenant_id)
                    .bind(gone)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// The stages a request's application went through, oldest first: (name, when).
    pub async fn stage_history(
        &self,
        tenant_id: i64,
        request_id: i64,
    ) -> sqlx::Result<Vec<(Option<String>, DateTime<Utc>)>> {
        on_db!(self, |p| {
            sqlx::query_as(
            "SELECT stage_name, seen_at FROM stage_history WHERE tenant_id = $1 AND request_id = $2 ORDER BY id LIMIT 200"
        )
        .bind(tenant_id)
        .bind(request_id)
        .fetch_all(p)
        .await
        })
    }

    /// A request's interviews, soonest first (cancelled ones flagged).
    pub async fn interviews(
        &self,
        tenant_id: i64,
        request_id: i64,
    ) -> sqlx::Result<Vec<InterviewRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, InterviewRow>(
            "SELECT merge_id, start_at, end_at, location, status, organizer, interviewers, remote_was_deleted \
             FROM interviews WHERE tenant_id = $1 AND request_id = $2 ORDER BY start_at, id LIMIT 200"
        )
        .bind(tenant_id)
        .bind(request_id)
        .fetch_all(p)
        .await
        })
    }
}
