//! Positions: create, import from an ATS job, link to a job, unlink. Jobs are always looked
//! up in the member's own tenant, so a forged job id from another tenant is "not found".

use super::{auth::TenantMember, state::AppState};
use crate::error::AppError;

fn clean_title(title: &str) -> Result<String, AppError> {
    let t = title.trim();
    match t.chars().count() {
        0 => Err(AppError::Validation("Give the position a title.".into())),
        n if n > 200 => Err(AppError::Validation(
            "The title is too long (200 characters at most).".into(),
        )),
        _ => Ok(t.to_string()),
    }
}

/// Creates an unlinked position.
pub async fn create(
    state: &AppState,
    member: &TenantMember,
    title: &str,
) -> Result<String, AppError> {
    let title = clean_title(title)?;
    Ok(state
        .db
        .create_position(member.tenant_id(), &title, None)
        .await?)
}

/// Imports an ATS job of the tenant as a new, linked position.
pub async fn import(
    state: &AppState,
    member: &TenantMember,
    job_id: &str,
) -> Result<String, AppError> {
    let job = usable_job(state, member, job_id).await?;
    let position = state
        .db
        .create_position(
            member.tenant_id(),
            &clean_title(&job.name)?,
            Some(&job.merge_id),
        )
        .await?;
    super::audit::by_member(
        &state.db,
        member,
        super::audit::action::IMPORT_JOB,
        &format!(
            "{} (ATS job {}) as position {position}",
            job.name, job.merge_id
        ),
    )
    .await;
    Ok(position)
}

/// Links a position to a job (Some) or unlinks it (None).
pub async fn link(
    state: &AppState,
    member: &TenantMember,
    position_id: &str,
    job_id: Option<&str>,
) -> Result<(), AppError> {
    let job = match job_id {
        Some(id) => Some(usable_job(state, member, id).await?.merge_id),
        None => None,
    };
    if state
        .db
        .set_position_job(member.tenant_id(), position_id, job.as_deref())
        .await?
    {
        if job.is_some() {
            state.db.requeue_waiting_pushes(member.tenant_id()).await?;
            state.push_wake.notify_one();
        }
        let (action, detail) = match &job {
            Some(j) => (
                super::audit::action::LINK_POSITION,
                format!("position {position_id} to ATS job {j}"),
            ),
            None => (
                super::audit::action::UNLINK_POSITION,
                format!("position {position_id}"),
            ),
        };
        super::audit::by_member(&state.db, member, action, &detail).await;
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn usable_job(
    state: &AppState,
    member: &TenantMember,
    job_id: &str,
) -> Result<super::repo::ats::AtsJobRow, AppError> {
    let job = state
        .db
        .ats_job(member.tenant_id(), job_id.trim())
        .await?
        .ok_or_else(|| AppError::Validation("Choose one of your ATS jobs.".into()))?;
    if job.remote_was_deleted {
        return Err(AppError::Validation(format!(
            "\u{201c}{}\u{201d} was deleted in the ATS.",
            job.name
        )));
    }
    Ok(job)
}
