//! Several writers on one database: concurrent CLI imports into one SQLite file, several
//! replicas (real `serve` processes) on one PostgreSQL, and `kill -9` of imports at several
//! points on both backends.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::KillOnDrop;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_digitalatlas");

/// The demo files (`digitalatlas demo`) in a temporary directory.
fn demo_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["demo", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

/// A large `aktivierungen` file: every administration of the demo × every process × `days`
/// (activation dates from `first_day` on), so that an import takes a while.
fn big_activations(demo: &Path, first_day: u32, days: u32, out: &Path) -> usize {
    let text = std::fs::read_to_string(demo.join("aktivierungen.csv")).unwrap();
    let mut admins: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    admins.sort();
    admins.dedup();
    let procs = std::fs::read_to_string(demo.join("prozesse.csv")).unwrap();
    let procs: Vec<String> = procs
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let mut s = String::from("verwaltung;prozess_id;aktiviert_am\n");
    let mut n = 0;
    for a in &admins {
        for p in &procs {
            for d in first_day..first_day + days {
                let day = start + chrono::Days::new(d as u64);
                s.push_str(&format!("{a};{p};{day}\n"));
                n += 1;
            }
        }
    }
    std::fs::write(out, s).unwrap();
    n
}

fn cli(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--database-url")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

async fn counts(url: &str) -> (i64, i64) {
    let store = digitalatlas::store::Store::connect(url).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM activations")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    let logs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM import_log")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    if store.backend == digitalatlas::store::Backend::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
    store.close().await;
    (rows, logs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_cli_imports_into_one_sqlite_file_both_land() {
    let demo = demo_files();
    let db = common::sqlite_db();
    let prozesse = demo.path().join("prozesse.csv");
    let out = cli(&db.url, &["import", "prozesse", prozesse.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let a = demo.path().join("a.csv");
    let b = demo.path().join("b.csv");
    let na = big_activations(demo.path(), 0, 2, &a);
    let nb = big_activations(demo.path(), 10, 2, &b);
    let spawn = |file: &PathBuf| {
        Command::new(BIN)
            .args(["--database-url", &db.url, "import", "aktivierungen"])
            .arg(file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(&a), spawn(&b));
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(counts(&db.url).await, ((na + nb) as i64, 3));
}

/// `kill -9` of a CLI import at several points: the database holds the old or the new complete
/// state, never a part; the import lock is free again for the next import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_imports_leave_the_old_or_the_new_state() {
    let demo = demo_files();
    for db in common::all_dbs().await {
        let prozesse = demo.path().join("prozesse.csv");
        let out = cli(&db.url, &["import", "prozesse", prozesse.to_str().unwrap()]);
        assert!(out.status.success(), "{out:?}");
        // One full import first: its duration places the kills from parsing to commit.
        let file = demo.path().join("full.csv");
        big_activations(demo.path(), 500, 2, &file);
        let t = Instant::now();
        let out = cli(
            &db.url,
            &["import", "aktivierungen", file.to_str().unwrap()],
        );
        assert!(out.status.success(), "{out:?}");
        let full = t.elapsed().as_millis() as u64;
        let (mut rows, mut logs) = counts(&db.url).await;
        let mut outcomes = (0, 0);
        let points = [5u64, 25, 50, 75, 100, 125, 150, 200, 300].map(|pct| full * pct / 100);
        for (i, delay_ms) in points.into_iter().enumerate() {
            let file = demo.path().join(format!("k{i}.csv"));
            let n = big_activations(demo.path(), 20 * i as u32, 2, &file) as i64;
            let mut child = KillOnDrop(
                Command::new(BIN)
                    .args(["--database-url", &db.url, "import", "aktivierungen"])
                    .arg(&file)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.0.kill(); // SIGKILL
            let _ = child.0.wait();
            let now = counts(&db.url).await;
            if now == (rows, logs) {
                outcomes.0 += 1;
            } else {
                assert_eq!(
                    now,
                    (rows + n, logs + 1),
                    "{}: after {delay_ms} ms",
                    db.name
                );
                outcomes.1 += 1;
                (rows, logs) = now;
            }
        }
        eprintln!(
            "{}: a full import takes {full} ms; kills at {points:?} ms: {} left the old state, \
             {} imports had completed",
            db.name, outcomes.0, outcomes.1
        );
        assert!(
            outcomes.0 >= 2,
            "{}: no kill hit an import in flight",
            db.name
        );
        // The lock is free: a normal import goes through at once.
        let file = demo.path().join("last.csv");
        let n = big_activations(demo.path(), 300, 1, &file) as i64;
        let out = cli(
            &db.url,
            &[
                "import",
                "aktivierungen",
                file.to_str().unwrap(),
                "--import-wait-seconds",
                "5",
            ],
        );
        assert!(out.status.success(), "{}: {out:?}", db.name);
        assert_eq!(counts(&db.url).await, (rows + n, logs + 1));
    }
}

/// One `serve` process of a replica set.
struct Replica {
    base: String,
    _child: KillOnDrop,
}

async fn start_replica(url: &str) -> Replica {
    let port = common::free_port();
    let child = KillOnDrop(
        Command::new(BIN)
            .args(["--database-url", url, "serve", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            // Only the change poll can make another replica's import visible in time.
            .args(["--refresh-seconds", "3600", "--import-wait-seconds", "20"])
            .env(
                "DIGITALATLAS_TOKENS",
                format!("ops {} *", digitalatlas::auth::hash_token("ops-secret")),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !c
        .get(format!("{base}/readyz"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
    {
        assert!(Instant::now() < deadline, "replica did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Replica {
        base,
        _child: child,
    }
}

/// Posts a file, retrying on 503 as its `Retry-After` says; never accepts a 500.
async fn post_until_done(c: &reqwest::Client, base: &str, dataset: &str, body: Vec<u8>) -> Value {
    for _ in 0..20 {
        let r = c
            .post(format!("{base}/api/v1/imports/{dataset}"))
            .bearer_auth("ops-secret")
            .header("content-type", "text/csv")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        match r.status().as_u16() {
            200 => return r.json().await.unwrap(),
            503 => {
                let wait: u64 = r.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                tokio::time::sleep(Duration::from_secs(wait.min(3))).await;
            }
            s => panic!("{dataset} on {base}: {s} {}", r.text().await.unwrap()),
        }
    }
    panic!("{dataset} on {base}: still busy after 20 tries");
}

/// The same figures on every replica, within `within`.
async fn agree(c: &reqwest::Client, replicas: &[Replica], path: &str, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let mut answers = Vec::new();
        for r in replicas {
            answers.push(common::get_json(c, &format!("{}{path}", r.base)).await);
        }
        if answers.windows(2).all(|w| w[0] == w[1]) {
            return answers.remove(0);
        }
        assert!(
            Instant::now() < deadline,
            "replicas disagree on {path} after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_on_one_postgres_import_concurrently_and_agree_within_two_seconds() {
    let Some(db) = common::postgres_db().await else {
        return;
    };
    let demo = demo_files();
    // Three replicas start at once on the empty database (migrations, registry load).
    let replicas = futures_all(vec![
        start_replica(&db.url),
        start_replica(&db.url),
        start_replica(&db.url),
    ])
    .await;
    let c = reqwest::Client::new();
    let file = |name: &str| std::fs::read(demo.path().join(name)).unwrap();
    let t = Instant::now();
    post_until_done(&c, &replicas[0].base, "prozesse", file("prozesse.csv")).await;
    let processes = agree(
        &c,
        &replicas,
        "/api/v1/ozg/processes",
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(processes.as_array().unwrap().len(), 30, "{processes}");
    eprintln!("prozesse visible on every replica after {:?}", t.elapsed());

    // Different datasets and overlapping rows on different replicas, all at once.
    let jobs = vec![
        (0, "qualifikationen", file("qualifikationen.csv")),
        (1, "aktivierungen", file("aktivierungen.csv")),
        (2, "aktivierungen", file("aktivierungen.csv")),
        (2, "konten", file("konten.csv")),
        (1, "qualifikationen", file("qualifikationen.csv")),
    ];
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(r, dataset, body)| {
            let (c, base) = (c.clone(), replicas[r].base.clone());
            tokio::spawn(async move { post_until_done(&c, &base, dataset, body).await })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    let landed = Instant::now();
    let land = agree(
        &c,
        &replicas,
        "/api/v1/coverage?level=land",
        Duration::from_secs(2),
    )
    .await;
    eprintln!(
        "figures agree on every replica {:?} after the last import",
        landed.elapsed()
    );
    assert!(
        land[0]["administrations_with_lotse"].as_i64().unwrap() > 400,
        "{land}"
    );
    let log = common::get_json_as(
        &c,
        &format!("{}/api/v1/imports", replicas[1].base),
        "ops-secret",
    )
    .await;
    let ids: Vec<i64> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "imported")
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![6, 5, 4, 3, 2, 1], "{log}");
}

async fn futures_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (f, o) in pinned.iter_mut().zip(out.iter_mut()) {
            if o.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *o = Some(v),
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}
