//! `MergeError`: Merge's HTTP failures mapped to typed variants, and the mapping itself.
//!
//! The mapping is thin and never retries; [`MergeError::is_retryable`] tells callers what is worth
//! retrying. No variant carries an API key or account token.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::types::Problem;

/// `Result` with [`MergeError`].
pub type Result<T, E = MergeError> = std::result::Result<T, E>;

/// How many characters of an unexpected body an error keeps.
const SNIPPET_CHARS: usize = 200;

/// A failed call to Merge.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// 401: the API key or the account token is missing, wrong, or belongs to another
    /// environment/region, or the linked account was deleted.
    #[error("Merge rejected the API key or account token (401)")]
    Unauthorized,
    /// 403: not allowed (e.g. model disabled for the linked account, missing ATS permissions).
    #[error("Merge refused the request (403): {detail}")]
    Forbidden {
        /// Merge's `detail` or the start of the body.
        detail: String,
    },
    /// 404: unknown path or id, or the endpoint is not supported by this integration.
    #[error("not found at Merge (404): {detail}")]
    NotFound {
        /// Merge's `detail` (e.g. `Not found.`) or the start of the body.
        detail: String,
    },
    /// 429: the linked account's rate limit was hit.
    #[error("Merge rate limit reached (429){}", retry_hint(.retry_after))]
    RateLimited {
        /// From `Retry-After` (seconds or HTTP date) or `retry-after-ms`, if sent.
        retry_after: Option<Duration>,
    },
    /// A 4xx (or a 2xx write without a model) whose body lists Merge validation problems.
    #[error("Merge rejected the request ({status}): {}", first_problem(.errors))]
    Validation {
        /// HTTP status.
        status: u16,
        /// Blocking problems; nothing was written.
        errors: Vec<Problem>,
        /// Non-blocking problems.
        warnings: Vec<Problem>,
    },
    /// Any other non-success status below 500.
    #[error("Merge returned {status}: {detail}")]
    Client {
        /// HTTP status.
        status: u16,
        /// Merge's `detail` or the start of the body.
        detail: String,
    },
    /// 5xx from Merge or the ATS behind it (body may be HTML or empty).
    #[error("Merge server error ({status})")]
    Server {
        /// HTTP status.
        status: u16,
        /// The start of the body, lossily decoded.
        body_snippet: String,
    },
    /// The request or reading its response exceeded the client's timeout. A write may still have
    /// happened.
    #[error("request to Merge timed out")]
    Timeout,
    /// Connection, TLS or request-building failure (no URL or secret in the text).
    #[error("could not talk to Merge: {0}")]
    Transport(String),
    /// A success status whose body is not the expected JSON.
    #[error("unexpected response body from Merge: {detail}")]
    Decode {
        /// What did not parse.
        detail: String,
    },
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(", retry after {}s", d.as_secs_f64()),
        None => String::new(),
    }
}

fn first_problem(errors: &[Problem]) -> String {
    match errors.first() {
        Some(p) if !p.detail.is_empty() => format!("{}: {}", p.problem_type, p.detail),
        Some(p) => p.problem_type.clone(),
        None => "no details".to_owned(),
    }
}

