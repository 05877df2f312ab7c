//! `make bench`: ATS Bridge against the embedded Merge sandbox, printing one `name=value` line
//! per figure (bare numbers, the unit in the name). Not a test: it asserts nothing and takes a
//! few minutes, most of them the rate limit's. What it measures:
//!
//! - a full sync of one account with 5,000 jobs, 30,000 stages and 500 users at 100 requests
//!   per minute, with the sandbox answering each page after `BENCH_LATENCY_MS` (default 50):
//!   the requests made, the floor the rate limit and latency allow, the wall time, their ratio
//!   and the 429s the sandbox served;
//! - the positions page of that 5,000-job tenant rendered on the server, 50 connections at once;
//! - the support console with 5,000 companies: one health evaluation of all of them, and the
//!   console's pages (first, a search, a filter, a deep page) rendered 50 at a time;
//! - 200 linked accounts of 100 jobs and 20 users each, all asked to sync at once, on
//!   PostgreSQL (always, whatever `BENCH_DB` says): whether all complete, the wall time, and the
//!   machine's peak CPU and the peak memory of this process (app + sandbox) and of PostgreSQL;
//! - the gzipped size of the wasm, JS and CSS the browser loads (from `make build`): the main
//!   bundle, and per page the main bundle plus that page's lazily loaded chunks (`bundle_gz_kb`
//!   is the heaviest page).
//!
//! `BENCH_ONLY=sync,ssr,console,accounts,bundle` runs a subset (default: all).

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
const ACCOUNTS: usize = 200;
/// Companies in the support console benchmark (besides the demo one).
const TENANTS: usize = 5_000;
const ACCOUNT_JOBS: usize = 100;
const ACCOUNT_USERS: usize = 20;

fn wanted(part: &str) -> bool {
    match std::env::var("BENCH_ONLY") {
        Ok(list) if !list.trim().is_empty() => list.split(',').any(|p| p.trim() == part),
        _ => true,
    }
}

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
    if wanted("sync") || wanted("ssr") {
        large_account(backend, latency_ms).await;
    }
    if wanted("console") {
        support_console(backend).await;
    }
    if wanted("accounts") {
        many_accounts(latency_ms).await;
    }
    if wanted("bundle") {
        match bundle_gz_bytes() {
            Some((main, pages)) => {
                let kb = |b: u64| b as f64 / 1024.0;
                for (page, bytes) in &pages {
                    eprintln!("bench: page {page} loads {:.0} KB gzipped", kb(*bytes));
                }
                let heaviest = pages.first().map_or(main, |p| p.1);
                let page = |name: &str| pages.iter().find(|p| p.0 == name).map_or(main, |p| p.1);
                println!("bundle_main_gz_kb={:.0}", kb(main));
                println!("bundle_login_gz_kb={:.0}", kb(page("login")));
                println!("bundle_integration_gz_kb={:.0}", kb(page("integration")));
                // The figure against the target: the page that loads the most.
                println!("bundle_gz_kb={:.0}", kb(heaviest));
            }
            None => {
                eprintln!("bench: no target/site/pkg (run `make build` first); bundle size skipped")
            }
        }
    }
}

/// One 5,000-job account: its full sync at 100 requests/minute, then its positions page.
async fn large_account(backend: Backend, latency_ms: u64) {
    // The positions page alone (BENCH_ONLY=ssr) needs the account synced, not the rate limit.
    let per_minute = if wanted("sync") { PER_MINUTE } else { 60_000 };
    let app = backend
        .spawn_with(&[("ATSB_MERGE_RATE_LIMIT", &per_minute.to_string())])
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
        json!({"requests_per_minute": per_minute, "latency_ms": latency_ms}),
    )
    .await;
    let a = app.sandbox_account(&account).await;
    eprintln!("bench: account {}", a["counts"]);
    if wanted("sync") {
        // Let the first sync's requests leave the rate-limit window, so the run starts clean.
        let clear = Duration::from_secs(62).saturating_sub(connected.elapsed());
        eprintln!("bench: waiting {clear:?} for the rate-limit window to clear");
        tokio::time::sleep(clear).await;
    }
    app.sandbox.reset_requests();
    let started = Instant::now();
    let run = app.sync_now().await;
    let wall = started.elapsed().as_secs_f64();
    if run["sync"]["failed"] == true {
        eprintln!("bench: the sync failed: {}", run["sync"]["error"]);
    }
    if wanted("sync") {
        let served = app.sandbox.requests();
        let floor = floor_secs(served.total, PER_MINUTE, 60.0, latency_ms as f64 / 1000.0);
        println!("sync_requests={}", served.total);
        println!("sync_floor_s={floor:.1}");
        println!("sync_wall_s={wall:.1}");
        println!("sync_floor_ratio={:.3}", wall / floor);
        println!("sync_429s={}", served.throttled);
    }
    if wanted("ssr") {
        ssr_positions(&app).await;
    }
}

