//! Reading the tenant's ATS through Merge: users, jobs and job interview stages, then the
//! stage, outcome and interviews of marketplace applications only. A sync that fails on any
//! page changes none of the stored ATS data.
//!
//! Most syncs are incremental: each model is asked only for records modified after the start
//! of its last completed pull (minus an overlap, `ATSB_SYNC_OVERLAP_SECS`), deleted ones
//! included, and what
//! comes back is upserted by Merge id. A full pass (the first sync, Sync now, and every
//! `ATSB_FULL_SYNC_EVERY_SECS`) reads everything, and only a full pass that read every page
//! marks records it did not see as deleted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use merge::{
    types::{Application, CommonModel, Job, JobInterviewStage, RemoteUser},
    ListQuery, MergeError,
};

use super::{
    events,
    repo::{
        ats::{AtsJobRow, AtsSnapshot, AtsStageRow, AtsUserRow},
        connections::SyncProgress,
        now,
        requests::{ApplicationProgress, InterviewRow},
    },
    retry,
    stages::closed_as,
    state::AppState,
};

/// Records per page (Merge's maximum).
const PAGE_SIZE: u32 = 100;

/// Whether this sync reads everything, given when the last full pass completed.
pub fn is_full_pass(
    last_full_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    every: std::time::Duration,
) -> bool {
    match last_full_at {
        None => true,
        Some(at) => now - at >= chrono::Duration::from_std(every).unwrap_or(chrono::Duration::MAX),
    }
}

/// Where an incremental pull of a model starts: its watermark minus the overlap (None: the
/// whole model). The overlap covers clock skew between Merge and us and records written while
/// the last pull was reading; records read twice are simply upserted again.
pub fn pull_from(
    watermark: Option<DateTime<Utc>>,
    overlap: std::time::Duration,
) -> Option<DateTime<Utc>> {
    let overlap = chrono::Duration::from_std(overlap).unwrap_or(chrono::Duration::MAX);
    watermark.map(|w| w - overlap)
}

/// Queues a sync of the tenant; a sync worker (in this or another server process) runs it as
/// soon as it is free. `full` makes it a full pass (Sync now, a new connection).
pub async fn request_sync(state: &AppState, tenant_id: i64, full: bool) -> anyhow::Result<()> {
    state.db.request_sync(tenant_id).await?;
    if full {
        state.db.want_full_sync(tenant_id).await?;
    }
    state.sync_wake.notify_one();
    Ok(())
}

/// Runs the sync of a tenant whose lease this worker just took. A run still marked running
/// was abandoned by a process that stopped (nobody else holds the lease).
pub async fn run_leased(state: &AppState, tenant_id: i64) -> anyhow::Result<bool> {
    let abandoned = state
        .db
        .fail_running_sync_runs(
            tenant_id,
            "Interrupted: the server running it stopped. A new sync has started.",
        )
        .await?;
    if abandoned > 0 {
        tracing::warn!(tenant = tenant_id, "took over an abandoned sync");
    }
    sync_tenant(state, tenant_id).await
}

/// Runs one full sync of the tenant. Returns false if another sync was already running.
pub async fn sync_tenant(state: &AppState, tenant_id: i64) -> anyhow::Result<bool> {
    let Some(run_id) = state.db.start_sync_run(tenant_id).await? else {
        return Ok(false);
    };
    let result = run(state, tenant_id, run_id).await;
    let error = result.as_ref().err().map(user_message);
    state.db.finish_sync_run(run_id, error.as_deref()).await?;
    events::publish(state, tenant_id, "sync", None).await;
    result.map(|_| true)
}

/// The sync error as a hiring manager reads it on the integration page.
fn user_message(e: &anyhow::Error) -> String {
    match e.downcast_ref::<MergeError>() {
        Some(m) => format!(
            "The ATS did not answer: {}",
            super::merge_errors::describe(m)
        ),
        None => "The sync stopped because of an internal error; it will be retried.".into(),
    }
}

