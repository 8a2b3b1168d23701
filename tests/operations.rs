//! What operators see: `/readyz` when the database stops answering, a start-up against an
//! unreachable database, and the log formats.

mod common;

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};

const BIN: &str = env!("CARGO_BIN_EXE_digitalatlas");

/// A TCP proxy in front of PostgreSQL that can turn into a black hole: existing connections
/// are cut and new ones are accepted but never answered, as with a database host that vanished.
async fn proxy(target: String) -> (u16, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let down = Arc::new(AtomicBool::new(false));
    let flag = down.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let flag = flag.clone();
            let target = target.clone();
            tokio::spawn(async move {
                if flag.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_secs(3600)).await; // hold, never answer
                    return;
                }
                let Ok(mut server) = TcpStream::connect(&target).await else {
                    return;
                };
                let cut = async {
                    while !flag.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                };
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                    _ = cut => {}
                }
            });
        }
    });
    (port, down)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_answers_503_within_two_seconds_when_the_database_vanishes() {
    let Some(db) = common::postgres_db().await else {
        return;
    };
    let (host_port, rest) = db
        .url
        .strip_prefix("postgres://postgres@")
        .unwrap()
        .split_once('/')
        .unwrap();
    let (port, down) = proxy(host_port.to_string()).await;
    let url = format!("postgres://postgres@127.0.0.1:{port}/{rest}");
    let server = common::start_server(&url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let r = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    down.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    for _ in 0..3 {
        let t = Instant::now();
        let r = c.get(format!("{base}/readyz")).send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        // The figures are still served from the snapshot.
        let h = c.get(format!("{base}/healthz")).send().await.unwrap();
        assert_eq!(h.status(), 200);
    }
    // Not `stop()`: its pool close would wait for the black-holed connections.
    drop(server);
}

#[test]
fn an_unreachable_database_is_named_in_one_line_at_start_up() {
    let port = common::free_port(); // nothing listens there
    let url = format!("postgres://app:secret@127.0.0.1:{port}/atlas");
    let t = Instant::now();
    let out = Command::new(BIN)
        .args(["--database-url", &url, "serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(t.elapsed() < Duration::from_secs(12), "{:?}", t.elapsed());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains(&format!("127.0.0.1:{port}/atlas")),
        "{err}"
    );
    assert!(lines[0].contains("app:***@"), "{err}");
    assert!(!lines[0].contains("secret"), "{err}");
    assert!(lines[0].to_lowercase().contains("refused"), "{err}");
    assert!(
        !err.contains("backtrace") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn logs_are_plain_in_a_file_and_json_on_request() {
    let test_db = common::sqlite_db();
    let db = test_db.url.clone();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prozesse.csv");
    // stderr is a pipe here, as it is for a log file or the journal: no colour codes.
    let out = Command::new(BIN)
        .args(["--database-url", &db, "import", "prozesse", fixture])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!text.is_empty());
    assert!(!text.contains('\u{1b}'), "ANSI codes in {text}");
    let out = Command::new(BIN)
        .args([
            "--log-format",
            "json",
            "--database-url",
            &db,
            "import",
            "prozesse",
            fixture,
        ])
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stderr);
    let mut lines = 0;
    for line in text.lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            v["level"].is_string() && v["timestamp"].is_string(),
            "{line}"
        );
        lines += 1;
    }
    assert!(lines > 0, "no log lines");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_lets_other_origins_read_but_never_import() {
    use digitalatlas::http::cors::CorsOrigins;
    let grafana = "https://grafana.example.org";
    for origins in [CorsOrigins::Any, CorsOrigins::parse(grafana).unwrap()] {
        let db = common::sqlite_db();
        let mut state = digitalatlas::server::prepare(&db.url).await.unwrap();
        state.cors = origins.clone();
        let server = digitalatlas::server::start(state, "127.0.0.1:0".parse().unwrap(), false)
            .await
            .unwrap();
        let base = common::base_url(&server);
        let c = reqwest::Client::new();
        let expected = if origins == CorsOrigins::Any {
            "*"
        } else {
            grafana
        };
        for path in [
            "/api/v1/geo/kreise.geojson",
            "/api/v1/coverage?level=land",
            "/metrics",
        ] {
            let r = c
                .get(format!("{base}{path}"))
                .header("origin", grafana)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            assert_eq!(
                r.headers()["access-control-allow-origin"],
                expected,
                "{path}"
            );
            // The preflight a browser sends first.
            let r = c
                .request(reqwest::Method::OPTIONS, format!("{base}{path}"))
                .header("origin", grafana)
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "if-none-match")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "preflight {path}");
            let methods = r.headers()["access-control-allow-methods"]
                .to_str()
                .unwrap();
            assert!(
                methods.contains("GET") && !methods.contains("POST"),
                "{methods}"
            );
        }
        // The import endpoints answer no origin, preflight or not.
        let r = c
            .request(
                reqwest::Method::OPTIONS,
                format!("{base}/api/v1/imports/prozesse"),
            )
            .header("origin", grafana)
            .header("access-control-request-method", "POST")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
        assert!(!r.headers().contains_key("access-control-allow-origin"));
        let r = c
            .post(format!("{base}/api/v1/imports/prozesse"))
            .header("origin", grafana)
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert!(!r.headers().contains_key("access-control-allow-origin"));
        if origins != CorsOrigins::Any {
            let r = c
                .get(format!("{base}/api/v1/registry"))
                .header("origin", "https://elsewhere.example")
                .send()
                .await
                .unwrap();
            assert!(!r.headers().contains_key("access-control-allow-origin"));
        }
        server.stop().await.unwrap();
    }
}

