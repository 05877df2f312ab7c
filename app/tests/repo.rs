//! Data-layer contract tests: every behaviour runs on SQLite and on PostgreSQL.

mod common;

use app::ssr::{
    db::Db,
    repo::{
        accounts::Role,
        ats::{AtsJobRow, AtsSnapshot, AtsStageRow, AtsUserRow},
        connections::NewConnection,
        push_jobs::Failure,
        requests::{AnswerOutcome, ApplicationProgress, InterviewRow},
    },
};
use chrono::Duration;

fn profile(name: &str, email: &str) -> profile_pdf::Profile {
    profile_pdf::Profile {
        full_name: name.into(),
        headline: "Engineer".into(),
        email: email.into(),
        phone: None,
        location: None,
        skills: vec![],
        experience: vec![],
        links: vec![],
        profile_url: String::new(),
    }
}

fn user(id: &str, role: &str, disabled: bool) -> AtsUserRow {
    AtsUserRow {
        merge_id: id.into(),
        first_name: Some(id.into()),
        last_name: None,
        email: None,
        access_role: Some(role.into()),
        disabled,
        remote_was_deleted: false,
    }
}

fn job(id: &str, name: &str) -> AtsJobRow {
    AtsJobRow {
        merge_id: id.into(),
        name: name.into(),
        code: None,
        status: Some("OPEN".into()),
        remote_was_deleted: false,
    }
}

/// A tenant with one position and one request to a fresh candidate; returns (tenant, request id).
async fn tenant_with_request(db: &Db, name: &str) -> (i64, String) {
    let t = db.create_tenant(name).await.unwrap();
    let pos = db.create_position(t, "Backend", None).await.unwrap();
    let cand = db
        .insert_candidate(&profile(
            "Zoë Ndlovu",
            &format!("{}@example.com", common::uuid()),
        ))
        .await
        .unwrap();
    let req = db
        .create_request(t, &pos, &cand, "hi")
        .await
        .unwrap()
        .expect("created");
    (t, req)
}

#[tokio::test]
async fn a_tenant_never_sees_or_changes_another_tenants_positions() {
    for db in common::backends().await {
        let a = db.create_tenant("A").await.unwrap();
        let b = db.create_tenant("B").await.unwrap();
        let pos = db.create_position(a, "Only A's", None).await.unwrap();
        assert_eq!(db.positions(a).await.unwrap().len(), 1, "{}", db.backend());
        assert!(db.positions(b).await.unwrap().is_empty());
        assert!(db.position(b, &pos).await.unwrap().is_none());
        assert!(
            !db.set_position_job(b, &pos, Some("job")).await.unwrap(),
            "B must not link A's position"
        );
        assert!(db
            .position(a, &pos)
            .await
            .unwrap()
            .unwrap()
            .ats_job_merge_id
            .is_none());
        // A request for A's position cannot be created in B's name.
        let cand = db
            .insert_candidate(&profile("X", "x@example.com"))
            .await
            .unwrap();
        assert!(db
            .create_request(b, &pos, &cand, "")
            .await
            .unwrap()
            .is_none());
    }
}

#[tokio::test]
async fn accepting_queues_exactly_one_push_and_answers_are_final() {
    for db in common::backends().await {
        let (t, req) = tenant_with_request(&db, "Acme").await;
        assert_eq!(
            db.accept_request(&req).await.unwrap(),
            AnswerOutcome::Changed
        );
        assert_eq!(
            db.accept_request(&req).await.unwrap(),
            AnswerOutcome::AlreadyDone
        );
        assert_eq!(
            db.decline_request(&req).await.unwrap(),
            AnswerOutcome::Conflict
        );
        let row = db.request(t, &req).await.unwrap().unwrap();
        assert_eq!(row.state, "accepted");
        assert_eq!(row.push_state.as_deref(), Some("queued"));
        let job = db
            .claim_push(Duration::minutes(5))
            .await
            .unwrap()
            .expect("one push");
        assert_eq!(job.tenant_id, t);
        assert!(
            db.claim_push(Duration::minutes(5)).await.unwrap().is_none(),
            "no second push, and the first is leased"
        );

        let (_, other) = tenant_with_request(&db, "Beta").await;
        assert_eq!(
            db.decline_request(&other).await.unwrap(),
            AnswerOutcome::Changed
        );
        assert_eq!(
            db.decline_request(&other).await.unwrap(),
            AnswerOutcome::AlreadyDone
        );
        assert_eq!(
            db.accept_request(&other).await.unwrap(),
            AnswerOutcome::Conflict
        );
        assert_eq!(
            db.accept_request("no-such-request").await.unwrap(),
            AnswerOutcome::NotFound
        );
    }
}

