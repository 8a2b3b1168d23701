//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers and
//! every migration of this build is applied).

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use serde_json::{json, Value};

use super::{AppState, Routes};
use crate::http::error::ApiError;

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1500);

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process answers", body = Object)))]
pub(super) async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "Database reachable and migrated", body = Object),
              (status = 503, description = "Not ready", body = super::error::ErrorBody)))]
pub(super) async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    // Within 2 s, whatever the pool's acquire timeout: a load balancer must learn quickly.
    let answer = tokio::time::timeout(READY_TIMEOUT, state.store.ready()).await;
    let Ok(answer) = answer else {
        return Err(ApiError::Unavailable(format!(
            "database did not answer within {} ms",
            READY_TIMEOUT.as_millis()
        )));
    };
    match answer {
        Ok(true) => Ok(Json(json!({
            "status": "ready",
            "database": state.store.backend.name(),
            "schema_version": crate::store::latest_migration(),
        }))),
        Ok(false) => Err(ApiError::Unavailable(
            "database schema is not at the version this build expects".into(),
        )),
        Err(e) => Err(ApiError::Unavailable(format!("database unreachable: {e}"))),
    }
}
