//! Runs the Merge sandbox on its own: `SANDBOX_ADDR` (default `127.0.0.1:4010`), `MERGE_API_KEY`
//! (default `sandbox-key`), optional `SANDBOX_WEBHOOK_URL` + `MERGE_WEBHOOK_KEY` and
//! `SANDBOX_REQUESTS_PER_MINUTE` (default 100). Prints the base URL; stops on Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

use merge::sandbox::{Sandbox, SandboxConfig, LINK_SCRIPT_PATH};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn config() -> Result<(SocketAddr, SandboxConfig), String> {
    let addr_text = env("SANDBOX_ADDR").unwrap_or_else(|| "127.0.0.1:4010".to_owned());
    let addr: SocketAddr = addr_text
        .parse()
        .map_err(|e| format!("SANDBOX_ADDR {addr_text:?} is not host:port: {e}"))?;
    let webhook_url = match env("SANDBOX_WEBHOOK_URL") {
        Some(u) => {
            Some(url::Url::parse(&u).map_err(|e| format!("SANDBOX_WEBHOOK_URL {u:?}: {e}"))?)
        }
        None => None,
    };
    let webhook_key = env("MERGE_WEBHOOK_KEY");
    if webhook_url.is_some() && webhook_key.is_none() {
        return Err("SANDBOX_WEBHOOK_URL needs MERGE_WEBHOOK_KEY to sign webhooks".to_owned());
    }
    let requests_per_minute = match env("SANDBOX_REQUESTS_PER_MINUTE") {
        Some(n) => n
            .parse()
            .map_err(|e| format!("SANDBOX_REQUESTS_PER_MINUTE {n:?}: {e}"))?,
        None => 100,
    };
    Ok((
        addr,
        SandboxConfig {
            api_key: env("MERGE_API_KEY").unwrap_or_else(|| "sandbox-key".to_owned()),
            webhook_key,
            webhook_url,
            requests_per_minute,
        },
    ))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, cfg) = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sandbox = Sandbox::new(cfg);
    let (bound, server) = match sandbox.serve(addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sandbox: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("Merge sandbox listening on http://{bound}");
    println!(
        "  API root:     http://{bound}/api   (MERGE_API_BASE; ATS endpoints under /api/ats/v1)"
    );
    println!("  Link script:  http://{bound}{LINK_SCRIPT_PATH}");
    println!("  Control API:  http://{bound}/_sandbox/accounts   (loopback only)");
    tokio::select! {
        _ = server => {
            eprintln!("sandbox: server stopped");
            ExitCode::FAILURE
        }
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
    }
}
