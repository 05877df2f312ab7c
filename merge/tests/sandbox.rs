//! The sandbox's behaviour over real HTTP: linking, auth, pagination, filters, expand, the
//! write rules (remote_user_id, duplicates, attachments), the control API, faults, the rate
//! limit and signed webhooks. Uses `merge::Client` where the product would.

#![cfg(feature = "sandbox")]

mod sandbox_support;

use std::collections::HashSet;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use chrono::Utc;
use merge::sandbox::SandboxConfig;
use merge::{
    Application, ApplicationRequest, AttachmentRequest, CandidateRequest, Client,
    EmailAddressRequest, JobInterviewStage, ListQuery, MergeError, Ref, RemoteUser,
};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{json, Value};

use sandbox_support::{file_server, serve, TestSandbox, KEY};

fn client(sb: &TestSandbox) -> Client {
    Client::with_timeouts(
        sb.api_root(),
        SecretString::from(KEY),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .expect("client")
}

fn candidate(first: &str, email: &str) -> CandidateRequest {
    CandidateRequest {
        first_name: Some(first.to_owned()),
        last_name: Some("Tester".to_owned()),
        email_addresses: Some(vec![EmailAddressRequest {
            value: email.to_owned(),
            email_address_type: None,
        }]),
        ..CandidateRequest::default()
    }
}

fn problem_type(e: &MergeError) -> String {
    e.problem_type().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn pages_of_two_visit_every_user_exactly_once_and_previous_goes_back() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-pages").await;
    let c = client(&sb);
    let all: Vec<RemoteUser> = c
        .collect_all(&acct.token, &ListQuery::default())
        .await
        .expect("all users");
    let paged: Vec<RemoteUser> = c
        .collect_all(&acct.token, &ListQuery::default().page_size(2))
        .await
        .expect("paged users");
    assert_eq!(all.len(), 8);
    let ids: Vec<&str> = paged.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, all.iter().map(|u| u.id.as_str()).collect::<Vec<_>>());
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 8);

    let first = c
        .list_users(&acct.token, &ListQuery::default().page_size(2))
        .await
        .expect("page 1");
    assert!(first.previous.is_none());
    let second = c
        .list_users(
            &acct.token,
            &ListQuery::default()
                .page_size(2)
                .cursor(first.next.clone().expect("next")),
        )
        .await
        .expect("page 2");
    let back = c
        .list_users(
            &acct.token,
            &ListQuery::default()
                .page_size(2)
                .cursor(second.previous.clone().expect("previous")),
        )
        .await
        .expect("page 1 again");
    assert_eq!(back.results, first.results);

    let resp = sb.get(&acct.token, "/users?cursor=garbage!").await;
    assert_eq!(resp.status(), 400);
    let resp = sb.get(&acct.token, "/users?page_size=1000").await;
    let page: Value = resp.json().await.expect("JSON");
    assert_eq!(page["results"].as_array().map(Vec::len), Some(8));
}

#[tokio::test]
async fn incremental_pull_with_modified_after_sees_only_the_changed_application() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("lever", "t-incr").await;
    let c = client(&sb);
    let apps: Vec<Application> = c
        .collect_all(&acct.token, &ListQuery::default())
        .await
        .expect("applications");
    let app = &apps[0];
    let watermark = Utc::now();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let none: Vec<Application> = c
        .collect_all(&acct.token, &ListQuery::default().modified_after(watermark))
        .await
        .expect("nothing changed yet");
    assert!(none.is_empty());

    let (s, _) = sb
        .control(
            Method::POST,
            &format!(
                "/_sandbox/accounts/{}/applications/{}/stage",
                acct.id, app.id
            ),
            Some(json!({"stage_name": "Technical Interview"})),
        )
        .await;
    assert_eq!(s, 200);
    let changed: Vec<Application> = c
        .collect_all(&acct.token, &ListQuery::default().modified_after(watermark))
        .await
        .expect("changed");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id, app.id);
    assert!(changed[0].modified_at.expect("modified_at") > watermark);
}

#[tokio::test]
async fn deleted_records_appear_only_with_include_deleted_data() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-deleted").await;
    let live = sb.get_json(&acct.token, "/candidates").await;
    let all = sb
        .get_json(&acct.token, "/candidates?include_deleted_data=true")
        .await;
    let count = |v: &Value| v["results"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(count(&all), count(&live) + 1);
    assert!(all["results"]
        .as_array()
        .expect("results")
        .iter()
        .any(|c| c["remote_was_deleted"] == true));

    // Deleting a job through the control API hides it from the default list.
    let job = sb.open_job_id(&acct.token).await;
    let (s, body) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/jobs/{job}/delete", acct.id),
            None,
        )
        .await;
    assert_eq!((s, body["remote_was_deleted"].clone()), (200, json!(true)));
    let jobs = sb.get_json(&acct.token, "/jobs").await;
    assert!(!jobs["results"]
        .as_array()
        .expect("results")
        .iter()
        .any(|j| j["id"] == job.as_str()));
}

