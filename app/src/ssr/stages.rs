//! Mapping ATS stage names to marketplace statuses, and when a request is closed.

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
