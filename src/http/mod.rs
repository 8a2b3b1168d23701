//! HTTP surface: one router per resource, merged here, sharing one `AppState`.

mod admin;
mod analysis;
mod bearer;
mod changes;
mod charts;
pub mod cors;
mod coverage;
mod embed;
pub(crate) mod error;
mod etag;
mod flaechendeckung;
mod geo;
mod headers;
mod health;
mod imports;
pub mod limits;
mod metrics;
mod onlinedienste;
mod openapi;
mod outreach;
mod ozg;
mod page;
pub mod params;
mod query;
mod regions;
mod schema;
mod search;
mod steckbrief;
mod timeseries;

pub use admin::AdminState;
pub(crate) use metrics::fast_scrape;
use std::sync::Arc;

use axum::routing::MethodRouter;
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::auth::Tokens;
use crate::coverage::Coverage;
use crate::import::Limits;
use crate::metrics::SelfMetrics;
use crate::registry::Registry;
use crate::store::Store;

/// What every handler may read: one reference count to clone (axum clones the state for every
/// extractor and middleware of every request).
// No Debug: it would print whole snapshots, and the tests' `.err().expect(…)` on
// `Result<AppState, _>` relies on it having none.
#[allow(missing_debug_implementations)]
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Settings are made before the server starts (a copy is made if it already runs).
impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }
}

/// The parts of [`AppState`].
#[allow(missing_debug_implementations)]
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub tokens: Arc<Tokens>,
    pub limits: Limits,
    pub coverage: Arc<Coverage>,
    pub metrics: Arc<SelfMetrics>,
    /// The GeoJSON layers of the current snapshot, encoded and compressed once.
    pub geo: Arc<geo::GeoCache>,
    /// Rendered chart images of the current snapshot.
    pub charts: Arc<charts::ChartCache>,
    /// Connection, time and heavy-work limits and their pools.
    pub pools: Arc<limits::Pools>,
    /// Origins whose pages may read the public routes from a browser.
    pub cors: cors::CorsOrigins,
    /// The web upload's session settings and sign-in limiter.
    pub admin: Arc<AdminState>,
}

impl AppState {
    /// Runs one import (or dry run) with this service's limits, without a progress bar.
    pub async fn import(
        &self,
        request: &crate::import::Request<'_>,
    ) -> Result<crate::import::Summary, crate::import::ImportError> {
        crate::import::run(
            &self.store,
            request,
            self.limits,
            &indicatif::ProgressBar::hidden(),
        )
        .await
    }

    /// Called after records were written: builds and swaps in a new snapshot, so that every view
    /// sees them, and encodes its metrics off the scrape path.
    pub async fn after_import(&self) {
        self.refresh(self.coverage.rebuild(&self.store).await);
    }

    /// A new snapshot after `summary`'s import (taking over its records where it can).
    pub async fn after_import_of(&self, summary: &crate::import::Summary) {
        self.refresh(self.coverage.after_import(&self.store, summary).await);
    }

    fn refresh(
        &self,
        rebuilt: Result<Arc<crate::coverage::snapshot::Snapshot>, crate::store::StoreError>,
    ) {
        match rebuilt {
            // The rebuild has handed SQLite's freed heap back already (`rebuild.rs`).
            Ok(snap) => {
                self.metrics.encoded(&snap);
            }
            Err(e) => {
                tracing::error!(error = %e, "snapshot rebuild failed; serving the previous one")
            }
        }
    }
}

/// One resource's routes: its axum router and the path templates it declares, so that the
/// service's route table ([`route_table`]) is the routers' own list, not a copy of it.
pub(super) struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    fn route(mut self, path: &'static str, method: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(path, method);
        self.paths.push(path);
        self
    }
}

/// Every resource's routes, grouped by the rules they answer under.
struct Resources {
    /// The read API (JSON, tables, GeoJSON, charts, metrics, health): CORS for other origins.
    api: Vec<Routes>,
    /// The HTML pages: never framed by another site, no CORS.
    pages: Routes,
    /// The web upload (`/verwaltung`): as the pages, and `X-Frame-Options: DENY`.
    upload: Routes,
    /// The card and badge a Kommune shows on its website: the only routes other sites may frame.
    embeds: Routes,
    /// `POST /api/v1/imports/…` with a bearer token: neither CORS nor the request timeout.
    imports: Routes,
}

fn resources() -> Resources {
    Resources {
        api: vec![
            health::router(),
            regions::router(),
            search::router(),
            analysis::router(),
            coverage::router(),
            metrics::router(),
            timeseries::router(),
            ozg::router(),
            outreach::router(),
            steckbrief::router(),
            changes::router(),
            onlinedienste::router(),
            flaechendeckung::router(),
            geo::router(),
            openapi::router(),
            charts::router(),
        ],
        pages: page::router(),
        upload: admin::router(),
        embeds: embed::router(),
        imports: imports::router(),
    }
}

/// The path templates of every route the service answers (`{name}` for a path parameter), in
/// the routers' order: what the memory bench requests, so that a new route is covered without
/// editing it. Some only take `POST` (the imports, the web upload's forms).
pub fn route_table() -> Vec<&'static str> {
    let r = resources();
    r.api
        .iter()
        .chain([&r.pages, &r.upload, &r.embeds, &r.imports])
        .flat_map(|r| r.paths.iter().copied())
        .collect()
}

pub fn router(state: AppState) -> Router {
    let r = resources();
    let api = r
        .api
        .into_iter()
        .fold(Router::new(), |all, r| all.merge(r.router));
    // CORS for the read API only (and its preflight `OPTIONS`): never for the pages, the web
    // upload or the imports.
    let api = match state.cors.layer() {
        Some(cors) => api.layer(cors),
        None => api,
    };
    // Reads answer within the request timeout; imports are bounded by size and the import wait.
    let reads = api
        .merge(headers::page(r.pages.router))
        .merge(headers::upload(r.upload.router))
        .merge(headers::framable(r.embeds.router))
        .layer(axum::middleware::from_fn_with_state(
            state.pools.limits.request_timeout,
            request_timeout,
        ));
    Router::new()
        .merge(reads)
        .merge(r.imports.router)
        // Import bodies are limited by `limits.max_bytes` in the handler, with a JSON 413.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        // Compresses what is not compressed yet (the GeoJSON layers come precompressed).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(headers::nosniff())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Answers 503 (with `Retry-After`) when a request takes longer than `limit`.
async fn request_timeout(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => limits::timed_out(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::OpenApi;

    /// The route table is the routers' list: each route once, every documented API path in it.
    #[test]
    fn the_route_table_holds_every_documented_path_once() {
        let table = route_table();
        let mut unique = table.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), table.len(), "a route declared twice");
        let doc = openapi::ApiDoc::openapi();
        for path in doc.paths.paths.keys() {
            assert!(
                table.contains(&path.as_str()),
                "{path} is documented, not routed"
            );
        }
        for path in [
            "/",
            "/metrics",
            "/charts/map/{layer}",
            "/api/v1/imports/{dataset}",
        ] {
            assert!(table.contains(&path), "{path}");
        }
    }
}
