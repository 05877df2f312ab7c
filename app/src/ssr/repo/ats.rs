//! The tenant's copy of its ATS users, jobs and job interview stages (read from Merge).

use super::now;
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// An ATS user as stored (Merge RemoteUser).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AtsUserRow {
    pub merge_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub access_role: Option<String>,
    pub disabled: bool,
    pub remote_was_deleted: bool,
}

/// An ATS job as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AtsJobRow {
    pub merge_id: String,
    pub name: String,
    pub code: Option<String>,
    pub status: Option<String>,
    pub remote_was_deleted: bool,
}

/// A job interview stage as stored; `job_merge_id` None means shared by all jobs.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AtsStageRow {
    pub merge_id: String,
    pub job_merge_id: Option<String>,
    pub name: String,
    pub stage_order: Option<i64>,
    pub remote_was_deleted: bool,
}

/// A complete read of the three models, written in one transaction.
#[derive(Debug, Default)]
pub struct AtsSnapshot {
    pub users: Vec<AtsUserRow>,
    pub jobs: Vec<AtsJobRow>,
    pub stages: Vec<AtsStageRow>,
}

/// Rows counted per model.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AtsCounts {
    pub users: i64,
    pub jobs: i64,
    pub stages: i64,
}

impl Db {
    /// Writes what a sync read, in one transaction: upserts every record by Merge id. With
    /// `complete` (a full pass whose every page was read) records it no longer contains are
    /// marked deleted; an incremental read never marks anything deleted.
    pub async fn store_ats_snapshot(
        &self,
        tenant_id: i64,
        s: &AtsSnapshot,
        complete: bool,
    ) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            // A sync that finishes after a disconnect stores nothing.
            let connected: Option<i64> =
                sqlx::query_scalar("SELECT tenant_id FROM connections WHERE tenant_id = $1")
                    .bind(tenant_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if connected.is_none() {
                return tx.commit().await;
            }
            for table in ["ats_users", "ats_jobs", "ats_stages"]
                .iter()
                .filter(|_| complete)
            {
                sqlx::query(&format!("UPDATE {table} SET remote_was_deleted = TRUE, updated_at = $2 WHERE tenant_id = $1"))
                    .bind(tenant_id)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
            }
            for u in &s.users {
                sqlx::query(
                    "INSERT INTO ats_users (tenant_id, merge_id, first_name, last_name, email, access_role, disabled, \
                       remote_was_deleted, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                     ON CONFLICT (tenant_id, merge_id) DO UPDATE SET first_name = excluded.first_name, \
                       last_name = excluded.last_name, email = excluded.email, access_role = excluded.access_role, \
                       disabled = excluded.disabled, remote_was_deleted = excluded.remote_was_deleted, \
                       updated_at = excluded.updated_at",
                )
                .bind(tenant_id)
                .bind(&u.merge_id)
                .bind(&u.first_name)
                .bind(&u.last_name)
                .bind(&u.email)
                .bind(&u.access_role)
                .bind(u.disabled)
                .bind(u.remote_was_deleted)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            for j in &s.jobs {
                sqlx::query(
                    "INSERT INTO ats_jobs (tenant_id, merge_id, name, code, status, remote_was_deleted, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                     ON CONFLICT (tenant_id, merge_id) DO UPDATE SET name = excluded.name, code = excluded.code, \
                       status = excluded.status, remote_was_deleted = excluded.remote_was_deleted, updated_at = excluded.updated_at",
                )
                .bind(tenant_id)
                .bind(&j.merge_id)
                .bind(&j.name)
                .bind(&j.code)
                .bind(&j.status)
                .bind(j.remote_was_deleted)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            for st in &s.stages {
                sqlx::query(
                    "INSERT INTO ats_stages (tenant_id, merge_id, job_merge_id, name, stage_order, remote_was_deleted, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                     ON CONFLICT (tenant_id, merge_id) DO UPDATE SET job_merge_id = excluded.job_merge_id, \
                       name = excluded.name, stage_order = excluded.stage_order, \
                       remote_was_deleted = excluded.remote_was_deleted, updated_at = excluded.updated_at",
                )
                .bind(tenant_id)
                .bind(&st.merge_id)
                .bind(&st.job_merge_id)
                .bind(&st.name)
                .bind(st.stage_order)
                .bind(st.remote_was_deleted)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })
    }

    /// The tenant's ATS users: active admins first, then by name.
    pub async fn ats_users(&self, tenant_id: i64) -> sqlx::Result<Vec<AtsUserRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, AtsUserRow>(
            "SELECT merge_id, first_name, last_name, email, access_role, disabled, remote_was_deleted FROM ats_users \
             WHERE tenant_id = $1 AND remote_was_deleted = FALSE \
             ORDER BY disabled, CASE access_role WHEN 'SUPER_ADMIN' THEN 0 WHEN 'ADMIN' THEN 1 ELSE 2 END, \
               first_name, last_name, merge_id LIMIT 5000"
        )
        .bind(tenant_id)
        .fetch_all(p)
        .await
        })
    }

    /// One ATS user of the tenant.
    pub async fn ats_user(
        &self,
        tenant_id: i64,
        merge_id: &str,
    ) -> sqlx::Result<Option<AtsUserRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, AtsUserRow>(
            "SELECT merge_id, first_name, last_name, email, access_role, disabled, remote_was_deleted FROM ats_users \
             WHERE tenant_id = $1 AND merge_id = $2"
        )
        .bind(tenant_id)
        .bind(merge_id)
        .fetch_optional(p)
        .await
        })
    }

    /// Up to `limit` of the tenant's ATS jobs whose name or code contains `search` (any case),
    /// live ones first, then by name; deleted ones are included and flagged.
    pub async fn ats_jobs(
        &self,
        tenant_id: i64,
        search: &str,
        limit: i64,
    ) -> sqlx::Result<Vec<AtsJobRow>> {
        let pattern = format!("%{}%", like_escape(&search.trim().to_lowercase()));
        on_db!(self, |p| {
            sqlx::query_as::<_, AtsJobRow>(
            "SELECT merge_id, name, code, status, remote_was_deleted FROM ats_jobs \
             WHERE tenant_id = $1 AND ($2 = '%%' OR LOWER(name) LIKE $2 ESCAPE '\\' OR LOWER(code) LIKE $2 ESCAPE '\\') \
             ORDER BY remote_was_deleted, name, merge_id LIMIT $3"
        )
        .bind(tenant_id)
        .bind(pattern)
        .bind(limit)
        .fetch_all(p)
        .await
        })
    }

    /// One ATS job of the tenant.
    pub async fn ats_job(&self, tenant_id: i64, merge_id: &str) -> sqlx::Result<Option<AtsJobRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, AtsJobRow>(
            "SELECT merge_id, name, code, status, remote_was_deleted FROM ats_jobs WHERE tenant_id = $1 AND merge_id = $2"
        )
        .bind(tenant_id)
        .bind(merge_id)
        .fetch_optional(p)
        .await
        })
    }

    /// The name of a stage, by Merge id.
    pub async fn ats_stage_name(
        &self,
        tenant_id: i64,
        merge_id: &str,
    ) -> sqlx::Result<Option<String>> {
        on_db!(self, |p| sqlx::query_scalar(
            "SELECT name FROM ats_stages WHERE tenant_id = $1 AND merge_id = $2"
        )
        .bind(tenant_id)
        .bind(merge_id)
        .fetch_optional(p)
        .await)
    }

    /// How many live users, jobs and stages the tenant has.
    pub async fn ats_counts(&self, tenant_id: i64) -> sqlx::Result<AtsCounts> {
        on_db!(self, |p| {
            let mut c = AtsCounts::default();
            for (table, slot) in [
                ("ats_users", &mut c.users),
                ("ats_jobs", &mut c.jobs),
                ("ats_stages", &mut c.stages),
            ] {
                *slot = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {table} WHERE tenant_id = $1 AND remote_was_deleted = FALSE"
                ))
                .bind(tenant_id)
                .fetch_one(p)
                .await?;
            }
            Ok(c)
        })
    }
}

/// `s` with LIKE's wildcards (`%`, `_`) and the escape character (`\`) taken literally.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
