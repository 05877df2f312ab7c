//! Merge ATS wire types: the JSON shapes of Merge's API, shared by the client (which reads them)
//! and the sandbox (which writes them).
//!
//! Leniency rules, because Merge adds fields and enum values without a version bump:
//! - every field except `id` is an `Option` with `#[serde(default)]` (absent and `null` both parse),
//!   and no type uses `deny_unknown_fields`;
//! - enums keep values outside the documented set as text ([`AccessRole::Unknown`] and friends);
//! - expandable relations are [`Ref`]: an id string, or the nested object when `expand` asked for it;
//! - lists of relations skip `null` items;
//! - datetimes are RFC 3339 with or without fractional seconds and with any offset, converted to UTC.
//!
//! Serialisation produces Merge's shapes: `None` is written as `null` where Merge's OpenAPI spec
//! marks the field nullable, and left out where the spec says the field is never `null` (for example
//! `created_at`, `remote_was_deleted` and relation lists), so sandbox output validates against the
//! spec. Request types (`*Request`) leave out every `None`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Deserialisers used through `#[serde(deserialize_with = ...)]`.
mod lenient {
    use serde::{Deserialize, Deserializer};

    /// A list that may be absent or `null` (→ `None`) and whose `null` items are dropped.
    pub fn opt_vec<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        let items: Option<Vec<Option<T>>> = Option::deserialize(d)?;
        Ok(items.map(|v| v.into_iter().flatten().collect()))
    }

    /// A list that may be absent or `null` (→ empty) and whose `null` items are dropped.
    pub fn vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Ok(opt_vec(d)?.unwrap_or_default())
    }

    /// A value that may be absent or `null` (→ `T::default()`).
    pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------
// Open enums
// ---------------------------------------------------------------------------------------------

/// Defines an enum of Merge's documented values plus `Unknown(String)` for anything else, with
/// `as_str`, `From<&str>`/`From<String>`, `Display` and string (de)serialisation that round-trips
/// the original text.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )+
            /// A value outside the documented set (an ATS's own value passed through, or a value
            /// Merge added later), kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Unknown(text) => text,
                }
            }

            /// Whether this is one of the documented values (not [`Self::Unknown`]).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match Self::from(text.as_str()) {
                    Self::Unknown(_) => Self::Unknown(text),
                    known => known,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }
    };
}

open_enum! {
    /// `RemoteUser.access_role`.
    AccessRole {
        SuperAdmin => "SUPER_ADMIN",
        Admin => "ADMIN",
        TeamMember => "TEAM_MEMBER",
        LimitedTeamMember => "LIMITED_TEAM_MEMBER",
        Interviewer => "INTERVIEWER",
    }
}

open_enum! {
    /// `Job.status`.
    JobStatus {
        Open => "OPEN",
        Closed => "CLOSED",
        Draft => "DRAFT",
        Archived => "ARCHIVED",
        Pending => "PENDING",
    }
}

open_enum! {
    /// `Job.type`.
    JobType {
        Posting => "POSTING",
        Requisition => "REQUISITION",
        Profile => "PROFILE",
    }
}

open_enum! {
    /// `ScheduledInterview.status`.
    InterviewStatus {
        Scheduled => "SCHEDULED",
        AwaitingFeedback => "AWAITING_FEEDBACK",
        Complete => "COMPLETE",
    }
}

open_enum! {
    /// `Attachment.attachment_type`.
    AttachmentType {
        Resume => "RESUME",
        CoverLetter => "COVER_LETTER",
        OfferLetter => "OFFER_LETTER",
        Other => "OTHER",
    }
}

open_enum! {
    /// `EmailAddress.email_address_type`.
    EmailAddressType {
        Personal => "PERSONAL",
        Work => "WORK",
        Other => "OTHER",
    }
}

open_enum! {
    /// `PhoneNumber.phone_number_type`.
    PhoneNumberType {
        Home => "HOME",
        Work => "WORK",
        Mobile => "MOBILE",
        Skype => "SKYPE",
        Other => "OTHER",
    }
}

