//! Getting in: support creates companies, company admins invite colleagues, and the e-mailed
//! invitation and password-reset links are redeemed here.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What an invitation link offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationOffer {
    pub company: String,
    pub email: String,
    pub as_admin: bool,
}

/// Support creates a company and e-mails its first hiring manager an invitation.
#[server(endpoint = "create_company")]
pub async fn create_company(company: String, email: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let support = ctx.require_support().await?;
        crate::ssr::onboarding::create_company(&ctx, &support, &company, &email).await
    }
    .await;
    let notice = format!(
        "{} is created and an invitation went to {}.",
        company.trim(),
        email.trim()
    );
    crate::api::back("/support", result, &notice)
}

/// A company admin invites a colleague (as company admin when `admin` is ticked).
#[server(endpoint = "invite_colleague")]
pub async fn invite_colleague(
    email: String,
    #[server(default)] admin: Option<String>,
) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = async {
        let company_admin = ctx.require_admin().await?;
        let make_admin = matches!(admin.as_deref(), Some("on" | "yes" | "true"));
        crate::ssr::onboarding::invite(&ctx, &company_admin, &email, make_admin).await
    }
    .await;
    let notice = format!("An invitation went to {}.", email.trim());
    crate::api::back("/settings", result, &notice)
}

/// What an invitation link offers (403 tampered, 410 expired or used).
#[server(input = GetUrl, endpoint = "team_invitation")]
pub async fn get_team_invitation(token: String) -> Result<InvitationOffer, AppError> {
    let ctx = crate::ssr::ctx()?;
    let offer = crate::ssr::onboarding::invitation(&ctx, &token).await;
    let (company, email, as_admin) = link_status(offer)?;
    Ok(InvitationOffer {
        company,
        email,
        as_admin,
    })
}

/// Accepts an invitation with the new login's name and password, then goes to the sign-in.
#[server(endpoint = "join_company")]
pub async fn join_company(token: String, name: String, password: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    match crate::ssr::onboarding::accept_invitation(&ctx, &token, &name, &password).await {
        Ok(()) => crate::api::back(
            "/login",
            Ok(()),
            "Your account is ready: sign in with your e-mail address and new password.",
        ),
        Err(e) => crate::api::back(
            &format!("/invite/{}", path_safe(&token)),
            Err::<(), _>(e),
            "",
        ),
    }
}

/// E-mails a password-reset link (the answer is the same whether or not the address exists).
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    let result = crate::ssr::onboarding::request_reset(&ctx, &email).await;
    crate::api::back(
        "/forgot",
        result,
        "If this address has an account, a link to reset its password is on its way.",
    )
}

/// The address a reset link is for (403 tampered, 410 expired or used).
#[server(input = GetUrl, endpoint = "password_reset")]
pub async fn get_password_reset(token: String) -> Result<String, AppError> {
    let ctx = crate::ssr::ctx()?;
    link_status(crate::ssr::onboarding::reset_for(&ctx, &token).await)
}

/// A refused link answers with its own status (403 tampered, 410 spent), also when the page
/// that shows it is rendered on the server.
#[cfg(feature = "ssr")]
fn link_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(e), Some(opts)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        opts.set_status(http::StatusCode::from_u16(e.status()).unwrap_or_default());
    }
    result
}

/// Sets a new password with a reset link, then goes to the sign-in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let ctx = crate::ssr::ctx()?;
    match crate::ssr::onboarding::reset_password(&ctx, &token, &password).await {
        Ok(()) => crate::api::back(
            "/login",
            Ok(()),
            "Your password is changed and every other session is signed out. Sign in with the new one.",
        ),
        Err(e) => crate::api::back(&format!("/reset/{}", path_safe(&token)), Err::<(), _>(e), ""),
    }
}

/// A link token as a path segment (tokens are base64url with dots; anything else is dropped).
pub fn path_safe(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}
