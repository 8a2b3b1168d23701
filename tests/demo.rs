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
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    let prozesse = std::fs::read_to_string(dir.path().join("prozesse.csv")).unwrap();
    assert_eq!(prozesse.matches(",standard,").count(), 24);
    assert!(prozesse.matches(",universal,").count() >= 1);
}
