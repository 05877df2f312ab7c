//! How people get in. Support staff are created on the command line only; support creates a
//! company and invites its first hiring manager (a company admin); company admins invite
//! colleagues. Invitations and password resets are e-mailed links that are signed (a tampered
//! link is refused with 403), expire (410) and work once (410 after use).

use chrono::Duration;

use super::{
    audit::{self, Actor},
    auth::{hash_password, Support, TenantAdmin},
    crypto::LinkCheck,
    db::Db,
    mailer,
    repo::{
        accounts::Role,
        login_tokens::{LoginTokenRow, NewLoginToken, Purpose},
        now,
    },
    state::AppState,
};
use crate::error::AppError;

/// How long an invitation link works.
pub const INVITE_TTL: Duration = Duration::days(7);
/// How long a password-reset link works.
pub const RESET_TTL: Duration = Duration::hours(1);
/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// A random password for a login created without one (printed once by the command).
pub fn generated_password() -> String {
    super::crypto::secret_token().chars().take(20).collect()
}

fn email(address: &str) -> Result<String, AppError> {
    let a = address.trim().to_lowercase();
    let valid = a.len() <= 254
        && a.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !a.contains(char::is_whitespace);
    if valid {
        Ok(a)
    } else {
        Err(AppError::Validation(format!(
            "{:?} is not an e-mail address.",
            address.trim()
        )))
    }
}

fn name(text: &str, what: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 100 {
        return Err(AppError::Validation(format!(
            "Enter {what} (at most 100 characters)."
        )));
    }
    Ok(t.to_string())
}

fn password(p: &str) -> Result<(), AppError> {
    let n = p.chars().count();
    if !(MIN_PASSWORD..=200).contains(&n) {
        return Err(AppError::Validation(format!(
            "Choose a password of at least {MIN_PASSWORD} characters."
        )));
    }
    Ok(())
}

async fn unused_email(db: &Db, address: &str) -> Result<(), AppError> {
    if db.login_by_email(address).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "{address} already has an account: they can sign in (or reset their password)."
        )));
    }
    Ok(())
}

/// `server create-user --support`: a marketplace support login.
pub async fn create_support_user(
    db: &Db,
    address: &str,
    display_name: &str,
    pass: &str,
) -> Result<(), AppError> {
    let address = email(address)?;
    let display_name = name(display_name, "a name")?;
    password(pass)?;
    unused_email(db, &address).await?;
    let hash = hash_password(pass).map_err(|e| AppError::Internal(e.to_string()))?;
    db.create_login(None, &address, &display_name, &hash, Role::Support)
        .await?;
    Ok(())
}

/// The link for a stored invitation or reset.
fn link(state: &AppState, purpose: Purpose, id: &str, ttl: Duration) -> String {
    let token = state.crypto.sign_link(purpose.as_str(), id, now() + ttl);
    let mut u = state.config.public_url.clone();
    let page = match purpose {
        Purpose::Invite => "invite",
        Purpose::Reset => "reset",
    };
    u.set_path(&format!("/{page}/{token}"));
    u.to_string()
}

/// Stores and e-mails an invitation to `tenant_id` with `role`.
async fn send_invitation(
    state: &AppState,
    tenant_id: i64,
    company: &str,
    address: &str,
    role: Role,
    by: Option<i64>,
) -> Result<(), AppError> {
    let id = state
        .db
        .insert_login_token(&NewLoginToken {
            purpose: Purpose::Invite,
            tenant_id: Some(tenant_id),
            role: Some(role),
            login_id: None,
            email: address,
            created_by: by,
            expires_at: now() + INVITE_TTL,
        })
        .await?;
    let url = link(state, Purpose::Invite, &id, INVITE_TTL);
    let body = format!(
        "You are invited to ATS Bridge for {company}: it connects {company}'s applicant tracking \
         system to the marketplace. Open the link to choose your name and password (it works once, \
         for {} days).",
        INVITE_TTL.num_days()
    );
    mailer::send(
        state,
        address,
        &format!("Join {company} on ATS Bridge"),
        &body,
        &url,
    )
    .await
}

/// Support creates a company and invites its first hiring manager as company admin. Returns
/// the company's public id.
pub async fn create_company(
    state: &AppState,
    support: &Support,
    company: &str,
    admin_email: &str,
) -> Result<String, AppError> {
    let company = name(company, "the company's name")?;
    let address = email(admin_email)?;
    unused_email(&state.db, &address).await?;
    if state.db.tenant_named(&company).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "A company called {company} exists already; open it from the table."
        )));
    }
    let tenant = state.db.create_tenant(&company).await?;
    // Its health exists from the start (disconnected), not only from the next periodic pass.
    if let Err(e) = super::health::refresh(state).await {
        tracing::warn!("evaluating health after creating a company: {e:#}");
    }
    let actor = || Actor::Support(support);
    audit::record(
        &state.db,
        Some(tenant),
        actor(),
        audit::action::CREATE_TENANT,
        &company,
    )
    .await;
    send_invitation(
        state,
        tenant,
        &company,
        &address,
        Role::Admin,
        Some(support.login_id()),
    )
    .await?;
    let detail = format!("{address} as company admin");
    audit::record(
        &state.db,
        Some(tenant),
        actor(),
        audit::action::INVITE,
        &detail,
    )
    .await;
    Ok(state.db.tenant(tenant).await?.0)
}

