//! The JSON/CSV/GeoJSON views for Grafana over real HTTP, with the demo data: time series,
//! the OZG catalogue and matrix, the outreach list, the GeoJSON layers (ids, geometries,
//! compression, ETag) and the OpenAPI document.

mod common;

use std::collections::BTreeSet;
use std::io::Read;

use serde_json::Value;

async fn status(c: &reqwest::Client, url: &str) -> (u16, Value) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_agree_with_each_other_and_refuse_bad_parameters() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();

    // The time series equals the as-of figures, and reproduces the published 2019 figure.
    let ts = common::get_json(
        &c,
        &format!("{base}/api/v1/timeseries?metric=lotsen,administrations_with_lotse&from=2019-01-01&to=2019-07-24"),
    )
    .await;
    let ts = ts.as_array().unwrap();
    assert_eq!(ts.len(), 7, "January to July 2019");
    assert_eq!(ts[0]["date"], "2019-01-31");
    assert_eq!(ts[6]["date"], "2019-07-24");
    assert_eq!(ts[6]["lotsen"], 396);
    let keys: Vec<&String> = ts[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "date",
            "key",
            "name",
            "lotsen",
            "administrations_with_lotse"
        ]
    );
    let asof = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=land&as_of=2019-03-31"),
    )
    .await;
    assert_eq!(
        ts[2]["administrations_with_lotse"],
        asof[0]["administrations_with_lotse"]
    );
    // Long format without a key: one row per Kreis and month.
    let kreise = common::get_json(
        &c,
        &format!("{base}/api/v1/timeseries?level=kreis&from=2021-01-01&to=2021-02-28"),
    )
    .await;
    assert_eq!(kreise.as_array().unwrap().len(), 2 * 44);
    let csv = common::get_text(
        &c,
        &format!("{base}/api/v1/timeseries?metric=konten_buerger&format=csv"),
    )
    .await;
    assert!(csv.starts_with("date,key,name,konten_buerger\n"), "{csv}");

    // Processes and matrix count the same activations.
    let procs = common::get_json(&c, &format!("{base}/api/v1/ozg/processes?kreis=08115")).await;
    let matrix = common::get_json(&c, &format!("{base}/api/v1/ozg/matrix?kreis=08115")).await;
    let matrix = matrix.as_array().unwrap();
    assert_eq!(
        matrix.len(),
        26 + 1,
        "26 Gemeinden and the Landratsamt of Böblingen"
    );
    for p in procs.as_array().unwrap() {
        let id = p["process_id"].as_str().unwrap();
        let in_matrix = matrix
            .iter()
            .filter(|r| r["art"] == "gemeinde" && r[id] == 1)
            .count();
        assert_eq!(p["gemeinden_active"], in_matrix, "{id}");
    }
    let all = common::get_json(&c, &format!("{base}/api/v1/ozg/processes")).await;
    let sp01 = &all.as_array().unwrap()[0];
    assert_eq!(sp01["process_id"], "SP01");
    assert_eq!(sp01["flaechendeckend"], true);
    assert_eq!(sp01["gemeinden_active"], 1101);

    // Outreach: nobody on it has a Lotse; largest population first; the counts add up.
    let out = common::get_json(&c, &format!("{base}/api/v1/outreach?missing=lotse")).await;
    let out = out.as_array().unwrap();
    assert!(out.iter().all(|r| r["lotse"] == "keine"));
    assert!(out
        .windows(2)
        .all(|w| w[0]["population"].as_i64() >= w[1]["population"].as_i64()));
    let land = common::get_json(&c, &format!("{base}/api/v1/coverage?level=land")).await;
    assert_eq!(
        out.len() as u64,
        land[0]["administrations_without_lotse"].as_u64().unwrap()
    );
    let rb = common::get_json(
        &c,
        &format!("{base}/api/v1/outreach?missing=process:SP05&regierungsbezirk=084&limit=5"),
    )
    .await;
    assert_eq!(rb.as_array().unwrap().len(), 5);
    assert!(rb
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["regierungsbezirk"] == "084"));

    // Any calendar day is a valid as-of day; before the first record every figure is 0.
    let (s, body) = status(&c, &format!("{base}/api/v1/coverage?as_of=0175-12-17")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body[0]["administrations_with_lotse"], 0);
    assert_eq!(body[0]["as_of"], "0175-12-17");
    // `to` before the Projektstart without `from`: the one day `to`.
    let (s, body) = status(&c, &format!("{base}/api/v1/timeseries?to=2000-01-01")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body.as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body[0]["date"], "2000-01-01");

    // Bad parameters: 400 (or 404 for an unknown unit) with a JSON message, never a 500.
    for (url, want) in [
        ("/api/v1/coverage?level=dorf", 400),
        ("/api/v1/coverage?as_of=2021-13-01", 400),
        ("/api/v1/coverage?as_of=2019-02-30", 400),
        ("/api/v1/coverage?as_of=2019-2-3", 400),
        ("/api/v1/timeseries?metric=nichts", 400),
        ("/api/v1/timeseries?from=2022-01-01&to=2021-01-01", 400),
        ("/api/v1/timeseries?step=week", 400),
        ("/api/v1/timeseries?level=kreis&key=99999", 404),
        ("/api/v1/timeseries?from=0001-01-01", 400),
        ("/api/v1/timeseries?level=kreis&metric=konten_buerger", 400),
        ("/api/v1/ozg/matrix?kreis=0811", 400),
        ("/api/v1/ozg/matrix?kreis=09162", 404),
        ("/api/v1/ozg/processes?art=sonder", 400),
        ("/api/v1/outreach?missing=geld", 400),
        ("/api/v1/outreach?missing=process:XX", 404),
        ("/api/v1/outreach?limit=-1", 400),
        ("/api/v1/outreach?format=xml", 400),
    ] {
        let (s, body) = status(&c, &format!("{base}{url}")).await;
        assert_eq!(s, want, "{url}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{url}: {body}"
        );
    }
    server.stop().await.unwrap();
}

