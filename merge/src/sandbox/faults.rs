//! Fault injection (429, 5xx, timeouts, slow and malformed responses, empty error responses, a
//! failing account-token exchange, writes whose response is lost) and the per-account rate
//! limit.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::api::{detail, API_PREFIX};
use super::state::Account;
use super::Sandbox;

/// What a fault does to a matching request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 `{"detail": "Request was throttled."}` with `Retry-After`.
    RateLimit,
    /// 502 with an HTML body.
    ServerError,
    /// Waits longer than a client would (default 120 s), then 504.
    Timeout,
    /// Waits `delay_ms` (default 2 s), then answers normally.
    Slow,
    /// 200 with a truncated JSON body.
    Malformed,
    /// The account-token exchange answers 500 (the public token stays valid).
    ExchangeFail,
    /// A `POST` is performed, then answered with 504 after `delay_ms` (default 0): the write
    /// happened but the client does not see it.
    WriteLost,
    /// Answers `status` (default 500) with an empty body, without performing the request.
    EmptyError,
}

/// A fault as the control API takes it (`POST /_sandbox/faults`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FaultSpec {
    /// What to do.
    pub kind: FaultKind,
    /// How many matching requests it hits (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Only requests whose path starts with this (absolute, or relative to `/api/ats/v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// Only requests of this linked account (by `X-Account-Token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `Retry-After` of `rate_limit` in seconds (default 2; 0 sends no `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Delay of `slow`, `timeout` and `write_lost`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Status of `empty_error` (400–599, default 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
}

fn one() -> u32 {
    1
}

impl FaultSpec {
    /// Why the control API refuses this spec, if it does.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if self.count == 0 {
            return Some("count must be at least 1.");
        }
        if self.status.is_some_and(|s| !(400..=599).contains(&s)) {
            return Some("status must be an error status (400-599).");
        }
        None
    }
}

/// An armed fault with the hits it has left.
#[derive(Clone, Debug, Serialize)]
pub struct Fault {
    /// The fault as requested.
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Matching requests it will still hit.
    pub remaining: u32,
}

impl Fault {
    /// Arms a fault.
    pub fn new(mut spec: FaultSpec) -> Fault {
        if let Some(prefix) = &spec.path_prefix {
            if !prefix.starts_with("/api/") && !prefix.starts_with("/merge-link") {
                let rel = prefix.trim_start_matches('/');
                spec.path_prefix = Some(format!("{API_PREFIX}/{rel}"));
            }
        }
        let remaining = spec.count;
        Fault { spec, remaining }
    }

    fn matches(&self, method: &Method, path: &str, account: Option<&str>) -> bool {
        if self.remaining == 0 {
            return false;
        }
        if let Some(prefix) = &self.spec.path_prefix {
            if !path.starts_with(prefix.as_str()) {
                return false;
            }
        }
        if let Some(want) = &self.spec.account_id {
            if account != Some(want.as_str()) {
                return false;
            }
        }
        match self.spec.kind {
            FaultKind::ExchangeFail => path.starts_with(&format!("{API_PREFIX}/account-token/")),
            FaultKind::WriteLost => method == Method::POST,
            _ => true,
        }
    }
}

/// Marks a request whose response a `write_lost` fault will swallow (the write handler records
/// it in the write log).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseLost;

/// Middleware of the Merge API router: applies the first armed fault matching the request.
pub(crate) async fn inject(
    State(sandbox): State<Sandbox>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let token = req
        .headers()
        .get("x-account-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let fault = {
        let mut state = sandbox.lock();
        let account = token.and_then(|t| state.account_id_by_token(&t));
        let hit = state
            .faults
            .iter_mut()
            .find(|f| f.matches(req.method(), &path, account.as_deref()));
        let fault = hit.map(|f| {
            f.remaining -= 1;
            f.spec.clone()
        });
        state.faults.retain(|f| f.remaining > 0);
        fault
    };
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    match fault.kind {
        FaultKind::RateLimit => {
            let secs = fault.retry_after_secs.unwrap_or(2);
            let mut resp = throttled("Request was throttled.", secs);
            if secs == 0 {
                resp.headers_mut().remove(header::RETRY_AFTER);
            }
            resp
        }
        FaultKind::ServerError => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><head><title>502 Bad Gateway</title></head>\
             <body><h1>502 Bad Gateway</h1></body></html>",
        )
            .into_response(),
        FaultKind::Timeout => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms.unwrap_or(120_000))).await;
            gateway_timeout()
        }
        FaultKind::Slow => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms.unwrap_or(2_000))).await;
            next.run(req).await
        }
        FaultKind::Malformed => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"next": null, "previous": null, "results": [{"id": "#,
        )
            .into_response(),
        FaultKind::ExchangeFail => detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Could not exchange the public token (sandbox fault).",
        ),
        FaultKind::WriteLost => {
            req.extensions_mut().insert(ResponseLost);
            let _performed = next.run(req).await;
            if let Some(ms) = fault.delay_ms {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            gateway_timeout()
        }
        FaultKind::EmptyError => empty_error(fault.status.unwrap_or(500)),
    }
}

