//! Writes through the Merge API (`POST /candidates`, `/applications`, `/attachments`): body
//! parsing with `UNRECOGNIZED_FIELD` warnings, required fields, the `remote_user_id` rule of
//! Greenhouse and Lever (and the ATS's 403 for a user without write permission), duplicate
//! detection, and the attachment download.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::api::{detail, Linked};
use super::faults::ResponseLost;
use super::seed::add_application;
use super::state::{empty_field_mappings, new_id, now, Account, FetchedFile, Record, WriteLog};
use super::Sandbox;
use crate::types::{
    ApplicationRequest, Attachment, AttachmentRequest, Candidate, CandidateRequest, DebugLog,
    DebugLogSummary, EmailAddress, LinkedAccountStatus, PhoneNumber, Problem, Ref, Url,
    WriteResponse,
};

/// Largest attachment the sandbox downloads.
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

const CANDIDATE_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "company",
    "title",
    "last_interaction_at",
    "is_private",
    "can_email",
    "locations",
    "phone_numbers",
    "email_addresses",
    "urls",
    "tags",
    "applications",
    "attachments",
    "remote_template_id",
    "integration_params",
    "linked_account_params",
];
const APPLICATION_KEYS: &[&str] = &[
    "candidate",
    "job",
    "applied_at",
    "rejected_at",
    "offers",
    "source",
    "credited_to",
    "screening_question_answers",
    "current_stage",
    "reject_reason",
    "remote_template_id",
    "integration_params",
    "linked_account_params",
];
const ATTACHMENT_KEYS: &[&str] = &[
    "file_name",
    "file_url",
    "candidate",
    "attachment_type",
    "integration_params",
    "linked_account_params",
];

/// A parsed write body.
struct WriteBody<M> {
    model: M,
    remote_user_id: Option<String>,
    warnings: Vec<Problem>,
}

/// A failed write: `{"warnings": [...], "errors": [...]}` with a 4xx status.
fn rejected(status: StatusCode, errors: Vec<Problem>, warnings: Vec<Problem>) -> Response {
    let body = WriteResponse::<Value> {
        model: None,
        warnings,
        errors,
        logs: Vec::new(),
    };
    (status, Json(body)).into_response()
}

fn missing(field: &str, pointer: &str) -> Problem {
    Problem::new(
        "MISSING_REQUIRED_FIELD",
        "Missing Required Field",
        format!("{field} is a required field on model."),
        Some(pointer),
    )
}

fn invalid(title: &str, detail: String, pointer: &str) -> Problem {
    Problem::new("ERROR", title, detail, Some(pointer))
}

/// Drops keys the model does not know, with an `UNRECOGNIZED_FIELD` warning each.
fn drop_unknown(
    map: &mut Map<String, Value>,
    known: &[&str],
    at: &str,
    warnings: &mut Vec<Problem>,
) {
    let unknown: Vec<String> = map
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .cloned()
        .collect();
    for key in unknown {
        map.remove(&key);
        warnings.push(Problem::new(
            "UNRECOGNIZED_FIELD",
            "Unrecognized Field",
            format!("An unrecognized field, {key}, was passed in with request data."),
            Some(&format!("{at}/{key}")),
        ));
    }
}

