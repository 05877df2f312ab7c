//! Sign-in, sign-out and who is signed in.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::{error::AppError, health::Health};

/// The signed-in person, as the navigation shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub is_admin: bool,
    /// Marketplace support staff (the console instead of a company's pages).
    pub is_support: bool,
    /// The company's integration health when it is not healthy, with what to do.
    pub health: Option<HealthNotice>,
    /// The embedded sandbox is running (the demo mailbox exists).
    pub sandbox: bool,
}

/// A tenant's health as its hiring managers' banner shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthNotice {
    pub health: Health,
    pub reasons: Vec<String>,
}

/// Who is signed in (None when nobody is).
#[server(input = GetUrl, endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let ctx = crate::ssr::ctx()?;
    let Some(s) = ctx.session().await? else {
        return Ok(None);
    };
    let health = match s.member() {
        Some(member) => ctx
            .db
            .tenant_health(member.tenant_id())
            .await?
            .filter(|h| h.shown.health != Health::Healthy)
            .map(|h| HealthNotice {
                health: h.shown.health,
                reasons: h.shown.reason.lines().map(str::to_string).collect(),
            }),
        None => None,
    };
    Ok(Some(Me {
        is_admin: s.admin().is_some(),
        is_support: s.support().is_some(),
        health,
        name: s.login.name,
        email: s.login.email,
        company: s.login.tenant_name,
        sandbox: ctx.config.is_sandbox(),
    }))
}

/// Where a signed-in person starts: support in the console, hiring managers on the
/// integration page.
pub fn home(is_support: bool) -> &'static str {
    if is_support {
        "/support"
    } else {
        "/integration"
    }
}

/// Signs in and goes to the person's home page; a wrong password goes back to the login form.
/// `time_zone` is the browser's zone (filled in by the hydrated page), saved on first sign-in.
#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] time_zone: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{auth, repo::accounts::Role};
    let ctx = crate::ssr::ctx()?;
    let parts: http::request::Parts = leptos_axum::extract()
        .await
        .map_err(|e| AppError::Transport(e.to_string()))?;
    let signed_in =
        auth::sign_in_request(&ctx, &parts, &email, &password, time_zone.as_deref()).await;
    match signed_in {
        Ok(Some(signed_in)) => {
            let opts = expect_context::<leptos_axum::ResponseOptions>();
            let https = ctx.config.public_url.scheme() == "https";
            let cookie = auth::session_cookie(&signed_in.token, https);
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                opts.append_header(http::header::SET_COOKIE, v);
            }
            leptos_axum::redirect(home(signed_in.role == Some(Role::Support)));
            Ok(())
        }
        Ok(None) => crate::api::back(
            "/login",
            Err::<(), _>(AppError::Validation("Wrong e-mail or password.".into())),
            "",
        ),
        Err(e) => crate::api::back("/login", Err::<(), _>(e), ""),
    }
}

/// Signs out (the session ends on the server too).
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::auth;
    let ctx = crate::ssr::ctx()?;
    let parts: http::request::Parts = leptos_axum::extract()
        .await
        .map_err(|_| AppError::Unauthorized)?;
    if let Some(token) = parts
        .headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::token_from_cookie_header)
    {
        auth::sign_out(&ctx.db, token).await?;
    }
    let opts = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(v) = http::HeaderValue::from_str(&auth::clear_cookie()) {
        opts.append_header(http::header::SET_COOKIE, v);
    }
    leptos_axum::redirect("/login");
    Ok(())
}
