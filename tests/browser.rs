//! The web page in a real headless Chromium (Debian's package) against the service with the demo
//! data: the headline figures in the DOM agree with the API, every image loaded
//! (naturalWidth > 0), and a screenshot goes into the test output; axe-core finds no accessibility
//! violation on the Land, Kreis, Gemeinde and search pages. Also the static report.

mod common;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Cdp {
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    id: u64,
}

impl Cdp {
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.ws
            .send(tungstenite::Message::text(
                json!({"id": id, "method": method, "params": params}).to_string(),
            ))
            .unwrap();
        loop {
            let msg = self.ws.read().unwrap();
            if let Ok(text) = msg.to_text() {
                let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
                if v["id"] == id {
                    assert!(v["error"].is_null(), "{method}: {v}");
                    return v["result"].clone();
                }
            }
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        )["result"]["value"]
            .clone()
    }

    /// Evaluates an expression whose value is a promise and returns what it resolves to.
    fn eval_async(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r["exceptionDetails"].is_null(), "{expr:.60}: {r}");
        r["result"]["value"].clone()
    }

    /// Navigates to `url` and waits until the page and all its images have loaded.
    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let deadline = Instant::now() + Duration::from_secs(60);
        std::thread::sleep(Duration::from_millis(100));
        while self.eval(
            "document.readyState === 'complete' && [...document.images].every(i => i.complete)",
        ) != json!(true)
        {
            assert!(Instant::now() < deadline, "{url} did not finish loading");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// A headless Chromium with one page, driven over the DevTools protocol; killed on drop.
struct Browser {
    cdp: Cdp,
    _process: common::KillOnDrop,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(chromium: &std::path::Path) -> Browser {
        let port = common::free_port();
        let profile = tempfile::tempdir().unwrap();
        let process = common::KillOnDrop(
            std::process::Command::new(chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--window-size=1200,900",
                    &format!("--remote-debugging-port={port}"),
                    &format!("--user-data-dir={}", profile.path().display()),
                    "about:blank",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        let ws_url = loop {
            let listed = reqwest::blocking_get(&format!("http://127.0.0.1:{port}/json/list"));
            if let Some(url) = listed.and_then(|v| {
                v.as_array()?.iter().find(|t| t["type"] == "page")?["webSocketDebuggerUrl"]
                    .as_str()
                    .map(str::to_string)
            }) {
                break url;
            }
            assert!(Instant::now() < deadline, "Chromium did not start");
            std::thread::sleep(Duration::from_millis(200));
        };
        let (ws, _) = tungstenite::connect(ws_url.as_str()).unwrap();
        let mut cdp = Cdp { ws, id: 0 };
        cdp.call("Page.enable", json!({}));
        Browser {
            cdp,
            _process: process,
            _profile: profile,
        }
    }
}

/// Opens `url` in headless Chromium and returns what the page shows.
fn inspect(chromium: &std::path::Path, url: &str, shot: &std::path::Path) -> Value {
    let mut browser = Browser::launch(chromium);
    let cdp = &mut browser.cdp;
    cdp.open(url);
    let shot_data = cdp.call(
        "Page.captureScreenshot",
        json!({"format": "png", "captureBeyondViewport": true}),
    );
    std::fs::write(
        shot.with_extension("b64"),
        shot_data["data"].as_str().unwrap_or(""),
    )
    .unwrap();
    cdp.eval(
        "({verwaltungen: document.getElementById('kz-verwaltungen').textContent, \
           lotsen: document.getElementById('kz-lotsen').textContent, \
           images: [...document.images].map(i => [i.getAttribute('src'), i.naturalWidth, i.alt.length]), \
           lang: document.documentElement.lang, \
           tables: [...document.querySelectorAll('table')].map(t => t.querySelectorAll('th[scope]').length), \
           downloads: [...document.querySelectorAll('figcaption a')].map(a => a.getAttribute('href'))})",
    )
}

/// axe-core's WCAG 2 A/AA violations of each page: rule id, impact and the first offending nodes.
fn axe_violations(chromium: &std::path::Path, axe: &str, urls: &[String]) -> Vec<(String, Value)> {
    let mut browser = Browser::launch(chromium);
    let cdp = &mut browser.cdp;
    let mut found = Vec::new();
    for url in urls {
        cdp.open(url);
        cdp.eval(axe);
        let violations = cdp.eval_async(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})\
             .then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, \
                 impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)}))}))",
        );
        eprintln!("{url}: {} rules passed", violations["passes"]);
        // axe really ran: it reports the rules the page passed.
        assert!(
            violations["passes"].as_u64().unwrap_or(0) >= 10,
            "{url}: {violations}"
        );
        for v in violations["violations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            found.push((url.clone(), v));
        }
    }
    found
}