/// Parses `{"model": {...}, "remote_user_id": "..."}`.
fn parse_body<M: DeserializeOwned>(
    body: &[u8],
    known: &[&str],
    nested: Option<(&str, &[&str])>,
) -> Result<WriteBody<M>, Box<Response>> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Box::new(detail(
            StatusCode::BAD_REQUEST,
            &format!("JSON parse error - {e}"),
        ))
    })?;
    let Value::Object(mut top) = value else {
        return Err(Box::new(detail(
            StatusCode::BAD_REQUEST,
            "Expected a JSON object.",
        )));
    };
    let mut warnings = Vec::new();
    let remote_user_id = match top.remove("remote_user_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            let p = Problem::new(
                "INCORRECT_FIELD_TYPE",
                "Incorrect Field Type",
                "remote_user_id must be a string (a RemoteUser id).",
                Some("/remote_user_id"),
            );
            return Err(Box::new(rejected(
                StatusCode::BAD_REQUEST,
                vec![p],
                warnings,
            )));
        }
    };
    let Some(Value::Object(mut model)) = top.remove("model") else {
        return Err(Box::new(rejected(
            StatusCode::BAD_REQUEST,
            vec![missing("model", "/model")],
            warnings,
        )));
    };
    drop_unknown(&mut model, known, "/model", &mut warnings);
    if let Some((field, nested_known)) = nested {
        if let Some(Value::Object(inner)) = model.get_mut(field) {
            drop_unknown(
                inner,
                nested_known,
                &format!("/model/{field}"),
                &mut warnings,
            );
        }
    }
    let model: M = serde_json::from_value(Value::Object(model)).map_err(|e| {
        let p = Problem::new(
            "INCORRECT_FIELD_TYPE",
            "Incorrect Field Type",
            format!("The model could not be read: {e}."),
            Some("/model"),
        );
        Box::new(rejected(StatusCode::BAD_REQUEST, vec![p], Vec::new()))
    })?;
    Ok(WriteBody {
        model,
        remote_user_id,
        warnings,
    })
}

/// Problems that stop any write of this account: its status, and the acting user where the
/// integration requires one.
fn preflight(acct: &Account, remote_user_id: Option<&str>) -> Vec<Problem> {
    let mut errors = Vec::new();
    if acct.status == LinkedAccountStatus::RelinkNeeded {
        errors.push(Problem::new(
            "CREDENTIAL_REFRESH_FAILED",
            "Credential Refresh Failed",
            format!(
                "The {} credentials of this linked account are no longer valid; the customer \
                 must relink.",
                acct.profile.name
            ),
            None,
        ));
    }
    if !acct.profile.requires_remote_user_id {
        return errors;
    }
    let name = acct.profile.name;
    match remote_user_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => errors.push(Problem::new(
            "MISSING_REQUIRED_FIELD",
            "Missing Required Field",
            format!(
                "remote_user_id is required for {name}: writes are made on behalf of an ATS \
                 user. Pass the Merge id of an enabled RemoteUser (GET /users)."
            ),
            Some("/remote_user_id"),
        )),
        Some(rid) => match acct.user(rid) {
            None => errors.push(invalid(
                "Invalid Remote User",
                format!("remote_user_id {rid} is not a user of this {name} account."),
                "/remote_user_id",
            )),
            Some(u) if u.disabled == Some(true) => errors.push(invalid(
                "Remote User Disabled",
                format!(
                    "remote_user_id {rid} is a disabled {name} user and may not act on writes; \
                     choose an enabled user."
                ),
                "/remote_user_id",
            )),
            Some(_) => {}
        },
    }
    errors
}

/// The ATS's own refusal, where the integration acts as a user: 403 `{"detail": ...}` when
/// that user's permission to create records was revoked (control API `revoke-write`).
fn no_write_permission(acct: &Account, remote_user_id: Option<&str>) -> Option<Response> {
    if !acct.profile.requires_remote_user_id {
        return None;
    }
    let rid = remote_user_id?.trim();
    if !acct.write_revoked.contains(rid) {
        return None;
    }
    let user = acct.user(rid)?;
    let name = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(detail(
        StatusCode::FORBIDDEN,
        &format!(
            "{name} does not have permission to create records in {}.",
            acct.profile.name
        ),
    ))
}

/// [`preflight`]'s problems, or the ATS's 403 when the account and acting user pass it but the
/// user may not write.
fn authorize(acct: &Account, remote_user_id: Option<&str>) -> Result<Vec<Problem>, Box<Response>> {
    let errors = preflight(acct, remote_user_id);
    if errors.is_empty() {
        if let Some(resp) = no_write_permission(acct, remote_user_id) {
            return Err(Box::new(resp));
        }
    }
    Ok(errors)
}

fn debug_logs(query: Option<&str>, acct: &Account, path: &str) -> Vec<DebugLog> {
    let debug = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .any(|(k, v)| k == "is_debug_mode" && (v == "true" || v == "True" || v == "1"));
    if !debug {
        return Vec::new();
    }
    let log_id = new_id();
    vec![DebugLog {
        dashboard_view: Some(format!("https://app.merge.dev/logs/{log_id}")),
        log_id: Some(log_id),
        log_summary: Some(DebugLogSummary {
            url: Some(format!("https://api.{}.invalid{path}", acct.profile.slug)),
            method: Some("POST".to_owned()),
            status_code: Some(201),
        }),
    }]
}

