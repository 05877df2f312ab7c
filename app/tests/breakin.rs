//! Tests that try to break in, built from what the router really registers: every server
//! function must have a case here (a new one without a case fails the suite), every private one
//! answers 401 to strangers, another tenant forging this tenant's ids changes and learns
//! nothing, and hiring managers who are not company admins cannot do what only admins may.

mod common;

use std::collections::BTreeSet;

use common::server::{spawn_app, Backend, TestApp};
use reqwest::{header, Method, StatusCode};
use serde_json::Value;

/// Who may call a server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone: signing in, who is signed in, the candidate's own signed answer link, the demo
    /// mailbox of the embedded sandbox.
    Public,
    /// Any hiring manager of the tenant.
    Member,
    /// Company admins of the tenant only.
    Admin,
    /// Marketplace support staff only (the console).
    Support,
}

/// One server function: its endpoint, who may call it, and the arguments a forger sends.
struct Case {
    endpoint: &'static str,
    access: Access,
    args: Vec<(&'static str, String)>,
}

/// Tenant A's ids, as a forger in tenant B would paste them.
#[derive(Default)]
struct Victim {
    /// The company's public id (the console's URLs name it).
    tenant_id: String,
    account: String,
    position_id: String,
    request_id: String,
    job_id: String,
    user_id: String,
    candidate_id: String,
    stage: String,
}

fn cases(v: &Victim) -> Vec<Case> {
    use Access::*;
    let case = |endpoint, access, args: &[(&'static str, &str)]| Case {
        endpoint,
        access,
        args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    };
    vec![
        case("me", Public, &[]),
        case(
            "login",
            Public,
            &[("email", "nobody@example.com"), ("password", "wrong")],
        ),
        case("invitation", Public, &[("token", "not-a-token")]),
        case(
            "answer_invitation",
            Public,
            &[("token", "not-a-token"), ("decision", "Accept")],
        ),
        case("mailbox", Public, &[]),
        case("team_invitation", Public, &[("token", "not-a-token")]),
        case(
            "join_company",
            Public,
            &[
                ("token", "not-a-token"),
                ("name", "Forger"),
                ("password", "a long forged password"),
            ],
        ),
        case(
            "request_password_reset",
            Public,
            &[("email", "nobody@example.com")],
        ),
        case("password_reset", Public, &[("token", "not-a-token")]),
        case(
            "reset_password",
            Public,
            &[
                ("token", "not-a-token"),
                ("password", "a long forged password"),
            ],
        ),
        case("logout", Public, &[]),
        case("integration", Member, &[]),
        case("sync_now", Member, &[]),
        case("positions", Member, &[("search", "")]),
        case("search_jobs", Member, &[("search", "")]),
        case("create_position", Member, &[("title", "Forged position")]),
        case("import_job", Member, &[("job_id", &v.job_id)]),
        case(
            "link_position",
            Member,
            &[("position_id", &v.position_id), ("job_id", &v.job_id)],
        ),
        case(
            "unlink_position",
            Member,
            &[("position_id", &v.position_id)],
        ),
        case("requests", Member, &[]),
        case("request", Member, &[("id", &v.request_id)]),
        case(
            "send_request",
            Member,
            &[
                ("position_id", &v.position_id),
                ("candidate_id", &v.candidate_id),
                ("message", "forged"),
            ],
        ),
        case("retry_push", Member, &[("request_id", &v.request_id)]),
        case("candidate", Member, &[("id", &v.candidate_id)]),
        case("settings", Member, &[]),
        case("activity", Member, &[]),
        case("set_time_zone", Member, &[("time_zone", "Asia/Tokyo")]),
        case("create_link_token", Admin, &[]),
        case(
            "complete_link",
            Admin,
            &[("public_token", "forged-public-token")],
        ),
        case("set_verification_admin", Admin, &[("user_id", &v.user_id)]),
        case(
            "set_stage_mapping",
            Admin,
            &[("stage", &v.stage), ("status", "hired")],
        ),
        case(
            "invite_colleague",
            Admin,
            &[("email", "forged-invite@example.com"), ("admin", "on")],
        ),
        case("support_tenants", Support, &[("q", "")]),
        case("support_tenant", Support, &[("id", &v.tenant_id)]),
        case(
            "support_retry_push",
            Support,
            &[
                ("tenant", &v.tenant_id),
                ("request_id", &v.request_id),
                ("confirm", "yes"),
            ],
        ),
        case(
            "support_resync",
            Support,
            &[("tenant", &v.tenant_id), ("confirm", "yes")],
        ),
        case(
            "create_company",
            Support,
            &[("company", "Forged Co"), ("email", "forged-co@example.com")],
        ),
        // Last: it ends the caller's own connection.
        case("disconnect", Admin, &[("integration", "Workable")]),
    ]
}

/// The server functions the app registers, by endpoint (`/api/<endpoint>`), with their method.
fn registered() -> BTreeSet<(String, Method)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            let endpoint = path.strip_prefix("/api/").unwrap_or(path).to_string();
            (
                endpoint,
                Method::from_bytes(method.as_str().as_bytes()).unwrap(),
            )
        })
        .collect()
}