/// A tiny blocking GET for the DevTools listing (outside the async runtime).
mod reqwest {
    pub fn blocking_get(url: &str) -> Option<serde_json::Value> {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://")?;
        let (host, path) = rest.split_once('/')?;
        let mut s = std::net::TcpStream::connect(host).ok()?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .ok()?;
        write!(
            s,
            "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        // Read until the declared length arrived (DevTools may keep the connection open).
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
            }
            let text = String::from_utf8_lossy(&raw);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_string())
                    })
                    .and_then(|v| v.parse::<usize>().ok());
                if len.is_some_and(|l| body.len() >= l) {
                    return serde_json::from_str(body).ok();
                }
            }
        }
        let text = String::from_utf8_lossy(&raw).to_string();
        serde_json::from_str(text.split_once("\r\n\r\n")?.1).ok()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_the_figures_and_every_image_in_chromium() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = ::reqwest::Client::new();
    let land = common::get_json(&c, &format!("{base}/api/v1/coverage?level=land")).await;
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-screenshot.png");
    let url = format!("{base}/");
    let shot2 = shot.clone();
    let seen = tokio::task::spawn_blocking(move || inspect(&chromium, &url, &shot2))
        .await
        .unwrap();
    let with = land[0]["administrations_with_lotse"].as_u64().unwrap();
    let all = land[0]["administrations"].as_u64().unwrap();
    let expected = format!("{with} von {}.{:03}", all / 1000, all % 1000);
    assert_eq!(seen["verwaltungen"], expected, "{seen}");
    assert!(seen["lotsen"].as_str().unwrap().len() >= 3);
    assert_eq!(seen["lang"], "de");
    let images = seen["images"].as_array().unwrap();
    assert!(images.len() >= 6, "{seen}");
    for img in images {
        assert!(img[1].as_u64().unwrap() > 0, "image not loaded: {img}");
        assert!(img[2].as_u64().unwrap() > 20, "alt text missing: {img}");
    }
    assert!(seen["tables"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n.as_u64().unwrap() > 0));
    // Every chart offers PNG and SVG downloads that answer with the image.
    let downloads = seen["downloads"].as_array().unwrap();
    assert_eq!(downloads.len(), 2 * images.len(), "{seen}");
    for href in downloads {
        let href = href.as_str().unwrap();
        let r = c.get(format!("{base}{href}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{href}");
        let want = if href.contains("format=svg") {
            "image/svg+xml"
        } else {
            "image/png"
        };
        assert_eq!(r.headers()["content-type"], want, "{href}");
    }
    // The screenshot, decoded from DevTools' base64, into the test output.
    let b64 = std::fs::read_to_string(shot.with_extension("b64")).unwrap();
    let png = base64_decode(&b64);
    assert!(png.starts_with(b"\x89PNG"), "screenshot");
    std::fs::write(&shot, png).unwrap();
    println!("screenshot: {}", shot.display());
    server.stop().await.unwrap();
}

