//! The candidate's profile PDF, served to the ATS at a signed, expiring, single-purpose URL.

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use super::{crypto::LinkCheck, state::AppState};

/// The signing purpose of profile links (a link for another purpose never opens a PDF).
pub const PURPOSE: &str = "profile-pdf";

/// The absolute URL of a signed profile link.
pub fn url(state: &AppState, signed: &str) -> String {
    let mut u = state.config.public_url.clone();
    u.set_path(&format!("/files/profile/{signed}.pdf"));
    u.to_string()
}

/// `GET /files/profile/{token}.pdf`: 403 for a bad signature, 410 once expired.
pub async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".pdf").unwrap_or(&file);
    let request_id = match state.crypto.verify_link(PURPOSE, token, super::repo::now()) {
        LinkCheck::Valid(id) => id,
        LinkCheck::Expired => {
            return (StatusCode::GONE, "This profile link has expired.").into_response()
        }
        LinkCheck::Invalid => {
            return (StatusCode::FORBIDDEN, "This profile link is not valid.").into_response()
        }
    };
    match render(&state, &request_id).await {
        Ok(Some(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (header::CACHE_CONTROL, "private, no-store"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"profile.pdf\"",
                ),
            ],
            pdf,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such profile.").into_response(),
        Err(e) => {
            tracing::error!("rendering a profile PDF failed: {e:#}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The profile could not be rendered.",
            )
                .into_response()
        }
    }
}

/// Renders the PDF of the candidate of an accepted request (None if there is no such request).
async fn render(state: &AppState, request_public_id: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(req) = state.db.request_unscoped(request_public_id).await? else {
        return Ok(None);
    };
    if req.state == "sent" || req.state == "declined" {
        return Ok(None);
    }
    let cand = state.db.candidate(req.candidate_id).await?;
    let profile: profile_pdf::Profile = serde_json::from_str(&cand.profile_json)?;
    Ok(Some(profile_pdf::render(&profile)?))
}
