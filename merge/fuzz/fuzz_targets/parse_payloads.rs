//! Every Merge payload parser, the error mapping and `Retry-After` on arbitrary bytes (the
//! property tests' checks, `tests/harness/mod.rs`). `make fuzz` seeds it with the fixtures.

#![no_main]

use chrono::DateTime;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::parse_payloads(data);

    // A status from the first two bytes, the rest as an error body and header values.
    if let [hi, lo, rest @ ..] = data {
        let status = u16::from_be_bytes([*hi, *lo]);
        let text = String::from_utf8_lossy(rest);
        harness::check_error_response(status, Some(&text), None, rest);
        harness::check_error_response(status, None, Some(&text), rest);
    }

    // `Retry-After` relative to an instant taken from the first eight bytes.
    let text = String::from_utf8_lossy(data);
    let mut secs = [0u8; 8];
    let n = data.len().min(8);
    secs[..n].copy_from_slice(&data[..n]);
    let (min, max) = (
        DateTime::<chrono::Utc>::MIN_UTC.timestamp(),
        DateTime::<chrono::Utc>::MAX_UTC.timestamp(),
    );
    let secs = i64::from_le_bytes(secs).rem_euclid(max - min + 1) + min;
    if let Some(now) = DateTime::from_timestamp(secs, 0) {
        harness::check_retry_after(&text, now);
    }
});
