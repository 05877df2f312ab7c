//! `Config`: every setting ATS Bridge reads from the environment, read once at start-up.

use std::{fmt, path::PathBuf};

use anyhow::{bail, Context};
use base64::{engine::general_purpose::STANDARD, Engine};
use secrecy::SecretString;
use url::Url;

/// Where Merge lives: the real service (with an API key) or the embedded sandbox.
#[derive(Clone)]
pub enum MergeMode {
    /// Talk to Merge at `api_root` (e.g. `https://api.merge.dev/api`).
    Remote {
        api_root: Url,
        api_key: SecretString,
    },
    /// Start the in-process sandbox on a loopback port and talk to it over HTTP.
    Sandbox,
}

/// The server's configuration. `Debug` never prints secrets.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// Where the ATS fetches profile PDFs and Merge sends webhooks. In sandbox mode it may be
    /// unset and is then the address the server bound (see [`Config::with_bound_addr`]).
    pub public_url: Url,
    pub encryption_key: [u8; 32],
    /// The key before a rotation (`ATSB_PREVIOUS_ENCRYPTION_KEY`), read until `rotate-key` ran.
    pub previous_encryption_key: Option<[u8; 32]>,
    pub merge: MergeMode,
    pub webhook_key: SecretString,
    /// `None` means "serve the sandbox's Link script from our own origin".
    pub link_script_url: Option<String>,
    /// Start the background workers (push, periodic sync). Tests may turn them off.
    pub workers: bool,
    /// How often every connected tenant is synced as a safety net.
    pub sync_interval: std::time::Duration,
    /// How long a worker owns a push before another may take it over; renewed while it runs.
    pub push_lease: std::time::Duration,
    /// The same for a tenant's sync.
    pub sync_lease: std::time::Duration,
    /// How many tenants one process syncs at once.
    pub sync_workers: usize,
    /// Seed the demo company on an empty database (`ATSB_SEED_DEMO`; on by default only with
    /// the embedded sandbox, e.g. for staging against a standalone sandbox).
    pub seed_demo: bool,
    /// The Merge plan's rate limit per linked account (`ATSB_MERGE_RATE_LIMIT`, e.g. `100`,
    /// `400/60s`; default 100 per minute).
    pub merge_rate: super::rate_budget::RateLimit,
    /// How often a tenant's sync is a full pass (the safety net that also finds deletions);
    /// the syncs in between are incremental.
    pub full_sync_every: std::time::Duration,
    /// How far before its watermark an incremental pull reaches back (clock skew, writes
    /// during the last pull).
    pub sync_overlap: std::time::Duration,
    /// The reverse proxy in front of us (`ATSB_TRUSTED_PROXY`, an IP address): only its
    /// `X-Forwarded-For` says who the client is (sign-in throttling per client IP).
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How long a change of a tenant's health must hold before it is shown
    /// (`ATSB_HEALTH_HOLD_SECS`, default 120; 0 shows every change at once).
    pub health_hold: std::time::Duration,
    /// How often tenant health is evaluated (`ATSB_HEALTH_EVERY_SECS`, default 10).
    pub health_every: std::time::Duration,
    /// Where invitations and password resets are sent from (`ATSB_SMTP_URL`, e.g.
    /// `smtps://user:password@smtp.example.com`, with `ATSB_MAIL_FROM`); without it they go to
    /// the demo mailbox in sandbox mode.
    pub smtp: Option<Smtp>,
}

/// An SMTP relay and the sender address.
#[derive(Clone)]
pub struct Smtp {
    pub url: SecretString,
    pub from: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let merge = match &self.merge {
            MergeMode::Remote { api_root, .. } => format!("Remote({api_root}, key=[redacted])"),
            MergeMode::Sandbox => "Sandbox".to_string(),
        };
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url.as_str())
            .field("encryption_key", &"[redacted]")
            .field("merge", &merge)
            .field("webhook_key", &"[redacted]")
            .field("link_script_url", &self.link_script_url)
            .field("workers", &self.workers)
            .field("sync_interval", &self.sync_interval)
            .field("push_lease", &self.push_lease)
            .field("sync_lease", &self.sync_lease)
            .field("sync_workers", &self.sync_workers)
            .field("seed_demo", &self.seed_demo)
            .field("merge_rate", &self.merge_rate)
            .field("full_sync_every", &self.full_sync_every)
            .field("sync_overlap", &self.sync_overlap)
            .field("health_hold", &self.health_hold)
            .field("smtp", &self.smtp.as_ref().map(|s| &s.from))
            .finish()
    }
}

/// A positive whole number from `name`, or `default` when unset.
fn positive(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: u64,
) -> anyhow::Result<u64> {
    match get(name) {
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .with_context(|| format!("{name} must be a positive whole number (got {v:?})")),
        None => Ok(default),
    }
}

