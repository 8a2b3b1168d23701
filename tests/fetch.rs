//! `digitalatlas fetch onlinedienste` against a local server that serves the federal API's
//! documented page shape (`GET /api/v1/data/{ars}`, bundesAPI/digitale-verwaltung-api) and
//! injects faults: a 500 once, a 429 with `Retry-After`, a body cut off mid-way, a source that
//! changes while it is read, a refusal. Never the internet.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does the n-th time a page is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Status500,
    TooMany {
        retry_after: u64,
    },
    CutOff,
    /// The page announces one row more than the first did.
    Grown,
    Refuse400,
}

#[derive(Default)]
struct Feed {
    /// Compact JSON rows, as the source holds them.
    rows: Vec<String>,
    size: usize,
    faults: HashMap<(u64, u32), Fault>,
    /// Every request: (page, query, when).
    log: Vec<(u64, String, Instant)>,
}

/// The rows of a Kreis export: every Gemeinde of Landkreis Böblingen (from the shipped registry)
/// with a few services of its own, the Kreis', the Land's and the Bund's, one of another Land;
/// names with umlauts, `ozgid` a number, nulls, as the API sends them.
fn kreis_rows() -> Vec<String> {
    let registry = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gemeinden-bw.csv"),
    )
    .unwrap();
    let mut areas: Vec<(String, String)> = registry
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("08115"))
        .map(|l| {
            let ars = l[..12].to_string();
            let name = l.split('"').nth(1).unwrap_or("Gemeinde").to_string();
            (ars, name)
        })
        .collect();
    assert!(areas.len() > 20);
    areas.extend([
        ("081150000000".into(), "Landkreis Böblingen".into()),
        ("080000000000".into(), "Baden-Württemberg".into()),
        ("000000000000".into(), "Bund".into()),
        ("091620000000".into(), "München, Landeshauptstadt".into()),
    ]);
    let mut rows = Vec::new();
    for (i, (ars, name)) in areas.iter().enumerate() {
        for s in 0..(5 + i % 11) {
            let row = serde_json::json!({
                "leika_key": format!("99{:012}", 41_006_017_000u64 + (s as u64) * 1000),
                "leika_name": format!("Leistung Nr. {s} für Bürger"),
                "leika_bezeichnung": if s % 3 == 0 { serde_json::Value::Null } else { "Bezeichnung".into() },
                "ars": ars,
                "ars_name": name,
                "ars_federal_state": &ars[..2],
                "bundesland": "Baden-Württemberg",
                "ozgid": 10_000 + s,
                "ozg_bezeichnung": "OZG-Leistung",
                "url": format!("https://www.service-bw.de/{ars}/{s}"),
                "online_status": if (i + s) % 7 == 0 { "nicht ok" } else { "ok" },
                "aktiv": if s % 4 == 0 { serde_json::Value::Null } else { "ja".into() },
                "art_flaechendeckung": "in mind. einer Kommune verfügbar",
                "datenstand_pvog_import": "2026-11-30",
                "export_datum": "2026-12-01",
            });
            rows.push(row.to_string());
        }
    }
    rows
}

fn page_body(feed: &Feed, number: u64, grown: bool) -> String {
    let total = feed.rows.len() + usize::from(grown);
    let pages = total.div_ceil(feed.size).max(1);
    let from = (number as usize * feed.size).min(feed.rows.len());
    let to = (from + feed.size).min(feed.rows.len());
    format!(
        "{{\"totalPages\":{pages},\"totalElements\":{total},\"pageable\":{{\"pageNumber\":{number},\"pageSize\":{}}},\
         \"numberOfElements\":{},\"size\":{},\"content\":[{}],\"number\":{number},\"first\":{},\"last\":{},\"empty\":{}}}",
        feed.size,
        to - from,
        feed.size,
        feed.rows[from..to].join(","),
        number == 0,
        number as usize + 1 >= pages,
        to == from
    )
}

async fn answer(mut stream: TcpStream, feed: Arc<Mutex<Feed>>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&request).to_string();
    let target = head.split(' ').nth(1).unwrap_or("").to_string();
    let query = target
        .split_once('?')
        .map(|(_, q)| q.to_string())
        .unwrap_or_default();
    let number: u64 = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (fault, body) = {
        let mut feed = feed.lock().unwrap();
        let attempt = feed.log.iter().filter(|(p, _, _)| *p == number).count() as u32;
        feed.log.push((number, query.clone(), Instant::now()));
        let fault = feed.faults.get(&(number, attempt)).copied();
        let body = page_body(&feed, number, fault == Some(Fault::Grown));
        (fault, body)
    };
    let response = match fault {
        Some(Fault::Status500) => "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string(),
        Some(Fault::TooMany { retry_after }) => format!(
            "HTTP/1.1 429 Too Many Requests\r\nretry-after: {retry_after}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
        Some(Fault::Refuse400) => "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 24\r\nconnection: close\r\n\r\n{\"error\":\"unknown ars\"}\n".to_string(),
        Some(Fault::CutOff) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let half = body.len() / 2;
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body.as_bytes()[..half]).await;
            let _ = stream.shutdown().await;
            return;
        }
        Some(Fault::Grown) | None => format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ),
    };
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Serves `feed` on a loopback port; returns the base URL (up to `/api`).
async fn serve(feed: Arc<Mutex<Feed>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, feed.clone()));
        }
    });
    format!("http://127.0.0.1:{port}/api")
}