#[tokio::test]
async fn expand_nests_the_related_objects() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-expand").await;
    let c = client(&sb);
    let page = c
        .list_applications(
            &acct.token,
            &ListQuery::default()
                .expand("current_stage")
                .expand("candidate")
                .expand("job"),
        )
        .await
        .expect("expanded applications");
    let app = &page.results[0];
    assert!(matches!(app.candidate, Some(Ref::Object(_))));
    assert!(matches!(app.job, Some(Ref::Object(_))));
    let stage = app
        .current_stage
        .as_ref()
        .and_then(Ref::object)
        .expect("expanded stage");
    assert!(stage.name.is_some());

    let plain = c
        .retrieve_application(&acct.token, &app.id, &[])
        .await
        .expect("plain");
    assert!(matches!(plain.candidate, Some(Ref::Id(_))));

    let stages: Vec<JobInterviewStage> = c
        .collect_all(&acct.token, &ListQuery::default().expand("job"))
        .await
        .expect("stages");
    assert!(stages.iter().any(|s| matches!(s.job, Some(Ref::Object(_)))));
    assert!(stages
        .iter()
        .any(|s| s.job.is_none() && s.stage_order.is_none()));

    let resp = sb.get(&acct.token, "/applications?expand=scorecards").await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn greenhouse_refuses_writes_without_a_valid_remote_user_and_workable_accepts_them() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let gh = sb.link("greenhouse", "t-gh").await;
    let actions = c.available_actions(&gh.token).await.expect("actions");
    assert!(actions.requires_remote_user_id("Candidate"));
    assert!(actions.requires_remote_user_id("Application"));
    assert!(actions.requires_remote_user_id("Attachment"));

    let err = c
        .create_candidate(&gh.token, &candidate("Nomad", "nomad@example.com"), None)
        .await
        .expect_err("missing remote_user_id");
    assert_eq!(err.status(), Some(400));
    assert_eq!(problem_type(&err), "MISSING_REQUIRED_FIELD");
    assert!(err.to_string().contains("remote_user_id"));

    let err = c
        .create_candidate(
            &gh.token,
            &candidate("Nomad", "nomad@example.com"),
            Some("00000000-0000-4000-8000-000000000000"),
        )
        .await
        .expect_err("unknown user");
    assert_eq!(err.status(), Some(400));

    let users: Vec<RemoteUser> = c
        .collect_all(&gh.token, &ListQuery::default())
        .await
        .expect("users");
    let disabled = users
        .iter()
        .find(|u| u.disabled == Some(true))
        .expect("a disabled user");
    let err = c
        .create_candidate(
            &gh.token,
            &candidate("Nomad", "nomad@example.com"),
            Some(&disabled.id),
        )
        .await
        .expect_err("disabled user");
    assert!(err.to_string().contains("disabled"));

    let admin = sb.admin_id(&gh.token).await;
    let ok = c
        .create_candidate(
            &gh.token,
            &candidate("Nomad", "nomad@example.com"),
            Some(&admin),
        )
        .await
        .expect("valid user");
    assert!(ok.model.is_some());

    let wk = sb.link("workable", "t-wk").await;
    let actions = c.available_actions(&wk.token).await.expect("actions");
    assert!(!actions.any_write_requires_remote_user_id());
    let ok = c
        .create_candidate(&wk.token, &candidate("Free", "free@example.com"), None)
        .await
        .expect("workable needs no remote user");
    let writes = sb.sandbox.writes(&wk.id).expect("writes");
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].id, ok.model.expect("model").id);
    assert_eq!(writes[0].remote_user_id, None);
}

#[tokio::test]
async fn duplicate_e_mail_and_duplicate_application_are_refused() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-dup").await;
    let c = client(&sb);
    let admin = sb.admin_id(&acct.token).await;
    let first = c
        .create_candidate(
            &acct.token,
            &candidate("Dee", "dee@example.com"),
            Some(&admin),
        )
        .await
        .expect("first");
    let err = c
        .create_candidate(
            &acct.token,
            &candidate("Dee", "DEE@example.com"),
            Some(&admin),
        )
        .await
        .expect_err("duplicate");
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        problem_type(&err),
        "MODEL_WITH_DUPLICATE_UNIQUE_FIELD_EXISTS"
    );

    let cid = first.model.expect("model").id;
    let job = sb.open_job_id(&acct.token).await;
    let app = ApplicationRequest {
        candidate: Some(Ref::Id(cid)),
        job: Some(job),
        ..ApplicationRequest::default()
    };
    c.create_application(&acct.token, &app, Some(&admin))
        .await
        .expect("application");
    let err = c
        .create_application(&acct.token, &app, Some(&admin))
        .await
        .expect_err("duplicate application");
    assert_eq!(problem_type(&err), "DUPLICATE_MODEL_EXISTS");
}

