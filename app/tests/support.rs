//! The support console and tenant health over real HTTP, on SQLite and PostgreSQL: health with
//! what to do (and the banner hiring managers see), the tenant table's search, filters and
//! paging, a tenant's page without tokens or candidates' personal data, and the confirmed,
//! audited retry and resync.

mod common;

use common::server::{Backend, TestApp};
use serde_json::{json, Value};

/// Health is evaluated every second and shown at once (the hysteresis has unit tests).
const FAST_HEALTH: &[(&str, &str)] = &[
    ("ATSB_HEALTH_EVERY_SECS", "1"),
    ("ATSB_HEALTH_HOLD_SECS", "0"),
];

async fn tenant_row(support: &TestApp, name: &str) -> Value {
    let (status, table) = support.get_fn("support_tenants", &[("q", name)]).await;
    assert!(status.is_success(), "{table}");
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name} is in the table: {table}"))
}

async fn health_becomes(support: &TestApp, name: &str, health: &str) -> Value {
    support
        .eventually(&format!("{name} is {health}"), || async {
            let row = tenant_row(support, name).await;
            (row["health"] == health).then_some(row)
        })
        .await
}

async fn health_and_the_console_follow_a_tenant_from_connect_to_a_retried_push(backend: Backend) {
    let app = backend.spawn_with(FAST_HEALTH).await;
    let support = app.support().await;
    // Not connected yet: disconnected, and the banner says what to do.
    app.sign_in().await;
    health_becomes(&support, "Acme Robotics", "Disconnected").await;
    let banner = app
        .eventually("the banner", || async {
            let (_, me) = app.get_fn("me", &[]).await;
            me["health"].is_object().then_some(me["health"].clone())
        })
        .await;
    assert_eq!(banner["health"], "Disconnected", "{banner}");
    assert!(banner["reasons"][0]
        .as_str()
        .unwrap()
        .contains("Integration page"));

    let account = app.connect("workable").await;
    let healthy = health_becomes(&support, "Acme Robotics", "Healthy").await;
    assert_eq!(healthy["integration"], "Workable", "{healthy}");
    assert!(healthy["last_success"].is_string(), "{healthy}");
    let (_, me) = app.get_fn("me", &[]).await;
    assert_eq!(me["health"], Value::Null, "no banner when healthy: {me}");

    // A push the ATS refuses: needs attention, with the failing push counted.
    let (job, _) = app.open_job(0).await;
    let position = app.import_job(&job).await;
    app.control(
        "/faults",
        json!({"kind": "empty_error", "status": 400, "path_prefix": "candidates", "count": 1}),
    )
    .await;
    let request = app.send_request(&position, None, "").await;
    app.accept(&request).await;
    app.push_reaches(&request, "failed").await;
    let row = health_becomes(&support, "Acme Robotics", "NeedsAttention").await;
    assert_eq!(row["failed_pushes"], 1, "{row}");
    let (_, me) = app.get_fn("me", &[]).await;
    assert!(
        me["health"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("1 push(es) to the ATS failed"),
        "{me}"
    );
    let (_, failing) = support
        .get_fn("support_tenants", &[("failing", "true")])
        .await;
    assert_eq!(failing["total"], 1, "{failing}");

    // The tenant page: connection without its token, pushes by id without the candidate.
    let tenant = row["id"].as_str().unwrap().to_string();
    let (status, page) = support.get_fn("support_tenant", &[("id", &tenant)]).await;
    assert!(status.is_success(), "{page}");
    assert_eq!(page["connection"]["linked_account_id"], account);
    assert_eq!(page["health"], "NeedsAttention");
    let push = &page["pushes"][0];
    assert_eq!(
        (push["request_id"].as_str(), push["state"].as_str()),
        (Some(request.as_str()), Some("failed"))
    );
    assert_eq!(push["status"], 400, "{push}");
    assert!(!page["runs"].as_array().unwrap().is_empty(), "{page}");
    let text = page.to_string();
    let (_, req) = app.get_fn("request", &[("id", &request)]).await;
    let candidate = req["candidate"].as_str().unwrap();
    assert!(
        !text.contains(candidate),
        "the candidate's name is hidden from support"
    );
    let acme = app
        .state()
        .db
        .tenant_named("Acme Robotics")
        .await
        .unwrap()
        .unwrap();
    let conn = app.state().db.connection(acme).await.unwrap().unwrap();
    assert!(!text.contains(&conn.account_token_enc), "no sealed token");
    let token = app.state().account_token(&conn).unwrap();
    assert!(!text.contains(&token), "no account token");

    // Retry needs the confirmation: without it nothing changes.
    let form = [
        ("tenant", tenant.as_str()),
        ("request_id", request.as_str()),
    ];
    let refused = support.form_error("support_retry_push", &form).await;
    assert!(refused.unwrap().contains("confirmation"));
    assert_eq!(app.request_json(&request).await["push"]["state"], "failed");
    let confirmed = [form[0], form[1], ("confirm", "yes")];
    assert_eq!(
        support.form_error("support_retry_push", &confirmed).await,
        None
    );
    app.push_reaches(&request, "done").await;
    health_becomes(&support, "Acme Robotics", "Healthy").await;

    // A resync, confirmed; both actions are in the tenant's audit log, by support.
    let resync = [("tenant", tenant.as_str()), ("confirm", "yes")];
    assert_eq!(support.form_error("support_resync", &resync).await, None);
    let (_, activity) = app.get_fn("activity", &[]).await;
    let by_support: Vec<&Value> = activity
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["who"] == "Sam Support (marketplace support)")
        .collect();
    let actions: Vec<&str> = by_support
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["started a sync", "retried a push"], "{activity}");

    // Relink needed (as a webhook from Merge sets it) is shown at once.
    app.state()
        .db
        .set_connection_status(acme, "RELINK_NEEDED")
        .await
        .unwrap();
    health_becomes(&support, "Acme Robotics", "RelinkNeeded").await;
}