/// The Land, a Kreis, a Gemeinde and a search result page pass axe-core's WCAG 2.1 A/AA and
/// best-practice rules (axe-core from npm, installed by the test command into tests/a11y).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_pass_the_axe_accessibility_rules() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let axe_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/a11y/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        assert!(
            std::env::var("CI").is_err(),
            "{} must exist under CI (scripts/test installs it)",
            axe_path.display()
        );
        eprintln!("axe-core not installed (npm ci --prefix tests/a11y): skipping");
        return;
    };
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let urls: Vec<String> = [
        "/",
        "/?sort=anteil",
        "/kreis/08115",
        "/gemeinde/08111000",
        "/gemeinde/08115037",
        "/verband/081155001",
        "/suche?q=Stutt",
        "/aenderungen",
        "/aenderungen?kreis=08115&von=2025-01-01",
        "/methodik",
    ]
    .iter()
    .map(|p| format!("{base}{p}"))
    .collect();
    let found = tokio::task::spawn_blocking(move || axe_violations(&chromium, &axe, &urls))
        .await
        .unwrap();
    assert!(
        found.is_empty(),
        "accessibility violations:\n{}",
        found
            .iter()
            .map(|(url, v)| format!("{url}: {v}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    server.stop().await.unwrap();
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = s.bytes().filter_map(val).collect();
    digits
        .chunks(4)
        .flat_map(|ch| {
            let n = ch.iter().fold(0u32, |acc, &d| (acc << 6) | d as u32) << (6 * (4 - ch.len()));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes[..ch.len().saturating_sub(1)].to_vec()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_static_report_has_every_page_chart_and_download() {
    let (server, _db) = common::demo_server().await;
    let out = tempfile::tempdir().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
    let w = digitalatlas::report::write_report(&server.state, out.path(), Some(day))
        .await
        .unwrap();
    assert_eq!(
        w.pages,
        1 + 1 + 44 + 1101 + 270,
        "start page, Methodik, Kreise, Gemeinden, Verbände of two or more"
    );
    assert_eq!(w.downloads, 6);
    let index = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    // The published figure of 30.06.2021: 326 Kommunen and 30 Landkreise.
    assert!(
        index.contains("id=\"kz-verwaltungen\">356 von 1.136"),
        "{index}"
    );
    // Every relative link and image of the index, a Kreis page (its Landratsamt's history), a
    // Steckbrief (its history chart, its Kreis' map, its Verband) and a Verband's page exists.
    for page in [
        "index.html",
        "kreis/08115.html",
        "gemeinde/08115037.html",
        "verband/081155003.html",
    ] {
        links_exist(out.path(), page);
    }
    let steckbrief = std::fs::read_to_string(out.path().join("gemeinde/08115037.html")).unwrap();
    assert!(steckbrief.contains("src=\"../charts/history-08115037.svg\""));
    assert!(steckbrief.contains("href=\"../verband/081155003.html\""));
    let kreis = std::fs::read_to_string(out.path().join("kreis/08115.html")).unwrap();
    assert!(kreis.contains("href=\"../gemeinde/08115003.html\""));
    assert!(kreis.contains("src=\"../charts/history-08115.svg\""));
    let csv = std::fs::read_to_string(out.path().join("daten/abdeckung-kreise.csv")).unwrap();
    assert!(
        csv.contains(",2021-06-30,"),
        "downloads are as of the report day"
    );
    server.stop().await.unwrap();
}

/// Every relative link and image of the report's `page` (a path below `root`) is a file there,
/// and a link into a page (`methodik.html#verwaltungen`) names an anchor it has.
fn links_exist(root: &std::path::Path, page: &str) {
    let html = std::fs::read_to_string(root.join(page)).unwrap();
    let dir = root.join(page).parent().unwrap().to_path_buf();
    for part in html
        .split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
    {
        let target = part.split('"').next().unwrap().replace("&amp;", "&");
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
        let path = dir.join(file);
        assert!(path.is_file(), "{page}: {target} missing");
        if !anchor.is_empty() {
            let linked = std::fs::read_to_string(&path).unwrap();
            assert!(
                linked.contains(&format!("id=\"{anchor}\"")),
                "{page}: {target}: no such anchor"
            );
        }
    }
}

/// Runs axe-core on the page that is open and returns its violations.
fn axe_here(cdp: &mut Cdp, axe: &str) -> Vec<Value> {
    cdp.eval(axe);
    let r = cdp.eval_async(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})\
         .then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, \
             impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html)}))}))",
    );
    assert!(r["passes"].as_u64().unwrap_or(0) >= 10, "{r}");
    r["violations"].as_array().cloned().unwrap_or_default()
}

