//! Property tests: the webhook verifier and the Merge payload parsers take arbitrary input without
//! panicking, accept what they must and reject what they must. `make fuzz` runs the same checks
//! (`tests/harness/mod.rs`) under cargo-fuzz for longer.
//!
//! 256 cases per property by default; `PROPTEST_CASES=N` overrides it.

mod harness;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use merge::webhook::{sign, verify};
use merge::{
    AccountDetails, AccountToken, Application, Candidate, Job, JobInterviewStage, LinkToken, Page,
    RemoteUser, ScheduledInterview, WebhookPayload, WriteResponse,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..=max)
}

/// Signature headers: arbitrary text, lossily decoded bytes, and strings over the base64url
/// alphabet (with padding and whitespace) that reach the decoder and the comparison.
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        bytes(64).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "[ \t\n]{0,2}[A-Za-z0-9_=+/-]{0,48}[ \t\n]{0,2}",
        "[A-Za-z0-9_-]{43}={0,3}",
    ]
}

/// An instant anywhere in chrono's range.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let (min, max) = (
        DateTime::<Utc>::MIN_UTC.timestamp(),
        DateTime::<Utc>::MAX_UTC.timestamp(),
    );
    (min..=max, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap())
}

/// Field names of Merge's wire types, so generated objects hit real fields.
const FIELDS: &[&str] = &[
    "id",
    "remote_id",
    "name",
    "first_name",
    "last_name",
    "title",
    "company",
    "email",
    "code",
    "description",
    "status",
    "type",
    "access_role",
    "created_at",
    "modified_at",
    "remote_created_at",
    "remote_updated_at",
    "applied_at",
    "rejected_at",
    "start_at",
    "end_at",
    "last_interaction_at",
    "completed_at",
    "stage_order",
    "disabled",
    "is_private",
    "can_email",
    "confidential",
    "remote_was_deleted",
    "candidate",
    "job",
    "current_stage",
    "reject_reason",
    "application",
    "job_interview_stage",
    "organizer",
    "credited_to",
    "applications",
    "attachments",
    "interviewers",
    "recruiters",
    "hiring_managers",
    "departments",
    "offices",
    "job_postings",
    "offers",
    "email_addresses",
    "phone_numbers",
    "urls",
    "job_posting_urls",
    "tags",
    "categories",
    "remote_data",
    "field_mappings",
    "account_token",
    "sync_status",
    "integration",
    "integration_slug",
    "end_user_origin_id",
    "is_duplicate",
    "account_type",
    "link_token",
    "model",
    "errors",
    "warnings",
    "logs",
    "problem_type",
    "source",
    "next",
    "previous",
    "results",
    "hook",
    "event",
    "linked_account",
    "data",
];

const ENUM_VALUES: &str =
    "(OPEN|CLOSED|DRAFT|ARCHIVED|PENDING|POSTING|REQUISITION|PROFILE|SCHEDULED|\
    AWAITING_FEEDBACK|COMPLETE|RESUME|COVER_LETTER|OTHER|PERSONAL|WORK|HOME|MOBILE|JOB_POSTING|\
    SUPER_ADMIN|ADMIN|TEAM_MEMBER|INCOMPLETE|RELINK_NEEDED|PRODUCTION|TEST|SYNCING|DONE|FAILED|\
    [A-Za-z_ ]{0,8})";

/// RFC 3339 instants, valid or nearly (bad days, leap seconds, long fractions, no offset).
const INSTANT: &str = "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-5][0-9]:[0-6][0-9]\
    (\\.[0-9]{1,12})?(Z|z|[+-][0-2][0-9]:[0-5][0-9])?";

/// Any JSON: strings from the typed parsers' vocabulary, numbers at the edges, nesting.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        ENUM_VALUES.prop_map(Value::String),
        INSTANT.prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(FIELDS), inner), 0..6).prop_map(object),
        ]
    })
    .boxed()
}

fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A small object with an id (an expanded relation, a nested email address, a sync status).
fn nested() -> BoxedStrategy<Value> {
    (
        "[a-z0-9-]{0,12}",
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "name",
                        "value",
                        "status",
                        "type",
                        "email_address_type",
                        "url_type",
                        "phone_number_type",
                        "last_sync_start",
                        "is_initial_sync",
                    ][..],
                ),
                prop_oneof![
                    ENUM_VALUES.prop_map(Value::String),
                    INSTANT.prop_map(Value::String),
                    any::<bool>().prop_map(Value::Bool),
                    Just(Value::Null),
                ],
            ),
            0..4,
        ),
    )
        .prop_map(|(id, mut fields)| {
            fields.insert(0, ("id", Value::String(id)));
            object(fields)
        })
        .boxed()
}

