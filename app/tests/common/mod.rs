//! Test support: fresh databases on SQLite and PostgreSQL.

#![allow(dead_code)]

/// Runs each named `async fn(Backend)` scenario as two tests, `sqlite::<name>` and
/// `postgres::<name>` (the latter skipped only, loudly, with `ATSB_SKIP_PG=1`).
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                if super::common::skip_pg() {
                    return;
                }
                super::$name(super::Backend::Postgres).await
            })*
        }
    };
}

use app::ssr::db::Db;

/// The PostgreSQL server tests use (`ATSB_TEST_PG_URL`).
pub fn pg_url() -> String {
    std::env::var("ATSB_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// True when PostgreSQL tests are explicitly skipped (`ATSB_SKIP_PG=1`), with a loud warning.
pub fn skip_pg() -> bool {
    let skip = std::env::var("ATSB_SKIP_PG").as_deref() == Ok("1");
    if skip {
        eprintln!("!!! ATSB_SKIP_PG=1: this PostgreSQL test is SKIPPED");
    }
    skip
}

/// A fresh, migrated SQLite database in a temporary file.
pub async fn sqlite() -> Db {
    let path = std::env::temp_dir().join(format!("atsb-test-{}.db", uuid()));
    Db::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("sqlite")
}

/// A fresh, migrated PostgreSQL database (a new database per call on the test server).
/// Panics — never skips silently — when the server is unreachable.
pub async fn postgres() -> Db {
    Db::connect(&postgres_url().await).await.expect("postgres")
}

/// The URL of a new, empty database on the test server.
pub async fn postgres_url() -> String {
    use sqlx::Connection;
    let base = pg_url();
    let name = format!("atsb_test_{}", uuid().replace('-', ""));
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL at {base} is unreachable ({e}); set ATSB_SKIP_PG=1 to skip loudly")
        });
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let mut url = url::Url::parse(&base).expect("ATSB_TEST_PG_URL is a URL");
    url.set_path(&name);
    url.to_string()
}

/// Both backends, unless PostgreSQL is explicitly skipped.
pub async fn backends() -> Vec<Db> {
    let mut dbs = vec![sqlite().await];
    if !skip_pg() {
        dbs.push(postgres().await);
    }
    dbs
}

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
pub mod server;
