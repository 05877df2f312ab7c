//! Clients of the marketplace JSON API. Each has its own bearer token, created by the operator
//! (`server create-api-client`), shown once and stored only as a SHA-256 hash, revocable at any
//! time. A client may be limited to one company: it then sees only that company's interview
//! requests, as a hiring manager of it would; a marketplace-wide client serves the marketplace's
//! own services (the mailer, the candidate app) across companies.

use super::{
    crypto::{hash_token, public_id, secret_token},
    db::Db,
};
use crate::error::AppError;

/// Who is calling the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiClient {
    /// Every company's requests, and erasing candidates.
    Marketplace,
    /// One company's requests only.
    Company(i64),
}

impl ApiClient {
    /// True when this client may see or answer a request of `tenant_id`.
    pub fn may_see(self, tenant_id: i64) -> bool {
        match self {
            ApiClient::Marketplace => true,
            ApiClient::Company(t) => t == tenant_id,
        }
    }
}

/// Creates a client; `company` (a tenant's public id) limits it to that company. Returns the
/// client's id and its token (shown once).
pub async fn create(
    db: &Db,
    name: &str,
    company: Option<&str>,
) -> Result<(String, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Validation(
            "Give the client a name (at most 100 characters).".into(),
        ));
    }
    let tenant = match company {
        Some(c) => Some(
            db.tenant_by_public_id(c)
                .await?
                .ok_or_else(|| AppError::Validation(format!("No company with id {c:?}.")))?
                .0,
        ),
        None => None,
    };
    let (id, token) = (public_id(), format!("atsb_{}", secret_token()));
    db.insert_api_client(&id, name, tenant, &hash_token(&token))
        .await?;
    Ok((id, token))
}

/// The client a bearer token belongs to, if it is known and not revoked.
pub async fn authenticate(db: &Db, token: &str) -> anyhow::Result<Option<ApiClient>> {
    Ok(db
        .use_api_client(&hash_token(token))
        .await?
        .map(|scope| scope.map_or(ApiClient::Marketplace, ApiClient::Company)))
}

/// Revokes a client at once; false when no active client has that id.
pub async fn revoke(db: &Db, id: &str) -> anyhow::Result<bool> {
    Ok(db.revoke_api_client(id).await?)
}