fn created<T: serde::Serialize>(model: T, warnings: Vec<Problem>, logs: Vec<DebugLog>) -> Response {
    let body = WriteResponse {
        model: Some(model),
        warnings,
        errors: Vec::new(),
        logs,
    };
    (StatusCode::CREATED, Json(body)).into_response()
}

fn log_write(acct: &mut Account, entry: WriteLog) {
    acct.writes.push(entry);
}

fn write_entry(
    model: &'static str,
    id: &str,
    rid: Option<&str>,
    endpoint: &'static str,
) -> WriteLog {
    WriteLog {
        at: now(),
        model,
        id: id.to_owned(),
        remote_user_id: rid.map(str::to_owned),
        endpoint,
        nested: false,
        candidate: None,
        job: None,
        file: None,
        response_lost: false,
    }
}

fn emails_of(req: &CandidateRequest) -> Vec<String> {
    req.email_addresses
        .iter()
        .flatten()
        .map(|e| e.value.trim().to_owned())
        .filter(|e| !e.is_empty())
        .collect()
}

/// The live candidate of the account with one of these e-mail addresses.
fn candidate_by_email(acct: &Account, emails: &[String]) -> Option<String> {
    acct.candidates
        .live()
        .find(|c| {
            c.email_addresses
                .iter()
                .flatten()
                .filter_map(|e| e.value.as_deref())
                .any(|v| emails.iter().any(|e| e.eq_ignore_ascii_case(v)))
        })
        .map(|c| c.id.clone())
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Field checks of a candidate to create (`at` is its JSON pointer).
fn validate_candidate(
    acct: &Account,
    req: &CandidateRequest,
    at: &str,
    dedupe: bool,
) -> Vec<Problem> {
    let mut errors = Vec::new();
    for (field, value) in [
        ("first_name", &req.first_name),
        ("last_name", &req.last_name),
    ] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            errors.push(missing(field, &format!("{at}/{field}")));
        }
    }
    for (i, e) in req.email_addresses.iter().flatten().enumerate() {
        if !looks_like_email(e.value.trim()) {
            errors.push(Problem::new(
                "INCORRECT_FIELD_TYPE",
                "Incorrect Field Type",
                format!("{:?} is not a valid e-mail address.", e.value),
                Some(&format!("{at}/email_addresses/{i}/value")),
            ));
        }
    }
    for (i, u) in req.urls.iter().flatten().enumerate() {
        if url::Url::parse(&u.value).is_err() {
            errors.push(Problem::new(
                "INCORRECT_FIELD_TYPE",
                "Incorrect Field Type",
                format!("{:?} is not a valid URL.", u.value),
                Some(&format!("{at}/urls/{i}/value")),
            ));
        }
    }
    if dedupe {
        let emails = emails_of(req);
        if let Some(existing) = candidate_by_email(acct, &emails) {
            errors.push(Problem::new(
                "MODEL_WITH_DUPLICATE_UNIQUE_FIELD_EXISTS",
                "Model With Duplicate Unique Field Exists",
                format!(
                    "A candidate with this e-mail address already exists in {} (id {existing}).",
                    acct.profile.name
                ),
                Some(&format!("{at}/email_addresses")),
            ));
        }
    }
    errors
}

