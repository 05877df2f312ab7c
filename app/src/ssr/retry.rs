//! Every Merge call goes through here: it first takes a slot of the tenant's rate budget
//! (`rate_budget`), and a failure is counted for the per-IP rule. Reads are retried a bounded
//! number of times: `Retry-After` is honoured on 429, 5xx and timeouts back off with jitter.
//! Writes are never retried blindly (see `push`).

use std::{future::Future, time::Duration};

use merge::MergeError;
use rand::Rng;

use super::{rate_budget, state::AppState};

/// How many times a read is retried before its error is reported.
pub const MAX_RETRIES: u32 = 4;

/// Exponential backoff with full jitter: up to 0.5 s × 2^attempt, capped at 30 s.
pub fn backoff(attempt: u32) -> Duration {
    let cap = Duration::from_millis(500)
        .saturating_mul(1 << attempt.min(6))
        .min(Duration::from_secs(30));
    let ms = rand::thread_rng().gen_range(cap.as_millis() as u64 / 2..=cap.as_millis() as u64);
    Duration::from_millis(ms)
}

/// Makes one Merge call for the tenant within its rate budget (no retry).
pub async fn once<T>(
    state: &AppState,
    tenant_id: i64,
    call: impl Future<Output = Result<T, MergeError>>,
) -> Result<T, MergeError> {
    rate_budget::take(state, tenant_id).await;
    let result = call.await;
    if result.is_err() {
        state.merge_failures.record(std::time::Instant::now());
    }
    result
}

/// Runs a read, retrying retryable failures. The closure must repeat the exact same request
/// (same cursor and parameters), so a retried page is read again, never skipped.
pub async fn read<T, F, Fut>(state: &AppState, tenant_id: i64, mut call: F) -> Result<T, MergeError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, MergeError>>,
{
    let mut attempt = 0;
    loop {
        match once(state, tenant_id, call()).await {
            Err(e) if attempt < MAX_RETRIES && e.is_retryable() => {
                let wait = match &e {
                    MergeError::RateLimited {
                        retry_after: Some(d),
                    } => (*d).min(Duration::from_secs(120)),
                    _ => backoff(attempt),
                };
                tracing::debug!("Merge read failed ({e}); retrying in {wait:?}");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 0..10 {
            let d = backoff(attempt);
            assert!(d <= Duration::from_secs(30));
            assert!(d >= Duration::from_millis(250));
        }
        assert!(backoff(0) <= Duration::from_millis(500));
    }
}