/// Waits until `expr` is true on the page (after a form submission navigated).
fn wait_for(cdp: &mut Cdp, expr: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    std::thread::sleep(Duration::from_millis(150));
    while cdp.eval(&format!("document.readyState === 'complete' && !!({expr})")) != json!(true) {
        assert!(Instant::now() < deadline, "waited in vain for {expr}");
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Puts `path` into the file input `selector`, as a person choosing the file would.
fn choose_file(cdp: &mut Cdp, selector: &str, path: &std::path::Path) {
    let root = cdp.call("DOM.getDocument", json!({}))["root"]["nodeId"].clone();
    let node = cdp.call(
        "DOM.querySelector",
        json!({"nodeId": root, "selector": selector}),
    )["nodeId"]
        .clone();
    cdp.call(
        "DOM.setFileInputFiles",
        json!({"files": [path.display().to_string()], "nodeId": node}),
    );
}

/// A Gemeindetag employee signs in with the import token, uploads a participant list as Excel
/// saves it (Windows-1252, `;`) with one wrong AGS, reads the report, fixes the file, uploads it
/// again, imports it, finds it in the import log, and sees the figures change on the Land page.
/// Every page of the flow passes axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_association_uploads_checks_fixes_and_imports_a_file_in_chromium() {
    use digitalatlas::auth::{hash_token, Tokens};
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let axe_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/a11y/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path).ok();
    assert!(
        axe.is_some() || std::env::var("CI").is_err(),
        "axe-core must exist under CI"
    );
    let db = common::sqlite_db();
    let mut state = digitalatlas::server::prepare(&db.url).await.unwrap();
    digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
        .await
        .unwrap();
    state.after_import().await;
    state.tokens = std::sync::Arc::new(
        Tokens::parse(
            &format!("gemeindetag {} qualifikationen", hash_token("gt-geheim")),
            "test",
        )
        .unwrap(),
    );
    let server = digitalatlas::server::start(state, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    let base = common::base_url(&server);
    let c = ::reqwest::Client::new();
    // Two Gemeinden still without a Lotse.
    let missing = common::get_json(
        &c,
        &format!("{base}/api/v1/outreach?missing=lotse&art=gemeinde&limit=2"),
    )
    .await;
    let (a, b) = (
        missing[0]["verwaltung"].as_str().unwrap().to_string(),
        missing[1]["verwaltung"].as_str().unwrap().to_string(),
    );
    let dir = tempfile::tempdir().unwrap();
    let header =
        "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\r\n";
    let good = format!(
        "{header}T-WEB-1;{a};Basisqualifizierung;Webkurs 1;Führungsakademie;20.11.2026;3;300,00\r\n\
         T-WEB-2;{a};Basisqualifizierung;Webkurs 1;Führungsakademie;20.11.2026;3;300,00\r\n\
         T-WEB-3;{b};Basisqualifizierung;Webkurs 2;Kommunalakademie Süd;21.11.2026;3;300,00\r\n"
    );
    let bad = format!(
        "{good}T-WEB-4;09999999;Basisqualifizierung;Webkurs 2;Akademie;21.11.2026;3;300,00\r\n"
    );
    let write = |name: &str, text: &str| {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable);
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        path
    };
    let (bad_file, good_file) = (
        write("teilnehmer-fehler.csv", &bad),
        write("teilnehmer.csv", &good),
    );
    let url = base.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut browser = Browser::launch(&chromium);
        let cdp = &mut browser.cdp;
        let mut violations = Vec::new();
        let mut axe_check = |cdp: &mut Cdp, what: &str| {
            if let Some(axe) = &axe {
                for v in axe_here(cdp, axe) {
                    violations.push(format!("{what}: {v}"));
                }
            }
        };
        let kennzahl = |cdp: &mut Cdp| {
            cdp.open(&format!("{url}/"));
            cdp.eval("document.querySelector('#kz-verwaltungen').textContent")
        };
        let before = kennzahl(cdp);

        cdp.open(&format!("{url}/verwaltung"));
        axe_check(cdp, "sign-in");
        cdp.eval("document.querySelector('#token').value = 'gt-geheim'; document.querySelector('#token').form.submit(); true");
        wait_for(cdp, "document.querySelector('#datei')");
        axe_check(cdp, "upload form");

        // The file with an error: refused, every problem listed.
        cdp.eval("document.querySelector('#dataset').value = 'qualifikationen'; true");
        choose_file(cdp, "#datei", &bad_file);
        cdp.eval("document.querySelector('#datei').form.submit(); true");
        wait_for(cdp, "document.querySelector('table') || document.querySelector('#p-neu')");
        axe_check(cdp, "report with problems");
        let report = cdp.eval("document.querySelector('table').innerText");
        let has_import = cdp.eval("!!document.querySelector('#importieren')");

        // Fixed: the summary and "Importieren".
        cdp.open(&format!("{url}/verwaltung"));
        cdp.eval("document.querySelector('#dataset').value = 'qualifikationen'; true");
        choose_file(cdp, "#datei", &good_file);
        cdp.eval("document.querySelector('#datei').form.submit(); true");
        wait_for(cdp, "document.querySelector('#p-neu')");
        axe_check(cdp, "report of a valid file");
        let new = cdp.eval("document.querySelector('#p-neu').textContent");
        cdp.eval("document.querySelector('#importieren').click(); true");
        wait_for(cdp, "location.pathname === '/verwaltung/importe' && document.querySelector('table')");
        axe_check(cdp, "import log");
        let log = cdp.eval("document.querySelector('table').innerText");
        let after = kennzahl(cdp);
        (before, report, has_import, new, log, after, violations)
    })
    .await
    .unwrap();
    let (before, report, has_import, new, log, after, violations) = result;
    let report = report.as_str().unwrap_or_default().to_string();
    assert!(report.contains("unknown AGS"), "{report}");
    assert!(report.contains("09999999"), "{report}");
    assert_eq!(
        has_import,
        json!(false),
        "nothing to import from a refused file"
    );
    assert_eq!(new, json!("3"));
    let log = log.as_str().unwrap_or_default().to_string();
    assert!(
        log.contains("teilnehmer.csv") && log.contains("gemeindetag"),
        "{log}"
    );
    // Two more administrations with a Lotse on the Land page.
    let count = |v: &Value| -> i64 {
        v.as_str()
            .unwrap()
            .split(" von ")
            .next()
            .unwrap()
            .replace('.', "")
            .parse()
            .unwrap()
    };
    assert_eq!(count(&after), count(&before) + 2, "{before} -> {after}");
    // The import went through the one import path: same log, same actor, umlauts intact.
    let imported = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=gemeinde&kreis={}", &a[..5]),
    )
    .await;
    let row = imported
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == a.as_str())
        .unwrap();
    assert_eq!(row["lotsen"], 2);
    assert!(
        violations.is_empty(),
        "accessibility:\n{}",
        violations.join("\n")
    );
    server.stop().await.unwrap();
}

