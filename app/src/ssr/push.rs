//! Writing an accepted interview request into the ATS: candidate → application → attachment.
//!
//! Each step records the ATS id it obtained before the next starts, and before writing it
//! looks for what an earlier, interrupted attempt may already have created (the candidate by
//! e-mail address, the application by candidate and job, the attachment by its file name), so
//! a crash, a timeout or a restart at any point resumes instead of repeating. A failed write
//! is followed by the same lookup, which turns "already exists" and "succeeded, but the answer
//! was lost" into the existing record.

use std::time::Duration;

use chrono::Utc;
use merge::{
    types::{
        Application, ApplicationRequest, Attachment, AttachmentRequest, AttachmentType,
        CandidateRequest, EmailAddressRequest, EmailAddressType, PhoneNumberRequest, Ref,
        UrlRequest, UrlType,
    },
    ListQuery, MergeError,
};

use super::{
    failpoint,
    merge_errors::{describe, is_remote_user_problem},
    repo::{
        connections::ConnectionRow,
        push_jobs::{Failure, PushJob},
        requests::RequestRow,
    },
    retry,
    state::AppState,
};

/// After this many failed attempts a transient failure becomes permanent.
const MAX_ATTEMPTS: i64 = 8;
/// How long the profile PDF link handed to the ATS stays valid.
const PROFILE_LINK_TTL: chrono::Duration = chrono::Duration::hours(24);

/// What the hiring manager reads when the chosen verification admin stops working.
pub const ADMIN_INVALID: &str =
    "The verification admin is no longer valid — choose another on the Integration page.";

/// Integrations where Merge creates (or de-duplicates) the candidate inside
/// `POST /applications` (REFERENCE.md §4.1, Merge help 10012366).
const NESTED_CANDIDATE_SLUGS: &[&str] = &[
    "ashby",
    "asymbl",
    "avature",
    "bamboohr",
    "bullhorn",
    "clockwork",
    "comeet",
    "cornerstonetalentlink",
    "crelate",
    "eploy",
    "greenhouse",
    "harbourats",
    "icims",
    "jazzhr",
    "jobadder",
    "jobvite",
    "lever",
    "taleo",
    "successfactors",
    "smartrecruiters",
    "taleez",
    "teamtailor",
    "ukgprorecruiting",
    "workday",
];

/// Whether the integration takes a nested candidate in `POST /applications`.
pub fn supports_nested_candidate(slug: &str) -> bool {
    NESTED_CANDIDATE_SLUGS.contains(&slug)
}

/// Why a push cannot go on.
enum Stop {
    /// Someone must act; the push waits and resumes when re-queued.
    Wait(Failure),
    /// The verification admin was refused: flag it so the hiring manager re-picks, then wait.
    AdminInvalid(Failure),
    /// The linked account needs relinking: flip the connection's status once, then wait.
    Relink(Failure),
    /// Try again later.
    Retry(Failure),
    /// Give up; the message says why.
    Fail(Failure),
    /// The push was withdrawn (candidate erased) while it ran: record nothing.
    Withdrawn,
}

/// The failure the ATS's answer describes.
fn ats_failure(message: String, e: &MergeError) -> Failure {
    Failure {
        message,
        status: e.status(),
        problem: e.problem_type().map(str::to_string),
    }
}

