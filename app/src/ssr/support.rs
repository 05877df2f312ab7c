//! The support console's reads and actions. Support is cross-tenant and read-mostly: it sees
//! every tenant's integration (never a token, never a candidate's personal data) and may retry
//! a push or start a sync, each only once confirmed, and each recorded in the tenant's audit log.

use chrono::Duration;

use super::{
    audit::{self, Actor},
    auth::Support,
    repo::{health::TenantFilter, now},
    state::AppState,
    sync::display_name,
    views::fmt_time,
};
use crate::{
    api::{
        activity::ActivityEvent,
        support::{
            SupportConnection, SupportDelivery, SupportPush, SupportRun, TenantDetail, TenantRow,
            TenantTable,
        },
    },
    error::AppError,
    health::Health,
};

/// Tenants per page of the console's table.
pub const PAGE_SIZE: i64 = 25;

/// The console's filters as the page sends them (empty means "any").
#[derive(Debug, Clone, Default)]
pub struct TenantQuery {
    pub search: String,
    pub health: String,
    pub ats: String,
    /// Connected without a successful sync in 24 hours.
    pub stale: bool,
    /// With failed pushes.
    pub failing: bool,
    /// 1-based; out-of-range pages are clamped.
    pub page: i64,
}

/// One page of the tenant table.
pub async fn tenants(
    state: &AppState,
    support: &Support,
    q: TenantQuery,
) -> Result<TenantTable, AppError> {
    let health = match q.health.trim() {
        "" => None,
        h => Some(Health::parse(h).ok_or_else(|| {
            AppError::Validation(format!("Unknown health {h:?}: choose one from the list."))
        })?),
    };
    let page = q.page.max(1);
    let mut filter = TenantFilter {
        search: Some(q.search.trim().chars().take(100).collect()),
        health,
        integration: Some(q.ats.trim().to_string()).filter(|a| !a.is_empty()),
        no_success_since: q.stale.then(|| now() - super::health::STALE_AFTER),
        writes_failing: q.failing,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let (mut rows, total) = state.db.support_tenants(&filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = if page > pages {
        // Past the end (filters narrowed): show the last page instead of nothing.
        filter.offset = (pages - 1) * PAGE_SIZE;
        rows = state.db.support_tenants(&filter).await?.0;
        pages
    } else {
        page
    };
    let zone = support.zone();
    Ok(TenantTable {
        rows: rows
            .into_iter()
            .map(|r| TenantRow {
                id: r.public_id,
                name: r.name,
                health: r
                    .health
                    .as_deref()
                    .and_then(Health::parse)
                    .unwrap_or(Health::Disconnected),
                integration: r.integration,
                last_success: r.last_success_at.map(|t| fmt_time(t, zone)),
                pending_pushes: r.pending_pushes.unwrap_or(0),
                failed_pushes: r.failed_pushes.unwrap_or(0),
                problems: r.problems.unwrap_or(0),
            })
            .collect(),
        total,
        page,
        pages,
        integrations: state.db.integrations_in_use().await?,
        rejected_deliveries: state
            .db
            .rejected_deliveries_since(now() - Duration::hours(24))
            .await?,
    })
}

/// The tenant a console URL names.
async fn tenant_id(state: &AppState, public_id: &str) -> Result<(i64, String), AppError> {
    state
        .db
        .tenant_by_public_id(public_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// One tenant's page.
pub async fn tenant(
    state: &AppState,
    support: &Support,
    public_id: &str,
) -> Result<TenantDetail, AppError> {
    let (t, name) = tenant_id(state, public_id).await?;
    let db = &state.db;
    let zone = support.zone();
    let time = |at| fmt_time(at, zone);
    let health = db.tenant_health(t).await?;
    let connection = match db.connection(t).await? {
        Some(c) => {
            let admin = match &c.verification_admin_id {
                Some(id) => db
                    .ats_users(t)
                    .await?
                    .iter()
                    .find(|u| &u.merge_id == id)
                    .map(display_name),
                None => None,
            };
            Some(SupportConnection {
                integration: c.integration_name,
                status: c.status,
                linked_account_id: c.linked_account_id,
                linked_at: time(c.linked_at),
                requires_admin: c.requires_remote_user_id,
                admin,
                admin_problem: c.admin_problem,
            })
        }
        None => None,
    };
    let marks = db.watermarks(t).await?;
    let mut models: Vec<(String, String)> = marks
        .pulled_from
        .iter()
        .map(|(m, at)| (m.clone(), time(*at)))
        .collect();
    models.sort();
    Ok(TenantDetail {
        id: public_id.to_string(),
        name,
        health: health
            .as_ref()
            .map(|h| h.shown.health)
            .unwrap_or(Health::Disconnected),
        health_since: health.as_ref().map(|h| time(h.shown.since)),
        reasons: health
            .map(|h| h.shown.reason.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        connection,
        models,
        last_full: marks.last_full_at.map(time),
        next_run: db.next_sync_at(t).await?.map(time),
        runs: db
            .recent_sync_runs(t, 10)
            .await?
            .into_iter()
            .map(|r| SupportRun {
                state: r.state,
                started: time(r.started_at),
                finished: r.finished_at.map(time),
                pages: r.pages,
                users: r.users,
                jobs: r.jobs,
                stages: r.stages,
                applications: r.applications,
                error: r.error,
            })
            .collect(),
        deliveries: db
            .tenant_deliveries(t, 30)
            .await?
            .into_iter()
            .map(|d| SupportDelivery {
                at: time(d.received_at),
                event: d.event,
                model_id: d.model_id,
                outcome: d.outcome,
            })
            .collect(),
        pushes: db
            .push_queue(t, 50)
            .await?
            .into_iter()
            .map(|p| SupportPush {
                retryable: matches!(p.state.as_str(), "failed" | "waiting"),
                request_id: p.request_id,
                position: p.position,
                state: p.state,
                attempts: p.attempts,
                error: p.last_error,
                status: p.error_status,
                problem: p.error_problem,
                correlation_id: p.correlation_id,
                updated: time(p.updated_at),
            })
            .collect(),
        audit: db
            .audit_events(t, 100)
            .await?
            .into_iter()
            .map(|r| ActivityEvent {
                at: time(r.at),
                who: r.actor,
                action: r.action,
                detail: r.detail,
            })
            .collect(),
    })
}

fn require_confirmation(confirmed: bool) -> Result<(), AppError> {
    if confirmed {
        Ok(())
    } else {
        Err(AppError::Validation(
            "Tick the confirmation box first: support actions change the tenant's integration."
                .into(),
        ))
    }
}

/// Retries one of the tenant's failed or waiting pushes.
pub async fn retry_push(
    state: &AppState,
    support: &Support,
    tenant_public_id: &str,
    request_id: &str,
    confirmed: bool,
) -> Result<(), AppError> {
    require_confirmation(confirmed)?;
    let (t, _) = tenant_id(state, tenant_public_id).await?;
    super::push::retry_as_support(state, support, t, request_id).await
}

/// Starts a full sync of the tenant.
pub async fn resync(
    state: &AppState,
    support: &Support,
    tenant_public_id: &str,
    confirmed: bool,
) -> Result<(), AppError> {
    require_confirmation(confirmed)?;
    let (t, _) = tenant_id(state, tenant_public_id).await?;
    if state.db.connection(t).await?.is_none() {
        return Err(AppError::Validation(
            "This company has no ATS connected: there is nothing to sync.".into(),
        ));
    }
    super::sync::request_sync(state, t, true).await?;
    audit::record(
        &state.db,
        Some(t),
        Actor::Support(support),
        audit::action::SYNC,
        "full sync",
    )
    .await;
    Ok(())
}
