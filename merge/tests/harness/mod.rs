//! Checks shared by the property tests (`tests/properties.rs`) and the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, which include this file by path), so that both drive exactly the
//! same code: the webhook verifier, every body the client parses, the error mapping and
//! `Retry-After`. Each function panics only when an invariant is broken.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use merge::error::parse_retry_after;
use merge::webhook::{sign, verify};
use merge::{
    AccountDetails, AccountToken, Application, Attachment, AvailableActions, Candidate, Job,
    JobInterviewStage, LinkToken, LinkedAccountSyncedData, MergeError, Page, RejectReason,
    RemoteUser, ScheduledInterview, WebhookPayload, WriteResponse,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Statuses the error mapping is exercised with (each branch of `MergeError::from_response`).
pub const ERROR_STATUSES: &[u16] = &[
    0, 200, 400, 401, 403, 404, 408, 409, 422, 429, 499, 500, 503,
];

/// `verify(key, body, header)`, checked against its specification: it accepts exactly the
/// signature `sign(key, body)` up to surrounding whitespace and trailing `=` padding (the base64
/// decoder rejects non-canonical encodings, so no other spelling of the digest passes).
pub fn check_verify(key: &[u8], body: &[u8], header: &str) -> bool {
    let accepted = verify(key, body, header);
    let signature = sign(key, body);
    let expected = header.trim().trim_end_matches('=') == signature.trim_end_matches('=');
    assert_eq!(
        accepted, expected,
        "verify({key:?}, {body:?}, {header:?}) disagrees with sign() = {signature:?}"
    );
    accepted
}

/// `sign` gives 44 characters of padded base64url, and `verify` accepts it.
pub fn check_sign_round_trip(key: &[u8], body: &[u8]) -> String {
    let signature = sign(key, body);
    assert_eq!(signature.len(), 44, "{signature:?}");
    assert!(signature.ends_with('=') && !signature[..43].contains('='));
    assert!(signature[..43]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert!(verify(key, body, &signature), "own signature rejected");
    signature
}

/// Parses `bytes` as `T` the way the client does (`serde_json::from_slice`); a parsed value must
/// serialise again. Returns the value when it parsed.
pub fn parse_as<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Option<T> {
    let value = serde_json::from_slice::<T>(bytes).ok()?;
    serde_json::to_vec(&value).expect("a parsed value serialises");
    Some(value)
}

/// A `Page<T>` that parsed holds one record per non-`null` item of `results`.
fn check_page<T: DeserializeOwned + Serialize>(bytes: &[u8], json: Option<&Value>) -> bool {
    let Some(page) = parse_as::<Page<T>>(bytes) else {
        return false;
    };
    if let Some(json) = json {
        let expected = match json.get("results") {
            Some(Value::Array(items)) => items.iter().filter(|v| !v.is_null()).count(),
            _ => 0,
        };
        assert_eq!(page.results.len(), expected, "results of {json}");
    }
    true
}

/// `data_as::<T>()` on a webhook's `data` (what the webhook handler does) agrees with parsing the
/// same JSON text with `from_slice` (what the client does).
fn check_data_as<T: DeserializeOwned + Serialize>(payload: &WebhookPayload) {
    let from_value = payload.data_as::<T>().is_ok();
    let text = serde_json::to_vec(&payload.data).expect("Value serialises");
    let from_slice = serde_json::from_slice::<T>(&text).is_ok();
    assert_eq!(
        from_value,
        from_slice,
        "data_as::<{}> and from_slice disagree on {}",
        std::any::type_name::<T>(),
        payload.data
    );
}

/// Every body the client or the webhook handler parses, fed `bytes`: list pages, single records,
/// linking responses, write responses, webhook payloads (and their `data`), and the error mapping
/// with `bytes` as a non-2xx body. Returns how many of the success types accepted the bytes.
pub fn parse_payloads(bytes: &[u8]) -> usize {
    let json = serde_json::from_slice::<Value>(bytes).ok();
    let json = json.as_ref();
    let mut accepted = 0;
    let mut count = |ok: bool| accepted += usize::from(ok);

    count(check_page::<RemoteUser>(bytes, json));
    count(check_page::<Job>(bytes, json));
    count(check_page::<JobInterviewStage>(bytes, json));
    count(check_page::<Candidate>(bytes, json));
    count(check_page::<Application>(bytes, json));
    count(check_page::<ScheduledInterview>(bytes, json));
    count(check_page::<Attachment>(bytes, json));
    count(check_page::<RejectReason>(bytes, json));

    count(parse_as::<Application>(bytes).is_some());
    count(parse_as::<Candidate>(bytes).is_some());
    count(parse_as::<Job>(bytes).is_some());
    count(parse_as::<RemoteUser>(bytes).is_some());
    count(parse_as::<ScheduledInterview>(bytes).is_some());
    count(parse_as::<LinkToken>(bytes).is_some());
    count(parse_as::<AccountToken>(bytes).is_some());
    count(parse_as::<AccountDetails>(bytes).is_some());
    count(parse_as::<AvailableActions>(bytes).is_some());
    count(parse_as::<WriteResponse<Candidate>>(bytes).is_some());
    count(parse_as::<WriteResponse<Application>>(bytes).is_some());
    count(parse_as::<WriteResponse<Attachment>>(bytes).is_some());

    if let Some(payload) = parse_as::<WebhookPayload>(bytes) {
        count(true);
        let _ = payload.event().to_ascii_lowercase();
        check_data_as::<Application>(&payload);
        check_data_as::<Candidate>(&payload);
        check_data_as::<Job>(&payload);
        check_data_as::<JobInterviewStage>(&payload);
        check_data_as::<ScheduledInterview>(&payload);
        check_data_as::<RemoteUser>(&payload);
        check_data_as::<Attachment>(&payload);
        check_data_as::<LinkedAccountSyncedData>(&payload);
    }

    let text = String::from_utf8_lossy(bytes);
    for &status in ERROR_STATUSES {
        check_error_response(status, Some(&text), Some(&text), bytes);
    }
    accepted
}

/// `MergeError::from_response` on arbitrary input: keeps the status, shortens 5xx bodies, and
/// its message formats.
pub fn check_error_response(
    status: u16,
    retry_after: Option<&str>,
    retry_after_ms: Option<&str>,
    body: &[u8],
) -> MergeError {
    let err = MergeError::from_response(status, retry_after, retry_after_ms, body);
    assert_eq!(err.status(), Some(status), "{err:?}");
    match &err {
        MergeError::Server { body_snippet, .. } => {
            assert!(status >= 500);
            assert!(body_snippet.chars().count() <= 200, "{body_snippet:?}");
        }
        MergeError::Unauthorized => assert_eq!(status, 401),
        MergeError::Validation { errors, .. } => assert!(!errors.is_empty()),
        _ => {}
    }
    let _ = err.to_string();
    let _ = (err.is_retryable(), err.problem_type());
    err
}

/// `parse_retry_after` on arbitrary text never panics; whole seconds parse exactly.
pub fn check_retry_after(value: &str, now: DateTime<Utc>) -> Option<std::time::Duration> {
    let parsed = parse_retry_after(value, now);
    if let Ok(secs) = value.trim().parse::<u64>() {
        assert_eq!(
            parsed,
            Some(std::time::Duration::from_secs(secs)),
            "{value:?}"
        );
    }
    parsed
}
