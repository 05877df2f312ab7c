//! Integration profiles: the ATSs the sandbox pretends to be and how each one behaves on writes.

use crate::types::AccountIntegration;

/// How one integration (ATS product) behaves in the sandbox.
#[derive(Debug, PartialEq, Eq)]
pub struct Profile {
    /// Merge's integration slug (e.g. `greenhouse`).
    pub slug: &'static str,
    /// Display name (e.g. `Greenhouse`).
    pub name: &'static str,
    /// Brand colour, as Merge reports it.
    pub color: &'static str,
    /// Writes must carry the `remote_user_id` of an enabled user of the account
    /// (Greenhouse `On-Behalf-Of`, Lever `perform_as`).
    pub requires_remote_user_id: bool,
    /// `POST /applications` accepts a nested candidate object (Merge's single-call flow).
    pub nested_application_candidate: bool,
}

/// The integrations the Link modal offers, in display order.
pub const PROFILES: [Profile; 4] = [
    Profile {
        slug: "greenhouse",
        name: "Greenhouse",
        color: "#24A47F",
        requires_remote_user_id: true,
        nested_application_candidate: true,
    },
    Profile {
        slug: "lever",
        name: "Lever",
        color: "#1D2E3E",
        requires_remote_user_id: true,
        nested_application_candidate: true,
    },
    Profile {
        slug: "workable",
        name: "Workable",
        color: "#00756A",
        requires_remote_user_id: false,
        nested_application_candidate: false,
    },
    Profile {
        slug: "recruitee",
        name: "Recruitee",
        color: "#1999E3",
        requires_remote_user_id: false,
        nested_application_candidate: false,
    },
];

impl Profile {
    /// The profile with this slug (case-insensitive).
    pub fn by_slug(slug: &str) -> Option<&'static Profile> {
        PROFILES.iter().find(|p| p.slug.eq_ignore_ascii_case(slug))
    }

    /// The integration as Merge describes it in the account-token exchange and available actions.
    pub fn integration(&self) -> AccountIntegration {
        AccountIntegration {
            name: Some(self.name.to_owned()),
            abbreviated_name: None,
            categories: Some(vec!["ats".to_owned()]),
            image: None,
            square_image: None,
            color: Some(self.color.to_owned()),
            slug: Some(self.slug.to_owned()),
            api_endpoints_to_documentation_urls: Some(serde_json::json!({})),
            webhook_setup_guide_url: None,
            category_beta_status: Some(serde_json::json!({})),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greenhouse_and_lever_require_remote_user_id_and_others_do_not() {
        let required: Vec<_> = PROFILES
            .iter()
            .filter(|p| p.requires_remote_user_id)
            .map(|p| p.slug)
            .collect();
        assert_eq!(required, ["greenhouse", "lever"]);
        assert_eq!(
            Profile::by_slug("Workable").map(|p| p.slug),
            Some("workable")
        );
        assert!(Profile::by_slug("bamboohr").is_none());
    }
}