open_enum! {
    /// `Url.url_type`.
    UrlType {
        Personal => "PERSONAL",
        Company => "COMPANY",
        Portfolio => "PORTFOLIO",
        Blog => "BLOG",
        SocialMedia => "SOCIAL_MEDIA",
        Other => "OTHER",
        JobPosting => "JOB_POSTING",
    }
}

open_enum! {
    /// A linked account's `status` (account details, webhooks, meta `linked_account_status`).
    LinkedAccountStatus {
        Complete => "COMPLETE",
        Incomplete => "INCOMPLETE",
        RelinkNeeded => "RELINK_NEEDED",
        Idle => "IDLE",
    }
}

open_enum! {
    /// `AccountDetails.account_type`.
    AccountType {
        Production => "PRODUCTION",
        Test => "TEST",
    }
}

open_enum! {
    /// `SyncStatus.status` and `SyncStatus.last_sync_result`.
    SyncState {
        Syncing => "SYNCING",
        Done => "DONE",
        Failed => "FAILED",
        Disabled => "DISABLED",
        Paused => "PAUSED",
        PartiallySynced => "PARTIALLY_SYNCED",
    }
}

open_enum! {
    /// `SyncStatus.selective_sync_configurations_usage`.
    SelectiveSyncUsage {
        InNextSync => "IN_NEXT_SYNC",
        InLastSync => "IN_LAST_SYNC",
    }
}

// ---------------------------------------------------------------------------------------------
// Relations, pages, model metadata
// ---------------------------------------------------------------------------------------------

/// Anything with a Merge id.
pub trait HasId {
    /// The Merge id (`""` for a JSON value without a string `id`).
    fn id(&self) -> &str;
}

impl HasId for Value {
    fn id(&self) -> &str {
        self.get("id").and_then(Value::as_str).unwrap_or("")
    }
}

/// A Merge common model with a list endpoint `GET {root}/ats/v1/{PATH}`.
pub trait CommonModel: HasId + DeserializeOwned + Serialize {
    /// Path segment under `/ats/v1/` (e.g. `"job-interview-stages"`).
    const PATH: &'static str;
    /// The relations `expand` accepts, in the order Merge's OpenAPI spec joins them.
    const EXPAND: &'static [&'static str];
}

/// An expandable relation: the related object's Merge id by default, the object itself when the
/// request listed the field in `expand`. Also used in requests, where a relation can be an id or a
/// nested model to create (e.g. [`ApplicationRequest::candidate`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Ref<T> {
    /// The related object's Merge id.
    Id(String),
    /// The related object (expanded, or a nested create in requests).
    Object(Box<T>),
}

impl<T> Ref<T> {
    /// The id, if this is not expanded.
    pub fn as_id(&self) -> Option<&str> {
        match self {
            Ref::Id(id) => Some(id),
            Ref::Object(_) => None,
        }
    }

    /// The object, if this is expanded.
    pub fn object(&self) -> Option<&T> {
        match self {
            Ref::Id(_) => None,
            Ref::Object(obj) => Some(obj),
        }
    }
}

impl<T: HasId> Ref<T> {
    /// The related object's Merge id, expanded or not.
    pub fn id(&self) -> &str {
        match self {
            Ref::Id(id) => id,
            Ref::Object(obj) => obj.id(),
        }
    }
}

impl<T> From<String> for Ref<T> {
    fn from(id: String) -> Self {
        Ref::Id(id)
    }
}

impl<T> From<&str> for Ref<T> {
    fn from(id: &str) -> Self {
        Ref::Id(id.to_owned())
    }
}

/// One page of a cursor-paginated list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// Cursor of the next page; `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
    /// Cursor of the previous page; `None` on the first page.
    #[serde(default)]
    pub previous: Option<String>,
    /// The records of this page.
    #[serde(default = "Vec::new", deserialize_with = "lenient::vec")]
    pub results: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            next: None,
            previous: None,
            results: Vec::new(),
        }
    }
}

