//! Query parameters are a contract both ways: an unknown one answers 400 naming it (so that a
//! misspelt filter is not silently ignored), and the outreach list takes `art` and `as_of`.

mod common;

use serde_json::Value;

async fn status(c: &reqwest::Client, url: &str) -> (u16, Value) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_parameters_are_refused_by_name_and_outreach_filters_by_kind_and_day() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    for (url, name) in [
        (
            "/api/v1/coverage?level=kreis&kreisschluessel=08115",
            "kreisschluessel",
        ),
        ("/api/v1/outreach?missing=lotse&typ=landratsamt", "typ"),
        ("/api/v1/ozg/processes?stichtag=2021-01-01", "stichtag"),
        (
            "/api/v1/ozg/matrix?kreis=08115&header=name&format=csv&x=1",
            "x",
        ),
        (
            "/api/v1/timeseries?metric=lotsen&level=land&schritt=year",
            "schritt",
        ),
        ("/api/v1/regions?level=kreis&sort=name", "sort"),
        ("/charts/progress?farbe=rot", "farbe"),
    ] {
        let (s, body) = status(&c, &format!("{base}{url}")).await;
        assert_eq!(s, 400, "{url}: {body}");
        let message = body["error"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("`{name}`")), "{url}: {message}");
    }

    // art=landratsamt: only Landratsämter; art=gemeinde: only Gemeinden; both add up.
    let list = |query: &str| {
        let c = c.clone();
        let url = format!("{base}/api/v1/outreach?missing=lotse{query}");
        async move { common::get_json(&c, &url).await.as_array().unwrap().clone() }
    };
    let all = list("").await;
    let lra = list("&art=landratsamt").await;
    let gem = list("&art=gemeinde").await;
    assert!(!lra.is_empty() && !gem.is_empty());
    assert!(lra.iter().all(|r| r["art"] == "landratsamt"));
    assert!(gem.iter().all(|r| r["art"] == "gemeinde"));
    assert_eq!(lra.len() + gem.len(), all.len());
    assert_eq!(gem[0]["rank"], 1, "ranks count within the selection");

    // as_of: the list of a past day is longer (fewer Lotsen then) and agrees with /coverage.
    let past = list("&as_of=2019-07-24").await;
    let land = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=land&as_of=2019-07-24"),
    )
    .await;
    assert_eq!(
        past.len() as u64,
        land[0]["administrations_without_lotse"].as_u64().unwrap()
    );
    assert!(past.len() > all.len());
    let (s, _) = status(&c, &format!("{base}/api/v1/outreach?art=verein")).await;
    assert_eq!(s, 400);

    // Typed values: what a parameter does not know is a 400 naming the value, never a default.
    for (url, value) in [
        ("/?sort=groesse", "groesse"),
        ("/charts/map/kreise?metric=konten", "konten"),
        ("/api/v1/timeseries?metric=lotsen,lotsn", "lotsn"),
        ("/api/v1/timeseries?level=kreis&key=08115%3B", "08115;"),
    ] {
        let r = c.get(format!("{base}{url}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{url}");
        let body = r.text().await.unwrap();
        assert!(body.contains(value), "{url}: {body}");
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_what_people_type_in_the_api_and_on_the_page() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    for (q, level, key) in [
        ("Tuebingen", "gemeinde", "08416041"),
        ("boblingen", "gemeinde", "08115003"),
        ("Sankt%20Blasien", "gemeinde", "08337097"),
        ("Ortenaukreis", "kreis", "08317"),
        ("08111000", "gemeinde", "08111000"),
        ("Stutgart", "gemeinde", "08111000"),
    ] {
        let hits = common::get_json(&c, &format!("{base}/api/v1/search?q={q}")).await;
        let first = &hits[0];
        assert_eq!(
            (first["level"].as_str(), first["key"].as_str()),
            (Some(level), Some(key)),
            "{q}: {hits}"
        );
        assert_eq!(
            first["url"],
            format!("/{level}/{key}"),
            "{q}: the hit links to its page"
        );
    }
    let (s, body) = status(&c, &format!("{base}/api/v1/search")).await;
    assert_eq!(s, 400, "q is required: {body}");
    let page = common::get_text(&c, &format!("{base}/suche?q=Tuebingen")).await;
    assert!(page.contains("/gemeinde/08416041"), "{page}");
    assert!(page.contains("/kreis/08416"), "the Landkreis too");
    server.stop().await.unwrap();
}
