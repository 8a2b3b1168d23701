//! `BENCH_SCALE=de10`: Germany's upper bound. The scale demo's `aktivierungen` file (every
//! administration of Germany's real registry, `--land all`, 600 processes, about 650,000 rows) repeated ten times with
//! its dates moved back by 0–9 whole years: about 6.5 million rows. Everything runs as users run
//! it: the release binary's `import` and `serve` as child processes, their wall time and peak
//! resident memory (GNU time's maximum RSS, or VmHWM for the server) measured from outside; the
//! reference is `sqlite3` (staged `.import` + one ordered `INSERT … SELECT`) in the same run.
//!
//! Set `BENCH_DIR` to keep the generated files (and reuse them on the next run).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const EXE: &str = env!("CARGO_BIN_EXE_digitalatlas");

/// Wall time and peak RSS (kB) of a finished child process.
pub(crate) struct Measured {
    pub(crate) secs: f64,
    pub(crate) peak_kb: i64,
    pub(crate) ok: bool,
}

/// Runs `cmd` under GNU time (`apt-get install time`), which forks it from a process of its own:
/// the peak RSS of a child forked from this (large) bench process would start at this process'
/// own high-water mark.
pub(crate) fn measure(cmd: &mut Command) -> Measured {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(report.path())
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let t = Instant::now();
    let status = timed
        .status()
        .unwrap_or_else(|e| panic!("/usr/bin/time (apt-get install time): {e}"));
    let secs = t.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(report.path()).unwrap_or_default();
    Measured {
        secs,
        peak_kb: text
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .next_back()
            .unwrap_or(0),
        ok: status.success(),
    }
}

/// Writes every dirty page to disk (`sync`), so that a measured command does not pay for the
/// writeback of the one before it (the `sqlite3` reference leaves 700 MB behind).
fn settle() {
    let _ = Command::new("sync").status();
}

pub(crate) fn mb(kb: i64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

/// A date moved back by whole years (29 February becomes the 28th).
fn years_back(date: &str, years: i32) -> String {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("ISO date");
    let y = d.year() - years;
    chrono::NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| chrono::NaiveDate::from_ymd_opt(y, d.month(), d.day() - 1))
        .expect("date")
        .format("%Y-%m-%d")
        .to_string()
}

/// The ten-fold file from the scale demo's one, each key once (a re-activation a whole year
/// later would repeat a key); returns its row count.
fn write_big(demo: &Path, out: &Path) -> usize {
    use std::io::Write;
    let text = std::fs::read_to_string(demo.join("aktivierungen.csv")).expect("demo file");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    writeln!(w, "{header}").unwrap();
    let mut seen = std::collections::HashSet::new();
    for years in 0..10 {
        for row in &rows {
            let mut cells = row.split(',');
            let (admin, process, from, until) = (
                cells.next().unwrap(),
                cells.next().unwrap(),
                cells.next().unwrap(),
                cells.next().unwrap_or(""),
            );
            let until = if until.is_empty() {
                String::new()
            } else {
                years_back(until, years)
            };
            let from = years_back(from, years);
            if seen.insert((admin, process, from.clone())) {
                writeln!(w, "{admin},{process},{from},{until}").unwrap();
            }
        }
    }
    w.flush().unwrap();
    seen.len()
}