#[tokio::test]
async fn push_leases_expire_and_waiting_pushes_resume_when_requeued() {
    for db in common::backends().await {
        let (t, req) = tenant_with_request(&db, "Acme").await;
        db.accept_request(&req).await.unwrap();
        // A lease that already expired (the worker died) is taken over.
        let first = db.claim_push(Duration::seconds(-1)).await.unwrap().unwrap();
        let again = db
            .claim_push(Duration::minutes(5))
            .await
            .unwrap()
            .expect("expired lease is taken over");
        assert_eq!(first.id, again.id);
        db.push_waiting(again.id, &Failure::plain("choose a verification admin"))
            .await
            .unwrap();
        assert!(
            db.claim_push(Duration::minutes(5)).await.unwrap().is_none(),
            "waiting pushes are not claimed"
        );
        let row = db.request(t, &req).await.unwrap().unwrap();
        assert_eq!(row.push_state.as_deref(), Some("waiting"));
        assert_eq!(
            row.push_error.as_deref(),
            Some("choose a verification admin")
        );
        assert_eq!(db.requeue_waiting_pushes(t).await.unwrap(), 1);
        let resumed = db
            .claim_push(Duration::minutes(5))
            .await
            .unwrap()
            .expect("resumed");
        let timeout = Failure {
            message: "timeout".into(),
            status: Some(504),
            problem: None,
        };
        db.push_retry(
            resumed.id,
            &timeout,
            app::ssr::repo::now() + Duration::hours(1),
        )
        .await
        .unwrap();
        assert!(
            db.claim_push(Duration::minutes(5)).await.unwrap().is_none(),
            "retry waits for its time"
        );
        let row = db.request(t, &req).await.unwrap().unwrap();
        assert_eq!(row.push_error_status, Some(504), "the status is kept");
        // A queued push is not the hand-retry's business; a failed one is, once.
        assert!(!db.retry_push(t, &req).await.unwrap());
        db.push_failed(resumed.id, &timeout).await.unwrap();
        assert!(
            !db.retry_push(t + 1000, &req).await.unwrap(),
            "another tenant cannot"
        );
        assert!(db.retry_push(t, &req).await.unwrap());
        assert!(
            !db.retry_push(t, &req).await.unwrap(),
            "a second click changes nothing"
        );
    }
}

#[tokio::test]
async fn ats_ids_once_recorded_are_never_overwritten() {
    for db in common::backends().await {
        let (t, req) = tenant_with_request(&db, "Acme").await;
        let id = db.request(t, &req).await.unwrap().unwrap().id;
        db.record_ats_ids(id, Some("cand-1"), None, None)
            .await
            .unwrap();
        db.record_ats_ids(id, Some("cand-2"), Some("app-1"), None)
            .await
            .unwrap();
        let row = db.request(t, &req).await.unwrap().unwrap();
        assert_eq!(row.ats_candidate_id.as_deref(), Some("cand-1"));
        assert_eq!(row.ats_application_id.as_deref(), Some("app-1"));
        assert_eq!(row.ats_attachment_id, None);
    }
}

#[tokio::test]
async fn a_snapshot_upserts_and_marks_vanished_records_deleted() {
    for db in common::backends().await {
        let t = db.create_tenant("Acme").await.unwrap();
        // Snapshots are stored only for a connected tenant.
        db.save_connection(
            t,
            &NewConnection {
                linked_account_id: "acct-1",
                account_token_enc: "sealed",
                integration_name: "Workable",
                integration_slug: "workable",
                status: "COMPLETE",
                requires_remote_user_id: false,
            },
        )
        .await
        .unwrap();
        let snap = AtsSnapshot {
            users: vec![
                user("u-member", "TEAM_MEMBER", false),
                user("u-admin", "ADMIN", false),
                user("u-super", "SUPER_ADMIN", false),
            ],
            jobs: vec![job("j1", "Backend"), job("j2", "Frontend")],
            stages: vec![AtsStageRow {
                merge_id: "s1".into(),
                job_merge_id: None,
                name: "Hired".into(),
                stage_order: None,
                remote_was_deleted: false,
            }],
        };
        db.store_ats_snapshot(t, &snap, true).await.unwrap();
        let users: Vec<String> = db
            .ats_users(t)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.merge_id)
            .collect();
        assert_eq!(
            users,
            ["u-super", "u-admin", "u-member"],
            "admins first on {}",
            db.backend()
        );
        let second = AtsSnapshot {
            users: snap.users.clone(),
            jobs: vec![job("j1", "Backend (renamed)")],
            stages: snap.stages,
        };
        db.store_ats_snapshot(t, &second, true).await.unwrap();
        let jobs = db.ats_jobs(t, "", 100).await.unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].name, "Backend (renamed)");
        assert!(
            jobs.iter()
                .find(|j| j.merge_id == "j2")
                .unwrap()
                .remote_was_deleted
        );
        assert_eq!(db.ats_counts(t).await.unwrap().jobs, 1);
        // An incremental read brings only what changed: nothing it lacks is marked deleted.
        let changed = AtsSnapshot {
            jobs: vec![job("j2", "Frontend (reopened)")],
            ..Default::default()
        };
        db.store_ats_snapshot(t, &changed, false).await.unwrap();
        let jobs = db.ats_jobs(t, "", 100).await.unwrap();
        assert_eq!(
            db.ats_counts(t).await.unwrap().jobs,
            2,
            "on {}",
            db.backend()
        );
        assert!(jobs.iter().all(|j| !j.remote_was_deleted));
        assert_eq!(db.ats_counts(t).await.unwrap().users, 3);
        assert_eq!(
            db.ats_stage_name(t, "s1").await.unwrap().as_deref(),
            Some("Hired")
        );
        let other = db.create_tenant("Other").await.unwrap();
        assert!(
            db.ats_job(other, "j1").await.unwrap().is_none(),
            "jobs are per tenant"
        );
    }
}

