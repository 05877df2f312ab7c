//! A running ATS Bridge driven over real HTTP like a browser would (cookies, form posts to
//! server functions): in this process with the embedded sandbox ([`spawn_app`]), or as the real
//! server binary talking to a sandbox in this process ([`ServerProcess`]).

use std::{process::Stdio, time::Duration};

use app::ssr::{config::Config, startup, state::AppState};
use leptos::prelude::LeptosOptions;
use merge::sandbox::{Sandbox, SandboxConfig};
use reqwest::{header, Method, StatusCode};
use serde_json::Value;
use tokio::{io::AsyncBufReadExt, sync::watch};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    /// The Merge sandbox the app talks to.
    pub sandbox: Sandbox,
    /// Where the sandbox's control API is served.
    control_base: String,
    marketplace_token: String,
    /// The app's state, when it runs in this process.
    state: Option<AppState>,
    _shutdown: Option<watch::Sender<bool>>,
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Starts the app with workers running (push worker, no periodic sync) on SQLite.
pub async fn spawn_app() -> TestApp {
    let dir = std::env::temp_dir().join(format!("atsb-flow-{}", super::uuid()));
    let db = format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display());
    spawn_app_on(&db, &dir).await
}

/// Which database a test app runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Starts an in-process app on a fresh database of this kind.
    pub async fn spawn(self) -> TestApp {
        self.spawn_with(&[]).await
    }

    /// The same, with extra configuration (`ATSB_...` variables).
    pub async fn spawn_with(self, env: &[(&str, &str)]) -> TestApp {
        let dir = std::env::temp_dir().join(format!("atsb-flow-{}", super::uuid()));
        let db = match self {
            Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.join("atsb.db").display()),
            Backend::Postgres => super::postgres_url().await,
        };
        spawn_app_with(&db, &dir, env).await
    }
}

/// Starts the app on the given database URL, with its generated secrets under `dir`.
pub async fn spawn_app_on(db: &str, dir: &std::path::Path) -> TestApp {
    spawn_app_with(db, dir, &[]).await
}

