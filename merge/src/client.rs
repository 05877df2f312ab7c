//! The typed Merge ATS client: one `reqwest::Client`, the API root and the API key; per-account
//! calls take the linked account's token as an argument.
//!
//! The client is a thin typed mapping: one HTTP request per call, statuses mapped to
//! [`MergeError`], no retries (callers decide, see [`MergeError::is_retryable`]). It never calls
//! Merge's scorecard or offer endpoints. Keys and tokens are sent as sensitive headers and never
//! appear in `Debug` output or errors.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::{HeaderValue, ACCEPT, RETRY_AFTER};
use reqwest::{Method, RequestBuilder};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use crate::error::{MergeError, Result};
use crate::types::{
    AccountDetails, AccountToken, Application, ApplicationRequest, Attachment, AttachmentRequest,
    AvailableActions, Candidate, CandidateRequest, CommonModel, Job, JobInterviewStage, LinkToken,
    LinkTokenRequest, Page, RemoteUser, ScheduledInterview, WriteRequest, WriteResponse,
};

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default whole-request timeout (writes proxy synchronously to the ATS and can be slow).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The header carrying a linked account's token.
pub const ACCOUNT_TOKEN_HEADER: &str = "X-Account-Token";

/// The API root of a Merge region: `us`, `eu` or `ap` (case-insensitive); `None` otherwise.
pub fn api_root_for_region(region: &str) -> Option<Url> {
    let root = match region.trim().to_ascii_lowercase().as_str() {
        "us" => "https://api.merge.dev/api",
        "eu" => "https://api-eu.merge.dev/api",
        "ap" => "https://api-ap.merge.dev/api",
        _ => return None,
    };
    Url::parse(root).ok()
}

/// Parameters of one list request. Build with the helpers, e.g.
/// `ListQuery::default().page_size(100).filter("email_addresses", email)`.
///
/// Keep everything but `cursor` fixed during one pagination run ([`ListQuery::next_page`] does).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Cursor from the previous page's `next`.
    pub cursor: Option<String>,
    /// Page size (Merge's maximum is 100).
    pub page_size: Option<u32>,
    /// Only records Merge changed after this instant (Merge's sync time, not the ATS's).
    pub modified_after: Option<DateTime<Utc>>,
    /// Also return records deleted in the ATS (sent only when `true`).
    pub include_deleted_data: bool,
    /// Relations to expand; sent as one comma-joined `expand` in Merge's spec order.
    pub expand: Vec<&'static str>,
    /// Model-specific filters (e.g. `("job_id", id)`), sent in this order.
    pub filters: Vec<(&'static str, String)>,
}

impl ListQuery {
    /// Sets `page_size`.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Sets `modified_after`.
    pub fn modified_after(mut self, at: DateTime<Utc>) -> Self {
        self.modified_after = Some(at);
        self
    }

    /// Sets `include_deleted_data`.
    pub fn include_deleted_data(mut self, yes: bool) -> Self {
        self.include_deleted_data = yes;
        self
    }

    /// Adds a relation to `expand`.
    pub fn expand(mut self, field: &'static str) -> Self {
        if !self.expand.contains(&field) {
            self.expand.push(field);
        }
        self
    }

    /// Adds a filter parameter.
    pub fn filter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.filters.push((name, value.into()));
        self
    }

    /// Sets the cursor.
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// The query for the page after `page`: the same parameters with `cursor = page.next`;
    /// `None` when `page.next` is `None` (the last page).
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<ListQuery> {
        let next = page.next.as_ref()?;
        Some(ListQuery {
            cursor: Some(next.clone()),
            ..self.clone()
        })
    }

    /// The query string pairs, with `expand` ordered as `expand_order` lists the fields.
    pub fn to_pairs(&self, expand_order: &[&str]) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        if let Some(n) = self.page_size {
            pairs.push(("page_size", n.to_string()));
        }
        if let Some(at) = self.modified_after {
            pairs.push(("modified_after", rfc3339(at)));
        }
        if self.include_deleted_data {
            pairs.push(("include_deleted_data", "true".to_owned()));
        }
        if !self.expand.is_empty() {
            pairs.push(("expand", join_expand(expand_order, &self.expand)));
        }
        pairs.extend(self.filters.iter().cloned());
        pairs
    }
}

