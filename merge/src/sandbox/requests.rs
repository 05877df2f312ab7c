//! Request counters of the Merge API: every request under `/api/ats/v1` (unknown paths and
//! throttled requests included) counted by route, so tests can check which endpoints a client
//! calls and how often.

use std::collections::BTreeMap;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::api::API_PREFIX;
use super::Sandbox;

/// What the Merge API has been asked since the sandbox started (or the counters were reset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestCounts {
    /// Every request.
    pub total: u64,
    /// Requests answered 429 (the rate limit or a `rate_limit` fault).
    pub throttled: u64,
    /// Requests per route: `"GET /api/ats/v1/candidates/{id}"` (method, then the path without
    /// its query, with every uuid-looking segment as `{id}`).
    pub by_route: BTreeMap<String, u64>,
}

impl RequestCounts {
    /// Requests to one route (`"POST /api/ats/v1/applications"`); 0 if never called.
    pub fn route(&self, route: &str) -> u64 {
        self.by_route.get(route).copied().unwrap_or(0)
    }

    fn record(&mut self, route: String) {
        self.total += 1;
        *self.by_route.entry(route).or_default() += 1;
    }
}

/// `8-4-4-4-12` hexadecimal digits, as Merge ids are.
fn looks_like_uuid(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The counter key of a request: method and path, uuid-looking segments as `{id}` and the
/// public token of the account-token exchange as `{public_token}`.
pub(crate) fn route_key(method: &Method, path: &str) -> String {
    let exchange = format!("{API_PREFIX}/account-token/");
    let path = if path.starts_with(&exchange) {
        format!("{exchange}{{public_token}}")
    } else {
        path.split('/')
            .map(|s| if looks_like_uuid(s) { "{id}" } else { s })
            .collect::<Vec<_>>()
            .join("/")
    };
    format!("{method} {path}")
}

/// Middleware of the Merge API router: counts the request on arrival (so a request a fault
/// holds is already counted) and a 429 once answered.
pub(crate) async fn count(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    let route = route_key(req.method(), req.uri().path());
    sandbox.lock().requests.record(route);
    let resp = next.run(req).await;
    if resp.status() == StatusCode::TOO_MANY_REQUESTS {
        sandbox.lock().requests.throttled += 1;
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_public_tokens_are_folded_into_placeholders() {
        let id = "1b3da730-1f7d-4fee-9610-b8900fda6eb6";
        assert_eq!(
            route_key(&Method::GET, &format!("/api/ats/v1/candidates/{id}")),
            "GET /api/ats/v1/candidates/{id}"
        );
        assert_eq!(
            route_key(&Method::POST, "/api/ats/v1/applications"),
            "POST /api/ats/v1/applications"
        );
        assert_eq!(
            route_key(&Method::GET, "/api/ats/v1/account-token/odg7TOLzXyz"),
            "GET /api/ats/v1/account-token/{public_token}"
        );
        assert_eq!(
            route_key(&Method::GET, "/api/ats/v1/jobs/100009"),
            "GET /api/ats/v1/jobs/100009",
            "only uuid-looking segments"
        );
        assert!(!looks_like_uuid("1b3da730-1f7d-4fee-9610-b8900fda6eb"));
        assert!(!looks_like_uuid("1b3da730x1f7d-4fee-9610-b8900fda6eb6"));
        assert!(!looks_like_uuid("zb3da730-1f7d-4fee-9610-b8900fda6eb6"));
    }

    #[test]
    fn counts_add_up_per_route() {
        let mut c = RequestCounts::default();
        c.record("GET /api/ats/v1/jobs".to_owned());
        c.record("GET /api/ats/v1/jobs".to_owned());
        c.record("GET /api/ats/v1/users".to_owned());
        assert_eq!(c.total, 3);
        assert_eq!(c.route("GET /api/ats/v1/jobs"), 2);
        assert_eq!(c.route("GET /api/ats/v1/offers"), 0);
    }
}
