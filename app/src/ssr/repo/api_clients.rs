//! Marketplace API clients: hashed bearer tokens, optional company scope, revocation.

use chrono::{DateTime, Utc};

use super::now;
use crate::{on_db, ssr::db::Db};

/// A client as the operator lists it (never its token).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiClientRow {
    pub public_id: String,
    pub name: String,
    pub tenant_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Db {
    /// Stores a new client under its token's hash.
    pub async fn insert_api_client(
        &self,
        public_id: &str,
        name: &str,
        tenant_id: Option<i64>,
        token_hash: &str,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "INSERT INTO api_clients (public_id, name, tenant_id, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(public_id)
        .bind(name)
        .bind(tenant_id)
        .bind(token_hash)
        .bind(now())
        .execute(p)
        .await
        .map(|_| ()))
    }

    /// The active client holding this token hash, marked as used now. The outer Option is
    /// "known and not revoked"; the inner one its company scope.
    pub async fn use_api_client(&self, token_hash: &str) -> sqlx::Result<Option<Option<i64>>> {
        on_db!(self, |p| sqlx::query_scalar(
            "UPDATE api_clients SET last_used_at = $2 \
             WHERE token_hash = $1 AND revoked_at IS NULL RETURNING tenant_id"
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(p)
        .await)
    }

    /// Revokes a client; false when there is no active client with that id.
    pub async fn revoke_api_client(&self, public_id: &str) -> sqlx::Result<bool> {
        on_db!(self, |p| sqlx::query(
            "UPDATE api_clients SET revoked_at = $2 WHERE public_id = $1 AND revoked_at IS NULL"
        )
        .bind(public_id)
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected() == 1))
    }

    /// Every client, oldest first.
    pub async fn api_clients(&self) -> sqlx::Result<Vec<ApiClientRow>> {
        on_db!(self, |p| sqlx::query_as::<_, ApiClientRow>(
            "SELECT public_id, name, tenant_id, created_at, last_used_at, revoked_at \
             FROM api_clients ORDER BY id"
        )
        .fetch_all(p)
        .await)
    }
}