fn ring_ok(ring: &Value) -> bool {
    let pts = ring.as_array().unwrap();
    pts.len() >= 4
        && pts.first() == pts.last()
        && pts.iter().all(|p| {
            let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            (7.4..10.6).contains(&x) && (47.4..49.9).contains(&y)
        })
}

fn geometry_ok(g: &Value) -> bool {
    let polygon_ok = |p: &Value| {
        p.as_array()
            .is_some_and(|r| !r.is_empty() && r.iter().all(ring_ok))
    };
    match g["type"].as_str() {
        Some("Polygon") => polygon_ok(&g["coordinates"]),
        Some("MultiPolygon") => g["coordinates"]
            .as_array()
            .is_some_and(|ps| !ps.is_empty() && ps.iter().all(polygon_ok)),
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn geojson_layers_match_the_registry_and_are_served_compressed_with_etags() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    // Raw bytes: no transparent decompression.
    let c = reqwest::Client::builder().no_gzip().build().unwrap();
    for (layer, level, n) in [
        ("gemeinden", digitalatlas::registry::Level::Gemeinde, 1101),
        ("kreise", digitalatlas::registry::Level::Kreis, 44),
    ] {
        let url = format!("{base}/api/v1/geo/{layer}.geojson");
        let plain = c
            .get(&url)
            .header("accept-encoding", "identity")
            .send()
            .await
            .unwrap();
        assert_eq!(plain.status(), 200);
        assert_eq!(plain.headers()["content-type"], "application/geo+json");
        assert!(plain.headers().get("content-encoding").is_none());
        let etag = plain.headers()["etag"].to_str().unwrap().to_string();
        let bytes = plain.bytes().await.unwrap();
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), n, "{layer}");
        let ids: BTreeSet<String> = features
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        let registry: BTreeSet<String> = server
            .state
            .registry
            .level(level)
            .map(|r| r.ags.clone())
            .collect();
        assert_eq!(
            ids, registry,
            "{layer}: feature ids are the registry's keys"
        );
        for f in features {
            assert!(
                geometry_ok(&f["geometry"]),
                "{layer} {}: invalid geometry",
                f["id"]
            );
            assert!(f["properties"]["coverage_class"].is_string());
            assert_eq!(f["properties"]["key"], f["id"]);
        }
        // Demo figures as properties: a Gemeinde's class is its Lotse status.
        if layer == "gemeinden" {
            let classes: BTreeSet<&str> = features
                .iter()
                .map(|f| f["properties"]["coverage_class"].as_str().unwrap())
                .collect();
            assert_eq!(classes, BTreeSet::from(["aufbau", "basis", "keine"]));
            for f in features {
                assert_eq!(f["properties"]["coverage_class"], f["properties"]["lotse"]);
            }
        }

        // gzip and br carry the same bytes.
        for (enc, decode) in [
            (
                "gzip",
                Box::new(|b: &[u8]| {
                    let mut out = Vec::new();
                    flate2::read::GzDecoder::new(b)
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }) as Box<dyn Fn(&[u8]) -> Vec<u8>>,
            ),
            (
                "br",
                Box::new(|b: &[u8]| {
                    let mut out = Vec::new();
                    brotli::Decompressor::new(b, 4096)
                        .read_to_end(&mut out)
                        .unwrap();
                    out
                }),
            ),
        ] {
            let r = c
                .get(&url)
                .header("accept-encoding", enc)
                .send()
                .await
                .unwrap();
            assert_eq!(r.headers()["content-encoding"], enc);
            assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
            let body = r.bytes().await.unwrap();
            assert!(body.len() * 3 < bytes.len(), "{enc} compresses");
            assert_eq!(decode(&body), bytes.to_vec(), "{enc}");
        }
        let r = c
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304);
        let r = c
            .get(&url)
            .header("if-none-match", "\"anders\"")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    // A new Lotse changes the figures, hence the ETag.
    let before = c
        .get(format!("{base}/api/v1/geo/kreise.geojson"))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .clone();
    // A refresh without new data keeps the ETag (and the compressed bytes).
    server.state.after_import().await;
    let same = c
        .get(format!("{base}/api/v1/geo/kreise.geojson"))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .clone();
    assert_eq!(before, same);
    let outreach =
        common::get_json(&c, &format!("{base}/api/v1/outreach?missing=lotse&limit=1")).await;
    let ags = outreach[0]["verwaltung"].as_str().unwrap().to_string();
    common::import_bytes(
        &server.state,
        digitalatlas::import::Dataset::Qualifikationen,
        "neu.csv",
        format!("teilnehmer_id,verwaltung,programm,kurs,anbieter,abschluss,seminartage,foerderung_eur\n{ags}-NEU,{ags},basis,Basis,VS,2026-01-15,3,300.00\n").as_bytes(),
    )
    .await;
    let after = c
        .get(format!("{base}/api/v1/geo/kreise.geojson"))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .clone();
    assert_ne!(before, after);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_lists_every_view() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let base = common::base_url(&server);
    let doc = common::get_json(&reqwest::Client::new(), &format!("{base}/api/openapi.json")).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/coverage",
        "/api/v1/timeseries",
        "/api/v1/ozg/processes",
        "/api/v1/ozg/matrix",
        "/api/v1/outreach",
        "/api/v1/geo/gemeinden.geojson",
        "/api/v1/geo/kreise.geojson",
        "/api/v1/regions",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    let row = &doc["components"]["schemas"]["CoverageRow"]["properties"];
    assert!(row["administrations_without_lotse"].is_object());
    server.stop().await.unwrap();
}

