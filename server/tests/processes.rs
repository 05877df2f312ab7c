//! Scaling out with real server processes: two servers on one PostgreSQL never sync the same
//! tenant at once and take over a killed one's sync; SIGTERM gives leases back and exits
//! cleanly; a second process on one SQLite file refuses to start its workers.

#[path = "../../app/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::server::{ServerProcess, TestApp};
use serde_json::json;
use sqlx::{PgPool, Row};

const BIN: &str = env!("CARGO_BIN_EXE_server");

/// (state, started, finished, error) of every sync run, oldest first.
async fn runs(
    pool: &PgPool,
) -> Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>)> {
    sqlx::query("SELECT state, started_at, finished_at, error FROM sync_runs ORDER BY started_at")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

async fn lease_owner(pool: &PgPool) -> Option<String> {
    sqlx::query_scalar("SELECT lease_owner FROM sync_jobs WHERE lease_until > now()")
        .fetch_optional(pool)
        .await
        .unwrap()
        .flatten()
}

/// Makes every sync take a while: each jobs page answers after `ms`.
async fn slow_syncs(app: &TestApp, ms: u64) {
    app.control(
        "/faults",
        json!({"kind": "slow", "path_prefix": "jobs", "delay_ms": ms, "count": 1000}),
    )
    .await;
}

async fn eventually<T>(what: &str, secs: u64, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..secs * 10 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

// Under load a worker's lease could lapse and be taken over while the first worker carried on,
// so both ran the sync (this test saw the killed holder's run "complete"): renewal now tells a
// worker it lost the lease and it stops, and a run marked interrupted stays so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_postgres_never_sync_a_tenant_twice_and_take_over_a_killed_one() {
    if common::skip_pg() {
        return;
    }
    let url = common::postgres_url().await;
    let mut a = ServerProcess::new(BIN, &url).await;
    a.set_env("ATSB_SYNC_LEASE_SECS", "3");
    let mut b = a.sibling();
    let app_a = a.start(None).await;
    let app_b = b.start(None).await;
    let pool = PgPool::connect(&url).await.unwrap();

    app_a.sign_in().await;
    app_b.sign_in().await;
    app_a.connect("greenhouse").await;
    slow_syncs(&app_a, 400).await;
    // Both processes are asked, again and again, to sync the one tenant.
    for i in 0..8 {
        let app = if i % 2 == 0 { &app_a } else { &app_b };
        app.call("sync_now", &[]).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Settled = idle twice, a second apart, with no new run in between: a sync asked for
    // during the loop may start in the gap right after the previous one ends.
    eventually("the syncs to settle", 60, async || {
        let idle = async || {
            let all = runs(&pool).await;
            (lease_owner(&pool).await.is_none() && all.iter().all(|r| r.0 != "running"))
                .then_some(all.len())
        };
        let first = idle().await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        (idle().await? == first).then_some(())
    })
    .await;
    let all = runs(&pool).await;
    assert!(all.len() >= 3, "several syncs ran: {all:?}");
    for pair in all.windows(2) {
        let finished = pair[0].2.expect("finished");
        assert!(
            pair[1].1 >= finished,
            "two syncs of one tenant overlapped: {pair:?}"
        );
    }
    assert!(all.iter().all(|r| r.0 == "succeeded"), "{all:?}");

    // Kill the process that holds the lease in the middle of a sync: the other takes over.
    app_a.clear_faults().await;
    slow_syncs(&app_a, 3000).await;
    app_a.call("sync_now", &[]).await;
    let running = eventually("a sync to start", 20, async || {
        runs(&pool).await.iter().position(|r| r.0 == "running")
    })
    .await;
    let owner = lease_owner(&pool)
        .await
        .expect("the running sync is leased");
    let (victim, survivor) = if a.worker_id().as_deref() == Some(owner.as_str()) {
        (&mut a, &b)
    } else {
        (&mut b, &a)
    };
    assert!(survivor.worker_id().is_some_and(|w| w != owner));
    victim.kill().await;
    let taken_over = eventually("the survivor to finish the sync", 60, async || {
        let all = runs(&pool).await;
        all[running..]
            .iter()
            .any(|r| r.0 == "succeeded")
            .then_some(all.clone())
    })
    .await;
    let interrupted = &taken_over[running];
    assert_eq!(interrupted.0, "failed", "{taken_over:?}");
    assert!(
        interrupted
            .3
            .as_deref()
            .unwrap_or("")
            .contains("Interrupted"),
        "{interrupted:?}"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_gives_the_sync_lease_back_and_exits_cleanly() {
    if common::skip_pg() {
        return;
    }
    let url = common::postgres_url().await;
    let mut a = ServerProcess::new(BIN, &url).await;
    // A long lease: if it were not given back, nobody could sync for 5 minutes.
    a.set_env("ATSB_SYNC_LEASE_SECS", "300");
    let mut b = a.sibling();
    let app = a.start(None).await;
    let pool = PgPool::connect(&url).await.unwrap();
    app.sign_in().await;
    app.connect("workable").await;
    slow_syncs(&app, 5000).await;
    app.call("sync_now", &[]).await;
    eventually("the sync to start", 20, async || {
        runs(&pool)
            .await
            .iter()
            .any(|r| r.0 == "running")
            .then_some(())
    })
    .await;

    assert_eq!(a.terminate().await, Some(0), "a clean exit on SIGTERM");
    assert_eq!(lease_owner(&pool).await, None, "the lease was given back");
    let last = runs(&pool).await.pop().unwrap();
    assert_eq!(last.0, "failed");

    // The next process syncs at once instead of waiting for a lapsed lease.
    app.clear_faults().await;
    let before = runs(&pool).await.len();
    let _app_b = b.start(None).await;
    eventually("the next process to sync", 20, async || {
        let all = runs(&pool).await;
        (all.len() > before && all.last().unwrap().0 == "succeeded").then_some(())
    })
    .await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_one_sqlite_file_serves_http_but_starts_no_workers() {
    let dir = std::env::temp_dir().join(format!("atsb-two-{}", common::uuid()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display());
    let mut a = ServerProcess::new(BIN, &url).await;
    let mut b = a.sibling();
    let _app_a = a.start(None).await;
    let app_b = b.start(None).await;
    let health = app_b
        .http
        .get(format!("{}/healthz", app_b.base))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
    eventually("the refusal to be logged", 10, async || {
        b.output
            .lock()
            .unwrap()
            .contains("refuses to start its workers")
            .then_some(())
    })
    .await;
    assert!(b.worker_id().is_none(), "no workers in the second process");
    assert!(
        a.worker_id().is_some(),
        "the first process runs the workers"
    );
    a.stop().await;
    b.stop().await;
}