/// Finds a point inside the link of `href` on the map, checks that the page hit-tests it to that
/// link, and clicks it there with the mouse, as a person would.
fn click_map_region(cdp: &mut Cdp, href: &str) {
    let point = cdp.eval(&format!(
        "(() => {{ const a = document.querySelector('.karte-links a[href=\"{href}\"]'); \
         const p = a.querySelector('path'); const svg = p.ownerSVGElement; \
         const m = p.getScreenCTM(); const b = p.getBBox(); \
         for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) {{ \
           const pt = new DOMPoint(b.x + b.width * i / 40, b.y + b.height * j / 40); \
           if (!p.isPointInFill(pt)) continue; \
           const s = pt.matrixTransform(m); \
           const hit = document.elementFromPoint(s.x, s.y); \
           if (hit && hit.closest('a') === a) return [s.x, s.y]; }} \
         return null; }})()"
    ));
    let [x, y] = [point[0].as_f64(), point[1].as_f64()];
    let (Some(x), Some(y)) = (x, y) else {
        panic!("no point of {href} on the map can be clicked: {point}");
    };
    for kind in ["mousePressed", "mouseReleased"] {
        cdp.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
        );
    }
}

/// An adviser opens a Kreis page, clicks a Gemeinde on the map and lands on its Steckbrief; then
/// does the same with the keyboard (the map's links are focusable and have names).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_on_a_gemeinde_of_the_kreis_map_opens_its_steckbrief() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let seen = tokio::task::spawn_blocking(move || {
        let mut browser = Browser::launch(&chromium);
        let cdp = &mut browser.cdp;
        cdp.open(&format!("{base}/kreis/08115"));
        let names = cdp.eval(
            "[...document.querySelectorAll('.karte-links a')].map(a => a.getAttribute('aria-label'))",
        );
        cdp.eval("document.querySelector('.karte').scrollIntoView()");
        click_map_region(cdp, "/gemeinde/08115003");
        wait_for(cdp, "location.pathname === '/gemeinde/08115003'");
        let clicked = cdp.eval("[location.pathname, document.querySelector('h1').textContent, !!document.getElementById('vorschlaege')]");
        // Its Steckbrief's locator: the Kreis map with its own region outlined where its link is.
        let outlined = cdp.eval(
            "(() => { const o = document.querySelector('.karte-hier path'); \
             const a = document.querySelector('#lage ~ figure .karte-links a[aria-current=\"page\"]'); \
             const r = o.getBoundingClientRect(), q = a.querySelector('path').getBoundingClientRect(); \
             return [a.getAttribute('href'), Math.abs(r.x - q.x) + Math.abs(r.y - q.y) + \
               Math.abs(r.width - q.width) + Math.abs(r.height - q.height), r.width * r.height, \
               getComputedStyle(o).stroke]; })()",
        );
        // Keyboard: focus the link of Sindelfingen on the map, press Enter.
        cdp.open(&format!("{base}/kreis/08115"));
        cdp.eval("document.querySelector('.karte-links a[href=\"/gemeinde/08115045\"]').focus()");
        let focused = cdp.eval("document.activeElement.getAttribute('aria-label')");
        for kind in ["keyDown", "keyUp"] {
            cdp.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": if kind == "keyDown" { "\r" } else { "" }}),
            );
        }
        wait_for(cdp, "location.pathname === '/gemeinde/08115045'");
        (names, clicked, focused, outlined)
    })
    .await
    .unwrap();
    let (names, clicked, focused, outlined) = seen;
    assert_eq!(outlined[0], "/gemeinde/08115003", "{outlined}");
    assert!(outlined[1].as_f64().unwrap() < 1.0, "{outlined}");
    assert!(outlined[2].as_f64().unwrap() > 100.0, "{outlined}");
    assert_eq!(outlined[3], "rgb(194, 37, 92)", "{outlined}");
    let names: Vec<&str> = names
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    // Both maps of the Kreis: each of its 26 Gemeinden once per map, named with its class.
    assert_eq!(names.len(), 2 * 26, "{names:?}");
    assert!(
        names.contains(&"Böblingen, Stadt: mit Aufbauschulung"),
        "{names:?}"
    );
    assert_eq!(clicked[0], "/gemeinde/08115003");
    assert!(
        clicked[1].as_str().unwrap().contains("Böblingen"),
        "{clicked}"
    );
    assert_eq!(
        clicked[2], true,
        "the Steckbrief's talking points: {clicked}"
    );
    assert!(
        focused.as_str().unwrap().starts_with("Sindelfingen"),
        "{focused}"
    );
    server.stop().await.unwrap();
}

