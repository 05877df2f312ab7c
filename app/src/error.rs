//! `AppError`: what a user can act on, shared by browser and server.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Errors a page can show. Messages are written for the person reading them; database and
/// upstream details never reach the browser (they are logged with a reference instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Please sign in.")]
    Unauthorized,
    #[error("You are not allowed to do this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// A link that expired or was already used: the message says what to do instead.
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Upstream(String),
    /// Too many attempts (sign-in throttling): the message says when to try again.
    #[error("{0}")]
    Throttled(String),
    #[error("Something went wrong on our side (reference {0}).")]
    Internal(String),
    #[error("The request could not be sent: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Gone(_) => 410,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Upstream(_) => 502,
            AppError::Throttled(_) => 429,
            AppError::Internal(_) | AppError::Transport(_) => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
