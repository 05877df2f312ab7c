//! The sync schedule: one row per connected tenant, leased by one worker at a time.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::now;
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

const CLAIM_SQLITE: &str =
    "UPDATE sync_jobs SET lease_until = $2, lease_owner = $3, started_at = $1, updated_at = $1 \
     WHERE tenant_id = (SELECT tenant_id FROM sync_jobs WHERE next_run_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_run_at, tenant_id LIMIT 1) \
     RETURNING tenant_id";

const CLAIM_POSTGRES: &str =
    "UPDATE sync_jobs SET lease_until = $2, lease_owner = $3, started_at = $1, updated_at = $1 \
     WHERE tenant_id = (SELECT tenant_id FROM sync_jobs WHERE next_run_at <= $1 \
       AND (lease_until IS NULL OR lease_until < $1) ORDER BY next_run_at, tenant_id LIMIT 1 \
       FOR UPDATE SKIP LOCKED) \
     RETURNING tenant_id";

impl Db {
    /// Asks for a sync of the tenant as soon as a worker is free (creating its schedule on the
    /// first call). A sync running now is followed by another.
    pub async fn request_sync(&self, tenant_id: i64) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO sync_jobs (tenant_id, next_run_at, requested_at, updated_at) VALUES ($1, $2, $2, $2) \
             ON CONFLICT (tenant_id) DO UPDATE SET next_run_at = excluded.next_run_at, \
               requested_at = excluded.requested_at, updated_at = excluded.updated_at"
        )
        .bind(tenant_id)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Leases the next due sync for `owner`; returns its tenant.
    pub async fn claim_sync(&self, owner: &str, lease: Duration) -> sqlx::Result<Option<i64>> {
        let t = now();
        let sql = match self {
            Db::Sqlite(_) => CLAIM_SQLITE,
            Db::Postgres(_) => CLAIM_POSTGRES,
        };
        on_db!(self, |p| sqlx::query_scalar(sql)
            .bind(t)
            .bind(t + lease)
            .bind(owner)
            .fetch_optional(p)
            .await)
    }

    /// Extends `owner`'s lease on the tenant's sync; false when another worker holds it now
    /// (this one's lapsed and was taken over), and the caller must stop.
    pub async fn renew_sync_lease(
        &self,
        tenant_id: i64,
        owner: &str,
        lease: Duration,
    ) -> sqlx::Result<bool> {
        on_db!(self, |p| sqlx::query(
            "UPDATE sync_jobs SET lease_until = $3 WHERE tenant_id = $1 AND lease_owner = $2"
        )
        .bind(tenant_id)
        .bind(owner)
        .bind(now() + lease)
        .execute(p)
        .await
        .map(|r| r.rows_affected() == 1))
    }

    /// Ends `owner`'s sync of the tenant: the next is due after `every`, or now if someone asked
    /// for one while it ran.
    pub async fn finish_sync(
        &self,
        tenant_id: i64,
        owner: &str,
        every: Duration,
    ) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| sqlx::query(
            "UPDATE sync_jobs SET lease_until = NULL, lease_owner = NULL, updated_at = $3, \
               next_run_at = CASE WHEN requested_at > started_at THEN $3 ELSE $4 END \
             WHERE tenant_id = $1 AND lease_owner = $2"
        )
        .bind(tenant_id)
        .bind(owner)
        .bind(t)
        .bind(t + every)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Gives back every sync lease `owner` holds (a clean shutdown), so another process can run
    /// them at once.
    pub async fn release_sync_leases(&self, owner: &str) -> sqlx::Result<u64> {
        let t = now();
        on_db!(self, |p| {
            sqlx::query(
            "UPDATE sync_jobs SET lease_until = NULL, lease_owner = NULL, next_run_at = $2, updated_at = $2 \
             WHERE lease_owner = $1"
        )
        .bind(owner)
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })
    }

    /// Who holds the tenant's sync lease right now, if anyone.
    pub async fn sync_lease_owner(&self, tenant_id: i64) -> sqlx::Result<Option<String>> {
        let owner: Option<Option<String>> = on_db!(self, |p| sqlx::query_scalar(
            "SELECT lease_owner FROM sync_jobs WHERE tenant_id = $1 AND lease_until > $2"
        )
        .bind(tenant_id)
        .bind(now())
        .fetch_optional(p)
        .await)?;
        Ok(owner.flatten())
    }
}

/// Where the next sync of a tenant starts from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watermarks {
    /// When the last full pass completed (None: never, or a full pass was asked for).
    pub last_full_at: Option<DateTime<Utc>>,
    /// Per model, when its last completed pull started.
    pub pulled_from: HashMap<String, DateTime<Utc>>,
}

impl Db {
    /// The tenant's watermarks.
    pub async fn watermarks(&self, tenant_id: i64) -> sqlx::Result<Watermarks> {
        let last_full_at: Option<Option<DateTime<Utc>>> = on_db!(self, |p| sqlx::query_scalar(
            "SELECT last_full_at FROM sync_jobs WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .fetch_optional(p)
        .await)?;
        let rows: Vec<(String, DateTime<Utc>)> = on_db!(self, |p| sqlx::query_as(
            "SELECT model, pulled_from FROM sync_watermarks WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .fetch_all(p)
        .await)?;
        Ok(Watermarks {
            last_full_at: last_full_at.flatten(),
            pulled_from: rows.into_iter().collect(),
        })
    }

    /// Records completed pulls: each model's start time, and the pass's end if it was full.
    pub async fn save_watermarks(
        &self,
        tenant_id: i64,
        pulled_from: &[(&str, DateTime<Utc>)],
        full: bool,
    ) -> sqlx::Result<()> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            for (model, from) in pulled_from {
                sqlx::query(
                    "INSERT INTO sync_watermarks (tenant_id, model, pulled_from) VALUES ($1, $2, $3) \
                     ON CONFLICT (tenant_id, model) DO UPDATE SET pulled_from = excluded.pulled_from",
                )
                .bind(tenant_id)
                .bind(*model)
                .bind(*from)
                .execute(&mut *tx)
                .await?;
            }
            if full {
                sqlx::query("UPDATE sync_jobs SET last_full_at = $2 WHERE tenant_id = $1")
                    .bind(tenant_id)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// When the tenant's next sync is due.
    pub async fn next_sync_at(&self, tenant_id: i64) -> sqlx::Result<Option<DateTime<Utc>>> {
        on_db!(self, |p| sqlx::query_scalar(
            "SELECT next_run_at FROM sync_jobs WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .fetch_optional(p)
        .await)
    }

    /// Makes the tenant's next sync a full pass (Sync now, after a relink).
    pub async fn want_full_sync(&self, tenant_id: i64) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "UPDATE sync_jobs SET last_full_at = NULL WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .execute(p)
        .await
        .map(|_| ()))
    }
}