#[tokio::test]
async fn nested_candidate_dedupes_on_greenhouse_and_is_refused_on_workable() {
    let sb = TestSandbox::start().await;
    let c = client(&sb);
    let gh = sb.link("greenhouse", "t-nested").await;
    let admin = sb.admin_id(&gh.token).await;
    let jobs = sb.get_json(&gh.token, "/jobs?status=OPEN").await;
    let job = |i: usize| jobs["results"][i]["id"].as_str().expect("job").to_owned();
    let nested = |job: String| ApplicationRequest {
        candidate: Some(Ref::Object(Box::new(candidate("Nia", "nia@example.com")))),
        job: Some(job),
        ..ApplicationRequest::default()
    };
    let a = c
        .create_application(&gh.token, &nested(job(0)), Some(&admin))
        .await
        .expect("nested create")
        .model
        .expect("model");
    let b = c
        .create_application(&gh.token, &nested(job(1)), Some(&admin))
        .await
        .expect("nested dedupe")
        .model
        .expect("model");
    let cid = |app: &Application| app.candidate.as_ref().map(|r| r.id().to_owned());
    assert_eq!(cid(&a), cid(&b));
    let found = c
        .list_candidates(
            &gh.token,
            &ListQuery::default().filter("email_addresses", "nia@example.com"),
        )
        .await
        .expect("search by e-mail");
    assert_eq!(found.results.len(), 1);

    let wk = sb.link("workable", "t-nested-wk").await;
    let wk_job = sb.open_job_id(&wk.token).await;
    let err = c
        .create_application(&wk.token, &nested(wk_job), None)
        .await
        .expect_err("workable has no single-call flow");
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn attachments_must_be_downloadable_pdfs_and_are_recorded_with_size_and_hash() {
    let sb = TestSandbox::start().await;
    let files = file_server().await;
    let acct = sb.link("workable", "t-att").await;
    let c = client(&sb);
    let cand = c
        .create_candidate(&acct.token, &candidate("Pat", "pat@example.com"), None)
        .await
        .expect("candidate")
        .model
        .expect("model");
    let attach = |path: &str| AttachmentRequest {
        file_name: Some("profile.pdf".to_owned()),
        file_url: Some(format!("{files}{path}")),
        candidate: Some(cand.id.clone()),
        attachment_type: Some(merge::AttachmentType::Resume),
        ..AttachmentRequest::default()
    };
    for bad in ["/page.html", "/gone.pdf"] {
        let err = c
            .create_attachment(&acct.token, &attach(bad), None)
            .await
            .expect_err("not a PDF");
        assert_eq!(problem_type(&err), "CORRUPTED_FILE", "{bad}");
    }
    let ok = c
        .create_attachment(&acct.token, &attach("/profile.pdf"), None)
        .await
        .expect("PDF accepted")
        .model
        .expect("model");
    let writes = sb.sandbox.writes(&acct.id).expect("writes");
    let w = writes.last().expect("attachment write");
    assert_eq!((w.model, w.id.as_str()), ("Attachment", ok.id.as_str()));
    let file = w.file.as_ref().expect("file info");
    assert_eq!(file.size, sandbox_support::TINY_PDF.len() as u64);
    assert_eq!(file.sha256.len(), 64);

    let (_, logged) = sb
        .control(
            Method::GET,
            &format!("/_sandbox/accounts/{}/writes", acct.id),
            None,
        )
        .await;
    assert_eq!(logged[1]["file"]["sha256"], file.sha256.as_str());
    let cand_now = sb
        .get_json(&acct.token, &format!("/candidates/{}", cand.id))
        .await;
    assert_eq!(cand_now["attachments"][0], ok.id.as_str());
}

#[tokio::test]
async fn control_api_moves_a_stage_and_the_application_reads_back_with_it() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-stage").await;
    let c = client(&sb);
    let app = &c
        .list_applications(&acct.token, &ListQuery::default())
        .await
        .expect("apps")
        .results[0];
    let path = |p: &str| format!("/_sandbox/accounts/{}/applications/{}/{p}", acct.id, app.id);
    let (s, moved) = sb
        .control(
            Method::POST,
            &path("stage"),
            Some(json!({"stage_name": "Offer"})),
        )
        .await;
    assert_eq!(s, 200, "{moved}");
    let read = c
        .retrieve_application(&acct.token, &app.id, &["current_stage"])
        .await
        .expect("read back");
    let stage = read
        .current_stage
        .as_ref()
        .and_then(Ref::object)
        .expect("stage");
    assert_eq!(stage.name.as_deref(), Some("Offer"));

    let (s, _) = sb.control(Method::POST, &path("hire"), None).await;
    assert_eq!(s, 200);
    let read = c
        .retrieve_application(&acct.token, &app.id, &["current_stage"])
        .await
        .expect("read back");
    let stage = read
        .current_stage
        .as_ref()
        .and_then(Ref::object)
        .expect("stage");
    assert_eq!(stage.name.as_deref(), Some("Hired"));

    let (s, rejected) = sb
        .control(
            Method::POST,
            &path("reject"),
            Some(json!({"reason": "Candidate withdrew"})),
        )
        .await;
    assert_eq!(s, 200);
    assert!(rejected["rejected_at"].is_string());

    let (s, iv) = sb
        .control(
            Method::POST,
            &path("interviews"),
            Some(json!({"start_at": "2030-02-01T09:00:00Z", "end_at": "2030-02-01T10:00:00Z"})),
        )
        .await;
    assert_eq!(s, 200, "{iv}");
    let iid = iv["id"].as_str().expect("interview id");
    let listed = sb
        .get_json(
            &acct.token,
            &format!("/interviews?application_id={}", app.id),
        )
        .await;
    assert!(listed["results"]
        .as_array()
        .expect("results")
        .iter()
        .any(|i| i["id"] == iid));
    let (s, cancelled) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/interviews/{iid}/cancel", acct.id),
            None,
        )
        .await;
    assert_eq!(
        (s, cancelled["remote_was_deleted"].clone()),
        (200, json!(true))
    );

    let (s, _) = sb
        .control(
            Method::POST,
            &path("stage"),
            Some(json!({"stage_name": "Nope"})),
        )
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn relinking_the_same_origin_keeps_one_account_and_public_tokens_are_single_use() {
    let sb = TestSandbox::start().await;
    let first = sb.link("greenhouse", "tenant-7").await;
    let (s, _) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/status", first.id),
            Some(json!({"status": "RELINK_NEEDED"})),
        )
        .await;
    assert_eq!(s, 200);
    let details = sb.get_json(&first.token, "/account-details").await;
    assert_eq!(details["status"], "RELINK_NEEDED");

    let lt = sb.link_token("tenant-7").await;
    assert_eq!(lt["integration_name"], "Greenhouse");
    let (_, done) = sb
        .complete(lt["link_token"].as_str().expect("lt"), "greenhouse")
        .await;
    let public = done["public_token"].as_str().expect("public token");
    let resp = sb.exchange(public).await;
    assert_eq!(resp.status(), 200);
    let again: Value = resp.json().await.expect("JSON");
    assert_eq!(again["id"], first.id.as_str());
    assert_eq!(again["account_token"], first.token.as_str());
    assert_eq!(sb.exchange(public).await.status(), 400);

    let (_, accounts) = sb
        .control(
            Method::GET,
            "/_sandbox/accounts?end_user_origin_id=tenant-7",
            None,
        )
        .await;
    assert_eq!(accounts.as_array().map(Vec::len), Some(1));
    let details = sb.get_json(&first.token, "/account-details").await;
    assert_eq!(details["status"], "COMPLETE");

    // A used link token cannot link again.
    let (s, err) = sb
        .complete(lt["link_token"].as_str().expect("lt"), "greenhouse")
        .await;
    assert_eq!(s, 400, "{err}");
}

