//! Marketplace records: candidates (with their profiles), a tenant's positions, and the demo
//! mailbox that stands in for the marketplace's mailer in the embedded sandbox.

use chrono::{DateTime, Utc};

use super::now;
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// A marketplace candidate; `profile_json` holds a `profile_pdf::Profile`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CandidateRow {
    pub id: i64,
    pub public_id: String,
    pub full_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub headline: String,
    pub location: Option<String>,
    pub profile_json: String,
}

/// A position with the ATS job it is linked to (if any).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PositionRow {
    pub id: i64,
    pub public_id: String,
    pub title: String,
    pub ats_job_merge_id: Option<String>,
    pub job_name: Option<String>,
    pub job_code: Option<String>,
    pub job_status: Option<String>,
    pub job_deleted: Option<bool>,
}

/// A message in the local demo mailbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailRow {
    pub public_id: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
}

const CANDIDATE_COLUMNS: &str =
    "id, public_id, full_name, email, phone, headline, location, profile_json";

const POSITION_SELECT: &str =
    "SELECT p.id, p.public_id, p.title, p.ats_job_merge_id, j.name AS job_name, j.code AS job_code, \
     j.status AS job_status, j.remote_was_deleted AS job_deleted FROM positions p \
     LEFT JOIN ats_jobs j ON j.tenant_id = p.tenant_id AND j.merge_id = p.ats_job_merge_id";

impl Db {
    /// Adds a marketplace candidate; returns its public id.
    pub async fn insert_candidate(&self, profile: &profile_pdf::Profile) -> anyhow::Result<String> {
        let pid = crate::ssr::crypto::public_id();
        let json = serde_json::to_string(profile)?;
        let t = now();
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO candidates (public_id, full_name, email, phone, headline, location, profile_json, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
        )
        .bind(&pid)
        .bind(&profile.full_name)
        .bind(&profile.email)
        .bind(&profile.phone)
        .bind(&profile.headline)
        .bind(&profile.location)
        .bind(&json)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(pid)
    }

    /// Marketplace candidates, by name.
    pub async fn candidates(&self) -> sqlx::Result<Vec<CandidateRow>> {
        let sql =
            format!("SELECT {CANDIDATE_COLUMNS} FROM candidates ORDER BY full_name, id LIMIT 500");
        on_db!(self, |p| sqlx::query_as::<_, CandidateRow>(&sql)
            .fetch_all(p)
            .await)
    }

    /// One marketplace candidate by internal id.
    pub async fn candidate(&self, id: i64) -> sqlx::Result<CandidateRow> {
        let sql = format!("SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE id = $1");
        on_db!(self, |p| sqlx::query_as::<_, CandidateRow>(&sql)
            .bind(id)
            .fetch_one(p)
            .await)
    }

    /// One marketplace candidate by public id.
    pub async fn candidate_by_public_id(
        &self,
        public_id: &str,
    ) -> sqlx::Result<Option<CandidateRow>> {
        let sql = format!("SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE public_id = $1");
        on_db!(self, |p| sqlx::query_as::<_, CandidateRow>(&sql)
            .bind(public_id)
            .fetch_optional(p)
            .await)
    }

    /// The tenant's positions, newest first.
    pub async fn positions(&self, tenant_id: i64) -> sqlx::Result<Vec<PositionRow>> {
        let sql = format!("{POSITION_SELECT} WHERE p.tenant_id = $1 ORDER BY p.id DESC LIMIT 500");
        on_db!(self, |p| sqlx::query_as::<_, PositionRow>(&sql)
            .bind(tenant_id)
            .fetch_all(p)
            .await)
    }

    /// One of the tenant's positions by public id.
    pub async fn position(
        &self,
        tenant_id: i64,
        public_id: &str,
    ) -> sqlx::Result<Option<PositionRow>> {
        let sql = format!("{POSITION_SELECT} WHERE p.tenant_id = $1 AND p.public_id = $2");
        on_db!(self, |p| sqlx::query_as::<_, PositionRow>(&sql)
            .bind(tenant_id)
            .bind(public_id)
            .fetch_optional(p)
            .await)
    }

    /// Creates a position, optionally linked to an ATS job; returns its public id.
    pub async fn create_position(
        &self,
        tenant_id: i64,
        title: &str,
        job_merge_id: Option<&str>,
    ) -> sqlx::Result<String> {
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO positions (public_id, tenant_id, title, ats_job_merge_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)"
        )
        .bind(&pid)
        .bind(tenant_id)
        .bind(title)
        .bind(job_merge_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(pid)
    }

    /// Links (Some) or unlinks (None) one of the tenant's positions; false if not found.
    pub async fn set_position_job(
        &self,
        tenant_id: i64,
        public_id: &str,
        job_merge_id: Option<&str>,
    ) -> sqlx::Result<bool> {
        let done = on_db!(self, |p| {
            sqlx::query(
            "UPDATE positions SET ats_job_merge_id = $3, updated_at = $4 WHERE tenant_id = $1 AND public_id = $2"
        )
        .bind(tenant_id)
        .bind(public_id)
        .bind(job_merge_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Puts a message in the demo mailbox.
    pub async fn insert_mail(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        link: &str,
    ) -> sqlx::Result<()> {
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO mailbox (public_id, to_email, subject, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(&pid)
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(link)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The demo mailbox, newest first.
    pub async fn mailbox(&self) -> sqlx::Result<Vec<MailRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, MailRow>(
            "SELECT public_id, to_email, subject, body, link, created_at FROM mailbox ORDER BY id DESC LIMIT 200"
        )
        .fetch_all(p)
        .await
        })
    }

    /// Erases a marketplace candidate (by public id or e-mail address): their profile, their
    /// interview requests with what synced back, their queued pushes and their demo mail, in
    /// one transaction, leaving a record of the erasure without personal data. None when no
    /// such candidate exists.
    pub async fn erase_candidate(&self, id_or_email: &str) -> sqlx::Result<Option<Erasure>> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let found: Option<(i64, String, String)> = sqlx::query_as(
                "SELECT id, public_id, email FROM candidates WHERE public_id = $1 OR LOWER(email) = LOWER($1)",
            )
            .bind(id_or_email.trim())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((cid, public_id, email)) = found else {
                return Ok(None);
            };
            let requests = "SELECT id FROM interview_requests WHERE candidate_id = $1";
            let pushes_cancelled: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM push_jobs WHERE state <> 'done' AND request_id IN ({requests})"
            ))
            .bind(cid)
            .fetch_one(&mut *tx)
            .await?;
            for table in ["interviews", "stage_history", "push_jobs"] {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE request_id IN ({requests})"
                ))
                .bind(cid)
                .execute(&mut *tx)
                .await?;
            }
            let requests_removed =
                sqlx::query("DELETE FROM interview_requests WHERE candidate_id = $1")
                    .bind(cid)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected() as i64;
            sqlx::query("DELETE FROM mailbox WHERE LOWER(to_email) = LOWER($1)")
                .bind(&email)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM candidates WHERE id = $1")
                .bind(cid)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO erasures (candidate_public_id, requests_removed, pushes_cancelled, erased_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&public_id)
            .bind(requests_removed)
            .bind(pushes_cancelled)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(Erasure {
                candidate_id: public_id,
                requests_removed,
                pushes_cancelled,
            }))
        })
    }
}

/// What erasing a candidate removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub candidate_id: String,
    pub requests_removed: i64,
    pub pushes_cancelled: i64,
}
