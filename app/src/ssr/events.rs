//! Live updates: whatever sync, webhooks or pushes change is announced per tenant, and open
//! dashboard pages hear it over server-sent events (`GET /events`) and refetch. With several
//! server processes on PostgreSQL, announcements travel through `LISTEN/NOTIFY`, so a page
//! connected to one process hears what another process changed.

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::{auth, db::Db, state::AppState};

/// The PostgreSQL channel announcements travel on.
const CHANNEL: &str = "atsb_events";

/// Something a tenant's pages should show: what kind of record changed and its public id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub tenant: i64,
    /// `request`, `sync` or `connection`.
    pub kind: String,
    pub id: Option<String>,
}

/// This process's fan-out to its open event streams.
#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<Change>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            tx: broadcast::channel(1024).0,
        }
    }
}

/// Announces a change. On PostgreSQL it goes out through NOTIFY and comes back to every
/// process (this one included) through its listener; on SQLite (one process) it goes straight
/// to this process's streams. Failing to announce never fails the change itself.
pub async fn publish(state: &AppState, tenant: i64, kind: &str, id: Option<&str>) {
    let change = Change {
        tenant,
        kind: kind.to_string(),
        id: id.map(str::to_string),
    };
    match &state.db {
        Db::Postgres(pool) => {
            let payload = serde_json::to_string(&change).unwrap_or_default();
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
                .execute(pool)
                .await
            {
                tracing::warn!("announcing a change failed: {e}");
            }
        }
        Db::Sqlite(_) => {
            let _ = state.events.tx.send(change);
        }
    }
}

/// On PostgreSQL, listens for every process's announcements and hands them to this process's
/// streams; reconnects after a lost connection.
pub fn spawn_listener(state: &AppState) {
    let Db::Postgres(pool) = state.db.clone() else {
        return;
    };
    let tx = state.events.tx.clone();
    tokio::spawn(async move {
        loop {
            let listened = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                loop {
                    let n = listener.recv().await?;
                    if let Ok(change) = serde_json::from_str::<Change>(n.payload()) {
                        let _ = tx.send(change);
                    }
                }
                #[allow(unreachable_code)]
                Ok::<(), sqlx::Error>(())
            }
            .await;
            if let Err(e) = listened {
                tracing::warn!("listening for changes failed ({e}); retrying in 2 s");
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

/// `GET /events`: the signed-in hiring manager's tenant's changes as server-sent events
/// (`event: changed`, data `{"kind": ..., "id": ...}`), with keep-alives.
pub async fn stream(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let session = match headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::token_from_cookie_header)
    {
        Some(token) => auth::session(&state.db, token).await.ok().flatten(),
        None => None,
    };
    let Some(member) = session.and_then(|s| s.member()) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let tenant = member.tenant_id();
    let rx = state.events.tx.subscribe();
    let changes = futures::stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(c) if c.tenant == tenant => {
                    let data = serde_json::json!({ "kind": c.kind, "id": c.id }).to_string();
                    return Some((
                        Ok::<_, Infallible>(Event::default().event("changed").data(data)),
                        rx,
                    ));
                }
                Ok(_) => continue,
                // Missed some: tell the page to refetch everything.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let data = r#"{"kind":"all","id":null}"#;
                    return Some((Ok(Event::default().event("changed").data(data)), rx));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(changes)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
