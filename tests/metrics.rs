//! `/metrics` over real HTTP: formats, promtool, a real Prometheus scraping it, and atomic
//! snapshots under a running import.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use digitalatlas::import::Dataset;
use serde_json::Value;

async fn known_data(url: &str) -> digitalatlas::server::RunningServer {
    let server = common::start_server(url).await;
    let s = &server.state;
    common::import_fixture(s, Dataset::Prozesse, "prozesse.csv").await;
    common::import_fixture(s, Dataset::Qualifikationen, "qualifikationen-win1252.csv").await;
    common::import_fixture(s, Dataset::Qualifikationen, "qualifikationen.json").await;
    common::import_fixture(s, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
    common::import_fixture(s, Dataset::Konten, "konten.xlsx").await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exposition_formats_and_promtool() {
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();

    c.get(format!("{base}/healthz")).send().await.unwrap();
    let r = c.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = r.text().await.unwrap();
    assert!(!text.contains("# EOF"));
    // Every cache is accounted for; after a GeoJSON layer was asked for, that cache holds it.
    for cache in digitalatlas::metrics::CACHES {
        assert!(text.contains(&format!("digitalatlas_cache_bytes{{cache=\"{cache}\"}}")));
    }
    c.get(format!("{base}/api/v1/geo/kreise.geojson"))
        .send()
        .await
        .unwrap();
    let again = c.get(format!("{base}/metrics")).send().await.unwrap();
    let again = again.text().await.unwrap();
    for cache in ["geojson", "boundaries", "metrics"] {
        let bytes = common::metric_sum(
            &again,
            &format!("digitalatlas_cache_bytes{{cache=\"{cache}\"}}"),
        );
        assert!(bytes > 100_000.0, "{cache}: {bytes}");
    }
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_administrations"),
        1136.0
    );
    // From the fixtures: basis Lotsen in 08111000, 08115003, 08416041, 08221000, 08311000.
    assert_eq!(
        common::metric_sum(
            &text,
            "digitalatlas_administrations_with_lotsen{kreis=\"08115\",kind=\"gemeinde\",programme=\"basis\"}"
        ),
        1.0
    );
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_funding_euros"),
        300.0 * 5.0 + 100.0 + 99.5 + 50.0
    );
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_population"),
        11_245_898.0
    );
    assert!(text.contains("digitalatlas_gemeinde_info{ags=\"08111000\",name=\"Stuttgart, Landeshauptstadt\",kreis=\"08111\"} 1"));
    assert!(text.contains("digitalatlas_http_requests_total"));
    assert!(text.contains("# TYPE digitalatlas_http_requests_total counter"));

    let r = c
        .get(format!("{base}/metrics"))
        .header(
            "accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let om = r.text().await.unwrap();
    assert!(om.ends_with("# EOF\n"));
    assert_eq!(om.matches("# EOF").count(), 1);
    assert!(om.contains("# TYPE digitalatlas_http_requests counter"));
    // The request counter labels routes by template, never by raw path.
    c.get(format!("{base}/api/v1/regions/08111000"))
        .send()
        .await
        .unwrap();
    let text = common::get_text(&c, &format!("{base}/metrics")).await;
    assert!(text.contains("route=\"/api/v1/regions/{key}\""));
    assert!(!text.contains("route=\"/api/v1/regions/08111000\""));

    if let Some(promtool) = common::tool("promtool") {
        let mut child = Command::new(promtool)
            .args(["check", "metrics"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "promtool: {report}");
        assert!(report.trim().is_empty(), "promtool warnings: {report}");
    }
    server.stop().await.unwrap();
}

fn value(result: &[Value]) -> f64 {
    result[0]["value"][1].as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_prometheus_scrapes_the_figures() {
    if common::tool("prometheus").is_none() {
        return;
    }
    for db in common::all_dbs().await {
        let server = known_data(&db.url).await;
        let p = common::start_prometheus(
            &server.addr.to_string(),
            "sum(digitalatlas_administrations)",
        )
        .await
        .expect("prometheus");
        let prom = p.url.clone();
        let c = reqwest::Client::new();
        assert_eq!(
            value(&common::prom_query(&c, &prom, "sum(digitalatlas_administrations)").await),
            1136.0
        );
        // Landkreis Böblingen: its Landratsamt (aufbau) and Böblingen (basis) have Lotsen.
        let covered = common::prom_query(
            &c,
            &prom,
            "sum by (kreis) (digitalatlas_administrations_with_any_lotse{kreis=\"08115\"})",
        )
        .await;
        assert_eq!(value(&covered), 2.0, "{}", db.name);
        let named = common::prom_query(
            &c,
            &prom,
            "(digitalatlas_administrations_with_any_lotse{kind=\"landratsamt\"} > 0) \
             * on (kreis) group_left (name) digitalatlas_kreis_info",
        )
        .await;
        assert_eq!(named.len(), 1);
        assert_eq!(named[0]["metric"]["name"], "Landkreis Böblingen");
        assert_eq!(
            value(
                &common::prom_query(
                    &c,
                    &prom,
                    "digitalatlas_servicebw_accounts{account_type=\"buerger\"}"
                )
                .await
            ),
            1_410_000.0
        );
        server.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scrapes_during_an_import_see_whole_snapshots() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let state = server.state.clone();
    let base = common::base_url(&server);
    // One basis Lotse in every Gemeinde, in one file.
    let mut csv = String::from(
        "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\n",
    );
    for g in state
        .registry
        .level(digitalatlas::registry::Level::Gemeinde)
    {
        csv.push_str(&format!(
            "{}-1;{};basis;Basis 2020;VS;01.02.2020;3;300,00\n",
            g.ags, g.ags
        ));
    }
    let scraper = tokio::spawn({
        let base = base.clone();
        async move {
            let c = reqwest::Client::new();
            let mut seen = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let text = common::get_text(&c, &format!("{base}/metrics")).await;
                let with = common::metric_sum(&text, "digitalatlas_administrations_with_any_lotse");
                let lotsen = common::metric_sum(&text, "digitalatlas_lotsen_any_programme");
                let funding = common::metric_sum(&text, "digitalatlas_funding_euros");
                seen.push((with, lotsen, funding));
                if with > 0.0 || Instant::now() > deadline {
                    break;
                }
            }
            seen
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    common::import_bytes(&state, Dataset::Qualifikationen, "alle.csv", csv.as_bytes()).await;
    let seen = scraper.await.unwrap();
    assert!(seen.len() >= 2, "{seen:?}");
    for s in &seen {
        assert!(
            *s == (0.0, 0.0, 0.0) || *s == (1101.0, 1101.0, 330_300.0),
            "a scrape mixed two snapshots: {s:?}"
        );
    }
    assert_eq!(*seen.last().unwrap(), (1101.0, 1101.0, 330_300.0));
    server.stop().await.unwrap();
}

/// The periodic refresh without new data makes a new snapshot (its age is a health signal) but
/// keeps the data version, so metrics, GeoJSON and charts are not encoded again; new records
/// start a new data version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_without_new_data_keeps_the_data_version() {
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let state = server.state.clone();
    let base = common::base_url(&server);
    let c = reqwest::Client::new();

    let before = state.coverage.snapshot();
    let text = common::get_text(&c, &format!("{base}/metrics")).await;
    let generation = common::metric_sum(&text, "digitalatlas_snapshot_generation");
    assert_eq!(generation, before.generation as f64);
    let encoded = state.metrics.encoded(&before);
    let geo_url = format!("{base}/api/v1/geo/kreise.geojson");
    let geo_etag = |c: reqwest::Client| {
        let url = geo_url.clone();
        async move {
            let r = c.get(url).send().await.unwrap();
            r.headers()["etag"].to_str().unwrap().to_string()
        }
    };
    let first_etag = geo_etag(c.clone()).await;

    state.after_import().await;
    let after = state.coverage.snapshot();
    assert_eq!(after.generation, before.generation + 1);
    assert_eq!(after.data_version, before.data_version);
    // The same encoded families (not merely equal bytes) serve the new snapshot.
    assert!(std::sync::Arc::ptr_eq(
        &encoded,
        &state.metrics.encoded(&after)
    ));
    let text = common::get_text(&c, &format!("{base}/metrics")).await;
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_snapshot_generation"),
        generation + 1.0
    );
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_snapshot_data_version"),
        before.data_version as f64
    );
    assert_eq!(geo_etag(c.clone()).await, first_etag);

    // One more Lotse: a new data version, new figures everywhere.
    let csv =
        "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\n\
               08115001-9;08115001;basis;Basis 2020;VS;01.02.2020;3;300,00\n";
    common::import_bytes(&state, Dataset::Qualifikationen, "neu.csv", csv.as_bytes()).await;
    let changed = state.coverage.snapshot();
    assert!(changed.data_version > before.data_version);
    let text = common::get_text(&c, &format!("{base}/metrics")).await;
    assert_eq!(
        common::metric_sum(
            &text,
            "digitalatlas_administrations_with_lotsen{kreis=\"08115\",kind=\"gemeinde\",programme=\"basis\"}"
        ),
        2.0
    );
    assert_ne!(geo_etag(c.clone()).await, first_etag);
    server.stop().await.unwrap();
}

/// `--metrics-ozg-per-kreis-max-series`: beyond the bound the per-Kreis process family keeps the
/// processes active in the most Gemeinden; the Land-level per-process families stay complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_kreis_process_family_is_bounded() {
    use digitalatlas::metrics::{encode_snapshot, families::OZG_PER_KREIS_MAX_SERIES};
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let snap = server.state.coverage.snapshot();
    let encoded = |max| {
        let e = encode_snapshot(&snap, max);
        String::from_utf8(e.openmetrics.to_vec()).unwrap()
    };
    let processes = |text: &str| {
        text.lines()
            .filter_map(|l| l.strip_prefix("digitalatlas_ozg_gemeinden_with_process{"))
            .map(|l| l.split("process=\"").nth(1).unwrap()[..4].to_string())
            .collect::<Vec<_>>()
    };
    // 44 Kreise × the fixture's 4 processes fit the default bound.
    let all = processes(&encoded(OZG_PER_KREIS_MAX_SERIES));
    assert_eq!(all.len(), 44 * 4);
    // Room for 2 processes: SP01 (2 Gemeinden), then SP02 before SP03 (1 each, catalogue order).
    let text = encoded(44 * 2 + 43);
    let kept: std::collections::BTreeSet<String> = processes(&text).into_iter().collect();
    assert_eq!(processes(&text).len(), 44 * 2);
    assert_eq!(kept, ["SP01", "SP02"].map(String::from).into());
    assert_eq!(
        common::metric_sum(
            &text,
            "digitalatlas_ozg_land_gemeinden_with_process{process=\"SP01\"}"
        ),
        2.0
    );
    assert!(text.contains("digitalatlas_ozg_land_gemeinden_with_process{process=\"UP01\"} 0"));
    assert!(text.contains("digitalatlas_ozg_population_with_process{process=\"UP01\"}"));
    server.stop().await.unwrap();
}

/// Prometheus asks for gzip on every scrape: the answer is gzip (one member, any decoder), its
/// text the same exposition as the plain one, in both formats; a client that refuses gzip
/// (`gzip;q=0`) gets plain text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_scrape_gets_the_same_exposition_compressed() {
    use std::io::Read;
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::builder().no_gzip().build().unwrap();
    // One request first, so that both answers have the request families.
    c.get(format!("{base}/healthz")).send().await.unwrap();
    let families = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("# TYPE "))
            .map(str::to_string)
            .collect()
    };
    for accept in ["application/openmetrics-text;version=1.0.0", "text/plain"] {
        let get = |encoding: &'static str| {
            c.get(format!("{base}/metrics"))
                .header("accept", accept)
                .header("accept-encoding", encoding)
                .send()
        };
        let plain = get("identity").await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none());
        let plain = plain.text().await.unwrap();
        let r = get("gzip").await.unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip", "{accept}");
        assert_eq!(r.headers()["vary"], "accept-encoding");
        let gz = r.bytes().await.unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(
            gz.len() * 5 < text.len(),
            "{} of {} bytes",
            gz.len(),
            text.len()
        );
        assert_eq!(families(&text), families(&plain), "{accept}");
        assert_eq!(
            common::metric_sum(&text, "digitalatlas_administrations"),
            1136.0
        );
        assert_eq!(
            text.ends_with("# EOF\n"),
            accept.starts_with("application/openmetrics")
        );
        let refused = get("gzip;q=0, identity").await.unwrap();
        assert!(refused.headers().get("content-encoding").is_none());
    }
    server.stop().await.unwrap();
}

