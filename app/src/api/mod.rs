//! Server functions and the wire types they exchange, one module per area.
//!
//! Form-backed functions end with a redirect back to their page carrying a flash message
//! (`?notice=` or `?error=`), so the same form works with and without JavaScript.

pub mod activity;
pub mod integration;
pub mod onboarding;
pub mod positions;
pub mod requests;
pub mod session;
pub mod settings;
pub mod support;

/// Where a form goes after it ran: back to `page` with the outcome as a flash message. The
/// outcome travels in the redirect, not in the function's result, because a browser without
/// JavaScript only follows the redirect and the hydrated router only follows it on success.
/// Signed-out callers are the exception: they get the 401 itself, as every other caller does.
#[cfg(feature = "ssr")]
pub(crate) fn back<T>(
    page: &str,
    result: Result<T, crate::error::AppError>,
    notice: &str,
) -> Result<(), crate::error::AppError> {
    if let Err(crate::error::AppError::Unauthorized) = result {
        return Err(crate::error::AppError::Unauthorized);
    }
    let (key, text) = match &result {
        Ok(_) => ("notice", notice.to_string()),
        Err(e) => ("error", e.to_string()),
    };
    let nonce = &crate::ssr::crypto::public_id()[..6];
    let sep = if page.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{page}{sep}{key}={}&n={nonce}", urlencode(&text)));
    Ok(())
}

#[cfg(feature = "ssr")]
fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
