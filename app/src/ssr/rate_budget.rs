//! Staying under Merge's rate limits.
//!
//! - Per linked account: Merge allows a plan's number of requests (100, 400 or 600) in any
//!   sliding minute. Every call (sync reads and push writes, from every server process) first
//!   takes a slot from the tenant's budget in the database (`repo::rate_budget`), waiting until
//!   one frees up. The window is widened by a small margin so that the spread of network
//!   latency cannot make Merge see more calls in its window than we counted in ours.
//! - Per IP: more than 20 failed requests in 10 seconds trips a global limit at Merge. This
//!   process keeps its recent failures and, at [`FAILURES_ALLOWED`], holds every further call
//!   until the oldest failure is 10 seconds old.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use super::state::AppState;

/// Merge's per-IP rule: failures counted over this window...
pub const FAILURE_WINDOW: Duration = Duration::from_secs(10);
/// ...of which we allow ourselves this many (Merge trips at more than 20).
pub const FAILURES_ALLOWED: usize = 15;

/// A plan's limit: `requests` in any `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub window: Duration,
}

impl Default for RateLimit {
    /// Merge's smallest plan: 100 requests per minute.
    fn default() -> Self {
        RateLimit {
            requests: 100,
            window: Duration::from_secs(60),
        }
    }
}

impl RateLimit {
    /// Parses `100`, `400/60s` or `20/2s` (requests per window; a bare number is per minute).
    pub fn parse(text: &str) -> Option<RateLimit> {
        let (n, window) = match text.trim().split_once('/') {
            Some((n, w)) => (n, w.trim().strip_suffix('s')?.trim().parse::<u64>().ok()?),
            None => (text, 60),
        };
        let requests = n.trim().parse::<u32>().ok().filter(|n| *n > 0)?;
        (window > 0).then_some(RateLimit {
            requests,
            window: Duration::from_secs(window),
        })
    }

    /// The window we count in: Merge's plus 2 % and 200 ms, for latency spread and clock
    /// granularity.
    pub fn guarded_window(&self) -> Duration {
        self.window + self.window / 50 + Duration::from_millis(200)
    }
}

/// This process's recent failed Merge calls (for the per-IP rule).
#[derive(Clone, Default)]
pub struct Failures {
    at: Arc<Mutex<VecDeque<Instant>>>,
}

impl Failures {
    /// Records a failed call.
    pub fn record(&self, at: Instant) {
        let mut q = self.at.lock().unwrap_or_else(|p| p.into_inner());
        q.push_back(at);
        while q.len() > FAILURES_ALLOWED {
            q.pop_front();
        }
    }

    /// How long calls must wait so that no more than [`FAILURES_ALLOWED`] failures fall in any
    /// [`FAILURE_WINDOW`] (zero when they may go now).
    pub fn hold(&self, now: Instant) -> Duration {
        let q = self.at.lock().unwrap_or_else(|p| p.into_inner());
        match q.front() {
            Some(&oldest) if q.len() >= FAILURES_ALLOWED => {
                (oldest + FAILURE_WINDOW).saturating_duration_since(now)
            }
            _ => Duration::ZERO,
        }
    }
}

/// Waits until the tenant may make one more Merge call, and counts it. If the budget cannot be
/// read (the database is down), it waits and tries again rather than calling unbudgeted.
pub async fn take(state: &AppState, tenant_id: i64) {
    let limit = state.config.merge_rate;
    let window_ms = limit.guarded_window().as_millis() as i64;
    loop {
        let hold = state.merge_failures.hold(Instant::now());
        if !hold.is_zero() {
            tracing::warn!("many Merge calls failed lately; holding calls for {hold:?}");
            tokio::time::sleep(hold).await;
            continue;
        }
        let now_ms = chrono::Utc::now().timestamp_millis();
        match state
            .db
            .take_merge_slot(tenant_id, limit.requests, window_ms, now_ms)
            .await
        {
            Ok(None) => return,
            Err(e) => {
                tracing::warn!("reading the Merge rate budget failed ({e}); retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(Some(wait_ms)) => {
                tracing::debug!(
                    tenant = tenant_id,
                    "rate budget spent; waiting {wait_ms} ms"
                );
                tokio::time::sleep(Duration::from_millis(wait_ms as u64)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_as_requests_per_window() {
        assert_eq!(RateLimit::parse("100"), Some(RateLimit::default()));
        assert_eq!(
            RateLimit::parse("20/2s"),
            Some(RateLimit {
                requests: 20,
                window: Duration::from_secs(2)
            })
        );
        assert_eq!(
            RateLimit::parse(" 600 / 60s "),
            Some(RateLimit {
                requests: 600,
                window: Duration::from_secs(60)
            })
        );
        for bad in ["0", "abc", "10/0s", "10/5m", "", "-3"] {
            assert_eq!(RateLimit::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_guarded_window_is_a_little_longer() {
        let w = RateLimit::default().guarded_window();
        assert!(w > Duration::from_secs(60) && w < Duration::from_secs(62));
    }

    #[test]
    fn calls_are_held_once_the_allowed_failures_fall_in_ten_seconds() {
        let f = Failures::default();
        let t0 = Instant::now();
        for i in 0..FAILURES_ALLOWED - 1 {
            f.record(t0 + Duration::from_millis(i as u64));
            assert_eq!(f.hold(t0 + Duration::from_secs(1)), Duration::ZERO);
        }
        f.record(t0 + Duration::from_secs(1));
        assert_eq!(f.hold(t0 + Duration::from_secs(2)), Duration::from_secs(8));
        // Once the oldest failure has left the window, calls go again.
        assert_eq!(f.hold(t0 + Duration::from_secs(11)), Duration::ZERO);
    }
}
