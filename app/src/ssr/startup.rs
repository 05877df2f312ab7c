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
    db.fail_abandoned_sync_runs().await?;
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
        leptos_options,
        crypto: Crypto::new(&config.encryption_key),
        config: Arc::new(config),
        db,
        merge,
        sandbox,
        push_wake: Arc::new(tokio::sync::Notify::new()),
    })
}

/// Serves `state` on `listener` until `shutdown` turns true; starts the workers if configured.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    if state.config.workers {
        worker::start(state.clone(), state.config.sync_interval, shutdown.clone());
    }
    let app = router::router(state);
    let mut stop = shutdown;
    axum::serve(
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
    .context("serving HTTP")
}
