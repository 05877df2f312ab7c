//! Reading common models: list parameters (§5.2), per-model filters, `expand`, and opaque
//! cursor pagination over each account's append-only tables.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::state::{Account, Record, Table};
use crate::types::{
    Application, Attachment, Candidate, CommonModel, HasId, Job, JobInterviewStage, Page, Ref,
    RejectReason, RemoteData, RemoteUser, ScheduledInterview,
};

/// Default and maximum `page_size`.
pub const MAX_PAGE_SIZE: usize = 100;

/// A position in a table: `After(p)` starts a page at position `p`, `Before(p)` ends one
/// just before it (Django REST Framework's `p=` / `r=` cursors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cursor {
    After(usize),
    Before(usize),
}

impl Cursor {
    /// The opaque wire form.
    pub fn encode(self) -> String {
        let raw = match self {
            Cursor::After(p) => format!("p={p}"),
            Cursor::Before(p) => format!("r={p}"),
        };
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Parses a cursor from a previous response.
    pub fn decode(text: &str) -> Option<Cursor> {
        let raw = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let (kind, pos) = raw.split_once('=')?;
        let pos: usize = pos.parse().ok()?;
        match kind {
            "p" => Some(Cursor::After(pos)),
            "r" => Some(Cursor::Before(pos)),
            _ => None,
        }
    }
}

/// The query parameters of a list or retrieve request.
#[derive(Debug, Default)]
pub(crate) struct ListParams {
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub modified_after: Option<DateTime<Utc>>,
    pub modified_before: Option<DateTime<Utc>>,
    pub include_deleted: bool,
    pub include_remote_data: bool,
    pub page_size: usize,
    pub cursor: Option<Cursor>,
    pub expand: Vec<String>,
    pub remote_id: Option<String>,
    /// Every parameter by name (model filters read from here).
    pub raw: HashMap<String, String>,
}

fn parse_time(name: &str, value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{name}: enter a valid RFC 3339 date-time (e.g. 2024-01-15T09:30:00Z); got {value:?}"
            )
        })
}

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        _ => Err(format!("{name}: must be true or false; got {value:?}")),
    }
}

impl ListParams {
    /// Parses a raw query string; `allowed_expand` are the relations of the model.
    pub fn parse(query: Option<&str>, allowed_expand: &[&str]) -> Result<ListParams, String> {
        let mut p = ListParams {
            page_size: MAX_PAGE_SIZE,
            ..ListParams::default()
        };
        let mut expand_seen = false;
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let (k, v) = (k.into_owned(), v.into_owned());
            match k.as_str() {
                "created_after" => p.created_after = Some(parse_time(&k, &v)?),
                "created_before" => p.created_before = Some(parse_time(&k, &v)?),
                "modified_after" => p.modified_after = Some(parse_time(&k, &v)?),
                "modified_before" => p.modified_before = Some(parse_time(&k, &v)?),
                "include_deleted_data" => p.include_deleted = parse_bool(&k, &v)?,
                "include_remote_data" => p.include_remote_data = parse_bool(&k, &v)?,
                "page_size" => {
                    let n: usize = v
                        .parse()
                        .map_err(|_| format!("page_size: must be a positive integer; got {v:?}"))?;
                    if n == 0 {
                        return Err("page_size: must be a positive integer; got 0".to_owned());
                    }
                    p.page_size = n.min(MAX_PAGE_SIZE);
                }
                "cursor" => p.cursor = Some(Cursor::decode(&v).ok_or("Invalid cursor")?),
                "expand" => {
                    if expand_seen {
                        return Err("expand: send one comma-separated expand parameter, \
                                    not a repeated one"
                            .to_owned());
                    }
                    expand_seen = true;
                    for name in v.split(',').filter(|s| !s.is_empty()) {
                        if !allowed_expand.contains(&name) {
                            return Err(format!(
                                "expand: {name:?} is not an expandable field here (allowed: {})",
                                allowed_expand.join(", ")
                            ));
                        }
                        p.expand.push(name.to_owned());
                    }
                }
                "remote_id" => p.remote_id = Some(v.clone()),
                _ => {}
            }
            p.raw.insert(k, v);
        }
        Ok(p)
    }

    fn expands(&self, name: &str) -> bool {
        self.expand.iter().any(|e| e == name)
    }

    fn filter(&self, name: &str) -> Option<&str> {
        self.raw.get(name).map(String::as_str)
    }

    /// The common filters of §5.2.
    fn admits<T: Record>(&self, r: &T) -> bool {
        let after = |t: Option<DateTime<Utc>>, bound: Option<DateTime<Utc>>| match bound {
            Some(b) => t.is_some_and(|t| t > b),
            None => true,
        };
        let before = |t: Option<DateTime<Utc>>, bound: Option<DateTime<Utc>>| match bound {
            Some(b) => t.is_some_and(|t| t < b),
            None => true,
        };
        (self.include_deleted || !r.deleted())
            && after(r.created_at(), self.created_after)
            && before(r.created_at(), self.created_before)
            && after(r.modified_at(), self.modified_after)
            && before(r.modified_at(), self.modified_before)
            && self
                .remote_id
                .as_deref()
                .is_none_or(|want| r.remote_id() == Some(want))
    }
}

