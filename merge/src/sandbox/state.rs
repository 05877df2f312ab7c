//! The sandbox's in-memory world: linked accounts with their ATS records, link and public
//! tokens, injected faults and the webhook delivery log.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Instant;

use chrono::{DateTime, SubsecRound, Utc};
use rand::distributions::{Alphanumeric, DistString};
use serde::Serialize;
use serde_json::{json, Value};

use super::faults::Fault;
use super::profiles::Profile;
use super::requests::RequestCounts;
use super::webhooks::Delivery;
use crate::types::{
    AccountDetails, AccountType, Application, Attachment, Candidate, HasId, Job, JobInterviewStage,
    LinkTokenRequest, LinkedAccountStatus, RejectReason, RemoteUser, ScheduledInterview,
};

/// The current time at Merge's precision (microseconds), so timestamps survive a round trip
/// through a database and `modified_after` comparisons stay exact.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A random token of `len` alphanumeric characters (link, public and account tokens).
pub(crate) fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), len)
}

/// A new Merge id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `field_mappings` as Merge returns it when nothing is mapped.
pub(crate) fn empty_field_mappings() -> Value {
    json!({"organization_defined_targets": {}, "linked_account_defined_targets": {}})
}

/// What every stored common model offers the list machinery.
pub(crate) trait Record: HasId + Clone + Serialize {
    /// When Merge created the record.
    fn created_at(&self) -> Option<DateTime<Utc>>;
    /// When Merge last changed the record.
    fn modified_at(&self) -> Option<DateTime<Utc>>;
    /// The ATS's own id.
    fn remote_id(&self) -> Option<&str>;
    /// Deleted in the ATS (hidden from lists without `include_deleted_data`).
    fn deleted(&self) -> bool;
    /// Records a change: bumps `modified_at`.
    fn touch(&mut self, at: DateTime<Utc>);
}

macro_rules! record {
    ($($ty:ty),+) => {
        $(impl Record for $ty {
            fn created_at(&self) -> Option<DateTime<Utc>> {
                self.created_at
            }
            fn modified_at(&self) -> Option<DateTime<Utc>> {
                self.modified_at
            }
            fn remote_id(&self) -> Option<&str> {
                self.remote_id.as_deref()
            }
            fn deleted(&self) -> bool {
                self.remote_was_deleted == Some(true)
            }
            fn touch(&mut self, at: DateTime<Utc>) {
                self.modified_at = Some(at);
            }
        })+
    };
}

record!(
    RemoteUser,
    Job,
    JobInterviewStage,
    Candidate,
    Application,
    Attachment,
    ScheduledInterview,
    RejectReason
);

/// Append-only records of one model in one account, in a stable order (cursors are positions).
#[derive(Debug)]
pub(crate) struct Table<T> {
    rows: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Record> Table<T> {
    /// Appends a record; returns its position.
    pub fn insert(&mut self, rec: T) -> usize {
        let pos = self.rows.len();
        self.index.insert(rec.id().to_owned(), pos);
        self.rows.push(rec);
        pos
    }

    /// The record with this Merge id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).map(|&i| &self.rows[i])
    }

    /// The record with this Merge id, for a change.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.index.get(id).map(|&i| &mut self.rows[i])
    }

    /// All records, deleted ones included, in stable order.
    pub fn rows(&self) -> &[T] {
        &self.rows
    }

    /// Records not deleted in the ATS.
    pub fn live(&self) -> impl Iterator<Item = &T> {
        self.rows.iter().filter(|r| !r.deleted())
    }
}

/// A file the sandbox downloaded for `POST /attachments`.
#[derive(Clone, Debug, Serialize)]
pub struct FetchedFile {
    /// The URL it was fetched from.
    pub file_url: String,
    /// Bytes received.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// `Content-Type` the server sent, if any.
    pub content_type: Option<String>,
}

/// One successful write through the Merge API (what the control API's `/writes` lists).
#[derive(Clone, Debug, Serialize)]
pub struct WriteLog {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Model name: `Candidate`, `Application` or `Attachment`.
    pub model: &'static str,
    /// Merge id of the created record.
    pub id: String,
    /// The `remote_user_id` the request carried.
    pub remote_user_id: Option<String>,
    /// Path of the request (`/api/ats/v1/applications` for a nested candidate, too).
    pub endpoint: &'static str,
    /// The candidate was created inside `POST /applications` (single-call flow).
    pub nested: bool,
    /// The candidate the record belongs to (applications, attachments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// The job (applications).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    /// The downloaded file (attachments).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FetchedFile>,
    /// A `write_lost` fault swallowed the response: the client never saw this write succeed.
    pub response_lost: bool,
}

/// A linked account: one customer's connection to one ATS, with that ATS's records.
#[derive(Debug)]
pub(crate) struct Account {
    pub id: String,
    pub token: String,
    pub profile: &'static Profile,
    pub origin_id: String,
    pub org_name: String,
    pub email: String,
    pub status: LinkedAccountStatus,
    pub completed_at: DateTime<Utc>,
    pub deleted: bool,
    pub webhook_listener_url: String,
    /// Requests allowed in any sliding window of `rate_window` (Merge: per minute).
    pub requests_per_minute: u32,
    /// The rate limit's window: a minute, unless a test shortens it.
    pub rate_window: std::time::Duration,
    /// Added to every Merge API answer for this account (benchmarks: Merge's page latency).
    pub latency: std::time::Duration,
    /// Start times of requests in the current sliding window (rate limit).
    pub recent_requests: VecDeque<Instant>,
    pub users: Table<RemoteUser>,
    pub jobs: Table<Job>,
    pub stages: Table<JobInterviewStage>,
    pub candidates: Table<Candidate>,
    pub applications: Table<Application>,
    pub attachments: Table<Attachment>,
    pub interviews: Table<ScheduledInterview>,
    pub reject_reasons: Table<RejectReason>,
    pub writes: Vec<WriteLog>,
    /// Users (Merge ids) the ATS refuses to write as (403), though they stay enabled.
    pub write_revoked: HashSet<String>,
    next_remote_id: u64,
}

