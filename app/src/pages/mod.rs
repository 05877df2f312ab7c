//! One routed page per module.

pub mod activity;
pub mod candidate;
pub mod integration;
pub mod login;
pub mod mailbox;
pub mod onboarding;
pub mod positions;
pub mod request;
pub mod requests;
pub mod respond;
pub mod settings;
pub mod support;
