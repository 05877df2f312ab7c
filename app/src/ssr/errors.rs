//! Conversions from server-side errors to `AppError`: the cause is logged with a reference,
//! the browser gets a message it can act on.

use crate::error::AppError;

fn reference() -> String {
    super::crypto::public_id()[..8].to_string()
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            if db.is_unique_violation() {
                return AppError::Conflict("That already exists.".into());
            }
        }
        let r = reference();
        tracing::error!(reference = %r, "database error: {e}");
        AppError::Internal(r)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        let r = reference();
        tracing::error!(reference = %r, "internal error: {e:#}");
        AppError::Internal(r)
    }
}

impl From<merge::MergeError> for AppError {
    fn from(e: merge::MergeError) -> Self {
        let r = reference();
        tracing::warn!(reference = %r, "Merge call failed: {e}");
        AppError::Upstream(format!(
            "The ATS connection did not answer as expected ({}). Try again in a minute; if it keeps \
             failing, contact support with reference {r}.",
            super::merge_errors::describe(&e)
        ))
    }
}