/// Pages printed to PDF by Chromium as an adviser would (`chromium --headless --print-to-pdf`):
/// A4, every image (map, chart) whole on one page, and what each page holds.
fn print_to_pdf(
    chromium: &std::path::Path,
    url: &str,
    pdf: &std::path::Path,
) -> (Vec<String>, usize) {
    let profile = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--print-to-pdf={}", pdf.display()),
            url,
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success() && pdf.exists(), "{url}: no PDF");
    let run = |tool: &str, args: &[&str]| {
        let out = std::process::Command::new(tool)
            .args(args)
            .arg(pdf)
            .output()
            .unwrap();
        assert!(out.status.success(), "{tool} {}", pdf.display());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let info = run("pdfinfo", &[]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Page size:") && l.contains("(A4)")),
        "{url}: {info}"
    );
    // Each image object on one page only: no map or chart cut in two.
    let mut pages_of: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for line in run("pdfimages", &["-list"]).lines().skip(2) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() > 11 && f[2] == "image" {
            pages_of
                .entry(format!("{} {}", f[10], f[11]))
                .or_default()
                .insert(f[0].to_string());
        }
    }
    for (object, pages) in &pages_of {
        assert_eq!(
            pages.len(),
            1,
            "{url}: image {object} split over pages {pages:?}"
        );
    }
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let text = text.split('\u{c}').map(str::to_string).collect::<Vec<_>>();
    let pages = text.into_iter().filter(|p| !p.trim().is_empty()).collect();
    (pages, pages_of.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_steckbrief_and_the_kreis_page_print_on_a4_with_maps_and_charts_whole() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    if common::tool("pdfinfo").is_none() || common::tool("pdfimages").is_none() {
        return;
    }
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).to_path_buf();
    let printed = tokio::task::spawn_blocking(move || {
        [
            ("gemeinde/08115003", "steckbrief"),
            ("kreis/08115", "kreis"),
        ]
        .map(|(path, name)| {
            let pdf = dir.join(format!("print-{name}.pdf"));
            (
                name,
                print_to_pdf(&chromium, &format!("{base}/{path}"), &pdf),
                pdf,
            )
        })
    })
    .await
    .unwrap();
    for (name, (pages, images), pdf) in &printed {
        println!(
            "{name}: {} pages, {images} images, {}",
            pages.len(),
            pdf.display()
        );
        for (i, page) in pages.iter().enumerate() {
            let first: Vec<&str> = page
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(3)
                .collect();
            println!("  page {}: {}", i + 1, first.join(" | "));
        }
        let all = pages.join("\n");
        assert!(
            !all.contains("Auf der eigenen Website zeigen"),
            "{name}: screen only"
        );
    }
    let (steckbrief, _) = &printed[0].1;
    let text = steckbrief.join("\n");
    assert!(text.contains("Im Vergleich"), "{text}");
    assert!(text.contains("Was vergleichbare Gemeinden schon anbieten"));
    assert!(steckbrief.len() <= 4, "the Steckbrief on a few pages");
    // The Kreis page: its two maps and its progress chart, each whole on one page.
    let (kreis, images) = &printed[1].1;
    assert!(*images >= 3, "images of the Kreis page: {images}");
    let text = kreis.join("\n");
    assert!(text.contains("Landkreis Böblingen"), "{text}");
    server.stop().await.unwrap();
}

