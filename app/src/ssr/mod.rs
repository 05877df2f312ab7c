//! Server-only code: configuration, state, database, domain services, router.

pub mod api_clients;
pub mod audit;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
mod errors;
pub mod events;
pub mod failpoint;
pub mod health;
pub mod invitations;
pub mod link;
pub mod mailer;
pub mod marketplace_api;
pub mod merge_errors;
pub mod onboarding;
pub mod positions;
pub mod profile;
pub mod push;
pub mod rate_budget;
pub mod repo;
pub mod retry;
pub mod router;
pub mod seed;
pub mod settings;
pub mod stages;
pub mod startup;
pub mod state;
pub mod support;
pub mod sync;
pub mod throttle;
pub mod views;
pub mod webhooks;
pub mod worker;

pub use state::{ctx, AppState};
