//! `merge::webhook::verify` on arbitrary keys, bodies and headers, checked against `sign`
//! (the property tests' checks, `tests/harness/mod.rs`).

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|input: (&[u8], &[u8], &str)| {
    let (key, body, header) = input;
    harness::check_verify(key, body, header);

    let signature = harness::check_sign_round_trip(key, body);
    assert!(harness::check_verify(
        key,
        body,
        &format!(" {signature}==\n")
    ));
    assert!(harness::check_verify(
        key,
        body,
        signature.trim_end_matches('=')
    ));

    // The fuzzer's header text spliced into the signature is rejected unless it leaves the
    // signature intact up to whitespace and padding (which `check_verify` decides).
    let at = header.len() % 43;
    harness::check_verify(
        key,
        body,
        &format!("{}{header}{}", &signature[..at], &signature[at..]),
    );

    if !body.is_empty() {
        let mut tampered = body.to_vec();
        tampered[header.len() % body.len()] ^= 1;
        assert!(!harness::check_verify(key, &tampered, &signature));
    }
});