/// A common model the sandbox serves: where its records live, its filters and expansions.
pub(crate) trait Model: Record + CommonModel + Send + 'static {
    /// The account's table of this model.
    fn table(acct: &Account) -> &Table<Self>;
    /// Path shown in `remote_data`.
    const REMOTE_PATH: &'static str;
    /// Model-specific filters.
    fn matches(&self, _acct: &Account, _q: &ListParams) -> bool {
        true
    }
    /// Replaces ids by nested objects for the relations in `q.expand`.
    fn expand(&mut self, _acct: &Account, _q: &ListParams) {}
    /// Gives the record `remote_data`.
    fn set_remote_data(&mut self, data: Vec<RemoteData>);
}

fn expand_one<T: Record>(r: &mut Option<Ref<T>>, table: &Table<T>) {
    if let Some(Ref::Id(id)) = r {
        if let Some(obj) = table.get(id) {
            *r = Some(Ref::Object(Box::new(obj.clone())));
        }
    }
}

fn expand_all<T: Record>(r: &mut Option<Vec<Ref<T>>>, table: &Table<T>) {
    for item in r.iter_mut().flatten() {
        if let Ref::Id(id) = item {
            if let Some(obj) = table.get(id) {
                *item = Ref::Object(Box::new(obj.clone()));
            }
        }
    }
}

fn csv_contains(list: &str, value: &str) -> bool {
    list.split(',')
        .any(|item| item.trim().eq_ignore_ascii_case(value))
}

fn ref_is(r: &Option<Ref<impl HasId>>, id: &str) -> bool {
    r.as_ref().is_some_and(|r| r.id() == id)
}

macro_rules! remote_data {
    () => {
        fn set_remote_data(&mut self, data: Vec<RemoteData>) {
            self.remote_data = Some(data);
        }
    };
}

impl Model for RemoteUser {
    const REMOTE_PATH: &'static str = "/users";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.users
    }
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        q.filter("email").is_none_or(|want| {
            self.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(want))
        })
    }
    remote_data!();
}

impl Model for Job {
    const REMOTE_PATH: &'static str = "/jobs";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.jobs
    }
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        q.filter("status").is_none_or(|want| {
            self.status
                .as_ref()
                .is_some_and(|s| s.as_str().eq_ignore_ascii_case(want))
        }) && q
            .filter("code")
            .is_none_or(|want| self.code.as_deref() == Some(want))
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("hiring_managers") {
            expand_all(&mut self.hiring_managers, &acct.users);
        }
        if q.expands("recruiters") {
            expand_all(&mut self.recruiters, &acct.users);
        }
    }
    remote_data!();
}

impl Model for JobInterviewStage {
    const REMOTE_PATH: &'static str = "/stages";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.stages
    }
    /// `job_id` returns the job's stages plus the generic ones (job `null`), as in Merge's
    /// example for that filter.
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        q.filter("job_id")
            .is_none_or(|want| self.job.is_none() || ref_is(&self.job, want))
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("job") {
            expand_one(&mut self.job, &acct.jobs);
        }
    }
    remote_data!();
}

