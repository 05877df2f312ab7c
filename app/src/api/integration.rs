//! The ATS connection: Merge Link, sync, and the verification admin.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// An ATS user offered as verification admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtsUser {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    pub disabled: bool,
}

/// The tenant's connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub integration: String,
    pub status: String,
    pub linked_at: String,
    pub requires_admin: bool,
    pub admin: Option<AtsUser>,
    /// Set when the ATS refused the chosen admin: the hiring manager must re-pick.
    pub admin_problem: Option<String>,
}

/// Sync progress and history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    /// The run's id (a new run has a new one).
    pub run: i64,
    pub running: bool,
    pub failed: bool,
    pub error: Option<String>,
    pub pages: i64,
    pub users: i64,
    pub jobs: i64,
    pub stages: i64,
    pub applications: i64,
    pub started_at: String,
    pub last_success: Option<String>,
    /// When the next scheduled sync is due (None: not scheduled).
    pub next_run: Option<String>,
}

/// Everything the integration page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Integration {
    pub connection: Option<Connection>,
    pub sync: Option<SyncState>,
    pub counts: (i64, i64, i64),
    pub users: Vec<AtsUser>,
    pub is_admin: bool,
    /// Where the Merge Link script comes from.
    pub link_script_url: String,
}

/// Reads the integration page's data.
#[server(input = GetUrl, endpoint = "integration")]
pub async fn get_integration() -> Result<Integration, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    let is_admin = ctx.session().await?.and_then(|s| s.admin()).is_some();
    crate::ssr::views::integration(&ctx, &member, is_admin).await
}

/// Creates a Merge link token for the Connect / Relink button (company admins only).
#[server(endpoint = "create_link_token")]
pub async fn create_link_token() -> Result<String, AppError> {
    let ctx = crate::ssr::ctx()?;
    let admin = ctx.require_admin().await?;
    let email = ctx
        .session()
        .await?
        .map(|s| s.login.email)
        .unwrap_or_default();
    crate::ssr::link::create_link_token(&ctx, &admin, &email).await
}

/// Completes Merge Link with the `public_token` its `onSuccess` callback gave the page.
#[server(endpoint = "complete_link")]
pub async fn complete_link(public_token: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let admin = ctx.require_admin().await?;
    crate::ssr::link::complete_link(&ctx, &admin, &public_token).await
}

/// Disconnects the ATS (company admins only); `integration` is the confirmed ATS name.
#[server(endpoint = "disconnect")]
pub async fn disconnect(integration: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let admin = ctx.require_admin().await?;
        crate::ssr::link::disconnect(&ctx, &admin, &integration).await
    }
    .await;
    let notice = match &result {
        Ok((name, 0)) => format!("{name} is disconnected. Its synced data was removed."),
        Ok((name, n)) => format!(
            "{name} is disconnected. Its synced data was removed and {n} queued push(es) cancelled."
        ),
        Err(_) => String::new(),
    };
    crate::api::back("/integration", result, &notice)
}

/// Starts a sync now.
#[server(endpoint = "sync_now")]
pub async fn sync_now() -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        if ctx.db.connection(member.tenant_id()).await?.is_none() {
            return Err(AppError::Validation("Connect your ATS first.".into()));
        }
        crate::ssr::sync::request_sync(&ctx, member.tenant_id(), true).await?;
        use crate::ssr::audit;
        audit::by_member(&ctx.db, &member, audit::action::SYNC, "full sync").await;
        Ok(())
    }
    .await;
    crate::api::back("/integration", result, "Sync started.")
}

/// Chooses the verification admin (company admins only).
#[server(endpoint = "set_verification_admin")]
pub async fn set_verification_admin(user_id: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let admin = ctx.require_admin().await?;
        crate::ssr::views::choose_verification_admin(&ctx, &admin, &user_id).await
    }
    .await;
    crate::api::back(
        "/integration",
        result,
        "Verification admin saved. Waiting pushes resume now.",
    )
}