/// A number of seconds (0 allowed) from `name`, or `default` when unset.
fn seconds(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: u64,
) -> anyhow::Result<std::time::Duration> {
    match get(name) {
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(std::time::Duration::from_secs)
            .with_context(|| format!("{name} must be a whole number of seconds (got {v:?})")),
        None => Ok(std::time::Duration::from_secs(default)),
    }
}

/// Hides a password in a database URL.
fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("redacted"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Placeholder until the bound address is known (sandbox mode without `ATSB_PUBLIC_URL`).
const UNSET_PUBLIC_URL: &str = "http://unset.invalid/";

impl Config {
    /// Fills an unset public URL with the address the server actually bound.
    pub fn with_bound_addr(mut self, addr: std::net::SocketAddr) -> Config {
        if self.public_url.as_str() == UNSET_PUBLIC_URL {
            if let Ok(u) = Url::parse(&format!("http://{addr}/")) {
                self.public_url = u;
            }
        }
        self
    }

    /// Reads the configuration from the process environment. In sandbox mode missing keys are
    /// generated under `ATSB_DATA_DIR` (default `./data`, with a warning); with a Merge API key
    /// they are required.
    pub fn from_env() -> anyhow::Result<Config> {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(get("ATSB_DATA_DIR").unwrap_or_else(|| "data".into()));
        Self::from_lookup(get, &data_dir)
    }

    /// Same as [`Config::from_env`] over any variable lookup (used by tests).
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Config> {
        let merge = match get("MERGE_API_KEY") {
            Some(key) => {
                let api_root = match (get("MERGE_API_BASE"), get("MERGE_REGION")) {
                    (Some(base), _) => Url::parse(&base).context("MERGE_API_BASE is not a URL")?,
                    (None, region) => {
                        let region = region.unwrap_or_else(|| "us".into());
                        merge::api_root_for_region(&region).with_context(|| {
                            format!("MERGE_REGION must be us, eu or ap (got {region:?})")
                        })?
                    }
                };
                MergeMode::Remote {
                    api_root,
                    api_key: SecretString::from(key),
                }
            }
            None => MergeMode::Sandbox,
        };
        let sandbox = matches!(merge, MergeMode::Sandbox);
        let secret = |name: &str, file: &str| -> anyhow::Result<String> {
            match get(name) {
                Some(v) => Ok(v),
                None if sandbox => generated_secret(&data_dir.join(file), name),
                None => bail!("{name} is required when MERGE_API_KEY is set"),
            }
        };
        let encryption_key = parse_key(&secret("ATSB_ENCRYPTION_KEY", "encryption.key")?)
            .context("ATSB_ENCRYPTION_KEY must be 32 bytes, base64-encoded")?;
        let previous_encryption_key = match get("ATSB_PREVIOUS_ENCRYPTION_KEY") {
            Some(k) => Some(
                parse_key(&k)
                    .context("ATSB_PREVIOUS_ENCRYPTION_KEY must be 32 bytes, base64-encoded")?,
            ),
            None => None,
        };
        let webhook_key = SecretString::from(secret("MERGE_WEBHOOK_KEY", "webhook.key")?);
        let public_url = match get("ATSB_PUBLIC_URL") {
            Some(u) => Url::parse(&u).context("ATSB_PUBLIC_URL is not a URL")?,
            None if sandbox => Url::parse(UNSET_PUBLIC_URL).context("placeholder URL")?,
            None => bail!("ATSB_PUBLIC_URL is required when MERGE_API_KEY is set"),
        };
        let link_script_url = match get("MERGE_LINK_SCRIPT_URL") {
            Some(u) => Some(u),
            None if sandbox => None,
            None => Some("https://cdn.merge.dev/initialize.js".into()),
        };
        Ok(Config {
            database_url: get("ATSB_DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/atsb.db?mode=rwc".into()),
            public_url,
            encryption_key,
            previous_encryption_key,
            merge,
            webhook_key,
            link_script_url,
            workers: get("ATSB_WORKERS").map(|v| v != "0").unwrap_or(true),
            push_lease: std::time::Duration::from_secs(positive(&get, "ATSB_PUSH_LEASE_SECS", 60)?),
            sync_lease: std::time::Duration::from_secs(positive(&get, "ATSB_SYNC_LEASE_SECS", 60)?),
            sync_workers: positive(&get, "ATSB_SYNC_WORKERS", 2)? as usize,
            full_sync_every: std::time::Duration::from_secs(positive(
                &get,
                "ATSB_FULL_SYNC_EVERY_SECS",
                86_400,
            )?),
            sync_overlap: std::time::Duration::from_secs(positive(
                &get,
                "ATSB_SYNC_OVERLAP_SECS",
                120,
            )?),
            seed_demo: get("ATSB_SEED_DEMO").map(|v| v != "0").unwrap_or(sandbox),
            merge_rate: match get("ATSB_MERGE_RATE_LIMIT") {
                Some(v) => super::rate_budget::RateLimit::parse(&v).with_context(|| {
                    format!("ATSB_MERGE_RATE_LIMIT must be like 100 or 400/60s (got {v:?})")
                })?,
                None => Default::default(),
            },
            trusted_proxy: match get("ATSB_TRUSTED_PROXY") {
                Some(v) => Some(v.trim().parse().with_context(|| {
                    format!("ATSB_TRUSTED_PROXY must be an IP address (got {v:?})")
                })?),
                None => None,
            },
            sync_interval: seconds(&get, "ATSB_SYNC_INTERVAL_SECS", 900)?,
            health_hold: seconds(&get, "ATSB_HEALTH_HOLD_SECS", 120)?,
            smtp: match (get("ATSB_SMTP_URL"), get("ATSB_MAIL_FROM")) {
                (Some(url), Some(from)) => Some(Smtp {
                    url: SecretString::from(url),
                    from,
                }),
                (None, None) => None,
                _ => bail!("ATSB_SMTP_URL and ATSB_MAIL_FROM are set together"),
            },
            health_every: std::time::Duration::from_secs(positive(
                &get,
                "ATSB_HEALTH_EVERY_SECS",
                10,
            )?),
        })
    }

    /// True when the embedded sandbox stands in for Merge (demo data, local mailbox).
    pub fn is_sandbox(&self) -> bool {
        matches!(self.merge, MergeMode::Sandbox)
    }
}

/// Decodes a base64 32-byte key.
pub fn parse_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = STANDARD.decode(text.trim()).context("not base64")?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("not 32 bytes"))
}

