//! Writing an accepted interview request into the ATS: candidate → application → attachment.
//! Each step records the ATS id it obtained before the next starts, and looks for what an
//! earlier, interrupted attempt may already have created, so a push resumes instead of
//! repeating.

use std::time::Duration;

use chrono::Utc;
use merge::{
    types::{
        ApplicationRequest, AttachmentRequest, AttachmentType, CandidateRequest,
        EmailAddressRequest, EmailAddressType, PhoneNumberRequest, Ref, UrlRequest, UrlType,
    },
    ListQuery, MergeError,
};

use super::{
    merge_errors::{describe, is_remote_user_problem},
    repo::{push_jobs::PushJob, requests::RequestRow},
    retry,
    state::AppState,
};

/// After this many failed attempts a transient failure becomes permanent.
const MAX_ATTEMPTS: i64 = 8;
/// How long a worker owns a push before another may take it over.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// How long the profile PDF link handed to the ATS stays valid.
const PROFILE_LINK_TTL: chrono::Duration = chrono::Duration::hours(24);

/// Why a push cannot go on, in the words the hiring manager sees.
enum Stop {
    /// Someone must act; the push waits (and resumes when re-queued).
    Wait(String),
    /// Try again later.
    Retry(String),
    /// Give up; the message says why.
    Fail(String),
}

impl From<MergeError> for Stop {
    fn from(e: MergeError) -> Self {
        if is_remote_user_problem(&e) {
            return Stop::Wait(format!(
                "The ATS refused the write because it needs a valid verification admin — choose one \
                 on the Integration page ({}).",
                describe(&e)
            ));
        }
        if e.is_retryable() {
            Stop::Retry(format!(
                "The ATS did not answer in time; retrying ({}).",
                describe(&e)
            ))
        } else {
            Stop::Fail(format!("The ATS refused the write: {}.", describe(&e)))
        }
    }
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Self {
        tracing::error!("push failed internally: {e:#}");
        Stop::Retry("An internal error interrupted the push; it will be retried.".into())
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::from(anyhow::Error::from(e))
    }
}

/// Runs one claimed push to completion or to its next stop, and records the outcome.
pub async fn run(state: &AppState, job: PushJob) -> anyhow::Result<()> {
    let outcome = steps(state, &job).await;
    let db = &state.db;
    match outcome {
        Ok(()) => db.push_done(job.id).await?,
        Err(Stop::Wait(reason)) => db.push_waiting(job.id, &reason).await?,
        Err(Stop::Retry(reason)) if job.attempts + 1 < MAX_ATTEMPTS => {
            let delay = retry::backoff(job.attempts as u32 + 3).max(Duration::from_secs(2));
            let at = super::repo::now() + chrono::Duration::from_std(delay)?;
            db.push_retry(job.id, &reason, at).await?
        }
        Err(Stop::Retry(reason) | Stop::Fail(reason)) => db.push_failed(job.id, &reason).await?,
    }
    Ok(())
}

async fn steps(state: &AppState, job: &PushJob) -> Result<(), Stop> {
    let db = &state.db;
    let req = db.request_by_id(job.request_id).await?;
    let Some(conn) = db.connection(job.tenant_id).await? else {
        return Err(Stop::Wait(
            "Connect your ATS on the Integration page.".into(),
        ));
    };
    if conn.status == "RELINK_NEEDED" {
        return Err(Stop::Wait(format!(
            "{} needs to be relinked: click Relink on the Integration page.",
            conn.integration_name
        )));
    }
    let Some(job_id) = req.ats_job_merge_id.clone() else {
        return Err(Stop::Wait(format!(
            "Position \u{201c}{}\u{201d} is not linked to an ATS job: link it on the Positions page.",
            req.position_title
        )));
    };
    let remote_user = match (&conn.verification_admin_id, conn.requires_remote_user_id) {
        (Some(id), _) => Some(id.clone()),
        (None, true) => {
            return Err(Stop::Wait(format!(
                "{} needs a verification admin for writes: choose one on the Integration page.",
                conn.integration_name
            )))
        }
        (None, false) => None,
    };
    let token = state.crypto.decrypt(&conn.account_token_enc)?;
    let ru = remote_user.as_deref();

    let candidate_id = match req.ats_candidate_id.clone() {
        Some(id) => id,
        None => {
            let id = find_or_create_candidate(state, &token, &req, ru).await?;
            db.record_ats_ids(req.id, Some(&id), None, None).await?;
            id
        }
    };
    if req.ats_application_id.is_none() {
        let id = find_or_create_application(state, &token, &candidate_id, &job_id, ru).await?;
        db.record_ats_ids(req.id, None, Some(&id), None).await?;
    }
    if req.ats_attachment_id.is_none() {
        let id = create_profile_attachment(state, &token, &req, &candidate_id, ru).await?;
        db.record_ats_ids(req.id, None, None, Some(&id)).await?;
    }
    Ok(())
}

