//! Sign-in hardening over real HTTP: throttling per account and per client IP (honouring
//! `X-Forwarded-For` only from the trusted proxy), sessions that rotate on sign-in and end on
//! the server at sign-out, on SQLite and PostgreSQL.

mod common;

use app::ssr::seed::{DEMO_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PASSWORD};
use common::server::{Backend, TestApp};
use reqwest::header;

/// A browser without a cookie jar: cookies are passed by hand, so tests can replay old ones.
fn bare() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Outcome of one sign-in attempt: the session token set (if any) and the error flash.
struct Attempt {
    token: Option<String>,
    error: Option<String>,
}

async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
    cookie: Option<&str>,
) -> Attempt {
    let mut req = bare()
        .post(format!("{}/api/login", app.base))
        .header(header::ACCEPT, "text/html")
        .form(&[("email", email), ("password", password)]);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    if let Some(token) = cookie {
        req = req.header(header::COOKIE, format!("atsb_session={token}"));
    }
    let res = req.send().await.unwrap();
    assert!(
        res.status().is_redirection(),
        "login answers {}",
        res.status()
    );
    let token = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("atsb_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .filter(|t| !t.is_empty());
    let location = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let error = url::Url::parse(&format!("http://x{location}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.into_owned());
    Attempt { token, error }
}

/// Who the session cookie belongs to (None: no live session).
async fn whoami(app: &TestApp, token: &str) -> Option<String> {
    let me: serde_json::Value = bare()
        .get(format!("{}/api/me", app.base))
        .header(header::COOKIE, format!("atsb_session={token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    me["email"].as_str().map(str::to_string)
}

async fn throttles_per_account_and_per_client(backend: Backend) {
    let app = backend
        .spawn_with(&[("ATSB_TRUSTED_PROXY", "127.0.0.1")])
        .await;
    let office = Some("198.51.100.7");
    // Five wrong passwords for one account...
    for _ in 0..5 {
        let a = sign_in(&app, DEMO_EMAIL, "guess", office, None).await;
        assert_eq!(a.error.as_deref(), Some("Wrong e-mail or password."));
        assert!(a.token.is_none());
    }
    // ...and the right one is refused too, from anywhere, while the account cools down.
    for from in [office, Some("192.0.2.50")] {
        let a = sign_in(&app, DEMO_EMAIL, DEMO_PASSWORD, from, None).await;
        assert!(
            a.error
                .as_deref()
                .unwrap_or("")
                .contains("Too many failed sign-ins"),
            "{:?}",
            a.error
        );
        assert!(a.token.is_none(), "no session while throttled");
    }
    // Another account from the same office still signs in (5 failures < the IP's 20).
    let ok = sign_in(&app, DEMO_MEMBER_EMAIL, DEMO_PASSWORD, office, None).await;
    assert_eq!(ok.error, None);
    assert!(ok.token.is_some());

    // A guesser trying many accounts from one address is stopped at 20 failures...
    let guesser = Some("203.0.113.66");
    for n in 0..20 {
        let a = sign_in(
            &app,
            &format!("nobody{n}@example.com"),
            "guess",
            guesser,
            None,
        )
        .await;
        assert_eq!(
            a.error.as_deref(),
            Some("Wrong e-mail or password."),
            "attempt {n}"
        );
    }
    let blocked = sign_in(&app, DEMO_MEMBER_EMAIL, DEMO_PASSWORD, guesser, None).await;
    assert!(blocked.token.is_none() && blocked.error.is_some_and(|e| e.contains("Too many")));
    // ...while the office behind the same proxy is not.
    let office_ok = sign_in(&app, DEMO_MEMBER_EMAIL, DEMO_PASSWORD, office, None).await;
    assert!(office_ok.token.is_some());

    // Without a trusted proxy the header is the client's word and counts for nothing: varying
    // it does not escape the limit of the real peer address.
    let direct = backend.spawn().await;
    for n in 0..20 {
        let forged = format!("10.9.8.{n}");
        sign_in(
            &direct,
            &format!("nobody{n}@example.com"),
            "guess",
            Some(&forged),
            None,
        )
        .await;
    }
    let refused = sign_in(&direct, DEMO_EMAIL, DEMO_PASSWORD, Some("10.9.9.9"), None).await;
    assert!(
        refused.token.is_none(),
        "forged X-Forwarded-For evaded the limit"
    );
}

async fn sessions_rotate_and_end_on_the_server(backend: Backend) {
    let app = backend.spawn().await;
    let first = sign_in(&app, DEMO_EMAIL, DEMO_PASSWORD, None, None)
        .await
        .token
        .unwrap();
    assert_eq!(whoami(&app, &first).await.as_deref(), Some(DEMO_EMAIL));
    // Signing in again with that cookie gives a new session and ends the old one.
    let second = sign_in(&app, DEMO_EMAIL, DEMO_PASSWORD, None, Some(&first))
        .await
        .token
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(whoami(&app, &first).await, None, "the old session ended");
    assert_eq!(whoami(&app, &second).await.as_deref(), Some(DEMO_EMAIL));
    // Signing out ends it on the server: replaying the cookie afterwards gets nobody.
    let res = bare()
        .post(format!("{}/api/logout", app.base))
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, format!("atsb_session={second}"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(whoami(&app, &second).await, None, "replayed after sign-out");
}

#[tokio::test]
async fn sign_ins_are_throttled_per_account_and_per_client_ip_on_sqlite() {
    throttles_per_account_and_per_client(Backend::Sqlite).await;
}

#[tokio::test]
async fn sign_ins_are_throttled_per_account_and_per_client_ip_on_postgres() {
    throttles_per_account_and_per_client(Backend::Postgres).await;
}

#[tokio::test]
async fn sessions_rotate_on_sign_in_and_end_at_sign_out() {
    sessions_rotate_and_end_on_the_server(Backend::Sqlite).await;
    sessions_rotate_and_end_on_the_server(Backend::Postgres).await;
}

/// The audit log as the signed-in hiring manager reads it.
async fn activity(app: &TestApp) -> Vec<serde_json::Value> {
    let (status, body) = app.get_fn("activity", &[]).await;
    assert!(status.is_success(), "{body}");
    body.as_array().unwrap().clone()
}

#[tokio::test]
async fn the_audit_log_says_who_did_what_and_only_to_their_company() {
    let app = Backend::Sqlite.spawn().await;
    // A failed sign-in, then the hiring manager's day: sign in, connect, import, sync, request.
    let wrong = sign_in(&app, DEMO_EMAIL, "guess", None, None).await;
    assert!(wrong.error.is_some());
    app.sign_in().await;
    app.connect("workable").await;
    let (job_id, job_name) = app.open_job(0).await;
    let position_id = app.import_job(&job_id).await;
    app.sync_now().await;
    let request_id = app.send_request(&position_id, None, "").await;
    app.accept(&request_id).await;
    app.push_reaches(&request_id, "done").await;

    let log = app
        .eventually("the push in the audit log", || async {
            let log = activity(&app).await;
            log.iter()
                .any(|e| e["action"] == "pushed a candidate to the ATS")
                .then_some(log)
        })
        .await;
    let find = |action: &str| {
        log.iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("{action} is logged: {log:#?}"))
            .clone()
    };
    assert_eq!(find("failed to sign in")["who"], "someone at 127.0.0.1");
    assert!(find("failed to sign in")["detail"]
        .as_str()
        .unwrap()
        .contains(DEMO_EMAIL));
    for action in [
        "signed in",
        "connected the ATS",
        "imported an ATS job",
        "started a sync",
        "sent an interview request",
    ] {
        assert_eq!(find(action)["who"], "Dana Manager", "{action}");
    }
    assert!(find("imported an ATS job")["detail"]
        .as_str()
        .unwrap()
        .contains(&job_name));
    assert!(find("connected the ATS")["detail"]
        .as_str()
        .unwrap()
        .contains("Workable"));
    assert_eq!(find("pushed a candidate to the ATS")["who"], "ATS Bridge");
    // Ids, never the candidate's name.
    let text = serde_json::to_string(&log).unwrap();
    let (_, r) = app.get_fn("requests", &[]).await;
    let candidate = r["requests"][0]["candidate"].as_str().unwrap();
    assert!(
        !text.contains(candidate),
        "the candidate's name is not in the audit log"
    );

    // Another company sees its own log only.
    let other = app.new_tenant("Elsewhere Inc").await;
    let theirs = activity(&other).await;
    assert!(
        theirs.iter().all(|e| e["who"] != "Dana Manager"),
        "another tenant's log: {theirs:#?}"
    );
}
