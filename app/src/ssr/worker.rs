//! Background work: push workers, sync workers and the tenant health evaluation. Both lease their jobs in the database, so
//! several server processes on one PostgreSQL share the work without running the same push or
//! tenant twice, and a killed process's work is taken over when its lease lapses. On shutdown
//! the workers stop claiming, give back what they hold and return.

use std::{future::Future, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

use super::{push, repo::push_jobs::PushJob, state::AppState, sync};

/// How often idle workers look for due work even without a wake-up.
const POLL: Duration = Duration::from_secs(2);

/// Starts the workers; they return when `shutdown` turns true.
pub fn start(state: AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let mut handles = vec![tokio::spawn(push_loop(state.clone(), shutdown.clone()))];
    handles.push(tokio::spawn(super::health::run(
        state.clone(),
        shutdown.clone(),
    )));
    for _ in 0..state.config.sync_workers {
        handles.push(tokio::spawn(sync_loop(state.clone(), shutdown.clone())));
    }
    tracing::info!(worker = %state.worker_id, sync_workers = state.config.sync_workers, "workers started");
    handles
}

/// True once shutdown was asked for (or its sender is gone).
fn stopping(shutdown: &watch::Receiver<bool>) -> bool {
    *shutdown.borrow() || shutdown.has_changed().is_err()
}

fn lease_of(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::seconds(60))
}

/// Waits for a wake-up, the poll interval or shutdown.
async fn idle(wake: &tokio::sync::Notify, shutdown: &mut watch::Receiver<bool>) {
    tokio::select! {
        _ = wake.notified() => {}
        _ = tokio::time::sleep(POLL) => {}
        _ = shutdown.changed() => {}
    }
}

/// How leased work ended.
enum Leased<T> {
    Done(T),
    /// Shutdown came first: the work was dropped; the caller gives the lease back.
    Shutdown,
    /// Another process holds the lease now (ours lapsed): the work was dropped at once, so two
    /// processes never carry on with the same job.
    Lost,
}

/// Runs `work` while renewing its lease every third of the lease; `renew` answers whether the
/// lease is still ours.
async fn leased<T, R>(
    work: impl Future<Output = T>,
    lease: chrono::Duration,
    mut renew: impl FnMut() -> R,
    shutdown: &mut watch::Receiver<bool>,
) -> Leased<T>
where
    R: Future<Output = bool>,
{
    tokio::pin!(work);
    let every = (lease / 3).to_std().unwrap_or(Duration::from_secs(20));
    loop {
        tokio::select! {
            result = &mut work => return Leased::Done(result),
            _ = tokio::time::sleep(every) => {
                if !renew().await {
                    return Leased::Lost;
                }
            }
            _ = shutdown.changed() => return Leased::Shutdown,
        }
    }
}

async fn push_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let lease = lease_of(state.config.push_lease);
    while !stopping(&shutdown) {
        let job: PushJob = match state.db.claim_push(lease).await {
            Ok(Some(job)) => job,
            Ok(None) => {
                idle(&state.push_wake, &mut shutdown).await;
                continue;
            }
            Err(e) => {
                tracing::error!("claiming a push failed: {e}");
                idle(&state.push_wake, &mut shutdown).await;
                continue;
            }
        };
        let id = job.id;
        // A push's steps look before they write (and check the lease before each write), so a
        // renewal only extends it.
        let renew = || {
            let db = state.db.clone();
            async move {
                if let Err(e) = db.renew_push_lease(id, lease).await {
                    tracing::warn!(push = id, "renewing a push lease failed: {e}");
                }
                true
            }
        };
        match leased(push::run(&state, job), lease, renew, &mut shutdown).await {
            Leased::Done(Err(e)) => {
                tracing::error!(push = id, "recording a push outcome failed: {e:#}")
            }
            Leased::Done(Ok(())) | Leased::Lost => {}
            // Stopped mid-push: every step looks before it writes, so giving the push back is
            // safe; another process (or this one after a restart) resumes it.
            Leased::Shutdown => {
                if let Err(e) = state.db.release_push(id).await {
                    tracing::warn!(push = id, "releasing a push lease failed: {e}");
                }
            }
        }
    }
}

async fn sync_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let lease = lease_of(state.config.sync_lease);
    let every = lease_of(state.config.sync_interval);
    let owner = state.worker_id.clone();
    while !stopping(&shutdown) {
        let tenant = match state.db.claim_sync(&owner, lease).await {
            Ok(Some(t)) => t,
            Ok(None) => {
                idle(&state.sync_wake, &mut shutdown).await;
                continue;
            }
            Err(e) => {
                tracing::error!("claiming a sync failed: {e}");
                idle(&state.sync_wake, &mut shutdown).await;
                continue;
            }
        };
        let renew = || {
            let (db, owner) = (state.db.clone(), owner.clone());
            async move {
                match db.renew_sync_lease(tenant, &owner, lease).await {
                    Ok(held) => held,
                    // The database is unreachable: carry on; the next renewal tells.
                    Err(e) => {
                        tracing::warn!(tenant, "renewing a sync lease failed: {e}");
                        true
                    }
                }
            }
        };
        match leased(
            sync::run_leased(&state, tenant),
            lease,
            renew,
            &mut shutdown,
        )
        .await
        {
            Leased::Done(result) => {
                if let Err(e) = result {
                    tracing::warn!(tenant, "sync failed: {e:#}");
                }
                if let Err(e) = state.db.finish_sync(tenant, &owner, every).await {
                    tracing::error!(tenant, "finishing a sync failed: {e}");
                }
            }
            // Our lease lapsed (a stalled process) and another process took the sync over; it
            // marked our run interrupted when it started its own.
            Leased::Lost => {
                tracing::warn!(
                    tenant,
                    "lost the sync lease to another process; stopped this sync"
                )
            }
            Leased::Shutdown => {
                let _ = state
                    .db
                    .fail_running_sync_runs(
                        tenant,
                        "Interrupted: the server is restarting. It resumes shortly.",
                    )
                    .await;
            }
        }
    }
    // Whatever this process still holds goes back now, not when the lease lapses.
    match state.db.release_sync_leases(&owner).await {
        Ok(n) if n > 0 => tracing::info!(released = n, "gave back sync leases on shutdown"),
        Ok(_) => {}
        Err(e) => tracing::warn!("giving back sync leases failed: {e}"),
    }
}