/// Sorts a Merge error from a write (or a read inside a push) into what happens next.
fn classify(e: MergeError, conn: &ConnectionRow, acting_user: bool) -> Stop {
    let ats = &conn.integration_name;
    let admin_refused = is_remote_user_problem(&e)
        || (acting_user && matches!(e, MergeError::Forbidden { .. }))
        || (acting_user
            && matches!(&e, MergeError::NotFound { detail } if detail.to_lowercase().contains("user")));
    if admin_refused {
        return Stop::AdminInvalid(ats_failure(
            format!(
                "{ADMIN_INVALID} {ats} refused to write as that user ({}).",
                describe(&e)
            ),
            &e,
        ));
    }
    if e.problem_type() == Some("CREDENTIAL_REFRESH_FAILED")
        || matches!(e, MergeError::Unauthorized)
    {
        return Stop::Relink(ats_failure(
            format!(
                "{ats} needs to be relinked: click Relink on the Integration page. The push \
                 waits and resumes after relinking."
            ),
            &e,
        ));
    }
    if e.is_retryable() {
        let why = match e {
            MergeError::RateLimited { .. } => "is rate-limiting us",
            MergeError::Timeout => "did not answer in time",
            _ => "is unavailable",
        };
        return Stop::Retry(ats_failure(
            format!("{ats} {why}; the push retries automatically."),
            &e,
        ));
    }
    let reason = match &e {
        MergeError::Validation { errors, .. } => errors
            .iter()
            .map(|p| {
                if p.detail.is_empty() {
                    p.title.clone()
                } else {
                    p.detail.clone()
                }
            })
            .find(|d| !d.is_empty()),
        MergeError::Client { detail, .. }
        | MergeError::Forbidden { detail }
        | MergeError::NotFound { detail } => Some(detail.clone()).filter(|d| !d.trim().is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| "it gave no reason".into());
    Stop::Fail(ats_failure(
        format!("{ats} refused the write: {reason}."),
        &e,
    ))
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!("push failed internally: {e:#}");
        Stop::Retry(Failure::plain(
            "An internal error interrupted the push; it will be retried.",
        ))
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::from(anyhow::Error::from(e))
    }
}

/// Runs one claimed push to completion or to its next stop, and records the outcome.
pub async fn run(state: &AppState, job: PushJob) -> anyhow::Result<()> {
    let tenant = job.tenant_id;
    let recorded = record(state, job).await;
    // Open pages of the tenant show the push's new state.
    super::events::publish(state, tenant, "request", None).await;
    recorded
}

async fn record(state: &AppState, job: PushJob) -> anyhow::Result<()> {
    let outcome = steps(state, &job).await;
    let db = &state.db;
    let (failure, next) = match outcome {
        Ok(()) => {
            tracing::info!(push = job.id, correlation_id = %job.correlation_id, "push done");
            db.push_done(job.id).await?;
            audit_push(state, &job, super::audit::action::PUSH_DONE, "").await;
            return Ok(());
        }
        Err(Stop::Withdrawn) => return Ok(()),
        Err(Stop::Wait(f)) => (f, "waiting"),
        Err(Stop::AdminInvalid(f)) => {
            db.flag_admin_problem(job.tenant_id, &f.message).await?;
            (f, "waiting")
        }
        Err(Stop::Relink(f)) => {
            if db.flag_relink_needed(job.tenant_id).await? {
                tracing::warn!(tenant = job.tenant_id, "the linked account needs relinking");
            }
            (f, "waiting")
        }
        Err(Stop::Retry(f)) if job.attempts + 1 < MAX_ATTEMPTS => (f, "retry"),
        Err(Stop::Retry(f) | Stop::Fail(f)) => (f, "failed"),
    };
    // Ids, status and problem type only: messages can quote the ATS, which may name people.
    tracing::warn!(
        push = job.id,
        correlation_id = %job.correlation_id,
        status = ?failure.status,
        problem = ?failure.problem,
        outcome = next,
        "push stopped"
    );
    match next {
        "waiting" => db.push_waiting(job.id, &failure).await?,
        "retry" => {
            let delay = retry::backoff(job.attempts as u32 + 3).max(Duration::from_secs(2));
            let at = super::repo::now() + chrono::Duration::from_std(delay)?;
            db.push_retry(job.id, &failure, at).await?
        }
        _ => {
            db.push_failed(job.id, &failure).await?;
            let why = failure
                .status
                .map(|s| format!(", HTTP {s}"))
                .unwrap_or_default();
            audit_push(state, &job, super::audit::action::PUSH_FAILED, &why).await;
        }
    }
    Ok(())
}

