//! "Wirken Digitallotsen?" over HTTP: the comparison agrees with the process matrix counted by
//! hand, the before/after view is there, and the page says what it is (and is not).

mod common;

use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_comparison_agrees_with_the_matrix_counted_by_hand() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let rows = common::get_json(&c, &format!("{base}/api/v1/analysis/lotsen-ozg")).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 15, "4 size classes and all, 3 groups each");

    // By hand from the matrix: per Lotse class, the Gemeinden and their active Standardprozesse.
    let matrix = common::get_json(&c, &format!("{base}/api/v1/ozg/matrix?art=standard")).await;
    let mut by_class: HashMap<String, (u64, u64)> = HashMap::new();
    for r in matrix.as_array().unwrap() {
        if r["art"] != "gemeinde" {
            continue;
        }
        let e = by_class
            .entry(r["lotse"].as_str().unwrap().to_string())
            .or_default();
        e.0 += 1;
        e.1 += r["standard_active"].as_u64().unwrap();
    }
    for r in rows.iter().filter(|r| r["groessenklasse"] == "alle") {
        let (n, sum) = by_class[r["lotse"].as_str().unwrap()];
        assert_eq!(r["gemeinden"].as_u64().unwrap(), n, "{r}");
        let avg = r["standard_active_avg"].as_f64().unwrap();
        assert!((avg - sum as f64 / n as f64).abs() < 1e-9, "{r}");
    }
    // The demo is built so that Gemeinden with a Lotse switch on more (see docs/demo-data.md).
    let avg = |group: &str| {
        rows.iter()
            .find(|r| r["groessenklasse"] == "alle" && r["lotse"] == group)
            .unwrap()["standard_active_avg"]
            .as_f64()
            .unwrap()
    };
    assert!(avg("keine") < avg("basis") && avg("basis") < avg("aufbau"));

    let ba = common::get_json(
        &c,
        &format!("{base}/api/v1/analysis/lotsen-ozg?view=vorher-nachher"),
    )
    .await;
    let all = ba.as_array().unwrap().last().unwrap().clone();
    assert_eq!(all["groessenklasse"], "alle");
    assert!(all["gemeinden"].as_u64().unwrap() > 100, "{all}");

    let page = common::get_text(&c, &format!("{base}/")).await;
    assert!(page.contains("Wirken Digitallotsen?"));
    assert!(page.contains("kein Beweis"), "honest wording");
    assert!(page.contains("/charts/lotsen-ozg"));
    let r = c
        .get(format!("{base}/charts/lotsen-ozg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    server.stop().await.unwrap();
}
