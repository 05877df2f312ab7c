//! Mapping ATS stage names to marketplace statuses (a tenant's own mapping, else defaults by
//! name), and when a request is closed.

use std::collections::HashMap;

/// The marketplace's view of where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarketplaceStatus {
    InReview,
    Interviewing,
    Offer,
    Hired,
    Rejected,
}

impl MarketplaceStatus {
    /// Every status, in pipeline order.
    pub const ALL: [MarketplaceStatus; 5] = [
        MarketplaceStatus::InReview,
        MarketplaceStatus::Interviewing,
        MarketplaceStatus::Offer,
        MarketplaceStatus::Hired,
        MarketplaceStatus::Rejected,
    ];

    /// The stored form.
    pub fn key(self) -> &'static str {
        match self {
            MarketplaceStatus::InReview => "in_review",
            MarketplaceStatus::Interviewing => "interviewing",
            MarketplaceStatus::Offer => "offer",
            MarketplaceStatus::Hired => "hired",
            MarketplaceStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored form.
    pub fn from_key(key: &str) -> Option<MarketplaceStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            MarketplaceStatus::InReview => "in review",
            MarketplaceStatus::Interviewing => "interviewing",
            MarketplaceStatus::Offer => "offer",
            MarketplaceStatus::Hired => "hired",
            MarketplaceStatus::Rejected => "rejected",
        }
    }
}

/// The default status for an ATS stage name (case-insensitive keyword match).
pub fn default_status(stage_name: &str) -> MarketplaceStatus {
    let n = stage_name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["hired", "hire", "placed", "onboard"]) {
        MarketplaceStatus::Hired
    } else if has(&["reject", "declin", "disqualif", "archiv"]) {
        MarketplaceStatus::Rejected
    } else if has(&["offer"]) {
        MarketplaceStatus::Offer
    } else if has(&[
        "interview",
        "screen",
        "technical",
        "onsite",
        "on-site",
        "assessment",
        "panel",
    ]) {
        MarketplaceStatus::Interviewing
    } else {
        MarketplaceStatus::InReview
    }
}

/// How a stage name is keyed in a mapping: stages with the same name map alike.
pub fn stage_key(stage_name: &str) -> String {
    stage_name.trim().to_lowercase()
}

/// A tenant's mapping: their choices by stage key, defaults for the rest.
#[derive(Debug, Clone, Default)]
pub struct StageMapping(pub HashMap<String, MarketplaceStatus>);

impl StageMapping {
    /// The status of an ATS stage name.
    pub fn status(&self, stage_name: &str) -> MarketplaceStatus {
        self.0
            .get(&stage_key(stage_name))
            .copied()
            .unwrap_or_else(|| default_status(stage_name))
    }
}

/// Whether the request closes: rejection in the ATS wins, then a stage mapped to hired.
pub fn closed_as(rejected: bool, status: Option<MarketplaceStatus>) -> Option<&'static str> {
    match (rejected, status) {
        (true, _) | (_, Some(MarketplaceStatus::Rejected)) => Some("rejected"),
        (_, Some(MarketplaceStatus::Hired)) => Some("hired"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_stage_names_map_to_sensible_statuses() {
        assert_eq!(
            default_status("Application Review"),
            MarketplaceStatus::InReview
        );
        assert_eq!(
            default_status("Phone Screen"),
            MarketplaceStatus::Interviewing
        );
        assert_eq!(
            default_status("Technical Interview"),
            MarketplaceStatus::Interviewing
        );
        assert_eq!(default_status("Offer"), MarketplaceStatus::Offer);
        assert_eq!(default_status("Hired"), MarketplaceStatus::Hired);
    }

    #[test]
    fn a_tenants_choice_overrides_the_default_whatever_the_case_of_the_name() {
        let mut m = StageMapping::default();
        assert_eq!(m.status("Final Round"), MarketplaceStatus::InReview);
        m.0.insert(stage_key(" final round "), MarketplaceStatus::Interviewing);
        assert_eq!(m.status("Final Round"), MarketplaceStatus::Interviewing);
        assert_eq!(m.status("Offer"), MarketplaceStatus::Offer);
        for s in MarketplaceStatus::ALL {
            assert_eq!(MarketplaceStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(MarketplaceStatus::from_key("bogus"), None);
    }

    #[test]
    fn rejection_closes_even_in_an_open_stage() {
        assert_eq!(
            closed_as(true, Some(MarketplaceStatus::Interviewing)),
            Some("rejected")
        );
        assert_eq!(
            closed_as(false, Some(MarketplaceStatus::Hired)),
            Some("hired")
        );
        assert_eq!(closed_as(false, Some(MarketplaceStatus::Offer)), None);
        assert_eq!(closed_as(false, None), None);
    }
}
