//! Reading the tenant's ATS through Merge: users, jobs and job interview stages in full, then
//! the stage, outcome and interviews of marketplace applications only. A sync that fails on any
//! page changes none of the stored ATS data.

use std::collections::HashMap;

use merge::{
    types::{Application, CommonModel, Job, JobInterviewStage, RemoteUser},
    ListQuery, MergeError,
};

use super::{
    repo::{
        ats::{AtsJobRow, AtsSnapshot, AtsStageRow, AtsUserRow},
        connections::SyncProgress,
        requests::{ApplicationProgress, InterviewRow},
    },
    retry,
    stages::closed_as,
    state::AppState,
};

/// Records per page (Merge's maximum).
const PAGE_SIZE: u32 = 100;

/// Queues a sync of the tenant; a sync worker (in this or another server process) runs it as
/// soon as it is free.
pub async fn request_sync(state: &AppState, tenant_id: i64) -> anyhow::Result<()> {
    state.db.request_sync(tenant_id).await?;
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

    let users = read_all::<RemoteUser>(state, &token, run_id, &mut progress, |pr, n| pr.users += n)
        .await?
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
    let jobs = read_all::<Job>(state, &token, run_id, &mut progress, |pr, n| pr.jobs += n)
        .await?
        .into_iter()
        .map(|j| AtsJobRow {
            name: j.name.unwrap_or_else(|| format!("Job {}", j.id)),
            merge_id: j.id,
            code: j.code,
            status: j.status.map(|s| s.as_str().to_string()),
            remote_was_deleted: j.remote_was_deleted.unwrap_or(false),
        })
        .collect();
    let stages =
        read_all::<JobInterviewStage>(state, &token, run_id, &mut progress, |pr, n| pr.stages += n)
            .await?
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
    state.db.store_ats_snapshot(tenant_id, &snapshot).await?;

    let names = user_names(&snapshot.users);
    for (request_id, application_id) in state.db.open_applications(tenant_id).await? {
        let pr = read_application(state, &token, tenant_id, &application_id, &names).await?;
        state.db.store_progress(tenant_id, request_id, &pr).await?;
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

/// Reads every page of one model with the same parameters, reporting progress per page.
async fn read_all<M: CommonModel>(
    state: &AppState,
    token: &str,
    run_id: i64,
    progress: &mut SyncProgress,
    count: impl Fn(&mut SyncProgress, i64),
) -> anyhow::Result<Vec<M>> {
    let mut q = ListQuery::default()
        .page_size(PAGE_SIZE)
        .include_deleted_data(true);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = retry::read(|| state.merge.list::<M>(token, &q)).await?;
        let n = page.results.len() as i64;
        out.extend(page.results);
        progress.pages += 1;
        count(progress, n);
        state.db.sync_progress(run_id, *progress).await?;
        match page.next {
            Some(next) if seen.insert(next.clone()) => q.cursor = Some(next),
            Some(next) => anyhow::bail!("Merge returned the cursor {next} twice"),
            None => return Ok(out),
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
    let app: Application = retry::read(|| {
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
        let page = retry::read(|| state.merge.list_interviews(token, &q)).await?;
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