/// service-bw accounts per Kommune and Kreis: the demo's per-Kommune rows add up to the Land's
/// count of the same Stichtag in every view (coverage per level, matrix, time series, metrics).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_per_kommune_and_kreis_add_up_in_every_view() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let sum = |rows: &Value, col: &str| -> i64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r[col].as_i64().unwrap())
            .sum()
    };
    let land = common::get_json(&c, &format!("{base}/api/v1/coverage?level=land")).await;
    let land_buerger = land[0]["accounts_buerger"].as_i64().unwrap();
    assert!(land_buerger > 1_000_000, "{land}");
    for level in ["regierungsbezirk", "kreis", "gemeinde"] {
        let rows = common::get_json(&c, &format!("{base}/api/v1/coverage?level={level}")).await;
        assert_eq!(sum(&rows, "accounts_buerger"), land_buerger, "{level}");
        assert_eq!(
            sum(&rows, "accounts_organisation"),
            land[0]["accounts_organisation"].as_i64().unwrap(),
            "{level}"
        );
    }
    // The per-Kommune Stichtag is a quarter end: the Land count of that day is the same.
    let at = common::get_json(
        &c,
        &format!("{base}/api/v1/timeseries?metric=konten_buerger,accounts_buerger&step=quarter&from=2026-01-01&to=2026-09-30"),
    )
    .await;
    let at = at.as_array().unwrap();
    let last_quarter = &at[at.len() - 1];
    assert_eq!(last_quarter["date"], "2026-09-30");
    assert_eq!(
        last_quarter["konten_buerger"], last_quarter["accounts_buerger"],
        "{last_quarter}"
    );
    // Before the first per-Kommune Stichtag there is no per-Kommune count.
    let early = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=kreis&as_of=2020-06-30"),
    )
    .await;
    assert_eq!(sum(&early, "accounts_buerger"), 0);
    // The Kommune × Prozess matrix carries them per administration.
    let matrix = common::get_json(&c, &format!("{base}/api/v1/ozg/matrix?kreis=08115")).await;
    let kreis = common::get_json(&c, &format!("{base}/api/v1/coverage?level=kreis")).await;
    let boeblingen = kreis
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "08115")
        .unwrap();
    assert_eq!(
        sum(&matrix, "accounts_buerger"),
        boeblingen["accounts_buerger"].as_i64().unwrap()
    );
    // And the bounded metric family: one series per Kreis and account type.
    let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
    let series = metrics
        .lines()
        .filter(|l| l.starts_with("digitalatlas_servicebw_accounts_by_kreis{"))
        .count();
    assert_eq!(series, 44 * 2);
    assert_eq!(
        common::metric_sum(&metrics, "digitalatlas_servicebw_accounts_by_kreis"),
        (land_buerger + land[0]["accounts_organisation"].as_i64().unwrap()) as f64
    );
    server.stop().await.unwrap();
}

/// The Stadtkreise of Baden-Württemberg with 100,000 people or more: Stuttgart's peer group
/// (same size class, same Gemeindetyp). Each one's active Standardprozesse of the fixture below.
const LARGE_STADTKREISE: [(&str, u32); 7] = [
    ("08212000", 3), // Karlsruhe: SP01, SP02, SP03
    ("08222000", 2), // Mannheim: SP02, SP03
    ("08311000", 1), // Freiburg: SP02
    ("08221000", 1), // Heidelberg: SP03 (SP02 switched off in 2023)
    ("08121000", 0), // Heilbronn
    ("08421000", 2), // Ulm: SP02, SP03
    ("08231000", 1), // Pforzheim: SP03
];