/// Records a push's final outcome in the audit log, by ids only (never the candidate's name).
async fn audit_push(state: &AppState, job: &PushJob, action: &str, extra: &str) {
    use super::audit::{record, Actor};
    let detail = format!("correlation id {}{extra}", job.correlation_id);
    record(
        &state.db,
        Some(job.tenant_id),
        Actor::System,
        action,
        &detail,
    )
    .await;
}

/// A hiring manager's retry of a failed or waiting push of their tenant.
pub async fn retry(
    state: &AppState,
    member: &super::auth::TenantMember,
    request_id: &str,
) -> Result<(), crate::error::AppError> {
    let actor = super::audit::Actor::Member(member);
    retry_in(state, member.tenant_id(), request_id, actor).await
}

/// Support's retry of a failed or waiting push of the tenant it opened in the console.
pub async fn retry_as_support(
    state: &AppState,
    support: &super::auth::Support,
    tenant_id: i64,
    request_id: &str,
) -> Result<(), crate::error::AppError> {
    let actor = super::audit::Actor::Support(support);
    retry_in(state, tenant_id, request_id, actor).await
}

async fn retry_in(
    state: &AppState,
    tenant_id: i64,
    request_id: &str,
    actor: super::audit::Actor<'_>,
) -> Result<(), crate::error::AppError> {
    if !state.db.retry_push(tenant_id, request_id).await? {
        return Err(crate::error::AppError::Validation(
            "Only a failed or waiting push can be retried; this one is queued, running or done."
                .into(),
        ));
    }
    tracing::info!(
        tenant = tenant_id,
        request = request_id,
        "push retried by hand"
    );
    state.push_wake.notify_one();
    super::audit::record(
        &state.db,
        Some(tenant_id),
        actor,
        super::audit::action::RETRY_PUSH,
        &format!("request {request_id}"),
    )
    .await;
    Ok(())
}

/// What every write of one push needs.
struct Push<'a> {
    state: &'a AppState,
    job: &'a PushJob,
    conn: ConnectionRow,
    token: String,
    remote_user: Option<String>,
}

async fn steps(state: &AppState, job: &PushJob) -> Result<(), Stop> {
    let db = &state.db;
    let req = db.request_by_id(job.request_id).await?;
    let Some(conn) = db.connection(job.tenant_id).await? else {
        return Err(Stop::Wait(Failure::plain(
            "Connect your ATS on the Integration page.",
        )));
    };
    if conn.status == "RELINK_NEEDED" {
        return Err(Stop::Wait(Failure::plain(format!(
            "{} needs to be relinked: click Relink on the Integration page. The push waits and \
             resumes after relinking.",
            conn.integration_name
        ))));
    }
    let Some(job_id) = req.ats_job_merge_id.clone() else {
        return Err(Stop::Wait(Failure::plain(format!(
            "Position \u{201c}{}\u{201d} is not linked to an ATS job: link it on the Positions page.",
            req.position_title
        ))));
    };
    let remote_user = match (&conn.verification_admin_id, conn.requires_remote_user_id) {
        (Some(_), true) if conn.admin_problem.is_some() => {
            return Err(Stop::Wait(Failure::plain(ADMIN_INVALID)))
        }
        (Some(id), _) => Some(id.clone()),
        (None, true) => {
            return Err(Stop::Wait(Failure::plain(format!(
                "{} needs a verification admin for writes: choose one on the Integration page.",
                conn.integration_name
            ))))
        }
        (None, false) => None,
    };
    let token = state.crypto.decrypt(&conn.account_token_enc)?;
    let push = Push {
        state,
        job,
        conn,
        token,
        remote_user,
    };

    let mut candidate_id = req.ats_candidate_id.clone();
    if req.ats_application_id.is_none() {
        if candidate_id.is_none() {
            candidate_id = push.candidate_by_email(&req.candidate_email).await?;
        }
        let (cand, app) = match candidate_id {
            Some(cand) => {
                let app = push.find_or_create_application(&cand, &job_id).await?;
                (cand, app)
            }
            None if supports_nested_candidate(&push.conn.integration_slug) => {
                push.create_application_with_candidate(&req, &job_id)
                    .await?
            }
            None => {
                let cand = push.find_or_create_candidate(&req).await?;
                db.record_ats_ids(req.id, Some(&cand), None, None).await?;
                let app = push.find_or_create_application(&cand, &job_id).await?;
                (cand, app)
            }
        };
        db.record_ats_ids(req.id, Some(&cand), Some(&app), None)
            .await?;
        candidate_id = Some(cand);
    }
    let Some(candidate_id) = candidate_id else {
        return Err(Stop::Retry(Failure::plain(
            "The ATS application exists but its candidate is unknown; checking again.",
        )));
    };
    if req.ats_attachment_id.is_none() {
        let id = push.find_or_create_attachment(&req, &candidate_id).await?;
        db.record_ats_ids(req.id, None, None, Some(&id)).await?;
    }
    Ok(())
}

