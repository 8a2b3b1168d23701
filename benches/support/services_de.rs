//! `BENCH_SCALE=onlinedienste`: a Germany-sized federal Onlinedienste export — every Gemeinde of
//! Germany (`--land all`, 10,751) × 250 LeiKa services of the shipped
//! catalogue, about 2.7 million rows, 3 % of links broken — imported by the release binary as a
//! user would, beside an `aktivierungen` file of the same row count (every Gemeinde × 250
//! processes) in the same run: wall time and peak RSS of each import (GNU time), then `serve` on
//! the Onlinedienste database: ready, steady and peak RSS, and the Flächendeckung of the Land.
//!
//! Set `BENCH_DIR` to keep the generated files (and reuse them on the next run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::de10::{import, mb, measure, serve_with, EXE};

const SERVICES: usize = 250;

/// Every Gemeinde's 12-digit ARS in the registry of Germany.
fn gemeinden() -> Vec<String> {
    use digitalatlas::registry::{reference::ReferenceData, Level, Territory};
    ReferenceData::for_territory(Territory::Germany)
        .regions
        .into_iter()
        .filter(|r| r.level == Level::Gemeinde)
        .map(|r| r.ars)
        .collect()
}

/// The first `SERVICES` LeiKa keys and names of the shipped catalogue.
fn services() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ozg/leika-leistungen.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut cells = l.split(',');
            Some((cells.next()?.to_string(), cells.next()?.replace('"', "")))
        })
        .take(SERVICES)
        .collect()
}

/// The export (`;`, as the federal CSV), one row per Gemeinde and service; returns its rows.
fn write_export(gemeinden: &[String], out: &Path) -> usize {
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(
        w,
        "leika_key;leika_name;ars;ars_name;ozgid;url;online_status;aktiv;art_flaechendeckung;datenstand_pvog_import"
    )
    .unwrap();
    let services = services();
    let mut n = 0usize;
    for ars in gemeinden {
        for (i, (key, name)) in services.iter().enumerate() {
            let status = if (n * 7919) % 100 < 3 {
                "nicht ok"
            } else {
                "ok"
            };
            writeln!(
                w,
                "{key};{name};{ars};Gemeinde {ars};{};https://dienste.bench.invalid/{key}/{ars};{status};ja;in mind. einer Kommune verfügbar;2026-11-30",
                10_000 + i
            )
            .unwrap();
            n += 1;
        }
    }
    w.flush().unwrap();
    n
}

/// `aktivierungen` of the same count: every Gemeinde's administration × the first 250
/// processes of the scale demo's catalogue.
fn write_activations(gemeinden: &[String], demo: &Path, out: &Path) -> usize {
    let prozesse = std::fs::read_to_string(demo.join("prozesse.csv")).expect("prozesse.csv");
    let ids: Vec<&str> = prozesse
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .take(SERVICES)
        .collect();
    assert_eq!(ids.len(), SERVICES, "the scale demo has fewer processes");
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(w, "verwaltung,prozess_id,aktiviert_am,deaktiviert_am").unwrap();
    let mut n = 0;
    for ars in gemeinden {
        let ags = format!("{}{}", &ars[..5], &ars[9..]);
        for id in &ids {
            writeln!(w, "{ags},{id},2025-0{}-1{},", 1 + n % 9, n % 10).unwrap();
            n += 1;
        }
    }
    w.flush().unwrap();
    n
}

fn fresh_db(dir: &Path, name: &str) -> String {
    let db = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    format!("sqlite://{}?mode=rwc", db.display())
}

fn line(what: &str, measured: &str, reference: &str) {
    println!("onlinedienste: {what:<46} {measured:<30} reference/target: {reference}");
}

pub async fn run() {
    let kept = std::env::var("BENCH_DIR").ok().map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let demo = dir.join("demo-de");
    if !demo.join("prozesse.csv").exists() {
        let m = measure(
            Command::new(EXE)
                .args(["demo", "--scale", "de", "--out"])
                .arg(&demo)
                .stdout(Stdio::null()),
        );
        assert!(m.ok, "demo --scale de failed");
    }
    let gemeinden = gemeinden();
    let export = dir.join("onlinedienste-de.csv");
    let rows = write_export(&gemeinden, &export);
    let activations = dir.join("aktivierungen-de-same-count.csv");
    let act_rows = write_activations(&gemeinden, &demo, &activations);
    println!(
        "onlinedienste: {} Gemeinden × {SERVICES} services = {rows} rows ({:.0} MB); aktivierungen {act_rows} rows ({:.0} MB)",
        gemeinden.len(),
        std::fs::metadata(&export).unwrap().len() as f64 / 1e6,
        std::fs::metadata(&activations).unwrap().len() as f64 / 1e6,
    );

    let services_url = fresh_db(&dir, "onlinedienste.db");
    let first = import(&services_url, "onlinedienste", &export);
    let again = import(&services_url, "onlinedienste", &export);
    let act_url = fresh_db(&dir, "aktivierungen.db");
    import(&act_url, "prozesse", &demo.join("prozesse.csv"));
    let act = import(&act_url, "aktivierungen", &activations);
    line(
        "import onlinedienste: time",
        &format!(
            "{:.1} s ({:.0} rows/s)",
            first.secs,
            rows as f64 / first.secs
        ),
        &format!(
            "aktivierungen, same count: {:.1} s ({:.2} ×)",
            act.secs,
            first.secs / act.secs
        ),
    );
    line(
        "import onlinedienste: peak RSS",
        &mb(first.peak_kb),
        &format!("≤ 300 MB; aktivierungen {}", mb(act.peak_kb)),
    );
    line(
        "re-import, all unchanged: time / peak RSS",
        &format!("{:.1} s / {}", again.secs, mb(again.peak_kb)),
        "≤ 300 MB",
    );
    let served = serve_with(&services_url, true, false, "/api/v1/coverage?level=land").await;
    // Every row arrived: each of the 250 services in every Gemeinde.
    let land: serde_json::Value = serde_json::from_str(&served.first_body).unwrap();
    let (all, everywhere) = (
        &land[0]["onlinedienste"],
        &land[0]["onlinedienste_flaechendeckend"],
    );
    assert!(
        all == SERVICES && everywhere == SERVICES,
        "the engine holds {all} services, {everywhere} everywhere"
    );
    line("serve: ready", &format!("{:.2} s", served.ready_s), "—");
    line(
        "serve: steady / peak RSS",
        &format!("{} / {}", mb(served.steady_kb), mb(served.peak_kb)),
        "≤ 300 MB",
    );
    line(
        "serve: first /api/v1/coverage?level=land",
        &format!("{:.2} s", served.first_timeseries_s),
        "—",
    );
}
