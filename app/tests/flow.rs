//! The walking skeleton end to end over real HTTP: a hiring manager connects an ATS (the
//! embedded sandbox), syncs, picks the verification admin, imports a job, sends a request; the
//! candidate accepts; the push lands exactly once; stage, interview and outcome sync back.

mod common;

use common::server::{spawn_app, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn accepted_request_lands_in_the_ats_once_and_its_progress_syncs_back() {
    let app = spawn_app().await;

    // Not signed in: server functions answer 401 and nothing is read.
    let (status, _) = app.get_fn("integration", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.call(
        "login",
        &[("email", app::ssr::seed::DEMO_EMAIL), ("password", "wrong")],
    )
    .await;
    let (_, me) = app.get_fn("me", &[]).await;
    assert!(me.is_null(), "a wrong password signs nobody in: {me}");
    app.sign_in().await;

    let account = app.connect("greenhouse").await;
    let (_, integration) = app.get_fn("integration", &[]).await;
    assert_eq!(integration["connection"]["integration"], "Greenhouse");
    assert_eq!(integration["connection"]["requires_admin"], true);
    assert!(integration["connection"]["admin"].is_null());

    // Import a job as a position.
    let (job_id, job_name) = app.open_job(0).await;
    app.call("import_job", &[("job_id", &job_id)]).await;
    let (_, p) = app.get_fn("positions", &[("search", "")]).await;
    let position = p["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["job"]["id"] == job_id.as_str())
        .expect("imported")
        .clone();
    assert_eq!(position["title"], job_name.as_str());
    let position_id = position["id"].as_str().unwrap().to_string();

    // Send a request; the candidate's link goes to the mailer, not to the hiring manager.
    let request_id = app
        .send_request(&position_id, Some("Łukasz Żółć"), "Let's talk")
        .await;
    let (_, detail) = app.get_fn("request", &[("id", &request_id)]).await;
    assert!(
        !detail.to_string().contains("/respond/"),
        "the hiring manager never sees the answer link"
    );
    let body = app.request_json(&request_id).await;
    assert_eq!(body["state"], "sent");
    assert!(body["candidate_response_url"]
        .as_str()
        .unwrap()
        .contains("/respond/"));

    // The candidate accepts (twice): one push, which waits for the verification admin.
    for _ in 0..2 {
        let (status, body) = app
            .api(
                Method::POST,
                &format!("/interview-requests/{request_id}/accept"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "accepted");
    }
    let waiting = app
        .eventually("the push to wait for the admin", || async {
            let b = app.request_json(&request_id).await;
            (b["push"]["state"] == "waiting").then_some(b)
        })
        .await;
    assert!(
        waiting["push"]["message"]
            .as_str()
            .unwrap()
            .contains("verification admin"),
        "{waiting}"
    );
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/interview-requests/{request_id}/decline"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // Choosing the admin resumes the push; candidate, application and PDF land once.
    let admin = integration["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "SUPER_ADMIN")
        .expect("a super admin")
        .clone();
    app.call(
        "set_verification_admin",
        &[("user_id", admin["id"].as_str().unwrap())],
    )
    .await;
    let done = app
        .eventually("the push to finish", || async {
            let b = app.request_json(&request_id).await;
            (b["push"]["state"] == "done").then_some(b)
        })
        .await;
    let ats_app = done["ats"]["application_id"]
        .as_str()
        .expect("application id")
        .to_string();
    assert!(
        done["ats"]["candidate_id"].is_string() && done["ats"]["attachment_id"].is_string(),
        "{done}"
    );
    let writes = app.sandbox.writes(&account).expect("account writes");
    let writes = serde_json::to_value(&writes).unwrap();
    for model in ["Candidate", "Application", "Attachment"] {
        let of_model: Vec<&Value> = writes
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| {
                w["model"]
                    .as_str()
                    .is_some_and(|m| m.eq_ignore_ascii_case(model))
            })
            .collect();
        assert_eq!(of_model.len(), 1, "exactly one {model} written: {writes}");
        assert_eq!(
            of_model[0]["remote_user_id"], admin["id"],
            "{model} written as the verification admin"
        );
    }

    // The ATS moves the application, schedules an interview, then hires.
    app.control(
        &format!("/accounts/{account}/applications/{ats_app}/stage"),
        json!({"stage_name": "Technical Interview"}),
    )
    .await;
    app.control(
        &format!("/accounts/{account}/applications/{ats_app}/interviews"),
        json!({"start_at": "2026-12-10T09:00:00Z", "end_at": "2026-12-10T10:00:00Z", "location": "Zoom"}),
    )
    .await;
    let tenant = app.state().db.connected_tenants().await.unwrap()[0];
    app::ssr::sync::sync_tenant(app.state(), tenant)
        .await
        .unwrap();
    let body = app.request_json(&request_id).await;
    assert_eq!(
        body["current_stage"]["name"], "Technical Interview",
        "{body}"
    );
    assert_eq!(
        body["interviews"].as_array().unwrap().len(),
        1,
        "only the marketplace application's interview: {body}"
    );
    assert_eq!(body["interviews"][0]["location"], "Zoom");
    assert!(body["outcome"].is_null());

    app.control(
        &format!("/accounts/{account}/applications/{ats_app}/hire"),
        json!({}),
    )
    .await;
    app::ssr::sync::sync_tenant(app.state(), tenant)
        .await
        .unwrap();
    let body = app.request_json(&request_id).await;
    assert_eq!(body["state"], "hired", "{body}");
    assert_eq!(body["outcome"]["result"], "hired");
    assert_eq!(body["current_stage"]["name"], "Hired");
}

#[tokio::test]
async fn a_failed_token_exchange_leaves_no_half_connection() {
    let app = spawn_app().await;
    app.sign_in().await;
    let (_, token) = app.call("create_link_token", &[]).await;
    let public = app
        .sandbox
        .complete_link(token.as_str().unwrap(), "workable")
        .unwrap();
    app.control("/faults", json!({"kind": "exchange_fail", "count": 1}))
        .await;
    let (status, body) = app
        .call("complete_link", &[("public_token", &public)])
        .await;
    assert!(!status.is_success(), "{body}");
    assert!(body.to_string().contains("Nothing was changed"), "{body}");
    let (_, i) = app.get_fn("integration", &[]).await;
    assert!(i["connection"].is_null(), "no connection stored: {i}");
}

#[tokio::test]
async fn a_sync_that_hits_5xx_reports_it_and_keeps_the_data() {
    let app = spawn_app().await;
    app.sign_in().await;
    app.connect("workable").await;
    let (_, before) = app.get_fn("integration", &[]).await;
    assert_eq!(
        before["connection"]["requires_admin"], false,
        "Workable needs no verification admin"
    );
    app.control(
        "/faults",
        json!({"kind": "server_error", "count": 50, "path_prefix": "/api/ats/v1/jobs"}),
    )
    .await;
    let tenant = app.state().db.connected_tenants().await.unwrap()[0];
    assert!(app::ssr::sync::sync_tenant(app.state(), tenant)
        .await
        .is_err());
    let (_, after) = app.get_fn("integration", &[]).await;
    assert_eq!(after["sync"]["failed"], true, "{after}");
    assert!(
        after["sync"]["error"].as_str().unwrap().contains("502"),
        "{after}"
    );
    assert_eq!(after["counts"], before["counts"], "stored data unchanged");
    assert_eq!(
        after["sync"]["last_success"],
        before["sync"]["last_success"]
    );
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(format!("{}/api/login", app.base))
        .header("Origin", "https://evil.example")
        .form(&[
            ("email", app::ssr::seed::DEMO_EMAIL),
            ("password", app::ssr::seed::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, me) = app.get_fn("me", &[]).await;
    assert!(me.is_null(), "no session was created");
    let res = app
        .http
        .post(format!("{}/api/login", app.base))
        .header("Origin", app.base.clone())
        .form(&[("email", "x"), ("password", "y")])
        .send()
        .await
        .unwrap();
    assert_ne!(
        res.status(),
        StatusCode::FORBIDDEN,
        "same-origin posts pass"
    );
}

#[tokio::test]
async fn profile_pdf_links_are_signed_single_purpose_and_expire() {
    let app = spawn_app().await;
    app.sign_in().await;
    let (_, p) = app.get_fn("positions", &[("search", "")]).await;
    let position_id = p["positions"][0]["id"].as_str().unwrap().to_string();
    let request_id = app
        .send_request(&position_id, Some("Дмитрий Иванов"), "")
        .await;
    let crypto = &app.state().crypto;
    let purpose = app::ssr::profile::PURPOSE;
    let fetch = |token: String| {
        let url = app::ssr::profile::url(app.state(), &token);
        let http = app.http.clone();
        async move { http.get(url).send().await.unwrap() }
    };
    let in_an_hour = app::ssr::repo::now() + chrono::Duration::hours(1);
    // Not accepted yet: there is nothing to share.
    assert_eq!(
        fetch(crypto.sign_link(purpose, &request_id, in_an_hour))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.api(
        Method::POST,
        &format!("/interview-requests/{request_id}/accept"),
    )
    .await;
    let res = fetch(crypto.sign_link(purpose, &request_id, in_an_hour)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    let path = std::env::temp_dir().join(format!("atsb-profile-{}.pdf", common::uuid()));
    std::fs::write(&path, &pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("Дмитрий Иванов"),
        "the name is in the PDF text"
    );
    // Expired, tampered, or signed for another purpose: refused.
    let expired = crypto.sign_link(
        purpose,
        &request_id,
        app::ssr::repo::now() - chrono::Duration::seconds(1),
    );
    assert_eq!(fetch(expired).await.status(), StatusCode::GONE);
    let good = crypto.sign_link(purpose, &request_id, in_an_hour);
    assert_eq!(
        fetch(good.replacen(&request_id[..4], "AAAA", 1))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let other_purpose = crypto.sign_link(app::ssr::invitations::PURPOSE, &request_id, in_an_hour);
    assert_eq!(fetch(other_purpose).await.status(), StatusCode::FORBIDDEN);
}

/// Connects Workable (no verification admin needed), accepts a request for an imported job and
/// waits for the push; returns (linked account, request id, ATS application id).
async fn pushed_request(app: &TestApp) -> (String, String, String) {
    app.sign_in().await;
    let account = app.connect("workable").await;
    let (job_id, _) = app.open_job(0).await;
    app.call("import_job", &[("job_id", &job_id)]).await;
    let (_, p) = app.get_fn("positions", &[("search", "")]).await;
    let position = p["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["job"]["id"] == job_id.as_str())
        .unwrap()
        .clone();
    let request_id = app
        .send_request(position["id"].as_str().unwrap(), None, "")
        .await;
    app.api(
        Method::POST,
        &format!("/interview-requests/{request_id}/accept"),
    )
    .await;
    let done = app
        .eventually("the push", || async {
            let b = app.request_json(&request_id).await;
            (b["push"]["state"] == "done").then_some(b)
        })
        .await;
    (
        account,
        request_id,
        done["ats"]["application_id"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_stage_change_webhook_updates_the_request_without_a_manual_sync() {
    let app = spawn_app().await;
    let (account, request_id, ats_app) = pushed_request(&app).await;
    // The sandbox sends a signed Application.changed webhook to /webhooks/merge.
    app.control(
        &format!("/accounts/{account}/applications/{ats_app}/stage"),
        json!({"stage_name": "Phone Screen"}),
    )
    .await;
    let body = app
        .eventually("the webhook to bring the stage", || async {
            let b = app.request_json(&request_id).await;
            (b["current_stage"]["name"] == "Phone Screen").then_some(b)
        })
        .await;
    assert_eq!(body["state"], "accepted");
    let log = app.state().db.deliveries(50).await.unwrap();
    assert!(
        log.iter()
            .any(|d| d.event.eq_ignore_ascii_case("Application.changed")
                && d.model_id.as_deref() == Some(ats_app.as_str())),
        "the delivery is logged with the marketplace application's id"
    );
}

#[tokio::test]
async fn webhooks_delivered_three_times_and_newest_first_leave_the_latest_stage_once() {
    let app = spawn_app().await;
    let (account, request_id, ats_app) = pushed_request(&app).await;
    // Merge's habits, exaggerated: every delivery three times, two changes sent newest first.
    app.control(
        "/webhook-faults",
        json!({"copies": 3, "reverse_batch": 2, "hold_ms": 5000}),
    )
    .await;
    for stage in ["Phone Screen", "Technical Interview"] {
        app.control(
            &format!("/accounts/{account}/applications/{ats_app}/stage"),
            json!({"stage_name": stage}),
        )
        .await;
    }
    let about_this = |d: &&app::ssr::repo::webhooks::DeliveryRow| {
        d.model_id.as_deref() == Some(ats_app.as_str())
    };
    app.eventually("six deliveries: two processed, four duplicates", || async {
        let log = app.state().db.deliveries(100).await.unwrap();
        let processed = log.iter().filter(about_this).count();
        let duplicates = log.iter().filter(|d| d.outcome == "duplicate").count();
        (processed == 2 && duplicates == 4).then_some(())
    })
    .await;
    let body = app.request_json(&request_id).await;
    assert_eq!(
        body["current_stage"]["name"], "Technical Interview",
        "{body}"
    );
    let history: Vec<&str> = body["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert_eq!(
        history
            .iter()
            .filter(|s| **s == "Technical Interview")
            .count(),
        1,
        "the stage arrived once: {history:?}"
    );
    assert!(
        !history.ends_with(&["Phone Screen"]),
        "the older delivery did not move the request back: {history:?}"
    );
}

#[tokio::test]
async fn webhooks_need_a_valid_signature_and_repeats_change_state_once() {
    use secrecy::ExposeSecret;
    let app = spawn_app().await;
    let (account, request_id, ats_app) = pushed_request(&app).await;
    let url = format!("{}/webhooks/merge", app.base);
    let payload = json!({
        "hook": {"id": "hook-1", "event": "APPLICATION.CHANGED", "target": url},
        "linked_account": {"id": account, "status": "COMPLETE"},
        "data": {"id": ats_app, "rejected_at": null}
    })
    .to_string();
    // Unsigned, wrongly signed, or signed over other bytes: 401, nothing processed.
    let key = app.state().config.webhook_key.expose_secret().to_string();
    let forged = merge::webhook::sign(b"not-the-key", payload.as_bytes());
    let other_bytes = merge::webhook::sign(key.as_bytes(), b"{}");
    for signature in [None, Some(forged), Some(other_bytes)] {
        let mut req = app
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(payload.clone());
        if let Some(s) = signature {
            req = req.header("X-Merge-Webhook-Signature", s);
        }
        assert_eq!(req.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    // The same signed delivery arrives three times: processed once, acknowledged each time.
    let signature = merge::webhook::sign(key.as_bytes(), payload.as_bytes());
    let mut answers = vec![];
    for _ in 0..3 {
        let res = app
            .http
            .post(&url)
            .header("X-Merge-Webhook-Signature", &signature)
            .body(payload.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        answers.push(
            res.json::<Value>().await.unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(answers, ["accepted", "duplicate", "duplicate"]);
    let log = app.state().db.deliveries(100).await.unwrap();
    assert_eq!(log.iter().filter(|d| d.outcome == "rejected").count(), 3);
    assert_eq!(log.iter().filter(|d| d.outcome == "duplicate").count(), 2);
    // The upper-case event name was matched and acted on for the marketplace application.
    app.eventually("the delivery to be processed", || async {
        let log = app.state().db.deliveries(100).await.unwrap();
        log.iter()
            .any(|d| {
                d.event == "APPLICATION.CHANGED" && d.model_id.as_deref() == Some(ats_app.as_str())
            })
            .then_some(())
    })
    .await;
    assert_eq!(app.request_json(&request_id).await["state"], "accepted");
}

#[tokio::test]
async fn the_job_picker_offers_a_page_of_matches_with_and_without_javascript() {
    let app = spawn_app().await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    app.control(&format!("/accounts/{account}/seed"), json!({"jobs": 60}))
        .await;
    app.sync_now().await;

    // As the hydrated picker asks while you type: a page of matches, and word of more.
    let (status, all) = app.get_fn("search_jobs", &[("search", "")]).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["jobs"].as_array().unwrap().len(), 25, "{all}");
    assert_eq!(all["more"], true);
    let (_, one) = app
        .get_fn("search_jobs", &[("search", "data SCIENTIST #7")])
        .await;
    let names: Vec<&str> = one["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Data Scientist #7"],
        "any case, name contains: {one}"
    );
    assert_eq!(one["more"], false);
    // LIKE's wildcards are taken literally.
    let (_, none) = app.get_fn("search_jobs", &[("search", "%")]).await;
    assert_eq!(none["jobs"].as_array().unwrap().len(), 0, "{none}");

    // Without JavaScript the search is a GET form: the page renders only the matches.
    let html = app
        .http
        .get(format!("{}/positions?q=Data+Scientist+%237", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(">Data Scientist #7 (ENG-"),
        "the match is offered"
    );
    assert!(!html.contains(">Senior Backend Engineer"), "others are not");
    assert!(html.contains("1 matching job."), "the count is said");

    // Signed out, the search answers 401 and shows nothing.
    let stranger = reqwest::Client::new();
    let res = stranger
        .get(format!("{}/api/search_jobs?search=", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// Posts a webhook signed with the app's key; returns the answer's status.
async fn signed_webhook(app: &TestApp, payload: &Value) -> StatusCode {
    use secrecy::ExposeSecret;
    let key = app.state().config.webhook_key.expose_secret().to_string();
    let body = payload.to_string();
    app.http
        .post(format!("{}/webhooks/merge", app.base))
        .header(
            "X-Merge-Webhook-Signature",
            merge::webhook::sign(key.as_bytes(), body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn account_webhooks_flip_the_connection_status_and_unknown_events_are_ignored() {
    let app = spawn_app().await;
    app.sign_in().await;
    let account = app.connect("workable").await;
    let status = || async {
        let (_, i) = app.get_fn("integration", &[]).await;
        i["connection"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let hook = |event: &str, n: u32, account_status: Option<&str>| {
        json!({
            "hook": {"id": format!("hook-{n}"), "event": event, "target": "x"},
            "linked_account": {"id": account, "status": account_status},
            "data": {"id": format!("thing-{n}")}
        })
    };
    // An event type nobody knows: acknowledged, logged as ignored, nothing changes.
    assert_eq!(
        signed_webhook(&app, &hook("Offer.Teleported", 1, None)).await,
        StatusCode::OK
    );
    app.eventually("the unknown event to be ignored", || async {
        let log = app.state().db.deliveries(100).await.unwrap();
        log.iter()
            .any(|d| d.event == "Offer.Teleported" && d.outcome == "ignored")
            .then_some(())
    })
    .await;
    let before = status().await;
    assert_ne!(before, "RELINK_NEEDED");

    // Merge says the credentials broke, in any letter case: the status flips.
    assert_eq!(
        signed_webhook(
            &app,
            &hook("linkedaccount.SYNCED", 2, Some("RELINK_NEEDED"))
        )
        .await,
        StatusCode::OK
    );
    app.eventually("RELINK_NEEDED", || async {
        (status().await == "RELINK_NEEDED").then_some(())
    })
    .await;
    // The account was deleted in Merge: the connection says so.
    assert_eq!(
        signed_webhook(&app, &hook("LinkedAccount.deleted", 3, Some("COMPLETE"))).await,
        StatusCode::OK
    );
    app.eventually("DELETED", || async {
        (status().await == "DELETED").then_some(())
    })
    .await;
}

#[tokio::test]
async fn health_and_readiness_say_whether_the_database_can_serve() {
    let app = spawn_app().await;
    let get = |path: &'static str| {
        let url = format!("{}{path}", app.base);
        async move {
            let res = reqwest::get(url).await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    assert_eq!(get("/healthz").await, (StatusCode::OK, "ok".into()));
    assert_eq!(get("/readyz").await, (StatusCode::OK, "ready".into()));
    // A migration this build knows goes missing (as when an older build's database is used).
    let db = &app.state().db;
    match db {
        app::ssr::db::Db::Sqlite(p) => {
            sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)")
                .execute(p)
                .await
                .unwrap();
        }
        app::ssr::db::Db::Postgres(_) => unreachable!("spawn_app runs on SQLite"),
    }
    let (status, text) = get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(text.contains("migrations"), "{text}");
    // The database goes away: not ready, while the process itself is still up.
    if let app::ssr::db::Db::Sqlite(p) = db {
        p.close().await;
    }
    assert_eq!(get("/readyz").await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get("/healthz").await, (StatusCode::OK, "ok".into()));
}
