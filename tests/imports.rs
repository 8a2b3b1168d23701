//! Imports of real files on SQLite and PostgreSQL: formats, idempotency, all-or-nothing, the CLI,
//! and the HTTP endpoint's authentication and limits.

mod common;

use std::path::Path;

use digitalatlas::auth::{hash_token, Tokens};
use digitalatlas::import::{self, Dataset, ImportError, Limits, Summary};
use digitalatlas::store::Store;
use indicatif::ProgressBar;
use serde_json::Value;

const TABLES: &[&str] = &[
    "processes",
    "qualifications",
    "activations",
    "servicebw_accounts",
    "import_log",
];

use common::fixture;

async fn import_bytes(
    store: &Store,
    dataset: Dataset,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<Summary, ImportError> {
    let req = import::Request {
        dataset,
        source_name: name.to_string(),
        input: import::Input::Bytes(bytes),
        format_hint: Some(name.to_string()),
        dry_run,
        actor: "test".into(),
        stichtag: None,
    };
    import::run(store, &req, Limits::default(), &ProgressBar::hidden()).await
}

async fn import_fixture(store: &Store, dataset: Dataset, name: &str) -> Summary {
    import_bytes(store, dataset, name, &fixture(name), false)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(store.count(t).await.unwrap());
    }
    out
}

