//! Data access: `impl Db` blocks, one module per area. Every tenant-owned query takes a
//! capability from `ssr::auth` and scopes by the tenant inside it.

pub mod accounts;
pub mod api_clients;
pub mod ats;
pub mod audit;
pub mod connections;
pub mod health;
pub mod login_failures;
pub mod login_tokens;
pub mod marketplace;
pub mod push_jobs;
pub mod rate_budget;
pub mod requests;
pub mod stage_mappings;
pub mod support;
pub mod sync_jobs;
pub mod webhooks;

use chrono::{DateTime, Utc};

/// The current time, truncated to microseconds so both backends store it identically.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t - chrono::Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos() % 1000))
}
