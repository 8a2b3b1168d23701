//! The registry over real HTTP, on SQLite and PostgreSQL.

mod common;

use serde_json::Value;

async fn get(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let resp = client.get(url).send().await.expect("request");
    let status = resp.status().as_u16();
    let body = resp.json::<Value>().await.expect("JSON body");
    (status, body)
}

async fn rows(client: &reqwest::Client, url: &str) -> Vec<Value> {
    let (status, body) = get(client, url).await;
    assert_eq!(status, 200, "{url}: {body}");
    body.as_array().expect("array").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_is_served_from_every_backend() {
    for db in common::all_dbs().await {
        let server = common::start_server(&db.url).await;
        let base = common::base_url(&server);
        let c = reqwest::Client::new();

        let gemeinden = rows(&c, &format!("{base}/api/v1/regions?level=gemeinde")).await;
        assert_eq!(gemeinden.len(), 1101, "{}", db.name);
        let population: i64 = gemeinden
            .iter()
            .map(|g| g["population"].as_i64().unwrap())
            .sum();
        assert_eq!(population, 11_245_898, "{}", db.name);
        for g in &gemeinden {
            for field in [
                "ars",
                "ags",
                "name",
                "level",
                "kind",
                "kreis",
                "regierungsbezirk",
                "population",
                "area_km2",
            ] {
                assert!(!g[field].is_null(), "{field} missing in {g}");
            }
        }

        let kreise = rows(&c, &format!("{base}/api/v1/regions?level=kreis")).await;
        assert_eq!(kreise.len(), 44);
        let of_kind = |k: &str| kreise.iter().filter(|r| r["kind"] == k).count();
        assert_eq!(of_kind("Landkreis"), 35);
        assert_eq!(of_kind("Stadtkreis"), 9);
        assert_eq!(
            rows(&c, &format!("{base}/api/v1/regions?level=regierungsbezirk"))
                .await
                .len(),
            4
        );
        let land = rows(&c, &format!("{base}/api/v1/regions?level=land")).await;
        assert_eq!(land.len(), 1);
        assert_eq!(land[0]["population"], 11_245_898);

        // Filters.
        let boeblingen = rows(
            &c,
            &format!("{base}/api/v1/regions?level=gemeinde&kreis=08115"),
        )
        .await;
        assert_eq!(boeblingen.len(), 26);
        assert!(boeblingen.iter().all(|g| g["kreis"] == "08115"));
        let rb_freiburg = rows(
            &c,
            &format!("{base}/api/v1/regions?level=gemeinde&regierungsbezirk=083"),
        )
        .await;
        assert_eq!(rb_freiburg.len(), 294);

        // Single regions by AGS, ARS and Kreis key.
        let (status, stuttgart) = get(&c, &format!("{base}/api/v1/regions/08111000")).await;
        assert_eq!(status, 200);
        assert_eq!(stuttgart["name_short"], "Stuttgart");
        assert_eq!(stuttgart["kind"], "Stadtkreis");
        let (_, by_ars) = get(&c, &format!("{base}/api/v1/regions/081110000000")).await;
        assert_eq!(by_ars, stuttgart);
        let (status, kreis) = get(&c, &format!("{base}/api/v1/regions/08115")).await;
        assert_eq!(status, 200);
        assert_eq!(kreis["name"], "Landkreis Böblingen");

        // Errors: JSON bodies, 404 for unknown keys, 400 for malformed ones.
        let (status, body) = get(&c, &format!("{base}/api/v1/regions/08999999")).await;
        assert_eq!(status, 404);
        assert!(body["error"].as_str().unwrap().contains("08999999"));
        for bad in ["0811100", "abcdefgh", "081110000000000"] {
            let (status, body) = get(&c, &format!("{base}/api/v1/regions/{bad}")).await;
            assert_eq!(status, 400, "{bad}: {body}");
            assert!(body["error"].is_string());
        }
        let (status, _) = get(&c, &format!("{base}/api/v1/regions?level=dorf")).await;
        assert_eq!(status, 400);
        let (status, _) = get(&c, &format!("{base}/api/v1/regions?kreis=8x")).await;
        assert_eq!(status, 400);
        let (status, _) = get(&c, &format!("{base}/api/v1/regions?kreis=08999")).await;
        assert_eq!(status, 404);

        // Health.
        let (status, _) = get(&c, &format!("{base}/healthz")).await;
        assert_eq!(status, 200);
        let (status, ready) = get(&c, &format!("{base}/readyz")).await;
        assert_eq!(status, 200);
        assert_eq!(ready["database"], db.name);

        server.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_everything_and_duplicates_nothing() {
    for db in common::all_dbs().await {
        let mut counts = Vec::new();
        for _ in 0..2 {
            let server = common::start_server(&db.url).await;
            let store = &server.state.store;
            let mut c = Vec::new();
            for table in [
                "regions",
                "administrations",
                "planning_regions",
                "municipal_associations",
                "gemeinde_details",
                "ozg_services",
                "leika_services",
                "registry_meta",
            ] {
                c.push((table, store.count(table).await.unwrap()));
            }
            counts.push(c);
            server.stop().await.unwrap();
        }
        assert_eq!(counts[0], counts[1], "{}", db.name);
        let get = |t: &str| counts[0].iter().find(|(n, _)| *n == t).unwrap().1;
        assert_eq!(get("regions"), 1 + 4 + 44 + 1101);
        assert_eq!(get("administrations"), 1136);
        assert_eq!(get("registry_meta"), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_records_its_reference_dates() {
    let db = common::sqlite_db();
    let server = common::start_server(&db.url).await;
    let c = reqwest::Client::new();
    let (status, body) = get(
        &c,
        &format!("{}/api/v1/registry", common::base_url(&server)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["edition"]["gebietsstand"], "2025-11-30");
    assert_eq!(body["edition"]["population_date"], "2024-12-31");
    assert_eq!(body["regions"]["gemeinde"], 1101);
    server.stop().await.unwrap();
}

/// The synthetic Germany of `demo --scale de` loads through `--registry`'s path on both
/// backends, with 16 Länder; a database that holds it refuses another registry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_of_germany_loads_and_is_not_mixed_with_another() {
    let reference = digitalatlas::demo::scale::registry(5).reference().unwrap();
    for db in common::all_dbs().await {
        let state = digitalatlas::server::prepare_with(&db.url, &reference)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        let count = |level| state.registry.level(level).count();
        assert_eq!(
            count(digitalatlas::registry::Level::Land),
            16,
            "{}",
            db.name
        );
        assert_eq!(count(digitalatlas::registry::Level::Gemeinde), 10_756);
        assert_eq!(
            state.coverage.snapshot().raw.admins.len(),
            10_756 + 294,
            "every Gemeinde and Landratsamt is an administration"
        );
        // Each administration counts in its own Land; together the Länder are the whole.
        let snap = state.coverage.snapshot();
        let raw = &snap.raw;
        for i in raw.laender() {
            let key = raw.units[i].key.as_str();
            let expected = raw.admins.iter().filter(|a| a.id.starts_with(key)).count();
            assert!(expected > 0, "Land {key}");
            assert_eq!(
                snap.current.units[i].administrations[digitalatlas::coverage::ALL_KINDS] as usize,
                expected,
                "Land {key}"
            );
        }
        assert_eq!(
            digitalatlas::coverage::figures::UnitFigures::total_of(raw, &snap.current.units)
                .administrations[digitalatlas::coverage::ALL_KINDS] as usize,
            raw.admins.len()
        );
        assert_eq!(raw.area_name(), "Deutschland");
        // The shipped boundaries are Baden-Württemberg's: no maps for this registry.
        assert!(!digitalatlas::charts::catalog::boundaries_cover(
            &raw.registry
        ));
        let page = digitalatlas::page::index(
            &snap,
            &digitalatlas::page::Links::Server,
            digitalatlas::page::KreisSort::Name,
        );
        assert!(page.contains("in Deutschland"));
        assert!(!page.contains("/charts/map/"));
        assert!(!page.contains("/api/v1/geo/"));
        for uri in [
            "/charts/map/gemeinden",
            "/charts/map/kreise",
            "/api/v1/geo/gemeinden.geojson",
            "/api/v1/geo/kreise.geojson",
        ] {
            use tower::ServiceExt;
            let req = axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap();
            let resp = digitalatlas::http::router(state.clone())
                .oneshot(req)
                .await
                .unwrap();
            assert_eq!(resp.status(), 404, "{uri}");
        }
        state.store.close().await;
        let err = digitalatlas::server::prepare(&db.url)
            .await
            .err()
            .expect("the BW registry must be refused")
            .to_string();
        assert!(err.contains("SYNTH_DE_5"), "{}: {err}", db.name);
    }
}