/// Serves `html` to every request on a loopback port of its own (another origin than the
/// service's), from a thread, until the process ends.
fn foreign_site(html: String) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            use std::io::{Read, Write};
            let mut stream = stream;
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                html.len()
            );
        }
    });
    port
}

/// A Kommune's own website frames the card and shows the badge; the same site framing the
/// Gemeinde page is refused by the browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_may_frame_the_card_and_show_the_badge_but_not_frame_a_page() {
    let Some(chromium) = common::tool("chromium") else {
        return;
    };
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let site = foreign_site(format!(
        "<!DOCTYPE html><html lang=\"de\"><body>\
         <iframe id=\"karte\" src=\"{base}/einbetten/gemeinde/08115003\"></iframe>\
         <iframe id=\"seite\" src=\"{base}/gemeinde/08115003\"></iframe>\
         <img id=\"abzeichen\" alt=\"Abzeichen\" src=\"{base}/badge/gemeinde/08115003.svg\"></body></html>"
    ));
    let (frames, badge) = tokio::task::spawn_blocking(move || {
        let mut browser = Browser::launch(&chromium);
        let cdp = &mut browser.cdp;
        cdp.open(&format!("http://127.0.0.1:{site}/"));
        std::thread::sleep(Duration::from_millis(500));
        let tree = cdp.call("Page.getFrameTree", json!({}));
        let badge = cdp.eval("[document.getElementById('abzeichen').naturalWidth, document.getElementById('abzeichen').naturalHeight]");
        (tree["frameTree"]["childFrames"].clone(), badge)
    })
    .await
    .unwrap();
    let frames: Vec<(String, bool)> = frames
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let frame = &f["frame"];
            let url = frame["url"].as_str().unwrap_or("").to_string();
            let refused = url.starts_with("chrome-error:") || frame["unreachableUrl"].is_string();
            (
                frame["unreachableUrl"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or(url),
                refused,
            )
        })
        .collect();
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(
        frames.contains(&(format!("{base}/einbetten/gemeinde/08115003"), false)),
        "{frames:?}"
    );
    assert!(
        frames.contains(&(format!("{base}/gemeinde/08115003"), true)),
        "{frames:?}"
    );
    assert!(badge[0].as_u64().unwrap() > 100, "{badge}");
    server.stop().await.unwrap();
}