const STECKBRIEF_ACTIVATIONS: &str = "verwaltung,prozess_id,aktiviert_am,deaktiviert_am
08111000,SP01,2022-01-01,
08111000,UP01,2022-01-01,
08212000,SP01,2021-01-01,
08212000,SP02,2021-01-01,
08212000,SP03,2021-01-01,
08222000,SP02,2021-06-01,
08222000,SP03,2021-06-01,
08311000,SP02,2022-03-01,
08221000,SP02,2020-01-01,2023-01-01
08221000,SP03,2022-01-01,
08421000,SP02,2022-01-01,
08421000,SP03,2022-01-01,
08231000,SP03,2024-01-01,
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steckbrief_shows_ranks_peers_and_talking_points_as_counted_by_hand() {
    use digitalatlas::import::Dataset;
    for db in common::all_dbs().await {
        let processes = common::fixture("prozesse.csv");
        let server = common::server_with(
            &db.url,
            &[
                (Dataset::Prozesse, "prozesse.csv", &processes),
                (
                    Dataset::Aktivierungen,
                    "aktivierungen.csv",
                    STECKBRIEF_ACTIVATIONS.as_bytes(),
                ),
            ],
        )
        .await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();

        // By hand: Stuttgart has 1 active Standardprozess (SP01; UP01 is universal). Its peers
        // have 3, 2, 1, 1, 0, 2, 1: mean 10/7, median 1, range 0 to 3; among them and itself
        // three have more, so it is 4th of 8. In the Land the same three are above it: 4th of
        // 1,101 Gemeinden; in its Kreis (the Stadtkreis) 1st of 1. Not switched on here: SP02
        // (4 of 7 peers) and SP03 (5 of 7), both at least half: SP03 first.
        let d = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08111000")).await;
        assert_eq!(d["standard_active"], 1, "{}: {d}", db.name);
        assert_eq!(d["universal_active"], 1);
        assert_eq!(d["rang_kreis"], serde_json::json!({"platz": 1, "von": 1}));
        assert_eq!(d["rang_land"], serde_json::json!({"platz": 4, "von": 1101}));
        let g = &d["vergleichsgruppe"];
        assert_eq!(g["regel"], "groessenklasse_und_gemeindetyp");
        assert_eq!(g["gemeindetyp"], "Stadtkreis");
        assert_eq!(g["groessenklasse"], "ab-100000");
        let members: BTreeSet<&str> = g["mitglieder"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = LARGE_STADTKREISE.iter().map(|(k, _)| *k).collect();
        assert_eq!(members, expected);
        let mean = LARGE_STADTKREISE
            .iter()
            .map(|(_, n)| f64::from(*n))
            .sum::<f64>()
            / 7.0;
        assert!(
            (g["standard_mittel"].as_f64().unwrap() - mean).abs() < 1e-9,
            "{g}"
        );
        assert_eq!(g["standard_median"], 1.0);
        assert_eq!(
            (g["standard_min"].as_u64(), g["standard_max"].as_u64()),
            (Some(0), Some(3))
        );
        assert_eq!(g["platz"], serde_json::json!({"platz": 4, "von": 8}));
        let talking: Vec<(&str, u64)> = d["vorschlaege"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["prozess_id"].as_str().unwrap(),
                    t["vergleichsgemeinden_mit"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(talking, [("SP03", 5), ("SP02", 4)]);

        // Baden-Baden, the one Stadtkreis below 100,000: compared with every Gemeinde of its
        // size class (96 others in the registry), none of which has a process switched on.
        let bb = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08211000")).await;
        assert_eq!(bb["vergleichsgruppe"]["regel"], "groessenklasse");
        assert_eq!(bb["vergleichsgruppe"]["anzahl"], 96);
        assert_eq!(bb["vorschlaege"], serde_json::json!([]));
        // A Landratsamt: ranked among the Landratsämter, no Kreis rank.
        let lra = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115")).await;
        assert_eq!(lra["rang_kreis"], Value::Null);
        assert_eq!(lra["rang_land"]["von"], 35);
        assert_eq!(lra["vergleichsgruppe"]["anzahl"], 34);
        let (s, _) = status(&c, &format!("{base}/api/v1/steckbrief/08111")).await;
        assert_eq!(s, 404, "a Stadtkreis has no Landratsamt");

        // The page says the same.
        let page = common::get_text(&c, &format!("{base}/gemeinde/08111000")).await;
        for needle in [
            "Platz 1 von 1 Gemeinden im Kreis, Platz 4 von 1.101 Gemeinden im Land",
            "7 Gemeinden (Stadtkreis, Größenklasse 100.000 Einwohner und mehr)",
            "im Schnitt <strong>1,4</strong> aktive Standardprozesse (Median 1,0, Spanne 0 bis 3)",
            "steht auf Platz 4 von 8",
            "<th scope=\"row\">Anwohnerparkausweis</th><td>standard</td><td class=\"n\">5 von 7</td><td class=\"n\">71,4 %</td>",
            "<th scope=\"row\">Meldebescheinigung</th><td>standard</td><td class=\"n\">4 von 7</td><td class=\"n\">57,1 %</td>",
        ] {
            assert!(page.contains(needle), "{}: {needle}", db.name);
        }

        // And the workbook.
        use calamine::{Data, Reader};
        let url = format!("{base}/api/v1/steckbrief/08111000?format=xlsx");
        let mut book = common::get_xlsx(&c, &url).await;
        let sheet = book.worksheet_range("steckbrief-08111000").unwrap();
        let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
        let find = |kennzahl: &str| {
            rows.iter()
                .find(|r| r[1] == Data::String(kennzahl.into()))
                .unwrap_or_else(|| panic!("{kennzahl}: {rows:?}"))
                .clone()
        };
        assert_eq!(
            find("Rang im Land (aktive Standardprozesse)")[2],
            Data::Float(4.0)
        );
        assert_eq!(
            find("Rang im Land (aktive Standardprozesse)")[3],
            Data::String("von 1101 Gemeinden".into())
        );
        assert_eq!(
            find("Durchschnitt aktive Standardprozesse")[2],
            Data::Float(1.43)
        );
        let sp03 = find("Anwohnerparkausweis");
        assert_eq!(
            sp03[0],
            Data::String("Was vergleichbare Gemeinden schon anbieten".into())
        );
        assert_eq!(sp03[2], Data::Float(5.0));
        steckbrief_history_by_hand(&c, &base).await;
        server.state.store.close().await;
    }
}

/// Heidelberg's history (SP02 on from 2020-01-01 to 2023-01-01, SP03 from 2022-01-01): the
/// month ends of the API, the workbook's year ends, the chart and the locator map on its page.
async fn steckbrief_history_by_hand(c: &reqwest::Client, base: &str) {
    let d = common::get_json(c, &format!("{base}/api/v1/steckbrief/08221000")).await;
    let verlauf = d["verlauf"].as_array().unwrap();
    let at = |day: &str| {
        verlauf
            .iter()
            .find(|p| p["datum"] == day)
            .unwrap_or_else(|| panic!("{day}"))["standard_active"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(verlauf[0]["datum"], "2018-11-30");
    for (day, n) in [
        ("2019-12-31", 0),
        ("2020-01-31", 1),
        ("2021-12-31", 1),
        ("2022-01-31", 2),
        ("2022-12-31", 2),
        ("2023-01-31", 1),
    ] {
        assert_eq!(at(day), n, "{day}");
    }
    let last = verlauf.last().unwrap();
    assert_eq!(last["datum"], d["stichtag"]);
    assert_eq!(last["standard_active"], d["standard_active"]);
    assert_eq!(last["lotsen"], 0);

    use calamine::{Data, Reader};
    let url = format!("{base}/api/v1/steckbrief/08221000?format=xlsx");
    let mut book = common::get_xlsx(c, &url).await;
    let sheet = book.worksheet_range("steckbrief-08221000").unwrap();
    let line = sheet
        .rows()
        .find(|r| r[1] == Data::String("aktive Standardprozesse am 31.12.2022".into()))
        .expect("the year end's line")
        .to_vec();
    assert_eq!(line[0], Data::String("Verlauf".into()));
    assert_eq!(line[2], Data::Float(2.0));

    let page = common::get_text(c, &format!("{base}/gemeinde/08221000")).await;
    assert!(page.contains("<img src=\"/charts/history/08221000\""));
    let r = reqwest::get(format!("{base}/charts/history/08221000"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    // The locator: its Kreis' map, its own link marked as the page and outlined.
    assert!(page.contains("<img src=\"/charts/map/gemeinden?kreis=08221\""));
    assert!(page
        .contains("<a href=\"/gemeinde/08221000\" aria-current=\"page\" aria-label=\"Heidelberg"));
    assert!(page.contains("<svg class=\"karte-hier\""));
    let (s, _) = status(c, &format!("{base}/charts/history/99999999")).await;
    assert_eq!(s, 404);
}

/// What changed, counted by hand over the Stadtkreise fixture: the page, the workbook and the
/// Atom feed (parsed by the `atom_syndication` feed library; ids, dates and links per RFC 4287).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_are_counted_by_hand_and_the_feed_is_valid_atom() {
    use digitalatlas::import::Dataset;
    let db = common::sqlite_db();
    // The fixture, and one process switched on 40 days ago in Mannheim: in the feed's months.
    let recent = chrono::Utc::now().date_naive() - chrono::Days::new(40);
    let csv = format!("{STECKBRIEF_ACTIVATIONS}08222000,SP01,{recent},\n");
    let processes = common::fixture("prozesse.csv");
    let server = common::server_with(
        &db.url,
        &[
            (Dataset::Prozesse, "prozesse.csv", &processes),
            (Dataset::Aktivierungen, "a.csv", csv.as_bytes()),
        ],
    )
    .await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();

    // By hand, after 2021-12-31 up to 2022-03-31: Stuttgart SP01 and UP01, Freiburg SP02,
    // Heidelberg SP03, Ulm SP02 and SP03: six switched on in four administrations. Heidelberg's
    // SP02 goes off on 2023-01-01, outside.
    let rows = common::get_json(
        &c,
        &format!("{base}/api/v1/aenderungen?von=2021-12-31&bis=2022-03-31"),
    )
    .await;
    let on: BTreeSet<(String, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["verwaltung"].as_str().unwrap().to_string(),
                r["freigeschaltet"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64)> = [
        ("08111000", 2),
        ("08311000", 1),
        ("08221000", 1),
        ("08421000", 2),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), *n))
    .collect();
    assert_eq!(on, expected);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["abgeschaltet"] == 0));
    // One Kreis, a longer span: Heidelberg's SP03 on, SP02 off.
    let hd = common::get_json(
        &c,
        &format!("{base}/api/v1/aenderungen?von=2021-12-31&bis=2023-06-30&kreis=08221"),
    )
    .await;
    assert_eq!(hd.as_array().unwrap().len(), 1, "{hd}");
    assert_eq!(hd[0]["freigeschaltete_prozesse"], "Anwohnerparkausweis");
    assert_eq!(hd[0]["abgeschaltete_prozesse"], "Meldebescheinigung");
    // A span that ends before it begins is empty.
    let (s, empty) = status(
        &c,
        &format!("{base}/api/v1/aenderungen?von=2023-01-01&bis=2022-01-01"),
    )
    .await;
    assert_eq!((s, empty), (200, serde_json::json!([])));

    // The page and the workbook say the same.
    let page = common::get_text(
        &c,
        &format!("{base}/aenderungen?von=2021-12-31&bis=2022-03-31"),
    )
    .await;
    assert!(
        page.contains("<strong id=\"ae-an\">6</strong>Prozesse freigeschaltet"),
        "{page}"
    );
    assert!(page.contains("Je Verwaltung (4)"));
    use calamine::Reader;
    let url = format!("{base}/api/v1/aenderungen?von=2021-12-31&bis=2022-03-31&format=xlsx");
    let mut book = common::get_xlsx(&c, &url).await;
    let sheet = book.worksheet_range("aenderungen").unwrap();
    assert_eq!(sheet.height(), 1 + 4);

    // The feed of the Land: twelve monthly entries, newest first; the month 40 days back names
    // Mannheim's process.
    let xml = c
        .get(format!("{base}/aenderungen.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        xml.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let xml = xml.text().await.unwrap();
    let feed: atom_syndication::Feed = xml.parse().unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert!(feed.id().starts_with("tag:digitalatlas,"));
    assert!(!feed.authors().is_empty());
    assert!(feed
        .links()
        .iter()
        .any(|l| l.rel() == "self" && l.href().starts_with(&base)));
    assert_eq!(feed.entries().len(), 12);
    let ids: BTreeSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), 12, "unique entry ids");
    assert_eq!(feed.updated(), feed.entries()[0].updated());
    for pair in feed.entries().windows(2) {
        assert!(pair[0].updated() > pair[1].updated(), "newest first");
    }
    let month = format!("{}", recent.format("%Y-%m"));
    let entry = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with(&month))
        .unwrap_or_else(|| panic!("no entry for {month}"));
    assert_eq!(
        entry.summary().map(|s| s.value.as_str()),
        Some("1 Prozess freigeschaltet (in 1 Verwaltung).")
    );
    let link = entry
        .links()
        .iter()
        .find(|l| l.rel() == "alternate")
        .unwrap();
    assert!(
        link.href().starts_with(&format!("{base}/aenderungen?von=")),
        "{}",
        link.href()
    );
    assert!(entry
        .content()
        .unwrap()
        .value()
        .unwrap()
        .contains("Mannheim"));
    // The Kreis feed of Heidelberg has none of it.
    let hd = c
        .get(format!("{base}/aenderungen.atom?kreis=08221"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let hd: atom_syndication::Feed = hd.parse().unwrap();
    assert!(hd
        .entries()
        .iter()
        .all(|e| e.summary().map(|s| s.value.as_str()) == Some("Keine Änderungen.")));
    server.stop().await.unwrap();
}

/// `/methodik` lists every figure of the catalogue with its column, and every source with its
/// Datenstand; every page links to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_method_page_names_every_figure_and_source() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let page = common::get_text(&c, &format!("{base}/methodik")).await;
    let coverage = common::get_json(&c, &format!("{base}/api/v1/coverage?level=land")).await;
    let catalogue = digitalatlas::coverage::catalogue::catalogue_json();
    for f in catalogue["figures"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        assert!(
            page.contains(&format!("<code>{name}</code>")),
            "{name} missing"
        );
        assert!(
            coverage[0].get(name).is_some(),
            "{name} is no coverage column"
        );
    }
    for needle in ["id=\"flaechendeckend\"", "id=\"stichtag\"", "id=\"demodaten\"", "GV100AD", "GeoBasis-DE", "Demodaten (synthetisch, nicht amtlich), zuletzt eingelesen am", "Dashboard Digitale Verwaltung, Bundesministerium des Innern (aus dem Portalverbund-Online-Gateway, PVOG), Datenstand"] {
        assert!(page.contains(needle), "{needle}");
    }
    // The Steckbrief's accounts, as the JSON has them.
    let s = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115003")).await;
    let b = s["buergerkonten"].as_i64().unwrap();
    let g = common::get_text(&c, &format!("{base}/gemeinde/08115003")).await;
    // German digit grouping: 12.345.
    let digits = b.to_string();
    let grouped: Vec<String> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let shown = format!("{} Bürgerkonten", grouped.join("."));
    assert!(
        g.contains("<li id=\"konten\">service-bw-Konten: ") && g.contains(&shown),
        "{shown}"
    );
    for path in [
        "/",
        "/kreis/08115",
        "/gemeinde/08115003",
        "/verband/081155001",
        "/aenderungen",
    ] {
        let p = common::get_text(&c, &format!("{base}{path}")).await;
        assert!(
            p.contains("<a href=\"/methodik\">Methodik und Quellen</a>"),
            "{path}"
        );
    }
    // Every Kennzahl's words link to how it is counted, to an anchor the page has.
    for (path, at_least) in [
        ("/", 7),
        ("/kreis/08115", 5),
        ("/gemeinde/08115003", 3),
        ("/verband/081155001", 9),
    ] {
        let p = common::get_text(&c, &format!("{base}{path}")).await;
        let anchors: Vec<&str> = p
            .split("<a class=\"wie\" href=\"/methodik#")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert!(anchors.len() >= at_least, "{path}: {anchors:?}");
        for a in anchors {
            assert!(
                page.contains(&format!("id=\"{a}\"")),
                "{path}: /methodik#{a}"
            );
        }
    }
    server.stop().await.unwrap();
}

/// A Lotse in one Gemeinde of a Verband makes its partners without one "über den Verband
/// erreichbar", counted by hand over Landkreis Böblingen's Verbände (registry: VVG der Stadt
/// Herrenberg = Deckenpfronn, Herrenberg, Nufringen; GVV Aidlingen/Grafenau; GVV
/// Gärtringen/Ehningen): the coverage figure, the Steckbrief, its page and the outreach list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemeinden_reachable_through_their_verband_are_counted_by_hand() {
    use digitalatlas::import::Dataset;
    let lotse = |id: &str, ags: &str| {
        format!(
            "{{\"teilnehmer_id\": \"{id}\", \"verwaltung\": \"{ags}\", \"programm\": \"basis\", \
             \"kurs\": \"Basisqualifizierung 2021/1\", \"anbieter\": \"VWA\", \"abschluss\": \
             \"2021-04-20\", \"seminartage\": 3, \"foerderung_eur\": 300.0}}"
        )
    };
    let json = format!(
        "[{}]",
        [
            lotse("T-1", "08115021"), // Herrenberg: Deckenpfronn and Nufringen reachable
            lotse("T-2", "08115001"), // Aidlingen: Grafenau reachable
            lotse("T-3", "08115013"), // Ehningen and Gärtringen: both have their own
            lotse("T-4", "08115015"),
        ]
        .join(",")
    );
    for db in common::all_dbs().await {
        let files = [(Dataset::Qualifikationen, "q.json", json.as_bytes())];
        let server = common::server_with(&db.url, &files).await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();
        let kreise = common::get_json(&c, &format!("{base}/api/v1/coverage?level=kreis")).await;
        let bb = kreise
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key"] == "08115")
            .unwrap();
        assert_eq!(bb["gemeinden_via_verband"], 3, "{}", db.name);
        let land = common::get_json(&c, &format!("{base}/api/v1/coverage?level=land")).await;
        assert_eq!(land[0]["gemeinden_via_verband"], 3);

        let n = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115037")).await;
        let v = &n["verband"];
        assert_eq!(v["name"], "VVG der Stadt Herrenberg", "{n}");
        assert_eq!(v["ueber_verband_erreichbar"], true);
        let members: Vec<(&str, &str)> = v["mitglieder"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["verwaltung"].as_str().unwrap(),
                    m["lotse"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            members,
            [
                ("08115010", "keine"),
                ("08115021", "basis"),
                ("08115037", "keine")
            ]
        );
        let h = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115021")).await;
        assert_eq!(h["verband"]["ueber_verband_erreichbar"], false);
        // A verbandsfreie Gemeinde has none.
        let s = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115003")).await;
        assert_eq!(s["verband"], Value::Null);

        let page = common::get_text(&c, &format!("{base}/gemeinde/08115037")).await;
        let herrenberg = "081155003";
        assert!(
            page.contains(&format!(
                "<a href=\"/verband/{herrenberg}\">„VVG der Stadt Herrenberg“</a> \
                 (vereinbarte Verwaltungsgemeinschaft, 3 Gemeinden)"
            )),
            "{}",
            db.name
        );
        assert!(page.contains("id=\"ueber-verband\""));
        let kreis = common::get_text(&c, &format!("{base}/kreis/08115")).await;
        assert!(kreis.contains("<span id=\"kz-verband\">3</span>"));
        let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
        assert!(
            metrics.contains("digitalatlas_gemeinden_via_verband{kreis=\"08115\"} 3"),
            "{}",
            db.name
        );

        verband_level_by_hand(&c, &base, herrenberg).await;

        // The outreach list marks them, or leaves them out.
        let all = common::get_json(&c, &format!("{base}/api/v1/outreach?kreis=08115")).await;
        let marked: BTreeSet<&str> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ueber_verband"] == true)
            .map(|r| r["verwaltung"].as_str().unwrap())
            .collect();
        assert_eq!(marked, BTreeSet::from(["08115010", "08115037", "08115054"]));
        let without = common::get_json(
            &c,
            &format!("{base}/api/v1/outreach?kreis=08115&verband=ohne-erreichbare"),
        )
        .await;
        assert_eq!(
            without.as_array().unwrap().len() + 3,
            all.as_array().unwrap().len()
        );
        server.state.store.close().await;
    }
}

/// `level=verband` and the Verband's page for the Lotsen of the test above: each Verband's
/// figures are its members', counted by hand; its page lists them; the Kreis page links it.
async fn verband_level_by_hand(c: &reqwest::Client, base: &str, herrenberg: &str) {
    let url = format!("{base}/api/v1/coverage?level=verband&kreis=08115");
    let rows = common::get_json(c, &url).await;
    let rows = rows.as_array().unwrap();
    let by_name = |name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // (Verband, Gemeinden, with a Lotse, reachable through it, Lotsen)
    for (name, gemeinden, with_lotse, via, lotsen) in [
        ("VVG der Stadt Herrenberg", 3, 1, 2, 1),
        ("GVV Aidlingen/Grafenau", 2, 1, 1, 1),
        ("GVV Gärtringen/Ehningen", 2, 2, 0, 2),
    ] {
        let v = by_name(name);
        assert_eq!(v["level"], "verband");
        assert_eq!(v["parent"], "08115");
        assert_eq!(v["gemeinden"], gemeinden, "{name}");
        assert_eq!(v["gemeinden_with_lotse"], with_lotse, "{name}");
        assert_eq!(v["gemeinden_via_verband"], via, "{name}");
        assert_eq!(v["lotsen"], lotsen, "{name}");
    }
    // Its population is its members': Deckenpfronn, Herrenberg, Nufringen.
    let gemeinden = common::get_json(
        c,
        &format!("{base}/api/v1/coverage?level=gemeinde&kreis=08115"),
    )
    .await;
    let members: i64 = gemeinden
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| ["08115010", "08115021", "08115037"].contains(&g["key"].as_str().unwrap()))
        .map(|g| g["population"].as_i64().unwrap())
        .sum();
    let h = by_name("VVG der Stadt Herrenberg");
    assert_eq!(h["key"], herrenberg);
    assert_eq!(h["population"], members);
    // Every Gemeinde of a Verband of two or more counts in exactly one.
    let all = common::get_json(c, &format!("{base}/api/v1/coverage?level=verband")).await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 270);
    let in_verband: i64 = all.iter().map(|v| v["gemeinden"].as_i64().unwrap()).sum();
    assert_eq!(in_verband, 911);

    // The workbook: German headers, the key as text, the figures as numbers.
    let mut book = common::get_xlsx(c, &format!("{url}&format=xlsx")).await;
    use calamine::{Data, Reader};
    let sheet = book.worksheet_range("abdeckung-verband-08115").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let col = |header: &str| {
        rows[0]
            .iter()
            .position(|h| *h == Data::String(header.into()))
    };
    let (key, gemeinden) = (col("Schlüssel").unwrap(), col("Gemeinden").unwrap());
    let row = rows
        .iter()
        .find(|r| r[key] == Data::String(herrenberg.into()))
        .expect("Herrenberg's row");
    assert_eq!(row[gemeinden], Data::Float(3.0));
    assert_eq!(
        rows.len(),
        1 + 6,
        "Landkreis Böblingen has six Verbände of two or more"
    );

    let page = common::get_text(c, &format!("{base}/verband/{herrenberg}")).await;
    for member in [
        "/gemeinde/08115010",
        "/gemeinde/08115021",
        "/gemeinde/08115037",
    ] {
        assert!(page.contains(&format!("<a href=\"{member}\">")), "{member}");
    }
    assert!(
        page.contains("<p>vereinbarte Verwaltungsgemeinschaft im"),
        "{page}"
    );
    let kreis = common::get_text(c, &format!("{base}/kreis/08115")).await;
    assert!(kreis.contains(&format!("<a href=\"/verband/{herrenberg}\">")));
    assert!(kreis.contains("/api/v1/coverage?level=verband&amp;kreis=08115&amp;format=xlsx"));
    // A Stadtkreis has no Verband: no section, no empty workbook.
    let stuttgart = common::get_text(c, &format!("{base}/kreis/08111")).await;
    assert!(!stuttgart.contains("id=\"verbaende\"") && !stuttgart.contains("level=verband"));
    let r = reqwest::get(format!("{base}/verband/081150003"))
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        404,
        "a verbandsfreie Gemeinde's key is no Verband's page"
    );
    let search = common::get_json(c, &format!("{base}/api/v1/search?q=Herrenberg")).await;
    assert!(search
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["url"] == format!("/verband/{herrenberg}")));
}

