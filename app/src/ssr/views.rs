//! Read models for the pages: rows from the repositories turned into the wire types of `api`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    auth::{TenantAdmin, TenantMember},
    repo::{ats::AtsUserRow, marketplace::PositionRow, requests::RequestRow},
    state::AppState,
    sync::display_name,
};
use crate::{
    api::{
        integration::{AtsUser, Connection, Integration, SyncState},
        positions::{AtsJob, JobMatches, Position, Positions, JOB_MATCHES},
        requests::{
            CandidateProfile, CandidateSummary, Interview, Invitation, Mail, RequestDetail,
            RequestSummary, Requests,
        },
    },
    error::AppError,
};

/// How times are shown: in the reader's zone, with the zone's abbreviation (e.g. SAST).
pub fn fmt_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// A start–end range on one line; the end shows only its time when on the same day.
fn fmt_range(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    if s.date_naive() == e.date_naive() {
        format!("{} – {}", s.format("%Y-%m-%d %H:%M"), e.format("%H:%M %Z"))
    } else {
        format!(
            "{} – {}",
            s.format("%Y-%m-%d %H:%M"),
            e.format("%Y-%m-%d %H:%M %Z")
        )
    }
}

fn ats_user(u: &AtsUserRow) -> AtsUser {
    AtsUser {
        id: u.merge_id.clone(),
        name: display_name(u),
        email: u.email.clone(),
        role: u.access_role.clone(),
        disabled: u.disabled,
    }
}

/// The integration page.
pub async fn integration(
    state: &AppState,
    member: &TenantMember,
    is_admin: bool,
) -> Result<Integration, AppError> {
    let t = member.tenant_id();
    let conn = state.db.connection(t).await?;
    let users = state.db.ats_users(t).await?;
    let connection = conn.map(|c| Connection {
        admin: c
            .verification_admin_id
            .as_ref()
            .and_then(|id| users.iter().find(|u| &u.merge_id == id))
            .map(ats_user),
        admin_problem: c.admin_problem,
        integration: c.integration_name,
        status: c.status,
        linked_at: fmt_time(c.linked_at, member.zone()),
        requires_admin: c.requires_remote_user_id,
    });
    let (latest, ok) = state.db.sync_runs(t).await?;
    let next_run = state.db.next_sync_at(t).await?;
    let sync = latest.map(|r| SyncState {
        run: r.id,
        running: r.state == "running",
        failed: r.state == "failed",
        error: r.error,
        pages: r.pages,
        users: r.users,
        jobs: r.jobs,
        stages: r.stages,
        applications: r.applications,
        started_at: fmt_time(r.started_at, member.zone()),
        last_success: ok
            .and_then(|o| o.finished_at)
            .map(|t| fmt_time(t, member.zone())),
        next_run: next_run.map(|t| fmt_time(t, member.zone())),
    });
    let c = state.db.ats_counts(t).await?;
    let link_script_url = state
        .config
        .link_script_url
        .clone()
        .unwrap_or_else(|| "/merge-link/initialize.js".into());
    Ok(Integration {
        connection,
        sync,
        counts: (c.users, c.jobs, c.stages),
        users: users.iter().filter(|u| !u.disabled).map(ats_user).collect(),
        is_admin,
        link_script_url,
    })
}

/// Chooses the verification admin among the tenant's active ATS users; resumes waiting pushes.
pub async fn choose_verification_admin(
    state: &AppState,
    admin: &TenantAdmin,
    user_id: &str,
) -> Result<(), AppError> {
    let t = admin.tenant_id();
    let user = state
        .db
        .ats_user(t, user_id.trim())
        .await?
        .filter(|u| !u.remote_was_deleted)
        .ok_or_else(|| AppError::Validation("Choose one of your ATS users.".into()))?;
    if user.disabled {
        return Err(AppError::Validation(format!(
            "{} is disabled in the ATS; choose an active user.",
            display_name(&user)
        )));
    }
    state.db.set_verification_admin(t, &user.merge_id).await?;
    state.db.requeue_waiting_pushes(t).await?;
    state.push_wake.notify_one();
    super::audit::by_member(
        &state.db,
        &admin.member(),
        super::audit::action::VERIFICATION_ADMIN,
        &format!("{} (ATS user {})", display_name(&user), user.merge_id),
    )
    .await;
    Ok(())
}

fn job_of(p: &PositionRow) -> Option<AtsJob> {
    p.ats_job_merge_id.as_ref().map(|id| AtsJob {
        id: id.clone(),
        name: p
            .job_name
            .clone()
            .unwrap_or_else(|| "Unknown ATS job".into()),
        code: p.job_code.clone(),
        status: p.job_status.clone(),
        deleted: p.job_deleted.unwrap_or(false),
    })
}

/// The positions page: the tenant's positions and the first ATS jobs matching `search`.
pub async fn positions(
    state: &AppState,
    member: &TenantMember,
    search: &str,
) -> Result<Positions, AppError> {
    let t = member.tenant_id();
    let positions = state.db.positions(t).await?;
    let jobs = job_matches(state, member, search).await?;
    Ok(Positions {
        positions: positions
            .iter()
            .map(|p| Position {
                id: p.public_id.clone(),
                title: p.title.clone(),
                job: job_of(p),
            })
            .collect(),
        jobs: jobs.jobs,
        more_jobs: jobs.more,
        connected: state.db.connection(t).await?.is_some(),
    })
}