/// A company admin invites a colleague.
pub async fn invite(
    state: &AppState,
    admin: &TenantAdmin,
    address: &str,
    make_admin: bool,
) -> Result<String, AppError> {
    let address = email(address)?;
    unused_email(&state.db, &address).await?;
    let (_, company) = state.db.tenant(admin.tenant_id()).await?;
    let role = if make_admin {
        Role::Admin
    } else {
        Role::Member
    };
    let member = admin.member();
    send_invitation(
        state,
        admin.tenant_id(),
        &company,
        &address,
        role,
        Some(member.login_id()),
    )
    .await?;
    let detail = format!(
        "{address} as {}",
        if make_admin {
            "company admin"
        } else {
            "hiring manager"
        }
    );
    audit::by_member(&state.db, &member, audit::action::INVITE, &detail).await;
    Ok(address)
}

/// The stored row a link names: 403 when tampered, 410 when expired or used.
async fn check(
    state: &AppState,
    purpose: Purpose,
    token: &str,
) -> Result<(String, LoginTokenRow), AppError> {
    let spent = || {
        AppError::Gone(
            match purpose {
                Purpose::Invite => {
                    "This invitation has expired or was already used. Ask for a new one."
                }
                Purpose::Reset => "This link has expired or was already used. Ask for a new one.",
            }
            .into(),
        )
    };
    let id = match state.crypto.verify_link(purpose.as_str(), token, now()) {
        LinkCheck::Valid(id) => id,
        LinkCheck::Expired => return Err(spent()),
        LinkCheck::Invalid => return Err(AppError::Forbidden),
    };
    let row = state
        .db
        .login_token(&id, purpose)
        .await?
        .ok_or(AppError::Forbidden)?;
    if row.used_at.is_some() || row.expires_at <= now() {
        return Err(spent());
    }
    Ok((id, row))
}

/// What an invitation offers: the company, the address and whether as admin.
pub async fn invitation(state: &AppState, token: &str) -> Result<(String, String, bool), AppError> {
    let (_, row) = check(state, Purpose::Invite, token).await?;
    Ok((
        row.company.unwrap_or_default(),
        row.email,
        row.role.as_deref() == Some("admin"),
    ))
}

/// Accepts an invitation: the new login gets `display_name` and `pass`.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    display_name: &str,
    pass: &str,
) -> Result<(), AppError> {
    let (id, row) = check(state, Purpose::Invite, token).await?;
    let display_name = name(display_name, "your name")?;
    password(pass)?;
    unused_email(&state.db, &row.email).await?;
    let hash = hash_password(pass).map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(login) = state
        .db
        .accept_invitation(&id, &display_name, &hash)
        .await?
    else {
        return Err(AppError::Gone(
            "This invitation was already used. Sign in, or ask for a new one.".into(),
        ));
    };
    let actor = Actor::Login {
        id: login,
        name: &display_name,
    };
    audit::record(
        &state.db,
        row.tenant_id,
        actor,
        audit::action::ACCEPT_INVITE,
        &row.email,
    )
    .await;
    Ok(())
}

/// E-mails a password-reset link if the address has an account. Says nothing either way, so
/// the form does not tell who has an account.
pub async fn request_reset(state: &AppState, address: &str) -> Result<(), AppError> {
    let address = email(address)?;
    let Some(login) = state.db.login_by_email(&address).await? else {
        tracing::info!("password reset asked for an unknown address");
        return Ok(());
    };
    let id = state
        .db
        .insert_login_token(&NewLoginToken {
            purpose: Purpose::Reset,
            tenant_id: None,
            role: None,
            login_id: Some(login.id),
            email: &address,
            created_by: None,
            expires_at: now() + RESET_TTL,
        })
        .await?;
    let url = link(state, Purpose::Reset, &id, RESET_TTL);
    let body = format!(
        "Someone asked to reset the ATS Bridge password of {address}. If it was you, open the link \
         within {} minutes to choose a new one (it works once). If not, ignore this message.",
        RESET_TTL.num_minutes()
    );
    mailer::send(
        state,
        &address,
        "Reset your ATS Bridge password",
        &body,
        &url,
    )
    .await
}

/// The address a reset link is for.
pub async fn reset_for(state: &AppState, token: &str) -> Result<String, AppError> {
    Ok(check(state, Purpose::Reset, token).await?.1.email)
}

/// Sets a new password with a reset link; every session of the login ends.
pub async fn reset_password(state: &AppState, token: &str, pass: &str) -> Result<(), AppError> {
    let (id, row) = check(state, Purpose::Reset, token).await?;
    password(pass)?;
    let hash = hash_password(pass).map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(login) = state.db.use_password_reset(&id, &hash).await? else {
        return Err(AppError::Gone(
            "This link was already used. Ask for a new one.".into(),
        ));
    };
    if let Some(l) = state.db.login_by_email(&row.email).await? {
        let actor = Actor::Login {
            id: login,
            name: &l.name,
        };
        audit::record(
            &state.db,
            l.tenant_id,
            actor,
            audit::action::RESET_PASSWORD,
            "",
        )
        .await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_names_and_passwords_are_checked() {
        assert_eq!(email(" Ada@Example.COM ").unwrap(), "ada@example.com");
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
        ] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
        assert!(name("  ", "a name").is_err());
        assert_eq!(name(" Ada ", "a name").unwrap(), "Ada");
        assert!(password("short").is_err());
        assert!(password("long enough pass").is_ok());
        assert_eq!(generated_password().len(), 20);
    }
}
