//! Any query string against the real router (a demo database, built once per process): every
//! answer is a 2xx, 304, 400 or 404, never a 5xx and never a panic. Charts are left out (a
//! 4000×4000 render per input would starve the fuzzer); their parameters share `params.rs`.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const PATHS: [&str; 14] = [
    "/api/v1/regions",
    "/api/v1/regions/08111000",
    "/api/v1/coverage",
    "/api/v1/timeseries",
    "/api/v1/ozg/processes",
    "/api/v1/ozg/matrix",
    "/api/v1/outreach",
    "/api/v1/geo/kreise.geojson",
    "/api/v1/registry",
    "/",
    "/kreis/08115",
    "/gemeinde/08111000",
    "/suche",
    "/api/v1/imports",
];

struct World {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    _dir: std::path::PathBuf,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let dir = std::env::temp_dir().join(format!("digitalatlas-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite").display());
        let app = runtime.block_on(async {
            let state = digitalatlas::server::prepare(&url).await.expect("prepare");
            digitalatlas::demo::import(&state.store, digitalatlas::demo::DEFAULT_SEED)
                .await
                .expect("demo");
            state.after_import().await;
            digitalatlas::http::router(state)
        });
        World {
            runtime,
            app,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, query)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let uri = format!("{}?{query}", PATHS[selector as usize % PATHS.len()]);
    let Ok(request) = Request::get(&uri).body(Body::empty()) else {
        return; // not a URI a client could send
    };
    let w = world();
    let response = w
        .runtime
        .block_on(w.app.clone().oneshot(request))
        .expect("infallible");
    let status = response.status().as_u16();
    assert!(
        matches!(status, 200..=299 | 304 | 400 | 401 | 404),
        "{uri}: {status}"
    );
});