impl Account {
    /// A new, empty, `COMPLETE` account.
    pub fn new(
        profile: &'static Profile,
        link: &LinkTokenRequest,
        requests_per_minute: u32,
    ) -> Account {
        Account {
            id: new_id(),
            token: random_token(38),
            profile,
            origin_id: link.end_user_origin_id.clone(),
            org_name: link.end_user_organization_name.clone(),
            email: link.end_user_email_address.clone(),
            status: LinkedAccountStatus::Complete,
            completed_at: now(),
            deleted: false,
            webhook_listener_url: format!(
                "https://sandbox.merge.invalid/api/integrations/webhook-listener/{}",
                random_token(15)
            ),
            requests_per_minute,
            rate_window: std::time::Duration::from_secs(60),
            latency: std::time::Duration::ZERO,
            recent_requests: VecDeque::new(),
            users: Table::default(),
            jobs: Table::default(),
            stages: Table::default(),
            candidates: Table::default(),
            applications: Table::default(),
            attachments: Table::default(),
            interviews: Table::default(),
            reject_reasons: Table::default(),
            writes: Vec::new(),
            write_revoked: HashSet::new(),
            next_remote_id: 100_000,
        }
    }

    /// A fresh ATS-side id (numeric, like Greenhouse's).
    pub fn next_remote_id(&mut self) -> String {
        self.next_remote_id += 1;
        self.next_remote_id.to_string()
    }

    /// `GET /account-details`.
    pub fn details(&self) -> AccountDetails {
        AccountDetails {
            id: self.id.clone(),
            integration: Some(self.profile.name.to_owned()),
            integration_slug: Some(self.profile.slug.to_owned()),
            category: Some("ats".to_owned()),
            end_user_origin_id: Some(self.origin_id.clone()),
            end_user_organization_name: Some(self.org_name.clone()),
            end_user_email_address: Some(self.email.clone()),
            status: Some(self.status.clone()),
            webhook_listener_url: Some(self.webhook_listener_url.clone()),
            is_duplicate: Some(false),
            account_type: Some(AccountType::Test),
            completed_at: Some(self.completed_at),
        }
    }

    /// The `linked_account` block of a webhook (account details without the newer fields).
    pub fn webhook_details(&self) -> AccountDetails {
        AccountDetails {
            account_type: None,
            completed_at: None,
            is_duplicate: None,
            ..self.details()
        }
    }

    /// The job's stage named `name` (case-insensitive); generic stages (job `null`) count too.
    pub fn stage_named(&self, job_id: &str, name: &str) -> Option<&JobInterviewStage> {
        let of_job =
            |s: &&JobInterviewStage| s.job.as_ref().map(|j| j.id() == job_id).unwrap_or(true);
        self.stages.live().filter(of_job).find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// The job's first stage (lowest `stage_order`), where new applications start.
    pub fn first_stage(&self, job_id: &str) -> Option<&JobInterviewStage> {
        self.stages
            .live()
            .filter(|s| s.job.as_ref().is_some_and(|j| j.id() == job_id))
            .min_by_key(|s| s.stage_order.unwrap_or(i64::MAX))
    }

    /// The user writes may act as: exists in this account, not deleted.
    pub fn user(&self, id: &str) -> Option<&RemoteUser> {
        self.users.get(id).filter(|u| !u.deleted())
    }
}

/// A link token from `POST /link-token`, waiting for the Link modal.
#[derive(Debug)]
pub(crate) struct LinkTokenState {
    pub request: LinkTokenRequest,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// A public token handed to `onSuccess`, waiting for the account-token exchange.
#[derive(Debug)]
pub(crate) struct PublicTokenState {
    pub account_id: String,
    pub expires_at: DateTime<Utc>,
}

/// Where webhooks go.
#[derive(Clone, Debug)]
pub(crate) struct WebhookTarget {
    pub url: url::Url,
    pub key: String,
}

/// Everything the sandbox knows; behind one mutex, never held across an `.await`.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub accounts: Vec<Account>,
    pub link_tokens: HashMap<String, LinkTokenState>,
    pub public_tokens: HashMap<String, PublicTokenState>,
    pub faults: Vec<Fault>,
    pub webhook_target: Option<WebhookTarget>,
    pub deliveries: VecDeque<Delivery>,
    /// How webhooks are delivered (copies, order, retries of slow receivers).
    pub delivery_faults: super::webhooks::DeliveryFaults,
    /// Deliveries held back to be sent newest first.
    pub held_deliveries: Vec<super::webhooks::Outgoing>,
    pub requests: RequestCounts,
    /// Merge's per-IP failure rule.
    pub ip_rule: super::requests::IpRule,
}

impl State {
    /// The account with this linked-account id (deleted ones included).
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The account with this linked-account id, for a change.
    pub fn account_mut(&mut self, id: &str) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }

    /// The live (not deleted) account an `X-Account-Token` names.
    pub fn account_by_token_mut(&mut self, token: &str) -> Option<&mut Account> {
        self.accounts
            .iter_mut()
            .find(|a| !a.deleted && a.token == token)
    }

    /// The id of the live account an `X-Account-Token` names.
    pub fn account_id_by_token(&self, token: &str) -> Option<String> {
        self.accounts
            .iter()
            .find(|a| !a.deleted && a.token == token)
            .map(|a| a.id.clone())
    }
}
