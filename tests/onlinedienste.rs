//! The federal dashboard's open Onlinedienste export (dataset `onlinedienste`) as users have it:
//! the CSV export of a Kreis (`;`, Gemeinde, Kreis, Land and Bund rows, a neighbour's row), the
//! JSON page object of the API, and broken files refused with line, column and value. On SQLite
//! and PostgreSQL.

mod common;

use digitalatlas::import::{self, Dataset, ImportError, Limits, Summary};
use digitalatlas::store::Store;
use indicatif::ProgressBar;

use common::fixture;

async fn import_bytes(store: &Store, name: &str, bytes: &[u8]) -> Result<Summary, ImportError> {
    let req = import::Request {
        dataset: Dataset::Onlinedienste,
        source_name: name.to_string(),
        input: import::Input::Bytes(bytes),
        format_hint: Some(name.to_string()),
        dry_run: false,
        actor: "test".into(),
        stichtag: None,
    };
    import::run(store, &req, Limits::default(), &ProgressBar::hidden()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_of_a_kreis_imports_with_its_gemeinde_kreis_land_and_bund_rows() {
    for db in common::all_dbs().await {
        let server = common::start_server(&db.url).await;
        let store = &server.state.store;

        let name = "onlinedienste-boeblingen.csv";
        let s = import_bytes(store, name, &fixture(name)).await.unwrap();
        // Eight rows: one of München (another Land) left out and counted, seven stored.
        assert_eq!(s.counts.total, 7, "{}", db.name);
        assert_eq!(s.counts.inserted, 7);
        assert_eq!(s.skipped, 1);
        assert!(s
            .warnings
            .iter()
            .any(|w| w.contains("1 row(s) of regions outside")));
        assert_eq!(store.count("onlinedienste").await.unwrap(), 7);
        // Importing the same file again changes nothing.
        let again = import_bytes(store, name, &fixture(name)).await.unwrap();
        assert_eq!((again.counts.inserted, again.counts.unchanged), (0, 7));

        // The API's JSON page object: a second Datenstand beside the first.
        let page = "onlinedienste-page.json";
        let s = import_bytes(store, page, &fixture(page)).await.unwrap();
        assert_eq!((s.counts.total, s.counts.inserted, s.skipped), (2, 2, 0));
        assert_eq!(store.count("onlinedienste").await.unwrap(), 9);
        server.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_without_datenstand_is_the_state_at_its_stichtag() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let store = &server.state.store;
    // The older export without the Datenstand columns.
    let old = "leika_key,leika_name,ars,url,online_status,aktiv,art_flaechendeckung\n\
               99041006017000,Hundehaltung anmelden,081150003003,https://x.de/h,ok,ja,in mind. einer Kommune verfügbar\n";
    let stichtag = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let req = import::Request {
        dataset: Dataset::Onlinedienste,
        source_name: "alt.csv".into(),
        input: import::Input::Bytes(old.as_bytes()),
        format_hint: Some("alt.csv".into()),
        dry_run: false,
        actor: "test".into(),
        stichtag: Some(stichtag),
    };
    import::run(store, &req, Limits::default(), &ProgressBar::hidden())
        .await
        .unwrap();
    server.state.after_import().await;
    let (c, base) = (reqwest::Client::new(), common::base_url(&server));
    let url = |day: &str| format!("{base}/api/v1/onlinedienste?kreis=08115&as_of={day}");
    let rows = common::get_json(&c, &url("2026-10-01")).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["datenstand"], "2026-09-30");
    // Before the Stichtag the service did not exist yet.
    let before = common::get_json(&c, &url("2026-09-29")).await;
    assert_eq!(before.as_array().unwrap().len(), 0);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_export_is_refused_with_line_column_and_value_and_nothing_is_written() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let store = &server.state.store;
    let good = String::from_utf8(fixture("onlinedienste-boeblingen.csv")).unwrap();
    for (from, to, column) in [
        // An ARS of 11 digits, a LeiKa key with a letter, a status and a class not in the
        // documented lists, a date that is none.
        (";081150028028;", ";08115002802;", "ars"),
        ("99108013002000", "9910801300200X", "leika_key"),
        (";nicht ok;", ";kaputt;", "online_status"),
        (
            ";landesweit flächendeckend;",
            ";landesweit;",
            "art_flaechendeckung",
        ),
        (
            ";01.11.2026;02.11.2026\n99102013000000",
            ";31.11.2026;02.11.2026\n99102013000000",
            "datenstand_pvog_import",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        let broken = good.replacen(from, to, 1);
        let err = import_bytes(store, "broken.csv", broken.as_bytes())
            .await
            .unwrap_err();
        let ImportError::Invalid(report) = err else {
            panic!("{column}: {err}")
        };
        assert!(
            report
                .issues
                .iter()
                .any(|i| i.column == column && i.line > 1),
            "{column}: {report}"
        );
        assert_eq!(store.count("onlinedienste").await.unwrap(), 0, "{column}");
    }
    // A page object without rows is not a table of the dataset.
    let err = import_bytes(store, "p.json", br#"{"totalPages": 0}"#)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("content"), "{err}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_with_more_rows_than_allowed_stops_at_the_limit() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    // A million rows of nothing: the reader stops at the row limit, not at the end.
    let mut page = String::from("{\"totalPages\": 1, \"content\": [");
    page.push_str(&vec!["{}"; 1_000_000].join(","));
    page.push_str("]}");
    let req = import::Request {
        dataset: Dataset::Onlinedienste,
        source_name: "page.json".into(),
        input: import::Input::Bytes(page.as_bytes()),
        format_hint: Some("application/json".into()),
        dry_run: false,
        actor: "test".into(),
        stichtag: None,
    };
    let limits = Limits {
        max_rows: 10_000,
        ..Limits::default()
    };
    let err = import::run(&server.state.store, &req, limits, &ProgressBar::hidden())
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::Unreadable(_)), "{err}");
    assert!(err.to_string().contains("10000"), "{err}");
    server.stop().await.unwrap();
}

/// The services a Gemeinde has on a day: its own and those from above, each region at its
/// latest Datenstand, computed by hand from the two fixtures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_lists_each_gemeindes_services_with_where_they_come_from() {
    for db in common::all_dbs().await {
        let server = common::start_server(&db.url).await;
        let store = &server.state.store;
        for name in ["onlinedienste-boeblingen.csv", "onlinedienste-page.json"] {
            import_bytes(store, name, &fixture(name)).await.unwrap();
        }
        server.state.after_import().await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();
        let rows = |day: &str, ags: &str| {
            let (c, base, ags) = (c.clone(), base.clone(), ags.to_string());
            let url = format!("{base}/api/v1/onlinedienste?kreis=08115&as_of={day}");
            async move {
                let all = common::get_json(&c, &url).await;
                let mut mine: Vec<(String, String, String)> = all
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["ags"] == ags.as_str())
                    .map(|r| {
                        (
                            r["herkunft"].as_str().unwrap().to_string(),
                            r["leika_key"].as_str().unwrap().to_string(),
                            r["online_status"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                mine.sort();
                mine
            }
        };
        let row = |o: &str, l: &str, s: &str| (o.to_string(), l.to_string(), s.to_string());
        // Before the first Datenstand: nothing.
        assert!(
            rows("2026-10-31", "08115003").await.is_empty(),
            "{}",
            db.name
        );
        // 15.11.2026: Böblingen's two (one link broken), the Kreis', the Land's, the Bund's.
        assert_eq!(
            rows("2026-11-15", "08115003").await,
            [
                row("bund", "99102013000000", "ok"),
                row("gemeinde", "99041006017000", "ok"),
                row("gemeinde", "99050012104000", "nicht ok"),
                row("kreis", "99108013002000", "ok"),
                row("land", "99036001002000", "ok"),
            ],
            "{}",
            db.name
        );
        // Sindelfingen has none of its own: what the Kreis, the Land and the Bund offer.
        assert_eq!(rows("2026-11-15", "08115045").await.len(), 3, "{}", db.name);
        // 06.12.2026: Böblingen's delivery of 01.12. has only the Hundesteuer; the
        // Meldebescheinigung has ended. Kreis and Land keep their Datenstand of 01.11.
        assert_eq!(
            rows("2026-12-06", "08115003").await,
            [
                row("bund", "99102013000000", "ok"),
                row("gemeinde", "99041006017000", "ok"),
                row("kreis", "99108013002000", "ok"),
                row("land", "99036001002000", "ok"),
            ],
            "{}",
            db.name
        );
        // The German CSV for Excel has the declared headers.
        let csv = common::get_text(
            &c,
            &format!("{base}/api/v1/onlinedienste?kreis=08115&as_of=2026-11-15&format=csv-de"),
        )
        .await;
        assert!(
            csv.contains("Gemeindeschlüssel;Name;Kreisschlüssel;LeiKa-Schlüssel"),
            "{csv}"
        );
        // The workbook names the data's source on its Info sheet.
        let xlsx = c
            .get(format!(
                "{base}/api/v1/onlinedienste?kreis=08115&as_of=2026-11-15&format=xlsx"
            ))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
        let info = book.worksheet_range("Info").unwrap();
        let names_source = info.rows().any(|r| {
            r.iter()
                .any(|c| c.to_string().contains("Dashboard Digitale Verwaltung"))
        });
        assert!(names_source, "{}", db.name);
        server.stop().await.unwrap();
    }
}

/// The engine's figures from the Böblingen export (26 Gemeinden), computed by hand for
/// 15.11.2026: Hundesteuer only in Böblingen (the export says "in mind. einer Kommune": agreed);
/// Meldebescheinigung in Böblingen (link broken) and Leonberg, 2 of 26, though the export says
/// "kreisweit flächendeckend" (the one disagreement, at Kreis level only); Fischereischein from
/// the Landratsamt (all 26: kreisweit, agreed; in the Land: in some); Gewerbe from the Land and
/// Elterngeld from the Bund (everywhere); a Testleistung "nicht in Auswertung berücksichtigt"
/// in one Gemeinde (no claim, no disagreement).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_counts_reach_disagreements_and_broken_links_as_by_hand() {
    for db in common::all_dbs().await {
        let server = common::start_server(&db.url).await;
        let name = "onlinedienste-boeblingen.csv";
        import_bytes(&server.state.store, name, &fixture(name))
            .await
            .unwrap();
        server.state.after_import().await;
        let (c, base) = (reqwest::Client::new(), common::base_url(&server));
        let get = |q: &str| {
            let (c, url) = (c.clone(), format!("{base}{q}"));
            async move { common::get_json(&c, &url).await }
        };
        let day = "as_of=2026-11-15";
        let kreis = get(&format!(
            "/api/v1/onlinedienste/flaechendeckung?kreis=08115&{day}"
        ))
        .await;
        let by_leika = |rows: &serde_json::Value, leika: &str| -> (u64, String, String, bool) {
            let r = rows
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["leika_key"] == leika)
                .unwrap_or_else(|| panic!("{leika}: {rows}"));
            (
                r["gemeinden"].as_u64().unwrap(),
                r["reach"].as_str().unwrap().to_string(),
                r["reach_bund"].as_str().unwrap().to_string(),
                r["abweichung"].as_bool().unwrap(),
            )
        };
        let t = |g: u64, a: &str, b: &str, d: bool| (g, a.to_string(), b.to_string(), d);
        assert_eq!(kreis.as_array().unwrap().len(), 6, "{}: {kreis}", db.name);
        let (m, f) = ("mindestens_eine", "flaechendeckend");
        assert_eq!(by_leika(&kreis, "99041006017000"), t(1, m, m, false));
        assert_eq!(by_leika(&kreis, "99050012104000"), t(2, m, f, true));
        assert_eq!(by_leika(&kreis, "99108013002000"), t(26, f, f, false));
        assert_eq!(by_leika(&kreis, "99036001002000"), t(26, f, f, false));
        assert_eq!(by_leika(&kreis, "99102013000000"), t(26, f, f, false));
        assert_eq!(by_leika(&kreis, "99999999999000"), t(1, m, "", false));
        let land = get(&format!(
            "/api/v1/onlinedienste/flaechendeckung?level=land&{day}"
        ))
        .await;
        assert_eq!(by_leika(&land, "99108013002000"), t(26, m, m, false));
        assert_eq!(by_leika(&land, "99050012104000"), t(2, m, m, false));
        assert_eq!(by_leika(&land, "99036001002000"), t(1101, f, f, false));
        let disagreements = get(&format!(
            "/api/v1/onlinedienste/flaechendeckung?abweichung=true&{day}"
        ))
        .await;
        assert_eq!(
            disagreements.as_array().unwrap().len(),
            1,
            "{disagreements}"
        );

        // The unit figures of the catalogue, for the Kreis and for Böblingen.
        let cov = get(&format!("/api/v1/coverage?level=kreis&kreis=08115&{day}")).await;
        let k = &cov[0];
        let figures = |r: &serde_json::Value| {
            [
                "onlinedienste",
                "onlinedienste_flaechendeckend",
                "onlinedienste_eigene",
                "onlinedienste_links_nicht_ok",
            ]
            .map(|n| r[n].as_u64().unwrap_or(u64::MAX))
        };
        assert_eq!(figures(k), [6, 3, 3, 1], "{k}");
        // (26 × 3 from above + 2 + 1 + 1 own) / 26
        let avg = k["onlinedienste_je_gemeinde"].as_f64().unwrap();
        assert!((avg - 82.0 / 26.0).abs() < 1e-9, "{avg}");
        let g = get(&format!(
            "/api/v1/coverage?level=gemeinde&kreis=08115&{day}"
        ))
        .await;
        let boeblingen = g
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "08115003" || r["ags"] == "08115003")
            .unwrap_or_else(|| panic!("{g}"));
        assert_eq!(figures(boeblingen), [5, 5, 2, 1], "{boeblingen}");
        // Its Verbände (none of Böblingen, Leonberg and Magstadt is in one): the three services
        // from above, in every member.
        let verbaende = get(&format!("/api/v1/coverage?level=verband&kreis=08115&{day}")).await;
        let verbaende = verbaende.as_array().unwrap();
        assert_eq!(verbaende.len(), 6);
        for v in verbaende {
            assert_eq!(figures(v), [3, 3, 0, 0], "{v}");
            assert_eq!(v["onlinedienste_je_gemeinde"], 3.0, "{v}");
        }

        // Who to call: the broken link.
        let broken = get(&format!(
            "/api/v1/onlinedienste?kreis=08115&status=nicht_ok&{day}"
        ))
        .await;
        let broken = broken.as_array().unwrap();
        assert_eq!(broken.len(), 1);
        assert_eq!(
            broken[0]["url"],
            "https://www.service-bw.de/melde-boeblingen"
        );

        // The pages (today: the Datenstand of 01.11. still holds).
        let kreis_page = common::get_text(&c, &format!("{base}/kreis/08115")).await;
        contains_all(
            &kreis_page,
            db.name,
            &[
                "<strong id=\"kz-onlinedienste\">6</strong>",
                "<strong id=\"kz-flaechendeckend\">3</strong>",
                "<strong id=\"kz-abweichungen\">1</strong>",
                "id=\"links-nicht-ok\"",
                "href=\"https://www.service-bw.de/melde-boeblingen\" rel=\"nofollow noopener\"",
                "Dashboard Digitale Verwaltung",
            ],
        );
        let page = common::get_text(&c, &format!("{base}/gemeinde/08115003")).await;
        contains_all(&page, db.name, &[
            "<strong id=\"kz-onlinedienste\">5</strong>",
            "<th scope=\"row\">Meldebescheinigung erteilen</th><td>99050012104000</td><td>Gemeinde (Böblingen, Stadt)</td>",
            "<td>Kreis (Landkreis Böblingen)</td>",
            "<td>Bund</td>",
        ]);

        // The metrics of today (the Datenstand of 01.11. still holds).
        let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
        contains_all(&metrics, db.name, &[
            "digitalatlas_onlinedienste_services{kreis=\"08115\",reach=\"flaechendeckend\"} 3",
            "digitalatlas_onlinedienste_services{kreis=\"08115\",reach=\"mindestens_eine\"} 3",
            "digitalatlas_onlinedienste_links_not_ok{kreis=\"08115\"} 1",
            "digitalatlas_onlinedienste_disagreements{level=\"kreis\"} 1",
            "digitalatlas_onlinedienste_disagreements{level=\"land\"} 0",
            "digitalatlas_onlinedienste_land_services{land=\"08\",reach=\"flaechendeckend\",source=\"atlas\"} 2",
            "digitalatlas_onlinedienste_land_services{land=\"08\",reach=\"mindestens_eine\",source=\"bund\"} 3",
        ]);
        server.stop().await.unwrap();
    }
}

/// Asserts that `text` (a page, the metrics) holds every one of `parts`.
fn contains_all(text: &str, db: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{db}: {part}\n{text}");
    }
}

