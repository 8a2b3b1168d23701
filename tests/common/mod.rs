//! Shared test setup: real databases (a fresh SQLite file; a fresh PostgreSQL database when the test
//! command provides a server) and a real server on an ephemeral loopback port.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use digitalatlas::server::{self, RunningServer};
use sqlx::Connection;

/// Admin URL of the throwaway PostgreSQL cluster that `scripts/test` starts.
pub const PG_ENV: &str = "DIGITALATLAS_TEST_POSTGRES";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database for one test; the SQLite file lives as long as this value.
pub struct TestDb {
    pub name: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

pub fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("digitalatlas.db").display()
    );
    TestDb {
        name: "sqlite",
        url,
        _dir: Some(dir),
    }
}

/// A fresh, empty PostgreSQL database, or None when no server was provided. Under CI the server is
/// mandatory, so that a missing PostgreSQL cannot pass silently.
pub async fn postgres_db() -> Option<TestDb> {
    let admin = match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "{PG_ENV} must be set under CI (scripts/test sets it)"
            );
            eprintln!("{PG_ENV} not set: skipping the PostgreSQL half of this test");
            return None;
        }
    };
    let name = unique("da_test");
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    Some(TestDb {
        name: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

/// Every backend available to this run: SQLite always, PostgreSQL when provided.
pub async fn all_dbs() -> Vec<TestDb> {
    let mut dbs = vec![sqlite_db()];
    dbs.extend(postgres_db().await);
    dbs
}

/// Starts the real server on an ephemeral port against `url`.
pub async fn start_server(url: &str) -> RunningServer {
    let state = server::prepare(url).await.expect("prepare server");
    server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .expect("start server")
}

pub fn base_url(server: &RunningServer) -> String {
    format!("http://{}", server.addr)
}
