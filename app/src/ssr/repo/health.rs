//! Tenant health rows: the facts each evaluation reads for every tenant at once, the stored
//! word with its hysteresis state, and the support console's filtered, paged tenant list.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::{
    health::Health,
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// What one evaluation knows about a tenant.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Facts {
    pub tenant_id: i64,
    /// Merge's status of the linked account; None without a connection.
    pub connection_status: Option<String>,
    pub integration: Option<String>,
    pub admin_problem: Option<String>,
    pub requires_admin: bool,
    pub admin_chosen: bool,
    pub linked_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_run_state: Option<String>,
    pub last_run_error: Option<String>,
    pub pending_pushes: i64,
    pub failed_pushes: i64,
    pub stuck_pushes: i64,
}

/// The shown word and the hysteresis state behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHealth {
    pub health: Health,
    pub reason: String,
    pub since: DateTime<Utc>,
    pub observed: Health,
    pub observed_since: DateTime<Utc>,
}

/// A tenant's stored health row.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthRecord {
    pub shown: StoredHealth,
    pub integration: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub pending_pushes: i64,
    pub failed_pushes: i64,
    pub problems: i64,
}

#[derive(sqlx::FromRow)]
struct HealthRow {
    tenant_id: i64,
    health: String,
    reason: String,
    since: DateTime<Utc>,
    observed: String,
    observed_since: DateTime<Utc>,
    integration: Option<String>,
    last_success_at: Option<DateTime<Utc>>,
    pending_pushes: i64,
    failed_pushes: i64,
    problems: i64,
}

impl HealthRow {
    fn record(self) -> (i64, HealthRecord) {
        let parse = |s: &str| Health::parse(s).unwrap_or(Health::NeedsAttention);
        (
            self.tenant_id,
            HealthRecord {
                shown: StoredHealth {
                    health: parse(&self.health),
                    reason: self.reason,
                    since: self.since,
                    observed: parse(&self.observed),
                    observed_since: self.observed_since,
                },
                integration: self.integration,
                last_success_at: self.last_success_at,
                pending_pushes: self.pending_pushes,
                failed_pushes: self.failed_pushes,
                problems: self.problems,
            },
        )
    }
}

const HEALTH_COLS: &str =
    "tenant_id, health, reason, since, observed, observed_since, integration, \
     last_success_at, pending_pushes, failed_pushes, problems";

const FACTS: &str = "SELECT t.id AS tenant_id, c.status AS connection_status, \
       c.integration_name AS integration, c.admin_problem, \
       COALESCE(c.requires_remote_user_id, FALSE) AS requires_admin, \
       (c.verification_admin_id IS NOT NULL) AS admin_chosen, c.linked_at, \
       (SELECT r.finished_at FROM sync_runs r WHERE r.tenant_id = t.id AND r.state = 'succeeded' \
          ORDER BY r.id DESC LIMIT 1) AS last_success_at, \
       (SELECT r.state FROM sync_runs r WHERE r.tenant_id = t.id ORDER BY r.id DESC LIMIT 1) AS last_run_state, \
       (SELECT r.error FROM sync_runs r WHERE r.tenant_id = t.id ORDER BY r.id DESC LIMIT 1) AS last_run_error, \
       (SELECT COUNT(*) FROM push_jobs p WHERE p.tenant_id = t.id AND p.state IN ('queued', 'waiting')) AS pending_pushes, \
       (SELECT COUNT(*) FROM push_jobs p WHERE p.tenant_id = t.id AND p.state = 'failed') AS failed_pushes, \
       (SELECT COUNT(*) FROM push_jobs p WHERE p.tenant_id = t.id AND p.state IN ('queued', 'waiting') \
          AND p.created_at < $1) AS stuck_pushes \
     FROM tenants t LEFT JOIN connections c ON c.tenant_id = t.id";

/// The support console's filters (all optional) and page.
#[derive(Debug, Clone, Default)]
pub struct TenantFilter {
    /// Part of the company's name, any case.
    pub search: Option<String>,
    pub health: Option<Health>,
    /// The ATS's name as Merge gives it (e.g. Greenhouse).
    pub integration: Option<String>,
    /// Connected, without a successful sync since this time.
    pub no_success_since: Option<DateTime<Utc>>,
    /// With failed pushes.
    pub writes_failing: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One row of the support console's tenant table.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantListRow {
    pub public_id: String,
    pub name: String,
    pub health: Option<String>,
    pub integration: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub pending_pushes: Option<i64>,
    pub failed_pushes: Option<i64>,
    pub problems: Option<i64>,
}