/// Starts the app on the given database URL with extra configuration.
pub async fn spawn_app_with(db: &str, dir: &std::path::Path, env: &[(&str, &str)]) -> TestApp {
    let cfg = Config::from_lookup(
        |k| match k {
            "ATSB_DATABASE_URL" => Some(db.to_string()),
            "ATSB_SYNC_INTERVAL_SECS" => Some("3600".into()),
            _ => env
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string()),
        },
        dir,
    )
    .expect("config");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let cfg = cfg.with_bound_addr(addr);
    let options = LeptosOptions::builder().output_name("atsb").build();
    let state = startup::build_state(cfg, options).await.expect("state");
    let (tx, rx) = watch::channel(false);
    tokio::spawn(startup::serve(state.clone(), listener, rx));
    let base = format!("http://{addr}");
    TestApp {
        control_base: base.clone(),
        base,
        http: browser(),
        sandbox: state.sandbox.clone().expect("embedded sandbox"),
        marketplace_token: app::ssr::api_clients::create(&state.db, "tests", None)
            .await
            .expect("an API client")
            .1,
        state: Some(state),
        _shutdown: Some(tx),
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
    /// The in-process app's state (not available for a server process).
    pub fn state(&self) -> &AppState {
        self.state.as_ref().expect("the app runs in this process")
    }

    /// Calls a server function the way the hydrated page does; returns (status, JSON body).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let req = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form);
        send(req).await
    }

    /// Posts a form to a server function as a browser without JavaScript does; returns the
    /// error flash its redirect carries (None when it reported success).
    pub async fn form_error(&self, endpoint: &str, form: &[(&str, &str)]) -> Option<String> {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        let location = res.headers()[header::LOCATION].to_str().unwrap();
        let url = url::Url::parse("http://x").unwrap().join(location).unwrap();
        url.query_pairs()
            .find(|(k, _)| k == "error")
            .map(|(_, v)| v.into_owned())
    }

    /// A GET server function (query-string input).
    pub async fn get_fn(&self, endpoint: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let req = self
            .http
            .get(format!("{}/api/{endpoint}", self.base))
            .query(query);
        send(req).await
    }

    /// The marketplace JSON API's bearer token.
    pub fn marketplace_token(&self) -> &str {
        &self.marketplace_token
    }

    /// Calls the marketplace JSON API with its bearer token.
    pub async fn api(&self, method: Method, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.marketplace_token)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Calls the sandbox's control API.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let res = self
            .http
            .post(format!("{}/_sandbox{path}", self.control_base))
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

    /// Where the sandbox's control API is served (`/_sandbox/...` under it).
    pub fn sandbox_base(&self) -> &str {
        &self.control_base
    }

    /// The sandbox's summary of a linked account (status, counts, limits).
    pub async fn sandbox_account(&self, account: &str) -> Value {
        self.http
            .get(format!("{}/_sandbox/accounts/{account}", self.control_base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Presses Sync now and waits for that run to end; returns the integration page's data.
    pub async fn sync_now(&self) -> Value {
        let (_, before) = self.get_fn("integration", &[]).await;
        let previous = before["sync"]["run"].clone();
        let (status, body) = self.call("sync_now", &[]).await;
        assert!(status.is_success() || status.is_redirection(), "{body}");
        self.wait_for_run_after(&previous).await
    }

    /// Waits (up to 10 minutes) until a sync run other than `previous` has ended.
    pub async fn wait_for_run_after(&self, previous: &Value) -> Value {
        for _ in 0..6000 {
            let (_, i) = self.get_fn("integration", &[]).await;
            if i["sync"]["run"] != *previous && i["sync"]["running"] == false {
                return i;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no sync run ended within 10 minutes");
    }

    /// Removes every armed sandbox fault.
    pub async fn clear_faults(&self) {
        let res = self
            .http
            .delete(format!("{}/_sandbox/faults", self.control_base))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }

    /// Creates a tenant with a company admin and returns a browser signed in as that admin
    /// (a fresh cookie jar on the same in-process app).
    pub async fn new_tenant(&self, name: &str) -> TestApp {
        let db = &self.state().db;
        let tenant = db.create_tenant(name).await.unwrap();
        let email = format!("admin-{}@example.com", super::uuid());
        let password = "correct horse battery staple";
        let hash = app::ssr::auth::hash_password(password).unwrap();
        db.create_login(
            Some(tenant),
            &email,
            "Bench Admin",
            &hash,
            app::ssr::repo::accounts::Role::Admin,
        )
        .await
        .unwrap();
        let other = self.new_browser();
        other.sign_in_as(&email, password, "Bench Admin").await;
        other
    }

    /// Another browser signed in as a new marketplace support login (made as the command does).
    pub async fn support(&self) -> TestApp {
        let email = format!("support-{}@marketplace.example", super::uuid());
        let password = "support staff password";
        app::ssr::onboarding::create_support_user(
            &self.state().db,
            &email,
            "Sam Support",
            password,
        )
        .await
        .unwrap();
        let other = self.new_browser();
        other.sign_in_as(&email, password, "Sam Support").await;
        other
    }

    /// Another browser (an empty cookie jar: nobody signed in) on the same in-process app.
    pub fn new_browser(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            http: browser(),
            sandbox: self.sandbox.clone(),
            control_base: self.control_base.clone(),
            marketplace_token: self.marketplace_token.clone(),
            state: self.state.clone(),
            _shutdown: None,
        }
    }

    /// Signs in as the demo hiring manager.
    pub async fn sign_in(&self) {
        self.sign_in_as(
            app::ssr::seed::DEMO_EMAIL,
            app::ssr::seed::DEMO_PASSWORD,
            "Dana Manager",
        )
        .await;
    }

    /// Signs in with these credentials and checks who the app says is signed in.
    pub async fn sign_in_as(&self, email: &str, password: &str, name: &str) {
        let (status, _) = self
            .call("login", &[("email", email), ("password", password)])
            .await;
        assert!(
            status.is_success() || status.is_redirection(),
            "login: {status}"
        );
        let (_, me) = self.get_fn("me", &[]).await;
        assert_eq!(me["name"], name, "signed in: {me}");
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

    /// Connects the ATS through Merge Link (the sandbox plays the browser's part) and waits for
    /// the first sync; returns the linked account's id.
    pub async fn connect(&self, integration: &str) -> String {
        let (status, token) = self.call("create_link_token", &[]).await;
        assert_eq!(status, StatusCode::OK, "{token}");
        let public = self
            .sandbox
            .complete_link(token.as_str().unwrap(), integration)
            .expect("link");
        let (status, body) = self
            .call("complete_link", &[("public_token", &public)])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let integration = self
            .eventually("the first sync", || async {
                let (_, i) = self.get_fn("integration", &[]).await;
                (i["sync"]["running"] == false && i["sync"]["last_success"].is_string())
                    .then_some(i)
            })
            .await;
        assert!(
            integration["counts"][0].as_i64().unwrap() > 0,
            "users synced: {integration}"
        );
        assert!(
            integration["counts"][1].as_i64().unwrap() > 0,
            "jobs synced"
        );
        let accounts = self
            .http
            .get(format!("{}/_sandbox/accounts", self.control_base))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let list = accounts
            .as_array()
            .cloned()
            .or_else(|| accounts["accounts"].as_array().cloned())
            .expect("accounts list");
        list.last().unwrap()["id"].as_str().unwrap().to_string()
    }

    /// Chooses the ATS's first SUPER_ADMIN as verification admin; returns their Merge id.
    pub async fn choose_super_admin(&self) -> String {
        let (_, integration) = self.get_fn("integration", &[]).await;
        let admin = integration["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["role"] == "SUPER_ADMIN")
            .expect("a super admin")["id"]
            .as_str()
            .unwrap()
            .to_string();
        self.call("set_verification_admin", &[("user_id", &admin)])
            .await;
        admin
    }

    /// The n-th (from 0) open, live ATS job: (Merge id, name).
    pub async fn open_job(&self, n: usize) -> (String, String) {
        let (_, p) = self.get_fn("positions", &[("search", "")]).await;
        let job = p["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|j| j["status"] == "OPEN" && j["deleted"] == false)
            .nth(n)
            .expect("an open job")
            .clone();
        (
            job["id"].as_str().unwrap().into(),
            job["name"].as_str().unwrap().into(),
        )
    }

    /// Imports an ATS job as a position; returns the position's id.
    pub async fn import_job(&self, job_id: &str) -> String {
        self.call("import_job", &[("job_id", job_id)]).await;
        let (_, p) = self.get_fn("positions", &[("search", "")]).await;
        p["positions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["job"]["id"] == job_id)
            .expect("imported")["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Sends a request for `position_id` to the named marketplace candidate (or the first one);
    /// returns the new request's id.
    pub async fn send_request(
        &self,
        position_id: &str,
        candidate: Option<&str>,
        message: &str,
    ) -> String {
        let (_, r) = self.get_fn("requests", &[]).await;
        let candidates = r["candidates"].as_array().unwrap();
        let chosen = match candidate {
            Some(name) => candidates
                .iter()
                .find(|c| c["name"] == name)
                .expect("a seeded candidate"),
            None => &candidates[0],
        };
        let fields = [
            ("position_id", position_id),
            ("candidate_id", chosen["id"].as_str().unwrap()),
            ("message", message),
        ];
        self.call("send_request", &fields).await;
        let (_, r) = self.get_fn("requests", &[]).await;
        r["requests"][0]["id"].as_str().unwrap().to_string()
    }

    /// The marketplace API's view of a request.
    pub async fn request_json(&self, id: &str) -> Value {
        let (status, body) = self
            .api(Method::GET, &format!("/interview-requests/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// The candidate accepts (through the marketplace API).
    pub async fn accept(&self, request_id: &str) {
        let (status, body) = self
            .api(
                Method::POST,
                &format!("/interview-requests/{request_id}/accept"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Waits until the request's push reaches `state`; returns the request.
    pub async fn push_reaches(&self, request_id: &str, state: &str) -> Value {
        self.eventually(&format!("the push to be {state}"), || async {
            let b = self.request_json(request_id).await;
            (b["push"]["state"] == state).then_some(b)
        })
        .await
    }

    /// How many `model` records (Candidate, Application, Attachment) the account's write log
    /// holds: what actually exists in the ATS, including writes whose answer was lost.
    pub fn written(&self, account: &str, model: &str) -> usize {
        self.writes(account)
            .iter()
            .filter(|w| w["model"] == model)
            .count()
    }

    /// The sandbox's write log for an account, as JSON.
    pub fn writes(&self, account: &str) -> Vec<Value> {
        let w = self.sandbox.writes(account).expect("the account exists");
        serde_json::to_value(w)
            .unwrap()
            .as_array()
            .cloned()
            .unwrap()
    }
}

/// The real server binary, against a sandbox in this process and a database of the test's.
pub struct ServerProcess {
    bin: std::path::PathBuf,
    env: Vec<(String, String)>,
    sandbox: Sandbox,
    sandbox_base: String,
    child: Option<tokio::process::Child>,
    /// Everything the server printed (stdout and stderr), for assertions on the logs.
    pub output: std::sync::Arc<std::sync::Mutex<String>>,
}

impl ServerProcess {
    /// Prepares a server on `database_url` talking to a fresh sandbox (not started yet).
    pub async fn new(bin: &str, database_url: &str) -> ServerProcess {
        let sandbox = Sandbox::new(SandboxConfig {
            api_key: "crash-test-key".into(),
            webhook_key: None,
            webhook_url: None,
            requests_per_minute: 10_000,
        });
        let (addr, _task) = sandbox.serve("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let dir = std::env::temp_dir().join(format!("atsb-proc-{}", super::uuid()));
        std::fs::create_dir_all(&dir).unwrap();
        // The port is chosen now so the public URL (which the ATS downloads the PDF from) is
        // known before the server starts.
        let port = free_port();
        let env = [
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
            ("LEPTOS_OUTPUT_NAME", "atsb".into()),
            ("ATSB_PUBLIC_URL", format!("http://127.0.0.1:{port}")),
            ("ATSB_DATABASE_URL", database_url.into()),
            ("ATSB_DATA_DIR", dir.display().to_string()),
            ("ATSB_SEED_DEMO", "1".into()),
            // A push held by a killed process is taken over after 2 s.
            ("ATSB_PUSH_LEASE_SECS", "2".into()),
            ("ATSB_SYNC_INTERVAL_SECS", "3600".into()),
            ("MERGE_API_KEY", "crash-test-key".into()),
            ("MERGE_API_BASE", format!("http://{addr}/api")),
            ("MERGE_WEBHOOK_KEY", "crash-test-webhook-key".into()),
            // A fixed test key: base64 of the 32 bytes "crash-test-encryption-key-32byte".
            (
                "ATSB_ENCRYPTION_KEY",
                "Y3Jhc2gtdGVzdC1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=".into(),
            ),
            ("RUST_LOG", "info".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        ServerProcess {
            bin: bin.into(),
            env,
            sandbox,
            sandbox_base: format!("http://{addr}"),
            child: None,
            output: Default::default(),
        }
    }

    /// Sets (or overrides) an environment variable for the next start.
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    /// The value of one of this server's environment variables.
    pub fn env(&self, key: &str) -> String {
        self.env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{key} is not set"))
    }

    /// Removes an environment variable for the next start.
    pub fn unset_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// A second server on the same database and sandbox, with its own port and data directory.
    pub fn sibling(&self) -> ServerProcess {
        let port = free_port();
        let mut env = self.env.clone();
        for (k, v) in env.iter_mut() {
            match k.as_str() {
                "LEPTOS_SITE_ADDR" => *v = format!("127.0.0.1:{port}"),
                "ATSB_PUBLIC_URL" => *v = format!("http://127.0.0.1:{port}"),
                _ => {}
            }
        }
        ServerProcess {
            bin: self.bin.clone(),
            env,
            sandbox: self.sandbox.clone(),
            sandbox_base: self.sandbox_base.clone(),
            child: None,
            output: Default::default(),
        }
    }

    /// The id this process's workers put on their leases (from its log).
    pub fn worker_id(&self) -> Option<String> {
        let out = self.output.lock().unwrap();
        let at = out.find("worker=worker-")? + "worker=".len();
        Some(
            out[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect(),
        )
    }

    /// Kills the process with SIGKILL, as a crash or the OOM killer would.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.unwrap();
        }
    }

    /// Sends SIGTERM and waits up to 20 s; returns the exit code (None if killed by a signal).
    pub async fn terminate(&mut self) -> Option<i32> {
        let mut child = self.child.take().expect("started");
        let pid = child.id().expect("running");
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
            .await
            .expect("the server exits within 20 s of SIGTERM")
            .unwrap();
        status.code()
    }

    /// Starts the binary (with `failpoint` armed, if given) and waits until it serves.
    pub async fn start(&mut self, failpoint: Option<&str>) -> TestApp {
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env_remove("ATSB_FAILPOINT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(f) = failpoint {
            cmd.env("ATSB_FAILPOINT", f);
        }
        let mut child = cmd.spawn().expect("the server binary starts");
        let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<String>(1);
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let out = self.output.clone();
            let ready = ready_tx.clone();
            tokio::spawn(async move {
                let mut lines = tokio::io::BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(url) = line.strip_prefix("ATS Bridge is running on ") {
                        let _ = ready.send(url.trim().to_string()).await;
                    }
                    let mut o = out.lock().unwrap();
                    o.push_str(&line);
                    o.push('\n');
                }
            });
        }
        let base = tokio::time::timeout(Duration::from_secs(60), ready_rx.recv())
            .await
            .expect("the server starts within 60 s")
            .expect("the server prints its address");
        self.child = Some(child);
        TestApp {
            base,
            http: browser(),
            sandbox: self.sandbox.clone(),
            control_base: self.sandbox_base.clone(),
            marketplace_token: self.api_client().await,
            state: None,
            _shutdown: None,
        }
    }

    /// Runs `server <args>` (an operator command) with this server's configuration; returns
    /// whether it succeeded and what it printed.
    pub async fn command(&self, args: &[&str], stdin: &str) -> (bool, String) {
        use tokio::io::AsyncWriteExt;
        let mut child = tokio::process::Command::new(&self.bin)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary runs");
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).await.unwrap();
        drop(input);
        let out = child.wait_with_output().await.unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    /// A new marketplace API client's token, made with `server create-api-client`.
    pub async fn api_client(&self) -> String {
        let (ok, out) = self
            .command(&["create-api-client", "--name", "tests"], "")
            .await;
        assert!(ok, "{out}");
        out.lines()
            .find_map(|l| l.split_once("): ").map(|(_, t)| t.trim().to_string()))
            .unwrap_or_else(|| panic!("no token in {out}"))
    }

    /// Waits for the process to end by itself (a failpoint); returns the signal that ended it.
    pub async fn killed_by(&mut self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        let child = self.child.as_mut().expect("started");
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .expect("the failpoint ends the process within 30 s")
            .unwrap();
        self.child = None;
        status.signal()
    }

    /// Stops the process with SIGTERM (if it runs) and waits for it.
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if let Some(pid) = child.id() {
                let _ = std::process::Command::new("kill")
                    .args(["-TERM", &pid.to_string()])
                    .status();
            }
            let _ = tokio::time::timeout(Duration::from_secs(20), child.wait()).await;
            let _ = child.kill().await;
        }
    }

    /// The sandbox's control API base URL.
    pub fn sandbox_base(&self) -> &str {
        &self.sandbox_base
    }
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