/// What the Grafana dashboards ask beyond the other views: the matrix of the administrations
/// that have one process (`with_process`), a Kreis' rows of a time series in the long format
/// (`kreis`), accounts per 1,000 inhabitants, and `/steckbrief/{key}` sending a table row's key
/// to its page (a Gemeinde's or, for a Landratsamt, its Kreis').
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboards_questions_are_answered_by_the_api() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    // Wer hat SP03: exactly the matrix rows with SP03 = 1, in the Kreis as in the Land.
    for kreis in ["08115", ""] {
        let all = common::get_json(&c, &format!("{base}/api/v1/ozg/matrix?kreis={kreis}")).await;
        let with = common::get_json(
            &c,
            &format!("{base}/api/v1/ozg/matrix?kreis={kreis}&with_process=SP03"),
        )
        .await;
        let want: Vec<&Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["SP03"] == 1)
            .map(|r| &r["verwaltung"])
            .collect();
        let got: Vec<&Value> = with
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["verwaltung"])
            .collect();
        assert_eq!(got, want, "kreis {kreis:?}");
        assert!(!got.is_empty() && got.len() < all.as_array().unwrap().len());
        // With the rows that lack it (the outreach list), every administration once.
        let lack = common::get_json(
            &c,
            &format!("{base}/api/v1/outreach?missing=process:SP03&kreis={kreis}&limit=5000"),
        )
        .await;
        assert_eq!(
            got.len() + lack.as_array().unwrap().len(),
            all.as_array().unwrap().len()
        );
    }
    let (s, _) = status(&c, &format!("{base}/api/v1/ozg/matrix?with_process=NOPE")).await;
    assert_eq!(s, 404);
    // A Kreis' time series in the long format (Grafana groups it by name), its Gemeinden too.
    let url = |level: &str, kreis: &str| {
        format!("{base}/api/v1/timeseries?metric=accounts_buerger_per_1000&level={level}&kreis={kreis}&from=2026-01-01")
    };
    let one = common::get_json(&c, &url("kreis", "08115")).await;
    let rows = one.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r["key"] == "08115" && r["name"] == "Landkreis Böblingen"));
    let gemeinden = common::get_json(&c, &url("gemeinde", "08115")).await;
    let keys: BTreeSet<&str> = gemeinden
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 26, "Böblingen's Gemeinden");
    assert!(keys.iter().all(|k| k.starts_with("08115")));
    // And what contains it: its Regierungsbezirk and the Land.
    for (level, key) in [("regierungsbezirk", "081"), ("land", "08")] {
        let rows = common::get_json(&c, &url(level, "08115")).await;
        let rows = rows.as_array().unwrap();
        assert!(
            !rows.is_empty() && rows.iter().all(|r| r["key"] == key),
            "{level}"
        );
    }
    let every = common::get_json(&c, &url("kreis", ".*")).await;
    assert_eq!(every.as_array().unwrap().len(), rows.len() * 44);
    let (s, _) = status(&c, &url("kreis", "08999")).await;
    assert_eq!(s, 404);
    // Accounts per 1,000 inhabitants: the figure is the accounts over the population.
    for row in common::get_json(&c, &format!("{base}/api/v1/coverage?level=kreis"))
        .await
        .as_array()
        .unwrap()
    {
        let want = row["accounts_buerger"].as_f64().unwrap() * 1000.0
            / row["population"].as_f64().unwrap();
        let got = row["accounts_buerger_per_1000"].as_f64().unwrap();
        assert!((got - want).abs() < 1e-9, "{}: {got} != {want}", row["key"]);
    }
    // The map layers for tooltips: a few properties in German words, counts as numbers.
    let matrix = common::get_json(&c, &format!("{base}/api/v1/ozg/matrix?kreis=08115")).await;
    let layer = common::get_json(
        &c,
        &format!("{base}/api/v1/geo/gemeinden.geojson?properties=tooltip"),
    )
    .await;
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features.len(), 1101);
    for f in features {
        let keys: Vec<&String> = f["properties"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "Gemeinde",
                "Kreis",
                "Einwohner",
                "Digitallotse",
                "Aktive Standardprozesse",
                "Aktive Universalprozesse"
            ],
            "{}",
            f["id"]
        );
        assert!(["keiner", "Basisqualifizierung", "mit Aufbauschulung"]
            .contains(&f["properties"]["Digitallotse"].as_str().unwrap()));
    }
    let boeblingen = features.iter().find(|f| f["id"] == "08115003").unwrap();
    let row = matrix
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["verwaltung"] == "08115003")
        .unwrap();
    assert_eq!(
        boeblingen["properties"]["Aktive Standardprozesse"],
        row["standard_active"]
    );
    assert_eq!(boeblingen["properties"]["Gemeinde"], row["name"]);
    let kreise = common::get_json(
        &c,
        &format!("{base}/api/v1/geo/kreise.geojson?properties=tooltip"),
    )
    .await;
    let k = &kreise["features"][0]["properties"];
    assert!(
        k["Anteil mit Digitallotse"]
            .as_str()
            .unwrap()
            .ends_with(" %"),
        "{k}"
    );
    let (s, _) = status(
        &c,
        &format!("{base}/api/v1/geo/gemeinden.geojson?properties=x"),
    )
    .await;
    assert_eq!(s, 400);
    // A Landratsamt's Steckbrief on its Kreis' page: ranked among the Landratsämter as the API
    // ranks it; a Stadtkreis has none.
    let lra = common::get_json(&c, &format!("{base}/api/v1/steckbrief/08115")).await;
    let kreis_page = common::get_text(&c, &format!("{base}/kreis/08115")).await;
    let place = format!(
        "Platz {} von {} Landratsämtern im Land",
        lra["rang_land"]["platz"], lra["rang_land"]["von"]
    );
    assert_eq!(lra["rang_land"]["von"], 35);
    for needle in [
        "<section id=\"landratsamt\"><h2>Landratsamt Böblingen</h2>",
        place.as_str(),
        "Was andere Landratsämter schon anbieten",
        // Its history, no locator (the Kreis page has the Kreis' own maps).
        "<h2 id=\"verlauf\">Entwicklung: Landratsamt Böblingen</h2>",
        "<img src=\"/charts/history/08115\"",
    ] {
        assert!(kreis_page.contains(needle), "{needle}");
    }
    assert!(!kreis_page.contains("id=\"lage\""));
    assert!(!kreis_page.contains("id=\"einbetten\""));
    assert!(
        !kreis_page.contains("Onlinedienste (0): Platz"),
        "no ranking by services"
    );
    let stadtkreis = common::get_text(&c, &format!("{base}/kreis/08111")).await;
    assert!(!stadtkreis.contains("id=\"landratsamt\""));
    // /steckbrief/{key}: to the page of the Gemeinde, of the Landratsamt's Kreis, or a 404.
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (key, to) in [
        ("08115003", Some("/gemeinde/08115003")),
        ("08115", Some("/kreis/08115#landratsamt")),
        ("08999999", None),
    ] {
        let r = no_follow
            .get(format!("{base}/steckbrief/{key}"))
            .send()
            .await
            .unwrap();
        match to {
            Some(to) => {
                assert_eq!(r.status().as_u16(), 303, "{key}");
                assert_eq!(r.headers()["location"], to, "{key}");
            }
            None => assert_eq!(r.status().as_u16(), 404, "{key}"),
        }
    }
    server.stop().await.unwrap();
}
