//! Invitation and password-reset rows: each e-mailed link names one, and uses it once.

use chrono::{DateTime, Utc};

use super::{accounts::Role, now};
use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }
}

/// A new invitation or reset.
pub struct NewLoginToken<'a> {
    pub purpose: Purpose,
    pub tenant_id: Option<i64>,
    pub role: Option<Role>,
    pub login_id: Option<i64>,
    pub email: &'a str,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

/// A stored invitation or reset, with the company's name for invitations.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginTokenRow {
    pub purpose: String,
    pub tenant_id: Option<i64>,
    pub company: Option<String>,
    pub role: Option<String>,
    pub email: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl Db {
    /// Stores an invitation or reset; returns its public id (the signed link's subject).
    pub async fn insert_login_token(&self, t: &NewLoginToken<'_>) -> sqlx::Result<String> {
        let pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| sqlx::query(
            "INSERT INTO login_tokens (public_id, purpose, tenant_id, role, login_id, email, \
               created_by, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(&pid)
        .bind(t.purpose.as_str())
        .bind(t.tenant_id)
        .bind(t.role.map(Role::as_str))
        .bind(t.login_id)
        .bind(t.email.trim().to_lowercase())
        .bind(t.created_by)
        .bind(t.expires_at)
        .bind(now())
        .execute(p)
        .await
        .map(|_| ()))?;
        Ok(pid)
    }

    /// An invitation or reset by its public id.
    pub async fn login_token(
        &self,
        public_id: &str,
        purpose: Purpose,
    ) -> sqlx::Result<Option<LoginTokenRow>> {
        on_db!(self, |p| {
            sqlx::query_as::<_, LoginTokenRow>(
            "SELECT lt.purpose, lt.tenant_id, t.name AS company, lt.role, lt.email, lt.expires_at, lt.used_at \
             FROM login_tokens lt LEFT JOIN tenants t ON t.id = lt.tenant_id \
             WHERE lt.public_id = $1 AND lt.purpose = $2"
        )
        .bind(public_id)
        .bind(purpose.as_str())
        .fetch_optional(p)
        .await
        })
    }

    /// Uses an invitation: in one transaction, marks it used (only if unused and unexpired) and
    /// creates the login. Returns the new login's id, or None when the invitation is spent.
    pub async fn accept_invitation(
        &self,
        public_id: &str,
        name: &str,
        password_hash: &str,
    ) -> sqlx::Result<Option<i64>> {
        let t = now();
        let login_pid = crate::ssr::crypto::public_id();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let invite: Option<(Option<i64>, Option<String>, String)> = sqlx::query_as(
                "UPDATE login_tokens SET used_at = $2 WHERE public_id = $1 AND purpose = 'invite' \
                 AND used_at IS NULL AND expires_at > $2 RETURNING tenant_id, role, email",
            )
            .bind(public_id)
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((tenant_id, role, email)) = invite else {
                return Ok(None);
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO logins (public_id, tenant_id, email, name, password_hash, role, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
            )
            .bind(&login_pid)
            .bind(tenant_id)
            .bind(&email)
            .bind(name)
            .bind(password_hash)
            .bind(role.unwrap_or_else(|| "member".into()))
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    /// Uses a password reset: in one transaction, marks it used (only if unused and unexpired),
    /// sets the password and ends every session of the login. Returns the login's id.
    pub async fn use_password_reset(
        &self,
        public_id: &str,
        password_hash: &str,
    ) -> sqlx::Result<Option<i64>> {
        let t = now();
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            let login: Option<Option<i64>> = sqlx::query_scalar(
                "UPDATE login_tokens SET used_at = $2 WHERE public_id = $1 AND purpose = 'reset' \
                 AND used_at IS NULL AND expires_at > $2 RETURNING login_id",
            )
            .bind(public_id)
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(Some(login_id)) = login else {
                return Ok(None);
            };
            sqlx::query("UPDATE logins SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(login_id)
                .bind(password_hash)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE login_id = $1")
                .bind(login_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Some(login_id))
        })
    }
}
