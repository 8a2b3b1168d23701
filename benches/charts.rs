//! Render time of the charts, above all the Gemeinde choropleth PNG (1,101 polygons; target
//! under 100 ms), with the demo data, and the maps of Germany (`--land all`, 10,751 Gemeinden;
//! target ≤ 300 ms). Run: `cargo bench --bench charts`.

use std::time::Instant;

use digitalatlas::charts::catalog::{self, MapMetric};
use digitalatlas::charts::map::Layer;
use digitalatlas::charts::{render, Encoding};

/// One chart rendering, returning the image bytes.
type Render<'a> = Box<dyn Fn() -> Vec<u8> + 'a>;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` probes bench binaries with these flags
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let state = digitalatlas::server::prepare(&url).await.unwrap();
    digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
        .await
        .unwrap();
    state.after_import().await;
    let snap = state.coverage.snapshot();
    // Germany with its demo, in a second database.
    let germany = digitalatlas::registry::reference::ReferenceData::for_territory(
        digitalatlas::registry::Territory::Germany,
    );
    let de_url = format!("sqlite://{}?mode=rwc", dir.path().join("de.db").display());
    let de_state = digitalatlas::server::prepare_with(&de_url, &germany)
        .await
        .unwrap();
    let files = digitalatlas::demo::for_registry(digitalatlas::demo::DEFAULT_SEED, &germany);
    digitalatlas::demo::import_files(&de_state.store, &files)
        .await
        .unwrap();
    de_state.after_import().await;
    let de = de_state.coverage.snapshot();
    // First use parses the boundaries and registers the fonts; not part of a render.
    for s in [&snap, &de] {
        for layer in [Layer::Gemeinden, Layer::Kreise] {
            let warm = catalog::map(s, layer, &MapMetric::Lotsen, None).unwrap();
            render(Encoding::Png, (1000, 1000), &warm).unwrap();
        }
    }

    let cases: Vec<(&str, Render<'_>)> = vec![
        (
            "Gemeinde choropleth PNG 1000×1000 (Lotsen)",
            Box::new(|| {
                let m = catalog::map(&snap, Layer::Gemeinden, &MapMetric::Lotsen, None).unwrap();
                render(Encoding::Png, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "Gemeinde choropleth PNG 1000×1000 (Standardprozesse)",
            Box::new(|| {
                let m = catalog::map(&snap, Layer::Gemeinden, &MapMetric::Standardprozesse, None)
                    .unwrap();
                render(Encoding::Png, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "Gemeinde choropleth SVG",
            Box::new(|| {
                let m = catalog::map(&snap, Layer::Gemeinden, &MapMetric::Lotsen, None).unwrap();
                render(Encoding::Svg, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "Kreis choropleth PNG",
            Box::new(|| {
                let m = catalog::map(&snap, Layer::Kreise, &MapMetric::Lotsen, None).unwrap();
                render(Encoding::Png, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "Germany: Gemeinde choropleth PNG 1000×1000 (10,751 polygons; target ≤ 300 ms)",
            Box::new(|| {
                let m = catalog::map(&de, Layer::Gemeinden, &MapMetric::Lotsen, None).unwrap();
                render(Encoding::Png, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "Germany: Länder choropleth PNG 1000×1000",
            Box::new(|| {
                let m = catalog::map(&de, Layer::Laender, &MapMetric::Lotsen, None).unwrap();
                render(Encoding::Png, (1000, 1000), &m).unwrap()
            }),
        ),
        (
            "progress PNG (96 month ends, cached figures)",
            Box::new(|| render(Encoding::Png, (1100, 650), &catalog::progress(&snap)).unwrap()),
        ),
        (
            "Kreise bars PNG",
            Box::new(|| render(Encoding::Png, (1000, 1000), &catalog::kreise(&snap)).unwrap()),
        ),
    ];
    for (label, f) in cases {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..20 {
            let t = Instant::now();
            size = std::hint::black_box(f()).len();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let min = times.iter().copied().fold(f64::MAX, f64::min);
        println!(
            "{label}: median {:.1} ms, min {min:.1} ms ({size} bytes)",
            median(times)
        );
    }
}
