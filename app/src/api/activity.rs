//! The tenant's audit log, as its hiring managers read it.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One thing someone did, with when (in the reader's time zone) and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub at: String,
    pub who: String,
    pub action: String,
    pub detail: String,
}

/// How many events the page shows, newest first.
pub const ACTIVITY_LIMIT: i64 = 200;

/// The newest events of the signed-in hiring manager's company.
#[server(input = GetUrl, endpoint = "activity")]
pub async fn get_activity() -> Result<Vec<ActivityEvent>, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    let rows = ctx
        .db
        .audit_events(member.tenant_id(), ACTIVITY_LIMIT)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ActivityEvent {
            at: crate::ssr::views::fmt_time(r.at, member.zone()),
            who: r.actor,
            action: r.action,
            detail: r.detail,
        })
        .collect())
}
