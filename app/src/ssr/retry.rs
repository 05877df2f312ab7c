//! Bounded retries for Merge reads: honour `Retry-After` on 429, back off with jitter on 5xx
//! and timeouts, give up after a few attempts. Writes are never retried blindly (see `push`).

use std::{future::Future, time::Duration};

use merge::MergeError;
use rand::Rng;

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

/// Runs a read, retrying retryable failures. The closure must repeat the exact same request
/// (same cursor and parameters), so a retried page is read again, never skipped.
pub async fn read<T, F, Fut>(mut call: F) -> Result<T, MergeError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, MergeError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
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
