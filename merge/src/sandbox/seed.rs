//! Seed data for a newly linked account: users, jobs with their pipelines, reject reasons and
//! some *foreign* candidates, applications and interviews (records that did not come from the
//! marketplace), plus `seed_more` for larger accounts. Names are deterministic; ids are random.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::state::{empty_field_mappings, new_id, now, Account};
use crate::types::{
    AccessRole, Application, Candidate, EmailAddress, EmailAddressType, InterviewStatus, Job,
    JobInterviewStage, JobStatus, JobType, PhoneNumber, PhoneNumberType, Ref, RejectReason,
    RemoteUser, ScheduledInterview, Url, UrlType,
};

/// Stage names of every seeded job's pipeline, in order.
pub const PIPELINE: [&str; 5] = [
    "Application Review",
    "Phone Screen",
    "Technical Interview",
    "Offer",
    "Hired",
];

/// Name of the generic stage (job `null`, stage order `null`).
pub const GENERIC_STAGE: &str = "Archived";

/// Seeded users: first name, last name, role, disabled.
const USERS: [(&str, &str, &str, bool); 8] = [
    ("Thandi", "Nkosi", "SUPER_ADMIN", false),
    ("Pieter", "van Wyk", "ADMIN", false),
    ("Lerato", "Mokoena", "ADMIN", true),
    ("Sipho", "Dlamini", "TEAM_MEMBER", false),
    ("Emma", "Jacobs", "TEAM_MEMBER", false),
    ("Johan", "Botha", "LIMITED_TEAM_MEMBER", false),
    ("Naledi", "Khumalo", "INTERVIEWER", false),
    ("Zanele", "Mthembu", "Hiring Lead", false),
];

/// Seeded jobs: name and status.
const JOBS: [(&str, &str); 6] = [
    ("Senior Backend Engineer", "OPEN"),
    ("Frontend Engineer (React)", "OPEN"),
    ("DevOps Engineer", "OPEN"),
    ("Data Engineer", "OPEN"),
    ("Engineering Manager", "CLOSED"),
    ("Mobile Developer (Flutter)", "DRAFT"),
];

/// Role names cycled by `seed_more`.
const ROLES: [&str; 10] = [
    "Software Engineer",
    "Backend Engineer",
    "Frontend Engineer",
    "Full Stack Engineer",
    "Site Reliability Engineer",
    "QA Engineer",
    "Data Scientist",
    "Platform Engineer",
    "Security Engineer",
    "Product Engineer",
];

const FIRST_NAMES: [&str; 12] = [
    "Ayanda", "Bongani", "Chloe", "Divya", "Ethan", "Fatima", "Gareth", "Hlengiwe", "Imran",
    "Jessica", "Kagiso", "Liam",
];
const LAST_NAMES: [&str; 10] = [
    "Adams",
    "Bester",
    "Cele",
    "Daniels",
    "Essop",
    "Fourie",
    "Govender",
    "Hendricks",
    "Ismail",
    "Joubert",
];

/// Seeded reject reasons.
const REJECT_REASONS: [&str; 3] = [
    "Not a fit for the role",
    "Candidate withdrew",
    "Hired another candidate",
];

/// A foreign candidate with one application (and maybe an interview).
struct Foreign {
    first: &'static str,
    last: &'static str,
    source: &'static str,
    /// Index into `JOBS`.
    job: usize,
    stage: &'static str,
    interview: Option<&'static str>,
    rejected: bool,
}

