//! Exactly-once, proven by crashing: the real server binary is killed with SIGKILL (through
//! `ATSB_FAILPOINT`) before and after each ATS call of a push, restarted, and the ATS (the
//! sandbox) must then hold exactly one candidate, one application and one attachment — on
//! SQLite and on PostgreSQL, for the two-call flow (Workable) and Merge's single-call flow with
//! a nested candidate (Greenhouse).

#[path = "../../app/tests/common/mod.rs"]
mod common;

use app::ssr::failpoint::PUSH_POINTS;
use common::server::{ServerProcess, TestApp};

const SIGKILL: i32 = 9;

/// One scenario: crash at `point` while pushing to `integration`, restart, check the ATS.
async fn crash_and_resume(database_url: &str, integration: &str, point: &str) {
    let bin = env!("CARGO_BIN_EXE_server");
    let mut server = ServerProcess::new(bin, database_url).await;
    let app = server.start(Some(point)).await;
    let (account, request_id) = accepted_request(&app, integration).await;
    assert_eq!(
        server.killed_by().await,
        Some(SIGKILL),
        "{integration}/{point}: the failpoint killed the server"
    );

    let app = server.start(None).await;
    app.sign_in().await;
    let done = app.push_reaches(&request_id, "done").await;
    for model in ["Candidate", "Application", "Attachment"] {
        assert_eq!(
            app.written(&account, model),
            1,
            "{integration}/{point}: exactly one {model} in the ATS: {:#?}",
            app.writes(&account)
        );
    }
    let writes = app.writes(&account);
    let app_write = writes.iter().find(|w| w["model"] == "Application").unwrap();
    assert_eq!(
        done["ats"]["application_id"], app_write["id"],
        "{integration}/{point}"
    );
    let candidate = &done["candidate"];
    server.stop().await;

    // The logs keep ids, never the candidate's personal data.
    let logs = server.output.lock().unwrap().clone();
    for personal in [&candidate["email"], &candidate["name"]] {
        let personal = personal.as_str().unwrap();
        assert!(
            !logs.contains(personal),
            "{integration}/{point}: the logs mention {personal}"
        );
    }
}

/// Connects, imports a job, sends a request and has the candidate accept it.
async fn accepted_request(app: &TestApp, integration: &str) -> (String, String) {
    app.sign_in().await;
    let account = app.connect(integration).await;
    if integration == "greenhouse" {
        app.choose_super_admin().await;
    }
    let (job_id, _) = app.open_job(0).await;
    let position = app.import_job(&job_id).await;
    let request_id = app.send_request(&position, None, "").await;
    // The push starts as soon as the acceptance commits, so the failpoint may kill the server
    // before it answers: the answer may be lost, the acceptance is not (the restart shows it).
    let _ = app
        .http
        .post(format!(
            "{}/api/v1/interview-requests/{request_id}/accept",
            app.base
        ))
        .bearer_auth(app.marketplace_token())
        .send()
        .await;
    (account, request_id)
}

/// Every failpoint of the two-call flow; the single-call flow has no candidate step.
fn scenarios() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = PUSH_POINTS.iter().map(|p| ("workable", *p)).collect();
    all.extend(
        PUSH_POINTS
            .iter()
            .filter(|p| !p.starts_with("candidate"))
            .map(|p| ("greenhouse", *p)),
    );
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_killed_at_any_step_resumes_without_duplicates_on_sqlite() {
    for (integration, point) in scenarios() {
        let dir = std::env::temp_dir().join(format!("atsb-crash-{}", common::uuid()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display());
        crash_and_resume(&url, integration, point).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_killed_at_any_step_resumes_without_duplicates_on_postgres() {
    if common::skip_pg() {
        return;
    }
    for (integration, point) in scenarios() {
        let url = common::postgres_url().await;
        crash_and_resume(&url, integration, point).await;
    }
}
