//! Connecting a tenant's ATS through Merge Link: the link token, then the public-token
//! exchange, which stores the connection only when every step succeeded.

use merge::types::LinkTokenRequest;

use super::{auth::TenantAdmin, repo::connections::NewConnection, state::AppState};
use crate::error::AppError;

/// Creates a single-use Merge link token for the admin's tenant. The tenant's public id is
/// the `end_user_origin_id`, so relinking repairs the same linked account.
pub async fn create_link_token(
    state: &AppState,
    admin: &TenantAdmin,
    email: &str,
) -> Result<String, AppError> {
    let (origin_id, name) = state.db.tenant(admin.tenant_id()).await?;
    let req = LinkTokenRequest {
        end_user_email_address: email.to_string(),
        end_user_organization_name: name,
        end_user_origin_id: origin_id,
        categories: vec!["ats".into()],
        ..Default::default()
    };
    Ok(state.merge.create_link_token(&req).await?.link_token)
}

/// Exchanges the `public_token` Merge Link handed to the browser, reads the linked account,
/// and stores the connection (token encrypted). Nothing is stored if any step fails.
pub async fn complete_link(
    state: &AppState,
    admin: &TenantAdmin,
    public_token: &str,
) -> Result<(), AppError> {
    let public_token = public_token.trim();
    if public_token.is_empty() || public_token.len() > 200 {
        return Err(AppError::Validation(
            "Merge Link did not return a valid token.".into(),
        ));
    }
    let exchange_failed = |e: merge::MergeError| {
        tracing::warn!("public token exchange failed: {e}");
        AppError::Upstream(
            "Merge could not confirm the connection (the link may have expired). Nothing was \
             changed — please click Connect ATS and try again."
                .into(),
        )
    };
    let account = state
        .merge
        .exchange_public_token(public_token)
        .await
        .map_err(exchange_failed)?;
    let details = super::retry::once(
        state,
        admin.tenant_id(),
        state.merge.account_details(&account.account_token),
    )
    .await?;
    let (origin_id, _) = state.db.tenant(admin.tenant_id()).await?;
    if details
        .end_user_origin_id
        .as_deref()
        .is_some_and(|o| o != origin_id)
    {
        tracing::warn!("linked account {} belongs to another origin id", details.id);
        return Err(AppError::Forbidden);
    }
    let actions = super::retry::once(
        state,
        admin.tenant_id(),
        state.merge.available_actions(&account.account_token),
    )
    .await?;
    let integration_name = details
        .integration
        .clone()
        .or_else(|| account.integration.as_ref().and_then(|i| i.name.clone()))
        .unwrap_or_else(|| "ATS".into());
    let slug = details
        .integration_slug
        .clone()
        .or_else(|| account.integration.as_ref().and_then(|i| i.slug.clone()))
        .unwrap_or_default();
    let status = details
        .status
        .as_ref()
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| "COMPLETE".into());
    let sealed = state.crypto.encrypt(&account.account_token)?;
    state
        .db
        .save_connection(
            admin.tenant_id(),
            &NewConnection {
                linked_account_id: account.id.as_deref().unwrap_or(&details.id),
                account_token_enc: &sealed,
                integration_name: &integration_name,
                integration_slug: &slug,
                status: &status,
                requires_remote_user_id: actions.any_write_requires_remote_user_id(),
            },
        )
        .await?;
    tracing::info!(tenant = admin.tenant_id(), integration = %integration_name, "ATS connected");
    super::audit::by_member(
        &state.db,
        &admin.member(),
        super::audit::action::CONNECT,
        &format!("{integration_name} (linked account {})", details.id),
    )
    .await;
    // Writes that waited for a (re)link resume now.
    state.db.requeue_waiting_pushes(admin.tenant_id()).await?;
    state.push_wake.notify_one();
    super::sync::request_sync(state, admin.tenant_id(), true).await?;
    Ok(())
}

/// Disconnects the tenant's ATS. `confirm` must name the connected ATS (the confirmation the
/// admin clicked), so a stale page cannot disconnect a different connection. Merge deletes the
/// linked account first (`POST /delete-account`); if Merge refuses, nothing here changes.
/// Returns the ATS's name and how many queued pushes were cancelled.
pub async fn disconnect(
    state: &AppState,
    admin: &TenantAdmin,
    confirm: &str,
) -> Result<(String, u64), AppError> {
    let t = admin.tenant_id();
    let conn = state
        .db
        .connection(t)
        .await?
        .ok_or_else(|| AppError::Validation("No ATS is connected.".into()))?;
    if confirm.trim() != conn.integration_name {
        return Err(AppError::Validation(format!(
            "Confirm by disconnecting {}, the ATS that is connected now.",
            conn.integration_name
        )));
    }
    let token = state.crypto.decrypt(&conn.account_token_enc)?;
    match super::retry::once(state, t, state.merge.delete_account(&token)).await {
        // Already gone at Merge: finish the job here.
        Ok(()) | Err(merge::MergeError::Unauthorized) => {}
        Err(e) => {
            tracing::warn!(
                tenant = t,
                "Merge refused to delete the linked account: {e}"
            );
            return Err(AppError::Upstream(format!(
                "Merge could not delete the linked account ({}). Nothing was changed; try again.",
                super::merge_errors::describe(&e)
            )));
        }
    }
    let reason = format!(
        "Cancelled: {} was disconnected. Connect an ATS and send the request again.",
        conn.integration_name
    );
    let cancelled = state.db.disconnect(t, &reason).await?;
    tracing::info!(tenant = t, integration = %conn.integration_name, cancelled, "ATS disconnected");
    super::audit::by_member(
        &state.db,
        &admin.member(),
        super::audit::action::DISCONNECT,
        &format!(
            "{}; {cancelled} queued push(es) cancelled",
            conn.integration_name
        ),
    )
    .await;
    Ok((conn.integration_name, cancelled))
}