/// One item of a model's `remote_data` (the ATS's raw payload; only with `include_remote_data`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct RemoteData {
    /// The ATS API path the data came from.
    #[serde(default)]
    pub path: Option<String>,
    /// The raw data.
    #[serde(default)]
    pub data: Option<Value>,
}

// ---------------------------------------------------------------------------------------------
// Common models
// ---------------------------------------------------------------------------------------------

macro_rules! has_id {
    ($($ty:ty),+) => {
        $(impl HasId for $ty {
            fn id(&self) -> &str {
                &self.id
            }
        })+
    };
}

/// A user of the ATS (Merge `RemoteUser`); its `id` is what writes take as `remote_user_id`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct RemoteUser {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the user is disabled in the ATS.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// When the ATS created the user.
    #[serde(default)]
    pub remote_created_at: Option<DateTime<Utc>>,
    /// Role; pass-through values are kept as [`AccessRole::Unknown`].
    #[serde(default)]
    pub access_role: Option<AccessRole>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A job (requisition/posting) in the ATS.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Job {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// Job title.
    #[serde(default)]
    pub name: Option<String>,
    /// Description (often HTML).
    #[serde(default)]
    pub description: Option<String>,
    /// Requisition/job code.
    #[serde(default)]
    pub code: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<JobStatus>,
    /// Kind of job (newer field).
    #[serde(default, rename = "type")]
    pub job_type: Option<JobType>,
    /// Job postings (ids or expanded objects).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_postings: Option<Vec<Ref<Value>>>,
    /// Public posting URLs.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub job_posting_urls: Option<Vec<Url>>,
    /// When the ATS created the job.
    #[serde(default)]
    pub remote_created_at: Option<DateTime<Utc>>,
    /// When the ATS last changed the job.
    #[serde(default)]
    pub remote_updated_at: Option<DateTime<Utc>>,
    /// Confidential job.
    #[serde(default)]
    pub confidential: Option<bool>,
    /// Departments (ids or expanded objects).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub departments: Option<Vec<Ref<Value>>>,
    /// Offices (ids or expanded objects).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub offices: Option<Vec<Ref<Value>>>,
    /// Hiring managers.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub hiring_managers: Option<Vec<Ref<RemoteUser>>>,
    /// Recruiters.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub recruiters: Option<Vec<Ref<RemoteUser>>>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A stage of a job's interview pipeline; `job: None` is a generic stage shared by all jobs.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct JobInterviewStage {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// Stage name.
    #[serde(default)]
    pub name: Option<String>,
    /// The job, or `None` for a generic stage.
    #[serde(default)]
    pub job: Option<Ref<Job>>,
    /// Position in the pipeline (lower first); `None` when the ATS gives no order.
    #[serde(default)]
    pub stage_order: Option<i64>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A candidate's e-mail address.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct EmailAddress {
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// The address.
    #[serde(default)]
    pub value: Option<String>,
    /// Kind of address.
    #[serde(default)]
    pub email_address_type: Option<EmailAddressType>,
}

/// A candidate's phone number.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// The number.
    #[serde(default)]
    pub value: Option<String>,
    /// Kind of number.
    #[serde(default)]
    pub phone_number_type: Option<PhoneNumberType>,
}

/// A URL of a candidate or job (Merge's `Url` model; not `url::Url`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Url {
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// The URL text.
    #[serde(default)]
    pub value: Option<String>,
    /// Kind of URL.
    #[serde(default)]
    pub url_type: Option<UrlType>,
}

