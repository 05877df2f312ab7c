//! The audit log's rows.

use chrono::{DateTime, Utc};

use super::now;
use crate::{on_db, ssr::db::Db};

/// One audit event, with the actor's current name when it was a login.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

impl Db {
    /// Appends an event.
    pub async fn insert_audit(
        &self,
        tenant_id: Option<i64>,
        login_id: Option<i64>,
        actor: &str,
        action: &str,
        detail: &str,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
                "INSERT INTO audit_events (tenant_id, login_id, actor, action, detail, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(tenant_id)
            .bind(login_id)
            .bind(actor)
            .bind(action)
            .bind(detail)
            .bind(now())
            .execute(p)
            .await
            .map(|_| ())
        })
    }

    /// The tenant's newest `limit` events, newest first.
    pub async fn audit_events(&self, tenant_id: i64, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, AuditRow>(
                "SELECT a.at, CASE WHEN l.role = 'support' THEN l.name || ' (marketplace support)' \
                   ELSE COALESCE(l.name, a.actor) END AS actor, a.action, a.detail \
                 FROM audit_events a LEFT JOIN logins l ON l.id = a.login_id \
                 WHERE a.tenant_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2",
            )
            .bind(tenant_id)
            .bind(limit)
            .fetch_all(p)
            .await
        })
    }
}
