//! A running ATS Bridge on port 0 with the embedded sandbox and a fresh SQLite database,
//! driven over real HTTP like a browser would (cookies, form posts to server functions).

use std::time::Duration;

use app::ssr::{config::Config, startup, state::AppState};
use leptos::prelude::LeptosOptions;
use reqwest::{header, StatusCode};
use serde_json::Value;
use tokio::sync::watch;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: AppState,
    _shutdown: watch::Sender<bool>,
}

/// Starts the app with workers running (push worker, no periodic sync).
pub async fn spawn_app() -> TestApp {
    let dir = std::env::temp_dir().join(format!("atsb-flow-{}", super::uuid()));
    let db = format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display());
    let cfg = Config::from_lookup(
        |k| match k {
            "ATSB_DATABASE_URL" => Some(db.clone()),
            "ATSB_SYNC_INTERVAL_SECS" => Some("3600".into()),
            _ => None,
        },
        &dir,
    )
    .expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let cfg = cfg.with_bound_addr(addr);
    let options = LeptosOptions::builder().output_name("atsb").build();
    let state = startup::build_state(cfg, options).await.expect("state");
    let (tx, rx) = watch::channel(false);
    tokio::spawn(startup::serve(state.clone(), listener, rx));
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp {
        base: format!("http://{addr}"),
        http,
        state,
        _shutdown: tx,
    }
}

/// Sends a server-function request as JSON-accepting client; returns (status, body as JSON or text).
async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let res = req
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

impl TestApp {
    /// Calls a server function the way the hydrated page does; returns (status, JSON body).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let req = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form);
        send(req).await
    }

    /// A GET server function (query-string input).
    pub async fn get_fn(&self, endpoint: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let req = self
            .http
            .get(format!("{}/api/{endpoint}", self.base))
            .query(query);
        send(req).await
    }

    /// Calls the marketplace JSON API with its bearer token.
    pub async fn api(&self, method: reqwest::Method, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(self.state.config.marketplace_token())
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Calls the embedded sandbox's control API (mounted on our origin).
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}/_sandbox{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "control {path}: {}",
            res.status()
        );
        res.json().await.unwrap_or(Value::Null)
    }

    /// Signs in as the demo hiring manager.
    pub async fn sign_in(&self) {
        let (status, _) = self
            .call(
                "login",
                &[
                    ("email", app::ssr::seed::DEMO_EMAIL),
                    ("password", app::ssr::seed::DEMO_PASSWORD),
                ],
            )
            .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "login: {status}"
        );
        let (_, me) = self.get_fn("me", &[]).await;
        assert_eq!(me["name"], "Dana Manager", "signed in: {me}");
    }

    /// Waits until `check` returns Some, polling every 100 ms for up to 20 s.
    pub async fn eventually<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        for _ in 0..200 {
            if let Some(v) = check().await {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for {what}");
    }
}