impl Model for Candidate {
    const REMOTE_PATH: &'static str = "/candidates";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.candidates
    }
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        let emails = q.filter("email_addresses").is_none_or(|want| {
            self.email_addresses
                .iter()
                .flatten()
                .filter_map(|e| e.value.as_deref())
                .any(|e| csv_contains(want, e))
        });
        let tags = q
            .filter("tags")
            .is_none_or(|want| self.tags.iter().flatten().any(|t| csv_contains(want, t)));
        let first = q.filter("first_name").is_none_or(|want| {
            self.first_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(want))
        });
        let last = q.filter("last_name").is_none_or(|want| {
            self.last_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(want))
        });
        emails && tags && first && last
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("applications") {
            expand_all(&mut self.applications, &acct.applications);
        }
        if q.expands("attachments") {
            expand_all(&mut self.attachments, &acct.attachments);
        }
    }
    remote_data!();
}

impl Model for Application {
    const REMOTE_PATH: &'static str = "/applications";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.applications
    }
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        q.filter("candidate_id")
            .is_none_or(|w| ref_is(&self.candidate, w))
            && q.filter("job_id").is_none_or(|w| ref_is(&self.job, w))
            && q.filter("current_stage_id")
                .is_none_or(|w| ref_is(&self.current_stage, w))
            && q.filter("reject_reason_id")
                .is_none_or(|w| ref_is(&self.reject_reason, w))
            && q.filter("credited_to_id")
                .is_none_or(|w| ref_is(&self.credited_to, w))
            && q.filter("source")
                .is_none_or(|w| self.source.as_deref() == Some(w))
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("candidate") {
            expand_one(&mut self.candidate, &acct.candidates);
        }
        if q.expands("job") {
            expand_one(&mut self.job, &acct.jobs);
        }
        if q.expands("credited_to") {
            expand_one(&mut self.credited_to, &acct.users);
        }
        if q.expands("current_stage") {
            expand_one(&mut self.current_stage, &acct.stages);
        }
        if q.expands("reject_reason") {
            expand_one(&mut self.reject_reason, &acct.reject_reasons);
        }
    }
    remote_data!();
}

impl Model for Attachment {
    const REMOTE_PATH: &'static str = "/attachments";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.attachments
    }
    fn matches(&self, _acct: &Account, q: &ListParams) -> bool {
        q.filter("candidate_id")
            .is_none_or(|w| ref_is(&self.candidate, w))
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("candidate") {
            expand_one(&mut self.candidate, &acct.candidates);
        }
    }
    remote_data!();
}

impl Model for ScheduledInterview {
    const REMOTE_PATH: &'static str = "/interviews";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.interviews
    }
    fn matches(&self, acct: &Account, q: &ListParams) -> bool {
        let job = q.filter("job_id").is_none_or(|w| {
            self.application
                .as_ref()
                .and_then(|a| acct.applications.get(a.id()))
                .is_some_and(|a| ref_is(&a.job, w))
        });
        job && q
            .filter("application_id")
            .is_none_or(|w| ref_is(&self.application, w))
            && q.filter("job_interview_stage_id")
                .is_none_or(|w| ref_is(&self.job_interview_stage, w))
            && q.filter("organizer_id")
                .is_none_or(|w| ref_is(&self.organizer, w))
    }
    fn expand(&mut self, acct: &Account, q: &ListParams) {
        if q.expands("application") {
            expand_one(&mut self.application, &acct.applications);
        }
        if q.expands("job_interview_stage") {
            expand_one(&mut self.job_interview_stage, &acct.stages);
        }
        if q.expands("organizer") {
            expand_one(&mut self.organizer, &acct.users);
        }
        if q.expands("interviewers") {
            expand_all(&mut self.interviewers, &acct.users);
        }
    }
    remote_data!();
}

impl Model for RejectReason {
    const REMOTE_PATH: &'static str = "/reject-reasons";
    fn table(acct: &Account) -> &Table<Self> {
        &acct.reject_reasons
    }
    remote_data!();
}

/// A record as a response shows it: expanded, with `remote_data` when asked for.
pub(crate) fn present<T: Model>(acct: &Account, rec: &T, q: &ListParams) -> T {
    let mut out = rec.clone();
    out.expand(acct, q);
    if q.include_remote_data {
        let remote_id = rec.remote_id().unwrap_or_default().to_owned();
        out.set_remote_data(vec![RemoteData {
            path: Some(format!("{}/{remote_id}", T::REMOTE_PATH)),
            data: Some(json!({ "id": remote_id })),
        }]);
    }
    out
}