#[tokio::test]
async fn auth_is_checked_and_deleted_accounts_stop_working() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("recruitee", "t-auth").await;
    let url = sb.url("/api/ats/v1/jobs");
    let no_key = sb
        .http
        .get(&url)
        .header("X-Account-Token", &acct.token)
        .send()
        .await
        .expect("request");
    assert_eq!(no_key.status(), 401);
    let body: Value = no_key.json().await.expect("JSON");
    assert!(body["detail"].is_string());
    let wrong_key = sb
        .http
        .get(&url)
        .bearer_auth("nope")
        .header("X-Account-Token", &acct.token)
        .send()
        .await
        .expect("request");
    assert_eq!(wrong_key.status(), 401);
    assert_eq!(sb.get("unknown-token", "/jobs").await.status(), 401);

    let c = client(&sb);
    c.delete_account(&acct.token).await.expect("deleted");
    assert!(matches!(
        c.account_details(&acct.token).await,
        Err(MergeError::Unauthorized)
    ));
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 401);
}

#[tokio::test]
async fn faults_produce_429_502_html_malformed_bodies_and_failed_exchanges() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("lever", "t-faults").await;
    let c = client(&sb);
    let fault = |spec: Value| {
        let sb = &sb;
        async move {
            let (s, body) = sb
                .control(Method::POST, "/_sandbox/faults", Some(spec))
                .await;
            assert_eq!(s, 200, "{body}");
        }
    };

    fault(json!({"kind": "rate_limit", "count": 1, "path_prefix": "/api/ats/v1/jobs", "retry_after_secs": 3})).await;
    let users_ok = sb.get(&acct.token, "/users").await;
    assert_eq!(
        users_ok.status(),
        200,
        "the prefix limits the fault to /jobs"
    );
    let resp = sb.get(&acct.token, "/jobs").await;
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "3");
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(body["detail"], "Request was throttled.");
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200, "count 1");

    fault(json!({"kind": "rate_limit", "account_id": acct.id, "retry_after_secs": 7})).await;
    let err = c
        .list_jobs(&acct.token, &ListQuery::default())
        .await
        .expect_err("throttled");
    assert_eq!(
        err,
        MergeError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );

    fault(json!({"kind": "server_error"})).await;
    let resp = sb.get(&acct.token, "/jobs").await;
    assert_eq!(resp.status(), 502);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/html"));

    fault(json!({"kind": "malformed"})).await;
    let err = c
        .list_jobs(&acct.token, &ListQuery::default())
        .await
        .expect_err("malformed");
    assert!(matches!(err, MergeError::Decode { .. }), "{err:?}");

    fault(json!({"kind": "slow", "delay_ms": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    fault(json!({"kind": "timeout", "delay_ms": 10_000})).await;
    let err = Client::with_timeouts(
        sb.api_root(),
        SecretString::from(KEY),
        Duration::from_secs(1),
        Duration::from_millis(500),
    )
    .expect("client")
    .list_jobs(&acct.token, &ListQuery::default())
    .await
    .expect_err("timed out");
    assert_eq!(err, MergeError::Timeout);

    // The account-token exchange fails once; the public token still works afterwards.
    let lt = sb.link_token("t-faults-2").await;
    let (_, done) = sb
        .complete(lt["link_token"].as_str().expect("lt"), "workable")
        .await;
    let public = done["public_token"].as_str().expect("public token");
    fault(json!({"kind": "exchange_fail"})).await;
    assert_eq!(sb.exchange(public).await.status(), 500);
    assert_eq!(sb.exchange(public).await.status(), 200);

    let (s, list) = sb.control(Method::GET, "/_sandbox/faults", None).await;
    assert_eq!((s, list), (200, json!([])));
    fault(json!({"kind": "server_error", "count": 5})).await;
    let (s, _) = sb.control(Method::DELETE, "/_sandbox/faults", None).await;
    assert_eq!(s, 200);
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200);
}

#[tokio::test]
async fn a_lost_write_happens_but_the_client_sees_504() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-lost").await;
    let c = client(&sb);
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"kind": "write_lost", "path_prefix": "candidates"})),
        )
        .await;
    assert_eq!(s, 200);
    let err = c
        .create_candidate(&acct.token, &candidate("Lou", "lou@example.com"), None)
        .await
        .expect_err("response lost");
    assert_eq!(err.status(), Some(504));
    let found = c
        .list_candidates(
            &acct.token,
            &ListQuery::default().filter("email_addresses", "lou@example.com"),
        )
        .await
        .expect("search");
    assert_eq!(found.results.len(), 1);
    let writes = sb.sandbox.writes(&acct.id).expect("writes");
    assert!(writes[0].response_lost);
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_beyond_requests_per_minute() {
    let sb = TestSandbox::start_with(SandboxConfig {
        api_key: KEY.to_owned(),
        requests_per_minute: 5,
        ..SandboxConfig::default()
    })
    .await;
    let acct = sb.link("greenhouse", "t-rate").await;
    let other = sb.link("greenhouse", "t-rate-other").await;
    for _ in 0..5 {
        assert_eq!(sb.get(&acct.token, "/users").await.status(), 200);
    }
    let resp = sb.get(&acct.token, "/users").await;
    assert_eq!(resp.status(), 429);
    let secs: u64 = resp.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&secs));
    assert_eq!(
        sb.get(&other.token, "/users").await.status(),
        200,
        "the limit is per linked account"
    );
}

