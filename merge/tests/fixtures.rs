//! Every payload in `merge/merge-ats/fixtures` (a copy of the brief's `shared/merge-ats/fixtures`) parses into its wire type, with the values the
//! client relies on, and serialising a parsed value gives back an equal value.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use merge::{
    AccessRole, AccountDetails, AccountToken, AccountType, Application, AttachmentType, Candidate,
    EmailAddressType, InterviewStatus, Job, JobInterviewStage, JobStatus, JobType, LinkToken,
    LinkedAccountStatus, LinkedAccountSyncedData, Page, PhoneNumberType, Ref, RemoteUser,
    ScheduledInterview, SyncState, UrlType, WebhookPayload, WriteResponse,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("merge-ats/fixtures")
}

fn raw(name: &str) -> String {
    let path = fixtures_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn load<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&raw(name)).unwrap_or_else(|e| panic!("parse {name}: {e}"))
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// Serialises and parses again; the result must equal the input.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "round trip through {json}");
}

/// Parses a fixture by file name into the type the name says.
fn parse_by_name(name: &str) -> Result<(), serde_json::Error> {
    let text = raw(name);
    match name {
        "account_details.retrieve.response.json" => {
            serde_json::from_str::<AccountDetails>(&text).map(drop)
        }
        "account_token.retrieve.response.json" => {
            serde_json::from_str::<AccountToken>(&text).map(drop)
        }
        "applications.list.json" => serde_json::from_str::<Page<Application>>(&text).map(drop),
        "candidates.create.response.json" => {
            serde_json::from_str::<WriteResponse<Candidate>>(&text).map(drop)
        }
        "candidates.list.json" => serde_json::from_str::<Page<Candidate>>(&text).map(drop),
        // Meta responses are JSON Schema documents; the client keeps them as JSON.
        "candidates.meta_post.response.json" => serde_json::from_str::<Value>(&text).map(drop),
        "error.not_found.json" => serde_json::from_str::<Value>(&text).map(drop),
        "interviews.list.json" => serde_json::from_str::<Page<ScheduledInterview>>(&text).map(drop),
        "job_interview_stages.list.json" => {
            serde_json::from_str::<Page<JobInterviewStage>>(&text).map(drop)
        }
        "jobs.list.json" => serde_json::from_str::<Page<Job>>(&text).map(drop),
        "link_token.create.response.json" => serde_json::from_str::<LinkToken>(&text).map(drop),
        "users.list.page1.json" => serde_json::from_str::<Page<RemoteUser>>(&text).map(drop),
        "webhook.application_changed.json" | "webhook.linked_account_synced.json" => {
            serde_json::from_str::<WebhookPayload>(&text).map(drop)
        }
        "write_error.400.json" => serde_json::from_str::<WriteResponse<Value>>(&text).map(drop),
        other => panic!("fixture {other} has no type here; add it to parse_by_name"),
    }
}

