//! The demo dataset reproduces every published figure, through the public API, on SQLite and
//! PostgreSQL; and the same seed gives the same bytes.

mod common;

use serde_json::Value;

async fn land(c: &reqwest::Client, base: &str, as_of: &str) -> Value {
    let rows = common::get_json(
        c,
        &format!("{base}/api/v1/coverage?level=land&as_of={as_of}"),
    )
    .await;
    rows[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_reproduces_the_published_figures() {
    for db in common::all_dbs().await {
        let server = common::start_server(&db.url).await;
        let state = &server.state;
        let summaries = digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
            .await
            .unwrap();
        assert!(summaries.iter().all(|s| s.counts.inserted > 0));
        state.after_import().await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();

        // Projektstart November 2018: nothing before, something in that month.
        let before = land(&c, &base, "2018-10-31").await;
        assert_eq!(before["lotsen"], 0, "{}", db.name);
        let nov = land(&c, &base, "2018-11-30").await;
        assert!(nov["lotsen"].as_u64().unwrap() > 0);

        // 24.07.2019: "knapp 400" (396) Lotsen; 23 of 35 Landkreise (65 %) used the programme.
        let y2019 = land(&c, &base, "2019-07-24").await;
        assert_eq!(y2019["lotsen"], 396);
        assert_eq!(y2019["landratsaemter_with_lotse"], 23);
        assert_eq!(y2019["landratsaemter"], 35);

        // 19.02.2019: 197; May 2019: 228 on every day of it; 24.07.2019 as above. The Land's
        // page with `?as_of=` shows the same count.
        let api = |day: String| {
            let (c, base) = (c.clone(), base.clone());
            async move { land(&c, &base, &day).await["lotsen"].as_u64().unwrap() }
        };
        assert_eq!(api("2019-02-19".into()).await, 197, "{}", db.name);
        for day in 1..=31 {
            assert_eq!(
                api(format!("2019-05-{day:02}")).await,
                228,
                "{} May {day}",
                db.name
            );
        }
        // April 2023: more than 770 (the demo keeps to at most 800) on every day of it.
        for day in 1..=30 {
            let n = api(format!("2023-04-{day:02}")).await;
            assert!((771..=800).contains(&n), "{} April {day}: {n}", db.name);
        }
        // The Kreis table: administrations with a Lotse out of all, then the share, as before.
        let page = common::get_text(&c, &format!("{base}/?as_of=2021-06-30")).await;
        let table = &page[page.find("id=\"kreise\"").unwrap()..];
        let (with, share) = (
            table.find("Verwaltungen mit Digitallotse").unwrap(),
            table.find("Anteil mit Digitallotse").unwrap(),
        );
        assert!(with < share, "{}", db.name);
        assert!(
            table.contains(" / 27</td>"),
            "Böblingen's 27 administrations: {}",
            db.name
        );
        for (day, lotsen) in [("2019-02-19", "197"), ("2019-05-20", "228")] {
            let page = common::get_text(&c, &format!("{base}/?as_of={day}")).await;
            assert!(
                page.contains(&format!("<strong id=\"kz-lotsen\">{lotsen}</strong>")),
                "{} page {day}",
                db.name
            );
        }

        // 30.06.2021: 563 Lotsen in 326 Kommunen and 30 Landkreisen; 128 with Aufbau from 47
        // Kommunen and 13 Landkreisen.
        let y2021 = land(&c, &base, "2021-06-30").await;
        assert_eq!(y2021["lotsen"], 563);
        assert_eq!(y2021["lotsen_basis"], 563);
        assert_eq!(y2021["gemeinden_with_lotse"], 326);
        assert_eq!(y2021["landratsaemter_with_lotse"], 30);
        assert_eq!(y2021["lotsen_aufbau"], 128);
        assert_eq!(y2021["gemeinden_with_aufbau"], 47);
        assert_eq!(y2021["landratsaemter_with_aufbau"], 13);
        // Vouchers: 100 EUR per Basis seminar day (3 days), at most 50 EUR per Aufbau day.
        assert_eq!(y2021["funding_basis_euros"], 563.0 * 300.0);
        let aufbau = y2021["funding_aufbau_euros"].as_f64().unwrap();
        assert!(aufbau > 0.0 && aufbau <= 128.0 * 2.0 * 50.0);

        // The rollout goes on afterwards, and larger Gemeinden lead.
        let now = land(&c, &base, "2026-10-31").await;
        assert!(now["lotsen"].as_u64().unwrap() > 563);
        let classes = common::get_json(
            &c,
            &format!("{base}/api/v1/coverage?level=groessenklasse&as_of=2021-06-30"),
        )
        .await;
        let share = |k: &str| {
            classes
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["key"] == k)
                .unwrap()["share_with_lotse"]
                .as_f64()
                .unwrap()
        };
        assert!(share("ab-100000") > share("unter-5000"));

        // Onlinedienste in the federal export's shape, consistent with the activations: a
        // Gemeinde has its own, its Kreis', the Land's and the Bund's; a few links are broken.
        let od = common::get_json(&c, &format!("{base}/api/v1/onlinedienste?kreis=08115")).await;
        let od = od.as_array().unwrap();
        for origin in ["gemeinde", "kreis", "land", "bund"] {
            assert!(
                od.iter().any(|r| r["herkunft"] == origin),
                "{} {origin}",
                db.name
            );
        }
        assert!(od.iter().any(|r| r["online_status"] == "nicht ok"));
        assert!(od.iter().all(|r| r["demo"] == true));

        // Marked as synthetic.
        let reg = common::get_json(&c, &format!("{base}/api/v1/registry")).await;
        assert_eq!(reg["demo"], true);
        let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
        assert!(metrics.contains("digitalatlas_demo_data 1"));

        // Importing again changes nothing.
        let again = digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
            .await
            .unwrap();
        assert!(again
            .iter()
            .all(|s| s.counts.inserted == 0 && s.counts.updated == 0));
        server.stop().await.unwrap();
    }
}

#[test]
fn same_seed_same_bytes() {
    let a = digitalatlas::demo::generate(7);
    let b = digitalatlas::demo::generate(7);
    let c = digitalatlas::demo::generate(8);
    for ((na, _, ta), (_, _, tb)) in a.files.iter().zip(&b.files) {
        assert_eq!(ta, tb, "{na}");
    }
    assert_ne!(a.files[1].2, c.files[1].2);
    // The published figures hold for any seed, not only the default one.
    let q = &c.files[1].2;
    let basis_2021 = q
        .lines()
        .skip(1)
        .filter(|l| l.contains(",basis,") && l.split(',').nth(5).is_some_and(|d| d <= "2021-06-30"))
        .count();
    assert_eq!(basis_2021, 563);
}

#[test]
fn cli_writes_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_digitalatlas"))
        .args(["demo", "--seed", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    for f in [
        "prozesse.csv",
        "qualifikationen.csv",
        "aktivierungen.csv",
        "konten.csv",
        "onlinedienste.csv",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    let prozesse = std::fs::read_to_string(dir.path().join("prozesse.csv")).unwrap();
    assert_eq!(prozesse.matches(",standard,").count(), 24);
    assert!(prozesse.matches(",universal,").count() >= 1);
}

/// Distinct Lotsen with a course finished by `day` (ISO), from a `qualifikationen` file.
fn lotsen_by(qualifikationen: &str, day: &str) -> usize {
    qualifikationen
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(5).is_some_and(|d| d <= day))
        .filter_map(|l| l.split(',').next())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// Every published Lotsen count holds for many seeds, not only the default one, on every day
/// the source names (the whole month where it names only the month).
#[test]
fn published_lotsen_counts_hold_for_every_seed() {
    use digitalatlas::demo::published::*;
    let days = |(from, to): (&str, &str)| {
        let (from, to) = (
            chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").unwrap(),
            chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap(),
        );
        from.iter_days()
            .take_while(move |d| *d <= to)
            .map(|d| d.format("%Y-%m-%d").to_string())
    };
    for seed in (0..12).chain([digitalatlas::demo::DEFAULT_SEED, u64::MAX]) {
        let files = digitalatlas::demo::generate(seed);
        let q = &files.files[1].2;
        assert_eq!(lotsen_by(q, "2018-11-22"), 0, "seed {seed}");
        assert!(lotsen_by(q, "2018-11-30") > 0, "seed {seed}");
        assert_eq!(lotsen_by(q, DATE_FEB_2019), LOTSEN_FEB_2019, "seed {seed}");
        assert_eq!(
            lotsen_by(q, "2019-02-20"),
            LOTSEN_FEB_2019,
            "seed {seed}: next day"
        );
        for day in days(MONTH_MAY_2019) {
            assert_eq!(lotsen_by(q, &day), LOTSEN_MAY_2019, "seed {seed} {day}");
        }
        assert_eq!(lotsen_by(q, DATE_2019), LOTSEN_2019, "seed {seed}");
        assert_eq!(lotsen_by(q, DATE_2021), LOTSEN_2021, "seed {seed}");
        for day in days(MONTH_APRIL_2023) {
            let n = lotsen_by(q, &day);
            assert!(
                (LOTSEN_APRIL_2023_MORE_THAN + 1..=800).contains(&n),
                "seed {seed} {day}: {n}"
            );
        }
        // Courses end on working days.
        for line in q.lines().skip(1) {
            let day =
                chrono::NaiveDate::parse_from_str(line.split(',').nth(5).unwrap(), "%Y-%m-%d")
                    .unwrap();
            assert!(
                !matches!(day.format("%a").to_string().as_str(), "Sat" | "Sun"),
                "seed {seed}: {line}"
            );
        }
    }
}

/// Other seeds answer the published counts through the API too (SQLite; the default seed runs on
/// both backends above).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_seeds_answer_the_published_counts_in_the_api() {
    for seed in [7, 11] {
        let db = common::sqlite_db();
        let server = common::start_server(&db.url).await;
        digitalatlas::demo::import(&server.state.store, seed)
            .await
            .unwrap();
        server.state.after_import().await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();
        for (day, lotsen) in [
            ("2019-02-19", 197..=197),
            ("2019-05-01", 228..=228),
            ("2019-05-31", 228..=228),
            ("2019-07-24", 396..=396),
            ("2021-06-30", 563..=563),
            ("2023-04-01", 771..=800),
            ("2023-04-30", 771..=800),
        ] {
            let n = land(&c, &base, day).await["lotsen"].as_u64().unwrap();
            assert!(lotsen.contains(&n), "seed {seed} {day}: {n}");
        }
        server.stop().await.unwrap();
    }
}