#[tokio::test]
async fn control_api_refuses_forwarded_remote_clients_and_unknown_accounts() {
    let sb = TestSandbox::start().await;
    let resp = sb
        .http
        .get(sb.url("/_sandbox/accounts"))
        .header("X-Forwarded-For", "198.51.100.7")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 403);
    let (s, _) = sb
        .control(Method::GET, "/_sandbox/accounts/nope", None)
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn stage_changes_are_delivered_as_signed_webhooks() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let receiver = Router::new().route(
        "/merge",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((headers, body));
                "ok"
            }
        }),
    );
    let hooks = serve(receiver).await;
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-hooks").await;
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": format!("{hooks}/merge"), "key": "whsec_test"})),
        )
        .await;
    assert_eq!(s, 200);
    let apps = sb.get_json(&acct.token, "/applications").await;
    let app_id = apps["results"][0]["id"].as_str().expect("app").to_owned();
    let (s, moved) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/applications/{app_id}/stage", acct.id),
            Some(json!({"stage_name": "Technical Interview"})),
        )
        .await;
    assert_eq!(s, 200);

    let (headers, body) = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("webhook within 5 s")
        .expect("webhook");
    let signature = headers["x-merge-webhook-signature"]
        .to_str()
        .expect("signature");
    assert!(merge::webhook::verify(b"whsec_test", &body, signature));
    assert!(!merge::webhook::verify(b"other-key", &body, signature));
    let payload: merge::WebhookPayload = serde_json::from_slice(&body).expect("payload");
    assert_eq!(payload.event(), "Application.changed");
    assert_eq!(
        payload.linked_account.as_ref().map(|a| a.id.as_str()),
        Some(acct.id.as_str())
    );
    let data: Application = payload.data_as().expect("application");
    assert_eq!(data.id, app_id);
    assert_eq!(
        data.current_stage.as_ref().map(|s| s.id().to_owned()),
        moved["current_stage"].as_str().map(str::to_owned)
    );

    // The delivery is logged.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (_, log) = sb.control(Method::GET, "/_sandbox/webhooks", None).await;
    assert_eq!(log["deliveries"][0]["status"], 200);
}

#[tokio::test]
async fn link_script_and_session_endpoints_behave_like_merge_link() {
    let sb = TestSandbox::start().await;
    let resp = sb
        .http
        .get(sb.url(merge::sandbox::LINK_SCRIPT_PATH))
        .send()
        .await
        .expect("script");
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .contains("javascript"));
    let js = resp.text().await.expect("text");
    assert!(js.contains("window.MergeLink") && js.contains("Merge Link (sandbox)"));

    let resp = sb
        .http
        .get(sb.url("/merge-link/api/session?link_token=unknown"))
        .send()
        .await
        .expect("session");
    assert_eq!(resp.status(), 400);
    let lt = sb.link_token("t-link").await;
    let session: Value = sb
        .http
        .get(sb.url(&format!(
            "/merge-link/api/session?link_token={}",
            lt["link_token"].as_str().expect("lt")
        )))
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("JSON");
    let slugs: Vec<&str> = session["integrations"]
        .as_array()
        .expect("integrations")
        .iter()
        .filter_map(|i| i["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["greenhouse", "lever", "workable", "recruitee"]);
    let (s, _) = sb
        .complete(lt["link_token"].as_str().expect("lt"), "bamboohr")
        .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn writes_fail_while_the_account_needs_a_relink() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-relink-writes").await;
    let (s, _) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/status", acct.id),
            Some(json!({"status": "RELINK_NEEDED"})),
        )
        .await;
    assert_eq!(s, 200);
    let err = client(&sb)
        .create_candidate(&acct.token, &candidate("Rae", "rae@example.com"), None)
        .await
        .expect_err("relink needed");
    assert_eq!(problem_type(&err), "CREDENTIAL_REFRESH_FAILED");
    assert_eq!(
        sb.get(&acct.token, "/jobs").await.status(),
        200,
        "reads still work"
    );
}

#[tokio::test]
async fn seeding_more_data_grows_the_account() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-seed").await;
    let (s, added) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/seed", acct.id),
            Some(json!({"jobs": 250, "users": 20, "foreign_applications": 30})),
        )
        .await;
    assert_eq!(s, 200, "{added}");
    let (_, summary) = sb
        .control(
            Method::GET,
            &format!("/_sandbox/accounts/{}", acct.id),
            None,
        )
        .await;
    assert_eq!(summary["counts"]["jobs"], 256);
    assert_eq!(summary["counts"]["users"], 28);
    assert_eq!(summary["counts"]["job_interview_stages"], 256 * 5 + 1);
    let jobs: Vec<merge::Job> = client(&sb)
        .collect_all(&acct.token, &ListQuery::default().page_size(100))
        .await
        .expect("jobs");
    assert_eq!(jobs.len(), 256);
}

/// A webhook receiver that records `(signature, body)` of every delivery and answers after
/// `delay`; returns its base URL and the channel of deliveries.
async fn recording_receiver(
    delay: Duration,
) -> (
    String,
    tokio::sync::mpsc::UnboundedReceiver<(String, Value)>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<(String, Value)>();
    let receiver = Router::new().route(
        "/merge",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            async move {
                let signature = headers["x-merge-webhook-signature"]
                    .to_str()
                    .unwrap_or_default()
                    .to_owned();
                let _ = tx.send((signature, serde_json::from_slice(&body).unwrap_or_default()));
                tokio::time::sleep(delay).await;
                "ok"
            }
        }),
    );
    (serve(receiver).await, rx)
}