/// The first [`JOB_MATCHES`] ATS jobs whose name or code contains `search`, and whether there
/// are more: pickers show a page of matches and ask for a narrower search, never every job.
pub async fn job_matches(
    state: &AppState,
    member: &TenantMember,
    search: &str,
) -> Result<JobMatches, AppError> {
    let mut rows = state
        .db
        .ats_jobs(member.tenant_id(), search, JOB_MATCHES as i64 + 1)
        .await?;
    let more = rows.len() > JOB_MATCHES;
    rows.truncate(JOB_MATCHES);
    Ok(JobMatches {
        jobs: rows
            .into_iter()
            .map(|j| AtsJob {
                id: j.merge_id,
                name: j.name,
                code: j.code,
                status: j.status,
                deleted: j.remote_was_deleted,
            })
            .collect(),
        more,
    })
}

fn summary(r: &RequestRow, zone: Tz) -> RequestSummary {
    RequestSummary {
        id: r.public_id.clone(),
        candidate: r.candidate_name.clone(),
        position: r.position_title.clone(),
        state: r.state.clone(),
        push: r.push_state.clone(),
        stage: r.current_stage_name.clone(),
        created_at: fmt_time(r.created_at, zone),
    }
}

/// The requests page.
pub async fn requests(state: &AppState, member: &TenantMember) -> Result<Requests, AppError> {
    let t = member.tenant_id();
    Ok(Requests {
        requests: state
            .db
            .requests(t)
            .await?
            .iter()
            .map(|r| summary(r, member.zone()))
            .collect(),
        positions: state
            .db
            .positions(t)
            .await?
            .into_iter()
            .map(|p| (p.public_id, p.title))
            .collect(),
        candidates: state
            .db
            .candidates()
            .await?
            .into_iter()
            .map(|c| CandidateSummary {
                id: c.public_id,
                name: c.full_name,
                headline: c.headline,
            })
            .collect(),
    })
}

/// One request of the member's tenant.
pub async fn request(
    state: &AppState,
    member: &TenantMember,
    id: &str,
) -> Result<RequestDetail, AppError> {
    let r = state
        .db
        .request(member.tenant_id(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let interviews = state.db.interviews(member.tenant_id(), r.id).await?;
    let mapping = state.db.stage_mapping(member.tenant_id()).await?;
    let zone = member.zone();
    Ok(RequestDetail {
        id: r.public_id.clone(),
        candidate_id: r.candidate_public_id.clone(),
        candidate: r.candidate_name.clone(),
        position: r.position_title.clone(),
        position_linked: r.ats_job_merge_id.is_some(),
        state: r.state.clone(),
        message: r.message.clone(),
        push_state: r.push_state.clone(),
        push_message: r.push_error.clone(),
        push_error_code: match (r.push_error_status, &r.push_error_problem) {
            (Some(st), Some(pr)) => Some(format!("HTTP {st} · {pr}")),
            (Some(st), None) => Some(format!("HTTP {st}")),
            (None, Some(pr)) => Some(pr.clone()),
            (None, None) => None,
        }
        .filter(|_| r.push_state.as_deref() != Some("done")),
        admin_invalid: r.push_state.as_deref() == Some("waiting")
            && r.push_error
                .as_deref()
                .is_some_and(|m| m.starts_with(super::push::ADMIN_INVALID)),
        correlation_id: r.push_correlation_id.clone(),
        ats_candidate_id: r.ats_candidate_id.clone(),
        ats_application_id: r.ats_application_id.clone(),
        ats_attachment_id: r.ats_attachment_id.clone(),
        marketplace_status: r
            .current_stage_name
            .as_deref()
            .map(|s| mapping.status(s).label().to_string()),
        stage: r.current_stage_name.clone(),
        reject_reason: r.reject_reason.clone(),
        outcome_at: r.outcome_at.map(|t| fmt_time(t, zone)),
        stage_history: state
            .db
            .stage_history(member.tenant_id(), r.id)
            .await?
            .into_iter()
            .map(|(name, at)| (name.unwrap_or_else(|| "—".into()), fmt_time(at, zone)))
            .collect(),
        interviews: interviews
            .into_iter()
            .map(|i| Interview {
                when: match (i.start_at, i.end_at) {
                    (Some(s), Some(e)) => fmt_range(s, e, zone),
                    (Some(s), None) => fmt_time(s, zone),
                    _ => "time not set".into(),
                },
                location: i.location,
                status: if i.remote_was_deleted {
                    "cancelled".into()
                } else {
                    i.status
                        .unwrap_or_else(|| "scheduled".into())
                        .to_lowercase()
                },
                organizer: i.organizer,
                interviewers: i.interviewers,
            })
            .collect(),
    })
}

/// A marketplace candidate's profile.
pub async fn candidate(state: &AppState, id: &str) -> Result<CandidateProfile, AppError> {
    let c = state
        .db
        .candidate_by_public_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p: profile_pdf::Profile =
        serde_json::from_str(&c.profile_json).map_err(anyhow::Error::from)?;
    Ok(CandidateProfile {
        name: p.full_name,
        headline: p.headline,
        location: p.location,
        skills: p.skills,
        experience: p
            .experience
            .into_iter()
            .map(|e| (e.title, e.company, e.period))
            .collect(),
    })
}

/// What the candidate's answer page shows.
pub async fn invitation(state: &AppState, request_id: &str) -> Result<Invitation, AppError> {
    let r = state
        .db
        .request_unscoped(request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, company) = state.db.tenant(r.tenant_id).await?;
    Ok(Invitation {
        company,
        position: r.position_title,
        message: r.message,
        candidate: r.candidate_name,
        state: r.state,
    })
}

/// The demo mailbox.
pub async fn mailbox(state: &AppState) -> Result<Vec<Mail>, AppError> {
    Ok(state
        .db
        .mailbox()
        .await?
        .into_iter()
        .map(|m| Mail {
            to: m.to_email,
            subject: m.subject,
            body: m.body,
            link: m.link,
            at: fmt_time(m.created_at, chrono_tz::UTC),
        })
        .collect())
}