/// A candidate (a person; Lever: a contact).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Candidate {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Current company.
    #[serde(default)]
    pub company: Option<String>,
    /// Current title.
    #[serde(default)]
    pub title: Option<String>,
    /// When the ATS created the candidate.
    #[serde(default)]
    pub remote_created_at: Option<DateTime<Utc>>,
    /// When the ATS last changed the candidate.
    #[serde(default)]
    pub remote_updated_at: Option<DateTime<Utc>>,
    /// Last interaction.
    #[serde(default)]
    pub last_interaction_at: Option<DateTime<Utc>>,
    /// Private candidate.
    #[serde(default)]
    pub is_private: Option<bool>,
    /// Whether the candidate may be e-mailed.
    #[serde(default)]
    pub can_email: Option<bool>,
    /// Locations.
    #[serde(default, deserialize_with = "lenient::opt_vec")]
    pub locations: Option<Vec<String>>,
    /// Phone numbers.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// E-mail addresses.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_addresses: Option<Vec<EmailAddress>>,
    /// URLs.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub urls: Option<Vec<Url>>,
    /// Tag names (not ids).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub tags: Option<Vec<String>>,
    /// Applications.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub applications: Option<Vec<Ref<Application>>>,
    /// Attachments.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub attachments: Option<Vec<Ref<Attachment>>>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A candidate's application to a job.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Application {
    /// Merge id.
    pub id: String,
    /// The ATS's own id (may not exist in the ATS when Merge synthesises applications).
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// The candidate.
    #[serde(default)]
    pub candidate: Option<Ref<Candidate>>,
    /// The job.
    #[serde(default)]
    pub job: Option<Ref<Job>>,
    /// When the candidate applied.
    #[serde(default)]
    pub applied_at: Option<DateTime<Utc>>,
    /// When rejected; `Some` means rejected.
    #[serde(default)]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Offers (ids or expanded objects; the product never reads offers).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub offers: Option<Vec<Ref<Value>>>,
    /// Free-text source.
    #[serde(default)]
    pub source: Option<String>,
    /// The user credited with the application.
    #[serde(default)]
    pub credited_to: Option<Ref<RemoteUser>>,
    /// Screening question answers (newer field; ids or expanded objects).
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub screening_question_answers: Option<Vec<Ref<Value>>>,
    /// The current pipeline stage.
    #[serde(default)]
    pub current_stage: Option<Ref<JobInterviewStage>>,
    /// Why it was rejected.
    #[serde(default)]
    pub reject_reason: Option<Ref<RejectReason>>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A file attached to a candidate (resume, cover letter, ...).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Attachment {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// File name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Download URL (may be short-lived).
    #[serde(default)]
    pub file_url: Option<String>,
    /// The candidate.
    #[serde(default)]
    pub candidate: Option<Ref<Candidate>>,
    /// Kind of attachment.
    #[serde(default)]
    pub attachment_type: Option<AttachmentType>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A scheduled interview (Merge `ScheduledInterview`, endpoint `/interviews`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ScheduledInterview {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// The application.
    #[serde(default)]
    pub application: Option<Ref<Application>>,
    /// The stage the interview belongs to.
    #[serde(default)]
    pub job_interview_stage: Option<Ref<JobInterviewStage>>,
    /// The organiser.
    #[serde(default)]
    pub organizer: Option<Ref<RemoteUser>>,
    /// The interviewers.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub interviewers: Option<Vec<Ref<RemoteUser>>>,
    /// Location text.
    #[serde(default)]
    pub location: Option<String>,
    /// Start.
    #[serde(default)]
    pub start_at: Option<DateTime<Utc>>,
    /// End.
    #[serde(default)]
    pub end_at: Option<DateTime<Utc>>,
    /// When the ATS created the interview.
    #[serde(default)]
    pub remote_created_at: Option<DateTime<Utc>>,
    /// When the ATS last changed the interview.
    #[serde(default)]
    pub remote_updated_at: Option<DateTime<Utc>>,
    /// Status.
    #[serde(default)]
    pub status: Option<InterviewStatus>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

/// A reason an application was rejected.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct RejectReason {
    /// Merge id.
    pub id: String,
    /// The ATS's own id.
    #[serde(default)]
    pub remote_id: Option<String>,
    /// When Merge created the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When Merge last changed the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    /// Reason text.
    #[serde(default)]
    pub name: Option<String>,
    /// Deleted in the ATS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_was_deleted: Option<bool>,
    /// Custom field mappings.
    #[serde(default)]
    pub field_mappings: Option<Value>,
    /// Raw ATS data (with `include_remote_data`).
    #[serde(default)]
    pub remote_data: Option<Vec<RemoteData>>,
}

has_id!(
    RemoteUser,
    Job,
    JobInterviewStage,
    Candidate,
    Application,
    Attachment,
    ScheduledInterview,
    RejectReason
);

impl CommonModel for RemoteUser {
    const PATH: &'static str = "users";
    const EXPAND: &'static [&'static str] = &[];
}

impl CommonModel for Job {
    const PATH: &'static str = "jobs";
    const EXPAND: &'static [&'static str] = &[
        "departments",
        "offices",
        "hiring_managers",
        "job_postings",
        "recruiters",
    ];
}

