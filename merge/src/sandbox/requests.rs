//! Request counters of the Merge API: every request under `/api/ats/v1` (unknown paths and
//! throttled requests included) counted by route, so tests can check which endpoints a client
//! calls and how often. And Merge's per-IP rule: a client IP with more than 20 failed requests
//! in 10 seconds is refused (429) for a while, whatever account it asks for.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
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
    /// Requests answered 429 (the rate limit, a `rate_limit` fault or the per-IP rule).
    pub throttled: u64,
    /// Requests refused because their IP tripped the per-IP failure rule.
    #[serde(default)]
    pub ip_blocked: u64,
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

/// Merge's per-IP rule: more than `MAX_FAILURES` failed requests within `FAILURE_WINDOW`
/// blocks the IP for the rule's block time.
pub const MAX_FAILURES: usize = 20;
/// The window failures are counted over.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(10);

/// Failed requests per client IP and the IPs blocked for tripping the rule.
#[derive(Debug)]
pub(crate) struct IpRule {
    /// How long a tripped IP is refused (60 s unless a test shortens it).
    pub block: Duration,
    failures: HashMap<IpAddr, VecDeque<Instant>>,
    blocked_until: HashMap<IpAddr, Instant>,
}

impl Default for IpRule {
    fn default() -> Self {
        IpRule {
            block: Duration::from_secs(60),
            failures: HashMap::new(),
            blocked_until: HashMap::new(),
        }
    }
}

impl IpRule {
    /// A fresh rule that refuses a tripped IP for `block`.
    pub fn blocking_for(block: Duration) -> IpRule {
        IpRule {
            block,
            ..Default::default()
        }
    }

    /// Seconds the IP is still refused, if it is.
    fn blocked(&mut self, ip: IpAddr, at: Instant) -> Option<u64> {
        let until = *self.blocked_until.get(&ip)?;
        if until <= at {
            self.blocked_until.remove(&ip);
            return None;
        }
        let wait = until - at;
        Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
    }

    /// Records a failed request; blocks the IP when it has too many.
    fn failed(&mut self, ip: IpAddr, at: Instant) {
        let q = self.failures.entry(ip).or_default();
        q.push_back(at);
        while q
            .front()
            .is_some_and(|&t| at.duration_since(t) >= FAILURE_WINDOW)
        {
            q.pop_front();
        }
        if q.len() > MAX_FAILURES {
            q.clear();
            self.blocked_until.insert(ip, at + self.block);
        }
    }
}

/// Middleware of the Merge API router: refuses a blocked IP, counts the request on arrival
/// (so a request a fault holds is already counted), and a 429 or a failure once answered.
pub(crate) async fn count(State(sandbox): State<Sandbox>, req: Request, next: Next) -> Response {
    let route = route_key(req.method(), req.uri().path());
    // Without connect info (a router mounted in a test), every client is one.
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let blocked = {
        let mut state = sandbox.lock();
        state.requests.record(route);
        let blocked = state.ip_rule.blocked(ip, Instant::now());
        if blocked.is_some() {
            state.requests.throttled += 1;
            state.requests.ip_blocked += 1;
        }
        blocked
    };
    if let Some(secs) = blocked {
        return super::faults::throttled(
            "Too many failed requests from this IP address; try again later.",
            secs,
        );
    }
    let resp = next.run(req).await;
    let status = resp.status();
    if status.is_client_error() || status.is_server_error() {
        let mut state = sandbox.lock();
        if status == StatusCode::TOO_MANY_REQUESTS {
            state.requests.throttled += 1;
        }
        state.ip_rule.failed(ip, Instant::now());
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
    fn more_than_twenty_failures_in_ten_seconds_block_the_ip() {
        let mut rule = IpRule::default();
        let ip = IpAddr::from([10, 0, 0, 1]);
        let other = IpAddr::from([10, 0, 0, 2]);
        let t0 = Instant::now();
        // 20 failures spread so that the first leaves the window before the 21st.
        for i in 0..20 {
            rule.failed(ip, t0 + Duration::from_millis(i * 500));
        }
        rule.failed(ip, t0 + Duration::from_millis(10_100));
        assert_eq!(rule.blocked(ip, t0 + Duration::from_millis(10_200)), None);
        // 21 inside ten seconds trip it, for this IP only.
        for i in 0..21 {
            rule.failed(
                ip,
                t0 + Duration::from_secs(100) + Duration::from_millis(i * 100),
            );
        }
        let t = t0 + Duration::from_secs(102);
        assert_eq!(rule.blocked(ip, t), Some(60));
        assert_eq!(rule.blocked(other, t), None);
        assert_eq!(rule.blocked(ip, t + Duration::from_secs(61)), None);
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
