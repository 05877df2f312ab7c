//! The support console: every tenant's integration health, one tenant's details, and the
//! confirmed, audited actions support may take (retry a push, start a sync).

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::{api::activity::ActivityEvent, error::AppError, health::Health};

/// One tenant in the console's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: String,
    pub name: String,
    pub health: Health,
    pub integration: Option<String>,
    pub last_success: Option<String>,
    pub pending_pushes: i64,
    pub failed_pushes: i64,
    pub problems: i64,
}

/// One page of the console's table, with what its filters can choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantTable {
    pub rows: Vec<TenantRow>,
    /// How many tenants match the filters.
    pub total: i64,
    /// This page (1-based) and how many there are.
    pub page: i64,
    pub pages: i64,
    /// The ATSs in use, for the ATS filter.
    pub integrations: Vec<String>,
    /// Webhook deliveries rejected in the last 24 hours (they name no tenant).
    pub rejected_deliveries: i64,
}

/// The tenant's connection, without its token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportConnection {
    pub integration: String,
    pub status: String,
    pub linked_account_id: String,
    pub linked_at: String,
    pub requires_admin: bool,
    pub admin: Option<String>,
    pub admin_problem: Option<String>,
}

/// One sync run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportRun {
    pub state: String,
    pub started: String,
    pub finished: Option<String>,
    pub pages: i64,
    pub users: i64,
    pub jobs: i64,
    pub stages: i64,
    pub applications: i64,
    pub error: Option<String>,
}

/// One webhook delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportDelivery {
    pub at: String,
    pub event: String,
    pub model_id: Option<String>,
    pub outcome: String,
}

/// One push, by ids: the candidate's personal data is not shown to support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportPush {
    pub request_id: String,
    pub position: String,
    pub state: String,
    pub attempts: i64,
    pub error: Option<String>,
    pub status: Option<i64>,
    pub problem: Option<String>,
    pub correlation_id: Option<String>,
    pub updated: String,
    pub retryable: bool,
}

/// Everything the console's tenant page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub id: String,
    pub name: String,
    pub health: Health,
    pub health_since: Option<String>,
    /// What to do, one line per problem.
    pub reasons: Vec<String>,
    pub connection: Option<SupportConnection>,
    /// Per model (users, jobs, stages): when its last completed pull started.
    pub models: Vec<(String, String)>,
    pub last_full: Option<String>,
    pub next_run: Option<String>,
    pub runs: Vec<SupportRun>,
    pub deliveries: Vec<SupportDelivery>,
    pub pushes: Vec<SupportPush>,
    pub audit: Vec<ActivityEvent>,
}

/// One page of tenants. Empty strings mean "no filter"; `page` is 1-based.
#[server(input = GetUrl, endpoint = "support_tenants")]
pub async fn get_support_tenants(
    #[server(default)] q: String,
    #[server(default)] health: String,
    #[server(default)] ats: String,
    #[server(default)] stale: bool,
    #[server(default)] failing: bool,
    #[server(default)] page: i64,
) -> Result<TenantTable, AppError> {
    use crate::ssr::support::{tenants, TenantQuery};
    let ctx = crate::ssr::ctx()?;
    let support = ctx.require_support().await?;
    let query = TenantQuery {
        search: q,
        health,
        ats,
        stale,
        failing,
        page,
    };
    tenants(&ctx, &support, query).await
}

/// One tenant's integration details.
#[server(input = GetUrl, endpoint = "support_tenant")]
pub async fn get_support_tenant(id: String) -> Result<TenantDetail, AppError> {
    let ctx = crate::ssr::ctx()?;
    let support = ctx.require_support().await?;
    crate::ssr::support::tenant(&ctx, &support, &id).await
}

/// Retries a failed or waiting push of a tenant, once support confirmed it.
#[server(endpoint = "support_retry_push")]
pub async fn support_retry_push(
    tenant: String,
    request_id: String,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let support = ctx.require_support().await?;
        crate::ssr::support::retry_push(&ctx, &support, &tenant, &request_id, confirmed(&confirm))
            .await
    }
    .await;
    crate::api::back(
        &tenant_page(&tenant),
        result,
        "Push retried: it runs again now.",
    )
}

/// Starts a full sync of a tenant, once support confirmed it.
#[server(endpoint = "support_resync")]
pub async fn support_resync(
    tenant: String,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let support = ctx.require_support().await?;
        crate::ssr::support::resync(&ctx, &support, &tenant, confirmed(&confirm)).await
    }
    .await;
    crate::api::back(&tenant_page(&tenant), result, "Full sync started.")
}

/// The console page of a tenant.
pub fn tenant_page(id: &str) -> String {
    format!("/support/tenants/{}", crate::api::onboarding::path_safe(id))
}

/// The confirmation checkbox was ticked.
#[cfg(feature = "ssr")]
fn confirmed(confirm: &Option<String>) -> bool {
    matches!(confirm.as_deref(), Some("yes" | "on" | "true"))
}
