//! Tenant health: each tenant's facts (Merge's account status, the latest sync runs, our push
//! queue, the verification admin) become one word and what to do about it. A periodic pass
//! keeps the word in `tenant_health` with hysteresis: a change is shown only once it has held
//! for `ATSB_HEALTH_HOLD_SECS`, except what Merge or the company decided (relink needed,
//! disconnected) and the end of the first sync, which are shown at once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{
    repo::health::{Facts, HealthRecord, StoredHealth},
    state::AppState,
};
use crate::health::Health;

/// A push queued or waiting longer than this counts as stuck.
pub const STUCK_AFTER: chrono::Duration = chrono::Duration::minutes(30);
/// A connected tenant without a successful sync for this long needs attention.
pub const STALE_AFTER: chrono::Duration = chrono::Duration::hours(24);

/// One evaluation of a tenant's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub health: Health,
    /// What to do, one sentence per problem.
    pub problems: Vec<String>,
}

/// What the facts say now, with what to do about each problem.
pub fn observe(f: &Facts, now: DateTime<Utc>) -> Observation {
    let only = |health, why: &str| Observation {
        health,
        problems: vec![why.to_string()],
    };
    match f.connection_status.as_deref() {
        None => {
            return only(
                Health::Disconnected,
                "No ATS is connected: a company admin connects it on the Integration page.",
            )
        }
        Some(super::webhooks::DELETED) => {
            return only(
                Health::Disconnected,
                "Merge reports the linked account as deleted: a company admin connects the ATS again.",
            )
        }
        Some("RELINK_NEEDED") => {
            return only(
                Health::RelinkNeeded,
                "The ATS connection must be relinked: a company admin clicks Relink on the Integration page.",
            )
        }
        Some(_) => {}
    }
    let mut problems = Vec::new();
    if let Some(why) = &f.admin_problem {
        problems.push(format!(
            "The ATS refused the verification admin ({why}): choose another on the Integration page."
        ));
    } else if f.requires_admin && !f.admin_chosen {
        problems.push(
            "No verification admin is chosen: writes to the ATS wait until one is chosen on the Integration page."
                .into(),
        );
    }
    if f.failed_pushes > 0 {
        problems.push(format!(
            "{} push(es) to the ATS failed: open them on the Interview requests page and retry.",
            f.failed_pushes
        ));
    }
    if f.stuck_pushes > 0 {
        problems.push(format!(
            "{} push(es) have waited more than {} minutes: look at why on the Interview requests page.",
            f.stuck_pushes,
            STUCK_AFTER.num_minutes()
        ));
    }
    if f.last_run_state.as_deref() == Some("failed") {
        problems.push(format!(
            "The last sync failed ({}): it is retried on schedule; Sync now tries at once.",
            f.last_run_error.as_deref().unwrap_or("no reason given")
        ));
    }
    let first_sync_pending = f.last_success_at.is_none();
    let stale_since = f.last_success_at.unwrap_or(f.linked_at.unwrap_or(now));
    if now - stale_since > STALE_AFTER {
        problems.push(
            "No successful sync in 24 hours: try Sync now, then check the ATS connection.".into(),
        );
    }
    if !problems.is_empty() {
        return Observation {
            health: Health::NeedsAttention,
            problems,
        };
    }
    if first_sync_pending {
        return only(Health::Syncing, "The first sync is under way.");
    }
    Observation {
        health: Health::Healthy,
        problems: Vec::new(),
    }
}

/// The stored health after an observation: the hysteresis rule.
pub fn settle(
    prev: Option<&StoredHealth>,
    obs: &Observation,
    now: DateTime<Utc>,
    hold: chrono::Duration,
) -> StoredHealth {
    let reason = obs.problems.join("\n");
    let Some(prev) = prev else {
        return StoredHealth {
            health: obs.health,
            reason,
            since: now,
            observed: obs.health,
            observed_since: now,
        };
    };
    let observed_since = if prev.observed == obs.health {
        prev.observed_since
    } else {
        now
    };
    let at_once = matches!(obs.health, Health::RelinkNeeded | Health::Disconnected)
        || (prev.health == Health::Syncing && obs.health == Health::Healthy);
    let switch = obs.health != prev.health && (at_once || now - observed_since >= hold);
    match (obs.health == prev.health, switch) {
        // Same word: its reasons are kept current.
        (true, _) => StoredHealth {
            health: prev.health,
            reason,
            since: prev.since,
            observed: obs.health,
            observed_since,
        },
        (false, true) => StoredHealth {
            health: obs.health,
            reason,
            since: now,
            observed: obs.health,
            observed_since,
        },
        // A change that has not held yet: what is shown stays.
        (false, false) => StoredHealth {
            health: prev.health,
            reason: prev.reason.clone(),
            since: prev.since,
            observed: obs.health,
            observed_since,
        },
    }
}

/// Evaluates every tenant once and stores what changed; returns the tenants whose shown
/// health changed (their pages are told).
pub async fn refresh(state: &AppState) -> anyhow::Result<Vec<i64>> {
    let now = super::repo::now();
    let hold = chrono::Duration::from_std(state.config.health_hold).unwrap_or_default();
    let facts = state.db.health_facts(now - STUCK_AFTER).await?;
    let stored = state.db.stored_health().await?;
    let mut changed = Vec::new();
    let mut writes = Vec::new();
    for f in &facts {
        let prev = stored.get(&f.tenant_id);
        let obs = observe(f, now);
        let record = HealthRecord {
            shown: settle(prev.map(|r| &r.shown), &obs, now, hold),
            integration: f.integration.clone(),
            last_success_at: f.last_success_at,
            pending_pushes: f.pending_pushes,
            failed_pushes: f.failed_pushes,
            problems: obs.problems.len() as i64,
        };
        if prev.map(|p| p.shown.health) != Some(record.shown.health) {
            changed.push(f.tenant_id);
        }
        // Only rows that changed are written: most evaluations write nothing.
        if prev != Some(&record) {
            writes.push((f.tenant_id, record));
        }
    }
    state.db.save_health(&writes, now).await?;
    for &tenant in &changed {
        super::events::publish(state, tenant, "health", None).await;
    }
    Ok(changed)
}

