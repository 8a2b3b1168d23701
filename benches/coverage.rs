//! Coverage engine, /metrics and the GeoJSON layer: snapshot rebuild time for the BW registry with 1,000 Lotsen and
//! all Gemeinden × 30 processes of activations, and /metrics requests/s under wrk beside nginx
//! serving the same bytes as a static file, and the same for the brotli-compressed Gemeinden
//! GeoJSON.
//!
//! Run: `cargo bench --bench coverage` (wrk and nginx from Debian's packages for the HTTP part:
//! `apt-get install wrk nginx-light`). `BENCH_SCALE=de` runs it on Germany's real
//! registry (`--land all`: 10,751 Gemeinden; 600 processes, the scale demo's activity files).

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use digitalatlas::coverage::snapshot::today;
use digitalatlas::import::{self, Dataset, Limits};
use digitalatlas::registry::Level;
use indicatif::ProgressBar;

const PROCESSES: usize = 30;

async fn load(
    state: &digitalatlas::http::AppState,
    dataset: Dataset,
    csv: String,
) -> import::Summary {
    let req = import::Request {
        dataset,
        source_name: format!("bench-{dataset}.csv"),
        input: import::Input::Bytes(csv.as_bytes()),
        format_hint: Some("text/csv".into()),
        dry_run: false,
        actor: "bench".into(),
        stichtag: None,
    };
    import::run(
        &state.store,
        &req,
        Limits::default(),
        &ProgressBar::hidden(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn wrk(url: &str, header: Option<&str>) -> Option<f64> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c32", "-d5s"]);
    if let Some(h) = header {
        cmd.args(["-H", h]);
    }
    let out = cmd.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let germany = std::env::var("BENCH_SCALE").is_ok_and(|v| v == "de");
    let (state, process, rounds) = if germany {
        let reference = digitalatlas::registry::reference::ReferenceData::for_territory(
            digitalatlas::registry::Territory::Germany,
        );
        let t = Instant::now();
        let state = digitalatlas::server::prepare_with(&url, &reference)
            .await
            .unwrap();
        println!(
            "registry of Germany loaded in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        let files = digitalatlas::demo::scale::activity(1, &reference);
        let t = Instant::now();
        digitalatlas::demo::import_files(&state.store, &files)
            .await
            .unwrap();
        println!(
            "scale demo files imported in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        (state, "SP01", 10)
    } else {
        let state = digitalatlas::server::prepare(&url).await.unwrap();
        load_land_data(&state).await;
        (state, "P00", 30)
    };
    let gemeinden: Vec<String> = state
        .registry
        .level(Level::Gemeinde)
        .map(|g| g.ags.clone())
        .collect();
    bench_rebuilds(&state, &gemeinden[0], process, rounds).await;
    println!("peak memory (VmHWM): {}", support::peak_memory());
    bench_http(&state, dir.path()).await;
}

/// BW registry, 1,000 Lotsen, every Gemeinde × 30 processes.
async fn load_land_data(state: &digitalatlas::http::AppState) {
    let mut csv = String::from("prozess_id,name,art\n");
    for p in 0..PROCESSES {
        let art = if p < 24 { "standard" } else { "universal" };
        csv.push_str(&format!("P{p:02},Prozess {p},{art}\n"));
    }
    load(state, Dataset::Prozesse, csv).await;

    let gemeinden: Vec<String> = state
        .registry
        .level(Level::Gemeinde)
        .map(|g| g.ags.clone())
        .collect();
    let mut csv = String::from(
        "teilnehmer_id,verwaltung,programm,kurs,anbieter,abschluss,seminartage,foerderung_eur\n",
    );
    for i in 0..1000 {
        let ags = &gemeinden[(i * 7) % gemeinden.len()];
        let prog = if i % 5 == 0 { "aufbau" } else { "basis" };
        csv.push_str(&format!(
            "{ags}-{i},{ags},{prog},Kurs {i},VS,2020-{:02}-15,3,300.00\n",
            1 + i % 12
        ));
    }
    load(state, Dataset::Qualifikationen, csv).await;

    let mut csv = String::from("verwaltung,prozess_id,aktiviert_am\n");
    for (i, ags) in gemeinden.iter().enumerate() {
        for p in 0..PROCESSES {
            csv.push_str(&format!("{ags},P{p:02},2021-{:02}-01\n", 1 + (i + p) % 12));
        }
    }
    load(state, Dataset::Aktivierungen, csv).await;
}

async fn bench_rebuilds(
    state: &digitalatlas::http::AppState,
    gemeinde: &str,
    process: &str,
    rounds: usize,
) {
    // A rebuild reads only the tables imported into since the previous snapshot; each figure
    // below is the rebuild right after a (small) import of that dataset, which makes the whole
    // table be read again, plus the full load of a start-up.
    let one_activation =
        format!("verwaltung,prozess_id,aktiviert_am\n{gemeinde},{process},2021-01-01\n");
    let one_course = format!(
        "teilnehmer_id,verwaltung,programm,kurs,anbieter,abschluss,seminartage,foerderung_eur\n{g}-0,{g},aufbau,Kurs 0,VS,2020-01-15,3,300.00\n",
        g = gemeinde
    );
    let mut after_activations = Vec::new();
    let mut after_activations_in_memory = Vec::new();
    let mut after_qualifications = Vec::new();
    let mut full = Vec::new();
    let mut compute = Vec::new();
    let mut encode = Vec::new();
    let mut encode_all = Vec::new();
    let mut idle_refresh = Vec::new();
    for _ in 0..rounds {
        load(state, Dataset::Aktivierungen, one_activation.clone()).await;
        let t = Instant::now();
        let reread = state.coverage.rebuild(&state.store).await.unwrap();
        after_activations.push(t.elapsed().as_secs_f64() * 1e3);
        let activations = reread.raw.activations.len();
        // The same import once more, taken over from its records as the HTTP import does.
        let summary = load(state, Dataset::Aktivierungen, one_activation.clone()).await;
        let t = Instant::now();
        let snap = state
            .coverage
            .after_import(&state.store, &summary)
            .await
            .unwrap();
        after_activations_in_memory.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(snap.raw.activations.len(), activations);

        load(state, Dataset::Qualifikationen, one_course.clone()).await;
        let t = Instant::now();
        let snap = state.coverage.rebuild(&state.store).await.unwrap();
        after_qualifications.push(t.elapsed().as_secs_f64() * 1e3);

        let t = Instant::now();
        let raw = state
            .store
            .load_raw(snap.raw.registry.clone(), None)
            .await
            .unwrap();
        std::hint::black_box(digitalatlas::coverage::snapshot::Snapshot::build(
            0,
            raw,
            today(),
        ));
        full.push(t.elapsed().as_secs_f64() * 1e3);

        let t = Instant::now();
        std::hint::black_box(digitalatlas::coverage::compute(&snap.raw, today()));
        compute.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        std::hint::black_box(digitalatlas::metrics::encode_snapshot(
            &snap,
            digitalatlas::metrics::families::OZG_PER_KREIS_MAX_SERIES,
        ));
        encode.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        std::hint::black_box(digitalatlas::metrics::encode_snapshot(&snap, usize::MAX));
        encode_all.push(t.elapsed().as_secs_f64() * 1e3);

        // The periodic refresh when nothing was imported: a new snapshot, same data version,
        // the encoded metrics taken over.
        state.after_import().await;
        let t = Instant::now();
        state.after_import().await;
        idle_refresh.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let snap = state.coverage.snapshot();
    println!(
        "data: {} administrations, {} qualifications, {} activations, {} processes",
        snap.raw.admins.len(),
        snap.raw.qualifications.len(),
        snap.raw.activations.len(),
        snap.raw.processes.len()
    );
    println!(
        "snapshot rebuild (load from SQLite + compute), medians: after an aktivierungen import {:.2} ms \
         (HTTP path, taking over the imported records: {:.2} ms); \
         after a qualifikationen import {:.2} ms; full load at start-up {:.2} ms; \
         compute alone {:.2} ms; metrics encoding {:.2} ms (unbounded per-Kreis process family: {:.2} ms); \
         periodic refresh without new data (rebuild + metrics) {:.2} ms",
        median(after_activations),
        median(after_activations_in_memory),
        median(after_qualifications),
        median(full),
        median(compute),
        median(encode),
        median(encode_all),
        median(idle_refresh)
    );
}

async fn bench_http(state: &digitalatlas::http::AppState, dir: &std::path::Path) {
    let server = digitalatlas::server::start(state.clone(), "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    let c = reqwest::Client::new();
    let metrics_url = format!("http://{}/metrics", server.addr);
    let metrics = c
        .get(&metrics_url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    println!("/metrics body: {} bytes", metrics.len());
    // The GeoJSON layer as a browser or Grafana fetches it: brotli-compressed.
    let geo_url = format!("http://{}/api/v1/geo/gemeinden.geojson", server.addr);
    let t = Instant::now();
    let geo = c
        .get(&geo_url)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    let geo_status = geo.status();
    let geo = geo.bytes().await.unwrap();
    println!(
        "gemeinden.geojson: {} (first request, encodes and compresses: {:.0} ms), {} bytes br",
        geo_status,
        t.elapsed().as_secs_f64() * 1e3,
        geo.len()
    );

    let has = |tool: &str| {
        Command::new(tool)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    if !has("wrk") || !has("nginx") {
        println!("wrk or nginx not installed: skipping the requests/s comparison");
        server.stop().await.unwrap();
        return;
    }
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("metrics"), &metrics).unwrap();
    // What Prometheus asks for (`Accept-Encoding: gzip`), as nginx serves a pre-compressed copy.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, metrics.as_ref()).unwrap();
    std::fs::write(www.join("metrics.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(www.join("gemeinden.geojson"), &geo).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "worker_processes 2; daemon off; pid {d}/nginx.pid; error_log {d}/error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; default_type text/plain;\n\
               client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
               server {{ listen 127.0.0.1:{port}; root {www};\n\
                 location = /gemeinden.geojson {{ default_type application/geo+json; add_header Content-Encoding br; }}\n\
                 location = /metrics.gz {{ add_header Content-Encoding gzip; }} }} }}\n",
            d = dir.display(),
            www = www.display()
        ),
    )
    .unwrap();
    let mut nginx = Command::new("nginx")
        .args(["-c", conf.to_str().unwrap(), "-p", dir.to_str().unwrap()])
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (label, ours, theirs, header) in [
        (
            "/metrics",
            metrics_url.clone(),
            format!("http://127.0.0.1:{port}/metrics"),
            None,
        ),
        (
            "/metrics (gzip, as Prometheus scrapes)",
            metrics_url,
            format!("http://127.0.0.1:{port}/metrics.gz"),
            Some("Accept-Encoding: gzip"),
        ),
        (
            "gemeinden.geojson (br)",
            geo_url,
            format!("http://127.0.0.1:{port}/gemeinden.geojson"),
            Some("Accept-Encoding: br"),
        ),
    ] {
        // wrk blocks; run it off the runtime so the server keeps serving.
        let o = tokio::task::spawn_blocking(move || wrk(&ours, header))
            .await
            .unwrap();
        let t = tokio::task::spawn_blocking(move || wrk(&theirs, header))
            .await
            .unwrap();
        match (o, t) {
            (Some(o), Some(t)) => println!(
                "{label}: {o:.0} req/s; nginx static file, same bytes: {t:.0} req/s; ratio {:.2}",
                o / t
            ),
            _ => println!("{label}: wrk gave no figure"),
        }
    }
    // SIGKILL would reach only the master and leave its workers holding our stdout open.
    let _ = Command::new("nginx")
        .args([
            "-c",
            conf.to_str().unwrap(),
            "-p",
            dir.to_str().unwrap(),
            "-s",
            "stop",
        ])
        .status();
    let _ = nginx.wait();
    server.stop().await.unwrap();
}