#[tokio::test]
async fn progress_from_the_ats_closes_the_request_and_keeps_interviews() {
    for db in common::backends().await {
        let (t, req) = tenant_with_request(&db, "Acme").await;
        db.accept_request(&req).await.unwrap();
        let id = db.request(t, &req).await.unwrap().unwrap().id;
        db.record_ats_ids(id, Some("c"), Some("app-9"), Some("att"))
            .await
            .unwrap();
        assert_eq!(
            db.open_applications(t).await.unwrap(),
            vec![(id, "app-9".to_string())]
        );
        let interview = InterviewRow {
            merge_id: "i1".into(),
            start_at: Some(app::ssr::repo::now()),
            end_at: None,
            location: Some("Zoom".into()),
            status: Some("SCHEDULED".into()),
            organizer: Some("Dana".into()),
            interviewers: "Dana, Lee".into(),
            remote_was_deleted: false,
        };
        let progress = ApplicationProgress {
            stage_id: Some("s-tech".into()),
            stage_name: Some("Technical Interview".into()),
            closed_as: None,
            reject_reason: None,
            interviews: vec![interview.clone()],
        };
        db.store_progress(t, id, &progress).await.unwrap();
        db.store_progress(t, id, &progress).await.unwrap();
        assert_eq!(db.interviews(t, id).await.unwrap(), vec![interview]);
        let hired = ApplicationProgress {
            stage_name: Some("Hired".into()),
            closed_as: Some("hired"),
            interviews: vec![],
            ..progress
        };
        db.store_progress(t, id, &hired).await.unwrap();
        let row = db.request(t, &req).await.unwrap().unwrap();
        assert_eq!(row.state, "hired");
        assert!(row.outcome_at.is_some());
        assert!(
            db.open_applications(t).await.unwrap().is_empty(),
            "closed requests are not polled"
        );
    }
}

#[tokio::test]
async fn sessions_find_their_login_until_they_end() {
    for db in common::backends().await {
        let t = db.create_tenant("Acme").await.unwrap();
        let login = db
            .create_login(Some(t), "Dana@Example.com", "Dana", "hash", Role::Admin)
            .await
            .unwrap();
        assert_eq!(
            db.login_by_email("dana@example.COM")
                .await
                .unwrap()
                .unwrap()
                .id,
            login
        );
        db.insert_session("live", login, app::ssr::repo::now() + Duration::hours(1))
            .await
            .unwrap();
        db.insert_session("old", login, app::ssr::repo::now() - Duration::hours(1))
            .await
            .unwrap();
        let s = db.session_login("live").await.unwrap().unwrap();
        assert_eq!(
            (s.tenant_id, s.tenant_name.as_deref(), s.role.as_str()),
            (Some(t), Some("Acme"), "admin")
        );
        assert!(
            db.session_login("old").await.unwrap().is_none(),
            "expired sessions are dead"
        );
        db.delete_session("live").await.unwrap();
        assert!(db.session_login("live").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn only_one_sync_runs_per_tenant_at_a_time() {
    for db in common::backends().await {
        let t = db.create_tenant("Acme").await.unwrap();
        let run = db.start_sync_run(t).await.unwrap().expect("first");
        assert!(db.start_sync_run(t).await.unwrap().is_none());
        db.finish_sync_run(run, Some("boom")).await.unwrap();
        let (latest, ok) = db.sync_runs(t).await.unwrap();
        assert_eq!(latest.unwrap().error.as_deref(), Some("boom"));
        assert!(ok.is_none());
        let run2 = db
            .start_sync_run(t)
            .await
            .unwrap()
            .expect("after the first finished");
        db.finish_sync_run(run2, None).await.unwrap();
        assert_eq!(db.sync_runs(t).await.unwrap().1.unwrap().id, run2);
    }
}