impl MergeError {
    /// The HTTP status behind this error, if there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            MergeError::Unauthorized => Some(401),
            MergeError::Forbidden { .. } => Some(403),
            MergeError::NotFound { .. } => Some(404),
            MergeError::RateLimited { .. } => Some(429),
            MergeError::Validation { status, .. }
            | MergeError::Client { status, .. }
            | MergeError::Server { status, .. } => Some(*status),
            MergeError::Timeout | MergeError::Transport(_) | MergeError::Decode { .. } => None,
        }
    }

    /// The first validation error's `problem_type` (e.g. `MISSING_REQUIRED_FIELD`).
    pub fn problem_type(&self) -> Option<&str> {
        match self {
            MergeError::Validation { errors, .. } => errors
                .iter()
                .map(|p| p.problem_type.as_str())
                .find(|t| !t.is_empty()),
            _ => None,
        }
    }

    /// Whether trying again later can help: 408, 409, 429, 5xx, timeouts and transport failures.
    /// For writes, a retry after `Timeout`/`Server` can duplicate the record unless the caller
    /// checks first (or sends an idempotency key).
    pub fn is_retryable(&self) -> bool {
        match self {
            MergeError::RateLimited { .. }
            | MergeError::Server { .. }
            | MergeError::Timeout
            | MergeError::Transport(_) => true,
            MergeError::Client { status, .. } => matches!(status, 408 | 409),
            _ => false,
        }
    }

    /// Maps a non-success response. `retry_after` and `retry_after_ms` are the raw header values.
    /// This is what the client does with every non-2xx answer; public so that the property tests
    /// and the fuzz targets can feed it arbitrary statuses, headers and bodies.
    pub fn from_response(
        status: u16,
        retry_after: Option<&str>,
        retry_after_ms: Option<&str>,
        body: &[u8],
    ) -> MergeError {
        if status >= 500 {
            return MergeError::Server {
                status,
                body_snippet: snippet(body),
            };
        }
        match status {
            401 => MergeError::Unauthorized,
            403 => MergeError::Forbidden {
                detail: detail(body),
            },
            404 => MergeError::NotFound {
                detail: detail(body),
            },
            429 => MergeError::RateLimited {
                retry_after: retry_after_ms
                    .and_then(parse_retry_after_ms)
                    .or_else(|| retry_after.and_then(|v| parse_retry_after(v, Utc::now()))),
            },
            _ => match serde_json::from_slice::<ErrorBody>(body) {
                Ok(ErrorBody {
                    errors: Some(errors),
                    warnings,
                    ..
                }) if !errors.is_empty() => MergeError::Validation {
                    status,
                    errors,
                    warnings: warnings.unwrap_or_default(),
                },
                _ => MergeError::Client {
                    status,
                    detail: detail(body),
                },
            },
        }
    }

    /// Maps a `reqwest` failure, without the URL (paths can carry a public token).
    pub(crate) fn from_reqwest(err: reqwest::Error) -> MergeError {
        if err.is_timeout() {
            return MergeError::Timeout;
        }
        let err = err.without_url();
        let mut text = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        MergeError::Transport(text)
    }
}

/// Error bodies: DRF's `{"detail": ...}` or the write envelope `{"errors": [...], ...}`.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    detail: Option<serde_json::Value>,
    #[serde(default)]
    errors: Option<Vec<Problem>>,
    #[serde(default)]
    warnings: Option<Vec<Problem>>,
}

/// `detail` from a JSON error body, else the start of the body.
fn detail(body: &[u8]) -> String {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody {
            detail: Some(serde_json::Value::String(d)),
            ..
        }) => d,
        Ok(ErrorBody {
            detail: Some(other),
            ..
        }) if !other.is_null() => other.to_string(),
        _ => snippet(body),
    }
}

/// The first [`SNIPPET_CHARS`] characters of a body, lossily decoded and trimmed.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .trim()
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

/// Parses a `Retry-After` value: delay seconds (`7`, tolerantly `7.5`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`. A date in the past gives zero.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Parses a `retry-after-ms` value (milliseconds).
fn parse_retry_after_ms(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        let now = Utc.with_ymd_and_hms(2015, 10, 21, 7, 27, 50).unwrap();
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn html_5xx_body_becomes_a_short_snippet() {
        let body = format!("<html>{}</html>", "x".repeat(1000));
        let err = MergeError::from_response(502, None, None, body.as_bytes());
        match err {
            MergeError::Server {
                status: 502,
                body_snippet,
            } => assert_eq!(body_snippet.chars().count(), SNIPPET_CHARS),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn four_hundred_without_problems_is_a_client_error_with_detail() {
        let err = MergeError::from_response(400, None, None, br#"{"detail":"Bad cursor."}"#);
        assert_eq!(
            err,
            MergeError::Client {
                status: 400,
                detail: "Bad cursor.".into()
            }
        );
        assert!(!err.is_retryable());
    }
}
