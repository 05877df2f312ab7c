//! Background work: the push worker (woken when a push is queued, polling as a safety net)
//! and the periodic sync of every connected tenant.

use std::time::Duration;

use tokio::sync::watch;

use super::{push, state::AppState, sync};

/// Starts the workers; they stop when `shutdown` turns true.
pub fn start(state: AppState, sync_every: Duration, shutdown: watch::Receiver<bool>) {
    tokio::spawn(push_loop(state.clone(), shutdown.clone()));
    tokio::spawn(sync_loop(state, sync_every, shutdown));
}

async fn push_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let lease = chrono::Duration::from_std(state.config.push_lease)
        .unwrap_or(chrono::Duration::seconds(60));
    loop {
        loop {
            if *shutdown.borrow() {
                return;
            }
            match state.db.claim_push(lease).await {
                Ok(Some(job)) => {
                    let id = job.id;
                    if let Err(e) = run_leased(&state, job, lease).await {
                        tracing::error!(push = id, "recording a push outcome failed: {e:#}");
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::error!("claiming a push failed: {e}");
                    break;
                }
            }
        }
        tokio::select! {
            _ = state.push_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Runs a claimed push, renewing its lease every third of the lease while it runs, so a live
/// worker keeps it and a dead one loses it soon.
async fn run_leased(
    state: &AppState,
    job: super::repo::push_jobs::PushJob,
    lease: chrono::Duration,
) -> anyhow::Result<()> {
    let id = job.id;
    let run = push::run(state, job);
    tokio::pin!(run);
    let every = (lease / 3).to_std().unwrap_or(Duration::from_secs(20));
    loop {
        tokio::select! {
            result = &mut run => return result,
            _ = tokio::time::sleep(every) => {
                if let Err(e) = state.db.renew_push_lease(id, lease).await {
                    tracing::warn!(push = id, "renewing a push lease failed: {e}");
                }
            }
        }
    }
}

async fn sync_loop(state: AppState, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let tenants = match state.db.connected_tenants().await {
            Ok(t) => t,
            Err(e) => {
                tracing::error!("listing connected tenants failed: {e}");
                continue;
            }
        };
        for tenant in tenants {
            if *shutdown.borrow() {
                return;
            }
            if let Err(e) = sync::sync_tenant(&state, tenant).await {
                tracing::warn!(tenant, "periodic sync failed: {e:#}");
            }
        }
    }
}
