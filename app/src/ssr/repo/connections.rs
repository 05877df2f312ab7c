//! A tenant's ATS connection (one Merge linked account per tenant) and its sync runs.

use chrono::{DateTime, Utc};

use super::now;
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// The stored connection. `account_token_enc` is AES-GCM ciphertext; decrypt only to call Merge.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConnectionRow {
    pub tenant_id: i64,
    pub linked_account_id: String,
    pub account_token_enc: String,
    pub integration_name: String,
    pub integration_slug: String,
    pub status: String,
    pub requires_remote_user_id: bool,
    pub verification_admin_id: Option<String>,
    /// Why the ATS refused the chosen verification admin (cleared when another is chosen).
    pub admin_problem: Option<String>,
    pub linked_at: DateTime<Utc>,
}

/// What a successful Link exchange gives us.
pub struct NewConnection<'a> {
    pub linked_account_id: &'a str,
    pub account_token_enc: &'a str,
    pub integration_name: &'a str,
    pub integration_slug: &'a str,
    pub status: &'a str,
    pub requires_remote_user_id: bool,
}

/// One sync run, for progress and history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SyncRunRow {
    pub id: i64,
    pub state: String,
    pub pages: i64,
    pub users: i64,
    pub jobs: i64,
    pub stages: i64,
    pub applications: i64,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Counters a running sync reports as it goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncProgress {
    pub pages: i64,
    pub users: i64,
    pub jobs: i64,
    pub stages: i64,
    pub applications: i64,
}

const CONNECTION_COLUMNS: &str =
    "tenant_id, linked_account_id, account_token_enc, integration_name, \
     integration_slug, status, requires_remote_user_id, verification_admin_id, admin_problem, linked_at";

impl Db {
    /// The tenant's connection, if any.
    pub async fn connection(&self, tenant_id: i64) -> sqlx::Result<Option<ConnectionRow>> {
        let sql = format!("SELECT {CONNECTION_COLUMNS} FROM connections WHERE tenant_id = $1");
        on_db!(self, |p| sqlx::query_as::<_, ConnectionRow>(&sql)
            .bind(tenant_id)
            .fetch_optional(p)
            .await)
    }

    /// Stores the connection after Link. Relinking the same linked account keeps the chosen
    /// verification admin; linking a different account resets it.
    pub async fn save_connection(&self, tenant_id: i64, c: &NewConnection<'_>) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO connections (tenant_id, linked_account_id, account_token_enc, integration_name, \
               integration_slug, status, requires_remote_user_id, verification_admin_id, linked_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $8, $8) \
             ON CONFLICT (tenant_id) DO UPDATE SET \
               verification_admin_id = CASE WHEN connections.linked_account_id = excluded.linked_account_id \
                 THEN connections.verification_admin_id ELSE NULL END, \
               admin_problem = CASE WHEN connections.linked_account_id = excluded.linked_account_id \
                 THEN connections.admin_problem ELSE NULL END, \
               linked_account_id = excluded.linked_account_id, account_token_enc = excluded.account_token_enc, \
               integration_name = excluded.integration_name, integration_slug = excluded.integration_slug, \
               status = excluded.status, requires_remote_user_id = excluded.requires_remote_user_id, \
               linked_at = excluded.linked_at, updated_at = excluded.updated_at"
        )
        .bind(tenant_id)
        .bind(c.linked_account_id)
        .bind(c.account_token_enc)
        .bind(c.integration_name)
        .bind(c.integration_slug)
        .bind(c.status)
        .bind(c.requires_remote_user_id)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records the verification admin (a Merge RemoteUser id already checked to be the tenant's).
    pub async fn set_verification_admin(&self, tenant_id: i64, user_id: &str) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
            "UPDATE connections SET verification_admin_id = $2, admin_problem = NULL, updated_at = $3 \
             WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .bind(user_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Updates Merge's linked-account status.
    pub async fn set_connection_status(&self, tenant_id: i64, status: &str) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "UPDATE connections SET status = $2, updated_at = $3 WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .bind(status)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes the tenant's connection after Merge deleted the linked account, in one
    /// transaction: the (encrypted) account token, the sync schedule and history, the synced users, jobs
    /// and stages; queued and waiting pushes are cancelled with `reason`; positions are
    /// unlinked. Requests and what synced back about them stay. Returns the pushes cancelled.
    pub async fn disconnect(&self, tenant_id: i64, reason: &str) -> sqlx::Result<u64> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            for table in [
                "connections",
                "sync_jobs",
                "sync_watermarks",
                "sync_runs",
                "ats_users",
                "ats_jobs",
                "ats_stages",
            ] {
                sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1"))
                    .bind(tenant_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let cancelled = sqlx::query(
                "UPDATE push_jobs SET state = 'cancelled', last_error = $2, error_status = NULL, \
                   error_problem = NULL, lease_until = NULL, updated_at = $3 \
                 WHERE tenant_id = $1 AND state IN ('queued', 'waiting')",
            )
            .bind(tenant_id)
            .bind(reason)
            .bind(t)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE positions SET ats_job_merge_id = NULL, updated_at = $2 WHERE tenant_id = $1",
            )
            .bind(tenant_id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(cancelled)
        })
    }