/// `status` with an empty body (`Content-Length: 0`, no `Content-Type`).
fn empty_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_LENGTH, HeaderValue::from_static("0"))],
    )
        .into_response()
}

fn gateway_timeout() -> Response {
    (
        StatusCode::GATEWAY_TIMEOUT,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<html><head><title>504 Gateway Time-out</title></head>\
         <body><h1>504 Gateway Time-out</h1></body></html>",
    )
        .into_response()
}

/// A 429 with Merge's body and `Retry-After` in whole seconds.
pub(crate) fn throttled(message: &str, retry_after_secs: u64) -> Response {
    let mut resp = detail(StatusCode::TOO_MANY_REQUESTS, message);
    if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// Counts a request against the account's sliding-window limit (a minute unless a test set
/// another); `Err(retry_after_secs)` when the limit is reached (throttled requests are not
/// counted, as in Django REST Framework).
pub(crate) fn check_rate_limit(acct: &mut Account, at: Instant) -> Result<(), u64> {
    let window = acct.rate_window;
    while let Some(&first) = acct.recent_requests.front() {
        if at.duration_since(first) >= window {
            acct.recent_requests.pop_front();
        } else {
            break;
        }
    }
    if acct.recent_requests.len() >= acct.requests_per_minute as usize {
        let oldest = acct.recent_requests.front().copied().unwrap_or(at);
        let wait = window.saturating_sub(at.duration_since(oldest));
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        return Err(secs.max(1));
    }
    acct.recent_requests.push_back(at);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::profiles::Profile;
    use crate::types::LinkTokenRequest;

    #[test]
    fn relative_path_prefix_is_taken_under_the_api_root() {
        let f = Fault::new(FaultSpec {
            kind: FaultKind::RateLimit,
            count: 2,
            path_prefix: Some("jobs".into()),
            account_id: None,
            retry_after_secs: None,
            delay_ms: None,
            status: None,
        });
        assert!(f.matches(&Method::GET, "/api/ats/v1/jobs", None));
        assert!(!f.matches(&Method::GET, "/api/ats/v1/users", None));
    }

    #[test]
    fn write_lost_hits_only_posts_and_exchange_fail_only_the_exchange() {
        let spec = |kind| FaultSpec {
            kind,
            count: 1,
            path_prefix: None,
            account_id: None,
            retry_after_secs: None,
            delay_ms: None,
            status: None,
        };
        let lost = Fault::new(spec(FaultKind::WriteLost));
        assert!(!lost.matches(&Method::GET, "/api/ats/v1/candidates", None));
        assert!(lost.matches(&Method::POST, "/api/ats/v1/candidates", None));
        let exchange = Fault::new(spec(FaultKind::ExchangeFail));
        assert!(!exchange.matches(&Method::GET, "/api/ats/v1/jobs", None));
        assert!(exchange.matches(&Method::GET, "/api/ats/v1/account-token/abc", None));
    }

    #[test]
    fn the_request_over_the_limit_gets_the_seconds_until_the_oldest_leaves_the_window() {
        let profile = Profile::by_slug("workable").expect("profile");
        let link = LinkTokenRequest::ats("a@example.com", "Org", "o");
        let mut acct = Account::new(profile, &link, 3);
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(check_rate_limit(&mut acct, t0 + Duration::from_secs(i)).is_ok());
        }
        assert_eq!(
            check_rate_limit(&mut acct, t0 + Duration::from_secs(10)),
            Err(50)
        );
        assert!(check_rate_limit(&mut acct, t0 + Duration::from_secs(60)).is_ok());
    }
}
