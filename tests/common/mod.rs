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

/// The bytes of a file of `tests/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture")
}

/// Imports a file from `tests/fixtures` through the normal import path and rebuilds the snapshot,
/// as the HTTP endpoint does.
pub async fn import_fixture(
    state: &digitalatlas::http::AppState,
    dataset: digitalatlas::import::Dataset,
    name: &str,
) -> digitalatlas::import::Summary {
    import_bytes(state, dataset, name, &fixture(name)).await
}

pub async fn import_bytes(
    state: &digitalatlas::http::AppState,
    dataset: digitalatlas::import::Dataset,
    name: &str,
    bytes: &[u8],
) -> digitalatlas::import::Summary {
    let req = digitalatlas::import::Request {
        dataset,
        source_name: name.to_string(),
        input: digitalatlas::import::Input::Bytes(bytes),
        format_hint: Some(name.to_string()),
        dry_run: false,
        actor: "test".into(),
        stichtag: None,
    };
    let summary = digitalatlas::import::run(
        &state.store,
        &req,
        digitalatlas::import::Limits::default(),
        &indicatif::ProgressBar::hidden(),
    )
    .await
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    state.after_import_of(&summary).await;
    summary
}

/// Sum of all samples of one metric name in a text exposition.
pub fn metric_sum(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Path of a tool from Debian's packages; mandatory under CI (scripts/test installs it).
pub fn tool(name: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "{name} must be installed under CI (scripts/test installs it)"
        );
        eprintln!("{name} not installed: skipping this check");
    }
    found
}

/// A free loopback port (bound and released; good enough for a test).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET `url` and parse the JSON body.
pub async fn get_json(c: &reqwest::Client, url: &str) -> serde_json::Value {
    c.get(url).send().await.unwrap().json().await.unwrap()
}

/// GET `url` with a bearer token and parse the JSON body.
pub async fn get_json_as(c: &reqwest::Client, url: &str, token: &str) -> serde_json::Value {
    c.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// GET `url` and return the body as text.
pub async fn get_text(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

/// A child process killed when dropped.
pub struct KillOnDrop(pub std::process::Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A real Prometheus scraping `target` (host:port) every second as job `digitalatlas`, on a free
/// loopback port; returns once it holds samples of `ready_query`. None when not installed.
pub struct Prometheus {
    pub url: String,
    _child: KillOnDrop,
    _dir: tempfile::TempDir,
}

pub async fn start_prometheus(target: &str, ready_query: &str) -> Option<Prometheus> {
    start_prometheus_scraping(&[target], ready_query).await
}

/// As [`start_prometheus`], scraping several targets (replicas) in one job.
pub async fn start_prometheus_scraping(targets: &[&str], ready_query: &str) -> Option<Prometheus> {
    let prometheus = tool("prometheus")?;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    let targets: Vec<String> = targets.iter().map(|t| format!("'{t}'")).collect();
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: digitalatlas\n    static_configs:\n      - targets: [{}]\n",
            targets.join(", ")
        ),
    )
    .unwrap();
    let port = free_port();
    let child = KillOnDrop(
        std::process::Command::new(&prometheus)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        if let Ok(r) = c
            .get(format!("{url}/api/v1/query"))
            .query(&[("query", ready_query)])
            .send()
            .await
        {
            if let Ok(v) = r.json::<serde_json::Value>().await {
                if v["data"]["result"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty())
                {
                    break;
                }
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Prometheus did not scrape in time"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    Some(Prometheus {
        url,
        _child: child,
        _dir: dir,
    })
}

/// An instant query; panics unless Prometheus answers `success`.
pub async fn prom_query(c: &reqwest::Client, prom: &str, q: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = c
        .get(format!("{prom}/api/v1/query"))
        .query(&[("query", q)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["status"], "success", "{q}: {v}");
    v["data"]["result"].as_array().cloned().unwrap_or_default()
}

/// A server on a fresh SQLite database with the demo data imported through the normal path.
pub async fn demo_server() -> (RunningServer, TestDb) {
    let db = sqlite_db();
    let server = start_server(&db.url).await;
    digitalatlas::demo::import(&server.state.store, digitalatlas::demo::DEFAULT_SEED)
        .await
        .unwrap();
    server.state.after_import().await;
    (server, db)
}

/// The body of `/metrics` as Prometheus asks for it (OpenMetrics).
pub async fn get_openmetrics(c: &reqwest::Client, base: &str) -> String {
    c.get(format!("{base}/metrics"))
        .header("accept", "application/openmetrics-text; version=1.0.0")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A server on `url` with `files` (dataset, file name, bytes) imported through the normal path.
pub async fn server_with(
    url: &str,
    files: &[(digitalatlas::import::Dataset, &str, &[u8])],
) -> RunningServer {
    let state = server::prepare(url).await.expect("prepare server");
    for (dataset, name, bytes) in files {
        import_bytes(&state, *dataset, name, bytes).await;
    }
    server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .expect("start server")
}

/// The workbook at `url`, opened as Excel readers open it.
pub async fn get_xlsx(c: &reqwest::Client, url: &str) -> calamine::Xlsx<std::io::Cursor<Vec<u8>>> {
    let bytes = c.get(url).send().await.unwrap().bytes().await.unwrap();
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap()
}
