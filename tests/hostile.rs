//! Hostile input and abusive clients: every file of `tests/fixtures/hostile` is refused cleanly
//! (CLI and HTTP) in bounded memory, and the HTTP limits (declared body length, half-open
//! connections, the connection cap, heavy work) keep `/healthz` answering.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use digitalatlas::auth::{hash_token, Tokens};
use digitalatlas::http::limits::{HttpLimits, Pools};

const BIN: &str = env!("CARGO_BIN_EXE_digitalatlas");

/// The hostile corpus: (file, dataset, expected CLI exit code).
fn corpus() -> Vec<(PathBuf, &'static str, i32)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the hostile corpus is incomplete");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let dataset = if name.starts_with("onlinedienste-") {
                "onlinedienste"
            } else if name.starts_with("csv-formula") {
                "qualifikationen"
            } else if name.starts_with("csv-") {
                "aktivierungen"
            } else {
                "konten"
            };
            // A row of nothing but delimiters is an empty row: a valid, empty import.
            let exit = if name == "csv-wide-row.csv" { 0 } else { 1 };
            (p, dataset, exit)
        })
        .collect()
}

/// Runs the binary to completion; returns (exit code, stdout + stderr, peak RSS in bytes).
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also reports its peak RSS
fn run_measured(args: &[&str]) -> (i32, String, u64) {
    let child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.unwrap();
    let mut err = child.stderr.unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let mut text = String::new();
    let _ = err.read_to_string(&mut text);
    text.push_str(&reader.join().unwrap());
    let mut status = 0;
    // SAFETY: wait4 writes the exit status and the child's resource usage into the locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    (code, text, usage.ru_maxrss as u64 * 1024)
}

#[test]
fn hostile_files_are_refused_by_the_cli_in_bounded_memory() {
    let test_db = common::sqlite_db();
    let db = test_db.url.clone();
    for (path, dataset, expected) in corpus() {
        let file = path.to_str().unwrap();
        for dry in [true, false] {
            let mut args = vec!["--database-url", &db, "import", dataset, file];
            if dry {
                args.push("--dry-run");
            }
            let t = Instant::now();
            let (code, text, rss) = run_measured(&args);
            let name = path.file_name().unwrap().to_string_lossy();
            eprintln!(
                "{name}: exit {code}, {:.2} s, peak RSS {} MB",
                t.elapsed().as_secs_f64(),
                rss >> 20
            );
            assert_eq!(code, expected, "{name}: {text}");
            assert!(!text.contains("panicked"), "{name}: {text}");
            if expected == 1 {
                assert!(
                    text.contains(file),
                    "{name}: the message names the file: {text}"
                );
            }
            // Small files, so a small bound: the whole process with its registry and pool.
            assert!(rss < 200 << 20, "{name}: peak RSS {} MB", rss >> 20);
        }
    }
    // Nothing of the refused files was written, and each refusal (not the dry runs) is logged.
    let (code, text, _) = run_measured(&[
        "--database-url",
        &db,
        "import",
        "konten",
        "tests/fixtures/konten.xlsx",
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 updated, 0 unchanged"), "{text}");
}

fn tokens() -> std::sync::Arc<Tokens> {
    std::sync::Arc::new(
        Tokens::parse(&format!("ops {} *", hash_token("ops-secret")), "test").unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_over_http_get_422_are_logged_and_counted() {
    let db = common::sqlite_db();
    let mut state = digitalatlas::server::prepare(&db.url).await.unwrap();
    state.tokens = tokens();
    let server = digitalatlas::server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let mut refused = 0;
    for (path, dataset, expected) in corpus() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let r = c
            .post(format!("{base}/api/v1/imports/{dataset}?source={name}"))
            .bearer_auth("ops-secret")
            .header("content-type", name.clone())
            .body(std::fs::read(&path).unwrap())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: no answer: {e}"));
        let status = r.status().as_u16();
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            status,
            if expected == 0 { 200 } else { 422 },
            "{name}: {body}"
        );
        if expected != 0 {
            refused += 1;
            assert!(body["issue_count"].as_u64().unwrap() >= 1, "{name}: {body}");
            for issue in body["issues"].as_array().unwrap() {
                let value = issue["value"].as_str().unwrap();
                assert!(value.chars().count() <= 121, "{name}: quoted value not cut");
            }
        }
        let h = c.get(format!("{base}/healthz")).send().await.unwrap();
        assert_eq!(h.status(), 200, "{name}: /healthz after the upload");
    }
    let log = common::get_json_as(
        &c,
        &format!("{base}/api/v1/imports?limit=1000"),
        "ops-secret",
    )
    .await;
    let failed: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), refused, "{log}");
    assert!(failed
        .iter()
        .all(|f| f["actor"] == "ops" && f["reason"] != ""));
    assert!(failed
        .iter()
        .any(|f| f["source_name"] == "zip-bomb-256mib-cell.xlsx" && f["reason"] == "unreadable"));
    let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
    assert_eq!(
        common::metric_sum(&metrics, "digitalatlas_import_failures_total"),
        refused as f64,
        "{metrics}"
    );
    // Every dataset × reason is there from the start (0 where nothing failed).
    let series = metrics
        .lines()
        .filter(|l| l.starts_with("digitalatlas_import_failures_total{"))
        .count();
    assert_eq!(
        series,
        digitalatlas::model::Dataset::ALL.len() * 5,
        "{metrics}"
    );
    for name in [
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_cpu_seconds_total",
    ] {
        assert!(common::metric_sum(&metrics, name) > 0.0, "{name} missing");
    }
    server.stop().await.unwrap();
}