async fn text_column(store: &Store, sql: &str) -> Vec<String> {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_all(&store.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_files_import_with_the_right_counts() {
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        let store = &state.store;

        let s = import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
        assert_eq!((s.counts.total, s.counts.inserted), (4, 4), "{}", db.name);

        let s = import_fixture(
            store,
            Dataset::Qualifikationen,
            "qualifikationen-win1252.csv",
        )
        .await;
        assert_eq!(s.encoding, "windows-1252");
        assert_eq!((s.counts.total, s.counts.inserted), (5, 5));
        assert!(
            s.warnings.iter().any(|w| w.contains("Bemerkung")),
            "{:?}",
            s.warnings
        );
        assert!(
            s.warnings
                .iter()
                .any(|w| w.contains("\"Name\"") && w.contains("personal")),
            "{:?}",
            s.warnings
        );

        let s = import_fixture(store, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        assert_eq!((s.counts.total, s.counts.inserted), (6, 6));

        let s = import_fixture(store, Dataset::Qualifikationen, "qualifikationen.json").await;
        assert_eq!(s.format, "json");
        assert_eq!((s.counts.total, s.counts.inserted), (3, 3));

        let s = import_fixture(store, Dataset::Konten, "konten.xlsx").await;
        assert_eq!(s.format, "xlsx");
        assert_eq!((s.counts.total, s.counts.inserted), (5, 5));

        // Values arrived as meant: decimal commas, lost leading zeros, German and Excel dates.
        let cents: i64 = sqlx::query_scalar(
            "SELECT voucher_cents FROM qualifications WHERE participant_id = '8111000-BV-0001' \
             AND programme = 'aufbau'",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(cents, 9_950);
        let admin = text_column(
            store,
            "SELECT administration_id FROM qualifications WHERE participant_id = '8115-BV-0003'",
        )
        .await;
        assert_eq!(admin, ["08115"]);
        let dates = text_column(
            store,
            "SELECT completed_on FROM qualifications WHERE participant_id = '8416041-BV-0004'",
        )
        .await;
        assert_eq!(dates, ["2020-12-01"]);
        let scopes = text_column(
            store,
            "SELECT scope FROM servicebw_accounts WHERE reference_date = '2025-06-30' ORDER BY scope",
        )
        .await;
        assert_eq!(scopes, ["", "", "08111000"]);

        // The personal name column was never stored anywhere.
        let everything = text_column(
            store,
            "SELECT participant_id || course || provider || administration_id FROM qualifications",
        )
        .await
        .join("|");
        for name in ["Müller", "Schäfer", "Groß", "Übel"] {
            assert!(!everything.contains(name));
        }

        // The log has one row per import, newest first, by actor.
        let log = store.import_log(10).await.unwrap();
        assert_eq!(log.len(), 5);
        assert_eq!(log[0].dataset, "konten");
        assert_eq!(log[0].actor, "test");
        assert_eq!(log[0].checksum.len(), 64);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reimport_inserts_nothing_and_changes_update_in_place() {
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        let store = &state.store;
        import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
        import_fixture(store, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        let before = counts(store).await;
        let again = import_fixture(store, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        assert_eq!(again.counts.inserted, 0, "{}", db.name);
        assert_eq!(again.counts.unchanged, 6);
        let after = counts(store).await;
        assert_eq!(before[..4], after[..4]);

        // A re-sent file with one changed deactivation date and one new row.
        let changed = "verwaltung,prozess_id,aktiviert_am,deaktiviert_am\n\
                       08111000,SP01,2020-01-15,2023-12-31\n\
                       08115003,SP01,2021-05-03,\n\
                       08221000,SP01,2021-05-03,\n";
        let s = import_bytes(
            store,
            Dataset::Aktivierungen,
            "changed.csv",
            changed.as_bytes(),
            false,
        )
        .await
        .unwrap();
        assert_eq!(
            (s.counts.inserted, s.counts.updated, s.counts.unchanged),
            (1, 1, 1)
        );
        let log = store.import_log(1).await.unwrap();
        assert_eq!(
            (log[0].inserted, log[0].updated, log[0].unchanged),
            (1, 1, 1)
        );
        let until = text_column(
            store,
            "SELECT deactivated_on FROM activations WHERE administration_id = '08111000' \
             AND process_id = 'SP01'",
        )
        .await;
        assert_eq!(until, ["2023-12-31"]);

        // A dry run reports the same counts and writes nothing.
        let before = counts(store).await;
        let dry = "verwaltung,prozess_id,aktiviert_am\n08311000,SP02,2024-01-01\n";
        let s = import_bytes(
            store,
            Dataset::Aktivierungen,
            "dry.csv",
            dry.as_bytes(),
            true,
        )
        .await
        .unwrap();
        assert_eq!(s.counts.inserted, 1);
        assert_eq!(counts(store).await, before);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_row_among_thousands_writes_nothing() {
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        let store = &state.store;
        import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
        let gemeinden: Vec<String> = state
            .registry
            .level(digitalatlas::registry::Level::Gemeinde)
            .map(|g| g.ags.clone())
            .collect();
        let mut csv = String::from("verwaltung;prozess_id;aktiviert_am\r\n");
        let mut bad_line = 0;
        for (i, ags) in gemeinden.iter().enumerate() {
            for (j, p) in ["SP01", "SP02", "SP03"].iter().enumerate() {
                let line = 2 + i * 3 + j;
                if line == 1502 {
                    csv.push_str(&format!("{ags};{p};31.02.2021\r\n"));
                    bad_line = line;
                } else {
                    csv.push_str(&format!("{ags};{p};01.0{}.2021\r\n", j + 1));
                }
            }
        }
        assert_eq!(bad_line, 1502);
        let before = counts(store).await;
        let err = import_bytes(
            store,
            Dataset::Aktivierungen,
            "big.csv",
            csv.as_bytes(),
            false,
        )
        .await
        .unwrap_err();
        let ImportError::Invalid(report) = err else {
            panic!("expected a report, got {err}")
        };
        assert_eq!(report.issue_count, 1, "{report}");
        assert_eq!(report.issues[0].line, 1502);
        assert_eq!(report.issues[0].column, "aktiviert_am");
        assert_eq!(report.issues[0].value, "31.02.2021");
        assert!(report.to_string().contains("big.csv:1502"));
        assert_eq!(counts(store).await, before, "{}", db.name);
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_reports_every_kind_of_problem() {
    let db = common::sqlite_db();
    let state = digitalatlas::server::prepare(&db.url).await.unwrap();
    let store = &state.store;
    import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
    let csv =
        "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\n\
               A1;08999999;basis;K;VS;2020-01-01;3;300\n\
               A2;08111;basis;K;VS;2020-01-01;3;300\n\
               A3;08111000;grund;K;VS;2020-01-01;3;300\n\
               A4;08111000;basis;K;VS;2020-13-01;3;300\n\
               A5;08111000;basis;K;VS;2020-01-01;-3;300\n\
               A6;08111000;basis;K;VS;2020-01-01;3;-300\n\
               Max Muster;08111000;basis;K;VS;2020-01-01;3;300\n\
               A8;08111000;basis;K;VS;2020-01-01;3;300\n\
               A8;08111000;basis;K;VS;2020-01-01;3;300\n";
    let err = import_bytes(
        store,
        Dataset::Qualifikationen,
        "q.csv",
        csv.as_bytes(),
        false,
    )
    .await
    .unwrap_err();
    let ImportError::Invalid(report) = err else {
        panic!("expected a report")
    };
    let reasons: Vec<(u64, &str, &str)> = report
        .issues
        .iter()
        .map(|i| (i.line, i.column.as_str(), i.reason.as_str()))
        .collect();
    let has = |line: u64, column: &str, text: &str| {
        reasons
            .iter()
            .any(|(l, c, r)| *l == line && c.contains(column) && r.contains(text))
    };
    assert!(has(2, "verwaltung", "unknown AGS"), "{reasons:?}");
    assert!(has(3, "verwaltung", "Stadtkreis"), "{reasons:?}");
    assert!(has(4, "programm", "unknown programme"), "{reasons:?}");
    assert!(has(5, "abschluss", "not a date"), "{reasons:?}");
    assert!(has(6, "seminartage", "negative"), "{reasons:?}");
    assert!(has(7, "foerderung_eur", "negative"), "{reasons:?}");
    assert!(has(8, "teilnehmer_id", "no blanks"), "{reasons:?}");
    assert!(has(10, "teilnehmer_id", "duplicate key"), "{reasons:?}");
    assert_eq!(report.issue_count, 8);

    let missing = "verwaltung;prozess_id\n08111000;SP01\n";
    let err = import_bytes(
        store,
        Dataset::Aktivierungen,
        "m.csv",
        missing.as_bytes(),
        false,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("aktiviert_am"), "{err}");
    let unknown = "verwaltung,prozess_id,aktiviert_am\n08111000,XX99,2020-01-01\n";
    let err = import_bytes(
        store,
        Dataset::Aktivierungen,
        "u.csv",
        unknown.as_bytes(),
        false,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("unknown prozess_id"), "{err}");
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_imports_and_fails_with_a_report() {
    let db = common::sqlite_db();
    let bin = env!("CARGO_BIN_EXE_digitalatlas");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .args(["--database-url", &db.url])
            .env("RUST_LOG", "warn")
            .output()
            .expect("run digitalatlas")
    };
    let ok = run(&[
        "import",
        "prozesse",
        dir.join("prozesse.csv").to_str().unwrap(),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("4 inserted, 0 updated, 0 unchanged"), "{out}");

    let dry = run(&[
        "import",
        "aktivierungen",
        dir.join("aktivierungen-bom.csv").to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(dry.status.success());
    assert!(String::from_utf8_lossy(&dry.stdout).contains("dry run"));

    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        bad.path(),
        "verwaltung;prozess_id;aktiviert_am\n08111000;SP01;gestern\n",
    )
    .unwrap();
    let failed = run(&["import", "aktivierungen", bad.path().to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let err = String::from_utf8_lossy(&failed.stderr);
    assert!(
        err.contains(":2: column aktiviert_am, value \"gestern\""),
        "{err}"
    );

    let state = digitalatlas::server::prepare(&db.url).await.unwrap();
    assert_eq!(state.store.count("activations").await.unwrap(), 0);
    assert_eq!(state.store.count("processes").await.unwrap(), 4);
    state.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_imports_check_tokens_scopes_and_limits() {
    for db in common::all_dbs().await {
        let mut state = digitalatlas::server::prepare(&db.url).await.unwrap();
        state.tokens = std::sync::Arc::new(
            Tokens::parse(
                &format!(
                    "vs {} qualifikationen; ops {} *",
                    hash_token("vs-secret"),
                    hash_token("ops-secret")
                ),
                "test",
            )
            .unwrap(),
        );
        state.limits = Limits {
            max_bytes: 8192,
            max_rows: 1000,
            ..Limits::default()
        };
        let server = digitalatlas::server::start(state, "127.0.0.1:0".parse().unwrap(), false)
            .await
            .unwrap();
        let base = common::base_url(&server);
        let c = reqwest::Client::new();
        let post = |dataset: &str, token: Option<&str>, body: Vec<u8>, ctype: &str| {
            let mut req = c
                .post(format!("{base}/api/v1/imports/{dataset}"))
                .header("content-type", ctype.to_string())
                .body(body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req.send()
        };
        let csv = fixture("prozesse.csv");

        let r = post("prozesse", None, csv.clone(), "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        let r = post("prozesse", Some("wrong"), csv.clone(), "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = post("prozesse", Some("vs-secret"), csv.clone(), "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = post("prozesse", Some("ops-secret"), vec![b'a'; 9000], "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 413);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("8192"));

        // `dry_run` is a yes or a no: anything else is refused, not taken as "write".
        let r = c
            .post(format!("{base}/api/v1/imports/prozesse?dry_run=maybe"))
            .bearer_auth("ops-secret")
            .header("content-type", "text/csv")
            .body(csv.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("maybe"));
        assert_eq!(server.state.store.count("processes").await.unwrap(), 0);

        let r = post("prozesse", Some("ops-secret"), csv.clone(), "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["counts"]["inserted"], 4);

        let r = post(
            "qualifikationen",
            Some("vs-secret"),
            fixture("qualifikationen.json"),
            "application/json",
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let r = post(
            "konten",
            Some("ops-secret"),
            fixture("konten.xlsx"),
            import::table::XLSX_MIME,
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);

        let bad = b"verwaltung,prozess_id,aktiviert_am\n08111000,SP01,2020-01-01\n08111000,NOPE,2020-01-01\n";
        let r = post(
            "aktivierungen",
            Some("ops-secret"),
            bad.to_vec(),
            "text/csv",
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422);
        let report: Value = r.json().await.unwrap();
        assert_eq!(report["issues"][0]["line"], 3);
        assert_eq!(report["issues"][0]["column"], "prozess_id");
        assert_eq!(server.state.store.count("activations").await.unwrap(), 0);

        let r = post("unbekannt", Some("ops-secret"), csv.clone(), "text/csv")
            .await
            .unwrap();
        assert_eq!(r.status(), 404);

        // The log needs a token with the read scope; reads elsewhere stay public.
        let r = c
            .get(format!("{base}/api/v1/imports"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = c
            .get(format!("{base}/api/v1/imports"))
            .bearer_auth("vs-secret")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let log: Value = c
            .get(format!("{base}/api/v1/imports"))
            .bearer_auth("ops-secret")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let all = log.as_array().unwrap();
        // Refused uploads are listed too (`status: failed`), with the reason.
        let failed: Vec<&Value> = all.iter().filter(|e| e["status"] == "failed").collect();
        assert!(failed.iter().any(|f| f["reason"] == "too_large"), "{all:?}");
        assert!(failed.iter().any(|f| f["reason"] == "invalid"), "{all:?}");
        let log: Vec<&Value> = all.iter().filter(|e| e["status"] == "imported").collect();
        assert_eq!(log.len(), 3);
        assert_eq!(log[0]["dataset"], "konten");
        assert_eq!(log[1]["actor"], "vs");
        let r = c
            .get(format!("{base}/api/v1/regions?level=land"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        server.stop().await.unwrap();
    }
}

/// After an HTTP-style import the snapshot takes over the imported activations instead of reading
/// the table: what it holds must equal a fresh read of the database, on both backends.
#[tokio::test]
async fn snapshot_taken_over_from_an_import_equals_a_fresh_read() {
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        common::import_fixture(&state, Dataset::Prozesse, "prozesse.csv").await;
        common::import_fixture(&state, Dataset::Aktivierungen, "aktivierungen-bom.csv").await;
        let before = state.coverage.snapshot().raw.activations.len();
        // One changed deactivation date, one new activation, one unchanged row.
        let update = "verwaltung;prozess_id;aktiviert_am;deaktiviert_am\n\
                      08111000;SP01;15.01.2020;31.12.2023\n\
                      08115003;SP03;2023-02-01;\n\
                      08111000;SP02;2022-01-01;\n";
        let summary = common::import_bytes(
            &state,
            Dataset::Aktivierungen,
            "update.csv",
            update.as_bytes(),
        )
        .await;
        assert_eq!(
            (
                summary.counts.inserted,
                summary.counts.updated,
                summary.counts.unchanged
            ),
            (1, 1, 1),
            "{}",
            db.name
        );
        let snap = state.coverage.snapshot();
        assert_eq!(snap.raw.activations.len(), before + 1, "{}", db.name);
        let fresh = state
            .store
            .load_raw(snap.raw.registry.clone(), None)
            .await
            .unwrap();
        let key =
            |a: &digitalatlas::coverage::raw::Activation| (a.admin, a.process, a.from, a.until);
        let mut ours: Vec<_> = snap.raw.activations.iter().map(key).collect();
        let mut theirs: Vec<_> = fresh.activations.iter().map(key).collect();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{}", db.name);
        assert_eq!(snap.raw.import_ids, fresh.import_ids, "{}", db.name);
        state.store.close().await;
    }
}

/// An aktivierungen CSV of `days` × 3 processes × every Gemeinde rows, with `deaktiviert_am`
/// set on the first `changed` rows and, if given, line `dup_at` repeating line 2's key.
fn large_activations(
    gemeinden: &[String],
    days: u32,
    changed: usize,
    dup_at: Option<usize>,
) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut csv = String::from("verwaltung;prozess_id;aktiviert_am;deaktiviert_am\r\n");
    let mut first = String::new();
    let mut line = 1;
    for d in 0..days {
        let day = start + chrono::Days::new(d.into());
        for ags in gemeinden {
            for p in ["SP01", "SP02", "SP03"] {
                line += 1;
                let row = if Some(line) == dup_at {
                    first.clone()
                } else {
                    format!("{ags};{p};{day}")
                };
                if line == 2 {
                    first = row.clone();
                }
                let until = if line - 1 <= changed {
                    "2026-01-01"
                } else {
                    ""
                };
                csv.push_str(&format!("{row};{until}\r\n"));
            }
        }
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_several_batches_streams_from_disk_with_every_check() {
    let dir = tempfile::tempdir().unwrap();
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        let store = &state.store;
        import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
        let gemeinden: Vec<String> = state
            .registry
            .level(digitalatlas::registry::Level::Gemeinde)
            .map(|g| g.ags.clone())
            .collect();
        let days = 70; // 70 × 3 × 1,101 = 231,210 rows: three batches
        let rows = days as i64 * 3 * gemeinden.len() as i64;
        let path = dir.path().join(format!("aktivierungen-{}.csv", db.name));
        let run = |dry_run: bool| {
            let path = path.clone();
            async move {
                let req = import::Request {
                    dataset: Dataset::Aktivierungen,
                    source_name: "aktivierungen.csv".into(),
                    input: import::Input::File(&path),
                    format_hint: Some("aktivierungen.csv".into()),
                    dry_run,
                    actor: "test".into(),
                    stichtag: None,
                };
                import::run(store, &req, Limits::default(), &ProgressBar::hidden()).await
            }
        };

        // A key of line 2 repeated in the third batch: refused, pointing back, nothing written.
        std::fs::write(&path, large_activations(&gemeinden, days, 0, Some(210_000))).unwrap();
        let before = counts(store).await;
        let err = run(false).await.unwrap_err();
        let ImportError::Invalid(report) = err else {
            panic!("expected a report, got {err}")
        };
        assert_eq!(report.issue_count, 1, "{report}");
        assert_eq!(report.issues[0].line, 210_000);
        assert!(
            report.issues[0].reason.contains("first on line 2"),
            "{report}"
        );
        assert_eq!(counts(store).await, before, "{}", db.name);

        // The clean file: every row inserted, none held for the snapshot (too many).
        std::fs::write(&path, large_activations(&gemeinden, days, 0, None)).unwrap();
        let dry = run(true).await.unwrap();
        assert_eq!((dry.counts.total, dry.counts.inserted), (rows, rows));
        assert_eq!(counts(store).await, before, "{}", db.name);
        let s = run(false).await.unwrap();
        assert_eq!(
            (s.counts.total, s.counts.inserted),
            (rows, rows),
            "{}",
            db.name
        );
        assert!(s.records.is_none());
        assert_eq!(store.count("activations").await.unwrap(), rows);
        // Read back in pages (SQLite: rowid ranges on two connections taking turns), in order.
        let raw = store.load_raw(state.registry.clone(), None).await.unwrap();
        assert_eq!(raw.activations.len() as i64, rows, "{}", db.name);
        let mut keys: Vec<(u32, u32, chrono::NaiveDate)> = raw
            .activations
            .iter()
            .map(|a| (a.admin, a.process, a.from))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(
            keys.len() as i64,
            rows,
            "{}: every activation once",
            db.name
        );

        // Again with 7 rows changed: compared in bounded batches against the stored rows.
        std::fs::write(&path, large_activations(&gemeinden, days, 7, None)).unwrap();
        let s = run(false).await.unwrap();
        assert_eq!(
            (s.counts.inserted, s.counts.updated, s.counts.unchanged),
            (0, 7, rows - 7),
            "{}",
            db.name
        );
        let ended: Vec<String> = text_column(
            store,
            "SELECT deactivated_on FROM activations WHERE deactivated_on IS NOT NULL",
        )
        .await;
        assert_eq!(ended, vec!["2026-01-01".to_string(); 7]);
        store.close().await;
    }
}

/// The references of activations are checked by the store as sets (migration 4 dropped their
/// foreign keys): a record naming an unknown process or administration makes the whole import
/// fail, into an empty table (PostgreSQL: straight `COPY`) and into a filled one (merge).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_refuses_records_naming_unknown_keys_and_writes_nothing() {
    use digitalatlas::model::{join_key, Cell, Record, SliceStream};
    use digitalatlas::store::imports::Provenance;
    use digitalatlas::store::StoreError;
    let activation = |line: u64, admin: &str, process: &str| Record {
        line,
        key: join_key(&[admin, process, "2024-03-01"]),
        values: vec![Cell::OptText(None)],
    };
    let provenance = Provenance {
        source_name: "aktivierungen.csv".into(),
        checksum: "0".into(),
        actor: "test".into(),
    };
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare(&db.url).await.unwrap();
        let store = &state.store;
        import_fixture(store, Dataset::Prozesse, "prozesse.csv").await;
        let process: String =
            text_column(store, "SELECT MIN(process_id) FROM processes").await[0].clone();
        let provenance = &provenance;
        let apply = |records: Vec<Record>, dry_run: bool| async move {
            store
                .apply_import(
                    Dataset::Aktivierungen,
                    &mut SliceStream(records.iter()),
                    provenance,
                    dry_run,
                    std::time::Duration::from_secs(5),
                )
                .await
        };
        for filled in [false, true] {
            let before = counts(store).await;
            for dry_run in [true, false] {
                let err = apply(
                    vec![
                        activation(2, "08111000", &process),
                        activation(3, "08111000", "P-UNBEKANNT"),
                    ],
                    dry_run,
                )
                .await
                .unwrap_err();
                assert!(
                    matches!(&err, StoreError::MissingReference { value, .. } if value == "P-UNBEKANNT"),
                    "{}: {err}",
                    db.name
                );
                let err = apply(vec![activation(2, "99999999", &process)], dry_run)
                    .await
                    .unwrap_err();
                assert!(
                    err.to_string().contains("administration_id \"99999999\""),
                    "{err}"
                );
                assert_eq!(counts(store).await, before, "{} filled={filled}", db.name);
            }
            if !filled {
                let (counts, _) = apply(vec![activation(2, "08111000", &process)], false)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(counts.inserted, 1, "{}", db.name);
            }
        }
        store.close().await;
    }
}
