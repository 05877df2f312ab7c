//! Building the application from its configuration and serving it: connect and migrate the
//! database, start the embedded sandbox when no Merge key is set, seed demo data, start workers.

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use tokio::{net::TcpListener, sync::watch};

use super::{
    config::{Config, MergeMode},
    crypto::{secret_token, Crypto},
    db::Db,
    router, seed,
    state::AppState,
    worker,
};

/// Builds the state: database (migrated), Merge client, sandbox, demo seed.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    let (merge, sandbox) = match &config.merge {
        MergeMode::Remote { api_root, api_key } => (
            merge::Client::new(api_root.clone(), api_key.clone())
                .context("building the Merge client")?,
            None,
        ),
        MergeMode::Sandbox => {
            let key = secret_token();
            // The sandbox sends its signed webhooks to us, as Merge would.
            let sandbox = merge::sandbox::Sandbox::new(merge::sandbox::SandboxConfig {
                api_key: key.clone(),
                webhook_key: Some(config.webhook_key.expose_secret().to_string()),
                webhook_url: Some(config.public_url.join("/webhooks/merge")?),
                requests_per_minute: 100,
            });
            let (addr, _task) = sandbox
                .serve(SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .context("starting the embedded Merge sandbox")?;
            let root = url::Url::parse(&format!("http://{addr}/api"))?;
            tracing::warn!("MERGE_API_KEY is not set: using the embedded Merge sandbox at {root}");
            (
                merge::Client::new(root, SecretString::from(key))?,
                Some(sandbox),
            )
        }
    };
    if config.seed_demo && seed::seed_demo(&db).await? {
        tracing::info!("seeded the demo company");
    }
    Ok(AppState {
        csp: router::content_security_policy(&config),
        leptos_options,
        crypto: Crypto::new(&config.encryption_key)
            .with_previous(config.previous_encryption_key.as_ref()),
        config: Arc::new(config),
        db,
        merge,
        sandbox,
        push_wake: Arc::new(tokio::sync::Notify::new()),
        sync_wake: Arc::new(tokio::sync::Notify::new()),
        events: Default::default(),
        merge_failures: Default::default(),
        worker_id: format!(
            "worker-{}",
            secret_token().chars().take(10).collect::<String>()
        )
        .into(),
    })
}

/// Serves `state` on `listener` until `shutdown` turns true; starts the workers if configured.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    // SQLite allows one process's workers per database file; a second process serves HTTP only.
    let guard = match state.config.workers {
        true => single_process_guard(&state.config.database_url)?,
        false => None,
    };
    let workers = match (state.config.workers, &guard) {
        (false, _) => Vec::new(),
        (true, Some(WorkerGuard::Refused(path))) => {
            tracing::error!(
                "another server process runs the workers for the SQLite database {} — this one \
                 refuses to start its workers and serves HTTP only (use PostgreSQL to run several \
                 processes)",
                path.display()
            );
            Vec::new()
        }
        (true, _) => worker::start(state.clone(), shutdown.clone()),
    };
    super::events::spawn_listener(&state);
    let app = router::router(state);
    let mut stop = shutdown;
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        while !*stop.borrow() {
            if stop.changed().await.is_err() {
                break;
            }
        }
    })
    .await
    .context("serving HTTP");
    // The workers give back their leases before the process exits.
    for w in workers {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), w).await;
    }
    drop(guard);
    served
}

/// The lock that makes one process the worker of a SQLite database file.
enum WorkerGuard {
    /// This process holds the lock (released when dropped, or when the process dies).
    Held(#[allow(dead_code)] std::fs::File),
    /// Another process holds it.
    Refused(std::path::PathBuf),
}

/// On SQLite, takes an exclusive `flock` on `<database>.workers.lock`; None on PostgreSQL.
fn single_process_guard(database_url: &str) -> anyhow::Result<Option<WorkerGuard>> {
    use std::os::fd::AsRawFd;
    let Some(path) = super::db::sqlite_file(database_url) else {
        return Ok(None);
    };
    let lock_path = path.with_extension("workers.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    // SAFETY: flock(2) on a file descriptor we own; no memory is shared.
    let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    Ok(Some(if locked {
        WorkerGuard::Held(file)
    } else {
        WorkerGuard::Refused(path)
    }))
}