/// Sends raw bytes and returns what the server answered before closing or `wait` passed.
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8], wait: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(wait, s.read(&mut buf))
        .await
        .map_or(0, |r| r.unwrap_or(0));
    String::from_utf8_lossy(&buf[..n]).to_string()
}

async fn limited_server(
    limits: HttpLimits,
) -> (digitalatlas::server::RunningServer, common::TestDb) {
    let db = common::sqlite_db();
    let mut state = digitalatlas::server::prepare(&db.url).await.unwrap();
    state.tokens = tokens();
    state.pools = std::sync::Arc::new(Pools::new(limits));
    let server = digitalatlas::server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    (server, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_read() {
    let (server, _db) = limited_server(HttpLimits::default()).await;
    let addr = server.addr;
    let t = Instant::now();
    let answer = raw_exchange(
        addr,
        b"POST /api/v1/imports/aktivierungen HTTP/1.1\r\nHost: x\r\n\
              Authorization: Bearer ops-secret\r\nContent-Type: text/csv\r\n\
              Content-Length: 1073741824\r\n\r\nverwaltung;prozess_id\r\n",
        Duration::from_secs(5),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_time_out_and_healthz_stays_fast() {
    let limits = HttpLimits {
        header_timeout: Duration::from_secs(1),
        max_connections: 1000,
        ..HttpLimits::default()
    };
    let (server, _db) = limited_server(limits).await;
    let addr = server.addr;
    // 300 clients that send half a request header and then nothing.
    let slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    let c = reqwest::Client::new();
    let t = Instant::now();
    let r = c
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
    // After the header timeout the server has closed every one of them.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let closed = tokio::task::spawn_blocking(move || {
        slow.into_iter()
            .filter(|s| {
                let mut s = s.try_clone().unwrap();
                s.set_read_timeout(Some(Duration::from_millis(200)))
                    .unwrap();
                let mut buf = [0u8; 512];
                // Closed: EOF (0) or a reset; hyper may answer 408 first.
                matches!(s.read(&mut buf), Ok(0) | Err(_))
                    || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408")
            })
            .count()
    })
    .await
    .unwrap();
    assert_eq!(closed, 300, "connections left open past the header timeout");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_get_503() {
    let limits = HttpLimits {
        max_connections: 20,
        ..HttpLimits::default()
    };
    let (server, _db) = limited_server(limits).await;
    let addr = server.addr;
    let idle: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(addr).unwrap()).collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = raw_exchange(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        Duration::from_secs(3),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After: 1"), "{answer}");
    drop(idle);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = raw_exchange(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(3),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_requests_queue_and_overflow_with_503_never_500() {
    let limits = HttpLimits {
        max_heavy: 1,
        queue_wait: Duration::ZERO,
        ..HttpLimits::default()
    };
    let (server, _db) = limited_server(limits).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let requests = (0..8).map(|i| {
        let url = format!("{base}/charts/map/gemeinden?width={}&height=600", 600 + i);
        let c = c.clone();
        async move { c.get(url).send().await.unwrap() }
    });
    let answers = futures_join_all(requests).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(statuses.contains(&503), "{statuses:?}");
    let busy = answers.iter().find(|r| r.status() == 503).unwrap();
    assert!(busy.headers().contains_key("retry-after"));
    server.stop().await.unwrap();
}

/// Runs futures concurrently on the test's runtime.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
