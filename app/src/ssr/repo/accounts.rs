//! Tenants, logins and sessions.

use chrono::{DateTime, Utc};

use super::now;
use crate::{on_db, ssr::db::Db};

/// What a login may do. Stored as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A hiring manager who is also a company admin.
    Admin,
    /// A hiring manager.
    Member,
    /// Marketplace support staff (no tenant).
    Support,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Support => "support",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            "support" => Some(Role::Support),
            _ => None,
        }
    }
}

/// A login row with its password hash (never leaves the server).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRow {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
}

/// The login behind a live session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionLogin {
    pub login_id: i64,
    pub tenant_id: Option<i64>,
    pub tenant_name: Option<String>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub time_zone: Option<String>,
}

impl Db {
    /// Creates a tenant; returns its internal id.
    pub async fn create_tenant(&self, name: &str) -> sqlx::Result<i64> {
        let t = now();
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            sqlx::query_scalar(
            "INSERT INTO tenants (public_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id"
        )
        .bind(&pid)
        .bind(name)
        .bind(t)
        .fetch_one(p)
        .await
        })
    }

    /// Creates a login; the e-mail must be unused.
    pub async fn create_login(
        &self,
        tenant_id: Option<i64>,
        email: &str,
        name: &str,
        password_hash: &str,
        role: Role,
    ) -> sqlx::Result<i64> {
        let t = now();
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            sqlx::query_scalar(
            "INSERT INTO logins (public_id, tenant_id, email, name, password_hash, role, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"
        )
        .bind(&pid)
        .bind(tenant_id)
        .bind(email.trim().to_lowercase())
        .bind(name)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(t)
        .fetch_one(p)
        .await
        })
    }

    /// Finds a login by e-mail (case-insensitive).
    pub async fn login_by_email(&self, email: &str) -> sqlx::Result<Option<LoginRow>> {
        on_db!(self, |p| sqlx::query_as::<_, LoginRow>(
            "SELECT id, tenant_id, email, name, password_hash, role FROM logins WHERE email = $1"
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(p)
        .await)
    }

    /// Stores a new session (by the hash of its token).
    pub async fn insert_session(
        &self,
        token_hash: &str,
        login_id: i64,
        expires_at: DateTime<Utc>,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO sessions (token_hash, login_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(token_hash)
        .bind(login_id)
        .bind(now())
        .bind(expires_at)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The login of an unexpired session.
    pub async fn session_login(&self, token_hash: &str) -> sqlx::Result<Option<SessionLogin>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, SessionLogin>(
            "SELECT l.id AS login_id, l.tenant_id, t.name AS tenant_name, l.email, l.name, l.role, l.time_zone \
             FROM sessions s JOIN logins l ON l.id = s.login_id LEFT JOIN tenants t ON t.id = l.tenant_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(p)
        .await
        })
    }

    /// Saves a login's time zone; with `only_if_unset`, keeps one already saved (the browser's
    /// zone is taken on first sign-in only).
    pub async fn set_time_zone(
        &self,
        login_id: i64,
        zone: &str,
        only_if_unset: bool,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "UPDATE logins SET time_zone = $2, updated_at = $3 \
             WHERE id = $1 AND (time_zone IS NULL OR $4 = FALSE)"
        )
        .bind(login_id)
        .bind(zone)
        .bind(now())
        .bind(only_if_unset)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> sqlx::Result<()> {
        on_db!(self, |p| sqlx::query(
            "DELETE FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The tenant's public id and display name.
    pub async fn tenant(&self, tenant_id: i64) -> sqlx::Result<(String, String)> {
        on_db!(self, |p| sqlx::query_as::<_, (String, String)>(
            "SELECT public_id, name FROM tenants WHERE id = $1"
        )
        .bind(tenant_id)
        .fetch_one(p)
        .await)
    }

    /// A tenant with this name (any case), if one exists.
    pub async fn tenant_named(&self, name: &str) -> sqlx::Result<Option<i64>> {
        on_db!(self, |p| sqlx::query_scalar(
            "SELECT id FROM tenants WHERE LOWER(name) = LOWER($1)"
        )
        .bind(name.trim())
        .fetch_optional(p)
        .await)
    }

    /// True when at least one tenant exists (the demo seed runs only on an empty database).
    pub async fn has_tenants(&self) -> sqlx::Result<bool> {
        let n: i64 = on_db!(self, |p| sqlx::query_scalar("SELECT COUNT(*) FROM tenants")
            .fetch_one(p)
            .await)?;
        Ok(n > 0)
    }
}
