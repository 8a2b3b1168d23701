//! HTTP surface: one router per resource, merged here, sharing one `AppState`.

pub mod health;
pub mod regions;

use std::sync::Arc;

use axum::Router;
use tower_http::trace::TraceLayer;

use crate::registry::Registry;
use crate::store::Store;

/// What every handler may read. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub registry: Arc<Registry>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(regions::router())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