/// The pages and the web upload may not be framed by another site and answer no other origin;
/// the read API does, and nothing is sniffed as another type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_refuse_framing_and_only_the_read_api_answers_other_origins() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let get = |path: &str| {
        c.get(format!("{base}{path}"))
            .header("origin", "https://elsewhere.example")
            .send()
    };
    for path in [
        "/",
        "/kreis/08115",
        "/gemeinde/08115003",
        "/suche?q=Stadt",
        "/verwaltung",
    ] {
        let r = get(path).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert_eq!(
            h["content-security-policy"], "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(!h.contains_key("access-control-allow-origin"), "{path}");
        assert_eq!(
            h.contains_key("x-frame-options"),
            path == "/verwaltung",
            "{path}"
        );
    }
    // The sign-in form's POST is refused to other origins' pages as well (no CORS, no frame).
    let r = c
        .post(format!("{base}/verwaltung/anmelden"))
        .header("origin", "https://elsewhere.example")
        .form(&[("token", "x")])
        .send()
        .await
        .unwrap();
    assert!(!r.headers().contains_key("access-control-allow-origin"));
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    for path in [
        "/api/v1/coverage?level=land",
        "/api/v1/geo/kreise.geojson",
        "/metrics",
    ] {
        let r = get(path).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*", "{path}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    // A scrape answered before the router carries it too.
    let r = c
        .get(format!("{base}/metrics"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");

    // The card and the badge, and only they, may be framed; they are cached with an entity tag.
    for (path, ctype) in [
        ("/einbetten/gemeinde/08115003", "text/html; charset=utf-8"),
        ("/badge/gemeinde/08115003.svg", "image/svg+xml"),
    ] {
        let r = get(path).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers().clone();
        assert_eq!(h["content-type"], ctype, "{path}");
        assert_eq!(h["content-security-policy"], "frame-ancestors *", "{path}");
        assert!(!h.contains_key("x-frame-options"), "{path}");
        assert_eq!(h["cache-control"], "public, max-age=300", "{path}");
        let body = r.text().await.unwrap();
        assert!(body.contains("Böblingen"), "{path}: {body}");
        assert!(body.contains("Quelle: digitalatlas"), "{path}: {body}");
        let again = c
            .get(format!("{base}{path}"))
            .header("if-none-match", h["etag"].clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], h["etag"], "{path}");
    }
    for path in [
        "/einbetten/gemeinde/08115",
        "/badge/gemeinde/08115003.png",
        "/badge/gemeinde/99999999.svg",
    ] {
        assert_eq!(get(path).await.unwrap().status(), 404, "{path}");
    }
    server.stop().await.unwrap();
}
