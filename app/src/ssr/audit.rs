//! The audit log: every connect, relink, disconnect, verification-admin change, job import,
//! link and unlink, push outcome, retry, sync, interview request, sign-in and failed sign-in,
//! with who, when, which tenant and what changed. Writing an event never fails the action it
//! records: a failure to write is logged as an error instead.

use super::{auth::TenantMember, db::Db};

/// Who acted.
pub enum Actor<'a> {
    /// A signed-in hiring manager (their name is shown as it is now).
    Member(&'a TenantMember),
    /// Marketplace support staff acting on a tenant (shown with "marketplace support").
    Support(&'a super::auth::Support),
    /// A login identified without a session (a sign-in, a failed one).
    Login { id: i64, name: &'a str },
    /// ATS Bridge itself (the push and sync workers).
    System,
    /// A caller of the marketplace JSON API.
    MarketplaceApi,
    /// Someone not signed in, known only by address.
    Anonymous { client_ip: &'a str },
}

/// What happened (the `action` column; the page shows it as is).
pub mod action {
    pub const SIGN_IN: &str = "signed in";
    pub const SIGN_IN_FAILED: &str = "failed to sign in";
    pub const CONNECT: &str = "connected the ATS";
    pub const DISCONNECT: &str = "disconnected the ATS";
    pub const VERIFICATION_ADMIN: &str = "chose the verification admin";
    pub const IMPORT_JOB: &str = "imported an ATS job";
    pub const LINK_POSITION: &str = "linked a position";
    pub const UNLINK_POSITION: &str = "unlinked a position";
    pub const SYNC: &str = "started a sync";
    pub const SEND_REQUEST: &str = "sent an interview request";
    pub const RETRY_PUSH: &str = "retried a push";
    pub const STAGE_MAPPING: &str = "changed the stage mapping";
    pub const PUSH_DONE: &str = "pushed a candidate to the ATS";
    pub const PUSH_FAILED: &str = "could not push a candidate";
    pub const CREATE_TENANT: &str = "created the company";
    pub const INVITE: &str = "invited a colleague";
    pub const ACCEPT_INVITE: &str = "accepted an invitation";
    pub const RESET_PASSWORD: &str = "reset their password";
}

/// Records that a signed-in hiring manager did `action` in their tenant.
pub async fn by_member(db: &Db, member: &TenantMember, action: &str, detail: &str) {
    record(
        db,
        Some(member.tenant_id()),
        Actor::Member(member),
        action,
        detail,
    )
    .await;
}

/// Records that `actor` did `action` in `tenant_id`, with `detail` saying what changed.
pub async fn record(db: &Db, tenant_id: Option<i64>, actor: Actor<'_>, action: &str, detail: &str) {
    let (login_id, label) = match actor {
        Actor::Member(m) => (Some(m.login_id()), "a hiring manager".to_string()),
        Actor::Support(s) => (Some(s.login_id()), "marketplace support".to_string()),
        Actor::Login { id, name } => (Some(id), name.to_string()),
        Actor::System => (None, "ATS Bridge".to_string()),
        Actor::MarketplaceApi => (None, "the marketplace".to_string()),
        Actor::Anonymous { client_ip } => (None, format!("someone at {client_ip}")),
    };
    if let Err(e) = db
        .insert_audit(tenant_id, login_id, &label, action, detail)
        .await
    {
        tracing::error!(action, "writing the audit log: {e}");
    }
}
