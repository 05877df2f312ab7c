//! Interview requests from the hiring manager's side and the candidate's answer: sending
//! (the signed answer link goes to the marketplace's mailer — in the sandbox, the demo
//! mailbox), and accepting or declining, which queues the ATS push.

use super::{
    auth::TenantMember, crypto::LinkCheck, repo::requests::AnswerOutcome, state::AppState,
};
use crate::error::AppError;

/// The signing purpose of the candidate's answer link.
pub const PURPOSE: &str = "respond";
/// How long the candidate may take to answer.
const LINK_TTL: chrono::Duration = chrono::Duration::days(14);

/// Sends a request for one of the member's positions to a marketplace candidate.
pub async fn send(
    state: &AppState,
    member: &TenantMember,
    position: &str,
    candidate: &str,
    message: &str,
) -> Result<String, AppError> {
    let message = message.trim();
    if message.chars().count() > 2000 {
        return Err(AppError::Validation(
            "The message is too long (2,000 characters at most).".into(),
        ));
    }
    let id = state
        .db
        .create_request(member.tenant_id(), position, candidate, message)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => {
                AppError::Conflict("This candidate already has a request for this position.".into())
            }
            other => other,
        })?
        .ok_or_else(|| {
            AppError::Validation("Choose one of your positions and a candidate.".into())
        })?;
    if state.config.is_sandbox() {
        let req = state
            .db
            .request(member.tenant_id(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, company) = state.db.tenant(member.tenant_id()).await?;
        let body = format!(
            "{company} would like to interview you for {}.\n\n{}",
            req.position_title,
            if message.is_empty() { "" } else { message }
        );
        let subject = format!("Interview request from {company}");
        state
            .db
            .insert_mail(
                &req.candidate_email,
                &subject,
                &body,
                &answer_url(state, &id),
            )
            .await?;
    }
    // The request's id only: the candidate's name stays out of the log.
    super::audit::by_member(
        &state.db,
        member,
        super::audit::action::SEND_REQUEST,
        &format!("request {id}"),
    )
    .await;
    Ok(id)
}

/// The candidate's signed answer link for a request.
pub fn answer_url(state: &AppState, request_public_id: &str) -> String {
    let token = state
        .crypto
        .sign_link(PURPOSE, request_public_id, super::repo::now() + LINK_TTL);
    let mut u = state.config.public_url.clone();
    u.set_path(&format!("/respond/{token}"));
    u.to_string()
}

/// The request a candidate's answer token stands for.
pub fn check_token(state: &AppState, token: &str) -> Result<String, AppError> {
    match state.crypto.verify_link(PURPOSE, token, super::repo::now()) {
        LinkCheck::Valid(id) => Ok(id),
        LinkCheck::Expired => Err(AppError::Validation(
            "This link has expired. Ask the company to send a new request.".into(),
        )),
        LinkCheck::Invalid => Err(AppError::Forbidden),
    }
}

/// Records the candidate's answer. Accepting queues the push in the same transaction and
/// wakes the push worker; repeating an answer changes nothing.
pub async fn answer(
    state: &AppState,
    request_public_id: &str,
    accept: bool,
) -> Result<AnswerOutcome, AppError> {
    let outcome = if accept {
        state.db.accept_request(request_public_id).await?
    } else {
        state.db.decline_request(request_public_id).await?
    };
    if accept && outcome == AnswerOutcome::Changed {
        state.push_wake.notify_one();
    }
    Ok(outcome)
}
