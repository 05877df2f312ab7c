//! The client against a tiny local HTTP server that records requests and replays canned
//! responses: method, path, auth headers, query encoding, bodies, pagination, error mapping.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{TimeZone, Utc};
use merge::{
    Application, ApplicationRequest, AttachmentRequest, AttachmentType, CandidateRequest, Client,
    EmailAddressRequest, EmailAddressType, LinkTokenRequest, ListQuery, MergeError, Page, Ref,
    RemoteUser,
};
use secrecy::SecretString;
use serde_json::{json, Value};
use url::Url;

const KEY: &str = "test_api_key_123";
const ACCOUNT: &str = "acct_token_456";

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("merge-ats/fixtures")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// A response the server hands out, in order.
#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

fn ok(body: impl Into<String>) -> Canned {
    status(200, body)
}

fn status(status: u16, body: impl Into<String>) -> Canned {
    Canned {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: body.into(),
        delay: Duration::ZERO,
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    raw_query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn query(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.raw_query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn assert_auth(&self, account: Option<&str>) {
        assert_eq!(
            self.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(self.header("x-account-token"), account);
    }
}

#[derive(Default)]
struct Mock {
    responses: Mutex<VecDeque<Canned>>,
    seen: Mutex<Vec<Seen>>,
}

impl Mock {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn handle(State(mock): State<Arc<Mock>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    mock.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        raw_query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    });
    let canned = mock.responses.lock().unwrap().pop_front();
    let Some(canned) = canned else {
        return (StatusCode::IM_A_TEAPOT, "no canned response left").into_response();
    };
    tokio::time::sleep(canned.delay).await;
    let mut resp = Response::new(axum::body::Body::from(canned.body));
    *resp.status_mut() = StatusCode::from_u16(canned.status).unwrap();
    for (name, value) in canned.headers {
        let name = axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap();
        resp.headers_mut().insert(name, value.parse().unwrap());
    }
    resp
}

/// Starts a server with `responses`; returns it and a client whose root is `{server}/api`.
async fn serve(responses: Vec<Canned>) -> (Arc<Mock>, Client) {
    serve_with_timeout(responses, Duration::from_secs(10)).await
}

async fn serve_with_timeout(responses: Vec<Canned>, timeout: Duration) -> (Arc<Mock>, Client) {
    let mock = Arc::new(Mock::default());
    mock.responses.lock().unwrap().extend(responses);
    let app = Router::new().fallback(handle).with_state(mock.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let root = Url::parse(&format!("http://{addr}/api")).unwrap();
    let client = Client::with_timeouts(root, SecretString::from(KEY), timeout, timeout).unwrap();
    (mock, client)
}

fn page(ids: &[&str], next: Option<&str>) -> String {
    let results: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
    json!({ "next": next, "previous": null, "results": results }).to_string()
}

// ---- endpoints, headers, bodies -------------------------------------------------------------

#[tokio::test]
async fn link_token_is_posted_with_the_api_key_only() {
    let (mock, client) = serve(vec![ok(fixture("link_token.create.response.json"))]).await;
    let req = LinkTokenRequest::ats("admin@example.com", "Example Hiring Co", "tenant-1");
    let token = client.create_link_token(&req).await.unwrap();
    assert_eq!(token.link_token, "necdP7FtdASl1fQwm62be2_dM4wBG8_GactqoUV0");

    let seen = &mock.seen()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/api/ats/v1/link-token");
    seen.assert_auth(None);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        json!({
            "end_user_email_address": "admin@example.com",
            "end_user_organization_name": "Example Hiring Co",
            "end_user_origin_id": "tenant-1",
            "categories": ["ats"]
        })
    );
}

#[tokio::test]
async fn link_token_sends_the_integration_when_chosen() {
    let (mock, client) = serve(vec![ok(fixture("link_token.create.response.json"))]).await;
    let req = LinkTokenRequest {
        integration: Some("greenhouse".into()),
        ..LinkTokenRequest::ats("a@example.com", "Co", "t")
    };
    client.create_link_token(&req).await.unwrap();
    assert_eq!(mock.seen()[0].json()["integration"], "greenhouse");
}

#[tokio::test]
async fn public_token_is_exchanged_with_a_get_and_no_account_token() {
    let (mock, client) = serve(vec![ok(fixture("account_token.retrieve.response.json"))]).await;
    let token = client.exchange_public_token("pub_tok-1").await.unwrap();
    assert_eq!(
        token.account_token,
        "T9klMDQrcHdm9jrtHuOS2Nf06BIHwMNjpPXPMB"
    );
    assert_eq!(
        token.integration.and_then(|i| i.name).as_deref(),
        Some("Greenhouse")
    );
    let seen = &mock.seen()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/api/ats/v1/account-token/pub_tok-1")
    );
    seen.assert_auth(None);
}

#[tokio::test]
async fn account_details_sends_the_account_token() {
    let (mock, client) = serve(vec![ok(fixture("account_details.retrieve.response.json"))]).await;
    let details = client.account_details(ACCOUNT).await.unwrap();
    assert_eq!(details.integration.as_deref(), Some("Greenhouse"));
    let seen = &mock.seen()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/api/ats/v1/account-details")
    );
    seen.assert_auth(Some(ACCOUNT));
}