impl CommonModel for JobInterviewStage {
    const PATH: &'static str = "job-interview-stages";
    const EXPAND: &'static [&'static str] = &["job"];
}

impl CommonModel for Candidate {
    const PATH: &'static str = "candidates";
    const EXPAND: &'static [&'static str] = &["applications", "attachments"];
}

impl CommonModel for Application {
    const PATH: &'static str = "applications";
    /// The spec's order (2024 OpenAPI `expand` enum), then the newer screening-answer relations.
    /// The spec lists the offers relation first; it is left out on purpose: the product
    /// promises never to read offers, so the client cannot ask for them.
    const EXPAND: &'static [&'static str] = &[
        "candidate",
        "job",
        "credited_to",
        "current_stage",
        "reject_reason",
        "screening_question_answers",
        "screening_question_answers.question",
    ];
}

impl CommonModel for Attachment {
    const PATH: &'static str = "attachments";
    const EXPAND: &'static [&'static str] = &["candidate"];
}

impl CommonModel for ScheduledInterview {
    const PATH: &'static str = "interviews";
    const EXPAND: &'static [&'static str] = &[
        "interviewers",
        "organizer",
        "application",
        "job_interview_stage",
    ];
}

impl CommonModel for RejectReason {
    const PATH: &'static str = "reject-reasons";
    const EXPAND: &'static [&'static str] = &[];
}

// ---------------------------------------------------------------------------------------------
// Linking and linked accounts
// ---------------------------------------------------------------------------------------------

/// Body of `POST /link-token` (Merge `EndUserDetailsRequest`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkTokenRequest {
    /// The customer admin's e-mail (identification only).
    pub end_user_email_address: String,
    /// The customer's company name.
    pub end_user_organization_name: String,
    /// Our stable id for the customer (reuse it to relink).
    pub end_user_origin_id: String,
    /// Categories; `["ats"]` for this product.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Integration slug to skip the picker (e.g. `greenhouse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<String>,
    /// Link token lifetime in minutes (Merge default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_expiry_mins: Option<u32>,
    /// Ask for a Magic Link URL instead of the embedded flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_create_magic_link_url: Option<bool>,
}

impl LinkTokenRequest {
    /// A request for the `ats` category with no preselected integration.
    pub fn ats(
        end_user_email_address: impl Into<String>,
        end_user_organization_name: impl Into<String>,
        end_user_origin_id: impl Into<String>,
    ) -> Self {
        LinkTokenRequest {
            end_user_email_address: end_user_email_address.into(),
            end_user_organization_name: end_user_organization_name.into(),
            end_user_origin_id: end_user_origin_id.into(),
            categories: vec!["ats".to_owned()],
            ..Default::default()
        }
    }
}

/// Response of `POST /link-token`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkToken {
    /// Single-use token for Merge Link.
    pub link_token: String,
    /// Set when the origin id already has a linked account (relink).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_name: Option<String>,
    /// Hosted Link URL when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magic_link_url: Option<String>,
}