/// A value for `key`, of the type Merge's schema gives it most of the time.
fn field_value(key: &'static str) -> BoxedStrategy<Value> {
    let id = || "[a-z0-9-]{0,12}".prop_map(Value::String);
    let relation = || prop_oneof![3 => id(), 1 => nested(), 1 => Just(Value::Null)];
    let list = |item: BoxedStrategy<Value>| {
        prop::collection::vec(item, 0..4)
            .prop_map(Value::Array)
            .boxed()
    };
    let typed: BoxedStrategy<Value> = match key {
        k if k.ends_with("_at") => INSTANT.prop_map(Value::String).boxed(),
        "stage_order" => any::<i64>().prop_map(Value::from).boxed(),
        "disabled" | "is_private" | "can_email" | "confidential" | "remote_was_deleted"
        | "is_duplicate" => any::<bool>().prop_map(Value::Bool).boxed(),
        "status" | "type" | "access_role" | "account_type" => {
            ENUM_VALUES.prop_map(Value::String).boxed()
        }
        "candidate"
        | "job"
        | "current_stage"
        | "reject_reason"
        | "application"
        | "job_interview_stage"
        | "organizer"
        | "credited_to" => relation().boxed(),
        "applications" | "attachments" | "interviewers" | "recruiters" | "hiring_managers"
        | "departments" | "offices" | "job_postings" | "offers" => list(relation().boxed()),
        "email_addresses" | "phone_numbers" | "urls" | "job_posting_urls" | "remote_data"
        | "errors" | "warnings" | "logs" => list(nested()),
        "tags" | "categories" => list(".{0,8}".prop_map(Value::String).boxed()),
        "sync_status" | "model" | "source" | "linked_account" | "hook" => nested(),
        "field_mappings" | "data" | "results" => json_value(),
        _ => ".{0,16}".prop_map(Value::String).boxed(),
    };
    prop_oneof![8 => typed, 1 => Just(Value::Null), 1 => json_value()].boxed()
}

/// A Merge record: an `id` and well-typed (mostly) fields; parses as one of the models often.
fn record() -> BoxedStrategy<Value> {
    let field = prop::sample::select(FIELDS)
        .prop_flat_map(|key| field_value(key).prop_map(move |v| (key, v)));
    (
        prop::option::weighted(0.9, "[a-z0-9-]{0,12}"),
        prop::collection::vec(field, 0..10),
    )
        .prop_map(|(id, mut fields)| {
            if let Some(id) = id {
                fields.insert(0, ("id", Value::String(id)));
            }
            object(fields)
        })
        .boxed()
}

/// A JSON document shaped like a list page, a webhook, a write or a linking response.
fn json_document() -> impl Strategy<Value = Value> {
    prop_oneof![
        // A list page.
        (
            prop::collection::vec(prop::option::weighted(0.9, record()), 0..4),
            prop::option::of("[A-Za-z0-9=]{0,12}"),
        )
            .prop_map(|(results, next)| {
                let results = results
                    .into_iter()
                    .map(|r| r.unwrap_or(Value::Null))
                    .collect();
                object(vec![
                    ("next", next.map_or(Value::Null, Value::String)),
                    ("previous", Value::Null),
                    ("results", Value::Array(results)),
                ])
            }),
        // A webhook.
        (
            "(Application|Candidate|Job|ScheduledInterview|LinkedAccount)\\.(changed|added|removed|synced)",
            record(),
            prop::option::of(record()),
        )
            .prop_map(|(event, data, account)| {
                object(vec![
                    ("hook", object(vec![("event", Value::String(event))])),
                    ("linked_account", account.unwrap_or(Value::Null)),
                    ("data", data),
                ])
            }),
        // A write response, a linking response, a single record.
        (record(), field_value("errors"), field_value("warnings")).prop_map(
            |(model, errors, warnings)| {
                object(vec![("model", model), ("errors", errors), ("warnings", warnings)])
            }
        ),
        record(),
        json_value(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("merge-ats/fixtures")
}

/// Every `*.json` fixture, by name, sorted.
fn fixtures() -> &'static [(String, Vec<u8>)] {
    static FIXTURES: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures_dir())
            .expect("fixtures directory")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        all.sort();
        assert!(all.len() >= 15, "found only {} fixtures", all.len());
        all
    })
}

