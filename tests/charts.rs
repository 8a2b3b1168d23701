//! The plotters charts and maps over real HTTP with the demo data: every PNG decodes at the asked
//! size and is not blank; every SVG parses and carries its title; bad parameters are 400/404;
//! render times show up as a self-metric.

mod common;

use digitalatlas::import::Dataset;

const CHARTS: [(&str, &str); 9] = [
    ("map/gemeinden", "Kommunale Digitallotsen je Gemeinde"),
    ("map/kreise", "Kommunale Digitallotsen je Kreis"),
    (
        "map/gemeinden?metric=standardprozesse",
        "Aktive Standardprozesse",
    ),
    ("map/kreise?metric=process:SP05", "Onlinedienst"),
    (
        "map/gemeinden?kreis=08115",
        "je Gemeinde: Landkreis Böblingen",
    ),
    ("progress", "Fortschritt zum Ziel"),
    ("processes", "Freischaltungen je Onlinedienst"),
    ("kreise", "Verwaltungen mit Digitallotse je Kreis"),
    ("size-classes", "nach Größenklasse"),
];

fn with(path: &str, extra: &str) -> String {
    if path.contains('?') {
        format!("{path}&{extra}")
    } else {
        format!("{path}?{extra}")
    }
}

/// Standard deviation of the pixel bytes: 0 for a blank image.
fn spread(pixels: &[u8]) -> f64 {
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|&b| b as f64).sum::<f64>() / n;
    (pixels
        .iter()
        .map(|&b| (b as f64 - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

async fn conditional_get(
    c: &reqwest::Client,
    url: &str,
    etag: &reqwest::header::HeaderValue,
) -> reqwest::Response {
    c.get(url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_render_as_png_and_svg() {
    let (server, _db) = common::demo_server().await;
    let base = common::base_url(&server);
    let c = reqwest::Client::new();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts");
    std::fs::create_dir_all(&out).unwrap();
    for (i, (path, title)) in CHARTS.iter().enumerate() {
        let url = format!("{base}/charts/{}", with(path, "width=640&height=520"));
        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "image/png");
        let bytes = r.bytes().await.unwrap();
        std::fs::write(out.join(format!("chart-{i}.png")), &bytes).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
            .read_info()
            .unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (640, 520), "{path}");
        assert!(
            spread(&pixels[..info.buffer_size()]) > 20.0,
            "{path} is blank"
        );

        let url = format!("{base}/charts/{}", with(path, "format=svg"));
        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
        let svg = r.text().await.unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: {e}"));
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(title),
            "{path}: title {title:?} not in the SVG"
        );
        assert!(text.contains("Demodaten"), "{path}: demo mark missing");
        if path.starts_with("map") {
            assert!(
                text.contains("GeoBasis-DE / BKG"),
                "{path}: attribution missing"
            );
        }
    }
    for (url, want) in [
        ("/charts/progress?width=10", 400),
        ("/charts/progress?height=5000", 400),
        ("/charts/progress?format=gif", 400),
        ("/charts/nichts", 404),
        ("/charts/map/laender", 404),
        ("/charts/map/gemeinden?metric=geld", 400),
        ("/charts/map/gemeinden?metric=process:XX", 404),
        ("/charts/map/gemeinden?kreis=1", 400),
        ("/charts/map/gemeinden?kreis=09162", 404),
    ] {
        let r = c.get(format!("{base}{url}")).send().await.unwrap();
        assert_eq!(r.status(), want, "{url}");
    }
    let metrics = common::get_text(&c, &format!("{base}/metrics")).await;
    assert!(
        metrics.contains("digitalatlas_chart_render_seconds_count{chart=\"map\"}"),
        "render time metric"
    );

    // Conditional requests: the same image answers 304 to its ETag until the data change.
    let url = format!("{base}/charts/map/gemeinden?kreis=08425&width=400&height=400");
    let first = c.get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    let again = conditional_get(&c, &url, &etag).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    let state = server.state.clone();
    state.after_import().await; // a refresh without new data keeps the image
    let r = conditional_get(&c, &url, &etag).await;
    assert_eq!(r.status(), 304);
    // A Lotse for the largest Gemeinde of the Kreis without one recolours it on the map.
    let outreach = common::get_json(
        &c,
        &format!("{base}/api/v1/outreach?missing=lotse&kreis=08425"),
    )
    .await;
    let ags = outreach[0]["verwaltung"].as_str().unwrap();
    let csv = format!(
        "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\n\
         {ags}-9;{ags};basis;Basis 2020;VS;01.02.2020;3;300,00\n"
    );
    common::import_bytes(&state, Dataset::Qualifikationen, "neu.csv", csv.as_bytes()).await;
    let r = conditional_get(&c, &url, &etag).await;
    assert_eq!(r.status(), 200, "new data, new image");
    assert_ne!(r.headers()["etag"], etag);
    server.stop().await.unwrap();
}
