//! A local fake of Merge's ATS API (the *sandbox*): the Merge API under `/api/ats/v1`, a
//! Merge-Link-compatible script and endpoints under `/merge-link/`, and a loopback-only control
//! API under `/_sandbox/`. It emits the crate's wire types, so client and fake share one shape.
//! See `docs/sandbox.md`.

mod api;
mod control;
mod faults;
mod link;
mod lists;
mod profiles;
mod requests;
mod seed;
mod state;
mod webhooks;
mod writes;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::StatusCode;
use axum::{middleware, Router};

pub use faults::{FaultKind, FaultSpec};
pub use profiles::{Profile, PROFILES};
pub use requests::RequestCounts;
pub use seed::{GENERIC_STAGE, PIPELINE};
pub use state::{FetchedFile, WriteLog};

use state::{State, WebhookTarget};

/// Path of the Merge Link script on whatever origin mounts [`Sandbox::link_router`].
pub const LINK_SCRIPT_PATH: &str = "/merge-link/initialize.js";

/// Root of the fake Merge API (append to the sandbox's base URL).
pub const API_ROOT: &str = "/api";

/// How a sandbox is set up.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The API key clients must send as `Authorization: Bearer <api_key>`.
    pub api_key: String,
    /// Webhook signature key; webhooks are sent only with both this and `webhook_url`.
    pub webhook_key: Option<String>,
    /// Where webhooks go.
    pub webhook_url: Option<url::Url>,
    /// Per linked account, in a sliding minute (Merge's smallest plan: 100).
    pub requests_per_minute: u32,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            api_key: "sandbox-key".to_owned(),
            webhook_key: None,
            webhook_url: None,
            requests_per_minute: 100,
        }
    }
}

struct Shared {
    api_key: String,
    requests_per_minute: u32,
    /// Id of the (single) webhook configuration, as `hook.id` reports it.
    hook_id: String,
    http: reqwest::Client,
    state: Mutex<State>,
}

/// A running fake of Merge: cheap to clone, all clones share one state.
#[derive(Clone)]
pub struct Sandbox {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("requests_per_minute", &self.shared.requests_per_minute)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// A sandbox with no linked accounts yet.
    pub fn new(cfg: SandboxConfig) -> Sandbox {
        // The fallback client has no timeouts; requests still set their own.
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        let webhook_target = match (cfg.webhook_url, cfg.webhook_key) {
            (Some(url), Some(key)) => Some(WebhookTarget { url, key }),
            _ => None,
        };
        let state = State {
            webhook_target,
            ..State::default()
        };
        Sandbox {
            shared: Arc::new(Shared {
                api_key: cfg.api_key,
                requests_per_minute: cfg.requests_per_minute.max(1),
                hook_id: state::new_id(),
                http,
                state: Mutex::new(state),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent-enough test data; keep serving.
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    pub(crate) fn requests_per_minute(&self) -> u32 {
        self.shared.requests_per_minute
    }

    pub(crate) fn hook_id(&self) -> &str {
        &self.shared.hook_id
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// The Merge API under `/api/ats/v1/...`, with fault injection (on known paths) and request
    /// counting (on every path under `/api/ats/v1/`; unknown ones answer Merge's JSON 404).
    pub fn api_router(&self) -> Router {
        api::routes()
            .layer(middleware::from_fn_with_state(self.clone(), faults::inject))
            .merge(api::unknown_routes())
            .layer(middleware::from_fn_with_state(
                self.clone(),
                requests::count,
            ))
            .with_state(self.clone())
    }

    /// The Merge Link script (`/merge-link/initialize.js`) and the endpoints its modal calls
    /// (`/merge-link/api/...`). Mountable on another server: the script calls the origin it was
    /// loaded from.
    pub fn link_router(&self) -> Router {
        link::routes().with_state(self.clone())
    }

    /// The control API under `/_sandbox/...`. Answers 403 to a peer that is not loopback (as
    /// seen through `ConnectInfo<SocketAddr>` when the server provides it) or when forwarding
    /// headers name a non-loopback client.
    pub fn control_router(&self) -> Router {
        control::routes().with_state(self.clone())
    }

    /// The three routers merged, with Merge's JSON 404 for unknown paths.
    pub fn router(&self) -> Router {
        self.api_router()
            .merge(self.link_router())
            .merge(self.control_router())
            .fallback(|| async { api::detail(StatusCode::NOT_FOUND, "Not found.") })
    }

    /// Binds `addr` (port 0 picks a free port) and serves [`Sandbox::router`] with connect info
    /// in a spawned task; returns the bound address and the task.
    pub async fn serve(
        &self,
        addr: SocketAddr,
    ) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let app = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        let handle = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "sandbox server stopped");
            }
        });
        Ok((local, handle))
    }

    /// Sends webhooks to `url`, signed with `key`.
    pub fn set_webhook_target(&self, url: url::Url, key: String) {
        self.lock().webhook_target = Some(WebhookTarget { url, key });
    }

    /// Completes a Merge Link session without a browser, as the modal's "choose integration"
    /// does: returns the public token for `link_token` linked to the integration `slug`
    /// (`greenhouse`, `lever`, `workable`, `recruitee`), or why not.
    pub fn complete_link(&self, link_token: &str, slug: &str) -> Result<String, String> {
        link::complete_link(self, link_token, slug)
    }

    /// Every successful write of a linked account, oldest first (`None`: unknown account).
    pub fn writes(&self, account_id: &str) -> Option<Vec<WriteLog>> {
        self.lock().account(account_id).map(|a| a.writes.clone())
    }

    /// The Merge API requests counted so far, by route (what `GET /_sandbox/requests` answers).
    pub fn requests(&self) -> RequestCounts {
        self.lock().requests.clone()
    }

    /// Sets the request counters back to zero (what `DELETE /_sandbox/requests` does).
    pub fn reset_requests(&self) {
        self.lock().requests = RequestCounts::default();
    }
}