/// A scrape as Prometheus makes it is answered before the router: the same exposition as the
/// router gives a browser (with CORS) or a brotli client, the last one again while nothing
/// changed, a fresh one as soon as another route was asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_before_the_router_reads_as_through_it() {
    use std::io::Read;
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::builder().no_gzip().build().unwrap();
    let scrape = |extra: Option<(&'static str, &'static str)>| {
        let mut r = c
            .get(format!("{base}/metrics"))
            .header("accept", "application/openmetrics-text;version=1.0.0")
            .header("accept-encoding", "gzip");
        if let Some((k, v)) = extra {
            r = r.header(k, v);
        }
        r.send()
    };
    let gunzip = |gz: &[u8]| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let families = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("# TYPE "))
            .map(str::to_string)
            .collect()
    };
    let healthz = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("digitalatlas_http_requests_total{route=\"/healthz\""))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    c.get(format!("{base}/healthz")).send().await.unwrap();
    let fast = scrape(None).await.unwrap();
    assert!(fast.headers().get("access-control-allow-origin").is_none());
    let fast = gunzip(&fast.bytes().await.unwrap());
    assert_eq!(healthz(&fast), 1);
    // Nothing changed in between: the same bytes (unless a slow machine took a second).
    let mut same = false;
    for _ in 0..5 {
        let a = scrape(None).await.unwrap().bytes().await.unwrap();
        let b = scrape(None).await.unwrap().bytes().await.unwrap();
        same |= a == b;
    }
    assert!(same, "two scrapes in a row were rendered twice");
    // Another route was asked: the next scrape shows it.
    c.get(format!("{base}/healthz")).send().await.unwrap();
    let after = gunzip(&scrape(None).await.unwrap().bytes().await.unwrap());
    assert_eq!(healthz(&after), 2);
    // A browser (Origin) goes through the router and its CORS layer.
    let cors = scrape(Some(("origin", "https://example.org")))
        .await
        .unwrap();
    assert_eq!(cors.headers()["access-control-allow-origin"], "*");
    assert_eq!(cors.headers()["content-encoding"], "gzip");
    let cors = gunzip(&cors.bytes().await.unwrap());
    assert_eq!(families(&cors), families(&fast));
    assert!(cors.ends_with("# EOF\n"));
    // A client taking only brotli gets it from the compression layer.
    let br = c
        .get(format!("{base}/metrics"))
        .header("accept", "application/openmetrics-text;version=1.0.0")
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let mut text = String::new();
    brotli::Decompressor::new(&br.bytes().await.unwrap()[..], 4096)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(families(&text), families(&fast));
    assert_eq!(
        common::metric_sum(&text, "digitalatlas_administrations"),
        1136.0
    );
    // Other methods and URLs are the router's.
    let post = c.post(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    server.stop().await.unwrap();
}

/// A server scraped only in OpenMetrics (as Prometheus negotiates) holds no text-format copy; the
/// first text scrape makes it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_text_format_is_encoded_only_when_asked_for() {
    let db = common::sqlite_db();
    let server = known_data(&db.url).await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let om = common::get_openmetrics(&c, &base).await;
    assert!(om.ends_with("# EOF\n"));
    let snap = server.state.coverage.snapshot();
    let encoded = server.state.metrics.encoded(&snap);
    // Held: the OpenMetrics exposition and, as the client takes gzip, its deflated prefix.
    let before = encoded.heap_bytes() - encoded.openmetrics.len();
    let text = c.get(format!("{base}/metrics")).send().await.unwrap();
    let text = text.text().await.unwrap();
    assert!(!text.contains("# EOF"));
    let text_len = encoded.text().len();
    assert!(
        before < text_len / 2,
        "{before} bytes besides OpenMetrics before a text scrape"
    );
    let after = encoded.heap_bytes() - encoded.openmetrics.len();
    assert!(
        after >= before + text_len,
        "{after} < {before} + {text_len}"
    );
    assert!(text.starts_with(std::str::from_utf8(encoded.text()).unwrap()));
    server.stop().await.unwrap();
}