/// An integration (ATS product) as an object: in the account-token exchange and available actions.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountIntegration {
    /// Display name (e.g. `Greenhouse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbreviated_name: Option<String>,
    /// Categories.
    #[serde(
        default,
        deserialize_with = "lenient::opt_vec",
        skip_serializing_if = "Option::is_none"
    )]
    pub categories: Option<Vec<String>>,
    /// Logo URL.
    #[serde(default)]
    pub image: Option<String>,
    /// Square logo URL.
    #[serde(default)]
    pub square_image: Option<String>,
    /// Brand colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Slug (e.g. `greenhouse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Map of API endpoints to documentation URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_endpoints_to_documentation_urls: Option<Value>,
    /// Webhook setup guide.
    #[serde(default)]
    pub webhook_setup_guide_url: Option<String>,
    /// Beta status per category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_beta_status: Option<Value>,
}

/// Response of `GET /account-token/{public_token}`. Its `integration` is an object, unlike
/// [`AccountDetails::integration`].
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountToken {
    /// The linked account's long-lived secret token.
    pub account_token: String,
    /// The integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<AccountIntegration>,
    /// The linked account's Merge id (absent in older payloads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Response of `GET /account-details`, and the `linked_account` of webhook payloads. Its
/// `integration` is the display name string, unlike [`AccountToken::integration`].
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AccountDetails {
    /// The linked account's Merge id.
    #[serde(default)]
    pub id: String,
    /// Integration display name (e.g. `Greenhouse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<String>,
    /// Integration slug (e.g. `greenhouse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_slug: Option<String>,
    /// Category (`ats`).
    #[serde(default)]
    pub category: Option<String>,
    /// Our id for the customer, from the link token request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_origin_id: Option<String>,
    /// The customer's company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_organization_name: Option<String>,
    /// The customer admin's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_email_address: Option<String>,
    /// Link status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LinkedAccountStatus>,
    /// Merge's listener URL for ATS webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_listener_url: Option<String>,
    /// Whether Merge considers this a duplicate link.
    #[serde(default)]
    pub is_duplicate: Option<bool>,
    /// Production or test account (absent in webhook payloads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<AccountType>,
    /// When linking completed (newer field; absent in webhook payloads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
}

impl HasId for AccountDetails {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One model's supported operations in [`AvailableActions`].
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelOperation {
    /// Model name (e.g. `Candidate`).
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub model_name: String,
    /// Operations (e.g. `FETCH`, `CREATE`).
    #[serde(default, deserialize_with = "lenient::vec")]
    pub available_operations: Vec<String>,
    /// Body parameters writes of this model require (e.g. `remote_user_id`).
    #[serde(default, deserialize_with = "lenient::vec")]
    pub required_post_parameters: Vec<String>,
    /// Fields supported.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub supported_fields: Vec<String>,
}

/// Response of `GET /available-actions`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AvailableActions {
    /// The integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<AccountIntegration>,
    /// Whether passthrough requests are available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passthrough_available: Option<bool>,
    /// Per-model operations.
    #[serde(default, deserialize_with = "lenient::vec")]
    pub available_model_operations: Vec<ModelOperation>,
}

impl AvailableActions {
    /// The models whose writes this product performs.
    pub const WRITTEN_MODELS: [&'static str; 3] = ["Candidate", "Application", "Attachment"];

    /// Whether writes of `model_name` (compared case-insensitively, e.g. `Candidate`) must carry
    /// a `remote_user_id`.
    pub fn requires_remote_user_id(&self, model_name: &str) -> bool {
        self.available_model_operations.iter().any(|op| {
            op.model_name.eq_ignore_ascii_case(model_name)
                && op
                    .required_post_parameters
                    .iter()
                    .any(|p| p == "remote_user_id")
        })
    }

    /// Whether any of the written models (Candidate, Application, Attachment) requires a
    /// `remote_user_id`.
    pub fn any_write_requires_remote_user_id(&self) -> bool {
        Self::WRITTEN_MODELS
            .iter()
            .any(|m| self.requires_remote_user_id(m))
    }
}

/// One model's sync state (`GET /sync-status` item, `LinkedAccount.synced` webhook data).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Model name (e.g. `Application`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// Model id (e.g. `ats.Application`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    /// Start of the last sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_start: Option<DateTime<Utc>>,
    /// Planned start of the next sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_sync_start: Option<DateTime<Utc>>,
    /// Result of the last finished sync (newer field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_result: Option<SyncState>,
    /// End of the last finished sync (newer field; may belong to an earlier run than
    /// `last_sync_start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_finished: Option<DateTime<Utc>>,
    /// Current state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SyncState>,
    /// Whether this is the initial sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_initial_sync: Option<bool>,
    /// Selective sync usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selective_sync_configurations_usage: Option<SelectiveSyncUsage>,
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/// Where a [`Problem`] points in the request body.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ProblemSource {
    /// JSON pointer (e.g. `/model/last_name`).
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub pointer: String,
}

/// A write warning or error (Merge `WarningValidationProblem` / `ErrorValidationProblem`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Problem {
    /// The offending field, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ProblemSource>,
    /// Short title (e.g. `Missing Required Field`).
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub title: String,
    /// Human-readable detail.
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub detail: String,
    /// Machine code (e.g. `MISSING_REQUIRED_FIELD`, `UNRECOGNIZED_FIELD`); an open set.
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub problem_type: String,
}