/// [`ListQuery::next_page`] as a function.
pub fn next_page<T>(q: &ListQuery, page: &Page<T>) -> Option<ListQuery> {
    q.next_page(page)
}

/// Joins `requested` relation names with `,` (no spaces), in the order `order` lists them, then
/// any names `order` does not know in the order requested; duplicates dropped.
pub fn join_expand(order: &[&str], requested: &[&str]) -> String {
    let mut names: Vec<&str> = order
        .iter()
        .copied()
        .filter(|name| requested.contains(name))
        .collect();
    for name in requested {
        if !names.contains(name) {
            names.push(name);
        }
    }
    names.join(",")
}

/// An instant as RFC 3339 in UTC with `Z` (fractional seconds only when present).
fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Merge ATS API client. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    api_key: SecretString,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("api_key", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `api_root` (e.g. `https://api.merge.dev/api`; see [`api_root_for_region`])
    /// with the default timeouts.
    pub fn new(api_root: Url, api_key: SecretString) -> Result<Client> {
        Self::with_timeouts(
            api_root,
            api_key,
            DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_REQUEST_TIMEOUT,
        )
    }

    /// A client with explicit connect and whole-request timeouts. Fails with
    /// [`MergeError::Transport`] when `api_root` is not an http(s) URL or the HTTP client cannot
    /// be built.
    pub fn with_timeouts(
        api_root: Url,
        api_key: SecretString,
        connect_timeout: Duration,
        request_timeout: Duration,
    ) -> Result<Client> {
        if api_root.cannot_be_a_base() || !matches!(api_root.scheme(), "http" | "https") {
            return Err(MergeError::Transport(
                "the Merge API root must be an http(s) URL".to_owned(),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            // Merge does not redirect; following one could carry the key to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ats-bridge-merge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(MergeError::from_reqwest)?;
        Ok(Client {
            http,
            base: api_root,
            api_key,
        })
    }

    /// The API root this client talks to.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `{root}/ats/v1/{segments...}`, each segment percent-encoded.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.set_query(None);
        url.set_fragment(None);
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(["ats", "v1"]).extend(segments);
        }
        url
    }

    /// A request with the API key, and the account token when given.
    fn request(
        &self,
        method: Method,
        url: Url,
        account_token: Option<&str>,
    ) -> Result<RequestBuilder> {
        let mut req = self
            .http
            .request(method, url)
            .bearer_auth(self.api_key.expose_secret())
            .header(ACCEPT, "application/json");
        if let Some(token) = account_token {
            let mut value = HeaderValue::from_str(token).map_err(|_| {
                MergeError::Transport("the account token is not a valid header value".to_owned())
            })?;
            value.set_sensitive(true);
            req = req.header(ACCOUNT_TOKEN_HEADER, value);
        }
        Ok(req)
    }

    /// Sends a request and returns the success body, or the mapped error.
    async fn send_raw(&self, req: RequestBuilder) -> Result<(u16, Vec<u8>)> {
        let resp = req.send().await.map_err(MergeError::from_reqwest)?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after = header(RETRY_AFTER.as_str());
        let retry_after_ms = header("retry-after-ms");
        let body = resp.bytes().await.map_err(MergeError::from_reqwest)?;
        if (200..300).contains(&status) {
            Ok((status, body.to_vec()))
        } else {
            Err(MergeError::from_response(
                status,
                retry_after.as_deref(),
                retry_after_ms.as_deref(),
                &body,
            ))
        }
    }

    /// Sends a request and parses the JSON success body as `T`.
    async fn send<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T> {
        let (_, body) = self.send_raw(req).await?;
        decode(&body)
    }

    /// Sends a write and parses its [`WriteResponse`]; a 2xx body with errors and no model is
    /// reported as [`MergeError::Validation`].
    async fn write<M: Serialize, T: DeserializeOwned>(
        &self,
        account_token: &str,
        path: &str,
        model: &M,
        remote_user_id: Option<&str>,
    ) -> Result<WriteResponse<T>> {
        let body = WriteRequest {
            model,
            remote_user_id: remote_user_id.map(str::to_owned),
        };
        let req = self
            .request(Method::POST, self.url(&[path]), Some(account_token))?
            .json(&body);
        let (status, bytes) = self.send_raw(req).await?;
        let resp: WriteResponse<T> = decode(&bytes)?;
        if resp.model.is_none() && !resp.errors.is_empty() {
            return Err(MergeError::Validation {
                status,
                errors: resp.errors,
                warnings: resp.warnings,
            });
        }
        Ok(resp)
    }

    // ---- linking and linked accounts -------------------------------------------------------

    /// `POST /link-token` (API key only): a single-use token for Merge Link.
    pub async fn create_link_token(&self, req: &LinkTokenRequest) -> Result<LinkToken> {
        let r = self
            .request(Method::POST, self.url(&["link-token"]), None)?
            .json(req);
        self.send(r).await
    }

    /// `GET /account-token/{public_token}` (API key only): exchanges Link's public token for the
    /// linked account's token and id.
    pub async fn exchange_public_token(&self, public_token: &str) -> Result<AccountToken> {
        let r = self.request(
            Method::GET,
            self.url(&["account-token", public_token]),
            None,
        )?;
        self.send(r).await
    }

    /// `GET /account-details`.
    pub async fn account_details(&self, account_token: &str) -> Result<AccountDetails> {
        let r = self.request(
            Method::GET,
            self.url(&["account-details"]),
            Some(account_token),
        )?;
        self.send(r).await
    }

    /// `GET /available-actions`: supported operations and required write parameters.
    pub async fn available_actions(&self, account_token: &str) -> Result<AvailableActions> {
        let r = self.request(
            Method::GET,
            self.url(&["available-actions"]),
            Some(account_token),
        )?;
        self.send(r).await
    }

    /// `POST /delete-account`: irreversibly deletes the linked account; its token stops working.
    pub async fn delete_account(&self, account_token: &str) -> Result<()> {
        let r = self.request(
            Method::POST,
            self.url(&["delete-account"]),
            Some(account_token),
        )?;
        self.send_raw(r).await.map(|_| ())
    }

    // ---- reads -------------------------------------------------------------------------------

    /// One page of `GET /{M::PATH}`.
    pub async fn list<M: CommonModel>(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Page<M>> {
        let mut url = self.url(&[M::PATH]);
        let pairs = q.to_pairs(M::EXPAND);
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        let r = self.request(Method::GET, url, Some(account_token))?;
        self.send(r).await
    }

    /// Every record of `GET /{M::PATH}` from `q` on, paging until `next` is `None`. Fails with
    /// [`MergeError::Decode`] if Merge hands out a cursor it already gave (instead of looping).
    pub async fn collect_all<M: CommonModel>(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Vec<M>> {
        let mut all = Vec::new();
        let mut seen = HashSet::new();
        if let Some(c) = &q.cursor {
            seen.insert(c.clone());
        }
        let mut query = q.clone();
        loop {
            let page: Page<M> = self.list(account_token, &query).await?;
            let next = query.next_page(&page);
            all.extend(page.results);
            match next {
                None => return Ok(all),
                Some(next) => {
                    let cursor = next.cursor.clone().unwrap_or_default();
                    if !seen.insert(cursor) {
                        return Err(MergeError::Decode {
                            detail: format!(
                                "Merge repeated a pagination cursor for /{}; stopped paging",
                                M::PATH
                            ),
                        });
                    }
                    query = next;
                }
            }
        }
    }

    /// `GET /{M::PATH}/{id}` with `expand` joined in Merge's spec order.
    pub async fn retrieve<M: CommonModel>(
        &self,
        account_token: &str,
        id: &str,
        expand: &[&'static str],
    ) -> Result<M> {
        let mut url = self.url(&[M::PATH, id]);
        if !expand.is_empty() {
            url.query_pairs_mut()
                .append_pair("expand", &join_expand(M::EXPAND, expand));
        }
        let r = self.request(Method::GET, url, Some(account_token))?;
        self.send(r).await
    }

    /// One page of `GET /users`.
    pub async fn list_users(&self, account_token: &str, q: &ListQuery) -> Result<Page<RemoteUser>> {
        self.list(account_token, q).await
    }

    /// One page of `GET /jobs`.
    pub async fn list_jobs(&self, account_token: &str, q: &ListQuery) -> Result<Page<Job>> {
        self.list(account_token, q).await
    }

    /// One page of `GET /job-interview-stages` (filter `job_id`).
    pub async fn list_job_interview_stages(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Page<JobInterviewStage>> {
        self.list(account_token, q).await
    }

    /// One page of `GET /candidates` (filters `email_addresses`, `first_name`, `last_name`, `tags`).
    pub async fn list_candidates(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Page<Candidate>> {
        self.list(account_token, q).await
    }

    /// One page of `GET /applications` (filters `candidate_id`, `job_id`, `current_stage_id`, ...).
    pub async fn list_applications(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Page<Application>> {
        self.list(account_token, q).await
    }

    /// One page of `GET /interviews` (filters `application_id`, `job_id`, ...).
    pub async fn list_interviews(
        &self,
        account_token: &str,
        q: &ListQuery,
    ) -> Result<Page<ScheduledInterview>> {
        self.list(account_token, q).await
    }

    /// `GET /applications/{id}`.
    pub async fn retrieve_application(
        &self,
        account_token: &str,
        id: &str,
        expand: &[&'static str],
    ) -> Result<Application> {
        self.retrieve(account_token, id, expand).await
    }

    // ---- writes ------------------------------------------------------------------------------

    /// `POST /candidates` with `{"model": ..., "remote_user_id": ...}`.
    pub async fn create_candidate(
        &self,
        account_token: &str,
        model: &CandidateRequest,
        remote_user_id: Option<&str>,
    ) -> Result<WriteResponse<Candidate>> {
        self.write(account_token, "candidates", model, remote_user_id)
            .await
    }

    /// `POST /applications`; `model.candidate` may be a nested candidate (single-call flow).
    pub async fn create_application(
        &self,
        account_token: &str,
        model: &ApplicationRequest,
        remote_user_id: Option<&str>,
    ) -> Result<WriteResponse<Application>> {
        self.write(account_token, "applications", model, remote_user_id)
            .await
    }

    /// `POST /attachments` (Merge downloads the file from `model.file_url`).
    pub async fn create_attachment(
        &self,
        account_token: &str,
        model: &AttachmentRequest,
        remote_user_id: Option<&str>,
    ) -> Result<WriteResponse<Attachment>> {
        self.write(account_token, "attachments", model, remote_user_id)
            .await
    }
}

/// Parses a success body.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| MergeError::Decode {
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn regions_map_to_their_api_roots() {
        assert_eq!(
            api_root_for_region("us").map(String::from),
            Some("https://api.merge.dev/api".to_owned())
        );
        assert_eq!(
            api_root_for_region("EU").map(String::from),
            Some("https://api-eu.merge.dev/api".to_owned())
        );
        assert_eq!(
            api_root_for_region("ap").map(String::from),
            Some("https://api-ap.merge.dev/api".to_owned())
        );
        assert_eq!(api_root_for_region("mars"), None);
    }

    #[test]
    fn expand_follows_the_spec_order_not_the_request_order() {
        let order = <Application as CommonModel>::EXPAND;
        assert_eq!(
            join_expand(
                order,
                &["reject_reason", "current_stage", "job", "candidate"]
            ),
            "candidate,job,current_stage,reject_reason"
        );
        assert_eq!(join_expand(order, &["zeta", "job", "job"]), "job,zeta");
    }

    #[test]
    fn datetimes_are_sent_in_utc_with_z() {
        let at = chrono::FixedOffset::west_opt(5 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 1, 15, 4, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let pairs = ListQuery::default().modified_after(at).to_pairs(&[]);
        assert_eq!(
            pairs,
            vec![("modified_after", "2026-01-15T09:30:00Z".to_owned())]
        );
    }

    #[test]
    fn urls_keep_the_root_path_and_encode_segments() {
        let c = Client::new(
            Url::parse("http://127.0.0.1:9/api/").unwrap(),
            SecretString::from("sk_SECRET_VALUE"),
        )
        .unwrap();
        assert_eq!(
            c.url(&["account-token", "a/b c"]).as_str(),
            "http://127.0.0.1:9/api/ats/v1/account-token/a%2Fb%20c"
        );
        let debug = format!("{c:?}");
        assert!(!debug.contains("SECRET") && debug.contains("[redacted]"));
    }
}