async fn run(state: &AppState, tenant_id: i64, run_id: i64) -> anyhow::Result<()> {
    let Some(conn) = state.db.connection(tenant_id).await? else {
        anyhow::bail!("no ATS connection");
    };
    let token = state.crypto.decrypt(&conn.account_token_enc)?;
    let mut progress = SyncProgress::default();
    let marks = state.db.watermarks(tenant_id).await?;
    let full = is_full_pass(marks.last_full_at, now(), state.config.full_sync_every);
    let pull = |model: &str| Pull {
        tenant_id,
        run_id,
        since: if full {
            None
        } else {
            pull_from(
                marks.pulled_from.get(model).copied(),
                state.config.sync_overlap,
            )
        },
    };

    let (users, users_from) = pull("users")
        .read_all::<RemoteUser>(state, &token, &mut progress, |pr, n| pr.users += n)
        .await?;
    let users = users
        .into_iter()
        .map(|u| AtsUserRow {
            merge_id: u.id,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email,
            access_role: u.access_role.map(|r| r.as_str().to_string()),
            disabled: u.disabled.unwrap_or(false),
            remote_was_deleted: u.remote_was_deleted.unwrap_or(false),
        })
        .collect();
    let (jobs, jobs_from) = pull("jobs")
        .read_all::<Job>(state, &token, &mut progress, |pr, n| pr.jobs += n)
        .await?;
    let jobs = jobs
        .into_iter()
        .map(|j| AtsJobRow {
            name: j.name.unwrap_or_else(|| format!("Job {}", j.id)),
            merge_id: j.id,
            code: j.code,
            status: j.status.map(|s| s.as_str().to_string()),
            remote_was_deleted: j.remote_was_deleted.unwrap_or(false),
        })
        .collect();
    let (stages, stages_from) = pull("stages")
        .read_all::<JobInterviewStage>(state, &token, &mut progress, |pr, n| pr.stages += n)
        .await?;
    let stages = stages
        .into_iter()
        .map(|s| AtsStageRow {
            name: s.name.unwrap_or_else(|| "Unnamed stage".into()),
            job_merge_id: s.job.as_ref().map(|j| j.id().to_string()),
            merge_id: s.id,
            stage_order: s.stage_order,
            remote_was_deleted: s.remote_was_deleted.unwrap_or(false),
        })
        .collect();
    let snapshot = AtsSnapshot {
        users,
        jobs,
        stages,
    };
    state
        .db
        .store_ats_snapshot(tenant_id, &snapshot, full)
        .await?;
    state
        .db
        .save_watermarks(
            tenant_id,
            &[
                ("users", users_from),
                ("jobs", jobs_from),
                ("stages", stages_from),
            ],
            full,
        )
        .await?;

    let names = user_names(&snapshot.users);
    for (request_id, application_id) in state.db.open_applications(tenant_id).await? {
        let pr = read_application(state, &token, tenant_id, &application_id, &names).await?;
        state.db.store_progress(tenant_id, request_id, &pr).await?;
        events::publish(state, tenant_id, "request", None).await;
        progress.applications += 1;
        state.db.sync_progress(run_id, progress).await?;
    }
    Ok(())
}

/// Reads one marketplace application (after a webhook said it changed) and stores its stage,
/// outcome and interviews.
pub async fn sync_application(
    state: &AppState,
    tenant_id: i64,
    request_id: i64,
    application_id: &str,
) -> anyhow::Result<()> {
    let Some(conn) = state.db.connection(tenant_id).await? else {
        anyhow::bail!("no ATS connection");
    };
    let token = state.crypto.decrypt(&conn.account_token_enc)?;
    let users = state.db.ats_users(tenant_id).await?;
    let pr = read_application(
        state,
        &token,
        tenant_id,
        application_id,
        &user_names(&users),
    )
    .await?;
    state.db.store_progress(tenant_id, request_id, &pr).await?;
    events::publish(state, tenant_id, "request", None).await;
    Ok(())
}

/// Display names of ATS users by Merge id (interviewers and organizers are shown by name).
fn user_names(users: &[AtsUserRow]) -> HashMap<String, String> {
    users
        .iter()
        .map(|u| (u.merge_id.clone(), display_name(u)))
        .collect()
}