impl Push<'_> {
    fn remote_user(&self) -> Option<&str> {
        self.remote_user.as_deref()
    }

    fn stop(&self, e: MergeError) -> Stop {
        classify(e, &self.conn, self.remote_user.is_some())
    }

    /// Checks, right before an ATS write, that the push is still ours to run.
    async fn before_write(&self, step: &str) -> Result<(), Stop> {
        if !self.state.db.push_still_leased(self.job.id).await? {
            return Err(Stop::Withdrawn);
        }
        failpoint::hit(&format!("{step}:before"));
        Ok(())
    }

    /// A live ATS candidate with this e-mail address (the one an interrupted push created, or
    /// one the company already had). Only the matching record is looked at; nothing else from
    /// the list is kept.
    async fn candidate_by_email(&self, email: &str) -> Result<Option<String>, Stop> {
        let q = ListQuery::default().filter("email_addresses", email);
        let page = retry::read(self.state, self.job.tenant_id, || {
            self.state.merge.list_candidates(&self.token, &q)
        })
        .await
        .map_err(|e| self.stop(e))?;
        Ok(page
            .results
            .into_iter()
            .filter(|c| !c.remote_was_deleted.unwrap_or(false))
            .find(|c| {
                c.email_addresses.iter().flatten().any(|e| {
                    e.value
                        .as_deref()
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(email))
                })
            })
            .map(|c| c.id))
    }

    /// The candidate's live application on the job, if the ATS already has one.
    async fn application_on_job(
        &self,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<Option<String>, Stop> {
        let q = ListQuery::default()
            .filter("candidate_id", candidate_id)
            .filter("job_id", job_id);
        let page = retry::read(self.state, self.job.tenant_id, || {
            self.state.merge.list_applications(&self.token, &q)
        })
        .await
        .map_err(|e| self.stop(e))?;
        Ok(page
            .results
            .into_iter()
            .find(|a| !a.remote_was_deleted.unwrap_or(false))
            .map(|a| a.id))
    }

    async fn candidate_model(&self, req: &RequestRow) -> Result<CandidateRequest, Stop> {
        let cand = self.state.db.candidate(req.candidate_id).await?;
        let (first, last) = split_name(&cand.full_name);
        Ok(CandidateRequest {
            first_name: Some(first),
            last_name: Some(last),
            title: Some(cand.headline.clone()),
            locations: cand.location.clone().map(|l| vec![l]),
            email_addresses: Some(vec![EmailAddressRequest {
                value: cand.email.clone(),
                email_address_type: Some(EmailAddressType::Personal),
            }]),
            phone_numbers: cand.phone.clone().map(|p| {
                vec![PhoneNumberRequest {
                    value: p,
                    phone_number_type: None,
                }]
            }),
            urls: Some(vec![UrlRequest {
                value: profile_page_url(self.state, &cand.public_id),
                url_type: Some(UrlType::Portfolio),
            }]),
            tags: Some(vec!["marketplace".into()]),
            ..Default::default()
        })
    }

    /// Creates the candidate (two-call integrations), resolving "already exists" and lost
    /// answers to the existing record.
    async fn find_or_create_candidate(&self, req: &RequestRow) -> Result<String, Stop> {
        let model = self.candidate_model(req).await?;
        self.write_or_find(
            "candidate",
            async || {
                let resp = self
                    .state
                    .merge
                    .create_candidate(&self.token, &model, self.remote_user())
                    .await?;
                Ok(resp.model.map(|m| m.id))
            },
            async || self.candidate_by_email(&req.candidate_email).await,
        )
        .await
    }

    /// One ATS write, exactly once: checks the push is still wanted, writes, and returns the id
    /// the ATS gave — or, when the write failed (also "already exists", or a lost answer after
    /// the ATS did write), the record `find` turns up. Only if nothing is found does the
    /// write's error stop the push.
    async fn write_or_find(
        &self,
        step: &str,
        write: impl AsyncFnOnce() -> Result<Option<String>, MergeError>,
        find: impl AsyncFnOnce() -> Result<Option<String>, Stop>,
    ) -> Result<String, Stop> {
        self.before_write(step).await?;
        match retry::once(self.state, self.job.tenant_id, write()).await {
            Ok(id) => {
                failpoint::hit(&format!("{step}:after"));
                created_id(id)
            }
            Err(e) => match find().await? {
                Some(id) => Ok(id),
                None => Err(self.stop(e)),
            },
        }
    }

    fn application_model(
        &self,
        candidate: Ref<CandidateRequest>,
        job_id: &str,
    ) -> ApplicationRequest {
        ApplicationRequest {
            candidate: Some(candidate),
            job: Some(job_id.to_string()),
            applied_at: Some(Utc::now()),
            source: Some("OfferZen marketplace".into()),
            ..Default::default()
        }
    }

    /// Reuses the candidate's application on the job, or creates it.
    async fn find_or_create_application(
        &self,
        candidate_id: &str,
        job_id: &str,
    ) -> Result<String, Stop> {
        if let Some(id) = self.application_on_job(candidate_id, job_id).await? {
            return Ok(id);
        }
        let model = self.application_model(Ref::Id(candidate_id.to_string()), job_id);
        self.write_or_find(
            "application",
            async || {
                let resp = self
                    .state
                    .merge
                    .create_application(&self.token, &model, self.remote_user())
                    .await?;
                Ok(resp.model.map(|m| m.id))
            },
            async || self.application_on_job(candidate_id, job_id).await,
        )
        .await
    }

    /// Merge's single-call flow: one `POST /applications` with the candidate nested. Returns
    /// (candidate id, application id).
    async fn create_application_with_candidate(
        &self,
        req: &RequestRow,
        job_id: &str,
    ) -> Result<(String, String), Stop> {
        let nested = self.candidate_model(req).await?;
        let model = self.application_model(Ref::Object(Box::new(nested)), job_id);
        self.before_write("application").await?;
        let created = retry::once(
            self.state,
            self.job.tenant_id,
            self.state
                .merge
                .create_application(&self.token, &model, self.remote_user()),
        )
        .await;
        let failed = match created {
            Ok(resp) => {
                failpoint::hit("application:after");
                let app: Option<Application> = resp.model;
                let cand = app.as_ref().and_then(|a| match &a.candidate {
                    Some(Ref::Id(id)) => Some(id.clone()),
                    Some(Ref::Object(c)) => Some(c.id.clone()),
                    None => None,
                });
                if let (Some(cand), Some(app)) = (cand, app.map(|a| a.id)) {
                    return Ok((cand, app));
                }
                None
            }
            Err(e) => Some(e),
        };
        // Lost answer, "already exists", or an answer without ids: look both up.
        let found = match self.candidate_by_email(&req.candidate_email).await? {
            Some(cand) => self
                .application_on_job(&cand, job_id)
                .await?
                .map(|app| (cand, app)),
            None => None,
        };
        match (found, failed) {
            (Some(ids), _) => Ok(ids),
            (None, Some(e)) => Err(self.stop(e)),
            (None, None) => Err(Stop::Retry(Failure::plain(
                "The ATS accepted the application but returned no ids; checking again.",
            ))),
        }
    }

    /// The profile attachment this request already put on the candidate, found by file name.
    async fn attachment_named(
        &self,
        candidate_id: &str,
        name: &str,
    ) -> Result<Option<String>, Stop> {
        let q = ListQuery::default().filter("candidate_id", candidate_id);
        let page = retry::read(self.state, self.job.tenant_id, || {
            self.state.merge.list::<Attachment>(&self.token, &q)
        })
        .await
        .map_err(|e| self.stop(e))?;
        Ok(page
            .results
            .into_iter()
            .filter(|a| !a.remote_was_deleted.unwrap_or(false))
            .find(|a| a.file_name.as_deref() == Some(name))
            .map(|a| a.id))
    }

    /// Attaches the candidate's marketplace profile PDF, served from a signed expiring URL.
    async fn find_or_create_attachment(
        &self,
        req: &RequestRow,
        candidate_id: &str,
    ) -> Result<String, Stop> {
        let name = attachment_name(req);
        if let Some(id) = self.attachment_named(candidate_id, &name).await? {
            return Ok(id);
        }
        let expires = super::repo::now() + PROFILE_LINK_TTL;
        let signed = self
            .state
            .crypto
            .sign_link(super::profile::PURPOSE, &req.public_id, expires);
        let model = AttachmentRequest {
            file_name: Some(name.clone()),
            file_url: Some(super::profile::url(self.state, &signed)),
            candidate: Some(candidate_id.to_string()),
            attachment_type: Some(AttachmentType::Resume),
            ..Default::default()
        };
        self.write_or_find(
            "attachment",
            async || {
                let resp = self
                    .state
                    .merge
                    .create_attachment(&self.token, &model, self.remote_user())
                    .await?;
                Ok(resp.model.map(|m| m.id))
            },
            async || self.attachment_named(candidate_id, &name).await,
        )
        .await
    }
}