/// The positions page of the 5,000-job tenant, server-rendered, 50 connections at once.
async fn ssr_positions(app: &common::server::TestApp) {
    let (p50, p99) = page_load(app, &["/positions".to_string()]).await;
    println!("ssr_p50_ms={p50:.1}");
    println!("ssr_p99_ms={p99:.1}");
}

/// The support console with 5,000 companies: one health evaluation of all of them, then the
/// server-rendered console (first page, a search, a health filter, a deep page), 50 at once.
async fn support_console(backend: Backend) {
    let app = backend
        .spawn_with(&[("ATSB_HEALTH_EVERY_SECS", "3600")])
        .await;
    let db = &app.state().db;
    for i in 0..TENANTS {
        db.create_tenant(&format!("Company {i:05}")).await.unwrap();
    }
    let started = Instant::now();
    app::ssr::health::refresh(app.state()).await.unwrap();
    println!("console_tenants={}", TENANTS + 1);
    println!(
        "console_health_pass_ms={:.0}",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let support = app.support().await;
    let pages = [
        "/support".to_string(),
        "/support?q=company+0421".to_string(),
        "/support?health=disconnected&page=3".to_string(),
        "/support?page=150".to_string(),
    ];
    let (p50, p99) = page_load(&support, &pages).await;
    println!("console_p50_ms={p50:.1}");
    println!("console_p99_ms={p99:.1}");
}

/// Server-renders `paths` (in turn) with 50 connections at once; returns (p50, p99) in ms.
async fn page_load(app: &common::server::TestApp, paths: &[String]) -> (f64, f64) {
    for path in paths {
        let warm = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert!(warm.status().is_success(), "{path}: {}", warm.status());
    }
    let urls: Vec<String> = paths.iter().map(|p| format!("{}{p}", app.base)).collect();
    let mut tasks = Vec::new();
    for c in 0..CONCURRENCY {
        let http = app.http.clone();
        let urls = urls.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for n in (c..PAGE_REQUESTS).step_by(CONCURRENCY) {
                let url = &urls[n % urls.len()];
                let t = Instant::now();
                let res = http.get(url).send().await.unwrap();
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
    (percentile(&times, 0.50), percentile(&times, 0.99))
}

/// 200 tenants, each with a linked account of 100 jobs and 20 users, all pressing Sync now at
/// once, on PostgreSQL: how many syncs succeed, how long all take, and the peaks on the way.
async fn many_accounts(latency_ms: u64) {
    let workers = std::env::var("BENCH_SYNC_WORKERS").unwrap_or_else(|_| ACCOUNTS.to_string());
    let app = Backend::Postgres
        .spawn_with(&[("ATSB_SYNC_WORKERS", &workers)])
        .await;
    eprintln!("bench: connecting {ACCOUNTS} tenants");
    let mut tenants = Vec::new();
    for n in 0..ACCOUNTS {
        let tenant = app.new_tenant(&format!("Bench Company {n}")).await;
        let account = tenant.connect("workable").await;
        let a = tenant.sandbox_account(&account).await;
        let more = |key: &str, want: usize| {
            want.saturating_sub(a["counts"][key].as_u64().unwrap() as usize)
        };
        tenant
            .control(
                &format!("/accounts/{account}/seed"),
                json!({"jobs": more("jobs", ACCOUNT_JOBS), "users": more("users", ACCOUNT_USERS)}),
            )
            .await;
        tenant
            .control(
                &format!("/accounts/{account}/rate-limit"),
                json!({"requests_per_minute": PER_MINUTE, "latency_ms": latency_ms}),
            )
            .await;
        tenants.push(tenant);
    }
    let pool = match &app.state().db {
        app::ssr::db::Db::Postgres(pool) => pool.clone(),
        app::ssr::db::Db::Sqlite(_) => unreachable!("the many-accounts bench runs on PostgreSQL"),
    };
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM sync_runs")
        .fetch_one(&pool)
        .await
        .unwrap();
    app.sandbox.reset_requests();
    let sampler = Sampler::start();
    let started = Instant::now();
    let presses = tenants.iter().map(|t| async move {
        let (status, body) = t.call("sync_now", &[]).await;
        assert!(status.is_success() || status.is_redirection(), "{body}");
    });
    futures::future::join_all(presses).await;
    let (ok, failed) = loop {
        let (ended, ok): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'succeeded') FROM sync_runs \
             WHERE id > $1 AND state <> 'running'",
        )
        .bind(before)
        .fetch_one(&pool)
        .await
        .unwrap();
        if ended >= ACCOUNTS as i64 || started.elapsed() > Duration::from_secs(900) {
            break (ok, ended - ok);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let wall = started.elapsed().as_secs_f64();
    let peaks = sampler.stop();
    if failed > 0 {
        let errors: Vec<(Option<String>,)> = sqlx::query_as(
            "SELECT error FROM sync_runs WHERE id > $1 AND state = 'failed' LIMIT 3",
        )
        .bind(before)
        .fetch_all(&pool)
        .await
        .unwrap();
        eprintln!("bench: {failed} syncs failed, e.g. {errors:?}");
    }
    let served = app.sandbox.requests();
    println!("accounts_concurrent_ok={}", ok == ACCOUNTS as i64);
    println!("accounts_concurrent_succeeded={ok}");
    println!("accounts_concurrent_sync_workers={workers}");
    println!("accounts_concurrent_requests={}", served.total);
    println!("accounts_concurrent_429s={}", served.throttled);
    println!("accounts_concurrent_wall_s={wall:.1}");
    println!("accounts_concurrent_peak_cpu_pct={:.0}", peaks.cpu_pct);
    println!("accounts_concurrent_peak_rss_mb={:.0}", peaks.own_rss_mb);
    println!("accounts_concurrent_pg_peak_rss_mb={:.0}", peaks.pg_rss_mb);
}

/// Peaks seen by [`Sampler`]: the machine's CPU (100 = one core busy), this process's resident
/// memory (its high-water mark) and PostgreSQL's (all its processes together).
struct Peaks {
    cpu_pct: f64,
    own_rss_mb: f64,
    pg_rss_mb: f64,
}

/// Samples /proc every 250 ms on a thread of its own.
struct Sampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(f64, f64)>,
}

impl Sampler {
    fn start() -> Sampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let (mut cpu_peak, mut pg_peak) = (0.0f64, 0.0f64);
            let mut last = cpu_ticks();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                let now = cpu_ticks();
                let (busy, total) = (now.0 - last.0, now.1 - last.1);
                if total > 0.0 {
                    cpu_peak = cpu_peak.max(busy / total * 100.0 * cores());
                }
                last = now;
                pg_peak = pg_peak.max(postgres_rss_mb());
            }
            (cpu_peak, pg_peak)
        });
        Sampler { stop, thread }
    }

    fn stop(self) -> Peaks {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (cpu_pct, pg_rss_mb) = self.thread.join().unwrap();
        Peaks {
            cpu_pct,
            own_rss_mb: status_kb("/proc/self/status", "VmHWM:") / 1024.0,
            pg_rss_mb,
        }
    }
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