/// Reads a generated secret from `path`, creating it (mode 0600) when missing.
fn generated_secret(path: &std::path::Path, name: &str) -> anyhow::Result<String> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        return Ok(existing.trim().to_string());
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let value = STANDARD.encode(bytes);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_private(path, &value).with_context(|| format!("writing {}", path.display()))?;
    tracing::warn!(
        "{name} is not set: generated one in {} (fine for the sandbox, never for production)",
        path.display()
    );
    Ok(value)
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, value: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(value.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, value: &str) -> std::io::Result<()> {
    std::fs::write(path, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn sandbox_mode_generates_missing_keys_once() {
        let dir = std::env::temp_dir().join(format!("atsb-cfg-{}", uuid::Uuid::new_v4()));
        let a = Config::from_lookup(lookup(&[]), &dir).unwrap();
        let b = Config::from_lookup(lookup(&[]), &dir).unwrap();
        assert!(a.is_sandbox());
        assert_eq!(a.encryption_key, b.encryption_key);
        let bound = a.with_bound_addr("127.0.0.1:4321".parse().unwrap());
        assert_eq!(bound.public_url.as_str(), "http://127.0.0.1:4321/");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn merge_key_without_other_keys_is_refused() {
        let dir = std::env::temp_dir().join(format!("atsb-cfg-{}", uuid::Uuid::new_v4()));
        let err = Config::from_lookup(lookup(&[("MERGE_API_KEY", "k")]), &dir).unwrap_err();
        assert!(err.to_string().contains("ATSB_ENCRYPTION_KEY"), "{err}");
        assert!(!dir.exists(), "no keys may be generated in production mode");
    }

    #[test]
    fn region_picks_the_api_host_and_debug_hides_secrets() {
        let key = STANDARD.encode([7u8; 32]);
        let cfg = Config::from_lookup(
            lookup(&[
                ("MERGE_API_KEY", "very-secret-key"),
                ("MERGE_REGION", "eu"),
                ("ATSB_ENCRYPTION_KEY", &key),
                ("MERGE_WEBHOOK_KEY", "whk"),
                ("ATSB_PUBLIC_URL", "https://atsb.example.com"),
                ("ATSB_DATABASE_URL", "postgres://u:hunter2@db/atsb"),
            ]),
            std::path::Path::new("/nonexistent"),
        )
        .unwrap();
        match &cfg.merge {
            MergeMode::Remote { api_root, .. } => assert!(api_root.as_str().contains("api-eu")),
            MergeMode::Sandbox => panic!("expected remote"),
        }
        let debug = format!("{cfg:?}");
        for secret in ["very-secret-key", "hunter2", "whk", "mpt"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(
            cfg.link_script_url.as_deref(),
            Some("https://cdn.merge.dev/initialize.js")
        );
    }

    #[test]
    fn unknown_region_is_a_clear_error() {
        let err = Config::from_lookup(
            lookup(&[("MERGE_API_KEY", "k"), ("MERGE_REGION", "mars")]),
            std::path::Path::new("/nonexistent"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("us, eu or ap"), "{err}");
    }
}
