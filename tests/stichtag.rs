//! A Stichtag on the pages: `?as_of=` changes every figure, map and chart to that day, shows the
//! day prominently, and every link keeps it.

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_charts_show_the_stichtag_and_links_keep_it() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();

    let today = common::get_text(&c, &format!("{base}/")).await;
    let past = common::get_text(&c, &format!("{base}/?as_of=2019-07-24")).await;
    // The published figure of 24.07.2019: 396 Lotsen.
    assert!(past.contains("id=\"kz-lotsen\">396<"), "{past}");
    assert!(!today.contains("id=\"kz-lotsen\">396<"));
    assert!(past.contains("Stichtag 24.07.2019"), "the day is shown");
    assert!(
        past.contains("value=\"2019-07-24\""),
        "the date field holds it"
    );
    assert!(
        past.contains("/kreis/08115?as_of=2019-07-24"),
        "Kreis links keep it"
    );
    assert!(
        past.contains("/charts/progress?as_of=2019-07-24"),
        "charts keep it"
    );
    assert!(
        past.contains("/api/v1/coverage?level=kreis&amp;format=xlsx&amp;as_of=2019-07-24"),
        "downloads keep it"
    );
    assert!(
        past.contains("/?sort=lotsen&amp;as_of=2019-07-24#kreise"),
        "sorting keeps it"
    );
    assert!(!today.contains("Stichtag "), "no banner without a Stichtag");

    // The Kreis and Gemeinde pages too, and their figures agree with the API of that day.
    let kreis = common::get_text(&c, &format!("{base}/kreis/08115?as_of=2019-07-24")).await;
    let api = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=kreis&as_of=2019-07-24"),
    )
    .await;
    let row = api
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "08115")
        .unwrap();
    let want = format!(
        "id=\"kz-verwaltungen\">{} von {}<",
        row["administrations_with_lotse"], row["administrations"]
    );
    assert!(kreis.contains(&want), "{want} in {kreis}");
    assert!(kreis.contains("/gemeinde/08115003?as_of=2019-07-24"));
    let gemeinde =
        common::get_text(&c, &format!("{base}/gemeinde/08115003?as_of=2019-07-24")).await;
    assert!(gemeinde.contains("Stichtag 24.07.2019"));

    // A chart of the day differs from today's.
    let etag = |url: String| {
        let c = c.clone();
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/png");
            r.headers()["etag"].to_str().unwrap().to_string()
        }
    };
    let now = etag(format!("{base}/charts/progress")).await;
    let then = etag(format!("{base}/charts/progress?as_of=2019-07-24")).await;
    assert_ne!(now, then);
    let map = etag(format!("{base}/charts/map/gemeinden?as_of=2019-07-24")).await;
    assert_ne!(map, etag(format!("{base}/charts/map/gemeinden")).await);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kreis_page_has_its_downloads_its_ozg_map_and_its_progress() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let page = common::get_text(&c, &format!("{base}/kreis/08115")).await;
    let hrefs: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().replace("&amp;", "&"))
        .collect();
    for want in [
        "/charts/map/gemeinden?kreis=08115",
        "/charts/map/gemeinden?metric=standardprozesse&kreis=08115",
        "/charts/progress?kreis=08115",
        "/api/v1/coverage?level=gemeinde&kreis=08115&format=xlsx",
        "/api/v1/outreach?missing=lotse&kreis=08115&format=xlsx",
        "/api/v1/ozg/matrix?kreis=08115&header=name&format=xlsx",
        "/api/v1/coverage?level=gemeinde&kreis=08115&format=csv",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want} not in {hrefs:?}");
        let r = c.get(format!("{base}{want}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{want}");
    }
    // The Kreis' Gemeinden and nothing else.
    let rows = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=gemeinde&kreis=08115"),
    )
    .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 26, "Landkreis Böblingen has 26 Gemeinden");
    assert!(rows.iter().all(|r| r["parent"] == "08115"));
    // Its Regierungsbezirk and Land contain it; no size class lies in it.
    let rb = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=regierungsbezirk&kreis=08115"),
    )
    .await;
    assert_eq!(rb[0]["key"], "081");
    assert_eq!(rb.as_array().unwrap().len(), 1);
    let land = common::get_json(&c, &format!("{base}/api/v1/coverage?kreis=08115")).await;
    assert_eq!(land[0]["key"], "08");
    let sizes = common::get_json(
        &c,
        &format!("{base}/api/v1/coverage?level=groessenklasse&kreis=08115"),
    )
    .await;
    assert_eq!(sizes.as_array().unwrap().len(), 0);
    let r = c
        .get(format!("{base}/charts/kreise?kreis=08115"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "kreis applies to maps and progress only");
    server.stop().await.unwrap();
}