#[tokio::test]
async fn available_actions_tell_whether_writes_need_a_remote_user() {
    let body = json!({
        "integration": {"name": "Greenhouse", "slug": "greenhouse"},
        "passthrough_available": true,
        "available_model_operations": [
            {"model_name": "Candidate", "available_operations": ["FETCH", "CREATE"],
             "required_post_parameters": ["remote_user_id"], "supported_fields": []},
            {"model_name": "Job", "available_operations": ["FETCH"],
             "required_post_parameters": [], "supported_fields": []}
        ]
    });
    let lenient = json!({"available_model_operations": [
        {"model_name": "Job", "required_post_parameters": null}
    ]});
    let (mock, client) = serve(vec![ok(body.to_string()), ok(lenient.to_string())]).await;
    let actions = client.available_actions(ACCOUNT).await.unwrap();
    assert!(actions.requires_remote_user_id("Candidate"));
    assert!(actions.requires_remote_user_id("candidate"));
    assert!(!actions.requires_remote_user_id("Job"));
    assert!(!actions.requires_remote_user_id("Application"));
    assert!(actions.any_write_requires_remote_user_id());
    let seen = &mock.seen()[0];
    assert_eq!(seen.path, "/api/ats/v1/available-actions");
    seen.assert_auth(Some(ACCOUNT));

    let none = client.available_actions(ACCOUNT).await.unwrap();
    assert!(!none.any_write_requires_remote_user_id());
}

#[tokio::test]
async fn delete_account_is_a_post_with_an_empty_response() {
    let (mock, client) = serve(vec![status(200, "")]).await;
    client.delete_account(ACCOUNT).await.unwrap();
    let seen = &mock.seen()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/ats/v1/delete-account")
    );
    seen.assert_auth(Some(ACCOUNT));
}

#[tokio::test]
async fn list_sends_one_comma_joined_expand_in_spec_order_and_utc_dates() {
    let (mock, client) = serve(vec![ok(fixture("applications.list.json"))]).await;
    let since = chrono::FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 1, 15, 11, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    let q = ListQuery::default()
        .page_size(100)
        .modified_after(since)
        .include_deleted_data(true)
        .expand("reject_reason")
        .expand("current_stage")
        .expand("job")
        .expand("candidate")
        .filter("job_id", "job-1");
    let page = client.list_applications(ACCOUNT, &q).await.unwrap();
    assert_eq!(page.results.len(), 2);

    let seen = &mock.seen()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/api/ats/v1/applications")
    );
    seen.assert_auth(Some(ACCOUNT));
    let query = seen.query();
    let expands: Vec<_> = query.iter().filter(|(k, _)| k == "expand").collect();
    assert_eq!(expands.len(), 1, "one expand parameter: {query:?}");
    assert_eq!(expands[0].1, "candidate,job,current_stage,reject_reason");
    assert!(seen
        .raw_query
        .as_deref()
        .unwrap()
        .contains("expand=candidate%2Cjob%2Ccurrent_stage%2Creject_reason"));
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("page_size"), Some("100"));
    assert_eq!(get("modified_after"), Some("2026-01-15T09:30:00Z"));
    assert_eq!(get("include_deleted_data"), Some("true"));
    assert_eq!(get("job_id"), Some("job-1"));
    assert_eq!(get("cursor"), None);
}

