//! Import throughput: a 1,000,000-row `aktivierungen` CSV (every administration × 30 processes ×
//! 30 activation dates) imported through the normal import path into a fresh SQLite file and, when
//! `DIGITALATLAS_BENCH_POSTGRES` holds an admin URL, a fresh PostgreSQL database.
//!
//! Run: `cargo bench --bench import` (set `BENCH_ROWS` for another size; `BENCH_SCALE=de` for
//! Germany's real registry (`--land all`: 10,751 Gemeinden and 364 Kreis administrations), and the scale demo's own
//! 654,091-row `aktivierungen` file on top; `BENCH_SCALE=de10` for Germany's upper bound of 6.5
//! million rows, measured on the release binary beside `sqlite3`, see `support/de10.rs`;
//! `BENCH_SCALE=onlinedienste` for a Germany-sized federal Onlinedienste export of 2.7 million
//! rows beside an `aktivierungen` file of the same count, see `support/services_de.rs`).

#[path = "support/de10.rs"]
mod de10;
#[path = "support/services_de.rs"]
mod services_de;
mod support;

use std::time::Instant;

use digitalatlas::import::{self, Dataset, Limits};
use digitalatlas::store::Store;
use indicatif::ProgressBar;

use sqlx::Connection;

const PROCESSES: usize = 30;

fn processes_csv() -> String {
    let mut s = String::from("prozess_id,name,art\n");
    for p in 0..PROCESSES {
        s.push_str(&format!("P{p:02},Prozess {p},standard\n"));
    }
    s
}

fn activations_csv(admins: &[String], rows: usize) -> String {
    let mut s = String::with_capacity(rows * 40);
    s.push_str("verwaltung;prozess_id;aktiviert_am;deaktiviert_am\r\n");
    let mut n = 0;
    'outer: for day in 0.. {
        let date =
            chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Days::new(day * 20);
        for a in admins {
            for p in 0..PROCESSES {
                if n == rows {
                    break 'outer;
                }
                let until = date + chrono::Days::new(10);
                s.push_str(&format!(
                    "{a};P{p:02};{};{}\r\n",
                    date.format("%d.%m.%Y"),
                    until.format("%d.%m.%Y")
                ));
                n += 1;
            }
        }
    }
    s
}

async fn bench(url: &str, label: &str, rows: usize) {
    let germany = std::env::var("BENCH_SCALE").is_ok_and(|v| v == "de");
    let reference = if germany {
        digitalatlas::registry::reference::ReferenceData::for_territory(
            digitalatlas::registry::Territory::Germany,
        )
    } else {
        digitalatlas::registry::reference::ReferenceData::embedded()
    };
    let t = Instant::now();
    let state = digitalatlas::server::prepare_with(url, &reference)
        .await
        .expect("prepare");
    println!(
        "{label}: registry of {} regions loaded in {:.2} s",
        reference.regions.len(),
        t.elapsed().as_secs_f64()
    );
    let store: &Store = &state.store;
    let mut admins: Vec<String> = sqlx::query_scalar("SELECT id FROM administrations ORDER BY id")
        .fetch_all(&store.pool)
        .await
        .unwrap();
    admins.sort();
    let procs = processes_csv();
    run(store, Dataset::Prozesse, procs.as_bytes()).await;
    let csv = activations_csv(&admins, rows);
    let t = Instant::now();
    let summary = run(store, Dataset::Aktivierungen, csv.as_bytes()).await;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: {} rows ({:.1} MB) in {secs:.2} s = {:.0} rows/s ({:?})",
        summary.counts.inserted,
        csv.len() as f64 / 1e6,
        summary.counts.total as f64 / secs,
        summary.timings_ms
    );
    println!(
        "{label}: peak memory after the import (VmHWM): {}",
        support::peak_memory()
    );
    let t = Instant::now();
    let again = run(store, Dataset::Aktivierungen, csv.as_bytes()).await;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: re-import, {} unchanged in {secs:.2} s = {:.0} rows/s ({:?})",
        again.counts.unchanged,
        again.counts.total as f64 / secs,
        again.timings_ms
    );
    if germany {
        let files = digitalatlas::demo::scale::activity(1, &reference);
        for (_, dataset, text) in &files.files {
            if *dataset == Dataset::Aktivierungen {
                continue; // measured on its own below
            }
            run(store, *dataset, text.as_bytes()).await;
        }
        let (_, _, text) = files
            .files
            .iter()
            .find(|(_, d, _)| *d == Dataset::Aktivierungen)
            .unwrap();
        let t = Instant::now();
        let summary = run(store, Dataset::Aktivierungen, text.as_bytes()).await;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{label}: scale demo aktivierungen, {} rows ({} inserted, {} updated) in {secs:.2} s = {:.0} rows/s",
            summary.counts.total,
            summary.counts.inserted,
            summary.counts.updated,
            summary.counts.total as f64 / secs
        );
    }
    println!(
        "{label}: peak memory so far (VmHWM): {}",
        support::peak_memory()
    );
    store.close().await;
}

async fn run(store: &Store, dataset: Dataset, bytes: &[u8]) -> import::Summary {
    let req = import::Request {
        dataset,
        source_name: format!("bench-{dataset}.csv"),
        input: import::Input::Bytes(bytes),
        format_hint: Some("text/csv".into()),
        dry_run: false,
        actor: "bench".into(),
        stichtag: None,
    };
    import::run(store, &req, Limits::default(), &ProgressBar::hidden())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` probes bench binaries with these flags
    }
    if std::env::var("BENCH_SCALE").is_ok_and(|v| v == "de10") {
        de10::run().await;
        return;
    }
    if std::env::var("BENCH_SCALE").is_ok_and(|v| v == "onlinedienste") {
        services_de::run().await;
        return;
    }
    let rows: usize = std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    bench(&url, "sqlite", rows).await;
    if let Ok(admin) = std::env::var("DIGITALATLAS_BENCH_POSTGRES") {
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query("DROP DATABASE IF EXISTS da_bench")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("CREATE DATABASE da_bench")
            .execute(&mut conn)
            .await
            .unwrap();
        let base = admin.rsplit_once('/').unwrap().0;
        bench(&format!("{base}/da_bench"), "postgres", rows).await;
    }
}
