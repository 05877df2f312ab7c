//! The push lifecycle against the sandbox with its faults on: the verification admin checked
//! (disabled, deleted, without permission → re-pick → resume), RELINK_NEEDED, writes whose
//! answer was lost, an ATS candidate that already exists, one person for two positions, an
//! error with an empty body, the guarded retry, erasure, data minimisation, the stage mapping
//! and time zones.

#[macro_use]
mod common;

use app::ssr::push::ADMIN_INVALID;
use common::server::{spawn_app_on, Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Connects `integration`, imports the n-th open job; returns (account, position id).
async fn ready(app: &TestApp, integration: &str) -> (String, String) {
    app.sign_in().await;
    let account = app.connect(integration).await;
    let (job, _) = app.open_job(0).await;
    let position = app.import_job(&job).await;
    (account, position)
}

/// Active ATS users of the tenant other than `except`, as the integration page lists them.
async fn other_users(app: &TestApp, except: &[&str]) -> Vec<String> {
    let (_, i) = app.get_fn("integration", &[]).await;
    i["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .filter(|id| !except.contains(&id.as_str()))
        .collect()
}

async fn an_invalid_verification_admin_stops_writes_until_another_is_picked(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "lever").await;
    let first = app.choose_super_admin().await;
    let (job2, _) = app.open_job(1).await;
    let position2 = app.import_job(&job2).await;
    let (job3, _) = app.open_job(2).await;
    let position3 = app.import_job(&job3).await;

    // Three ways an admin stops being valid: disabled, lacking permission (403), deleted.
    let others = other_users(&app, &[&first]).await;
    let (second, third, fourth) = (others[0].clone(), others[1].clone(), others[2].clone());
    let rounds = [
        (first.clone(), "disable", position.clone(), second.clone()),
        (second.clone(), "revoke-write", position2, third.clone()),
        (third.clone(), "delete", position3, fourth),
    ];
    for (admin, how, position, next) in rounds {
        app.control(
            &format!("/accounts/{account}/users/{admin}/{how}"),
            json!({}),
        )
        .await;
        let written_before = app.writes(&account).len();
        let request = app.send_request(&position, None, "").await;
        app.accept(&request).await;
        let waiting = app.push_reaches(&request, "waiting").await;
        let message = waiting["push"]["message"].as_str().unwrap();
        assert!(message.starts_with(ADMIN_INVALID), "{how}: {message}");
        assert!(
            waiting["push"]["http_status"].is_number(),
            "{how}: {waiting}"
        );
        assert_eq!(
            app.writes(&account).len(),
            written_before,
            "{how}: nothing written"
        );
        let (_, integration) = app.get_fn("integration", &[]).await;
        assert!(
            integration["connection"]["admin_problem"].is_string(),
            "{how}: the integration page asks for a re-pick: {integration}"
        );
        let (_, page) = app.get_fn("request", &[("id", &request)]).await;
        assert_eq!(page["admin_invalid"], true, "{how}: {page}");

        // One click on another user resumes the push.
        let (status, _) = app
            .call("set_verification_admin", &[("user_id", &next)])
            .await;
        assert!(status.is_redirection() || status.is_success());
        let done = app.push_reaches(&request, "done").await;
        let (_, integration) = app.get_fn("integration", &[]).await;
        assert!(integration["connection"]["admin_problem"].is_null());
        for w in &app.writes(&account)[written_before..] {
            assert_eq!(
                w["remote_user_id"],
                next.as_str(),
                "{how}: written as the new admin"
            );
        }
        assert!(done["ats"]["attachment_id"].is_string());
    }
    for model in ["Application", "Attachment"] {
        assert_eq!(app.written(&account, model), 3, "{model}s");
    }
}

async fn relink_needed_flips_the_status_once_and_queues_writes_until_relinked(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "workable").await;
    let (job2, _) = app.open_job(1).await;
    let position2 = app.import_job(&job2).await;
    app.control(
        &format!("/accounts/{account}/status"),
        json!({"status": "RELINK_NEEDED"}),
    )
    .await;
    let a = app.send_request(&position, None, "").await;
    let b = app.send_request(&position2, None, "").await;
    app.accept(&a).await;
    app.accept(&b).await;
    for r in [&a, &b] {
        let w = app.push_reaches(r, "waiting").await;
        let m = w["push"]["message"].as_str().unwrap();
        assert!(m.contains("relinked"), "{m}");
    }
    let (_, i) = app.get_fn("integration", &[]).await;
    assert_eq!(i["connection"]["status"], "RELINK_NEEDED");
    // It waits; it does not loop against the ATS.
    let posts = || {
        app.sandbox
            .requests()
            .by_route
            .iter()
            .filter(|(r, _)| {
                ["candidates", "applications", "attachments"]
                    .iter()
                    .any(|m| *r == &format!("POST /api/ats/v1/{m}"))
            })
            .map(|(_, n)| *n)
            .sum::<u64>()
    };
    let before = posts();
    assert!(
        before <= 1,
        "at most the write that discovered it: {before}"
    );
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        posts(),
        before,
        "no retries while the account needs relinking"
    );
    assert_eq!(app.writes(&account).len(), 0);

    // Relink (same integration → the same linked account, repaired): both pushes go through.
    app.connect("workable").await;
    for r in [&a, &b] {
        app.push_reaches(r, "done").await;
    }
    let (_, i) = app.get_fn("integration", &[]).await;
    assert_eq!(i["connection"]["status"], "COMPLETE");
    assert_eq!(app.written(&account, "Application"), 2);
}