/// The LeiKa link: every Onlinedienst joined to the shipped catalogue (OZG-Leistung,
/// Themenfeld, LeiKa-Typ) and to the service-bw process with the same key; filters by OZG-ID
/// and Themenfeld; `prozesse` with a Reifegrad (1.1: 0–4, 2.0: 0–7), refused outside its model.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_service_joins_the_catalogue_and_the_process_with_its_key() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let store = &server.state.store;
    let name = "onlinedienste-boeblingen.csv";
    import_bytes(store, name, &fixture(name)).await.unwrap();
    let prozesse = |rows: &str| {
        format!("prozess_id,name,art,leika_schluessel,reifegrad,reifegrad_modell\n{rows}")
    };
    let import_processes = |text: String| async move {
        let req = import::Request {
            dataset: Dataset::Prozesse,
            source_name: "prozesse.csv".into(),
            input: import::Input::Bytes(text.as_bytes()),
            format_hint: Some("prozesse.csv".into()),
            dry_run: false,
            actor: "test".into(),
            stichtag: None,
        };
        import::run(store, &req, Limits::default(), &ProgressBar::hidden()).await
    };
    for (bad, why) in [
        ("SP9,Gewerbe,standard,99050012104000,6,1.1\n", "0 to 4"),
        ("SP9,Gewerbe,standard,99050012104000,8,2.0\n", "0 to 7"),
        (
            "SP9,Gewerbe,standard,99050012104000,3,\n",
            "reifegrad_modell",
        ),
        (
            "SP9,Gewerbe,standard,99050012104000,3,3.0\n",
            "neither 1.1 nor 2.0",
        ),
    ] {
        let err = import_processes(prozesse(bad)).await.unwrap_err();
        let ImportError::Invalid(report) = err else {
            panic!("{bad}: {err}")
        };
        assert!(
            report
                .issues
                .iter()
                .any(|i| i.column == "reifegrad" && i.reason.contains(why)),
            "{bad}: {report}"
        );
    }
    import_processes(prozesse(
        "SP9,Gewerbe-Anmeldung,standard,99050012104000,5,2.0\nSP8,Ohne,standard,,,\n",
    ))
    .await
    .unwrap();
    server.state.after_import().await;
    let (c, base) = (reqwest::Client::new(), common::base_url(&server));
    let get = |q: &str| {
        let (c, url) = (c.clone(), format!("{base}{q}"));
        async move { common::get_json(&c, &url).await }
    };
    let day = "as_of=2026-11-15";
    let rows = get(&format!("/api/v1/onlinedienste?kreis=08115&{day}")).await;
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ags"] == "08115003" && r["leika_key"] == "99050012104000")
        .unwrap();
    // By the shipped catalogue: Gewerbe Anmeldung, OZG 10294, Typ 2/3; the process SP9.
    assert_eq!(row["ozg_id"], "10294", "{row}");
    assert_eq!(
        row["ozg_leistung"],
        "Unternehmensanmeldung und -genehmigung"
    );
    assert_eq!(row["leika_typ"], "2/3");
    assert!(!row["themenfeld"].as_str().unwrap().is_empty(), "{row}");
    assert_eq!(row["prozess_id"], "SP9");
    assert_eq!(row["prozess_aktiv"], false);
    let themenfeld = row["themenfeld"].as_str().unwrap().to_string();
    let by_ozg = get(&format!(
        "/api/v1/onlinedienste?kreis=08115&ozg_id=10294&{day}"
    ))
    .await;
    assert_eq!(by_ozg.as_array().unwrap().len(), 2, "{by_ozg}");
    let url = format!(
        "{base}/api/v1/onlinedienste?kreis=08115&{day}&themenfeld={}",
        themenfeld.replace('&', "%26").replace(' ', "%20")
    );
    let by_feld = common::get_json(&c, &url).await;
    assert!(by_feld
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["themenfeld"] == themenfeld.as_str()));
    let refused = c
        .get(format!("{base}/api/v1/onlinedienste?themenfeld=Quatsch"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("unknown themenfeld"));
    // The process list shows the Reifegrad where it is given.
    let processes = get("/api/v1/ozg/processes").await;
    let sp9 = processes
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["process_id"] == "SP9")
        .unwrap();
    assert_eq!(
        (sp9["reifegrad"].clone(), sp9["reifegrad_modell"].clone()),
        (5.into(), "2.0".into())
    );
    let sp8 = processes
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["process_id"] == "SP8")
        .unwrap();
    assert!(sp8["reifegrad"].is_null() && sp8["reifegrad_modell"] == "");
    server.stop().await.unwrap();
}

