//! `make bench`: ATS Bridge against the embedded Merge sandbox, printing one `name=value` line
//! per figure (bare numbers, the unit in the name). Not a test: it asserts nothing and takes a
//! few minutes, most of them the rate limit's. What it measures:
//!
//! - a full sync of one account with 5,000 jobs, 30,000 stages and 500 users at 100 requests
//!   per minute, with the sandbox answering each page after `BENCH_LATENCY_MS` (default 50):
//!   the requests made, the floor the rate limit and latency allow, the wall time, their ratio
//!   and the 429s the sandbox served;
//! - the positions page of that 5,000-job tenant rendered on the server, 50 connections at once;
//! - the gzipped size of the wasm, JS and CSS the browser loads (from `make build`).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::server::Backend;
use serde_json::json;

const JOBS: usize = 5_000;
const USERS: usize = 500;
const PER_MINUTE: u64 = 100;
const CONCURRENCY: usize = 50;
const PAGE_REQUESTS: usize = 2_000;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let latency_ms: u64 = std::env::var("BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let backend = match std::env::var("BENCH_DB").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let app = backend
        .spawn_with(&[("ATSB_MERGE_RATE_LIMIT", &PER_MINUTE.to_string())])
        .await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    let connected = Instant::now();

    // Grow the account to the benchmark's size: 5,000 jobs of six stages, 500 users.
    let a = app.sandbox_account(&account).await;
    let users_now = a["counts"]["users"].as_u64().unwrap() as usize;
    app.control(
        &format!("/accounts/{account}/seed"),
        json!({"jobs": JOBS, "users": USERS.saturating_sub(users_now), "extra_stages_per_job": 1}),
    )
    .await;
    app.control(
        &format!("/accounts/{account}/rate-limit"),
        json!({"requests_per_minute": PER_MINUTE, "latency_ms": latency_ms}),
    )
    .await;
    let a = app.sandbox_account(&account).await;
    eprintln!("bench: account {}", a["counts"]);
    // Let the first sync's requests leave the rate-limit window, so the run starts clean.
    let clear = Duration::from_secs(62).saturating_sub(connected.elapsed());
    eprintln!("bench: waiting {clear:?} for the rate-limit window to clear");
    tokio::time::sleep(clear).await;

    app.sandbox.reset_requests();
    let started = Instant::now();
    let run = app.sync_now().await;
    let wall = started.elapsed().as_secs_f64();
    if run["sync"]["failed"] == true {
        eprintln!("bench: the sync failed: {}", run["sync"]["error"]);
    }
    let served = app.sandbox.requests();
    let floor = floor_secs(served.total, PER_MINUTE, 60.0, latency_ms as f64 / 1000.0);
    println!("sync_requests={}", served.total);
    println!("sync_floor_s={floor:.1}");
    println!("sync_wall_s={wall:.1}");
    println!("sync_floor_ratio={:.3}", wall / floor);
    println!("sync_429s={}", served.throttled);

    // The positions page of the 5,000-job tenant, server-rendered, 50 connections at once.
    let url = format!("{}/positions", app.base);
    let warm = app.http.get(&url).send().await.unwrap();
    assert!(warm.status().is_success(), "positions: {}", warm.status());
    let mut tasks = Vec::new();
    for c in 0..CONCURRENCY {
        let http = app.http.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in (c..PAGE_REQUESTS).step_by(CONCURRENCY) {
                let t = Instant::now();
                let res = http.get(&url).send().await.unwrap();
                let ok = res.status().is_success();
                let _ = res.bytes().await;
                assert!(ok);
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            times
        }));
    }
    let mut times: Vec<f64> = Vec::new();
    for t in tasks {
        times.extend(t.await.unwrap());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("ssr_p50_ms={:.1}", percentile(&times, 0.50));
    println!("ssr_p99_ms={:.1}", percentile(&times, 0.99));

    match bundle_gz_bytes() {
        Some(bytes) => println!("bundle_gz_kb={:.0}", bytes as f64 / 1024.0),
        None => {
            eprintln!("bench: no target/site/pkg (run `make build` first); bundle size skipped")
        }
    }
}

/// The least time `n` sequential requests can take when each takes `latency` seconds and at
/// most `limit` may start in any `window` seconds.
fn floor_secs(n: u64, limit: u64, window: f64, latency: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    if limit as f64 * latency >= window {
        return n as f64 * latency;
    }
    let full_windows = (n - 1) / limit;
    let rest = (n - 1) % limit + 1;
    full_windows as f64 * window + rest as f64 * latency
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

/// Gzipped bytes of what the browser loads: the wasm, its JS glue and the stylesheet.
fn bundle_gz_bytes() -> Option<u64> {
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site/pkg");
    let mut total = 0;
    for name in ["atsb_bg.wasm", "atsb.wasm", "atsb.js", "atsb.css"] {
        let path = pkg.join(name);
        if !path.exists() {
            continue;
        }
        let out = std::process::Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&path)
            .output()
            .ok()?;
        total += out.stdout.len() as u64;
    }
    (total > 0).then_some(total)
}