const FOREIGN: [Foreign; 5] = [
    Foreign {
        first: "Jordan",
        last: "Sample",
        source: "LinkedIn",
        job: 0,
        stage: "Phone Screen",
        interview: Some("SCHEDULED"),
        rejected: false,
    },
    Foreign {
        first: "Casey",
        last: "Ndlovu",
        source: "Referral",
        job: 1,
        stage: "Technical Interview",
        interview: Some("SCHEDULED"),
        rejected: false,
    },
    Foreign {
        first: "Morgan",
        last: "Lee",
        source: "Careers page",
        job: 0,
        stage: "Application Review",
        interview: None,
        rejected: false,
    },
    Foreign {
        first: "Alex",
        last: "Naidoo",
        source: "Agency",
        job: 2,
        stage: "Phone Screen",
        interview: None,
        rejected: true,
    },
    Foreign {
        first: "Sam",
        last: "Pillay",
        source: "Careers page",
        job: 3,
        stage: "Offer",
        interview: Some("COMPLETE"),
        rejected: false,
    },
];

fn remote_date(days: i64) -> DateTime<Utc> {
    // Fixed past dates keep seeded "ATS-side" timestamps deterministic.
    Utc.with_ymd_and_hms(2024, 1, 15, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
        + Duration::days(days)
}

/// The e-mail domain of the account's own users, derived from the organisation name.
fn user_domain(org: &str) -> String {
    let slug: String = org
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "example.com".to_owned()
    } else {
        format!("{slug}.example")
    }
}

fn email_local(first: &str, last: &str) -> String {
    format!("{first}.{last}")
        .to_ascii_lowercase()
        .replace(' ', "")
}