/// A user's display name.
pub fn display_name(u: &AtsUserRow) -> String {
    let name = [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.trim().is_empty() {
        u.email.clone().unwrap_or_else(|| u.merge_id.clone())
    } else {
        name
    }
}

/// One model's pull within a sync run.
struct Pull {
    tenant_id: i64,
    run_id: i64,
    /// Only records modified after this (None: all of them).
    since: Option<DateTime<Utc>>,
}

impl Pull {
    /// Reads every page of one model with the same parameters, reporting progress per page.
    /// Returns the records and when the pull started (the model's next watermark).
    async fn read_all<M: CommonModel>(
        &self,
        state: &AppState,
        token: &str,
        progress: &mut SyncProgress,
        count: impl Fn(&mut SyncProgress, i64),
    ) -> anyhow::Result<(Vec<M>, DateTime<Utc>)> {
        let started = now();
        let mut q = ListQuery::default()
            .page_size(PAGE_SIZE)
            .include_deleted_data(true);
        if let Some(since) = self.since {
            q = q.modified_after(since);
        }
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut announced = std::time::Instant::now();
        loop {
            let page =
                retry::read(state, self.tenant_id, || state.merge.list::<M>(token, &q)).await?;
            let n = page.results.len() as i64;
            out.extend(page.results);
            progress.pages += 1;
            count(progress, n);
            state.db.sync_progress(self.run_id, *progress).await?;
            // Open integration pages follow a long sync, a few times a second at most.
            if announced.elapsed() >= std::time::Duration::from_millis(500) {
                events::publish(state, self.tenant_id, "sync", None).await;
                announced = std::time::Instant::now();
            }
            match page.next {
                Some(next) if seen.insert(next.clone()) => q.cursor = Some(next),
                Some(next) => anyhow::bail!("Merge returned the cursor {next} twice"),
                None => return Ok((out, started)),
            }
        }
    }
}

/// Reads one marketplace application and its interviews. Only applications that came
/// through the marketplace are ever read here, so nothing foreign is stored.
async fn read_application(
    state: &AppState,
    token: &str,
    tenant_id: i64,
    application_id: &str,
    names: &HashMap<String, String>,
) -> anyhow::Result<ApplicationProgress> {
    let app: Application = retry::read(state, tenant_id, || {
        state
            .merge
            .retrieve_application(token, application_id, &["current_stage", "reject_reason"])
    })
    .await?;
    let stage_id = app.current_stage.as_ref().map(|s| s.id().to_string());
    let stage_name = match app.current_stage.as_ref() {
        Some(merge::types::Ref::Object(s)) => s.name.clone(),
        Some(r) => state.db.ats_stage_name(tenant_id, r.id()).await?,
        None => None,
    };
    let reject_reason = app.reject_reason.as_ref().map(|r| match r {
        merge::types::Ref::Object(o) => o.name.clone().unwrap_or_else(|| "Rejected".into()),
        merge::types::Ref::Id(_) => "Rejected".into(),
    });
    let mapping = state.db.stage_mapping(tenant_id).await?;
    let status = stage_name.as_deref().map(|n| mapping.status(n));
    let closed = closed_as(app.rejected_at.is_some(), status);

    let mut q = ListQuery::default()
        .page_size(PAGE_SIZE)
        .include_deleted_data(true)
        .filter("application_id", application_id);
    let mut interviews = Vec::new();
    loop {
        let page = retry::read(state, tenant_id, || state.merge.list_interviews(token, &q)).await?;
        for i in page.results {
            // Defence in depth: keep only interviews of this marketplace application.
            if i.application.as_ref().map(|a| a.id()) != Some(application_id) {
                continue;
            }
            let name_of = |r: &merge::types::Ref<merge::types::RemoteUser>| {
                names
                    .get(r.id())
                    .cloned()
                    .unwrap_or_else(|| "Unknown user".into())
            };
            interviews.push(InterviewRow {
                merge_id: i.id.clone(),
                start_at: i.start_at,
                end_at: i.end_at,
                location: i.location.clone(),
                status: i.status.as_ref().map(|s| s.as_str().to_string()),
                organizer: i.organizer.as_ref().map(name_of),
                interviewers: i
                    .interviewers
                    .iter()
                    .flatten()
                    .map(name_of)
                    .collect::<Vec<_>>()
                    .join(", "),
                remote_was_deleted: i.remote_was_deleted.unwrap_or(false),
            });
        }
        match page.next {
            Some(next) if q.cursor.as_deref() != Some(next.as_str()) => q.cursor = Some(next),
            _ => break,
        }
    }
    Ok(ApplicationProgress {
        stage_id,
        stage_name,
        closed_as: closed,
        reject_reason,
        interviews,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_first_sync_and_a_stale_one_are_full_passes() {
        let day = std::time::Duration::from_secs(86_400);
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        assert!(is_full_pass(None, now, day));
        assert!(!is_full_pass(
            Some(now - chrono::Duration::hours(23)),
            now,
            day
        ));
        assert!(is_full_pass(
            Some(now - chrono::Duration::hours(24)),
            now,
            day
        ));
    }

    #[test]
    fn an_incremental_pull_reaches_back_by_the_overlap() {
        let mark = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let two_minutes = std::time::Duration::from_secs(120);
        assert_eq!(
            pull_from(Some(mark), two_minutes),
            Some(Utc.with_ymd_and_hms(2026, 12, 3, 11, 58, 0).unwrap())
        );
        assert_eq!(pull_from(None, two_minutes), None);
    }
}