/// The release binary on `url`, an atlas of Germany (`--land all`, the real registry).
fn digitalatlas(url: &str) -> Command {
    let mut c = Command::new(EXE);
    c.arg("--database-url")
        .arg(url)
        .args(["--land", "all"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    c
}

pub(crate) fn import(url: &str, dataset: &str, file: &Path) -> Measured {
    settle();
    let m = measure(digitalatlas(url).args(["import", dataset]).arg(file).args([
        "--max-rows",
        "10000000",
        "--max-bytes",
        "1000000000",
    ]));
    assert!(m.ok, "import {dataset} {} failed", file.display());
    m
}

/// `sqlite3` on the same file into the same table definition: `.import` into a staging table,
/// then one `INSERT … SELECT … ORDER BY` key; in sqlite3's default rollback journal, or with
/// `wal` in the journal mode digitalatlas writes in (WAL, `synchronous = NORMAL`).
fn sqlite3_reference(schema_from: &Path, big: &Path, dir: &Path, wal: bool) -> Measured {
    let db = dir.join(if wal {
        "reference-wal.db"
    } else {
        "reference.db"
    });
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let schema = Command::new("sqlite3")
        .arg(schema_from)
        .arg(".schema activations")
        .output()
        .expect("sqlite3 (apt-get install sqlite3)");
    let journal = if wal {
        "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n"
    } else {
        ""
    };
    let script = format!(
        "{journal}{}\nCREATE TABLE staging (verwaltung TEXT, prozess_id TEXT, aktiviert_am TEXT, deaktiviert_am TEXT);\n\
         .import --csv --skip 1 {} staging\n\
         INSERT INTO activations (administration_id, process_id, activated_on, deactivated_on) \
         SELECT verwaltung, prozess_id, aktiviert_am, NULLIF(deaktiviert_am, '') FROM staging \
         ORDER BY verwaltung, prozess_id, aktiviert_am;\n\
         DROP TABLE staging;\n",
        String::from_utf8_lossy(&schema.stdout),
        big.display()
    );
    let script_path = dir.join("reference.sql");
    std::fs::write(&script_path, script).unwrap();
    settle();
    let m = measure(
        Command::new("sqlite3")
            .arg(&db)
            .arg(format!(".read {}", script_path.display()))
            .stdout(Stdio::null()),
    );
    assert!(m.ok, "sqlite3 reference failed");
    m
}

/// What `serve` did on a database: seconds to ready, steady RSS (median of samples after ready),
/// peak RSS, and the first time series request's seconds.
pub(crate) struct Served {
    pub(crate) ready_s: f64,
    pub(crate) steady_kb: i64,
    pub(crate) peak_kb: i64,
    /// Seconds of the first request (a time series, or the path given to `serve_with`).
    pub(crate) first_timeseries_s: f64,
    /// Its answer.
    pub(crate) first_body: String,
}

async fn serve(url: &str, germany: bool, demo: bool) -> Served {
    serve_with(
        url,
        germany,
        demo,
        "/api/v1/timeseries?metric=administrations_with_lotse&level=land",
    )
    .await
}

/// [`serve`], with `first` as the first request after the steady samples.
pub(crate) async fn serve_with(url: &str, germany: bool, demo: bool, first: &str) -> Served {
    let port = super::support::free_port();
    let mut cmd = Command::new(EXE);
    cmd.arg("--database-url").arg(url);
    if germany {
        cmd.args(["--land", "all"]);
    }
    cmd.arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    let t = Instant::now();
    let mut child = cmd.spawn().expect("serve");
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let ready_s = loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                break t.elapsed().as_secs_f64();
            }
        }
        assert!(
            t.elapsed() < Duration::from_secs(600),
            "serve never got ready"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut samples = Vec::new();
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        samples.push(super::support::status_kb(child.id(), "VmRSS:"));
    }
    samples.sort();
    let t = Instant::now();
    let r = client
        .get(format!("{base}{first}"))
        .send()
        .await
        .expect("first request");
    assert!(r.status().is_success(), "{first}: {}", r.status());
    let first_body = r.text().await.unwrap_or_default();
    let first_timeseries_s = t.elapsed().as_secs_f64();
    let peak_kb = super::support::status_kb(child.id(), "VmHWM:");
    let _ = child.kill();
    let _ = child.wait();
    Served {
        ready_s,
        steady_kb: samples[samples.len() / 2],
        peak_kb,
        first_timeseries_s,
        first_body,
    }
}

fn line(what: &str, measured: &str, target: &str) {
    println!("de10: {what:<58} {measured:<34} target/reference: {target}");
}