#[tokio::test]
async fn each_list_method_hits_its_path() {
    let empty = page(&[], None);
    let (mock, client) = serve(vec![ok(empty.clone()); 6]).await;
    let q = ListQuery::default();
    client.list_users(ACCOUNT, &q).await.unwrap();
    client.list_jobs(ACCOUNT, &q).await.unwrap();
    client.list_job_interview_stages(ACCOUNT, &q).await.unwrap();
    client.list_candidates(ACCOUNT, &q).await.unwrap();
    client.list_applications(ACCOUNT, &q).await.unwrap();
    client.list_interviews(ACCOUNT, &q).await.unwrap();
    let paths: Vec<String> = mock.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/api/ats/v1/users",
            "/api/ats/v1/jobs",
            "/api/ats/v1/job-interview-stages",
            "/api/ats/v1/candidates",
            "/api/ats/v1/applications",
            "/api/ats/v1/interviews"
        ]
    );
    assert!(mock.seen().iter().all(|s| s.raw_query.is_none()
        && s.method == "GET"
        && s.header("x-account-token") == Some(ACCOUNT)));
}

#[tokio::test]
async fn pagination_keeps_every_other_parameter_and_stops_on_null_next() {
    let (mock, client) = serve(vec![
        ok(page(&["u1", "u2"], Some("c/1+="))),
        ok(page(&["u3"], Some("c2"))),
        ok(page(&["u4"], None)),
    ])
    .await;
    let q = ListQuery::default()
        .page_size(2)
        .include_deleted_data(true)
        .filter("email", "a@example.com");
    let users: Vec<RemoteUser> = client.collect_all(ACCOUNT, &q).await.unwrap();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4"]);

    let seen = mock.seen();
    assert_eq!(seen.len(), 3);
    let without_cursor = |s: &Seen| -> Vec<(String, String)> {
        s.query()
            .into_iter()
            .filter(|(k, _)| k != "cursor")
            .collect()
    };
    let cursor = |s: &Seen| {
        s.query()
            .into_iter()
            .find(|(k, _)| k == "cursor")
            .map(|(_, v)| v)
    };
    assert_eq!(cursor(&seen[0]), None);
    assert_eq!(cursor(&seen[1]).as_deref(), Some("c/1+="));
    assert_eq!(cursor(&seen[2]).as_deref(), Some("c2"));
    for s in &seen {
        assert_eq!(without_cursor(s), without_cursor(&seen[0]));
        assert_eq!(s.path, "/api/ats/v1/users");
    }
}