async fn writes_that_succeeded_but_timed_out_are_not_repeated(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "workable").await;
    for model in ["candidates", "applications", "attachments"] {
        app.control(
            "/faults",
            json!({"kind": "write_lost", "path_prefix": model}),
        )
        .await;
    }
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let done = app.push_reaches(&request, "done").await;
    for model in ["Candidate", "Application", "Attachment"] {
        assert_eq!(
            app.written(&account, model),
            1,
            "{model}: {:#?}",
            app.writes(&account)
        );
    }
    let lost = app
        .writes(&account)
        .iter()
        .filter(|w| w["response_lost"] == true)
        .count();
    assert_eq!(lost, 3, "every write's answer was lost once");
    let written_attachment = app
        .writes(&account)
        .into_iter()
        .find(|w| w["model"] == "Attachment")
        .unwrap();
    assert_eq!(done["ats"]["attachment_id"], written_attachment["id"]);
}

async fn an_existing_ats_candidate_is_reused_and_one_person_gets_one_candidate_for_two_positions(
    backend: Backend,
) {
    for integration in ["workable", "greenhouse"] {
        let app = backend.spawn().await;
        let (account, position) = ready(&app, integration).await;
        if integration == "greenhouse" {
            app.choose_super_admin().await;
        }
        let (job2, _) = app.open_job(1).await;
        let position2 = app.import_job(&job2).await;
        // Someone at the company already entered the first candidate into the ATS.
        let (_, r) = app.get_fn("requests", &[]).await;
        let person = r["candidates"][0]["name"].as_str().unwrap().to_string();
        let a = app.send_request(&position, Some(&person), "").await;
        let email = app.request_json(&a).await["candidate"]["email"]
            .as_str()
            .unwrap()
            .to_uppercase();
        let existing = app
            .control(
                &format!("/accounts/{account}/candidates"),
                json!({"first_name": "Pre", "last_name": "Existing", "email": email}),
            )
            .await;
        app.accept(&a).await;
        let done_a = app.push_reaches(&a, "done").await;
        assert_eq!(
            done_a["ats"]["candidate_id"], existing["id"],
            "{integration}"
        );

        // The same person accepts a second position: one candidate, two applications.
        let b = app.send_request(&position2, Some(&person), "").await;
        app.accept(&b).await;
        let done_b = app.push_reaches(&b, "done").await;
        assert_eq!(
            done_b["ats"]["candidate_id"], existing["id"],
            "{integration}"
        );
        assert_eq!(
            app.written(&account, "Candidate"),
            0,
            "{integration}: no new candidate"
        );
        assert_eq!(app.written(&account, "Application"), 2, "{integration}");
        assert_eq!(app.written(&account, "Attachment"), 2, "{integration}");
    }
}

