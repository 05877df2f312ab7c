//! The control API under `/_sandbox/` (loopback clients only): inspect linked accounts and
//! their writes, play the ATS side (move stages, schedule interviews, reject, hire, delete or
//! close jobs, disable, delete or restrict users, enter candidates, break the link), seed more
//! data, inject faults, count requests, set the webhook target.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::api::detail;
use super::faults::{Fault, FaultSpec};
use super::seed::{add_interview, seed_more, NewInterview, SeedCounts};
use super::state::{now, Account, Record, WebhookTarget};
use super::writes::{insert_candidate, looks_like_email};
use super::{webhooks, Sandbox};
use crate::types::{
    AccessRole, AccountDetails, CandidateRequest, EmailAddressRequest, InterviewStatus, JobStatus,
    LinkedAccountStatus, Ref,
};

/// The control routes, refused to non-loopback clients.
pub(crate) fn routes() -> Router<Sandbox> {
    let account = "/_sandbox/accounts/{id}";
    Router::new()
        .route("/_sandbox/accounts", get(list_accounts))
        .route(account, get(account_summary))
        .route(&format!("{account}/writes"), get(account_writes))
        .route(&format!("{account}/status"), post(set_status))
        .route(&format!("{account}/seed"), post(seed))
        .route(&format!("{account}/rate-limit"), post(set_rate_limit))
        .route("/_sandbox/ip-rule", post(set_ip_rule))
        .route(
            &format!("{account}/applications/{{app_id}}/stage"),
            post(move_stage),
        )
        .route(
            &format!("{account}/applications/{{app_id}}/interviews"),
            post(schedule_interview),
        )
        .route(
            &format!("{account}/applications/{{app_id}}/reject"),
            post(reject),
        )
        .route(
            &format!("{account}/applications/{{app_id}}/hire"),
            post(hire),
        )
        .route(
            &format!("{account}/interviews/{{iid}}/cancel"),
            post(cancel_interview),
        )
        .route(
            &format!("{account}/jobs/{{job_id}}/delete"),
            post(delete_job),
        )
        .route(&format!("{account}/jobs/{{job_id}}/close"), post(close_job))
        .route(
            &format!("{account}/users/{{uid}}/disable"),
            post(disable_user),
        )
        .route(
            &format!("{account}/users/{{uid}}/delete"),
            post(delete_user),
        )
        .route(
            &format!("{account}/users/{{uid}}/revoke-write"),
            post(revoke_write),
        )
        .route(
            &format!("{account}/users/{{uid}}/grant-write"),
            post(grant_write),
        )
        .route(&format!("{account}/candidates"), post(enter_candidate))
        .route(
            "/_sandbox/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route(
            "/_sandbox/requests",
            get(request_counts).delete(reset_request_counts),
        )
        .route("/_sandbox/webhooks", get(webhook_log).post(set_webhooks))
        .route(
            "/_sandbox/webhook-faults",
            get(delivery_faults).post(set_delivery_faults),
        )
        .layer(middleware::from_fn(loopback_only))
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Parses one address of a forwarding header (`1.2.3.4`, `1.2.3.4:5`, `[::1]:5`, `for="[::1]"`).
fn forwarded_ip(item: &str) -> Option<IpAddr> {
    let item = item.trim().trim_matches('"');
    let item = item
        .strip_prefix("for=")
        .or_else(|| item.strip_prefix("For="))
        .unwrap_or(item)
        .trim_matches('"');
    if let Ok(ip) = item.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = item.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    item.trim_start_matches('[')
        .split(']')
        .next()
        .and_then(|s| s.parse().ok())
}

/// Whether the control API may answer: the TCP peer (when known) is a loopback address, and no
/// forwarding header names a client that is not (a reverse proxy on loopback must not open it
/// to the world).
pub(crate) fn peer_allowed(peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    if peer.is_some_and(|p| !is_loopback(p.ip())) {
        return false;
    }
    for name in ["x-forwarded-for", "x-real-ip"] {
        for value in headers.get_all(name) {
            let Ok(text) = value.to_str() else {
                return false;
            };
            if !text
                .split(',')
                .all(|item| forwarded_ip(item).is_some_and(is_loopback))
            {
                return false;
            }
        }
    }
    for value in headers.get_all("forwarded") {
        let Ok(text) = value.to_str() else {
            return false;
        };
        let fors = text
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| p.to_ascii_lowercase().starts_with("for="));
        for item in fors {
            if !forwarded_ip(item).is_some_and(is_loopback) {
                return false;
            }
        }
    }
    true
}

