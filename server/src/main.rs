//! The ATS Bridge server binary: read the configuration, build the application, serve it, and
//! stop cleanly on Ctrl-C or SIGTERM.

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
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] | ["serve"] => {}
        ["erase-candidate", who] => return erase_candidate(who).await,
        _ => {
            eprintln!(
                "usage: server [serve]\n       server erase-candidate <candidate id or e-mail>"
            );
            std::process::exit(2);
        }
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
        println!("Demo mailbox (candidate links): http://{local}/dev/mailbox");
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = tx.send(true);
    });
    startup::serve(state, listener, rx).await
}

/// `server erase-candidate <id or e-mail>`: erases a marketplace candidate's data here and
/// cancels their queued pushes (the same as `DELETE /api/v1/candidates/{id}`).
async fn erase_candidate(who: &str) -> anyhow::Result<()> {
    let config = Config::from_env().context("reading the configuration")?;
    let db = app::ssr::db::Db::connect(&config.database_url).await?;
    match db.erase_candidate(who).await? {
        Some(e) => {
            println!(
                "Erased candidate {}: {} interview request(s) removed, {} queued push(es) cancelled.",
                e.candidate_id, e.requests_removed, e.pushes_cancelled
            );
            Ok(())
        }
        None => {
            eprintln!("No candidate with id or e-mail {who:?}; nothing was changed.");
            std::process::exit(1);
        }
    }
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