#[tokio::test]
async fn health_and_console_on_sqlite() {
    health_and_the_console_follow_a_tenant_from_connect_to_a_retried_push(Backend::Sqlite).await;
}

#[tokio::test]
async fn health_and_console_on_postgres() {
    health_and_the_console_follow_a_tenant_from_connect_to_a_retried_push(Backend::Postgres).await;
}

async fn search_filters_and_paging(backend: Backend) {
    let app = backend.spawn_with(FAST_HEALTH).await;
    let db = &app.state().db;
    for i in 0..60 {
        db.create_tenant(&format!(
            "Company {i:02} {}",
            if i % 3 == 0 { "Robotics" } else { "Labs" }
        ))
        .await
        .unwrap();
    }
    let support = app.support().await;
    // Every tenant is evaluated: all 61 are disconnected.
    support
        .eventually("every tenant evaluated", || async {
            let (_, t) = support
                .get_fn("support_tenants", &[("health", "disconnected")])
                .await;
            (t["total"] == 61).then_some(())
        })
        .await;
    let (_, first) = support.get_fn("support_tenants", &[]).await;
    assert_eq!(
        (first["total"].as_i64(), first["pages"].as_i64()),
        (Some(61), Some(3))
    );
    assert_eq!(first["rows"].as_array().unwrap().len(), 25);
    assert_eq!(first["rows"][0]["name"], "Acme Robotics", "by name");
    let (_, last) = support.get_fn("support_tenants", &[("page", "3")]).await;
    assert_eq!(last["rows"].as_array().unwrap().len(), 11);
    let (_, past) = support.get_fn("support_tenants", &[("page", "99")]).await;
    assert_eq!(past["page"], 3, "a page past the end shows the last one");
    // Search is by part of the name, any case; % and _ are plain characters.
    let (_, robotics) = support
        .get_fn("support_tenants", &[("q", "ROBOTICS")])
        .await;
    assert_eq!(robotics["total"], 21, "{robotics}");
    let (_, percent) = support.get_fn("support_tenants", &[("q", "%")]).await;
    assert_eq!(percent["total"], 0);
    let (_, healthy) = support
        .get_fn("support_tenants", &[("health", "healthy")])
        .await;
    assert_eq!(healthy["total"], 0);
    let (_, stale) = support
        .get_fn("support_tenants", &[("stale", "true")])
        .await;
    assert_eq!(stale["total"], 0, "only connected tenants can be stale");
    // A bad filter is a clear error.
    let (status, bad) = support
        .get_fn("support_tenants", &[("health", "great")])
        .await;
    assert_eq!(status.as_u16(), 422, "{bad}");
    // An unknown tenant is not found.
    let (status, _) = support.get_fn("support_tenant", &[("id", "nope")]).await;
    assert_eq!(status.as_u16(), 404);
}

#[tokio::test]
async fn search_filters_and_paging_on_sqlite() {
    search_filters_and_paging(Backend::Sqlite).await;
}

#[tokio::test]
async fn search_filters_and_paging_on_postgres() {
    search_filters_and_paging(Backend::Postgres).await;
}