async fn next_delivery(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<(String, Value)>,
) -> (String, Value) {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("a delivery within 5 s")
        .expect("delivery")
}

#[tokio::test]
async fn webhook_faults_repeat_deliveries_and_send_a_batch_newest_first() {
    let (hooks, mut rx) = recording_receiver(Duration::ZERO).await;
    let sb = TestSandbox::start().await;
    let acct = sb.link("greenhouse", "t-hook-faults").await;
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": format!("{hooks}/merge"), "key": "whsec_test"})),
        )
        .await;
    assert_eq!(s, 200);
    for bad in [
        json!({"copies": 0}),
        json!({"retries": 9}),
        json!({"nope": 1}),
    ] {
        let (s, body) = sb
            .control(Method::POST, "/_sandbox/webhook-faults", Some(bad.clone()))
            .await;
        assert_eq!(s, 400, "{bad} is refused: {body}");
    }
    let (s, set) = sb
        .control(
            Method::POST,
            "/_sandbox/webhook-faults",
            Some(json!({"copies": 2, "reverse_batch": 3, "hold_ms": 5000})),
        )
        .await;
    assert_eq!(s, 200, "{set}");
    let (_, read_back) = sb
        .control(Method::GET, "/_sandbox/webhook-faults", None)
        .await;
    assert_eq!(read_back["copies"], 2);
    assert_eq!(read_back["reverse_batch"], 3);

    // Three changes to three applications, in this order.
    let apps = sb.get_json(&acct.token, "/applications").await;
    let ids: Vec<String> = apps["results"]
        .as_array()
        .expect("results")
        .iter()
        .take(3)
        .map(|a| a["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        let (s, _) = sb
            .control(
                Method::POST,
                &format!("/_sandbox/accounts/{}/applications/{id}/stage", acct.id),
                Some(json!({"stage_name": "Technical Interview"})),
            )
            .await;
        assert_eq!(s, 200);
    }
    let mut seen = vec![];
    for _ in 0..6 {
        seen.push(next_delivery(&mut rx).await);
    }
    let order: Vec<&str> = seen
        .iter()
        .map(|(_, body)| body["data"]["id"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<&str> = ids
        .iter()
        .rev()
        .flat_map(|id| [id.as_str(), id.as_str()])
        .collect();
    assert_eq!(order, expected, "newest first, each twice");
    for pair in seen.chunks(2) {
        assert_eq!(pair[0].0, pair[1].0, "a copy carries the same signature");
        assert!(!pair[0].0.is_empty());
    }
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err(),
        "nothing more"
    );
}

#[tokio::test]
async fn a_slow_webhook_receiver_gets_the_same_delivery_again() {
    let (hooks, mut rx) = recording_receiver(Duration::from_millis(400)).await;
    let sb = TestSandbox::start().await;
    let acct = sb.link("lever", "t-hook-slow").await;
    for (path, body) in [
        (
            "/_sandbox/webhooks",
            json!({"url": format!("{hooks}/merge"), "key": "whsec_test"}),
        ),
        (
            "/_sandbox/webhook-faults",
            json!({"receiver_timeout_ms": 100, "retries": 2}),
        ),
    ] {
        let (s, answer) = sb.control(Method::POST, path, Some(body)).await;
        assert_eq!(s, 200, "{answer}");
    }
    let apps = sb.get_json(&acct.token, "/applications").await;
    let app_id = apps["results"][0]["id"].as_str().expect("app").to_owned();
    let (s, _) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/applications/{app_id}/stage", acct.id),
            Some(json!({"stage_name": "Technical Interview"})),
        )
        .await;
    assert_eq!(s, 200);
    let first = next_delivery(&mut rx).await;
    for _ in 0..2 {
        let again = next_delivery(&mut rx).await;
        assert_eq!(again.0, first.0, "the same signature");
        assert_eq!(again.1, first.1, "the same body");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (_, log) = sb.control(Method::GET, "/_sandbox/webhooks", None).await;
    let attempts: Vec<&Value> = log["deliveries"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter(|d| d["model_id"] == app_id.as_str())
        .collect();
    assert_eq!(attempts.len(), 3, "{log}");
    assert!(attempts
        .iter()
        .all(|d| d["error"] == "receiver slower than 100 ms" && d["status"].is_null()));
}

/// Points the sandbox's webhooks at a receiver that answers 200 to everything.
async fn accept_webhooks(sb: &TestSandbox) {
    let sink = serve(Router::new().route("/merge", post(|| async { "ok" }))).await;
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": format!("{sink}/merge"), "key": "whsec_test"})),
        )
        .await;
    assert_eq!(s, 200);
}

/// Waits (up to 5 s) until the delivery log has `event` about `model_id`.
async fn delivered(sb: &TestSandbox, event: &str, model_id: &str) -> bool {
    for _ in 0..100 {
        let (_, log) = sb.control(Method::GET, "/_sandbox/webhooks", None).await;
        let found = log["deliveries"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["event"] == event && d["model_id"] == model_id);
        if found {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// The id of the account's user called `first`.
async fn user_named(sb: &TestSandbox, token: &str, first: &str) -> String {
    let users = sb.get_json(token, "/users").await;
    users["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|u| u["first_name"] == first)
        .and_then(|u| u["id"].as_str())
        .expect("user")
        .to_owned()
}

#[tokio::test]
async fn an_empty_error_fault_answers_its_status_with_an_empty_body_and_writes_nothing() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-empty").await;
    let (s, armed) = sb
        .control(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"kind": "empty_error", "status": 400, "path_prefix": "candidates"})),
        )
        .await;
    assert_eq!(s, 200, "{armed}");
    assert_eq!(armed[0]["status"], 400);
    assert_eq!(
        sb.get(&acct.token, "/jobs").await.status(),
        200,
        "the prefix limits the fault to /candidates"
    );
    let resp = sb
        .http
        .post(sb.url("/api/ats/v1/candidates"))
        .bearer_auth(KEY)
        .header("X-Account-Token", &acct.token)
        .json(&json!({"model": {"first_name": "Em", "last_name": "Tee",
                      "email_addresses": [{"value": "em@example.com"}]}}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.headers()["content-length"], "0");
    assert!(resp.headers().get("content-type").is_none());
    assert!(resp.bytes().await.expect("body").is_empty());
    assert_eq!(sb.sandbox.writes(&acct.id).expect("writes").len(), 0);
    let found = sb
        .get_json(&acct.token, "/candidates?email_addresses=em@example.com")
        .await;
    assert_eq!(found["results"], json!([]), "the write was not performed");

    // Without a status: 500, and the client sees a server error.
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"kind": "empty_error", "account_id": acct.id})),
        )
        .await;
    assert_eq!(s, 200);
    let err = client(&sb)
        .list_jobs(&acct.token, &ListQuery::default())
        .await
        .expect_err("empty 500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200, "count 1");

    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"kind": "empty_error", "status": 200})),
        )
        .await;
    assert_eq!(s, 400, "only error statuses");
}