/// Reuses an ATS candidate with the same e-mail address, or creates one.
async fn find_or_create_candidate(
    state: &AppState,
    token: &str,
    req: &RequestRow,
    remote_user: Option<&str>,
) -> Result<String, Stop> {
    if let Some(id) = candidate_by_email(state, token, &req.candidate_email).await? {
        return Ok(id);
    }
    let cand = state.db.candidate(req.candidate_id).await?;
    let (first, last) = split_name(&cand.full_name);
    let model = CandidateRequest {
        first_name: Some(first),
        last_name: Some(last),
        title: Some(cand.headline.clone()),
        locations: cand.location.clone().map(|l| vec![l]),
        email_addresses: Some(vec![EmailAddressRequest {
            value: cand.email.clone(),
            email_address_type: Some(EmailAddressType::Personal),
            ..Default::default()
        }]),
        phone_numbers: cand.phone.clone().map(|p| {
            vec![PhoneNumberRequest {
                value: p,
                phone_number_type: None,
                ..Default::default()
            }]
        }),
        urls: Some(vec![UrlRequest {
            value: profile_page_url(state, &cand.public_id),
            url_type: Some(UrlType::Portfolio),
            ..Default::default()
        }]),
        tags: Some(vec!["marketplace".into()]),
        ..Default::default()
    };
    match state
        .merge
        .create_candidate(token, &model, remote_user)
        .await
    {
        Ok(resp) => created_id(resp.model.map(|m| m.id)),
        // "Already exists" (or a write that succeeded although we saw an error): look it up.
        Err(e) => match candidate_by_email(state, token, &req.candidate_email).await? {
            Some(id) => Ok(id),
            None => Err(e.into()),
        },
    }
}

async fn candidate_by_email(
    state: &AppState,
    token: &str,
    email: &str,
) -> Result<Option<String>, Stop> {
    let mut q = ListQuery::default();
    q.filters.push(("email_addresses", email.to_string()));
    let page = retry::read(|| state.merge.list_candidates(token, &q)).await?;
    // Only the matching record is looked at; nothing from the list is stored.
    Ok(page
        .results
        .into_iter()
        .filter(|c| !c.remote_was_deleted.unwrap_or(false))
        .find(|c| {
            c.email_addresses.iter().flatten().any(|e| {
                e.value
                    .as_deref()
                    .is_some_and(|v| v.eq_ignore_ascii_case(email))
            })
        })
        .map(|c| c.id))
}

/// Reuses the candidate's application on the job, or creates it.
async fn find_or_create_application(
    state: &AppState,
    token: &str,
    candidate_id: &str,
    job_id: &str,
    remote_user: Option<&str>,
) -> Result<String, Stop> {
    if let Some(id) = application_on_job(state, token, candidate_id, job_id).await? {
        return Ok(id);
    }
    let model = ApplicationRequest {
        candidate: Some(Ref::Id(candidate_id.to_string())),
        job: Some(job_id.to_string()),
        applied_at: Some(Utc::now()),
        source: Some("OfferZen marketplace".into()),
        ..Default::default()
    };
    match state
        .merge
        .create_application(token, &model, remote_user)
        .await
    {
        Ok(resp) => created_id(resp.model.map(|m| m.id)),
        Err(e) => match application_on_job(state, token, candidate_id, job_id).await? {
            Some(id) => Ok(id),
            None => Err(e.into()),
        },
    }
}

/// The candidate's live application on the job, if the ATS already has one.
async fn application_on_job(
    state: &AppState,
    token: &str,
    candidate_id: &str,
    job_id: &str,
) -> Result<Option<String>, MergeError> {
    let q = ListQuery::default()
        .filter("candidate_id", candidate_id)
        .filter("job_id", job_id);
    let page = retry::read(|| state.merge.list_applications(token, &q)).await?;
    Ok(page
        .results
        .into_iter()
        .find(|a| !a.remote_was_deleted.unwrap_or(false))
        .map(|a| a.id))
}

/// Attaches the candidate's marketplace profile PDF, served from a signed expiring URL.
async fn create_profile_attachment(
    state: &AppState,
    token: &str,
    req: &RequestRow,
    candidate_id: &str,
    remote_user: Option<&str>,
) -> Result<String, Stop> {
    let expires = super::repo::now() + PROFILE_LINK_TTL;
    let signed = state
        .crypto
        .sign_link(super::profile::PURPOSE, &req.public_id, expires);
    let model = AttachmentRequest {
        file_name: Some(format!("{} - marketplace profile.pdf", req.candidate_name)),
        file_url: Some(super::profile::url(state, &signed)),
        candidate: Some(candidate_id.to_string()),
        attachment_type: Some(AttachmentType::Resume),
        ..Default::default()
    };
    let resp = state
        .merge
        .create_attachment(token, &model, remote_user)
        .await?;
    created_id(resp.model.map(|m| m.id))
}

fn created_id(id: Option<String>) -> Result<String, Stop> {
    id.filter(|i| !i.is_empty()).ok_or_else(|| {
        Stop::Retry("The ATS accepted the write but returned no id; checking again.".into())
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
    use super::split_name;

    #[test]
    fn names_split_at_the_last_space() {
        assert_eq!(split_name("Zoë Ndlovu"), ("Zoë".into(), "Ndlovu".into()));
        assert_eq!(
            split_name("Anna Maria Smith"),
            ("Anna Maria".into(), "Smith".into())
        );
        assert_eq!(split_name("Prince"), ("Prince".into(), String::new()));
    }
}