async fn the_single_call_flow_creates_candidate_and_application_in_one_write(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "greenhouse").await;
    app.choose_super_admin().await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let done = app.push_reaches(&request, "done").await;
    let writes = app.writes(&account);
    let nested: Vec<&Value> = writes.iter().filter(|w| w["nested"] == true).collect();
    assert_eq!(
        nested.len(),
        1,
        "the candidate came nested in the application: {writes:#?}"
    );
    assert_eq!(nested[0]["model"], "Candidate");
    assert_eq!(done["ats"]["candidate_id"], nested[0]["id"]);
    let posts = app.sandbox.requests().by_route;
    assert_eq!(posts.get("POST /api/ats/v1/candidates"), None, "{posts:?}");
    assert_eq!(
        posts.get("POST /api/ats/v1/applications"),
        Some(&1),
        "{posts:?}"
    );
}

async fn an_error_with_an_empty_body_still_says_what_happened_and_retry_fixes_it(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "workable").await;
    app.control(
        "/faults",
        json!({"kind": "empty_error", "status": 400, "path_prefix": "candidates", "count": 1}),
    )
    .await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let failed = app.push_reaches(&request, "failed").await;
    let push = &failed["push"];
    assert_eq!(push["http_status"], 400, "{push}");
    assert!(
        push["message"].as_str().unwrap().contains("gave no reason"),
        "{push}"
    );
    assert!(push["correlation_id"]
        .as_str()
        .is_some_and(|c| !c.is_empty()));
    let (_, page) = app.get_fn("request", &[("id", &request)]).await;
    assert_eq!(page["push_error_code"], "HTTP 400", "{page}");
    assert_eq!(app.writes(&account).len(), 0);

    // The guarded retry: it re-queues a failed push once; a second click changes nothing.
    let (status, _) = app.call("retry_push", &[("request_id", &request)]).await;
    assert!(status.is_redirection() || status.is_success());
    app.push_reaches(&request, "done").await;
    let refused = app
        .form_error("retry_push", &[("request_id", &request)])
        .await;
    assert!(refused.is_some(), "retrying a done push is refused");
    assert_eq!(app.written(&account, "Candidate"), 1);
}

