//! The ATS Bridge server binary: read the configuration, build the application, serve it, and
//! stop cleanly on Ctrl-C or SIGTERM.

mod commands;

use anyhow::Context;
use app::ssr::{config::Config, seed, startup};
use leptos::prelude::get_configuration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        // Colours only on a terminal: logs collected from a pipe stay plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(result) = commands::run(&args).await {
        if let Err(e) = result {
            eprintln!("{e:#}");
            std::process::exit(1);
        }
        return Ok(());
    }
    let leptos = get_configuration(None).context("reading the Leptos configuration")?;
    let options = leptos.leptos_options;
    let addr = options.site_addr;
    let config = Config::from_env().context("reading the configuration")?;
    let sandbox = config.is_sandbox();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    let config = config.with_bound_addr(local);
    tracing::info!(?config, "starting ATS Bridge");
    let state = startup::build_state(config, options).await?;
    println!("ATS Bridge is running on http://{local}");
    if sandbox {
        println!("Demo login: {} / {}", seed::DEMO_EMAIL, seed::DEMO_PASSWORD);
        println!("Demo mailbox (candidate links, invitations): http://{local}/dev/mailbox");
        println!("Support staff: server create-user --support --email <e-mail> --name <name>");
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = tx.send(true);
    });
    startup::serve(state, listener, rx).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
