//! Tenant health: one honest word per tenant, shared by the support console and the banner
//! hiring managers see. Always shown as text plus an icon, never colour alone.

use serde::{Deserialize, Serialize};

/// How a tenant's integration is doing, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Health {
    Healthy,
    /// The first sync has not completed yet.
    Syncing,
    /// Something needs a person: failing syncs or pushes, an invalid verification admin.
    NeedsAttention,
    /// Merge says the account must be relinked.
    RelinkNeeded,
    /// No ATS is connected (never, or any more).
    Disconnected,
}

impl Health {
    pub const ALL: [Health; 5] = [
        Health::Healthy,
        Health::Syncing,
        Health::NeedsAttention,
        Health::RelinkNeeded,
        Health::Disconnected,
    ];

    /// The stored and URL form.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Syncing => "syncing",
            Health::NeedsAttention => "needs_attention",
            Health::RelinkNeeded => "relink_needed",
            Health::Disconnected => "disconnected",
        }
    }

    pub fn parse(s: &str) -> Option<Health> {
        Health::ALL.into_iter().find(|h| h.as_str() == s)
    }

    /// The word people read.
    pub fn label(self) -> &'static str {
        match self {
            Health::Healthy => "Healthy",
            Health::Syncing => "Syncing",
            Health::NeedsAttention => "Needs attention",
            Health::RelinkNeeded => "Relink needed",
            Health::Disconnected => "Disconnected",
        }
    }

    /// The icon shown before the word.
    pub fn icon(self) -> &'static str {
        match self {
            Health::Healthy => "✓",
            Health::Syncing => "⟳",
            Health::NeedsAttention => "⚠",
            Health::RelinkNeeded => "⛓",
            Health::Disconnected => "✕",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_health_round_trips_through_its_stored_form() {
        for h in Health::ALL {
            assert_eq!(Health::parse(h.as_str()), Some(h));
            assert!(!h.label().is_empty() && !h.icon().is_empty());
        }
        assert_eq!(Health::parse("HEALTHY"), None);
    }
}