/// One page of the account's records of `T` matching `q`. Scans from the cursor outwards, so a
/// page costs about its own size, not the table's.
pub(crate) fn page<T: Model>(acct: &Account, q: &ListParams) -> Page<T> {
    let rows = T::table(acct).rows();
    let hit = |i: &usize| q.admits(&rows[*i]) && rows[*i].matches(acct, q);
    let (positions, next, previous) = match q.cursor {
        None | Some(Cursor::After(_)) => {
            let from = match q.cursor {
                Some(Cursor::After(p)) => p.min(rows.len()),
                _ => 0,
            };
            let mut found = (from..rows.len()).filter(hit);
            let positions: Vec<usize> = found.by_ref().take(q.page_size).collect();
            let next = found.next().map(Cursor::After);
            let previous = match positions.first() {
                Some(&first) if (0..from).rev().any(|i| hit(&i)) => Some(Cursor::Before(first)),
                _ => None,
            };
            (positions, next, previous)
        }
        Some(Cursor::Before(p)) => {
            let until = p.min(rows.len());
            let mut found = (0..until).rev().filter(hit);
            let mut positions: Vec<usize> = found.by_ref().take(q.page_size).collect();
            positions.reverse();
            let previous = match (found.next(), positions.first()) {
                (Some(_), Some(&first)) => Some(Cursor::Before(first)),
                _ => None,
            };
            let next = (until..rows.len()).find(hit).map(Cursor::After);
            (positions, next, previous)
        }
    };
    Page {
        next: next.map(Cursor::encode),
        previous: previous.map(Cursor::encode),
        results: positions
            .iter()
            .map(|&i| present(acct, &rows[i], q))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::profiles::Profile;
    use crate::sandbox::seed::seed_account;
    use crate::types::LinkTokenRequest;

    fn ids<T: HasId>(page: &Page<T>) -> Vec<String> {
        page.results.iter().map(|r| r.id().to_owned()).collect()
    }

    #[test]
    fn filtered_pages_go_forward_and_back_over_every_match_once() {
        let profile = Profile::by_slug("lever").expect("profile");
        let link = LinkTokenRequest::ats("a@example.com", "Org", "o");
        let mut acct = Account::new(profile, &link, 100);
        seed_account(&mut acct);
        let job = acct.jobs.rows()[1].id.clone();
        let all = page::<JobInterviewStage>(
            &acct,
            &ListParams::parse(Some(&format!("job_id={job}")), &[]).expect("q"),
        );
        assert_eq!(all.results.len(), 6, "five job stages plus the generic one");

        let mut seen = Vec::new();
        let mut pages = Vec::new();
        let mut query = format!("job_id={job}&page_size=4");
        loop {
            let p =
                page::<JobInterviewStage>(&acct, &ListParams::parse(Some(&query), &[]).expect("q"));
            seen.extend(ids(&p));
            pages.push(p.clone());
            match p.next {
                Some(next) => query = format!("job_id={job}&page_size=4&cursor={next}"),
                None => break,
            }
        }
        assert_eq!(seen, ids(&all));
        let back_cursor = pages[1].previous.clone().expect("previous of page 2");
        let back = page::<JobInterviewStage>(
            &acct,
            &ListParams::parse(
                Some(&format!("job_id={job}&page_size=4&cursor={back_cursor}")),
                &[],
            )
            .expect("q"),
        );
        assert_eq!(ids(&back), ids(&pages[0]));
        assert!(back.previous.is_none());
        assert_eq!(back.next, pages[0].next);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        for c in [Cursor::After(0), Cursor::After(1234), Cursor::Before(7)] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode("x=1")), None);
        assert!(ListParams::parse(Some("cursor=%%%"), &[]).is_err());
    }

    #[test]
    fn page_size_is_capped_and_expand_is_checked() {
        let q = ListParams::parse(
            Some("page_size=500&expand=candidate,job"),
            Application::EXPAND,
        )
        .expect("valid");
        assert_eq!(q.page_size, MAX_PAGE_SIZE);
        assert_eq!(q.expand, ["candidate", "job"]);
        assert!(ListParams::parse(Some("expand=owner"), Application::EXPAND).is_err());
        assert!(
            ListParams::parse(Some("expand=job&expand=candidate"), Application::EXPAND).is_err()
        );
        assert!(ListParams::parse(Some("modified_after=yesterday"), &[]).is_err());
        assert!(ListParams::parse(Some("page_size=0"), &[]).is_err());
    }
}
