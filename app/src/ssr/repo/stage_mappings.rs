//! A tenant's mapping of ATS stage names to marketplace statuses.

use std::collections::HashMap;

use super::now;
use crate::{
    on_db,
    ssr::{
        db::Db,
        stages::{MarketplaceStatus, StageMapping},
    },
};

impl Db {
    /// The tenant's own choices (stage key → status); defaults cover the rest.
    pub async fn stage_mapping(&self, tenant_id: i64) -> sqlx::Result<StageMapping> {
        let rows: Vec<(String, String)> = on_db!(self, |p| sqlx::query_as(
            "SELECT stage_key, status FROM stage_mappings WHERE tenant_id = $1"
        )
        .bind(tenant_id)
        .fetch_all(p)
        .await)?;
        let map: HashMap<String, MarketplaceStatus> = rows
            .into_iter()
            .filter_map(|(k, s)| MarketplaceStatus::from_key(&s).map(|s| (k, s)))
            .collect();
        Ok(StageMapping(map))
    }

    /// Saves the tenant's choice for one stage key.
    pub async fn set_stage_mapping(
        &self,
        tenant_id: i64,
        stage_key: &str,
        status: MarketplaceStatus,
    ) -> sqlx::Result<()> {
        on_db!(self, |p| {
            sqlx::query(
            "INSERT INTO stage_mappings (tenant_id, stage_key, status, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, stage_key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at"
        )
        .bind(tenant_id)
        .bind(stage_key)
        .bind(status.key())
        .bind(now())
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The distinct names of the tenant's live ATS stages, sorted.
    pub async fn stage_names(&self, tenant_id: i64) -> sqlx::Result<Vec<String>> {
        on_db!(self, |p| {
            sqlx::query_scalar(
            "SELECT DISTINCT name FROM ats_stages WHERE tenant_id = $1 AND remote_was_deleted = FALSE \
             ORDER BY name LIMIT 1000"
        )
        .bind(tenant_id)
        .fetch_all(p)
        .await
        })
    }
}
