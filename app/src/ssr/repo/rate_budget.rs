//! The per-account Merge request budget: a sliding window of the calls let out, kept in the
//! database so every server process draws on the same budget.

use crate::{
    on_db,
    ssr::db::{BeginWrite, Db},
};

impl Db {
    /// Lets one call of the tenant out at `now_ms` if fewer than `limit` went out in the
    /// `window_ms` before it; otherwise returns how many milliseconds until a slot frees up.
    /// Concurrent takers (in any process) are serialised on the tenant's budget row.
    pub async fn take_merge_slot(
        &self,
        tenant_id: i64,
        limit: u32,
        window_ms: i64,
        now_ms: i64,
    ) -> sqlx::Result<Option<i64>> {
        on_db!(self, |p| {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO rate_budgets (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING",
            )
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
            // Takes the row lock on PostgreSQL (SQLite holds the write lock already).
            sqlx::query("UPDATE rate_budgets SET tenant_id = tenant_id WHERE tenant_id = $1")
                .bind(tenant_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM merge_calls WHERE tenant_id = $1 AND at_ms <= $2")
                .bind(tenant_id)
                .bind(now_ms - window_ms)
                .execute(&mut *tx)
                .await?;
            let (count, oldest): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MIN(at_ms) FROM merge_calls WHERE tenant_id = $1")
                    .bind(tenant_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let wait = if count < i64::from(limit) {
                sqlx::query("INSERT INTO merge_calls (tenant_id, at_ms) VALUES ($1, $2)")
                    .bind(tenant_id)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?;
                None
            } else {
                Some((oldest.unwrap_or(now_ms) + window_ms - now_ms).max(1))
            };
            tx.commit().await?;
            Ok(wait)
        })
    }
}
