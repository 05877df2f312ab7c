//! The sync engine against the sandbox with faults on, on SQLite and PostgreSQL: the shared
//! rate budget, 429s with and without `Retry-After`, 5xx retries, full passes that fail, and
//! incremental pulls that read only what changed.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::server::{Backend, TestApp};
use serde_json::{json, Value};

/// The sandbox's record counts for the account (deleted records included, as a pull with
/// `include_deleted_data=true` sees them).
async fn sandbox_counts(app: &TestApp, account: &str) -> (i64, i64, i64) {
    let a = app.sandbox_account(account).await;
    let c = &a["counts"];
    (
        c["users"].as_i64().unwrap(),
        c["jobs"].as_i64().unwrap(),
        c["job_interview_stages"].as_i64().unwrap(),
    )
}

fn run_counts(i: &Value) -> (i64, i64, i64) {
    let s = &i["sync"];
    (
        s["users"].as_i64().unwrap(),
        s["jobs"].as_i64().unwrap(),
        s["stages"].as_i64().unwrap(),
    )
}

async fn a_sync_keeps_to_the_rate_budget_and_resumes_after_429s_and_5xx(backend: Backend) {
    // Our budget and the sandbox's limit: 10 requests in any 2 seconds.
    let app = backend
        .spawn_with(&[("ATSB_MERGE_RATE_LIMIT", "10/2s")])
        .await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    app.control(
        &format!("/accounts/{account}/seed"),
        json!({"jobs": 250, "users": 120}),
    )
    .await;
    app.control(
        &format!("/accounts/{account}/rate-limit"),
        json!({"requests_per_minute": 10, "window_secs": 2}),
    )
    .await;
    app.sandbox.reset_requests();
    let started = Instant::now();
    let i = app.sync_now().await;
    let took = started.elapsed();
    assert_eq!(i["sync"]["failed"], false, "{i}");
    let expected = sandbox_counts(&app, &account).await;
    assert_eq!(run_counts(&i), expected, "every record read once");
    let served = app.sandbox.requests();
    assert_eq!(served.throttled, 0, "never over the limit: {served:?}");
    assert!(served.total > 10, "a sync of many pages: {served:?}");
    // More than 10 requests at 10 per 2 s cannot take less than 2 s.
    assert!(took >= Duration::from_secs(2), "took {took:?}");

    // Merge throttles anyway (429 with and without Retry-After) and has a bad moment (502s):
    // the sync waits, reads the same pages again and ends with the same records.
    app.control(
        &format!("/accounts/{account}/rate-limit"),
        json!({"requests_per_minute": 1000}),
    )
    .await;
    for fault in [
        json!({"kind": "rate_limit", "path_prefix": "jobs", "retry_after_secs": 1}),
        json!({"kind": "rate_limit", "path_prefix": "job-interview-stages", "retry_after_secs": 0}),
        json!({"kind": "server_error", "path_prefix": "users", "count": 2}),
    ] {
        app.control("/faults", fault).await;
    }
    app.sandbox.reset_requests();
    let (_, before) = app.get_fn("integration", &[]).await;
    let i = app.sync_now().await;
    assert_eq!(i["sync"]["failed"], false, "{i}");
    assert_eq!(run_counts(&i), expected, "no page skipped or read twice");
    assert_eq!(i["counts"], before["counts"], "nothing duplicated");
    assert_eq!(app.sandbox.requests().throttled, 2);
}

async fn a_failed_full_pass_marks_nothing_deleted_and_incremental_pulls_read_only_changes(
    backend: Backend,
) {
    // A one-second overlap, so that records seeded a moment ago are not "recent" to the pull.
    let app = backend.spawn_with(&[("ATSB_SYNC_OVERLAP_SECS", "1")]).await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    app.control(&format!("/accounts/{account}/seed"), json!({"jobs": 250}))
        .await;
    let full = app.sync_now().await;
    assert_eq!(full["sync"]["failed"], false);
    assert!(
        full["sync"]["next_run"].is_string(),
        "the next sync is shown: {full}"
    );
    let (_, jobs_total, _) = sandbox_counts(&app, &account).await;
    assert!(full["sync"]["jobs"].as_i64().unwrap() == jobs_total);

    // A full pass that fails part-way (stages keep answering 502) stores nothing: no record
    // is marked deleted for not having been seen.
    app.control(
        "/faults",
        json!({"kind": "server_error", "path_prefix": "job-interview-stages", "count": 50}),
    )
    .await;
    let failed = app.sync_now().await;
    assert_eq!(failed["sync"]["failed"], true, "{failed}");
    assert!(failed["sync"]["error"].as_str().unwrap().contains("502"));
    assert_eq!(failed["counts"], full["counts"], "nothing marked deleted");
    app.clear_faults().await;
    // The next sync is a full pass again, since the last one did not complete.
    let full = app.sync_now().await;
    assert_eq!(full["sync"]["failed"], false);

    // A job closes in the ATS: its webhook brings an incremental pull that asks only for what
    // changed (one page per model instead of the three pages of jobs a full pass reads).
    let (job_id, job_name) = app.open_job(0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let previous = app.get_fn("integration", &[]).await.1["sync"]["run"].clone();
    app.sandbox.reset_requests();
    app.control(
        &format!("/accounts/{account}/jobs/{job_id}/close"),
        json!({}),
    )
    .await;
    let i = app.wait_for_run_after(&previous).await;
    assert_eq!(i["sync"]["failed"], false, "{i}");
    let served = app.sandbox.requests();
    assert_eq!(served.route("GET /api/ats/v1/jobs"), 1, "{served:?}");
    assert_eq!(served.route("GET /api/ats/v1/users"), 1, "{served:?}");
    assert_eq!(
        served.route("GET /api/ats/v1/job-interview-stages"),
        1,
        "{served:?}"
    );
    assert!(i["sync"]["jobs"].as_i64().unwrap() >= 1);
    assert!(
        i["sync"]["jobs"].as_i64().unwrap() < 100,
        "only the changed jobs: {i}"
    );
    assert_eq!(
        i["counts"], full["counts"],
        "upserted, nothing added or lost"
    );
    let (_, p) = app.get_fn("positions", &[("search", &job_name)]).await;
    let job = p["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["id"] == job_id.as_str())
        .cloned();
    assert_eq!(
        job.map(|j| j["status"].clone()),
        Some(json!("CLOSED")),
        "{p}"
    );
}

on_both_backends!(
    a_sync_keeps_to_the_rate_budget_and_resumes_after_429s_and_5xx,
    a_failed_full_pass_marks_nothing_deleted_and_incremental_pulls_read_only_changes,
);