/// (busy, total) jiffies of all CPUs since boot, from /proc/stat.
fn cpu_ticks() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total: f64 = fields.iter().sum();
    let idle = fields.get(3).copied().unwrap_or(0.0) + fields.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

/// A `Key:  N kB` line of a /proc file, in kB.
fn status_kb(path: &str, key: &str) -> f64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0)
}

/// The proportional set size (shared pages split between their users) of every `postgres`
/// process, added up: what PostgreSQL as a whole holds in memory.
fn postgres_rss_mb() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let mut kb = 0.0;
    for entry in dir.flatten() {
        let path = entry.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            kb += status_kb(&path.join("smaps_rollup").to_string_lossy(), "Pss:");
        }
    }
    kb / 1024.0
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
/// Gzipped size (gzip -9) of one file of the built site.
fn gz_bytes(path: &std::path::Path) -> Option<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .ok()?;
    Some(out.stdout.len() as u64)
}

/// What the browser loads, gzipped: the main bundle (wasm, JS, CSS, the split loader) and, per
/// page, the main bundle plus the lazily loaded chunks that page's route needs (from
/// `__wasm_split_manifest.json`, written by `cargo leptos build --split`). Returns the main
/// bundle and every page's total, by route name.
fn bundle_gz_bytes() -> Option<(u64, Vec<(String, u64)>)> {
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site/pkg");
    let mut main = 0;
    for entry in std::fs::read_dir(&pkg).ok()? {
        let path = entry.ok()?.path();
        let name = path.file_name()?.to_string_lossy().to_string();
        let loaded = matches!(name.as_str(), "atsb.wasm" | "atsb.js" | "atsb.css")
            || (name.starts_with("__wasm_split") && name.ends_with(".js"));
        if loaded {
            main += gz_bytes(&path)?;
        }
    }
    if main == 0 {
        return None;
    }
    let manifest: serde_json::Value = std::fs::read(pkg.join("__wasm_split_manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut pages = Vec::new();
    for (route, chunks) in manifest.as_object().into_iter().flatten() {
        let mut total = main;
        for chunk in chunks.as_array().into_iter().flatten() {
            total += gz_bytes(&pkg.join(format!("{}.wasm", chunk.as_str()?)))?;
        }
        let name = route
            .trim_start_matches('_')
            .split("_route_view")
            .next()
            .unwrap_or(route)
            .to_string();
        pages.push((name, total));
    }
    pages.sort_by(|a, b| b.1.cmp(&a.1));
    Some((main, pages))
}
