//! The database handle: SQLite (default) or PostgreSQL, chosen by the URL scheme at start-up.
//!
//! Queries are written once and run on either backend through [`on_db!`], which expands the
//! same body for each pool type; see docs/decisions.md for why this replaced per-backend stores.

use std::{str::FromStr, time::Duration};

use anyhow::{bail, Context};
use sqlx::{
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
    PgPool, SqlitePool,
};

/// One connection pool per process.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of `$db` (`&SqlitePool` or `&PgPool`).
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::ssr::db::Db::Sqlite($pool) => $body,
            $crate::ssr::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Opens a transaction that will write. On SQLite it starts as `BEGIN IMMEDIATE`, taking the
/// write lock up front: a deferred transaction that reads first and writes later fails with
/// "database is locked" when another connection wrote in between, without waiting.
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Database>>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>>> + Send
    {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>>> + Send
    {
        self.begin()
    }
}

/// The database file of a `sqlite:` URL (None for PostgreSQL or an in-memory database).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let opts = SqliteConnectOptions::from_str(url).ok()?;
    let file = opts.get_filename();
    (!file.as_os_str().is_empty() && file.to_str() != Some(":memory:")).then(|| file.to_path_buf())
}

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres:`) and applies the migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        let db = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .with_context(|| format!("bad SQLite URL {url}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if let Some(dir) = opts.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await
                .context("opening the SQLite database")?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            Db::Postgres(pool)
        } else {
            bail!("ATSB_DATABASE_URL must start with sqlite: or postgres: (got {url:?})");
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the backend's migrations (migrations/sqlite or migrations/postgres).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("../migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("../migrations/postgres").run(p).await,
        }
        .context("applying database migrations")
    }

    /// The backend's name, for logs and health output.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        on_db!(self, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// Whether every migration this build knows is applied (`/readyz`): a process started
    /// against a database another, older or newer, build migrated is not ready.
    pub async fn migrations_applied(&self) -> bool {
        let (migrator, applied) = match self {
            Db::Sqlite(p) => (
                sqlx::migrate!("../migrations/sqlite"),
                sqlx::query_scalar::<_, i64>(MIGRATIONS_APPLIED)
                    .fetch_all(p)
                    .await
                    .ok(),
            ),
            Db::Postgres(p) => (
                sqlx::migrate!("../migrations/postgres"),
                sqlx::query_scalar::<_, i64>(MIGRATIONS_APPLIED)
                    .fetch_all(p)
                    .await
                    .ok(),
            ),
        };
        applied.is_some_and(|applied| migrator.iter().all(|m| applied.contains(&m.version)))
    }
}

const MIGRATIONS_APPLIED: &str = "SELECT version FROM _sqlx_migrations WHERE success";

#[cfg(test)]
mod tests {
    fn versions(dir: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let sqlite = versions(&format!("{root}/sqlite"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, versions(&format!("{root}/postgres")));
    }
}