async fn loopback_only(req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !peer_allowed(peer, req.headers()) {
        return detail(
            StatusCode::FORBIDDEN,
            "The sandbox control API only answers loopback clients.",
        );
    }
    next.run(req).await
}

/// A failed control request: `{"detail": message}` with a status.
struct Fail(StatusCode, String);

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        detail(self.0, &self.1)
    }
}

/// What a control handler answers.
type Answer = Result<Response, Fail>;

fn not_found(what: &str) -> Fail {
    Fail(StatusCode::NOT_FOUND, format!("{what} not found."))
}

fn bad(message: &str) -> Fail {
    Fail(StatusCode::BAD_REQUEST, message.to_owned())
}

/// Parses a JSON body; an empty body is `T::default()`.
fn body<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, Fail> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| bad(&format!("JSON parse error - {e}")))
}

/// Runs `f` on the account; returns the account's webhook block with the result.
fn with_account<T>(
    sandbox: &Sandbox,
    id: &str,
    f: impl FnOnce(&mut Account) -> Result<T, Fail>,
) -> Result<(AccountDetails, T), Fail> {
    let mut state = sandbox.lock();
    let acct = state
        .account_mut(id)
        .ok_or_else(|| not_found("Linked account"))?;
    let out = f(acct)?;
    Ok((acct.webhook_details(), out))
}