/// The time series of the Onlinedienste figures (one sweep, the counts reused while no
/// Datenstand passes) equal the figures of each day computed on their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_time_series_equals_each_days_figures() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    for name in ["onlinedienste-boeblingen.csv", "onlinedienste-page.json"] {
        import_bytes(&server.state.store, name, &fixture(name))
            .await
            .unwrap();
    }
    server.state.after_import().await;
    let (c, base) = (reqwest::Client::new(), common::base_url(&server));
    let metrics = "onlinedienste,onlinedienste_eigene,onlinedienste_links_nicht_ok";
    let series = common::get_json(
        &c,
        &format!(
            "{base}/api/v1/timeseries?metric={metrics}&level=kreis&key=08115&from=2026-08-01&to=2027-01-31"
        ),
    )
    .await;
    let rows = series.as_array().unwrap();
    assert!(rows.len() >= 6, "{series}");
    let mut changes = std::collections::BTreeSet::new();
    for row in rows {
        let day = row["date"].as_str().unwrap();
        let cov = common::get_json(
            &c,
            &format!("{base}/api/v1/coverage?level=kreis&kreis=08115&as_of={day}"),
        )
        .await;
        for m in metrics.split(',') {
            assert_eq!(row[m], cov[0][m], "{m} on {day}");
        }
        changes.insert((
            row["onlinedienste_eigene"].to_string(),
            row["onlinedienste_links_nicht_ok"].to_string(),
        ));
    }
    // Before, between and after the two Datenstände: the series moves.
    assert!(changes.len() >= 3, "{changes:?}");
    server.stop().await.unwrap();
}