/// The attachment's file name: readable in the ATS, and unique per request (the reference is
/// the start of the request's public id), which is how a resumed push recognises its own file.
pub fn attachment_name(req: &RequestRow) -> String {
    let reference: String = req.public_id.chars().take(8).collect();
    format!(
        "{} - marketplace profile ({reference}).pdf",
        req.candidate_name
    )
}

fn created_id(id: Option<String>) -> Result<String, Stop> {
    id.filter(|i| !i.is_empty()).ok_or_else(|| {
        Stop::Retry(Failure::plain(
            "The ATS accepted the write but returned no id; checking again.",
        ))
    })
}

/// The candidate's public marketplace profile page.
fn profile_page_url(state: &AppState, candidate_public_id: &str) -> String {
    let mut u = state.config.public_url.clone();
    u.set_path(&format!("/candidates/{candidate_public_id}"));
    u.to_string()
}

/// Splits "First Middle Last" into ("First Middle", "Last").
fn split_name(full: &str) -> (String, String) {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.to_string()),
        None => (full.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_last_space() {
        assert_eq!(split_name("Zoë Ndlovu"), ("Zoë".into(), "Ndlovu".into()));
        assert_eq!(
            split_name("Anna Maria Smith"),
            ("Anna Maria".into(), "Smith".into())
        );
        assert_eq!(split_name("Prince"), ("Prince".into(), String::new()));
    }

    #[test]
    fn the_single_call_flow_is_used_only_where_merge_supports_it() {
        assert!(supports_nested_candidate("greenhouse"));
        assert!(supports_nested_candidate("lever"));
        assert!(!supports_nested_candidate("workable"));
        assert!(!supports_nested_candidate("recruitee"));
    }
}