/// Adds the filter's conditions to a query that joins `tenants t` and `tenant_health h`.
fn push_filter<'a, DB: sqlx::Database>(qb: &mut sqlx::QueryBuilder<'a, DB>, f: &'a TenantFilter)
where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" WHERE 1 = 1");
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = s
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        qb.push(" AND LOWER(t.name) LIKE ")
            .push_bind(format!("%{escaped}%"))
            .push(" ESCAPE '\\'");
    }
    if let Some(h) = f.health {
        qb.push(" AND COALESCE(h.health, 'disconnected') = ")
            .push_bind(h.as_str());
    }
    if let Some(i) = &f.integration {
        qb.push(" AND h.integration = ").push_bind(i.as_str());
    }
    if let Some(cut) = f.no_success_since {
        qb.push(
            " AND h.integration IS NOT NULL AND (h.last_success_at IS NULL OR h.last_success_at < ",
        )
        .push_bind(cut)
        .push(")");
    }
    if f.writes_failing {
        qb.push(" AND h.failed_pushes > 0");
    }
}

impl Db {
    /// Every tenant's facts; pushes created before `stuck_before` and still pending are stuck.
    pub async fn health_facts(&self, stuck_before: DateTime<Utc>) -> sqlx::Result<Vec<Facts>> {
        on_db!(self, |p| sqlx::query_as::<_, Facts>(FACTS)
            .bind(stuck_before)
            .fetch_all(p)
            .await)
    }

    /// Every stored health row, by tenant.
    pub async fn stored_health(&self) -> sqlx::Result<HashMap<i64, HealthRecord>> {
        let sql = format!("SELECT {HEALTH_COLS} FROM tenant_health");
        let rows = on_db!(self, |p| sqlx::query_as::<_, HealthRow>(&sql)
            .fetch_all(p)
            .await)?;
        Ok(rows.into_iter().map(HealthRow::record).collect())
    }

    /// One tenant's stored health.
    pub async fn tenant_health(&self, tenant_id: i64) -> sqlx::Result<Option<HealthRecord>> {
        let sql = format!("SELECT {HEALTH_COLS} FROM tenant_health WHERE tenant_id = $1");
        let row = on_db!(self, |p| sqlx::query_as::<_, HealthRow>(&sql)
            .bind(tenant_id)
            .fetch_optional(p)
            .await)?;
        Ok(row.map(|r| r.record().1))
    }

    /// Writes the given tenants' health rows in one transaction.
    pub async fn save_health(
        &self,
        rows: &[(i64, HealthRecord)],
        now: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        const UPSERT: &str = "INSERT INTO tenant_health (tenant_id, health, reason, since, observed, \
               observed_since, integration, last_success_at, pending_pushes, failed_pushes, problems, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (tenant_id) DO UPDATE SET health = excluded.health, reason = excluded.reason, \
               since = excluded.since, observed = excluded.observed, observed_since = excluded.observed_since, \
               integration = excluded.integration, last_success_at = excluded.last_success_at, \
               pending_pushes = excluded.pending_pushes, failed_pushes = excluded.failed_pushes, \
               problems = excluded.problems, updated_at = excluded.updated_at";
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            for (tenant, r) in rows {
                sqlx::query(UPSERT)
                    .bind(tenant)
                    .bind(r.shown.health.as_str())
                    .bind(&r.shown.reason)
                    .bind(r.shown.since)
                    .bind(r.shown.observed.as_str())
                    .bind(r.shown.observed_since)
                    .bind(&r.integration)
                    .bind(r.last_success_at)
                    .bind(r.pending_pushes)
                    .bind(r.failed_pushes)
                    .bind(r.problems)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// One page of the support console's tenant table, by name, and how many tenants match.
    pub async fn support_tenants(
        &self,
        f: &TenantFilter,
    ) -> sqlx::Result<(Vec<TenantListRow>, i64)> {
        const FROM: &str = " FROM tenants t LEFT JOIN tenant_health h ON h.tenant_id = t.id";
        on_db!(self, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT t.public_id, t.name, h.health, h.integration, h.last_success_at, \
                 h.pending_pushes, h.failed_pushes, h.problems",
            );
            qb.push(FROM);
            push_filter(&mut qb, f);
            qb.push(" ORDER BY t.name, t.id LIMIT ")
                .push_bind(f.limit)
                .push(" OFFSET ")
                .push_bind(f.offset);
            let rows = qb.build_query_as::<TenantListRow>().fetch_all(p).await?;
            let mut count = sqlx::QueryBuilder::new("SELECT COUNT(*)");
            count.push(FROM);
            push_filter(&mut count, f);
            let total: i64 = count.build_query_scalar().fetch_one(p).await?;
            Ok((rows, total))
        })
    }

    /// The ATSs connected tenants use, for the console's filter.
    pub async fn integrations_in_use(&self) -> sqlx::Result<Vec<String>> {
        on_db!(self, |p| {
            sqlx::query_scalar(
            "SELECT DISTINCT integration FROM tenant_health WHERE integration IS NOT NULL ORDER BY integration"
        )
        .fetch_all(p)
        .await
        })
    }
}
