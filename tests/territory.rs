//! `--land`: an atlas of another Land or of all Germany from the shipped Germany-wide registry and
//! boundaries, as a ministry of another Land would start it.

mod common;

use axum::body::Body;
use axum::http::Request;
use digitalatlas::registry::reference::ReferenceData;
use digitalatlas::registry::Territory;
use tower::ServiceExt;

/// Status and body of one request to the service's router.
async fn get(state: &digitalatlas::http::AppState, uri: &str) -> (u16, Vec<u8>) {
    let req = Request::get(uri).body(Body::empty()).unwrap();
    let resp = digitalatlas::http::router(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, body.to_vec())
}

async fn json(state: &digitalatlas::http::AppState, uri: &str) -> serde_json::Value {
    let (status, body) = get(state, uri).await;
    assert_eq!(status, 200, "{uri}: {}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

async fn text(state: &digitalatlas::http::AppState, uri: &str) -> String {
    let (status, body) = get(state, uri).await;
    assert_eq!(status, 200, "{uri}");
    String::from_utf8(body).unwrap()
}

fn features(v: &serde_json::Value) -> usize {
    v["features"].as_array().map_or(0, Vec::len)
}

/// `serve --land all --demo`: every Land, Kreis and Gemeinde, the Land as a level, a map layer of
/// the Länder, Kreis administrations named by their Land; the database refuses Baden-Württemberg.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_atlas_of_germany_has_every_land_kreis_gemeinde_and_polygon() {
    let reference = ReferenceData::for_territory(Territory::Germany);
    let db = common::sqlite_db();
    let state = digitalatlas::server::prepare_with(&db.url, &reference)
        .await
        .unwrap();
    let files = digitalatlas::demo::for_registry(digitalatlas::demo::DEFAULT_SEED, &reference);
    digitalatlas::demo::import_files(&state.store, &files)
        .await
        .unwrap();
    state.after_import().await;

    let count = |v: serde_json::Value| v.as_array().map_or(0, Vec::len);
    assert_eq!(
        count(json(&state, "/api/v1/regions?level=gemeinde").await),
        10_751
    );
    assert_eq!(
        count(json(&state, "/api/v1/regions?level=kreis").await),
        400
    );
    let laender = json(&state, "/api/v1/coverage?level=land").await;
    assert_eq!(laender.as_array().map_or(0, Vec::len), 16);
    // Nordrhein-Westfalen's 31 Kreise have a Kreisverwaltung each, its kreisfreie Städte none.
    assert_eq!(laender[4]["landratsaemter"], 31);
    let muenchen = json(&state, "/api/v1/regions/09162000").await;
    assert_eq!(muenchen["name"], "München, Landeshauptstadt");

    // Every Gemeinde has a polygon (the shipped mapping re-keys the 2016 boundaries), so the
    // layer has a feature for each, and none is listed as missing.
    let snap = state.coverage.snapshot();
    let missing = digitalatlas::charts::catalog::boundaries_missing(&snap.raw);
    assert_eq!(missing, 0);
    let gemeinden = json(&state, "/api/v1/geo/gemeinden.geojson").await;
    assert_eq!(features(&gemeinden), 10_751);
    assert_eq!(
        features(&json(&state, "/api/v1/geo/kreise.geojson").await),
        400
    );
    assert_eq!(
        features(&json(&state, "/api/v1/geo/laender.geojson").await),
        16
    );
    let map = text(&state, "/charts/map/laender?format=svg").await;
    assert!(
        map.contains("GeoBasis-DE / BKG (2017, 2025)"),
        "attribution"
    );
    assert!(map.contains("je Land"));

    // Wording of the Land: NRW's Kreis Borken has a Kreisverwaltung, Bayern's Landkreise a
    // Landratsamt, a kreisfreie Stadt none.
    let borken = text(&state, "/kreis/05554").await;
    assert!(borken.contains("Gemeinden und Kreisverwaltung"));
    assert!(borken.contains("Kreisverwaltung Borken"));
    let muenchen_lk = text(&state, "/kreis/09184").await;
    assert!(muenchen_lk.contains("Landratsamt München"));
    let muenchen_stadt = text(&state, "/kreis/09162").await;
    assert!(!muenchen_stadt.contains("Landratsamt") && !muenchen_stadt.contains("Kreisverwaltung"));
    // Downloads and tables in the territory's words; the footer with the 2025 boundaries' line.
    let csv = text(&state, "/api/v1/coverage?level=kreis&format=csv-de").await;
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.contains("Kreisverwaltungen mit Digitallotse"),
        "{header}"
    );
    assert!(!header.contains("Landrats"), "{header}");
    // A Kreis of a Land without Regierungsbezirke names none (not its Land).
    let metrics = text(&state, "/metrics").await;
    let teltow = metrics
        .lines()
        .find(|l| l.starts_with("digitalatlas_kreis_info") && l.contains("kreis=\"12072\""))
        .unwrap_or_default();
    assert!(teltow.contains("regierungsbezirk=\"\""), "{teltow}");
    // Germany's past days are kept without their Gemeinden; a Gemeinde's series still has every
    // point, the last one today's figure.
    let kreise = json(
        &state,
        "/api/v1/timeseries?metric=lotsen&level=kreis&step=year",
    )
    .await;
    assert!(kreise.as_array().is_some_and(|r| r.len() > 400));
    let series = json(
        &state,
        "/api/v1/timeseries?metric=lotsen&level=gemeinde&key=09162000&step=year",
    )
    .await;
    let points = series.as_array().cloned().unwrap_or_default();
    assert!(
        points.len() >= 8 && points.iter().all(|p| p["lotsen"].is_u64()),
        "{series}"
    );
    let today = json(&state, "/api/v1/coverage?level=gemeinde&kreis=09162").await;
    assert_eq!(
        points.last().map(|p| &p["lotsen"]),
        Some(&today[0]["lotsen"])
    );
    let home = text(&state, "/").await;
    assert!(home.contains("GeoBasis-DE / BKG (2017, 2025)"));
    // A page per Land, linked from the start page's Länder table, with maps zoomed to it.
    assert!(home.contains("<a href=\"/land/09\">Bayern</a>"));
    let bayern = text(&state, "/land/09").await;
    assert!(bayern.contains("Gemeinden und Landratsämter") && bayern.contains("/kreis/09184"));
    assert!(bayern.contains("/charts/map/gemeinden?land=09"));
    assert!(!bayern.contains("/kreis/08115"), "only Bayern's Kreise");
    let nrw = text(&state, "/land/05").await;
    assert!(nrw.contains("Gemeinden und Kreisverwaltungen"));
    let (status, png) = get(&state, "/charts/map/gemeinden?land=09").await;
    assert_eq!((status, &png[1..4]), (200, &b"PNG"[..]));
    assert_eq!(get(&state, "/charts/map/gemeinden?land=17").await.0, 404);
    assert_eq!(get(&state, "/land/17").await.0, 404);
    assert!(home.contains("in Deutschland") && home.contains("Kreisverwaltungen"));
    assert!(home.contains("/charts/map/gemeinden"));

    state.store.close().await;
    let err = digitalatlas::server::prepare(&db.url)
        .await
        .err()
        .expect("Baden-Württemberg's registry must be refused")
        .to_string();
    assert!(
        err.contains("GV100AD_30112025 Deutschland") && err.contains("--land"),
        "{err}"
    );
}

