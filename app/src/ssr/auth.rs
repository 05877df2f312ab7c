//! Sign-in and capabilities. Checking the session yields a capability value
//! (`TenantMember`, `TenantAdmin`, `Support`); domain functions take one, and only this
//! module can make them, so an unchecked or cross-tenant call does not compile.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use chrono::Duration;

use super::{
    crypto::{hash_token, secret_token},
    db::Db,
    repo::accounts::{LoginRow, Role, SessionLogin},
};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "atsb_session";
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 7;

/// A hiring manager of one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantMember {
    tenant_id: i64,
    login_id: i64,
    zone: chrono_tz::Tz,
}

impl TenantMember {
    /// The tenant every query of this member is scoped by.
    pub fn tenant_id(&self) -> i64 {
        self.tenant_id
    }

    /// Who is acting.
    pub fn login_id(&self) -> i64 {
        self.login_id
    }

    /// The time zone this person reads times in (UTC until one is saved).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.zone
    }
}

/// A company admin of one tenant (may connect the ATS and pick the verification admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantAdmin {
    member: TenantMember,
}

impl TenantAdmin {
    /// The admin is also a member.
    pub fn member(&self) -> TenantMember {
        self.member
    }

    pub fn tenant_id(&self) -> i64 {
        self.member.tenant_id
    }
}

/// Marketplace support staff: cross-tenant, read-mostly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Support {
    login_id: i64,
    zone: chrono_tz::Tz,
}

impl Support {
    pub fn login_id(&self) -> i64 {
        self.login_id
    }

    /// The time zone this person reads times in.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.zone
    }
}

/// A signed-in person, before a capability is demanded.
#[derive(Debug, Clone)]
pub struct Session {
    pub login: SessionLogin,
}

impl Session {
    /// The role stored for this login.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.login.role)
    }

    /// The login's saved time zone (UTC until one is saved).
    fn zone(&self) -> chrono_tz::Tz {
        self.login
            .time_zone
            .as_deref()
            .and_then(super::settings::parse_zone)
            .unwrap_or(chrono_tz::UTC)
    }

    /// A hiring manager (admin or not) of their own tenant.
    pub fn member(&self) -> Option<TenantMember> {
        match (self.role()?, self.login.tenant_id) {
            (Role::Admin | Role::Member, Some(tenant_id)) => Some(TenantMember {
                tenant_id,
                login_id: self.login.login_id,
                zone: self.zone(),
            }),
            _ => None,
        }
    }

    /// A company admin of their own tenant.
    pub fn admin(&self) -> Option<TenantAdmin> {
        match self.role()? {
            Role::Admin => self.member().map(|member| TenantAdmin { member }),
            _ => None,
        }
    }

    /// Marketplace support staff.
    pub fn support(&self) -> Option<Support> {
        (self.role()? == Role::Support).then(|| Support {
            login_id: self.login.login_id,
            zone: self.zone(),
        })
    }
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A precomputed hash so an unknown e-mail costs as much time as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not-a-real-password").unwrap_or_default())
}

/// A successful sign-in: the new session's token (for the cookie) and who signed in.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub role: Option<Role>,
}

/// Checks `password` against `login` (None: an unknown e-mail, checked against a dummy hash so
/// it costs as much time) and opens a session. On a first sign-in, `browser_zone` (the
/// browser's IANA zone, when JavaScript sent it) becomes the login's time zone.
async fn open_session(
    db: &Db,
    login: Option<&LoginRow>,
    password: &str,
    browser_zone: Option<&str>,
) -> anyhow::Result<Option<SignedIn>> {
    let ok = match login {
        Some(l) => verify_password(password, &l.password_hash),
        None => {
            verify_password(password, dummy_hash());
            false
        }
    };
    let Some(login) = login.filter(|_| ok) else {
        return Ok(None);
    };
    let token = secret_token();
    let expires = super::repo::now() + Duration::days(SESSION_DAYS);
    db.insert_session(&hash_token(&token), login.id, expires)
        .await?;
    if let Some(zone) = browser_zone.and_then(super::settings::parse_zone) {
        db.set_time_zone(login.id, zone.name(), true).await?;
    }
    Ok(Some(SignedIn {
        token,
        role: Role::parse(&login.role),
    }))
}

/// Signs in from a request to the sign-in form: refused while the account or the client IP is
/// throttled, audited either way, and rotating the session the browser brought. Returns the
/// new session, or None for a wrong e-mail or password.
pub async fn sign_in_request(
    state: &super::AppState,
    parts: &http::request::Parts,
    email: &str,
    password: &str,
    browser_zone: Option<&str>,
) -> Result<Option<SignedIn>, crate::error::AppError> {
    use super::{
        audit::{self, Actor},
        throttle,
    };
    let db = &state.db;
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let forwarded = parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    let client_ip = throttle::client_ip(peer, forwarded, state.config.trusted_proxy);
    let now_ms = chrono::Utc::now().timestamp_millis();
    throttle::check(db, email, &client_ip, now_ms).await?;
    let account = db.login_by_email(email).await?;
    // The audit log belongs to the account's company (an unknown address has none).
    let tenant = account.as_ref().and_then(|l| l.tenant_id);
    let Some(signed_in) = open_session(db, account.as_ref(), password, browser_zone).await? else {
        tracing::info!(client_ip, "failed sign-in");
        throttle::failed(db, email, &client_ip, now_ms).await?;
        if tenant.is_some() {
            let actor = Actor::Anonymous {
                client_ip: &client_ip,
            };
            let detail = format!("as {}", email.trim().to_lowercase());
            audit::record(db, tenant, actor, audit::action::SIGN_IN_FAILED, &detail).await;
        }
        return Ok(None);
    };
    throttle::succeeded(db, email).await?;
    if let Some(l) = &account {
        let actor = Actor::Login {
            id: l.id,
            name: &l.name,
        };
        audit::record(db, tenant, actor, audit::action::SIGN_IN, &client_ip).await;
    }
    // A new session on every sign-in; the one the browser brought (if any) ends.
    if let Some(old) = parts
        .headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(token_from_cookie_header)
    {
        sign_out(db, old).await?;
    }
    Ok(Some(signed_in))
}

/// The session behind a cookie token, if it is live.
pub async fn session(db: &Db, token: &str) -> anyhow::Result<Option<Session>> {
    Ok(db
        .session_login(&hash_token(token))
        .await?
        .map(|login| Session { login }))
}

/// Ends the session server-side.
pub async fn sign_out(db: &Db, token: &str) -> anyhow::Result<()> {
    db.delete_session(&hash_token(token)).await?;
    Ok(())
}

/// The session token in a `Cookie` header value.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == SESSION_COOKIE && !v.is_empty()).then_some(v)
    })
}

/// The `Set-Cookie` value for a new session (HttpOnly, SameSite=Lax, Secure over https).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_DAYS * 86_400
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hashes_verify_only_the_right_password() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn session_token_is_found_among_other_cookies() {
        assert_eq!(
            token_from_cookie_header("a=1; atsb_session=tok; b=2"),
            Some("tok")
        );
        assert_eq!(token_from_cookie_header("atsb_session="), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
    }
}
