//! Failed sign-ins, counted per account and per client IP over a sliding window.

use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

impl Db {
    /// Failures since `since_ms` for this e-mail address and for this client IP.
    pub async fn login_failures(
        &self,
        email: &str,
        client_ip: &str,
        since_ms: i64,
    ) -> sqlx::Result<(i64, i64)> {
        on_db!(self, |p| {
            sqlx::query_as(
                "SELECT \
                   (SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at_ms > $3), \
                   (SELECT COUNT(*) FROM login_failures WHERE client_ip = $2 AND at_ms > $3)",
            )
            .bind(email)
            .bind(client_ip)
            .bind(since_ms)
            .fetch_one(p)
            .await
        })
    }

    /// Records a failure at `now_ms` and forgets those older than `since_ms`.
    pub async fn record_login_failure(
        &self,
        email: &str,
        client_ip: &str,
        now_ms: i64,
        since_ms: i64,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query("DELETE FROM login_failures WHERE at_ms <= $1")
                .bind(since_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO login_failures (email, client_ip, at_ms) VALUES ($1, $2, $3)")
                .bind(email)
                .bind(client_ip)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
    }

    /// Forgets an account's failures (it signed in).
    pub async fn clear_login_failures(&self, email: &str) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query("DELETE FROM login_failures WHERE email = $1")
                .bind(email)
                .execute(p)
                .await
                .map(|_| ())
        })
    }
}
