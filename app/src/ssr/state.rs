//! `AppState`, built once by the server, and `ctx()`, the one way server functions reach it.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use tokio::sync::Notify;

use super::{
    auth::{self, Session, Support, TenantAdmin, TenantMember},
    config::Config,
    crypto::Crypto,
    db::Db,
};
use crate::error::AppError;

/// Everything a request handler or worker needs.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub db: Db,
    pub crypto: Crypto,
    pub merge: merge::Client,
    /// The embedded sandbox (only when no Merge API key is configured).
    pub sandbox: Option<merge::sandbox::Sandbox>,
    /// Wakes the push worker when a push is queued.
    pub push_wake: Arc<Notify>,
    /// Wakes a sync worker when a sync is requested.
    #[from_ref(skip)]
    pub sync_wake: Arc<Notify>,
    /// This process's fan-out of live changes to open pages.
    #[from_ref(skip)]
    pub events: super::events::Events,
    /// This process's recent failed Merge calls (Merge's per-IP rule).
    #[from_ref(skip)]
    pub merge_failures: super::rate_budget::Failures,
    /// This process's name on the leases it holds.
    pub worker_id: Arc<str>,
    /// The Content-Security-Policy header every response carries.
    #[from_ref(skip)]
    pub csp: http::HeaderValue,
}

/// Sets the response status for an authorisation failure (401 or 403) and returns the error.
fn refuse(e: AppError) -> AppError {
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        let status = if e == AppError::Unauthorized {
            http::StatusCode::UNAUTHORIZED
        } else {
            http::StatusCode::FORBIDDEN
        };
        opts.set_status(status);
    }
    e
}

/// The application state, from the Leptos context of the current request.
pub fn ctx() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal("no-state".into())
    })
}

/// The current request's session, looked up once however many server functions of the request
/// ask (a server-rendered page calls several). Provided per request by the router.
#[derive(Clone, Default)]
pub struct RequestSession(Arc<tokio::sync::OnceCell<Option<Session>>>);

impl AppState {
    /// The session of the current request, if the cookie names a live one.
    pub async fn session(&self) -> Result<Option<Session>, AppError> {
        match use_context::<RequestSession>() {
            Some(cell) => cell
                .0
                .get_or_try_init(|| self.look_up_session())
                .await
                .cloned(),
            None => self.look_up_session().await,
        }
    }

    async fn look_up_session(&self) -> Result<Option<Session>, AppError> {
        let parts: http::request::Parts = leptos_axum::extract().await.map_err(|e| {
            tracing::error!("extracting request parts: {e}");
            AppError::Internal("no-request".into())
        })?;
        let Some(token) = parts
            .headers
            .get(http::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(auth::token_from_cookie_header)
        else {
            return Ok(None);
        };
        Ok(auth::session(&self.db, token).await?)
    }

    /// The signed-in hiring manager, or 401/403.
    pub async fn require_member(&self) -> Result<TenantMember, AppError> {
        let s = self
            .session()
            .await?
            .ok_or_else(|| refuse(AppError::Unauthorized))?;
        s.member().ok_or_else(|| refuse(AppError::Forbidden))
    }

    /// The signed-in company admin, or 401/403.
    pub async fn require_admin(&self) -> Result<TenantAdmin, AppError> {
        let s = self
            .session()
            .await?
            .ok_or_else(|| refuse(AppError::Unauthorized))?;
        s.admin().ok_or_else(|| {
            refuse(AppError::Validation(
                "Only a company admin can do this. Ask one of your admins.".into(),
            ))
        })
    }

    /// The signed-in support staff member, or 401/403.
    pub async fn require_support(&self) -> Result<Support, AppError> {
        let s = self
            .session()
            .await?
            .ok_or_else(|| refuse(AppError::Unauthorized))?;
        s.support().ok_or_else(|| refuse(AppError::Forbidden))
    }

    /// The tenant's decrypted account token, for calling Merge (never leaves the server).
    pub fn account_token(
        &self,
        conn: &super::repo::connections::ConnectionRow,
    ) -> Result<String, AppError> {
        Ok(self.crypto.decrypt(&conn.account_token_enc)?)
    }
}