/// Calls a server function the way the browser would, with the method it is registered for.
async fn call(
    app: &TestApp,
    endpoint: &str,
    args: &[(&'static str, String)],
) -> (StatusCode, Value, Option<String>) {
    let method = registered()
        .into_iter()
        .find(|(e, _)| e == endpoint)
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("{endpoint} is not registered"));
    let url = format!("{}/api/{endpoint}", app.base);
    let req = if method == Method::GET {
        app.http.get(url).query(args)
    } else {
        app.http.post(url).form(args)
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (status, res.json().await.unwrap_or(Value::Null), location)
}

/// A company with a linked Workable account, a linked position, an accepted request whose
/// push is done, and a tenant-specific stage mapping: everything a forger would go after.
async fn victim(app: &TestApp) -> Victim {
    app.sign_in().await;
    let account = app.connect("workable").await;
    let (job_id, _) = app.open_job(0).await;
    let position_id = app.import_job(&job_id).await;
    let request_id = app.send_request(&position_id, None, "").await;
    app.accept(&request_id).await;
    app.push_reaches(&request_id, "done").await;
    let (_, integration) = app.get_fn("integration", &[]).await;
    let user_id = integration["users"][0]["id"]
        .as_str()
        .expect("users")
        .to_string();
    let (_, settings) = app.get_fn("settings", &[]).await;
    let stage = settings["stages"][0]["stage"]
        .as_str()
        .expect("stages")
        .to_string();
    let (_, r) = app.get_fn("requests", &[]).await;
    let candidate_id = r["candidates"][0]["id"].as_str().unwrap().to_string();
    let db = &app.state().db;
    let tenant = db.tenant_named("Acme Robotics").await.unwrap().unwrap();
    let tenant_id = db.tenant(tenant).await.unwrap().0;
    Victim {
        tenant_id,
        account,
        position_id,
        request_id,
        job_id,
        user_id,
        candidate_id,
        stage,
    }
}

/// What tenant A's hiring managers see of their own data (volatile sync timings left out).
async fn snapshot(app: &TestApp, v: &Victim) -> Value {
    let (_, positions) = app.get_fn("positions", &[("search", "")]).await;
    let (_, requests) = app.get_fn("requests", &[]).await;
    let (_, request) = app.get_fn("request", &[("id", &v.request_id)]).await;
    let (_, settings) = app.get_fn("settings", &[]).await;
    let (_, integration) = app.get_fn("integration", &[]).await;
    assert!(
        positions["positions"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
            && requests["requests"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
            && integration["connection"].is_object(),
        "the snapshot holds tenant A's data: {positions} {requests}"
    );
    serde_json::json!({
        "positions": positions["positions"],
        "requests": requests["requests"],
        "request": request,
        "settings": settings,
        "connection": integration["connection"],
        "users": integration["users"],
    })
}

#[tokio::test]
async fn every_registered_server_function_has_a_break_in_case() {
    let v = Victim::default();
    let covered: BTreeSet<String> = cases(&v).iter().map(|c| c.endpoint.to_string()).collect();
    let registered: BTreeSet<String> = registered().into_iter().map(|(e, _)| e).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a break-in case: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "cases for server functions that no longer exist: {stale:?}"
    );
}

#[tokio::test]
async fn strangers_get_401_from_every_private_function_and_pages_send_them_to_sign_in() {
    let owner = spawn_app().await;
    let v = victim(&owner).await;
    let app = owner.new_browser();
    for case in cases(&v).iter().filter(|c| c.access != Access::Public) {
        let (status, body, _) = call(&app, case.endpoint, &case.args).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{}: {body}",
            case.endpoint
        );
    }
    let (status, me, _) = call(&app, "me", &[]).await;
    assert_eq!(
        (status, me),
        (StatusCode::OK, Value::Null),
        "nobody is signed in"
    );

    // Every page the router registers: the private ones send a stranger to the sign-in page.
    let public = [
        "/login",
        "/respond/:token",
        "/dev/mailbox",
        "/invite/:token",
        "/forgot",
        "/reset/:token",
    ];
    for route in leptos_axum::generate_route_list(app::app::App) {
        let path = route.path().replace('{', ":").replace('}', "");
        let url = format!(
            "{}{}",
            app.base,
            path.replace(":id", "x").replace(":token", "x")
        );
        let res = app
            .http
            .get(url)
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        if public.contains(&path.as_str()) {
            assert!(!res.status().is_redirection(), "{path}: {}", res.status());
            continue;
        }
        assert!(res.status().is_redirection(), "{path}: {}", res.status());
        let to = res.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let expected = if path == "/" {
            "/integration"
        } else {
            "/login"
        };
        assert!(to.starts_with(expected), "{path} redirects to {to}");
    }
}

async fn another_tenant_forging_ids_changes_and_learns_nothing(backend: Backend) {
    let a = backend.spawn().await;
    let v = victim(&a).await;
    let before = snapshot(&a, &v).await;
    let writes_before = a.writes(&v.account).len();

    // Tenant B: its own admin and its own linked ATS, so every function gets past "connect first".
    let b = a.new_tenant("Forgers Ltd").await;
    b.connect("workable").await;
    for case in cases(&v).iter().filter(|c| c.access != Access::Public) {
        let (status, body, _) = call(&b, case.endpoint, &case.args).await;
        let text = body.to_string();
        assert!(
            !text.contains(&v.request_id) && !text.contains(&v.position_id),
            "{} ({status}): tenant A's data leaked: {text}",
            case.endpoint
        );
    }
    // Reads of A's records by id answer "not found".
    for (endpoint, id) in [("request", &v.request_id)] {
        let (status, body, _) = call(&b, endpoint, &[("id", id.clone())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }

    assert_eq!(
        snapshot(&a, &v).await,
        before,
        "tenant A's data is unchanged"
    );
    let writes_after = a.writes(&v.account).len();
    assert_eq!(
        writes_after, writes_before,
        "nothing was written to tenant A's ATS"
    );
}

#[tokio::test]
async fn hiring_managers_who_are_not_admins_cannot_do_what_admins_do() {
    let admin = spawn_app().await;
    let v = victim(&admin).await;
    let before = snapshot(&admin, &v).await;
    let member = admin.new_browser();
    member
        .sign_in_as(
            app::ssr::seed::DEMO_MEMBER_EMAIL,
            app::ssr::seed::DEMO_PASSWORD,
            "Riley Recruiter",
        )
        .await;
    for case in cases(&v).iter().filter(|c| c.access == Access::Admin) {
        let (status, body, location) = call(&member, case.endpoint, &case.args).await;
        let refused = status == StatusCode::FORBIDDEN
            || location
                .as_deref()
                .is_some_and(|l| l.contains("error=You+are+not+allowed"));
        assert!(refused, "{}: {status} {body} {location:?}", case.endpoint);
    }
    assert_eq!(snapshot(&admin, &v).await, before, "nothing changed");
}

async fn support_cannot_act_as_a_hiring_manager_and_hiring_managers_cannot_use_the_console(
    backend: Backend,
) {
    let admin = backend.spawn().await;
    let v = victim(&admin).await;
    let before = snapshot(&admin, &v).await;
    let writes_before = admin.writes(&v.account).len();
    // Support staff: every hiring-manager function is refused (403), and nothing changes.
    let support = admin.support().await;
    for case in cases(&v)
        .iter()
        .filter(|c| matches!(c.access, Access::Member | Access::Admin))
    {
        let (status, body, location) = call(&support, case.endpoint, &case.args).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{}: {body} {location:?}",
            case.endpoint
        );
    }
    assert_eq!(snapshot(&admin, &v).await, before, "nothing changed");
    assert_eq!(admin.writes(&v.account).len(), writes_before);
    // The company's admin: every console function is refused.
    for case in cases(&v).iter().filter(|c| c.access == Access::Support) {
        let (status, body, location) = call(&admin, case.endpoint, &case.args).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{}: {body} {location:?}",
            case.endpoint
        );
    }
    let (_, table) = support.get_fn("support_tenants", &[]).await;
    assert_eq!(table["total"], 1, "no company was created: {table}");
}

// The scoping lives in SQL, so both databases run the cross-tenant and cross-role checks.
#[tokio::test]
async fn forged_ids_on_sqlite() {
    another_tenant_forging_ids_changes_and_learns_nothing(Backend::Sqlite).await;
}

#[tokio::test]
async fn forged_ids_on_postgres() {
    another_tenant_forging_ids_changes_and_learns_nothing(Backend::Postgres).await;
}

#[tokio::test]
async fn support_and_hiring_managers_stay_apart_on_sqlite() {
    support_cannot_act_as_a_hiring_manager_and_hiring_managers_cannot_use_the_console(
        Backend::Sqlite,
    )
    .await;
}

#[tokio::test]
async fn support_and_hiring_managers_stay_apart_on_postgres() {
    support_cannot_act_as_a_hiring_manager_and_hiring_managers_cannot_use_the_console(
        Backend::Postgres,
    )
    .await;
}