impl Problem {
    /// A problem with a source pointer (`None` for none).
    pub fn new(
        problem_type: impl Into<String>,
        title: impl Into<String>,
        detail: impl Into<String>,
        pointer: Option<&str>,
    ) -> Self {
        Problem {
            source: pointer.map(|p| ProblemSource {
                pointer: p.to_owned(),
            }),
            title: title.into(),
            detail: detail.into(),
            problem_type: problem_type.into(),
        }
    }
}

/// Summary of one third-party call in a debug-mode write.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DebugLogSummary {
    /// Third-party URL.
    #[serde(default)]
    pub url: Option<String>,
    /// HTTP method.
    #[serde(default)]
    pub method: Option<String>,
    /// HTTP status.
    #[serde(default)]
    pub status_code: Option<u16>,
}

/// A debug-mode log entry of a write (only with `is_debug_mode=true`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DebugLog {
    /// Log id.
    #[serde(default)]
    pub log_id: Option<String>,
    /// Dashboard link.
    #[serde(default)]
    pub dashboard_view: Option<String>,
    /// Summary.
    #[serde(default)]
    pub log_summary: Option<DebugLogSummary>,
}

/// Response of a write (`POST /candidates` etc.): the created model plus warnings, errors, logs.
/// A failed write's 4xx body has the same shape without `model`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct WriteResponse<T> {
    /// The created/updated model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<T>,
    /// Non-blocking warnings (e.g. `UNRECOGNIZED_FIELD`).
    #[serde(default = "Vec::new", deserialize_with = "lenient::vec")]
    pub warnings: Vec<Problem>,
    /// Errors (nothing was written).
    #[serde(default = "Vec::new", deserialize_with = "lenient::vec")]
    pub errors: Vec<Problem>,
    /// Debug logs.
    #[serde(default = "Vec::new", deserialize_with = "lenient::vec")]
    pub logs: Vec<DebugLog>,
}

impl<T> Default for WriteResponse<T> {
    fn default() -> Self {
        WriteResponse {
            model: None,
            warnings: Vec::new(),
            errors: Vec::new(),
            logs: Vec::new(),
        }
    }
}

/// Body of every ATS write: `{"model": ..., "remote_user_id": ...}` (`remote_user_id` left out
/// when `None`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WriteRequest<M> {
    /// The model to write.
    pub model: M,
    /// Merge `RemoteUser.id` of the acting ATS user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_user_id: Option<String>,
}

/// An e-mail address in a write.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct EmailAddressRequest {
    /// The address.
    #[serde(default)]
    pub value: String,
    /// Kind of address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address_type: Option<EmailAddressType>,
}