/// Adds a user.
pub(crate) fn add_user(
    acct: &mut Account,
    first: &str,
    last: &str,
    email: String,
    role: &str,
    disabled: bool,
) -> String {
    let at = now();
    let user = RemoteUser {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        email: Some(email),
        disabled: Some(disabled),
        remote_created_at: Some(remote_date(acct.users.rows().len() as i64)),
        access_role: Some(AccessRole::from(role)),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let id = user.id.clone();
    acct.users.insert(user);
    id
}

/// Adds a job with the standard pipeline; returns the job id.
pub(crate) fn add_job(acct: &mut Account, name: &str, status: &str) -> String {
    let at = now();
    let remote_id = acct.next_remote_id();
    let n = acct.jobs.rows().len();
    let managers: Vec<Ref<RemoteUser>> = acct
        .users
        .rows()
        .iter()
        .filter(|u| u.access_role == Some(AccessRole::Admin) && u.disabled != Some(true))
        .take(1)
        .map(|u| Ref::Id(u.id.clone()))
        .collect();
    let recruiters: Vec<Ref<RemoteUser>> = acct
        .users
        .rows()
        .iter()
        .filter(|u| u.access_role == Some(AccessRole::SuperAdmin))
        .take(1)
        .map(|u| Ref::Id(u.id.clone()))
        .collect();
    let job = Job {
        id: new_id(),
        remote_id: Some(remote_id.clone()),
        created_at: Some(at),
        modified_at: Some(at),
        name: Some(name.to_owned()),
        description: Some(format!(
            "<p><b>{name}</b></p><p>Join our engineering team and help us build the product.</p>"
        )),
        code: Some(format!("ENG-{}", 101 + n)),
        status: Some(JobStatus::from(status)),
        job_type: Some(JobType::Posting),
        job_postings: Some(Vec::new()),
        job_posting_urls: Some(vec![Url {
            created_at: Some(at),
            modified_at: Some(at),
            value: Some(format!("https://careers.example.com/jobs/{remote_id}")),
            url_type: Some(UrlType::JobPosting),
        }]),
        remote_created_at: Some(remote_date(n as i64)),
        remote_updated_at: Some(remote_date(n as i64 + 1)),
        confidential: Some(false),
        departments: Some(Vec::new()),
        offices: Some(Vec::new()),
        hiring_managers: Some(managers),
        recruiters: Some(recruiters),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let job_id = job.id.clone();
    acct.jobs.insert(job);
    for (i, stage) in PIPELINE.iter().enumerate() {
        add_stage(acct, stage, Some(&job_id), Some(i as i64 + 1));
    }
    job_id
}

fn add_stage(acct: &mut Account, name: &str, job: Option<&str>, order: Option<i64>) -> String {
    let at = now();
    let stage = JobInterviewStage {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        name: Some(name.to_owned()),
        job: job.map(|j| Ref::Id(j.to_owned())),
        stage_order: order,
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let id = stage.id.clone();
    acct.stages.insert(stage);
    id
}

fn add_reject_reason(acct: &mut Account, name: &str) {
    let at = now();
    let reason = RejectReason {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        name: Some(name.to_owned()),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    acct.reject_reasons.insert(reason);
}

/// Adds a foreign candidate (not from the marketplace); returns its id.
fn add_foreign_candidate(acct: &mut Account, first: &str, last: &str) -> String {
    let at = now();
    let n = acct.candidates.rows().len() as i64;
    let candidate = Candidate {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        company: Some("Elsewhere (Pty) Ltd".to_owned()),
        title: Some("Software Engineer".to_owned()),
        remote_created_at: Some(remote_date(30 + n)),
        remote_updated_at: Some(remote_date(31 + n)),
        last_interaction_at: Some(remote_date(32 + n)),
        is_private: Some(false),
        can_email: Some(true),
        locations: Some(vec!["Cape Town".to_owned()]),
        phone_numbers: Some(vec![PhoneNumber {
            created_at: Some(at),
            modified_at: Some(at),
            value: Some(format!("+1555555{:04}", n % 10_000)),
            phone_number_type: Some(PhoneNumberType::Mobile),
        }]),
        email_addresses: Some(vec![EmailAddress {
            created_at: Some(at),
            modified_at: Some(at),
            value: Some(format!("{}@mail.example", email_local(first, last))),
            email_address_type: Some(EmailAddressType::Personal),
        }]),
        urls: Some(Vec::new()),
        tags: Some(Vec::new()),
        applications: Some(Vec::new()),
        attachments: Some(Vec::new()),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let id = candidate.id.clone();
    acct.candidates.insert(candidate);
    id
}

/// Adds an application and links it from its candidate; returns its id.
pub(crate) fn add_application(
    acct: &mut Account,
    candidate_id: &str,
    job_id: &str,
    stage_id: Option<String>,
    source: Option<String>,
    credited_to: Option<String>,
) -> String {
    let at = now();
    let app = Application {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        candidate: Some(Ref::Id(candidate_id.to_owned())),
        job: Some(Ref::Id(job_id.to_owned())),
        applied_at: Some(at),
        rejected_at: None,
        offers: Some(Vec::new()),
        source,
        credited_to: credited_to.map(Ref::Id),
        screening_question_answers: Some(Vec::new()),
        current_stage: stage_id.map(Ref::Id),
        reject_reason: None,
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    let id = app.id.clone();
    acct.applications.insert(app);
    if let Some(c) = acct.candidates.get_mut(candidate_id) {
        c.applications
            .get_or_insert_with(Vec::new)
            .push(Ref::Id(id.clone()));
        c.modified_at = Some(at);
    }
    id
}

/// An interview to schedule.
pub(crate) struct NewInterview {
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub location: Option<String>,
    pub organizer: Option<String>,
    pub interviewers: Vec<String>,
    pub status: InterviewStatus,
}

/// Adds a scheduled interview for an application in its current stage; returns it.
pub(crate) fn add_interview(
    acct: &mut Account,
    application_id: &str,
    new: NewInterview,
) -> Option<ScheduledInterview> {
    let at = now();
    let stage = acct
        .applications
        .get(application_id)?
        .current_stage
        .as_ref()
        .map(|s| Ref::Id(s.id().to_owned()));
    let interview = ScheduledInterview {
        id: new_id(),
        remote_id: Some(acct.next_remote_id()),
        created_at: Some(at),
        modified_at: Some(at),
        application: Some(Ref::Id(application_id.to_owned())),
        job_interview_stage: stage,
        organizer: new.organizer.map(Ref::Id),
        interviewers: Some(new.interviewers.into_iter().map(Ref::Id).collect()),
        location: new.location,
        start_at: Some(new.start_at),
        end_at: Some(new.end_at),
        remote_created_at: Some(at),
        remote_updated_at: Some(at),
        status: Some(new.status),
        remote_was_deleted: Some(false),
        field_mappings: Some(empty_field_mappings()),
        remote_data: None,
    };
    acct.interviews.insert(interview.clone());
    Some(interview)
}

fn user_by_role(acct: &Account, role: AccessRole) -> Option<String> {
    acct.users
        .live()
        .find(|u| u.access_role.as_ref() == Some(&role) && u.disabled != Some(true))
        .map(|u| u.id.clone())
}

/// Seeds a newly linked account (see `docs/sandbox.md` for the list).
pub(crate) fn seed_account(acct: &mut Account) {
    let domain = user_domain(&acct.org_name);
    for (first, last, role, disabled) in USERS {
        let email = format!("{}@{domain}", email_local(first, last));
        add_user(acct, first, last, email, role, disabled);
    }
    let job_ids: Vec<String> = JOBS
        .iter()
        .map(|(name, status)| add_job(acct, name, status))
        .collect();
    add_stage(acct, GENERIC_STAGE, None, None);
    for reason in REJECT_REASONS {
        add_reject_reason(acct, reason);
    }

    let organizer = user_by_role(acct, AccessRole::SuperAdmin);
    let interviewers: Vec<String> = [AccessRole::TeamMember, AccessRole::Interviewer]
        .into_iter()
        .filter_map(|r| user_by_role(acct, r))
        .collect();
    let today = now();
    for (i, f) in FOREIGN.iter().enumerate() {
        let candidate = add_foreign_candidate(acct, f.first, f.last);
        let job_id = &job_ids[f.job];
        let stage_id = acct.stage_named(job_id, f.stage).map(|s| s.id.clone());
        let app = add_application(
            acct,
            &candidate,
            job_id,
            stage_id,
            Some(f.source.to_owned()),
            organizer.clone(),
        );
        if f.rejected {
            let reason = acct.reject_reasons.rows().first().map(|r| r.id.clone());
            if let Some(a) = acct.applications.get_mut(&app) {
                a.rejected_at = Some(today);
                a.reject_reason = reason.map(Ref::Id);
            }
        }
        if let Some(status) = f.interview {
            let offset = if status == "COMPLETE" {
                -3
            } else {
                2 + i as i64
            };
            let start = today + Duration::days(offset);
            add_interview(
                acct,
                &app,
                NewInterview {
                    start_at: start,
                    end_at: start + Duration::hours(1),
                    location: Some("Video call".to_owned()),
                    organizer: organizer.clone(),
                    interviewers: interviewers.clone(),
                    status: InterviewStatus::from(status),
                },
            );
        }
    }

    // A candidate (and application) deleted in the ATS: only visible with include_deleted_data.
    let gone = add_foreign_candidate(acct, "Robin", "Withdrawn");
    let app = add_application(
        acct,
        &gone,
        &job_ids[0],
        None,
        Some("LinkedIn".to_owned()),
        None,
    );
    if let Some(a) = acct.applications.get_mut(&app) {
        a.remote_was_deleted = Some(true);
    }
    if let Some(c) = acct.candidates.get_mut(&gone) {
        c.remote_was_deleted = Some(true);
    }
}

/// What `seed_more` added.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SeedCounts {
    /// Jobs added (each with the standard five-stage pipeline).
    #[serde(default)]
    pub jobs: usize,
    /// Users added.
    #[serde(default)]
    pub users: usize,
    /// Foreign candidates with one application each.
    #[serde(default)]
    pub foreign_applications: usize,
    /// Stages added to each new job beyond the standard five (large-account benchmarks).
    #[serde(default)]
    pub extra_stages_per_job: usize,
}

/// Adds N generated jobs, users and foreign applications to an account.
pub(crate) fn seed_more(acct: &mut Account, more: &SeedCounts) -> SeedCounts {
    let domain = user_domain(&acct.org_name);
    for _ in 0..more.users {
        let n = acct.users.rows().len();
        let first = FIRST_NAMES[n % FIRST_NAMES.len()];
        let last = LAST_NAMES[(n / FIRST_NAMES.len()) % LAST_NAMES.len()];
        let email = format!("{}.{n}@{domain}", email_local(first, last));
        add_user(acct, first, last, email, "TEAM_MEMBER", false);
    }
    for _ in 0..more.jobs {
        let n = acct.jobs.rows().len();
        let name = format!("{} #{}", ROLES[n % ROLES.len()], n + 1);
        let job = add_job(acct, &name, "OPEN");
        for i in 0..more.extra_stages_per_job {
            let order = (PIPELINE.len() + i + 1) as i64;
            add_stage(
                acct,
                &format!("Extra round {}", i + 1),
                Some(&job),
                Some(order),
            );
        }
    }
    let open_jobs: Vec<String> = acct
        .jobs
        .live()
        .filter(|j| j.status == Some(JobStatus::Open))
        .map(|j| j.id.clone())
        .collect();
    let mut added_apps = 0;
    if !open_jobs.is_empty() {
        for i in 0..more.foreign_applications {
            let n = acct.candidates.rows().len();
            let first = FIRST_NAMES[n % FIRST_NAMES.len()];
            let last = format!("{}{}", LAST_NAMES[n % LAST_NAMES.len()], n);
            let candidate = add_foreign_candidate(acct, first, &last);
            let job_id = &open_jobs[i % open_jobs.len()];
            let stage = acct.first_stage(job_id).map(|s| s.id.clone());
            add_application(
                acct,
                &candidate,
                job_id,
                stage,
                Some("Careers page".to_owned()),
                None,
            );
            added_apps += 1;
        }
    }
    SeedCounts {
        jobs: more.jobs,
        users: more.users,
        foreign_applications: added_apps,
        extra_stages_per_job: more.extra_stages_per_job,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::profiles::Profile;
    use crate::types::LinkTokenRequest;

    fn account() -> Account {
        let profile = Profile::by_slug("greenhouse").expect("profile");
        let link = LinkTokenRequest::ats("admin@example.com", "Example Hiring Co", "t-1");
        let mut acct = Account::new(profile, &link, 100);
        seed_account(&mut acct);
        acct
    }

    #[test]
    fn seeded_account_has_roles_jobs_and_a_generic_stage() {
        let acct = account();
        assert_eq!(acct.users.rows().len(), 8);
        assert!(acct
            .users
            .rows()
            .iter()
            .any(|u| u.access_role == Some(AccessRole::Unknown("Hiring Lead".into()))));
        assert_eq!(acct.jobs.rows().len(), 6);
        assert_eq!(acct.stages.rows().len(), 6 * 5 + 1);
        let generic: Vec<_> = acct
            .stages
            .rows()
            .iter()
            .filter(|s| s.job.is_none())
            .collect();
        assert_eq!(generic.len(), 1);
        assert_eq!(generic[0].stage_order, None);
        assert_eq!(
            acct.users.rows()[0].email.as_deref(),
            Some("thandi.nkosi@example-hiring-co.example")
        );
    }

    #[test]
    fn seed_more_adds_jobs_with_pipelines_and_foreign_applications() {
        let mut acct = account();
        let added = seed_more(
            &mut acct,
            &SeedCounts {
                jobs: 3,
                users: 2,
                foreign_applications: 4,
                extra_stages_per_job: 1,
            },
        );
        assert_eq!(added.foreign_applications, 4);
        assert_eq!(acct.jobs.rows().len(), 9);
        // Six seeded jobs of five stages and a shared one, three new jobs of six.
        assert_eq!(acct.stages.rows().len(), 6 * 5 + 1 + 3 * 6);
        assert_eq!(acct.users.rows().len(), 10);
    }
}