pub async fn run() {
    let kept = std::env::var("BENCH_DIR").ok().map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let demo = dir.join("demo-de");
    if !demo.join("aktivierungen.csv").exists() {
        let m = measure(
            Command::new(EXE)
                .args(["demo", "--scale", "de", "--out"])
                .arg(&demo)
                .stdout(Stdio::null()),
        );
        assert!(m.ok, "demo --scale de failed");
    }
    let big = dir.join("aktivierungen-de10.csv");
    let rows = if big.exists() {
        std::fs::read(&big)
            .unwrap()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            - 1
    } else {
        write_big(&demo, &big)
    };
    let size = std::fs::metadata(&big).unwrap().len();
    println!(
        "de10: {} with {rows} rows ({:.0} MB)",
        big.display(),
        size as f64 / 1e6
    );

    // SQLite: the demo's other files first, then the big one, then again unchanged.
    let db = dir.join("de10.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite://{}?mode=rwc", db.display());
    for (dataset, file) in [
        ("prozesse", "prozesse.csv"),
        ("qualifikationen", "qualifikationen.csv"),
        ("konten", "konten.csv"),
    ] {
        import(&url, dataset, &demo.join(file));
    }
    let reference = sqlite3_reference(&db, &big, &dir, false);
    let reference_wal = sqlite3_reference(&db, &big, &dir, true);
    let first = import(&url, "aktivierungen", &big);
    let again = import(&url, "aktivierungen", &big);
    line(
        "SQLite first import: time",
        &format!(
            "{:.1} s ({:.0} rows/s)",
            first.secs,
            rows as f64 / first.secs
        ),
        &format!(
            "sqlite3 staged import {:.1} s: ratio {:.2} (≤ 1.0); in WAL as ours {:.1} s: ratio {:.2}",
            reference.secs,
            first.secs / reference.secs,
            reference_wal.secs,
            first.secs / reference_wal.secs
        ),
    );
    line(
        "SQLite first import: peak RSS",
        &mb(first.peak_kb),
        &format!("≤ 300 MB; sqlite3 {}", mb(reference.peak_kb)),
    );
    line(
        "SQLite re-import, all unchanged: time / peak RSS",
        &format!("{:.1} s / {}", again.secs, mb(again.peak_kb)),
        "peak ≤ 300 MB",
    );

    // The first start reads the table and stores the compact activations beside it (in the
    // background, within the steady samples' 5 s); the next start reads those.
    let s = serve(&url, true, false).await;
    line(
        "serve on the 6.5M-row database: ready, first start",
        &format!("{:.2} s", s.ready_s),
        "≤ 2 s (reads the table)",
    );
    let s = serve(&url, true, false).await;
    line(
        "serve on the 6.5M-row database: ready, next start",
        &format!("{:.2} s", s.ready_s),
        "≤ 1 s (compact activations)",
    );
    line(
        "serve on the 6.5M-row database: steady / peak RSS",
        &format!("{} / {}", mb(s.steady_kb), mb(s.peak_kb)),
        "≤ 300 MB / ≤ 500 MB",
    );
    line(
        "serve on the 6.5M-row database: first time series",
        &format!("{:.2} s", s.first_timeseries_s),
        "≤ 1 s",
    );

    let de_db = dir.join("demo-de.db");
    let _ = std::fs::remove_file(&de_db);
    let s = serve(
        &format!("sqlite://{}?mode=rwc", de_db.display()),
        true,
        true,
    )
    .await;
    line(
        "serve --land all --demo: steady RSS",
        &mb(s.steady_kb),
        "≤ 150 MB",
    );
    let bw_db = dir.join("demo-bw.db");
    let _ = std::fs::remove_file(&bw_db);
    let s = serve(
        &format!("sqlite://{}?mode=rwc", bw_db.display()),
        false,
        true,
    )
    .await;
    line(
        "serve --demo, Baden-Württemberg: steady RSS",
        &mb(s.steady_kb),
        "≤ 60 MB",
    );

    if let Ok(admin) = std::env::var("DIGITALATLAS_BENCH_POSTGRES") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        for sql in ["DROP DATABASE IF EXISTS da_de10", "CREATE DATABASE da_de10"] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        let pg = format!("{}/da_de10", admin.rsplit_once('/').unwrap().0);
        for (dataset, file) in [
            ("prozesse", "prozesse.csv"),
            ("qualifikationen", "qualifikationen.csv"),
        ] {
            import(&pg, dataset, &demo.join(file));
        }
        let m = import(&pg, "aktivierungen", &big);
        line(
            "PostgreSQL first import: rows/s / peak RSS",
            &format!("{:.0} rows/s / {}", rows as f64 / m.secs, mb(m.peak_kb)),
            "≥ 300,000 rows/s / ≤ 300 MB",
        );
    }
    if kept.is_none() {
        drop(temp);
    }
}