/// Re-evaluates health every `ATSB_HEALTH_EVERY_SECS` until shutdown.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let every: Duration = state.config.health_every;
    loop {
        if let Err(e) = refresh(&state).await {
            tracing::error!("evaluating tenant health failed: {e}");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connected() -> Facts {
        Facts {
            connection_status: Some("COMPLETE".into()),
            requires_admin: true,
            admin_chosen: true,
            last_success_at: Some(Utc::now()),
            last_run_state: Some("succeeded".into()),
            linked_at: Some(Utc::now()),
            ..Facts::default()
        }
    }

    #[test]
    fn facts_give_one_word_and_what_to_do() {
        let now = Utc::now();
        assert_eq!(observe(&connected(), now).health, Health::Healthy);
        assert!(observe(&connected(), now).problems.is_empty());
        let none = Facts::default();
        assert_eq!(observe(&none, now).health, Health::Disconnected);
        let relink = Facts {
            connection_status: Some("RELINK_NEEDED".into()),
            failed_pushes: 3,
            ..connected()
        };
        assert_eq!(observe(&relink, now).health, Health::RelinkNeeded);
        let first = Facts {
            last_success_at: None,
            last_run_state: Some("running".into()),
            ..connected()
        };
        assert_eq!(observe(&first, now).health, Health::Syncing);
        let failing = Facts {
            failed_pushes: 2,
            admin_problem: Some("user is disabled".into()),
            ..connected()
        };
        let o = observe(&failing, now);
        assert_eq!(o.health, Health::NeedsAttention);
        assert_eq!(o.problems.len(), 2, "{o:?}");
        assert!(o.problems[0].contains("verification admin"), "{o:?}");
        assert!(o.problems[1].contains("2 push(es)"), "{o:?}");
        let stale = Facts {
            last_success_at: Some(now - chrono::Duration::hours(25)),
            ..connected()
        };
        assert!(observe(&stale, now).problems[0].contains("24 hours"));
        let no_admin = Facts {
            admin_chosen: false,
            ..connected()
        };
        assert_eq!(observe(&no_admin, now).health, Health::NeedsAttention);
        let sync_failed = Facts {
            last_run_state: Some("failed".into()),
            last_run_error: Some("Merge answered 502".into()),
            ..connected()
        };
        assert!(observe(&sync_failed, now).problems[0].contains("502"));
    }

    fn obs(health: Health) -> Observation {
        Observation {
            health,
            problems: vec![format!("{health:?}")],
        }
    }

    #[test]
    fn a_change_is_shown_only_once_it_has_held() {
        let hold = chrono::Duration::seconds(120);
        let t0 = Utc::now();
        let s = settle(None, &obs(Health::Healthy), t0, hold);
        assert_eq!(s.health, Health::Healthy);
        // A blip of trouble, gone at the next evaluation: never shown.
        let s1 = settle(
            Some(&s),
            &obs(Health::NeedsAttention),
            t0 + chrono::Duration::seconds(10),
            hold,
        );
        assert_eq!(s1.health, Health::Healthy);
        assert_eq!(s1.observed, Health::NeedsAttention);
        let s2 = settle(
            Some(&s1),
            &obs(Health::Healthy),
            t0 + chrono::Duration::seconds(20),
            hold,
        );
        assert_eq!((s2.health, s2.since), (Health::Healthy, t0));
        // Trouble that holds is shown once the hold has passed, counted from when it began.
        let s3 = settle(
            Some(&s2),
            &obs(Health::NeedsAttention),
            t0 + chrono::Duration::seconds(30),
            hold,
        );
        let s4 = settle(
            Some(&s3),
            &obs(Health::NeedsAttention),
            t0 + chrono::Duration::seconds(149),
            hold,
        );
        assert_eq!(s4.health, Health::Healthy);
        let s5 = settle(
            Some(&s4),
            &obs(Health::NeedsAttention),
            t0 + chrono::Duration::seconds(150),
            hold,
        );
        assert_eq!(s5.health, Health::NeedsAttention);
        assert_eq!(s5.reason, "NeedsAttention");
        // Recovery holds too.
        let s6 = settle(
            Some(&s5),
            &obs(Health::Healthy),
            t0 + chrono::Duration::seconds(160),
            hold,
        );
        assert_eq!(s6.health, Health::NeedsAttention);
        assert_eq!(
            s6.reason, "NeedsAttention",
            "the shown word keeps its reasons"
        );
    }

    #[test]
    fn merge_facts_and_the_first_sync_finishing_show_at_once() {
        let hold = chrono::Duration::seconds(120);
        let t0 = Utc::now();
        let s = settle(None, &obs(Health::Healthy), t0, hold);
        let relink = settle(Some(&s), &obs(Health::RelinkNeeded), t0, hold);
        assert_eq!(relink.health, Health::RelinkNeeded);
        let gone = settle(Some(&s), &obs(Health::Disconnected), t0, hold);
        assert_eq!(gone.health, Health::Disconnected);
        let syncing = settle(None, &obs(Health::Syncing), t0, hold);
        let done = settle(Some(&syncing), &obs(Health::Healthy), t0, hold);
        assert_eq!(done.health, Health::Healthy);
    }
}