#[tokio::test]
async fn a_deleted_user_is_hidden_and_writes_acting_as_them_fail_like_an_unknown_user() {
    let sb = TestSandbox::start().await;
    accept_webhooks(&sb).await;
    let acct = sb.link("greenhouse", "t-del-user").await;
    let uid = user_named(&sb, &acct.token, "Pieter").await;
    let before = Utc::now();
    let (s, user) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/users/{uid}/delete", acct.id),
            None,
        )
        .await;
    assert_eq!(s, 200, "{user}");
    assert_eq!(user["remote_was_deleted"], true);
    let modified: chrono::DateTime<Utc> =
        serde_json::from_value(user["modified_at"].clone()).expect("modified_at");
    assert!(modified >= before);
    assert!(delivered(&sb, "RemoteUser.changed", &uid).await);

    let listed = sb.get_json(&acct.token, "/users").await;
    assert!(!listed["results"]
        .as_array()
        .expect("results")
        .iter()
        .any(|u| u["id"] == uid.as_str()));

    let (s, body) = sb
        .post(
            &acct.token,
            "/candidates",
            &json!({"model": {"first_name": "Del", "last_name": "User",
                              "email_addresses": [{"value": "del@example.com"}]},
                    "remote_user_id": uid}),
        )
        .await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(body["errors"][0]["problem_type"], "ERROR");
    assert_eq!(body["errors"][0]["title"], "Invalid Remote User");
    assert_eq!(body["errors"][0]["source"]["pointer"], "/remote_user_id");
    assert_eq!(sb.sandbox.writes(&acct.id).expect("writes").len(), 0);

    let (s, _) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/users/nope/delete", acct.id),
            None,
        )
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_user_whose_write_permission_is_revoked_gets_403_until_it_is_granted_again() {
    let sb = TestSandbox::start().await;
    let files = file_server().await;
    let acct = sb.link("greenhouse", "t-revoke").await;
    let c = client(&sb);
    let admin = sb.admin_id(&acct.token).await;
    let path = |action: &str| format!("/_sandbox/accounts/{}/users/{admin}/{action}", acct.id);
    let (s, access) = sb.control(Method::POST, &path("revoke-write"), None).await;
    assert_eq!(
        (s, access),
        (200, json!({"id": admin.as_str(), "can_write": false}))
    );
    assert_eq!(
        sb.admin_id(&acct.token).await,
        admin,
        "still listed and enabled"
    );

    let expected = "Thandi Nkosi does not have permission to create records in Greenhouse.";
    let err = c
        .create_candidate(
            &acct.token,
            &candidate("Rev", "rev@example.com"),
            Some(&admin),
        )
        .await
        .expect_err("revoked");
    assert_eq!(
        err,
        MergeError::Forbidden {
            detail: expected.to_owned()
        }
    );
    let foreign = sb.get_json(&acct.token, "/candidates").await["results"][0]["id"]
        .as_str()
        .expect("candidate")
        .to_owned();
    let job = sb.open_job_id(&acct.token).await;
    let app = ApplicationRequest {
        candidate: Some(Ref::Id(foreign.clone())),
        job: Some(job),
        ..ApplicationRequest::default()
    };
    let err = c
        .create_application(&acct.token, &app, Some(&admin))
        .await
        .expect_err("revoked");
    assert_eq!(err.status(), Some(403));
    let attachment = AttachmentRequest {
        file_name: Some("profile.pdf".to_owned()),
        file_url: Some(format!("{files}/profile.pdf")),
        candidate: Some(foreign),
        ..AttachmentRequest::default()
    };
    let (s, body) = sb
        .post(
            &acct.token,
            "/attachments",
            &json!({"model": attachment, "remote_user_id": admin}),
        )
        .await;
    assert_eq!((s, body), (403, json!({"detail": expected})));
    assert_eq!(sb.sandbox.writes(&acct.id).expect("writes").len(), 0);

    let (s, access) = sb.control(Method::POST, &path("grant-write"), None).await;
    assert_eq!((s, access["can_write"].clone()), (200, json!(true)));
    c.create_candidate(
        &acct.token,
        &candidate("Rev", "rev@example.com"),
        Some(&admin),
    )
    .await
    .expect("granted again");

    // Integrations that do not act as a user ignore it.
    let wk = sb.link("workable", "t-revoke-wk").await;
    let wk_admin = sb.admin_id(&wk.token).await;
    let (s, _) = sb
        .control(
            Method::POST,
            &format!("/_sandbox/accounts/{}/users/{wk_admin}/revoke-write", wk.id),
            None,
        )
        .await;
    assert_eq!(s, 200);
    c.create_candidate(
        &wk.token,
        &candidate("Free", "free@example.com"),
        Some(&wk_admin),
    )
    .await
    .expect("workable does not check the user");
}