async fn erasing_a_candidate_removes_their_data_and_cancels_their_queued_push(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "greenhouse").await;
    // No verification admin yet: the push waits in the queue.
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let waiting = app.push_reaches(&request, "waiting").await;
    let candidate = waiting["candidate"]["id"].as_str().unwrap().to_string();

    let (status, body) = app
        .api(Method::DELETE, &format!("/candidates/{candidate}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["requests_removed"], 1);
    assert_eq!(body["pushes_cancelled"], 1);
    let (status, _) = app
        .api(Method::GET, &format!("/interview-requests/{request}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(Method::DELETE, &format!("/candidates/{candidate}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "erasing twice finds nothing");

    // Choosing the admin now resumes nothing: the candidate never reaches the ATS.
    app.choose_super_admin().await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(app.writes(&account).len(), 0);
    let (_, r) = app.get_fn("requests", &[]).await;
    assert!(r["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != candidate.as_str()));
    assert!(r["requests"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn foreign_candidates_are_never_stored_and_scorecards_and_offers_never_read() {
    let dir = std::env::temp_dir().join(format!("atsb-min-{}", common::uuid()));
    let db_path = dir.join("atsb.db");
    let app = spawn_app_on(&format!("sqlite://{}?mode=rwc", db_path.display()), &dir).await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    app.control(
        &format!("/accounts/{account}/seed"),
        json!({"foreign_applications": 300}),
    )
    .await;
    let (job, _) = app.open_job(0).await;
    let position = app.import_job(&job).await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let done = app.push_reaches(&request, "done").await;
    let application = done["ats"]["application_id"].as_str().unwrap().to_string();
    app.control(
        &format!("/accounts/{account}/applications/{application}/stage"),
        json!({"stage_name": "Phone Screen"}),
    )
    .await;
    let (status, _) = app.call("sync_now", &[]).await;
    assert!(status.is_redirection() || status.is_success());
    app.eventually("the stage to sync", || async {
        let b = app.request_json(&request).await;
        (b["current_stage"]["name"] == "Phone Screen").then_some(())
    })
    .await;
    app.eventually("the sync to finish", || async {
        let (_, i) = app.get_fn("integration", &[]).await;
        (i["sync"]["running"] == false).then_some(())
    })
    .await;

    let routes = app.sandbox.requests().by_route;
    for forbidden in ["scorecards", "offers"] {
        assert!(
            routes.keys().all(|r| !r.contains(forbidden)),
            "{forbidden} was called: {routes:?}"
        );
    }
    // Nothing of a foreign candidate is in the database files (WAL included).
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().contains("atsb.db") {
            bytes.extend(std::fs::read(path).unwrap());
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    for foreign in [
        "@mail.example",
        "Jordan Sample",
        "Casey Ndlovu",
        "Robin Withdrawn",
    ] {
        assert!(!text.contains(foreign), "{foreign} is stored");
    }
}

async fn the_stage_mapping_decides_the_status_and_closes_requests(backend: Backend) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "workable").await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let done = app.push_reaches(&request, "done").await;
    let application = done["ats"]["application_id"].as_str().unwrap().to_string();

    let (_, s) = app.get_fn("settings", &[]).await;
    let offer = s["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stage"] == "Offer")
        .expect("the Offer stage is listed")
        .clone();
    assert_eq!(offer["status"], "offer");
    assert_eq!(offer["is_default"], true);

    // Bad input changes nothing.
    for (stage, status) in [("Offer", "bogus"), ("No such stage", "hired")] {
        let refused = app
            .form_error("set_stage_mapping", &[("stage", stage), ("status", status)])
            .await;
        assert!(refused.is_some(), "{stage}/{status} is refused");
    }
    // This company treats an offer as the hire.
    app.call(
        "set_stage_mapping",
        &[("stage", "offer"), ("status", "hired")],
    )
    .await;
    let (_, s) = app.get_fn("settings", &[]).await;
    let offer = s["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["stage"] == "Offer")
        .unwrap()
        .clone();
    assert_eq!(offer["status"], "hired");
    assert_eq!(offer["is_default"], false);

    app.control(
        &format!("/accounts/{account}/applications/{application}/stage"),
        json!({"stage_name": "Offer"}),
    )
    .await;
    app.call("sync_now", &[]).await;
    let closed = app
        .eventually("the request to close as hired", || async {
            let b = app.request_json(&request).await;
            (b["state"] == "hired").then_some(b)
        })
        .await;
    assert_eq!(closed["outcome"]["result"], "hired");
    let (_, page) = app.get_fn("request", &[("id", &request)]).await;
    let history: Vec<&str> = page["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h[0].as_str().unwrap())
        .collect();
    assert_eq!(history.last(), Some(&"Offer"), "{page}");
    assert_eq!(page["marketplace_status"], "hired");
}

async fn times_show_in_each_logins_zone_with_its_label(backend: Backend) {
    let app = backend.spawn().await;
    // First sign-in from a browser in Johannesburg saves its zone; later ones keep it.
    for zone in ["Africa/Johannesburg", "Asia/Tokyo"] {
        app.call(
            "login",
            &[
                ("email", app::ssr::seed::DEMO_EMAIL),
                ("password", app::ssr::seed::DEMO_PASSWORD),
                ("time_zone", zone),
            ],
        )
        .await;
    }
    let (_, s) = app.get_fn("settings", &[]).await;
    assert_eq!(s["time_zone"], "Africa/Johannesburg");
    let account = app.connect("workable").await;
    let (job, _) = app.open_job(0).await;
    let position = app.import_job(&job).await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    let done = app.push_reaches(&request, "done").await;
    let application = done["ats"]["application_id"].as_str().unwrap().to_string();
    app.control(
        &format!("/accounts/{account}/applications/{application}/interviews"),
        json!({"start_at": "2027-01-05T08:00:00Z", "end_at": "2027-01-05T09:00:00Z"}),
    )
    .await;
    app.call("sync_now", &[]).await;
    let page = app
        .eventually("the interview to sync", || async {
            let (_, p) = app.get_fn("request", &[("id", &request)]).await;
            (!p["interviews"].as_array()?.is_empty()).then_some(p)
        })
        .await;
    assert_eq!(
        page["interviews"][0]["when"],
        "2027-01-05 10:00 – 11:00 SAST"
    );

    // An unknown zone is refused and changes nothing; a valid one applies at once.
    let refused = app
        .form_error("set_time_zone", &[("time_zone", "Mars/Olympus")])
        .await;
    assert!(refused.is_some_and(|e| e.contains("not a time zone")));
    app.call("set_time_zone", &[("time_zone", "America/New_York")])
        .await;
    let (_, p) = app.get_fn("request", &[("id", &request)]).await;
    assert_eq!(p["interviews"][0]["when"], "2027-01-05 03:00 – 04:00 EST");

    // Cancelled in the ATS: shown as cancelled after the next sync.
    let interview = app.request_json(&request).await["interviews"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.control(
        &format!("/accounts/{account}/interviews/{interview}/cancel"),
        json!({}),
    )
    .await;
    app.call("sync_now", &[]).await;
    app.eventually("the cancellation to sync", || async {
        let (_, p) = app.get_fn("request", &[("id", &request)]).await;
        (p["interviews"][0]["status"] == "cancelled").then_some(())
    })
    .await;
}

async fn disconnecting_deletes_the_account_purges_synced_data_and_cancels_queued_pushes(
    backend: Backend,
) {
    let app = backend.spawn().await;
    let (account, position) = ready(&app, "greenhouse").await;
    // No verification admin: the accepted candidate waits in the queue.
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    app.push_reaches(&request, "waiting").await;

    // A confirmation naming another ATS, or Merge refusing the deletion, changes nothing.
    let wrong = app
        .form_error("disconnect", &[("integration", "Lever")])
        .await;
    assert!(wrong.is_some_and(|e| e.contains("Greenhouse")));
    app.control(
        "/faults",
        json!({"kind": "server_error", "path_prefix": "delete-account"}),
    )
    .await;
    let refused = app
        .form_error("disconnect", &[("integration", "Greenhouse")])
        .await;
    assert!(refused.is_some_and(|e| e.contains("Nothing was changed")));
    let (_, i) = app.get_fn("integration", &[]).await;
    assert_eq!(i["connection"]["integration"], "Greenhouse");
    assert!(i["counts"][1].as_i64().unwrap() > 0);

    let error = app
        .form_error("disconnect", &[("integration", "Greenhouse")])
        .await;
    assert_eq!(error, None);
    let (_, i) = app.get_fn("integration", &[]).await;
    assert!(i["connection"].is_null(), "{i}");
    assert_eq!(i["counts"], json!([0, 0, 0]), "synced data purged");
    let (_, p) = app.get_fn("positions", &[("search", "")]).await;
    assert!(
        p["positions"][0]["job"].is_null(),
        "positions unlinked: {p}"
    );
    let r = app.request_json(&request).await;
    assert_eq!(r["push"]["state"], "cancelled");
    assert!(r["push"]["message"]
        .as_str()
        .unwrap()
        .contains("disconnected"));
    let accounts = app.sandbox_account(&account).await;
    assert_eq!(
        accounts["deleted"], true,
        "Merge deleted the linked account"
    );

    // Connecting again starts from scratch, with one schedule.
    app.connect("greenhouse").await;
    let (_, i) = app.get_fn("integration", &[]).await;
    assert!(i["counts"][1].as_i64().unwrap() > 0);
}

on_both_backends!(
    an_invalid_verification_admin_stops_writes_until_another_is_picked,
    relink_needed_flips_the_status_once_and_queues_writes_until_relinked,
    writes_that_succeeded_but_timed_out_are_not_repeated,
    an_existing_ats_candidate_is_reused_and_one_person_gets_one_candidate_for_two_positions,
    the_single_call_flow_creates_candidate_and_application_in_one_write,
    an_error_with_an_empty_body_still_says_what_happened_and_retry_fixes_it,
    erasing_a_candidate_removes_their_data_and_cancels_their_queued_push,
    the_stage_mapping_decides_the_status_and_closes_requests,
    times_show_in_each_logins_zone_with_its_label,
    disconnecting_deletes_the_account_purges_synced_data_and_cancels_queued_pushes,
);