/// Runs the binary off the runtime's threads.
async fn digitalatlas(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_digitalatlas"))
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn fetch_args(base: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "fetch",
        "onlinedienste",
        "--ars",
        "081150000000",
        "--include-above",
        "--base-url",
        base,
        "--page-size",
        "50",
        "--retry-wait-ms",
        "50",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_read_through_faults_into_the_file_the_pages_describe_and_imported() {
    let rows = kreis_rows();
    let pages = rows.len().div_ceil(50) as u64;
    assert!(pages >= 4, "{pages}");
    let expected = format!("[\n{}\n]\n", rows.join(",\n"));
    let feed = Arc::new(Mutex::new(Feed {
        rows,
        size: 50,
        faults: HashMap::from([
            ((0, 0), Fault::Status500),
            ((1, 0), Fault::TooMany { retry_after: 1 }),
            ((2, 0), Fault::CutOff),
        ]),
        ..Feed::default()
    }));
    let base = serve(feed.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("onlinedienste-08115.json");
    let out = digitalatlas(fetch_args(&base, &["--out", file.to_str().unwrap()])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written == expected, "the file differs from the pages' rows");
    assert!(!file.with_extension("partial").exists());

    {
        let feed = feed.lock().unwrap();
        // Pages 0–2 twice (each failed once), the rest once; the documented parameters.
        let asked = |p: u64| feed.log.iter().filter(|(n, _, _)| *n == p).count();
        assert_eq!((asked(0), asked(1), asked(2), asked(3)), (2, 2, 2, 1));
        assert_eq!(feed.log.len() as u64, pages + 3);
        assert!(feed
            .log
            .iter()
            .all(|(_, q, _)| q.contains("includeAbove=true")
                && q.contains("includeBelow=true")
                && q.contains("size=50")));
        // The 429's Retry-After (1 s) was honoured, not the 50 ms backoff.
        let at: Vec<Instant> = feed
            .log
            .iter()
            .filter(|(n, _, _)| *n == 1)
            .map(|e| e.2)
            .collect();
        assert!(
            at[1] - at[0] >= Duration::from_millis(950),
            "{:?}",
            at[1] - at[0]
        );
    }

    // The file imports; and `--import` writes the same rows straight into a database.
    let total = expected.lines().count() - 2;
    for db in common::all_dbs().await {
        let url = ["--database-url".to_string(), db.url.clone()];
        let mut import: Vec<String> = url.to_vec();
        import.extend(["import", "onlinedienste", file.to_str().unwrap()].map(String::from));
        let out = digitalatlas(import).await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}: {}",
            db.name,
            String::from_utf8_lossy(&out.stderr)
        );
        // München's rows lie outside the registry: left out and counted.
        let munich = expected.matches("\"091620000000\"").count();
        assert!(munich > 0);
        assert!(stdout.contains(&format!("{}", total - munich)), "{stdout}");

        feed.lock().unwrap().faults.clear();
        let mut args = url.to_vec();
        args.extend(fetch_args(&base, &["--import"]));
        let out = digitalatlas(args).await;
        assert!(
            out.status.success(),
            "{}: {}",
            db.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("unchanged {}", total - munich))
                || stdout.contains(&format!("{} unchanged", total - munich)),
            "{stdout}"
        );
    }
}

/// The error: the last line on stderr, after the log's retry warnings (one line each).
fn error_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr.trim().lines().collect();
    assert!(
        lines[..lines.len() - 1]
            .iter()
            .all(|l| l.contains(" WARN ")),
        "{stderr}"
    );
    lines.last().copied().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_is_one_clear_line_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("o.json");
    let out_arg = ["--out", file.to_str().unwrap(), "--retries", "1"];

    // Nobody listens on the port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = digitalatlas(fetch_args(
        &format!("http://127.0.0.1:{port}/api"),
        &out_arg,
    ))
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    let last = error_line(&stderr);
    assert!(
        last.contains(&format!("127.0.0.1:{port}/api/v1/data/081150000000")),
        "{last}"
    );
    assert!(last.contains("no answer after 2 attempt(s)"), "{last}");
    assert!(last.contains("Connection refused"), "{last}");
    // The URL once, not again in every cause.
    assert_eq!(last.matches("127.0.0.1").count(), 1, "{last}");

    let rows = kreis_rows();
    for (fault, code, says) in [
        (Fault::Refuse400, 2, "HTTP 400"),
        (Fault::Grown, 75, "changed while it was read"),
    ] {
        let feed = Arc::new(Mutex::new(Feed {
            rows: rows.clone(),
            size: 50,
            faults: HashMap::from([((2, 0), fault), ((2, 1), fault)]),
            ..Feed::default()
        }));
        let base = serve(feed).await;
        let out = digitalatlas(fetch_args(&base, &out_arg)).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(error_line(&stderr).contains(says), "{stderr}");
        assert!(!file.exists() && !file.with_extension("partial").exists());
    }
}