/// Parses a fixture's bytes into the type its name says (as in `tests/fixtures.rs`).
fn parse_fixture(name: &str, bytes: &[u8]) -> Result<(), serde_json::Error> {
    fn parse<T: serde::de::DeserializeOwned>(b: &[u8]) -> Result<(), serde_json::Error> {
        serde_json::from_slice::<T>(b).map(drop)
    }
    match name {
        "account_details.retrieve.response.json" => parse::<AccountDetails>(bytes),
        "account_token.retrieve.response.json" => parse::<AccountToken>(bytes),
        "applications.list.json" => parse::<Page<Application>>(bytes),
        "candidates.create.response.json" => parse::<WriteResponse<Candidate>>(bytes),
        "candidates.list.json" => parse::<Page<Candidate>>(bytes),
        "candidates.meta_post.response.json" | "error.not_found.json" => parse::<Value>(bytes),
        "interviews.list.json" => parse::<Page<ScheduledInterview>>(bytes),
        "job_interview_stages.list.json" => parse::<Page<JobInterviewStage>>(bytes),
        "jobs.list.json" => parse::<Page<Job>>(bytes),
        "link_token.create.response.json" => parse::<LinkToken>(bytes),
        "users.list.page1.json" => parse::<Page<RemoteUser>>(bytes),
        "webhook.application_changed.json" | "webhook.linked_account_synced.json" => {
            parse::<WebhookPayload>(bytes)
        }
        "write_error.400.json" => parse::<WriteResponse<Value>>(bytes),
        other => panic!("fixture {other} has no type here; add it to parse_fixture"),
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    /// Overwrite one byte.
    Set(Index, u8),
    /// Insert one byte.
    Insert(Index, u8),
    /// Remove up to 16 bytes.
    Remove(Index, usize),
    /// Keep only a prefix.
    Truncate(Index),
    /// Copy a slice of the fixture to another place (duplicates keys, brackets, quotes).
    Splice(Index, Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), 1u8..=255).prop_map(|(i, m)| Mutation::Flip(i, m)),
        2 => (any::<Index>(), prop::sample::select(&b"{}[]\",:0-9.eE \\nul"[..]))
            .prop_map(|(i, b)| Mutation::Set(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        2 => (any::<Index>(), 1usize..=16).prop_map(|(i, n)| Mutation::Remove(i, n)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), any::<Index>(), 1usize..=64)
            .prop_map(|(a, b, n)| Mutation::Splice(a, b, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match m {
        Mutation::Flip(i, mask) => bytes[i.index(len)] ^= mask,
        Mutation::Set(i, b) => bytes[i.index(len)] = *b,
        Mutation::Insert(i, b) => bytes.insert(i.index(len + 1), *b),
        Mutation::Remove(i, n) => {
            let at = i.index(len);
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(len)),
        Mutation::Splice(from, to, n) => {
            let at = from.index(len);
            let piece = bytes[at..(at + n).min(len)].to_vec();
            let to = to.index(len + 1);
            bytes.splice(to..to, piece);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Webhook signatures
// ---------------------------------------------------------------------------------------------

const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

proptest! {
    #![proptest_config(config())]

    /// Arbitrary key, body and header: no panic, and `true` only for the exact signature.
    #[test]
    fn verify_never_panics_and_accepts_only_the_signature(
        key in bytes(100),
        body in bytes(2048),
        header in header(),
    ) {
        harness::check_verify(&key, &body, &header);
    }

    /// `sign` output verifies, also with extra `=` padding, without padding, and with
    /// surrounding whitespace.
    #[test]
    fn signed_bodies_verify(
        key in bytes(100),
        body in bytes(2048),
        pad in 0usize..4,
        lead in "[ \t\r\n]{0,3}",
        trail in "[ \t\r\n]{0,3}",
    ) {
        let signature = harness::check_sign_round_trip(&key, &body);
        let padded = format!("{signature}{}", "=".repeat(pad));
        prop_assert!(verify(&key, &body, &padded));
        prop_assert!(verify(&key, &body, signature.trim_end_matches('=')));
        let spaced = format!("{lead}{padded}{trail}");
        prop_assert!(verify(&key, &body, &spaced));
        prop_assert!(harness::check_verify(&key, &body, &spaced));
    }

    /// Flipping any bit of any body byte makes the signature fail.
    #[test]
    fn a_flipped_body_byte_is_rejected(
        key in bytes(100),
        body in prop::collection::vec(any::<u8>(), 1..2048),
        at in any::<Index>(),
        mask in 1u8..=255,
    ) {
        let signature = sign(&key, &body);
        let mut tampered = body.clone();
        tampered[at.index(body.len())] ^= mask;
        prop_assert!(!verify(&key, &tampered, &signature));
        prop_assert!(!harness::check_verify(&key, &tampered, &signature));
    }

    /// Replacing any one of the 43 significant characters of the signature with any other
    /// character (another base64url letter, `=`, whitespace, anything) makes it fail; so does
    /// dropping one, or appending a letter.
    #[test]
    fn an_altered_header_is_rejected(
        key in bytes(100),
        body in bytes(512),
        at in 0usize..43,
        replacement in prop_oneof![
            "[A-Za-z0-9_-]".prop_map(|s| s.chars().next().unwrap()),
            prop::sample::select(vec!['=', ' ', '\n', '+', '/', '.', 'é', '\0']),
            any::<char>(),
        ],
        pad in 0usize..3,
        extra in "[A-Za-z0-9_-]{1,4}",
    ) {
        let signature = sign(&key, &body);
        let mut chars: Vec<char> = signature.chars().collect();
        prop_assume!(chars[at] != replacement);
        chars[at] = replacement;
        let altered: String = chars.iter().collect::<String>() + &"=".repeat(pad);
        prop_assert!(!verify(&key, &body, &altered), "accepted {altered:?} for {signature:?}");

        // Every other letter at that position and at the last one, whose two low bits are
        // padding (a decoder that ignored them would accept three other spellings).
        for pos in [at, 42] {
            for &letter in BASE64URL {
                let mut other = signature.clone().into_bytes();
                if other[pos] != letter {
                    other[pos] = letter;
                    let other = String::from_utf8(other).unwrap();
                    prop_assert!(!verify(&key, &body, &other), "accepted {other:?}");
                }
            }
        }

        let unpadded = signature.trim_end_matches('=');
        let dropped = format!("{}{}", &unpadded[..at], &unpadded[at + 1..]);
        prop_assert!(!verify(&key, &body, &dropped));
        let longer = format!("{unpadded}{extra}");
        prop_assert!(!verify(&key, &body, &longer));
        let after_padding = format!("{signature}{extra}");
        prop_assert!(!verify(&key, &body, &after_padding));
        prop_assert!(!verify(&key, &body, &unpadded[..at]));
    }

    /// Another key of the same length (up to HMAC's 64-byte block) gives another signature.
    /// (Keys differing only by trailing zero bytes, or a long key and its SHA-256, are the same
    /// HMAC key, so only equal-length short keys are guaranteed to differ.)
    #[test]
    fn another_key_is_rejected(
        key in prop::collection::vec(any::<u8>(), 0..=64),
        at in any::<Index>(),
        mask in 1u8..=255,
        body in bytes(512),
    ) {
        prop_assume!(!key.is_empty());
        let mut other = key.clone();
        other[at.index(key.len())] ^= mask;
        prop_assert!(!verify(&other, &body, &sign(&key, &body)));
    }
}

// ---------------------------------------------------------------------------------------------
// Payload parsers
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// Arbitrary bytes through every parser the client and the webhook handler use.
    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(data in bytes(1024)) {
        harness::parse_payloads(&data);
    }

    /// Arbitrary JSON built from Merge's field names, enum values and timestamps (the bytes that
    /// get past the tokenizer): no panic, pages keep every non-null record, and a webhook's
    /// `data_as` agrees with `from_slice`.
    #[test]
    fn parsers_never_panic_on_merge_shaped_json(doc in json_document()) {
        let text = serde_json::to_vec(&doc).unwrap();
        harness::parse_payloads(&text);
        let pretty = serde_json::to_vec_pretty(&doc).unwrap();
        harness::parse_payloads(&pretty);
    }

    /// A real fixture with random byte flips, insertions, removals, truncations and splices
    /// parses into its type, or fails, without panicking; so do all the other parsers.
    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (name, original) = &fixtures()[which.index(fixtures().len())];
        let mut data = original.clone();
        for m in &mutations {
            apply(&mut data, m);
        }
        let _ = parse_fixture(name, &data);
        harness::parse_payloads(&data);
    }

    /// A fixture cut off before its closing brace is always an error, never a partial value.
    #[test]
    fn truncated_fixtures_are_rejected(which in any::<Index>(), cut in any::<Index>()) {
        let (name, original) = &fixtures()[which.index(fixtures().len())];
        let end = original.iter().rposition(|&b| b == b'}').expect("a JSON object");
        let prefix = &original[..cut.index(end + 1)];
        prop_assert!(parse_fixture(name, prefix).is_err(), "{name} cut at {}", prefix.len());
        prop_assert!(serde_json::from_slice::<Value>(prefix).is_err());
    }

    /// Error bodies: any status, `Retry-After` values and body map to an error that keeps the
    /// status.
    #[test]
    fn error_mapping_never_panics(
        status in prop_oneof![any::<u16>(), 400u16..600],
        retry_after in prop::option::of(prop_oneof![any::<String>(), "[0-9. ]{0,24}"]),
        retry_after_ms in prop::option::of(prop_oneof![any::<String>(), "[0-9 ]{0,24}"]),
        body in prop_oneof![
            bytes(1024),
            json_document().prop_map(|d| serde_json::to_vec(&d).unwrap()),
        ],
    ) {
        harness::check_error_response(
            status,
            retry_after.as_deref(),
            retry_after_ms.as_deref(),
            &body,
        );
    }

    /// `retry-after-ms` wins over `Retry-After` on a 429.
    #[test]
    fn rate_limit_reads_retry_after_ms_then_retry_after(ms in any::<u64>(), secs in any::<u64>()) {
        let err = harness::check_error_response(
            429,
            Some(&secs.to_string()),
            Some(&format!(" {ms} ")),
            b"",
        );
        prop_assert_eq!(
            err,
            merge::MergeError::RateLimited { retry_after: Some(Duration::from_millis(ms)) }
        );
        let err = harness::check_error_response(429, Some(&secs.to_string()), Some("x"), b"");
        prop_assert_eq!(
            err,
            merge::MergeError::RateLimited { retry_after: Some(Duration::from_secs(secs)) }
        );
    }

    /// `Retry-After`: arbitrary text and instants never panic; seconds parse exactly; an HTTP
    /// date `d` seconds after `now` gives `d`, one before gives zero.
    #[test]
    fn retry_after_parses_seconds_and_dates(
        value in prop_oneof![any::<String>(), "[ ]?[+-]?[0-9]{0,22}(\\.[0-9]{0,6})?(e[+-]?[0-9]{1,3})?[ ]?"],
        now in instant(),
        secs in any::<u64>(),
        base in 0i64..253_402_300_000 - 1_000_000_000,
        delta in 0i64..1_000_000_000,
    ) {
        harness::check_retry_after(&value, now);
        prop_assert_eq!(
            harness::check_retry_after(&format!("\t{secs} "), now),
            Some(Duration::from_secs(secs))
        );
        let now = DateTime::from_timestamp(base, 0).unwrap();
        let later = DateTime::from_timestamp(base + delta, 0).unwrap();
        prop_assert_eq!(
            merge::error::parse_retry_after(&later.to_rfc2822(), now),
            Some(Duration::from_secs(delta as u64))
        );
        let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        prop_assert_eq!(
            merge::error::parse_retry_after(&date, now),
            Some(Duration::from_secs(delta as u64))
        );
        prop_assert_eq!(
            merge::error::parse_retry_after(&now.to_rfc2822(), later),
            Some(Duration::ZERO)
        );
    }
}

/// Every unmodified fixture parses into its type.
#[test]
fn every_fixture_parses() {
    for (name, bytes) in fixtures() {
        parse_fixture(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        harness::parse_payloads(bytes);
    }
}

/// The harness is not vacuous: the fixtures are accepted by the parsers that own them.
#[test]
fn harness_accepts_the_fixtures() {
    let accepted = |name: &str| {
        let (_, bytes) = fixtures().iter().find(|(n, _)| n == name).unwrap();
        harness::parse_payloads(bytes)
    };
    for name in [
        "jobs.list.json",
        "applications.list.json",
        "webhook.application_changed.json",
        "link_token.create.response.json",
        "account_details.retrieve.response.json",
    ] {
        assert!(accepted(name) > 0, "{name} accepted by no parser");
    }
    let sig = sign(b"k", b"body");
    assert!(harness::check_verify(b"k", b"body", &sig));
    assert!(!harness::check_verify(b"k", b"body!", &sig));
}