/// Creates a candidate from a validated request; returns its id.
pub(crate) fn insert_candidate(acct: &mut Account, req: &CandidateRequest) -> String {
    let at = now();
    let candidate = Candidate {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        first_name: req.first_name.clone(),
        last_name: req.last_name.clone(),
        company: req.company.clone(),
        title: req.title.clone(),
        remote_created_at: Some(at),
        remote_updated_at: Some(at),
        last_interaction_at: req.last_interaction_at,
        is_private: Some(req.is_private.unwrap_or(false)),
        can_email: Some(req.can_email.unwrap_or(true)),
        locations: Some(req.locations.clone().unwrap_or_default()),
        phone_numbers: Some(
            req.phone_numbers
                .iter()
                .flatten()
                .map(|p| PhoneNumber {
                    created_at: Some(at),
                    modified_at: Some(at),
                    value: Some(p.value.clone()),
                    phone_number_type: p.phone_number_type.clone(),
                })
                .collect(),
        ),
        email_addresses: Some(
            req.email_addresses
                .iter()
                .flatten()
                .map(|e| EmailAddress {
                    created_at: Some(at),
                    modified_at: Some(at),
                    value: Some(e.value.trim().to_owned()),
                    email_address_type: e.email_address_type.clone(),
                })
                .collect(),
        ),
        urls: Some(
            req.urls
                .iter()
                .flatten()
                .map(|u| Url {
                    created_at: Some(at),
                    modified_at: Some(at),
                    value: Some(u.value.clone()),
                    url_type: u.url_type.clone(),
                })
                .collect(),
        ),
        tags: Some(req.tags.clone().unwrap_or_default()),
        applications: Some(Vec::new()),
        attachments: Some(Vec::new()),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let id = candidate.id.clone();
    acct.candidates.insert(candidate);
    id
}

/// Where a validated application goes.
struct AppTarget {
    job: String,
    stage: Option<String>,
}

/// Checks an application's job, stage, credited user and reject reason.
fn validate_application(
    acct: &Account,
    req: &ApplicationRequest,
    at: &str,
) -> Result<AppTarget, Vec<Problem>> {
    let mut errors = Vec::new();
    let job = match req.job.as_deref() {
        None => {
            errors.push(missing("job", &format!("{at}/job")));
            None
        }
        Some(job) => match acct.jobs.get(job).filter(|j| !j.deleted()) {
            Some(j) => Some(j.id.clone()),
            None => {
                errors.push(invalid(
                    "Invalid Job",
                    format!("No job with id {job} in this linked account."),
                    &format!("{at}/job"),
                ));
                None
            }
        },
    };
    let mut stage = None;
    if let Some(job) = &job {
        match req.current_stage.as_deref() {
            Some(sid) => {
                let ok = acct
                    .stages
                    .get(sid)
                    .filter(|s| !s.deleted() && s.job.as_ref().is_none_or(|j| j.id() == job));
                match ok {
                    Some(s) => stage = Some(s.id.clone()),
                    None => errors.push(invalid(
                        "Invalid Stage",
                        format!("No stage with id {sid} in the pipeline of job {job}."),
                        &format!("{at}/current_stage"),
                    )),
                }
            }
            None => stage = acct.first_stage(job).map(|s| s.id.clone()),
        }
    }
    if let Some(uid) = req.credited_to.as_deref() {
        if acct.user(uid).is_none() {
            errors.push(invalid(
                "Invalid Remote User",
                format!("No user with id {uid} in this linked account."),
                &format!("{at}/credited_to"),
            ));
        }
    }
    if let Some(rid) = req.reject_reason.as_deref() {
        if acct.reject_reasons.get(rid).is_none() {
            errors.push(invalid(
                "Invalid Reject Reason",
                format!("No reject reason with id {rid} in this linked account."),
                &format!("{at}/reject_reason"),
            ));
        }
    }
    match job {
        Some(job) if errors.is_empty() => Ok(AppTarget { job, stage }),
        _ => Err(errors),
    }
}

fn duplicate_application(acct: &Account, candidate: &str, job: &str) -> Option<Problem> {
    let existing = acct.applications.live().find(|a| {
        a.candidate.as_ref().is_some_and(|c| c.id() == candidate)
            && a.job.as_ref().is_some_and(|j| j.id() == job)
    })?;
    Some(Problem::new(
        "DUPLICATE_MODEL_EXISTS",
        "Duplicate Model Exists",
        format!(
            "This candidate already has an application to this job (id {}).",
            existing.id
        ),
        Some("/model"),
    ))
}

/// Creates a validated application; returns its id.
fn insert_application(
    acct: &mut Account,
    candidate: &str,
    target: AppTarget,
    req: &ApplicationRequest,
) -> String {
    let id = add_application(
        acct,
        candidate,
        &target.job,
        target.stage,
        req.source.clone(),
        req.credited_to.clone(),
    );
    if let Some(app) = acct.applications.get_mut(&id) {
        if let Some(applied) = req.applied_at {
            app.applied_at = Some(applied);
        }
        app.rejected_at = req.rejected_at;
        app.reject_reason = req.reject_reason.clone().map(Ref::Id);
    }
    id
}

/// `POST /candidates`.
pub(crate) async fn create_candidate(
    Linked(id): Linked,
    State(sandbox): State<Sandbox>,
    lost: Option<Extension<ResponseLost>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    const ENDPOINT: &str = "/api/ats/v1/candidates";
    let WriteBody {
        model,
        remote_user_id,
        mut warnings,
    } = match parse_body::<CandidateRequest>(&body, CANDIDATE_KEYS, None) {
        Ok(b) => b,
        Err(resp) => return *resp,
    };
    let rid = remote_user_id.as_deref();
    let mut state = sandbox.lock();
    let Some(acct) = state.account_mut(&id) else {
        return detail(StatusCode::UNAUTHORIZED, "Invalid account token.");
    };
    let mut errors = match authorize(acct, rid) {
        Ok(errors) => errors,
        Err(resp) => return *resp,
    };
    errors.extend(validate_candidate(acct, &model, "/model", true));
    let mut nested_apps = Vec::new();
    for (i, app) in model.applications.iter().flatten().enumerate() {
        match app {
            Ref::Object(req) => {
                match validate_application(acct, req, &format!("/model/applications/{i}")) {
                    Ok(target) => nested_apps.push((target, req)),
                    Err(problems) => errors.extend(problems),
                }
            }
            Ref::Id(app_id) => warnings.push(Problem::new(
                "ERROR",
                "Ignored Field",
                format!(
                    "Existing application {app_id} cannot be moved to a new candidate; ignored."
                ),
                Some(&format!("/model/applications/{i}")),
            )),
        }
    }
    if model.attachments.as_ref().is_some_and(|a| !a.is_empty()) {
        warnings.push(Problem::new(
            "ERROR",
            "Ignored Field",
            "Nested attachments are ignored by the sandbox; use POST /attachments.",
            Some("/model/attachments"),
        ));
    }
    if !errors.is_empty() {
        return rejected(StatusCode::BAD_REQUEST, errors, warnings);
    }
    let lost = lost.is_some();
    let cid = insert_candidate(acct, &model);
    log_write(
        acct,
        WriteLog {
            response_lost: lost,
            ..write_entry("Candidate", &cid, rid, ENDPOINT)
        },
    );
    for (target, req) in nested_apps {
        let job = target.job.clone();
        let aid = insert_application(acct, &cid, target, req);
        log_write(
            acct,
            WriteLog {
                nested: true,
                candidate: Some(cid.clone()),
                job: Some(job),
                response_lost: lost,
                ..write_entry("Application", &aid, rid, ENDPOINT)
            },
        );
    }
    let logs = debug_logs(query.as_deref(), acct, "/candidates");
    match acct.candidates.get(&cid) {
        Some(c) => created(c.clone(), warnings, logs),
        None => detail(StatusCode::INTERNAL_SERVER_ERROR, "Candidate vanished."),
    }
}

/// `POST /applications` (candidate id, or a nested candidate where the integration supports
/// Merge's single-call flow).
pub(crate) async fn create_application(
    Linked(id): Linked,
    State(sandbox): State<Sandbox>,
    lost: Option<Extension<ResponseLost>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    const ENDPOINT: &str = "/api/ats/v1/applications";
    let WriteBody {
        model,
        remote_user_id,
        warnings,
    } = match parse_body::<ApplicationRequest>(
        &body,
        APPLICATION_KEYS,
        Some(("candidate", CANDIDATE_KEYS)),
    ) {
        Ok(b) => b,
        Err(resp) => return *resp,
    };
    let rid = remote_user_id.as_deref();
    let mut state = sandbox.lock();
    let Some(acct) = state.account_mut(&id) else {
        return detail(StatusCode::UNAUTHORIZED, "Invalid account token.");
    };
    let mut errors = match authorize(acct, rid) {
        Ok(errors) => errors,
        Err(resp) => return *resp,
    };
    // The candidate: an existing id, an existing candidate found by e-mail, or one to create.
    let mut existing: Option<String> = None;
    let mut to_create: Option<&CandidateRequest> = None;
    match &model.candidate {
        None => errors.push(missing("candidate", "/model/candidate")),
        Some(Ref::Id(cid)) => match acct.candidates.get(cid).filter(|c| !c.deleted()) {
            Some(c) => existing = Some(c.id.clone()),
            None => errors.push(invalid(
                "Invalid Candidate",
                format!("No candidate with id {cid} in this linked account."),
                "/model/candidate",
            )),
        },
        Some(Ref::Object(nested)) => {
            if !acct.profile.nested_application_candidate {
                errors.push(Problem::new(
                    "INCORRECT_FIELD_TYPE",
                    "Nested Candidate Not Supported",
                    format!(
                        "{} does not support creating a candidate inside POST /applications; \
                         create it with POST /candidates and pass its id.",
                        acct.profile.name
                    ),
                    Some("/model/candidate"),
                ));
            } else if let Some(found) = candidate_by_email(acct, &emails_of(nested)) {
                existing = Some(found);
            } else {
                errors.extend(validate_candidate(acct, nested, "/model/candidate", false));
                to_create = Some(nested);
            }
        }
    }
    let target = match validate_application(acct, &model, "/model") {
        Ok(t) => Some(t),
        Err(problems) => {
            errors.extend(problems);
            None
        }
    };
    if let (Some(cid), Some(t)) = (&existing, &target) {
        errors.extend(duplicate_application(acct, cid, &t.job));
    }
    let Some(target) = target.filter(|_| errors.is_empty()) else {
        return rejected(StatusCode::BAD_REQUEST, errors, warnings);
    };
    let lost = lost.is_some();
    let cid = match (existing, to_create) {
        (Some(cid), _) => cid,
        (None, Some(req)) => {
            let cid = insert_candidate(acct, req);
            log_write(
                acct,
                WriteLog {
                    nested: true,
                    response_lost: lost,
                    ..write_entry("Candidate", &cid, rid, ENDPOINT)
                },
            );
            cid
        }
        (None, None) => return rejected(StatusCode::BAD_REQUEST, errors, warnings),
    };
    let job = target.job.clone();
    let aid = insert_application(acct, &cid, target, &model);
    log_write(
        acct,
        WriteLog {
            candidate: Some(cid),
            job: Some(job),
            response_lost: lost,
            ..write_entry("Application", &aid, rid, ENDPOINT)
        },
    );
    let logs = debug_logs(query.as_deref(), acct, "/applications");
    match acct.applications.get(&aid) {
        Some(a) => created(a.clone(), warnings, logs),
        None => detail(StatusCode::INTERNAL_SERVER_ERROR, "Application vanished."),
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Downloads `file_url` as an ATS would and checks that it is a PDF.
async fn fetch_pdf(http: &reqwest::Client, file_url: &str) -> Result<FetchedFile, Problem> {
    let pointer = "/model/file_url";
    let unreachable = |e: String| {
        Problem::new(
            "ERROR",
            "File Download Failed",
            format!("The file at file_url could not be downloaded: {e}"),
            Some(pointer),
        )
    };
    let corrupted = |why: String| {
        Problem::new(
            "CORRUPTED_FILE",
            "Corrupted File",
            format!("The file at file_url was rejected: {why}"),
            Some(pointer),
        )
    };
    let mut resp = http
        .get(file_url)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    if resp.status() != reqwest::StatusCode::OK {
        return Err(corrupted(format!("HTTP status {}", resp.status().as_u16())));
    }
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| unreachable(e.to_string()))? {
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(corrupted(format!("larger than {MAX_FILE_BYTES} bytes")));
        }
        bytes.extend_from_slice(&chunk);
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(corrupted(
            "not a PDF (the body does not start with %PDF-)".to_owned(),
        ));
    }
    Ok(FetchedFile {
        file_url: file_url.to_owned(),
        size: bytes.len() as u64,
        sha256: to_hex(&Sha256::digest(&bytes)),
        content_type,
    })
}

/// `POST /attachments`: downloads the file (PDF only) and attaches it to the candidate.
pub(crate) async fn create_attachment(
    Linked(id): Linked,
    State(sandbox): State<Sandbox>,
    lost: Option<Extension<ResponseLost>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    const ENDPOINT: &str = "/api/ats/v1/attachments";
    let WriteBody {
        model,
        remote_user_id,
        warnings,
    } = match parse_body::<AttachmentRequest>(&body, ATTACHMENT_KEYS, None) {
        Ok(b) => b,
        Err(resp) => return *resp,
    };
    let rid = remote_user_id.as_deref();
    {
        let state = sandbox.lock();
        let Some(acct) = state.account(&id) else {
            return detail(StatusCode::UNAUTHORIZED, "Invalid account token.");
        };
        let mut errors = match authorize(acct, rid) {
            Ok(errors) => errors,
            Err(resp) => return *resp,
        };
        if model
            .file_name
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
        {
            errors.push(missing("file_name", "/model/file_name"));
        }
        match model.file_url.as_deref() {
            None => errors.push(missing("file_url", "/model/file_url")),
            Some(u) => {
                let ok = url::Url::parse(u)
                    .ok()
                    .is_some_and(|u| u.scheme() == "http" || u.scheme() == "https");
                if !ok {
                    errors.push(Problem::new(
                        "INCORRECT_FIELD_TYPE",
                        "Incorrect Field Type",
                        format!("file_url {u:?} is not an http(s) URL."),
                        Some("/model/file_url"),
                    ));
                }
            }
        }
        match model.candidate.as_deref() {
            None => errors.push(missing("candidate", "/model/candidate")),
            Some(cid) if acct.candidates.get(cid).filter(|c| !c.deleted()).is_none() => {
                errors.push(invalid(
                    "Invalid Candidate",
                    format!("No candidate with id {cid} in this linked account."),
                    "/model/candidate",
                ));
            }
            Some(_) => {}
        }
        if !errors.is_empty() {
            return rejected(StatusCode::BAD_REQUEST, errors, warnings);
        }
    }
    let file_url = model.file_url.clone().unwrap_or_default();
    let file = match fetch_pdf(sandbox.http(), &file_url).await {
        Ok(f) => f,
        Err(problem) => return rejected(StatusCode::BAD_REQUEST, vec![problem], warnings),
    };
    let candidate_id = model.candidate.clone().unwrap_or_default();
    let mut state = sandbox.lock();
    let Some(acct) = state.account_mut(&id) else {
        return detail(StatusCode::UNAUTHORIZED, "Invalid account token.");
    };
    let at = now();
    let attachment = Attachment {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        file_name: model.file_name.clone(),
        file_url: Some(file_url),
        candidate: Some(Ref::Id(candidate_id.clone())),
        attachment_type: model.attachment_type.clone(),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let aid = attachment.id.clone();
    acct.attachments.insert(attachment.clone());
    if let Some(c) = acct.candidates.get_mut(&candidate_id) {
        c.attachments
            .get_or_insert_with(Vec::new)
            .push(Ref::Id(aid.clone()));
        c.touch(at);
    }
    log_write(
        acct,
        WriteLog {
            candidate: Some(candidate_id),
            file: Some(file),
            response_lost: lost.is_some(),
            ..write_entry("Attachment", &aid, rid, ENDPOINT)
        },
    );
    let logs = debug_logs(query.as_deref(), acct, "/attachments");
    created(attachment, warnings, logs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_model_keys_become_warnings_and_are_dropped() {
        let body =
            br#"{"model": {"first_name": "A", "last_name": "B", "age": 3}, "remote_user_id": "u"}"#;
        let parsed = parse_body::<CandidateRequest>(body, CANDIDATE_KEYS, None)
            .unwrap_or_else(|_| panic!("parses"));
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].problem_type, "UNRECOGNIZED_FIELD");
        assert_eq!(parsed.remote_user_id.as_deref(), Some("u"));
        assert_eq!(parsed.model.first_name.as_deref(), Some("A"));
    }

    #[test]
    fn e_mail_check_accepts_plain_addresses_only() {
        assert!(looks_like_email("dev@example.com"));
        assert!(!looks_like_email("dev@example"));
        assert!(!looks_like_email("dev example@x.com"));
        assert!(!looks_like_email("@example.com"));
    }
}