/// A phone number in a write.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PhoneNumberRequest {
    /// The number.
    #[serde(default)]
    pub value: String,
    /// Kind of number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_type: Option<PhoneNumberType>,
}

/// A URL in a write.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct UrlRequest {
    /// The URL text.
    #[serde(default)]
    pub value: String,
    /// Kind of URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_type: Option<UrlType>,
}

/// The `model` of `POST /candidates` (and the nested candidate of `POST /applications`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct CandidateRequest {
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Current company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Current title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Last interaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_interaction_at: Option<DateTime<Utc>>,
    /// Private candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
    /// Whether the candidate may be e-mailed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_email: Option<bool>,
    /// Locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<String>>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumberRequest>>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_addresses: Option<Vec<EmailAddressRequest>>,
    /// URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<UrlRequest>>,
    /// Tag names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Applications: ids, or nested applications to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applications: Option<Vec<Ref<ApplicationRequest>>>,
    /// Attachments: ids, or nested attachments to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Ref<AttachmentRequest>>>,
    /// Integration template id (from `/candidates/meta/post`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_template_id: Option<String>,
    /// Integration-specific parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_params: Option<Value>,
    /// Linked-account-specific parameters (from the meta schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_account_params: Option<Value>,
}

/// The `model` of `POST /applications`. `candidate` is an id, or a nested [`CandidateRequest`]
/// for the single-call flow (Merge creates or de-duplicates the candidate).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ApplicationRequest {
    /// Candidate id or nested candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<Ref<CandidateRequest>>,
    /// Job id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    /// When the candidate applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<DateTime<Utc>>,
    /// When rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Free-text source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Credited user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credited_to: Option<String>,
    /// Initial stage id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_stage: Option<String>,
    /// Reject reason id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    /// Integration template id (from `/applications/meta/post`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_template_id: Option<String>,
    /// Integration-specific parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_params: Option<Value>,
    /// Linked-account-specific parameters (from the meta schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_account_params: Option<Value>,
}

/// The `model` of `POST /attachments`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AttachmentRequest {
    /// File name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// URL Merge downloads the file from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    /// Candidate id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// Kind of attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_type: Option<AttachmentType>,
    /// Integration-specific parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_params: Option<Value>,
    /// Linked-account-specific parameters (from the meta schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_account_params: Option<Value>,
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/// The `hook` of a webhook payload. `id` is the webhook configuration's id, not per delivery.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct WebhookHook {
    /// Webhook configuration id.
    #[serde(default)]
    pub id: Option<String>,
    /// Event name (e.g. `Application.changed`, `LinkedAccount.synced`); match case-insensitively.
    #[serde(default)]
    pub event: Option<String>,
    /// The URL the webhook was sent to.
    #[serde(default)]
    pub target: Option<String>,
}

/// A webhook body from Merge. `data` depends on the event: a full common model for
/// `<Model>.added/changed/removed`, [`LinkedAccountSyncedData`] for `LinkedAccount.synced`.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// Which webhook fired.
    #[serde(default)]
    pub hook: WebhookHook,
    /// The linked account the event is about.
    #[serde(default)]
    pub linked_account: Option<AccountDetails>,
    /// Event-specific data.
    #[serde(default)]
    pub data: Value,
}

impl WebhookPayload {
    /// The event name, `""` when absent.
    pub fn event(&self) -> &str {
        self.hook.event.as_deref().unwrap_or("")
    }

    /// `data` parsed as `T` (e.g. [`Application`] for `Application.changed`).
    pub fn data_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
}

/// `data` of `LinkedAccount.synced` (and the legacy `LinkedAccount.fully_synced_initial`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkedAccountSyncedData {
    /// The linked account's token (secret).
    #[serde(default)]
    pub account_token: Option<String>,
    /// The sync status of the model that finished.
    #[serde(default)]
    pub sync_status: Option<SyncStatus>,
}
