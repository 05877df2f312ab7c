//! Helpers shared by the sandbox's HTTP tests: start a sandbox on port 0, link an account
//! through the real Link endpoints, and serve test files (a tiny PDF, a non-PDF) on port 0.

#![allow(dead_code)]

use std::net::SocketAddr;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use merge::sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

/// The API key every test sandbox uses.
pub const KEY: &str = "test-key";

/// A minimal, valid one-page PDF.
pub const TINY_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

/// A sandbox serving on a free loopback port, with an HTTP client for it.
pub struct TestSandbox {
    pub sandbox: Sandbox,
    pub base: String,
    pub http: reqwest::Client,
}

/// A linked account.
pub struct Linked {
    pub id: String,
    pub token: String,
}

impl TestSandbox {
    pub async fn start() -> TestSandbox {
        Self::start_with(SandboxConfig {
            api_key: KEY.to_owned(),
            ..SandboxConfig::default()
        })
        .await
    }

    pub async fn start_with(cfg: SandboxConfig) -> TestSandbox {
        let sandbox = Sandbox::new(cfg);
        let (addr, _task) = sandbox
            .serve("127.0.0.1:0".parse().expect("address"))
            .await
            .expect("sandbox listens");
        TestSandbox {
            sandbox,
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
        }
    }

    /// `{base}/api` — what `merge::Client` takes as its root.
    pub fn api_root(&self) -> url::Url {
        url::Url::parse(&format!("{}/api", self.base)).expect("url")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET /api/ats/v1{path}` with the key and account token.
    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/api/ats/v1{path}")))
            .bearer_auth(KEY)
            .header("X-Account-Token", token)
            .send()
            .await
            .expect("request")
    }

    /// `GET` and parse JSON, asserting 200.
    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        let resp = self.get(token, path).await;
        let status = resp.status();
        let body = resp.text().await.expect("body");
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).expect("JSON body")
    }

    /// `POST /api/ats/v1{path}` with the key and account token; returns status and JSON.
    pub async fn post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let resp = self
            .http
            .post(self.url(&format!("/api/ats/v1{path}")))
            .bearer_auth(KEY)
            .header("X-Account-Token", token)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A control API call; returns status and JSON.
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("control request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// `POST /link-token`; returns the response JSON.
    pub async fn link_token(&self, origin: &str) -> Value {
        let resp = self
            .http
            .post(self.url("/api/ats/v1/link-token"))
            .bearer_auth(KEY)
            .json(&json!({
                "end_user_email_address": "admin@example.com",
                "end_user_organization_name": "Example Hiring Co",
                "end_user_origin_id": origin,
                "categories": ["ats"]
            }))
            .send()
            .await
            .expect("link-token");
        assert_eq!(resp.status(), 200);
        resp.json().await.expect("link token JSON")
    }

    /// What the Link modal does when the user picks `slug`: returns the public token.
    pub async fn complete(&self, link_token: &str, slug: &str) -> (u16, Value) {
        let resp = self
            .http
            .post(self.url("/merge-link/api/complete"))
            .json(&json!({"link_token": link_token, "integration": slug}))
            .send()
            .await
            .expect("complete");
        (resp.status().as_u16(), resp.json().await.expect("JSON"))
    }

    /// `GET /account-token/{public_token}`.
    pub async fn exchange(&self, public_token: &str) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/api/ats/v1/account-token/{public_token}")))
            .bearer_auth(KEY)
            .send()
            .await
            .expect("exchange")
    }

    /// Links an account of integration `slug` for `origin` over HTTP: link token, Link
    /// completion, token exchange.
    pub async fn link(&self, slug: &str, origin: &str) -> Linked {
        let lt = self.link_token(origin).await;
        let (status, done) = self
            .complete(lt["link_token"].as_str().expect("link_token"), slug)
            .await;
        assert_eq!(status, 200, "{done}");
        let resp = self
            .exchange(done["public_token"].as_str().expect("public_token"))
            .await;
        assert_eq!(resp.status(), 200);
        let tok: Value = resp.json().await.expect("account token JSON");
        Linked {
            id: tok["id"].as_str().expect("id").to_owned(),
            token: tok["account_token"].as_str().expect("token").to_owned(),
        }
    }

    /// The Merge id of the account's enabled SUPER_ADMIN.
    pub async fn admin_id(&self, token: &str) -> String {
        let users = self.get_json(token, "/users").await;
        users["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|u| u["access_role"] == "SUPER_ADMIN" && u["disabled"] == false)
            .and_then(|u| u["id"].as_str())
            .expect("a super admin")
            .to_owned()
    }

    /// The id of the first OPEN job.
    pub async fn open_job_id(&self, token: &str) -> String {
        let jobs = self.get_json(token, "/jobs?status=OPEN").await;
        jobs["results"][0]["id"]
            .as_str()
            .expect("an open job")
            .to_owned()
    }
}

/// Serves `/profile.pdf` (a tiny PDF), `/page.html` (HTML) and `/gone.pdf` (404) on a free port.
pub async fn file_server() -> String {
    async fn pdf() -> impl IntoResponse {
        ([(header::CONTENT_TYPE, "application/pdf")], TINY_PDF)
    }
    async fn html() -> impl IntoResponse {
        (
            [(header::CONTENT_TYPE, "text/html")],
            "<html>not a pdf</html>",
        )
    }
    async fn gone() -> impl IntoResponse {
        StatusCode::NOT_FOUND
    }
    let app = Router::new()
        .route("/profile.pdf", get(pdf))
        .route("/page.html", get(html))
        .route("/gone.pdf", get(gone));
    serve(app).await
}

/// Serves `app` on a free loopback port; returns its base URL.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}
