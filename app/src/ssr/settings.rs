//! The settings page's domain: a tenant's stage mapping and a login's time zone.

use chrono_tz::Tz;

use super::{
    auth::{TenantAdmin, TenantMember},
    stages::{stage_key, MarketplaceStatus},
    state::AppState,
};
use crate::{
    api::settings::{Settings, StageRow},
    error::AppError,
};

/// The tenant's stage names with their statuses, and the member's time zone.
pub async fn settings(
    state: &AppState,
    member: &TenantMember,
    is_admin: bool,
) -> Result<Settings, AppError> {
    let t = member.tenant_id();
    let mapping = state.db.stage_mapping(t).await?;
    let stages = state
        .db
        .stage_names(t)
        .await?
        .into_iter()
        .map(|name| StageRow {
            status: mapping.status(&name).key().to_string(),
            is_default: !mapping.0.contains_key(&stage_key(&name)),
            stage: name,
        })
        .collect();
    Ok(Settings {
        stages,
        statuses: MarketplaceStatus::ALL
            .iter()
            .map(|s| (s.key().to_string(), s.label().to_string()))
            .collect(),
        can_edit_stages: is_admin,
        can_invite: is_admin,
        time_zone: member.zone().name().to_string(),
        zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name().to_string())
            .collect(),
    })
}

/// Maps one of the tenant's stage names to a status.
pub async fn map_stage(
    state: &AppState,
    admin: &TenantAdmin,
    stage: &str,
    status: &str,
) -> Result<(), AppError> {
    let status = MarketplaceStatus::from_key(status)
        .ok_or_else(|| AppError::Validation("Choose one of the listed statuses.".into()))?;
    let t = admin.tenant_id();
    let key = stage_key(stage);
    let known = state.db.stage_names(t).await?;
    if !known.iter().any(|n| stage_key(n) == key) {
        return Err(AppError::Validation(
            "That stage is not in your ATS; sync and try again.".into(),
        ));
    }
    state.db.set_stage_mapping(t, &key, status).await?;
    super::audit::by_member(
        &state.db,
        &admin.member(),
        super::audit::action::STAGE_MAPPING,
        &format!("{stage} → {}", status.label()),
    )
    .await;
    Ok(())
}

/// Parses an IANA zone name.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// Saves the member's time zone.
pub async fn save_time_zone(
    state: &AppState,
    member: &TenantMember,
    zone: &str,
) -> Result<(), AppError> {
    let tz = parse_zone(zone).ok_or_else(|| {
        AppError::Validation(format!(
            "\u{201c}{}\u{201d} is not a time zone; choose one from the list.",
            zone.trim()
        ))
    })?;
    state
        .db
        .set_time_zone(member.login_id(), tz.name(), false)
        .await?;
    Ok(())
}