#[test]
fn every_fixture_file_parses_into_its_type() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "found only {names:?}");
    for name in &names {
        parse_by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn users_keep_an_unknown_access_role_as_text_and_microseconds() {
    let page: Page<RemoteUser> = load("users.list.page1.json");
    assert_eq!(
        page.next.as_deref(),
        Some("cD0yMDIxLTAxLTA2KzAzJTNBMjQlM0E1My40MzQzMjYlMkIwMCUzQTAw")
    );
    assert_eq!(page.previous, None);
    let [riley, harper] = &page.results[..] else {
        panic!("two users expected")
    };
    assert_eq!(riley.access_role, Some(AccessRole::SuperAdmin));
    assert_eq!(
        harper.access_role,
        Some(AccessRole::Unknown("Hiring Lead".into()))
    );
    assert_eq!(harper.access_role.as_ref().unwrap().as_str(), "Hiring Lead");
    assert_eq!(harper.disabled, None);
    assert_eq!(harper.remote_created_at, None);
    let micro = utc(2021, 10, 16, 0, 0, 0) + chrono::Duration::microseconds(482_374);
    assert_eq!(riley.modified_at, Some(micro));
    // The unknown role is written back verbatim.
    let json = serde_json::to_value(harper).unwrap();
    assert_eq!(json["access_role"], "Hiring Lead");
    assert_eq!(json["modified_at"], "2021-10-16T00:00:00Z");
    assert_eq!(
        serde_json::to_value(riley).unwrap()["modified_at"],
        "2021-10-16T00:00:00.482374Z"
    );
    round_trip(&page);
}

#[test]
fn jobs_have_enums_ids_and_posting_urls() {
    let page: Page<Job> = load("jobs.list.json");
    let job = &page.results[0];
    assert_eq!(job.status, Some(JobStatus::Open));
    assert_eq!(job.job_type, Some(JobType::Posting));
    assert_eq!(job.name.as_deref(), Some("Backend Engineer"));
    let urls = job.job_posting_urls.as_ref().unwrap();
    assert_eq!(urls[0].url_type, Some(UrlType::JobPosting));
    let recruiters = job.recruiters.as_ref().unwrap();
    assert_eq!(recruiters[0].id(), "b82302de-852e-4e60-b050-edf9da3b7c02");
    assert_eq!(
        recruiters[0].as_id(),
        Some("b82302de-852e-4e60-b050-edf9da3b7c02")
    );
    assert_eq!(serde_json::to_value(job).unwrap()["type"], "POSTING");
    round_trip(&page);
}

#[test]
fn generic_stage_has_no_job_and_no_order() {
    let page: Page<JobInterviewStage> = load("job_interview_stages.list.json");
    assert_eq!(page.results.len(), 3);
    assert_eq!(page.results[1].name.as_deref(), Some("Phone Screen"));
    assert_eq!(page.results[1].stage_order, Some(2));
    assert_eq!(
        page.results[1].job.as_ref().map(Ref::id),
        Some("022a2bef-57e5-4def-8ed2-7c41bd9a5ed8")
    );
    let generic = &page.results[2];
    assert_eq!(generic.job, None);
    assert_eq!(generic.stage_order, None);
    let json = serde_json::to_value(generic).unwrap();
    assert!(json["job"].is_null() && json["stage_order"].is_null());
}

#[test]
fn candidates_parse_including_the_deleted_one() {
    let page: Page<Candidate> = load("candidates.list.json");
    let [casey, jordan] = &page.results[..] else {
        panic!("two candidates expected")
    };
    assert_eq!(casey.remote_was_deleted, Some(false));
    let email = &casey.email_addresses.as_ref().unwrap()[0];
    assert_eq!(email.value.as_deref(), Some("casey.candidate@example.com"));
    assert_eq!(email.email_address_type, Some(EmailAddressType::Personal));
    let phone = &casey.phone_numbers.as_ref().unwrap()[0];
    assert_eq!(phone.phone_number_type, Some(PhoneNumberType::Mobile));
    assert_eq!(
        casey.urls.as_ref().unwrap()[0].url_type,
        Some(UrlType::SocialMedia)
    );
    assert_eq!(casey.tags.as_deref(), Some(&["OfferZen".to_owned()][..]));
    assert_eq!(
        casey.applications.as_ref().unwrap()[0].id(),
        "92e8a369-fffe-430d-b93a-f7e8a16563f1"
    );

    assert_eq!(jordan.remote_was_deleted, Some(true));
    assert_eq!(jordan.is_private, None);
    assert_eq!(jordan.company, None);
    assert_eq!(
        jordan.email_addresses.as_ref().unwrap()[0].email_address_type,
        Some(EmailAddressType::Other)
    );
    round_trip(&page);
}

#[test]
fn applications_have_id_refs_and_rejection() {
    let page: Page<Application> = load("applications.list.json");
    let [active, rejected] = &page.results[..] else {
        panic!("two applications expected")
    };
    assert_eq!(
        active.candidate,
        Some(Ref::Id("521b18c2-4d01-4297-b451-19858d07c133".into()))
    );
    assert!(active.candidate.as_ref().unwrap().object().is_none());
    assert_eq!(
        active.current_stage.as_ref().map(Ref::id),
        Some("d578dfdc-7b0a-4ab6-a2b0-4b40f20eb9ea")
    );
    assert_eq!(active.rejected_at, None);
    assert_eq!(active.reject_reason, None);
    assert_eq!(active.source.as_deref(), Some("OfferZen"));
    assert_eq!(rejected.rejected_at, Some(utc(2021, 11, 15, 0, 0, 0)));
    assert_eq!(
        rejected.reject_reason.as_ref().map(Ref::id),
        Some("59b25f2b-da02-40f5-9656-9fa0db555784")
    );
    round_trip(&page);
}

#[test]
fn an_expanded_relation_parses_as_the_object() {
    let mut app: serde_json::Value = serde_json::from_str::<Value>(&raw("applications.list.json"))
        .unwrap()["results"][0]
        .clone();
    let candidates: Value = serde_json::from_str(&raw("candidates.list.json")).unwrap();
    app["candidate"] = candidates["results"][0].clone();
    let app: Application = serde_json::from_value(app).unwrap();
    let candidate = app.candidate.as_ref().unwrap();
    assert_eq!(candidate.id(), "521b18c2-4d01-4297-b451-19858d07c133");
    assert_eq!(
        candidate.object().and_then(|c| c.first_name.as_deref()),
        Some("Casey")
    );
    round_trip(&app);
}

#[test]
fn interviews_parse() {
    let page: Page<ScheduledInterview> = load("interviews.list.json");
    let interview = &page.results[0];
    assert_eq!(interview.status, Some(InterviewStatus::Scheduled));
    assert_eq!(interview.interviewers.as_ref().unwrap().len(), 2);
    assert_eq!(interview.start_at, Some(utc(2021, 10, 20, 9, 0, 0)));
    assert_eq!(
        interview.application.as_ref().map(Ref::id),
        Some("92e8a369-fffe-430d-b93a-f7e8a16563f1")
    );
    round_trip(&page);
}

#[test]
fn link_token_and_account_token_and_details() {
    let link: LinkToken = load("link_token.create.response.json");
    assert_eq!(link.link_token, "necdP7FtdASl1fQwm62be2_dM4wBG8_GactqoUV0");
    assert_eq!(link.integration_name, None);

    let token: AccountToken = load("account_token.retrieve.response.json");
    assert_eq!(
        token.account_token,
        "T9klMDQrcHdm9jrtHuOS2Nf06BIHwMNjpPXPMB"
    );
    assert_eq!(
        token.id.as_deref(),
        Some("0496d4c2-42e6-4072-80b3-7b69bfdc76fd")
    );
    let integration = token.integration.as_ref().expect("integration object");
    assert_eq!(integration.name.as_deref(), Some("Greenhouse"));
    assert_eq!(integration.slug.as_deref(), Some("greenhouse"));
    assert_eq!(
        integration.categories.as_deref(),
        Some(&["ats".to_owned()][..])
    );
    round_trip(&token);

    let details: AccountDetails = load("account_details.retrieve.response.json");
    assert_eq!(details.integration.as_deref(), Some("Greenhouse"));
    assert_eq!(details.status, Some(LinkedAccountStatus::Complete));
    assert_eq!(details.account_type, Some(AccountType::Production));
    assert_eq!(details.is_duplicate, None);
    assert_eq!(details.completed_at, Some(utc(2024, 8, 26, 20, 11, 19)));
    round_trip(&details);
}

#[test]
fn write_response_has_the_created_model_and_warning() {
    let resp: WriteResponse<Candidate> = load("candidates.create.response.json");
    let model = resp.model.as_ref().expect("model");
    assert_eq!(model.id, "6c1e9a0d-3f3b-4d8e-9a51-7b2f0c4d8e11");
    assert_eq!(resp.warnings[0].problem_type, "UNRECOGNIZED_FIELD");
    assert_eq!(
        resp.warnings[0].source.as_ref().map(|s| s.pointer.as_str()),
        Some("/model/age")
    );
    assert!(resp.errors.is_empty() && resp.logs.is_empty());
    round_trip(&resp);
}

#[test]
fn write_error_has_missing_required_field() {
    let resp: WriteResponse<Candidate> = load("write_error.400.json");
    assert!(resp.model.is_none());
    assert_eq!(resp.errors.len(), 1);
    assert_eq!(resp.errors[0].problem_type, "MISSING_REQUIRED_FIELD");
    assert_eq!(
        resp.errors[0].source.as_ref().map(|s| s.pointer.as_str()),
        Some("/model/last_name")
    );
}

#[test]
fn application_changed_webhook_carries_the_new_stage() {
    let hook: WebhookPayload = load("webhook.application_changed.json");
    assert_eq!(hook.event(), "Application.changed");
    let account = hook.linked_account.as_ref().unwrap();
    assert_eq!(account.integration.as_deref(), Some("Greenhouse"));
    assert_eq!(account.end_user_origin_id.as_deref(), Some("company-4711"));
    let app: Application = hook.data_as().unwrap();
    assert_eq!(
        app.current_stage.as_ref().map(Ref::id),
        Some("0b8e2c4a-6f1d-4a57-9e3b-2c7d1f5a8e90")
    );
    let millis = utc(2021, 10, 21, 8, 15, 2) + chrono::Duration::milliseconds(117);
    assert_eq!(app.modified_at, Some(millis));
    round_trip(&hook);
    // The webhook's linked account serialises to exactly Merge's shape.
    let original: Value = serde_json::from_str(&raw("webhook.application_changed.json")).unwrap();
    assert_eq!(
        serde_json::to_value(account).unwrap(),
        original["linked_account"]
    );
}

#[test]
fn linked_account_synced_webhook_carries_token_and_sync_status() {
    let hook: WebhookPayload = load("webhook.linked_account_synced.json");
    assert_eq!(hook.event(), "LinkedAccount.synced");
    let data: LinkedAccountSyncedData = hook.data_as().unwrap();
    assert_eq!(
        data.account_token.as_deref(),
        Some("T9klMDQrcHdm9jrtHuOS2Nf06BIHwMNjpPXPMB")
    );
    let status = data.sync_status.unwrap();
    assert_eq!(status.status, Some(SyncState::Done));
    assert_eq!(status.last_sync_result, Some(SyncState::Done));
    assert_eq!(status.is_initial_sync, Some(false));
    assert_eq!(status.selective_sync_configurations_usage, None);
    assert_eq!(
        status.last_sync_finished,
        Some(utc(2021, 3, 30, 19, 55, 18))
    );
}

#[test]
fn offsets_keep_the_instant() {
    let json = r#"{"id":"u1","modified_at":"2021-10-15T19:00:00.5-05:00","remote_created_at":"2021-10-16T00:00:00+00:00"}"#;
    let user: RemoteUser = serde_json::from_str(json).unwrap();
    let expected = FixedOffset::west_opt(5 * 3600)
        .unwrap()
        .with_ymd_and_hms(2021, 10, 15, 19, 0, 0)
        .unwrap()
        + chrono::Duration::milliseconds(500);
    assert_eq!(user.modified_at, Some(expected.with_timezone(&Utc)));
    assert_eq!(
        user.modified_at,
        Some(utc(2021, 10, 16, 0, 0, 0) + chrono::Duration::milliseconds(500))
    );
    assert_eq!(user.remote_created_at, Some(utc(2021, 10, 16, 0, 0, 0)));
    assert_eq!(
        serde_json::to_value(&user).unwrap()["modified_at"],
        "2021-10-16T00:00:00.500Z"
    );
}

#[test]
fn absent_null_and_unknown_fields_are_tolerated() {
    let json = r#"{"id":"a1","candidate":null,"offers":null,"interviewers":[null,"u1"],
        "brand_new_field":{"x":1},"current_stage":{"id":"s1","name":"Onsite","future":true}}"#;
    let app: Application = serde_json::from_str(json).unwrap();
    assert_eq!(app.candidate, None);
    assert_eq!(app.offers, None);
    assert_eq!(app.created_at, None);
    assert_eq!(app.current_stage.as_ref().map(Ref::id), Some("s1"));

    let interview: ScheduledInterview =
        serde_json::from_str(r#"{"id":"i1","interviewers":[null,"u1"],"status":"CANCELLED"}"#)
            .unwrap();
    assert_eq!(interview.interviewers.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        interview.status,
        Some(InterviewStatus::Unknown("CANCELLED".into()))
    );

    let attachment: merge::Attachment =
        serde_json::from_str(r#"{"id":"f1","attachment_type":"OTHER"}"#).unwrap();
    assert_eq!(attachment.attachment_type, Some(AttachmentType::Other));
}

#[test]
fn none_serialises_as_null_only_where_merge_allows_null() {
    let json = serde_json::to_value(RemoteUser {
        id: "u1".into(),
        ..Default::default()
    })
    .unwrap();
    let obj = json.as_object().unwrap();
    assert!(obj["remote_id"].is_null() && obj["access_role"].is_null());
    assert!(!obj.contains_key("created_at") && !obj.contains_key("remote_was_deleted"));
}
