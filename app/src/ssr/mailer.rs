//! E-mail to people who sign in (invitations, password resets): by SMTP when `ATSB_SMTP_URL`
//! is configured, else, with the embedded sandbox, into the demo mailbox page.

use lettre::{
    message::header::ContentType, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use secrecy::ExposeSecret;

use super::state::AppState;
use crate::error::AppError;

/// Sends one message whose point is `link`.
pub async fn send(
    state: &AppState,
    to: &str,
    subject: &str,
    body: &str,
    link: &str,
) -> Result<(), AppError> {
    if let Some(smtp) = &state.config.smtp {
        let message = Message::builder()
            .from(smtp.from.parse().map_err(|e| {
                tracing::error!("ATSB_MAIL_FROM is not an address: {e}");
                AppError::Internal("mail-from".into())
            })?)
            .to(to
                .parse()
                .map_err(|_| AppError::Validation(format!("{to:?} is not an e-mail address.")))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(format!("{body}\n\n{link}\n"))
            .map_err(|e| {
                tracing::error!("building an e-mail: {e}");
                AppError::Internal("mail-build".into())
            })?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.expose_secret())
            .map_err(|e| {
                tracing::error!("ATSB_SMTP_URL is not usable: {e}");
                AppError::Internal("smtp-url".into())
            })?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        transport.send(message).await.map_err(|e| {
            tracing::error!("sending e-mail failed: {e}");
            AppError::Upstream("The e-mail could not be sent; try again in a minute.".into())
        })?;
        return Ok(());
    }
    if state.config.is_sandbox() {
        state.db.insert_mail(to, subject, body, link).await?;
        return Ok(());
    }
    tracing::error!("no mailer: set ATSB_SMTP_URL and ATSB_MAIL_FROM");
    Err(AppError::Validation(
        "E-mail is not configured on this server (ATSB_SMTP_URL); ask the operator.".into(),
    ))
}