/// `--land 09` on both backends: Bayern's 2,056 Gemeinden, a map of its Kreise, no Länder layer,
/// and an Onlinedienste export imports its Bavarian rows (the Baden-Württemberg ones are skipped
/// and counted, as a Baden-Württemberg atlas skips the Bavarian ones).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_atlas_of_bayern_has_its_gemeinden_map_and_services() {
    let reference = ReferenceData::for_territory(Territory::parse("09").unwrap());
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare_with(&db.url, &reference)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        let gemeinden = json(&state, "/api/v1/regions?level=gemeinde").await;
        assert_eq!(
            gemeinden.as_array().map_or(0, Vec::len),
            2_056,
            "{}",
            db.name
        );
        let kreise = json(&state, "/api/v1/geo/kreise.geojson").await;
        assert_eq!(features(&kreise), 96);
        let attribution = kreise["attribution"].as_str().unwrap_or_default();
        assert!(
            attribution.contains("GeoBasis-DE / BKG (2017, 2025)")
                && attribution.contains("Destatis"),
            "{attribution}"
        );
        // Bayern's words: Landratsamt (as in Baden-Württemberg), but no service-bw.
        let home = text(&state, "/").await;
        assert!(home.contains("Bürgerkonten im Landesportal") && home.contains("Landratsämter"));
        assert!(!home.contains("auf service-bw"));
        let map = text(&state, "/charts/map/kreise?format=svg").await;
        assert!(map.contains("GeoBasis-DE / BKG (2017, 2025)"));
        assert_eq!(get(&state, "/api/v1/geo/laender.geojson").await.0, 404);
        assert_eq!(get(&state, "/charts/map/laender").await.0, 404);
        // An atlas of one Land has its start page, no page per Land.
        assert_eq!(get(&state, "/land/09").await.0, 404);

        let name = "onlinedienste-boeblingen.csv";
        let s = common::import_bytes(
            &state,
            digitalatlas::import::Dataset::Onlinedienste,
            name,
            &common::fixture(name),
        )
        .await;
        // München and the Bund stored; the six Baden-Württemberg rows skipped and counted.
        assert_eq!((s.counts.inserted, s.skipped), (2, 6), "{}", db.name);
        state.store.close().await;
    }
}