    /// Records that the ATS refused the chosen verification admin (`problem` says how).
    pub async fn flag_admin_problem(&self, tenant_id: i64, problem: &str) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "UPDATE connections SET admin_problem = $2, updated_at = $3 WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .bind(problem)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Flips the connection to `RELINK_NEEDED`; true only for the call that changed it, so the
    /// flip (and whatever announces it) happens once however many writes notice.
    pub async fn flag_relink_needed(&self, tenant_id: i64) -> sqlx::Result<bool> {
        let changed = on_db!(self, |p| sqlx::query(
            "UPDATE connections SET status = 'RELINK_NEEDED', updated_at = $2 \
             WHERE tenant_id = $1 AND status <> 'RELINK_NEEDED'"
        )
        .bind(tenant_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(changed > 0)
    }

    /// Every tenant with a connection (for the periodic sync).
    pub async fn connected_tenants(&self) -> sqlx::Result<Vec<i64>> {
        on_db!(self, |p| sqlx::query_scalar(
            "SELECT tenant_id FROM connections ORDER BY tenant_id LIMIT 100000"
        )
        .fetch_all(p)
        .await)
    }

    /// Opens a sync run unless one is already running for the tenant; returns its id.
    pub async fn start_sync_run(&self, tenant_id: i64) -> sqlx::Result<Option<i64>> {
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let running: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sync_runs WHERE tenant_id = $1 AND state = 'running'",
            )
            .bind(tenant_id)
            .fetch_one(&mut *tx)
            .await?;
            if running > 0 {
                return Ok(None);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sync_runs (public_id, tenant_id, state, pages, users, jobs, stages, applications, started_at) \
                 VALUES ($1, $2, 'running', 0, 0, 0, 0, 0, $3) RETURNING id",
            )
            .bind(&pid)
            .bind(tenant_id)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Stores a running sync's counters.
    pub async fn sync_progress(&self, run_id: i64, pr: SyncProgress) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
            "UPDATE sync_runs SET pages = $2, users = $3, jobs = $4, stages = $5, applications = $6 WHERE id = $1"
        )
        .bind(run_id)
        .bind(pr.pages)
        .bind(pr.users)
        .bind(pr.jobs)
        .bind(pr.stages)
        .bind(pr.applications)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Closes a sync run as succeeded (`error` None) or failed.
    pub async fn finish_sync_run(&self, run_id: i64, error: Option<&str>) -> sqlx::Result<()> {
        let state = if error.is_some() {
            "failed"
        } else {
            "succeeded"
        };
        on_db!(self, |p| {
            sqlx::query(
            // Only a running run: one marked interrupted by a worker that took over stays so.
            "UPDATE sync_runs SET state = $2, error = $3, finished_at = $4 WHERE id = $1 AND state = 'running'"
        )
        .bind(run_id)
        .bind(state)
        .bind(error)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks the tenant's runs left `running` as failed with `why`. Called by the worker that
    /// just leased the tenant's sync: nobody else can be running it, so such a run was
    /// abandoned by a process that stopped.
    pub async fn fail_running_sync_runs(&self, tenant_id: i64, why: &str) -> sqlx::Result<u64> {
        on_db!(self, |p| {
            sqlx::query(
                "UPDATE sync_runs SET state = 'failed', error = $2, finished_at = $3 \
             WHERE tenant_id = $1 AND state = 'running'",
            )
            .bind(tenant_id)
            .bind(why)
            .bind(now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })
    }

    /// Every tenant's sealed account token (for key rotation).
    pub async fn sealed_account_tokens(&self) -> sqlx::Result<Vec<(i64, String)>> {
        on_db!(self, |p| sqlx::query_as(
            "SELECT tenant_id, account_token_enc FROM connections ORDER BY tenant_id"
        )
        .fetch_all(p)
        .await)
    }

    /// Replaces a sealed token if it is still `old` (a relink in between wins).
    pub async fn replace_sealed_account_token(
        &self,
        tenant_id: i64,
        old: &str,
        new: &str,
    ) -> sqlx::Result<bool> {
        on_db!(self, |p| {
            sqlx::query(
            "UPDATE connections SET account_token_enc = $3 WHERE tenant_id = $1 AND account_token_enc = $2"
        )
        .bind(tenant_id)
        .bind(old)
        .bind(new)
        .execute(p)
        .await
        .map(|r| r.rows_affected() == 1)
        })
    }

    /// The newest sync run and the newest successful one.
    pub async fn sync_runs(
        &self,
        tenant_id: i64,
    ) -> sqlx::Result<(Option<SyncRunRow>, Option<SyncRunRow>)> {
        const COLS: &str =
            "id, state, pages, users, jobs, stages, applications, error, started_at, finished_at";
        let latest =
            format!("SELECT {COLS} FROM sync_runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1");
        let ok = format!(
            "SELECT {COLS} FROM sync_runs WHERE tenant_id = $1 AND state = 'succeeded' ORDER BY id DESC LIMIT 1"
        );
        on_db!(self, |p| {
            let a = sqlx::query_as::<_, SyncRunRow>(&latest)
                .bind(tenant_id)
                .fetch_optional(p)
                .await?;
            let b = sqlx::query_as::<_, SyncRunRow>(&ok)
                .bind(tenant_id)
                .fetch_optional(p)
                .await?;
            Ok((a, b))
        })
    }
}
