//! Per-tenant stage mapping and per-login time zone.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One ATS stage name and the marketplace status it maps to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: String,
    /// The status key (`in_review`, `interviewing`, `offer`, `hired`, `rejected`).
    pub status: String,
    /// True while the tenant has not chosen: the default by name applies.
    pub is_default: bool,
}

/// Everything the settings page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub stages: Vec<StageRow>,
    /// (key, label) of every marketplace status.
    pub statuses: Vec<(String, String)>,
    pub can_edit_stages: bool,
    /// A company admin reads the page: they may invite colleagues.
    pub can_invite: bool,
    /// The signed-in person's IANA zone ("UTC" until one is saved).
    pub time_zone: String,
    pub zones: Vec<String>,
}

/// Reads the settings page's data.
#[server(input = GetUrl, endpoint = "settings")]
pub async fn get_settings() -> Result<Settings, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    let is_admin = ctx.session().await?.and_then(|s| s.admin()).is_some();
    crate::ssr::settings::settings(&ctx, &member, is_admin).await
}

/// Maps one ATS stage name to a marketplace status (company admins only).
#[server(endpoint = "set_stage_mapping")]
pub async fn set_stage_mapping(stage: String, status: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let admin = ctx.require_admin().await?;
        crate::ssr::settings::map_stage(&ctx, &admin, &stage, &status).await
    }
    .await;
    crate::api::back(
        "/settings",
        result,
        "Stage mapping saved; it applies from the next sync.",
    )
}

/// Saves the signed-in person's time zone.
#[server(endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::settings::save_time_zone(&ctx, &member, &time_zone).await
    }
    .await;
    crate::api::back("/settings", result, "Time zone saved.")
}
