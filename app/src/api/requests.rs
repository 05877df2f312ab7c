//! Interview requests (hiring manager side), the candidate's answer page, candidate profiles
//! and the demo mailbox.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A row of the requests list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub candidate: String,
    pub position: String,
    pub state: String,
    pub push: Option<String>,
    pub stage: Option<String>,
    pub created_at: String,
}

/// An interview scheduled in the ATS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub when: String,
    pub location: Option<String>,
    pub status: String,
    pub organizer: Option<String>,
    pub interviewers: String,
}

/// One request with what the ATS says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: String,
    pub candidate_id: String,
    pub candidate: String,
    pub position: String,
    pub position_linked: bool,
    pub state: String,
    pub message: String,
    pub push_state: Option<String>,
    pub push_message: Option<String>,
    /// "HTTP 400 · MISSING_REQUIRED_FIELD" for a failure the ATS answered.
    pub push_error_code: Option<String>,
    /// The verification admin must be re-picked before the push can go on.
    pub admin_invalid: bool,
    pub correlation_id: Option<String>,
    pub ats_candidate_id: Option<String>,
    pub ats_application_id: Option<String>,
    pub ats_attachment_id: Option<String>,
    pub stage: Option<String>,
    pub marketplace_status: Option<String>,
    pub reject_reason: Option<String>,
    pub outcome_at: Option<String>,
    /// Stages the application went through, oldest first: (stage, when).
    pub stage_history: Vec<(String, String)>,
    pub interviews: Vec<Interview>,
}

/// A marketplace candidate in pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateSummary {
    pub id: String,
    pub name: String,
    pub headline: String,
}

/// A candidate's marketplace profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateProfile {
    pub name: String,
    pub headline: String,
    pub location: Option<String>,
    pub skills: Vec<String>,
    pub experience: Vec<(String, String, String)>,
}

/// The requests page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Requests {
    pub requests: Vec<RequestSummary>,
    pub positions: Vec<(String, String)>,
    pub candidates: Vec<CandidateSummary>,
}

/// What the candidate sees on their answer page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub company: String,
    pub position: String,
    pub message: String,
    pub candidate: String,
    pub state: String,
}

/// The candidate's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accept,
    Decline,
}

/// A message in the demo mailbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub at: String,
}

/// Lists the tenant's requests, with what the send form needs.
#[server(input = GetUrl, endpoint = "requests")]
pub async fn list_requests() -> Result<Requests, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    crate::ssr::views::requests(&ctx, &member).await
}

/// One of the tenant's requests.
#[server(input = GetUrl, endpoint = "request")]
pub async fn get_request(id: String) -> Result<RequestDetail, AppError> {
    let ctx = crate::ssr::ctx()?;
    let member = ctx.require_member().await?;
    crate::ssr::views::request(&ctx, &member, &id).await
}

/// Sends an interview request to a marketplace candidate.
#[server(endpoint = "send_request")]
pub async fn send_request(
    position_id: String,
    candidate_id: String,
    message: String,
) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::invitations::send(&ctx, &member, &position_id, &candidate_id, &message).await
    }
    .await;
    crate::api::back(
        "/requests",
        result.map(|_| ()),
        "Interview request sent to the candidate.",
    )
}

/// Retries a failed or waiting push now (only those: a queued, running or finished push is
/// left alone, so a double click sends nothing twice).
#[server(endpoint = "retry_push")]
pub async fn retry_push(request_id: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let member = ctx.require_member().await?;
        crate::ssr::push::retry(&ctx, &member, &request_id).await
    }
    .await;
    crate::api::back(
        &format!("/requests/{request_id}"),
        result,
        "Retrying the push now.",
    )
}

/// A marketplace candidate's profile (for hiring managers).
#[server(input = GetUrl, endpoint = "candidate")]
pub async fn get_candidate(id: String) -> Result<CandidateProfile, AppError> {
    let ctx = crate::ssr::ctx()?;
    ctx.require_member().await?;
    crate::ssr::views::candidate(&ctx, &id).await
}

/// The invitation behind a candidate's signed link.
#[server(input = GetUrl, endpoint = "invitation")]
pub async fn get_invitation(token: String) -> Result<Invitation, AppError> {
    let ctx = crate::ssr::ctx()?;
    let id = crate::ssr::invitations::check_token(&ctx, &token)?;
    crate::ssr::views::invitation(&ctx, &id).await
}

/// Records the candidate's answer from their signed link.
#[server(endpoint = "answer_invitation")]
pub async fn answer_invitation(token: String, decision: Decision) -> Result<(), AppError> {
    use crate::ssr::repo::requests::AnswerOutcome;
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let id = crate::ssr::invitations::check_token(&ctx, &token)?;
        match crate::ssr::invitations::answer(&ctx, &id, decision == Decision::Accept).await? {
            AnswerOutcome::Changed | AnswerOutcome::AlreadyDone => Ok(()),
            AnswerOutcome::Conflict => Err(AppError::Conflict(
                "You already answered this request.".into(),
            )),
            AnswerOutcome::NotFound => Err(AppError::NotFound),
        }
    }
    .await;
    let notice = match decision {
        Decision::Accept => "Thank you — the company has been told you accepted.",
        Decision::Decline => "Thank you — the company has been told you declined.",
    };
    crate::api::back(&format!("/respond/{token}"), result, notice)
}

/// The demo mailbox (sandbox mode only).
#[server(input = GetUrl, endpoint = "mailbox")]
pub async fn list_mail() -> Result<Vec<Mail>, AppError> {
    let ctx = crate::ssr::ctx()?;
    if !ctx.config.is_sandbox() {
        return Err(AppError::NotFound);
    }
    crate::ssr::views::mailbox(&ctx).await
}
