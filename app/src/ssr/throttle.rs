//! Sign-in throttling: after too many failed sign-ins for one account, or from one client IP,
//! within a window, further attempts are refused — even with the right password — until the
//! oldest failure leaves the window. Counts live in the database, so every server process
//! applies the same limits. The client IP is the peer address, or, when the peer is the
//! configured trusted proxy (`ATSB_TRUSTED_PROXY`), the address that proxy put last in
//! `X-Forwarded-For`; a forwarded header from anyone else is ignored.

use std::net::{IpAddr, SocketAddr};

use super::db::Db;
use crate::error::AppError;

/// Failed sign-ins one account may have within [`WINDOW_MS`].
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed sign-ins one client IP may have within [`WINDOW_MS`] (a shared office NAT signs in
/// to many accounts; a guesser tries many).
pub const IP_LIMIT: i64 = 20;
/// The window the limits apply to: 15 minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// The address a request came from, honouring `X-Forwarded-For` only from the trusted proxy.
pub fn client_ip(
    peer: Option<SocketAddr>,
    forwarded_for: Option<&str>,
    trusted_proxy: Option<IpAddr>,
) -> String {
    let peer_ip = peer.map(|p| p.ip());
    if let (Some(peer_ip), Some(proxy), Some(list)) = (peer_ip, trusted_proxy, forwarded_for) {
        if peer_ip == proxy {
            // The proxy appends the address it saw: the last entry is the one it vouches for.
            if let Some(ip) = list
                .rsplit(',')
                .next()
                .and_then(|s| s.trim().parse::<IpAddr>().ok())
            {
                return ip.to_string();
            }
        }
    }
    peer_ip.map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// Refuses the attempt when the account or the client IP is over its limit.
pub async fn check(db: &Db, email: &str, client_ip: &str, now_ms: i64) -> Result<(), AppError> {
    let (by_account, by_ip) = db
        .login_failures(&normalise(email), client_ip, now_ms - WINDOW_MS)
        .await?;
    if by_account >= ACCOUNT_LIMIT || by_ip >= IP_LIMIT {
        tracing::warn!(client_ip, by_account, by_ip, "sign-in throttled");
        return Err(AppError::Throttled(
            "Too many failed sign-ins. Wait 15 minutes, or reset your password.".into(),
        ));
    }
    Ok(())
}

/// Counts a failed attempt.
pub async fn failed(db: &Db, email: &str, client_ip: &str, now_ms: i64) -> anyhow::Result<()> {
    db.record_login_failure(&normalise(email), client_ip, now_ms, now_ms - WINDOW_MS)
        .await?;
    Ok(())
}

/// Forgets an account's failures after it signed in.
pub async fn succeeded(db: &Db, email: &str) -> anyhow::Result<()> {
    db.clear_login_failures(&normalise(email)).await?;
    Ok(())
}

fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_from_the_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let via_proxy = Some("10.0.0.1:5000".parse().unwrap());
        let direct = Some("203.0.113.9:5000".parse().unwrap());
        let xff = Some("198.51.100.1, 192.0.2.7");
        assert_eq!(client_ip(via_proxy, xff, Some(proxy)), "192.0.2.7");
        assert_eq!(
            client_ip(direct, xff, Some(proxy)),
            "203.0.113.9",
            "forged by a client"
        );
        assert_eq!(
            client_ip(via_proxy, xff, None),
            "10.0.0.1",
            "no proxy configured"
        );
        assert_eq!(
            client_ip(via_proxy, Some("garbage"), Some(proxy)),
            "10.0.0.1"
        );
        assert_eq!(client_ip(None, None, None), "unknown");
    }
}
