//! HTTP surface: one router per resource, merged here, sharing one `AppState`.

pub mod health;
pub mod imports;
pub mod regions;

use std::sync::Arc;

use axum::Router;
use tower_http::trace::TraceLayer;

use crate::auth::Tokens;
use crate::import::Limits;
use crate::registry::Registry;
use crate::store::Store;

/// What every handler may read. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub registry: Arc<Registry>,
    pub tokens: Arc<Tokens>,
    pub limits: Limits,
}

impl AppState {
    /// Called after records were written, so that every view sees them.
    pub async fn after_import(&self) {}
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(regions::router())
        .merge(imports::router())
        // Import bodies are limited by `limits.max_bytes` in the handler, with a JSON 413.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
