//! Positions and the ATS jobs they are imported from or linked to.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// An ATS job as the pickers show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtsJob {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
    /// OPEN, CLOSED, DRAFT, ARCHIVED, PENDING or the ATS's own value.
    pub status: Option<String>,
    pub deleted: bool,
}

impl AtsJob {
    /// A short state label: "deleted in the ATS", "closed", ... or None when open.
    pub fn state_label(&self) -> Option<String> {
        if self.deleted {
            return Some("deleted in the ATS".into());
        }
        match self.status.as_deref() {
            None | Some("OPEN") => None,
            Some(s) => Some(s.to_lowercase()),
        }
    }
}

/// A marketplace position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub id: String,
    pub title: String,
    pub job: Option<AtsJob>,
}

/// How many ATS jobs a picker offers at once; a narrower search finds the others.
pub const JOB_MATCHES: usize = 25;

/// The positions page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Positions {
    pub positions: Vec<Position>,
    /// The first [`JOB_MATCHES`] ATS jobs matching the page's search.
    pub jobs: Vec<AtsJob>,
    /// More jobs match than `jobs` holds.
    pub more_jobs: bool,
    pub connected: bool,
}

/// ATS jobs matching a search, as the picker shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobMatches {
    pub jobs: Vec<AtsJob>,
    pub more: bool,
}

/// Lists the tenant's positions and the first ATS jobs whose name or code contains `search`.
#[server(input = GetUrl, endpoint = "positions")]
pub async fn list_positions(search: String) -> Result<Positions, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    crate::ssr::views::positions(&ctx, &member, &search).await
}

/// The first ATS jobs whose name or code contains `search` (the picker, as you type).
#[server(input = GetUrl, endpoint = "search_jobs")]
pub async fn search_jobs(search: String) -> Result<JobMatches, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    crate::ssr::views::job_matches(&ctx, &member, &search).await
}

/// Creates a position that is not linked to an ATS job yet.
#[server(endpoint = "create_position")]
pub async fn create_position(title: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::positions::create(&ctx, &member, &title).await
    }
    .await;
    crate::api::back("/positions", result, "Position created.")
}

/// Imports an ATS job as a new position linked to it.
#[server(endpoint = "import_job")]
pub async fn import_job(job_id: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::positions::import(&ctx, &member, &job_id).await
    }
    .await;
    crate::api::back("/positions", result, "Job imported as a position.")
}

/// Links a position to an ATS job (replacing any earlier link).
#[server(endpoint = "link_position")]
pub async fn link_position(position_id: String, job_id: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::positions::link(&ctx, &member, &position_id, Some(&job_id)).await
    }
    .await;
    crate::api::back("/positions", result, "Position linked.")
}

/// Removes a position's link to its ATS job.
#[server(endpoint = "unlink_position")]
pub async fn unlink_position(position_id: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::positions::link(&ctx, &member, &position_id, None).await
    }
    .await;
    crate::api::back("/positions", result, "Position unlinked.")
}