#[tokio::test]
async fn a_candidate_entered_in_the_ats_is_found_by_e_mail_and_blocks_a_duplicate() {
    let sb = TestSandbox::start().await;
    accept_webhooks(&sb).await;
    let acct = sb.link("greenhouse", "t-enter").await;
    let path = format!("/_sandbox/accounts/{}/candidates", acct.id);
    let (s, cand) = sb
        .control(
            Method::POST,
            &path,
            Some(json!({"first_name": "Erin", "last_name": "Existing",
                        "email": "Erin@corp.example"})),
        )
        .await;
    assert_eq!(s, 201, "{cand}");
    let cid = cand["id"].as_str().expect("id").to_owned();
    assert_eq!(cand["applications"], json!([]));
    assert_eq!(cand["email_addresses"][0]["value"], "Erin@corp.example");
    assert!(delivered(&sb, "Candidate.changed", &cid).await);

    let found = sb
        .get_json(&acct.token, "/candidates?email_addresses=erin@corp.example")
        .await;
    assert_eq!(found["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["results"][0]["id"], cid.as_str());

    let admin = sb.admin_id(&acct.token).await;
    let err = client(&sb)
        .create_candidate(
            &acct.token,
            &candidate("Erin", "erin@corp.example"),
            Some(&admin),
        )
        .await
        .expect_err("duplicate");
    assert_eq!(
        problem_type(&err),
        "MODEL_WITH_DUPLICATE_UNIQUE_FIELD_EXISTS"
    );
    assert_eq!(sb.sandbox.writes(&acct.id).expect("writes").len(), 0);

    for bad in [
        json!({"first_name": "No"}),
        json!({"email": "not-an-email"}),
    ] {
        let (s, body) = sb.control(Method::POST, &path, Some(bad)).await;
        assert_eq!(s, 400);
        assert!(body["detail"].is_string(), "{body}");
    }
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/accounts/nope/candidates",
            Some(json!({"email": "x@corp.example"})),
        )
        .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn requests_to_the_merge_api_are_counted_by_route() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-count").await;
    let linked = sb.sandbox.requests();
    assert_eq!(linked.route("POST /api/ats/v1/link-token"), 1);
    assert_eq!(
        linked.route("GET /api/ats/v1/account-token/{public_token}"),
        1
    );
    let (s, reset) = sb.control(Method::DELETE, "/_sandbox/requests", None).await;
    assert_eq!(
        (s, reset),
        (
            200,
            json!({"total": 0, "throttled": 0, "ip_blocked": 0, "by_route": {}})
        )
    );

    let c = client(&sb);
    let created = c
        .create_candidate(&acct.token, &candidate("Cy", "cy@example.com"), None)
        .await
        .expect("candidate")
        .model
        .expect("model");
    sb.get_json(&acct.token, "/candidates").await;
    sb.get_json(&acct.token, "/candidates?email_addresses=cy@example.com")
        .await;
    sb.get_json(&acct.token, &format!("/candidates/{}", created.id))
        .await;
    assert_eq!(sb.get(&acct.token, "/scorecards").await.status(), 404);
    let offer = format!("/offers/{}", created.id);
    assert_eq!(sb.get(&acct.token, &offer).await.status(), 404);
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"kind": "rate_limit", "path_prefix": "jobs"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 429);
    let (s, counts) = sb.control(Method::GET, "/_sandbox/requests", None).await;
    assert_eq!(s, 200);
    assert_eq!(
        counts,
        json!({
            "total": 7,
            "throttled": 1,
            "ip_blocked": 0,
            "by_route": {
                "GET /api/ats/v1/candidates": 2,
                "GET /api/ats/v1/candidates/{id}": 1,
                "GET /api/ats/v1/jobs": 1,
                "GET /api/ats/v1/offers/{id}": 1,
                "GET /api/ats/v1/scorecards": 1,
                "POST /api/ats/v1/candidates": 1,
            }
        })
    );
    let counts: merge::sandbox::RequestCounts = serde_json::from_value(counts).expect("shape");
    assert_eq!(
        sb.sandbox.requests(),
        counts,
        "control calls are not counted"
    );
    sb.sandbox.reset_requests();
    assert_eq!(sb.sandbox.requests().total, 0);
}

#[tokio::test]
async fn more_than_twenty_failures_in_ten_seconds_block_the_client_ip_for_a_while() {
    let sb = TestSandbox::start().await;
    let acct = sb.link("workable", "t-ip-rule").await;
    let (s, _) = sb
        .control(
            Method::POST,
            "/_sandbox/ip-rule",
            Some(json!({"block_secs": 1})),
        )
        .await;
    assert_eq!(s, 200);
    for _ in 0..20 {
        assert_eq!(sb.get("not-a-token", "/jobs").await.status(), 401);
    }
    // Twenty failures are allowed: a good request still goes through.
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200);
    assert_eq!(sb.get("not-a-token", "/jobs").await.status(), 401);
    // The 21st failure trips the rule: even a good request is refused, with Retry-After.
    let refused = sb.get(&acct.token, "/jobs").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(
        body["detail"].as_str().unwrap().contains("failed requests"),
        "{body}"
    );
    assert_eq!(sb.sandbox.requests().ip_blocked, 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(sb.get(&acct.token, "/jobs").await.status(), 200);
}
