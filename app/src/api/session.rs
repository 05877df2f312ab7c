//! Sign-in, sign-out and who is signed in.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The signed-in person, as the navigation shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub is_admin: bool,
    /// The embedded sandbox is running (the demo mailbox exists).
    pub sandbox: bool,
}

/// Who is signed in (None when nobody is).
#[server(input = GetUrl, endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    let ctx = crate::ssr::ctx()?;
    Ok(ctx.session().await?.map(|s| Me {
        is_admin: s.admin().is_some(),
        name: s.login.name,
        email: s.login.email,
        company: s.login.tenant_name,
        sandbox: ctx.config.is_sandbox(),
    }))
}

/// Signs in and goes to the integration page; a wrong password goes back to the login form.
/// `time_zone` is the browser's zone (filled in by the hydrated page), saved on first sign-in.
#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] time_zone: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::auth;
    let ctx = crate::ssr::ctx()?;
    let parts: http::request::Parts = leptos_axum::extract()
        .await
        .map_err(|e| AppError::Transport(e.to_string()))?;
    let signed_in =
        auth::sign_in_request(&ctx, &parts, &email, &password, time_zone.as_deref()).await;
    match signed_in {
        Ok(Some(token)) => {
            let opts = expect_context::<leptos_axum::ResponseOptions>();
            let cookie = auth::session_cookie(&token, ctx.config.public_url.scheme() == "https");
            if let Ok(v) = http::HeaderValue::from_str(&cookie) {
                opts.append_header(http::header::SET_COOKIE, v);
            }
            leptos_axum::redirect("/integration");
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