#[tokio::test]
async fn next_page_is_none_after_the_last_page() {
    let (_mock, client) = serve(vec![ok(page(&["u1"], Some("c1"))), ok(page(&["u2"], None))]).await;
    let q = ListQuery::default().page_size(1);
    let first: Page<RemoteUser> = client.list_users(ACCOUNT, &q).await.unwrap();
    let q2 = q.next_page(&first).expect("a second page");
    assert_eq!(q2.cursor.as_deref(), Some("c1"));
    assert_eq!(q2.page_size, Some(1));
    let second = client.list_users(ACCOUNT, &q2).await.unwrap();
    assert_eq!(merge::client::next_page(&q2, &second), None);
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_a_loop() {
    let (mock, client) = serve(vec![
        ok(page(&["u1"], Some("same"))),
        ok(page(&["u2"], Some("same"))),
        ok(page(&["u3"], None)),
    ])
    .await;
    let err = client
        .collect_all::<RemoteUser>(ACCOUNT, &ListQuery::default())
        .await
        .unwrap_err();
    assert!(matches!(err, MergeError::Decode { .. }), "{err:?}");
    assert_eq!(mock.seen().len(), 2);
}

#[tokio::test]
async fn retrieve_application_expands_in_spec_order() {
    let app = json!({"id": "app-1", "current_stage": {"id": "s1", "name": "Onsite"}});
    let (mock, client) = serve(vec![ok(app.to_string())]).await;
    let got = client
        .retrieve_application(ACCOUNT, "app-1", &["current_stage", "candidate"])
        .await
        .unwrap();
    assert_eq!(got.id, "app-1");
    assert_eq!(
        got.current_stage
            .as_ref()
            .and_then(|r| r.object())
            .and_then(|s| s.name.as_deref()),
        Some("Onsite")
    );
    let seen = &mock.seen()[0];
    assert_eq!(seen.path, "/api/ats/v1/applications/app-1");
    assert_eq!(
        seen.query(),
        vec![("expand".to_owned(), "candidate,current_stage".to_owned())]
    );
}

// ---- writes ---------------------------------------------------------------------------------

fn morgan() -> CandidateRequest {
    CandidateRequest {
        first_name: Some("Morgan".into()),
        last_name: Some("Test".into()),
        email_addresses: Some(vec![EmailAddressRequest {
            value: "morgan.test@example.com".into(),
            email_address_type: Some(EmailAddressType::Personal),
        }]),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_candidate_posts_model_and_remote_user_id() {
    let created = fixture("candidates.create.response.json");
    let (mock, client) = serve(vec![status(201, created.clone()), status(201, created)]).await;
    let resp = client
        .create_candidate(ACCOUNT, &morgan(), Some("user-1"))
        .await
        .unwrap();
    assert_eq!(
        resp.model.map(|m| m.id).as_deref(),
        Some("6c1e9a0d-3f3b-4d8e-9a51-7b2f0c4d8e11")
    );
    assert_eq!(resp.warnings[0].problem_type, "UNRECOGNIZED_FIELD");

    client
        .create_candidate(ACCOUNT, &morgan(), None)
        .await
        .unwrap();
    let seen = mock.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/api/ats/v1/candidates")
    );
    seen[0].assert_auth(Some(ACCOUNT));
    assert_eq!(
        seen[0].json(),
        json!({
            "model": {
                "first_name": "Morgan",
                "last_name": "Test",
                "email_addresses": [
                    {"value": "morgan.test@example.com", "email_address_type": "PERSONAL"}
                ]
            },
            "remote_user_id": "user-1"
        })
    );
    let second = seen[1].json();
    assert!(second.get("remote_user_id").is_none(), "{second}");
    assert_eq!(second["model"]["first_name"], "Morgan");
}

#[tokio::test]
async fn create_application_can_nest_the_candidate() {
    let app = json!({"model": {"id": "app-9", "candidate": "cand-9", "job": "job-1"},
        "warnings": [], "errors": [], "logs": []});
    let (mock, client) = serve(vec![
        status(201, app.to_string()),
        status(201, app.to_string()),
    ])
    .await;
    let nested = ApplicationRequest {
        candidate: Some(Ref::Object(Box::new(morgan()))),
        job: Some("job-1".into()),
        source: Some("OfferZen".into()),
        ..Default::default()
    };
    let resp = client
        .create_application(ACCOUNT, &nested, Some("user-1"))
        .await
        .unwrap();
    let model: Application = resp.model.unwrap();
    assert_eq!(model.candidate.as_ref().map(Ref::id), Some("cand-9"));

    let by_id = ApplicationRequest {
        candidate: Some("cand-9".into()),
        job: Some("job-1".into()),
        ..Default::default()
    };
    client
        .create_application(ACCOUNT, &by_id, None)
        .await
        .unwrap();

    let seen = mock.seen();
    assert_eq!(seen[0].path, "/api/ats/v1/applications");
    assert_eq!(seen[0].method, "POST");
    let body = seen[0].json();
    assert_eq!(body["model"]["candidate"]["first_name"], "Morgan");
    assert_eq!(body["model"]["job"], "job-1");
    assert_eq!(body["remote_user_id"], "user-1");
    assert_eq!(
        seen[1].json(),
        json!({"model": {"candidate": "cand-9", "job": "job-1"}})
    );
}

#[tokio::test]
async fn create_attachment_posts_to_attachments() {
    let resp = json!({"model": {"id": "att-1", "attachment_type": "RESUME"},
        "warnings": [], "errors": [], "logs": []});
    let (mock, client) = serve(vec![status(201, resp.to_string())]).await;
    let req = AttachmentRequest {
        file_name: Some("profile.pdf".into()),
        file_url: Some("https://bridge.example.com/p/abc.pdf".into()),
        candidate: Some("cand-9".into()),
        attachment_type: Some(AttachmentType::Resume),
        ..Default::default()
    };
    let out = client
        .create_attachment(ACCOUNT, &req, Some("user-1"))
        .await
        .unwrap();
    assert_eq!(
        out.model.unwrap().attachment_type,
        Some(AttachmentType::Resume)
    );
    let seen = &mock.seen()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/ats/v1/attachments")
    );
    assert_eq!(
        seen.json(),
        json!({"model": {"file_name": "profile.pdf",
            "file_url": "https://bridge.example.com/p/abc.pdf",
            "candidate": "cand-9", "attachment_type": "RESUME"},
            "remote_user_id": "user-1"})
    );
}

// ---- error mapping --------------------------------------------------------------------------

async fn error_for(canned: Canned) -> MergeError {
    let (_mock, client) = serve(vec![canned]).await;
    client
        .list_jobs(ACCOUNT, &ListQuery::default())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn status_401_is_unauthorized() {
    let err = error_for(status(
        401,
        r#"{"detail":"Invalid API key or account token."}"#,
    ))
    .await;
    assert_eq!(err, MergeError::Unauthorized);
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn status_403_is_forbidden_with_detail() {
    let err = error_for(status(403, r#"{"detail":"Model disabled."}"#)).await;
    assert_eq!(
        err,
        MergeError::Forbidden {
            detail: "Model disabled.".into()
        }
    );
}

#[tokio::test]
async fn status_404_is_not_found_with_detail() {
    let err = error_for(status(404, fixture("error.not_found.json"))).await;
    assert_eq!(
        err,
        MergeError::NotFound {
            detail: "Not found.".into()
        }
    );
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn status_429_with_retry_after_seconds() {
    let mut canned = status(429, r#"{"detail":"Request was throttled."}"#);
    canned.headers.push(("Retry-After", "7".into()));
    let err = error_for(canned).await;
    assert_eq!(
        err,
        MergeError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(err.is_retryable());
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn status_429_with_retry_after_http_date() {
    let at = Utc::now() + chrono::Duration::seconds(120);
    let mut canned = status(429, r#"{"detail":"Request was throttled."}"#);
    canned.headers.push((
        "RETRY-AFTER",
        at.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    ));
    let err = error_for(canned).await;
    let MergeError::RateLimited {
        retry_after: Some(wait),
    } = err
    else {
        panic!("unexpected {err:?}")
    };
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
}

#[tokio::test]
async fn status_429_without_retry_after() {
    let err = error_for(status(429, "")).await;
    assert_eq!(err, MergeError::RateLimited { retry_after: None });
}

#[tokio::test]
async fn status_400_with_errors_is_validation() {
    let (_mock, client) = serve(vec![status(400, fixture("write_error.400.json"))]).await;
    let err = client
        .create_candidate(ACCOUNT, &CandidateRequest::default(), Some("user-1"))
        .await
        .unwrap_err();
    let MergeError::Validation {
        status,
        ref errors,
        ref warnings,
    } = err
    else {
        panic!("unexpected {err:?}")
    };
    assert_eq!(status, 400);
    assert!(warnings.is_empty());
    assert_eq!(
        errors[0].source.as_ref().map(|s| s.pointer.as_str()),
        Some("/model/last_name")
    );
    assert_eq!(err.problem_type(), Some("MISSING_REQUIRED_FIELD"));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("MISSING_REQUIRED_FIELD"));
}

#[tokio::test]
async fn a_2xx_write_with_only_errors_is_validation() {
    let body = json!({"model": null, "warnings": [], "errors": [
        {"title": "Dup", "detail": "exists", "problem_type": "DUPLICATE_MODEL_EXISTS"}]});
    let (_mock, client) = serve(vec![status(201, body.to_string())]).await;
    let err = client
        .create_candidate(ACCOUNT, &morgan(), None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(201));
    assert_eq!(err.problem_type(), Some("DUPLICATE_MODEL_EXISTS"));
}

#[tokio::test]
async fn other_4xx_is_a_client_error() {
    let err = error_for(status(400, r#"{"detail":"Invalid cursor."}"#)).await;
    assert_eq!(
        err,
        MergeError::Client {
            status: 400,
            detail: "Invalid cursor.".into()
        }
    );
    let err = error_for(status(408, "timeout")).await;
    assert!(err.is_retryable());
}

#[tokio::test]
async fn status_500_with_html_is_a_server_error() {
    let mut canned = status(500, "<html><body><h1>Server Error (500)</h1></body></html>");
    canned.headers = vec![("content-type", "text/html".into())];
    let err = error_for(canned).await;
    let MergeError::Server {
        status,
        ref body_snippet,
    } = err
    else {
        panic!("unexpected {err:?}")
    };
    assert_eq!(status, 500);
    assert!(body_snippet.contains("Server Error (500)"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn status_502_with_an_empty_body_is_a_server_error() {
    let err = error_for(status(502, "")).await;
    assert_eq!(
        err,
        MergeError::Server {
            status: 502,
            body_snippet: String::new()
        }
    );
}

#[tokio::test]
async fn malformed_200_body_is_a_decode_error() {
    let err = error_for(ok(r#"{"next": null, "results": [{"no_id": true}"#)).await;
    assert!(matches!(err, MergeError::Decode { .. }), "{err:?}");
    let err = error_for(ok("<html>ok</html>")).await;
    assert!(matches!(err, MergeError::Decode { .. }), "{err:?}");
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_slow_response_is_a_timeout() {
    let mut slow = ok(page(&[], None));
    slow.delay = Duration::from_secs(3);
    let (_mock, client) = serve_with_timeout(vec![slow], Duration::from_millis(300)).await;
    let err = client
        .list_jobs(ACCOUNT, &ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err, MergeError::Timeout);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_without_secrets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let root = Url::parse(&format!("http://{addr}/api")).unwrap();
    let client = Client::new(root, SecretString::from(KEY)).unwrap();
    let err = client
        .exchange_public_token("pub_SECRET")
        .await
        .unwrap_err();
    assert!(matches!(err, MergeError::Transport(_)), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("pub_SECRET") && !text.contains(KEY),
        "{text}"
    );
}

#[tokio::test]
async fn an_account_token_that_is_not_a_header_value_is_refused_locally() {
    let (mock, client) = serve(vec![]).await;
    let err = client.account_details("bad\ntoken").await.unwrap_err();
    assert!(matches!(err, MergeError::Transport(_)), "{err:?}");
    assert!(!err.to_string().contains("bad"));
    assert!(mock.seen().is_empty());
}

#[test]
fn client_debug_hides_the_key() {
    let client = Client::new(
        merge::api_root_for_region("eu").unwrap(),
        SecretString::from(KEY),
    )
    .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains(KEY));
    assert!(debug.contains("https://api-eu.merge.dev/api"));
}