/// Answers with the changed model and sends `event` about it.
fn changed<T: Serialize>(
    sandbox: &Sandbox,
    event: &str,
    result: Result<(AccountDetails, T), Fail>,
) -> Answer {
    let (account, model) = result?;
    let value = serde_json::to_value(&model)
        .map_err(|e| Fail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    webhooks::send(sandbox, account, event, value);
    Ok(Json(model).into_response())
}

/// Record counts of an account.
#[derive(Serialize)]
struct Counts {
    users: usize,
    jobs: usize,
    job_interview_stages: usize,
    candidates: usize,
    applications: usize,
    attachments: usize,
    interviews: usize,
    reject_reasons: usize,
}

/// What the control API shows of an account.
#[derive(Serialize)]
struct Summary {
    id: String,
    integration: &'static str,
    integration_slug: &'static str,
    end_user_origin_id: String,
    end_user_organization_name: String,
    end_user_email_address: String,
    status: LinkedAccountStatus,
    account_token: String,
    deleted: bool,
    requests_per_minute: u32,
    rate_window_secs: u64,
    counts: Counts,
    writes: usize,
}

fn summary(a: &Account) -> Summary {
    Summary {
        id: a.id.clone(),
        integration: a.profile.name,
        integration_slug: a.profile.slug,
        end_user_origin_id: a.origin_id.clone(),
        end_user_organization_name: a.org_name.clone(),
        end_user_email_address: a.email.clone(),
        status: a.status.clone(),
        account_token: a.token.clone(),
        deleted: a.deleted,
        requests_per_minute: a.requests_per_minute,
        rate_window_secs: a.rate_window.as_secs(),
        counts: Counts {
            users: a.users.rows().len(),
            jobs: a.jobs.rows().len(),
            job_interview_stages: a.stages.rows().len(),
            candidates: a.candidates.rows().len(),
            applications: a.applications.rows().len(),
            attachments: a.attachments.rows().len(),
            interviews: a.interviews.rows().len(),
            reject_reasons: a.reject_reasons.rows().len(),
        },
        writes: a.writes.len(),
    }
}

#[derive(Deserialize)]
struct AccountFilter {
    end_user_origin_id: Option<String>,
}

async fn list_accounts(State(sandbox): State<Sandbox>, Query(f): Query<AccountFilter>) -> Answer {
    let state = sandbox.lock();
    let list: Vec<Summary> = state
        .accounts
        .iter()
        .filter(|a| {
            f.end_user_origin_id
                .as_deref()
                .is_none_or(|o| a.origin_id == o)
        })
        .map(summary)
        .collect();
    Ok(Json(list).into_response())
}

async fn account_summary(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> Answer {
    match sandbox.lock().account(&id) {
        Some(a) => Ok(Json(summary(a)).into_response()),
        None => Err(not_found("Linked account")),
    }
}

async fn account_writes(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> Answer {
    match sandbox.lock().account(&id) {
        Some(a) => Ok(Json(&a.writes).into_response()),
        None => Err(not_found("Linked account")),
    }
}

#[derive(Default, Deserialize)]
struct StatusBody {
    status: String,
}

async fn set_status(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Answer {
    let b: StatusBody = body(&bytes)?;
    let status = LinkedAccountStatus::from(b.status.as_str());
    if !status.is_known() {
        return Err(bad(
            "status must be COMPLETE, INCOMPLETE, RELINK_NEEDED or IDLE.",
        ));
    }
    let mut state = sandbox.lock();
    match state.account_mut(&id) {
        Some(a) => {
            a.status = status;
            Ok(Json(summary(a)).into_response())
        }
        None => Err(not_found("Linked account")),
    }
}

async fn seed(State(sandbox): State<Sandbox>, Path(id): Path<String>, bytes: Bytes) -> Answer {
    let more: SeedCounts = body(&bytes)?;
    const LIMIT: usize = 100_000;
    if more.jobs > LIMIT || more.users > LIMIT || more.foreign_applications > LIMIT {
        return Err(bad("At most 100000 of each per call."));
    }
    if more.extra_stages_per_job > 20 {
        return Err(bad("At most 20 extra stages per job."));
    }
    let mut state = sandbox.lock();
    match state.account_mut(&id) {
        Some(a) => Ok(Json(seed_more(a, &more)).into_response()),
        None => Err(not_found("Linked account")),
    }
}

#[derive(Default, Deserialize)]
struct RateLimitBody {
    requests_per_minute: u32,
    /// Added to every answer for the account, in milliseconds (Merge's latency per page).
    #[serde(default)]
    latency_ms: Option<u64>,
    /// The window the limit counts over (default 60 s; tests shorten it).
    #[serde(default)]
    window_secs: Option<u64>,
}

async fn set_rate_limit(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Answer {
    let b: RateLimitBody = body(&bytes)?;
    if b.requests_per_minute == 0 {
        return Err(bad("requests_per_minute must be at least 1."));
    }
    if b.window_secs == Some(0) {
        return Err(bad("window_secs must be at least 1."));
    }
    let mut state = sandbox.lock();
    match state.account_mut(&id) {
        Some(a) => {
            a.requests_per_minute = b.requests_per_minute;
            a.rate_window = std::time::Duration::from_secs(b.window_secs.unwrap_or(60));
            if let Some(ms) = b.latency_ms {
                a.latency = std::time::Duration::from_millis(ms);
            }
            a.recent_requests.clear();
            Ok(Json(summary(a)).into_response())
        }
        None => Err(not_found("Linked account")),
    }
}

#[derive(Default, Deserialize)]
struct IpRuleBody {
    block_secs: u64,
}

/// Sets how long an IP that tripped the per-IP failure rule is refused (default 60 s), and
/// lifts current blocks.
async fn set_ip_rule(State(sandbox): State<Sandbox>, bytes: Bytes) -> Answer {
    let b: IpRuleBody = body(&bytes)?;
    if b.block_secs == 0 {
        return Err(bad("block_secs must be at least 1."));
    }
    let mut state = sandbox.lock();
    state.ip_rule =
        super::requests::IpRule::blocking_for(std::time::Duration::from_secs(b.block_secs));
    Ok(Json(serde_json::json!({ "block_secs": b.block_secs })).into_response())
}

#[derive(Default, Deserialize)]
struct StageBody {
    stage_id: Option<String>,
    stage_name: Option<String>,
}

/// The application's job id.
fn job_of(acct: &Account, app_id: &str) -> Result<String, Fail> {
    let app = acct
        .applications
        .get(app_id)
        .ok_or_else(|| not_found("Application"))?;
    app.job
        .as_ref()
        .map(|j| j.id().to_owned())
        .ok_or_else(|| bad("The application has no job."))
}

/// Moves an application to a stage (by id or by name within its job's pipeline).
fn set_stage(
    acct: &mut Account,
    app_id: &str,
    stage_id: Option<&str>,
    stage_name: Option<&str>,
) -> Result<crate::types::Application, Fail> {
    let job = job_of(acct, app_id)?;
    let stage = match (stage_id, stage_name) {
        (Some(sid), _) => acct
            .stages
            .get(sid)
            .filter(|s| s.job.as_ref().is_none_or(|j| j.id() == job))
            .map(|s| s.id.clone())
            .ok_or_else(|| bad(&format!("No stage {sid} in the pipeline of job {job}.")))?,
        (None, Some(name)) => acct
            .stage_named(&job, name)
            .map(|s| s.id.clone())
            .ok_or_else(|| {
                bad(&format!(
                    "No stage named {name:?} in the pipeline of job {job}."
                ))
            })?,
        (None, None) => return Err(bad("Give stage_id or stage_name.")),
    };
    let at = now();
    let app = acct
        .applications
        .get_mut(app_id)
        .ok_or_else(|| not_found("Application"))?;
    app.current_stage = Some(Ref::Id(stage));
    app.touch(at);
    Ok(app.clone())
}

async fn move_stage(
    State(sandbox): State<Sandbox>,
    Path((id, app_id)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let b: StageBody = body(&bytes)?;
    let result = with_account(&sandbox, &id, |acct| {
        set_stage(
            acct,
            &app_id,
            b.stage_id.as_deref(),
            b.stage_name.as_deref(),
        )
    });
    changed(&sandbox, "Application.changed", result)
}

async fn hire(
    State(sandbox): State<Sandbox>,
    Path((id, app_id)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let mut app = set_stage(acct, &app_id, None, Some("Hired"))?;
        if let Some(stored) = acct.applications.get_mut(&app_id) {
            stored.rejected_at = None;
            stored.reject_reason = None;
            app = stored.clone();
        }
        Ok(app)
    });
    changed(&sandbox, "Application.changed", result)
}

#[derive(Default, Deserialize)]
struct RejectBody {
    reason: Option<String>,
}

async fn reject(
    State(sandbox): State<Sandbox>,
    Path((id, app_id)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let b: RejectBody = body(&bytes)?;
    let result = with_account(&sandbox, &id, |acct| {
        let reason = match b.reason.as_deref() {
            Some(name) => acct
                .reject_reasons
                .live()
                .find(|r| {
                    r.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                })
                .ok_or_else(|| bad(&format!("No reject reason named {name:?}.")))?,
            None => acct
                .reject_reasons
                .live()
                .next()
                .ok_or_else(|| bad("The account has no reject reasons."))?,
        }
        .id
        .clone();
        let at = now();
        let app = acct
            .applications
            .get_mut(&app_id)
            .ok_or_else(|| not_found("Application"))?;
        app.rejected_at = Some(at);
        app.reject_reason = Some(Ref::Id(reason));
        app.touch(at);
        Ok(app.clone())
    });
    changed(&sandbox, "Application.changed", result)
}

#[derive(Default, Deserialize)]
struct InterviewBody {
    start_at: Option<DateTime<Utc>>,
    end_at: Option<DateTime<Utc>>,
    location: Option<String>,
    organizer_id: Option<String>,
    interviewer_ids: Option<Vec<String>>,
    status: Option<String>,
}

async fn schedule_interview(
    State(sandbox): State<Sandbox>,
    Path((id, app_id)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let b: InterviewBody = body(&bytes)?;
    let (Some(start_at), Some(end_at)) = (b.start_at, b.end_at) else {
        return Err(bad("start_at and end_at are required (RFC 3339)."));
    };
    if end_at <= start_at {
        return Err(bad("end_at must be after start_at."));
    }
    let result = with_account(&sandbox, &id, |acct| {
        if acct.applications.get(&app_id).is_none() {
            return Err(not_found("Application"));
        }
        let organizer = match b.organizer_id {
            Some(uid) => Some(
                acct.user(&uid)
                    .map(|u| u.id.clone())
                    .ok_or_else(|| bad(&format!("No user {uid}.")))?,
            ),
            None => acct
                .users
                .live()
                .find(|u| u.access_role == Some(AccessRole::SuperAdmin))
                .map(|u| u.id.clone()),
        };
        let interviewers = match b.interviewer_ids {
            Some(ids) => {
                for uid in &ids {
                    if acct.user(uid).is_none() {
                        return Err(bad(&format!("No user {uid}.")));
                    }
                }
                ids
            }
            None => organizer.iter().cloned().collect(),
        };
        let status = b
            .status
            .as_deref()
            .map(InterviewStatus::from)
            .unwrap_or(InterviewStatus::Scheduled);
        add_interview(
            acct,
            &app_id,
            NewInterview {
                start_at,
                end_at,
                location: b.location,
                organizer,
                interviewers,
                status,
            },
        )
        .ok_or_else(|| not_found("Application"))
    });
    changed(&sandbox, "ScheduledInterview.changed", result)
}

async fn cancel_interview(
    State(sandbox): State<Sandbox>,
    Path((id, iid)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let at = now();
        let interview = acct
            .interviews
            .get_mut(&iid)
            .ok_or_else(|| not_found("Interview"))?;
        interview.remote_was_deleted = Some(true);
        interview.remote_updated_at = Some(at);
        interview.touch(at);
        Ok(interview.clone())
    });
    changed(&sandbox, "ScheduledInterview.changed", result)
}

async fn delete_job(
    State(sandbox): State<Sandbox>,
    Path((id, job_id)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let at = now();
        let job = acct.jobs.get_mut(&job_id).ok_or_else(|| not_found("Job"))?;
        job.remote_was_deleted = Some(true);
        job.remote_updated_at = Some(at);
        job.touch(at);
        Ok(job.clone())
    });
    changed(&sandbox, "Job.changed", result)
}

async fn close_job(
    State(sandbox): State<Sandbox>,
    Path((id, job_id)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let at = now();
        let job = acct.jobs.get_mut(&job_id).ok_or_else(|| not_found("Job"))?;
        job.status = Some(JobStatus::Closed);
        job.remote_updated_at = Some(at);
        job.touch(at);
        Ok(job.clone())
    });
    changed(&sandbox, "Job.changed", result)
}

async fn disable_user(
    State(sandbox): State<Sandbox>,
    Path((id, uid)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let at = now();
        let user = acct.users.get_mut(&uid).ok_or_else(|| not_found("User"))?;
        user.disabled = Some(true);
        user.touch(at);
        Ok(user.clone())
    });
    changed(&sandbox, "RemoteUser.changed", result)
}

async fn delete_user(
    State(sandbox): State<Sandbox>,
    Path((id, uid)): Path<(String, String)>,
) -> Answer {
    let result = with_account(&sandbox, &id, |acct| {
        let at = now();
        let user = acct.users.get_mut(&uid).ok_or_else(|| not_found("User"))?;
        user.remote_was_deleted = Some(true);
        user.touch(at);
        Ok(user.clone())
    });
    changed(&sandbox, "RemoteUser.changed", result)
}

/// Whether a user may write, as `revoke-write` and `grant-write` answer it.
#[derive(Serialize)]
struct WriteAccess {
    id: String,
    can_write: bool,
}

/// Revokes (`can_write == false`) or restores a user's permission to create records in the
/// ATS. Not a change of the RemoteUser model: no webhook, `modified_at` stays.
fn set_write_access(sandbox: &Sandbox, id: &str, uid: &str, can_write: bool) -> Answer {
    let (_, access) = with_account(sandbox, id, |acct| {
        if acct.users.get(uid).is_none() {
            return Err(not_found("User"));
        }
        if can_write {
            acct.write_revoked.remove(uid);
        } else {
            acct.write_revoked.insert(uid.to_owned());
        }
        Ok(WriteAccess {
            id: uid.to_owned(),
            can_write,
        })
    })?;
    Ok(Json(access).into_response())
}

async fn revoke_write(
    State(sandbox): State<Sandbox>,
    Path((id, uid)): Path<(String, String)>,
) -> Answer {
    set_write_access(&sandbox, &id, &uid, false)
}

async fn grant_write(
    State(sandbox): State<Sandbox>,
    Path((id, uid)): Path<(String, String)>,
) -> Answer {
    set_write_access(&sandbox, &id, &uid, true)
}

#[derive(Default, Deserialize)]
struct CandidateBody {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
}

/// A candidate entered in the ATS by someone at the company (not through the marketplace, no
/// applications): what a later `POST /candidates` with the same e-mail collides with.
async fn enter_candidate(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Answer {
    let b: CandidateBody = body(&bytes)?;
    let email = b.email.as_deref().map(str::trim).unwrap_or_default();
    if !looks_like_email(email) {
        return Err(bad("email must be a valid e-mail address."));
    }
    let req = CandidateRequest {
        first_name: b.first_name,
        last_name: b.last_name,
        email_addresses: Some(vec![EmailAddressRequest {
            value: email.to_owned(),
            email_address_type: None,
        }]),
        ..CandidateRequest::default()
    };
    let (account, candidate) = with_account(&sandbox, &id, |acct| {
        let cid = insert_candidate(acct, &req);
        acct.candidates
            .get(&cid)
            .cloned()
            .ok_or_else(|| not_found("Candidate"))
    })?;
    let mut resp = changed(&sandbox, "Candidate.changed", Ok((account, candidate)))?;
    *resp.status_mut() = StatusCode::CREATED;
    Ok(resp)
}

async fn request_counts(State(sandbox): State<Sandbox>) -> Answer {
    Ok(Json(sandbox.requests()).into_response())
}

async fn reset_request_counts(State(sandbox): State<Sandbox>) -> Answer {
    sandbox.reset_requests();
    Ok(Json(sandbox.requests()).into_response())
}

async fn list_faults(State(sandbox): State<Sandbox>) -> Answer {
    Ok(Json(&sandbox.lock().faults).into_response())
}

async fn add_fault(State(sandbox): State<Sandbox>, bytes: Bytes) -> Answer {
    let spec: FaultSpec = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => return Err(bad(&format!("JSON parse error - {e}"))),
    };
    if let Some(problem) = spec.problem() {
        return Err(bad(problem));
    }
    let mut state = sandbox.lock();
    state.faults.push(Fault::new(spec));
    Ok(Json(&state.faults).into_response())
}

async fn clear_faults(State(sandbox): State<Sandbox>) -> Answer {
    sandbox.lock().faults.clear();
    Ok(Json(json!([])).into_response())
}

#[derive(Default, Deserialize)]
struct WebhookBody {
    url: Option<String>,
    key: Option<String>,
}

async fn set_webhooks(State(sandbox): State<Sandbox>, bytes: Bytes) -> Answer {
    let b: WebhookBody = body(&bytes)?;
    let target = match (b.url, b.key) {
        (Some(url), Some(key)) if !key.is_empty() => match url::Url::parse(&url) {
            Ok(url) => Some(WebhookTarget { url, key }),
            Err(e) => return Err(bad(&format!("url: {e}"))),
        },
        (None, None) => None,
        _ => {
            return Err(bad(
                "Give both url and key (or neither, to stop sending webhooks).",
            ))
        }
    };
    let url = target.as_ref().map(|t| t.url.to_string());
    sandbox.lock().webhook_target = target;
    Ok(Json(json!({ "url": url })).into_response())
}

async fn set_delivery_faults(State(sandbox): State<Sandbox>, bytes: Bytes) -> Answer {
    let faults: webhooks::DeliveryFaults = body(&bytes)?;
    if let Some(problem) = faults.problem() {
        return Err(bad(problem));
    }
    sandbox.lock().delivery_faults = faults.clone();
    Ok(Json(faults).into_response())
}

async fn delivery_faults(State(sandbox): State<Sandbox>) -> Answer {
    Ok(Json(sandbox.lock().delivery_faults.clone()).into_response())
}

async fn webhook_log(State(sandbox): State<Sandbox>) -> Answer {
    let state = sandbox.lock();
    let url: Option<Value> = state
        .webhook_target
        .as_ref()
        .map(|t| Value::String(t.url.to_string()));
    Ok(Json(json!({ "url": url, "deliveries": state.deliveries })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn addr(s: &str) -> Option<SocketAddr> {
        Some(s.parse().expect("socket address"))
    }

    #[test]
    fn loopback_peers_are_allowed_and_others_refused() {
        let none = HeaderMap::new();
        assert!(peer_allowed(addr("127.0.0.1:5000"), &none));
        assert!(peer_allowed(addr("[::1]:5000"), &none));
        assert!(peer_allowed(addr("[::ffff:127.0.0.1]:5000"), &none));
        assert!(peer_allowed(None, &none));
        assert!(!peer_allowed(addr("10.0.0.7:5000"), &none));
        assert!(!peer_allowed(addr("[2001:db8::1]:443"), &none));
    }

    #[test]
    fn a_proxy_on_loopback_forwarding_a_remote_client_is_refused() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 127.0.0.1"),
        );
        assert!(!peer_allowed(addr("127.0.0.1:5000"), &h));
        let mut h = HeaderMap::new();
        h.insert(
            "forwarded",
            HeaderValue::from_static("for=\"[2001:db8::1]:4711\";proto=https"),
        );
        assert!(!peer_allowed(addr("127.0.0.1:5000"), &h));
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("127.0.0.1"));
        assert!(peer_allowed(addr("127.0.0.1:5000"), &h));
    }
}
