//! `/api/v1/regions`: the registry as flat rows (Grafana's Infinity datasource reads them as a
//! table) and single regions by any official key.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::params::ApiQuery;
use super::query::{OneKreis, OneRb, RegionLevel};
use super::{AppState, Routes};
use crate::http::error::ApiError;
use crate::registry::{Level, Region, RegionKey};

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/api/v1/regions", get(list))
        .route("/api/v1/regions/{key}", get(one))
        .route("/api/v1/registry", get(edition))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ListParams {
    /// gemeinde (default), kreis, regierungsbezirk or land.
    #[param(inline)]
    level: Option<RegionLevel>,
    /// Only regions in this Kreis (5-digit key).
    #[param(inline)]
    kreis: Option<OneKreis>,
    /// Only regions in this Regierungsbezirk (3-digit key).
    #[param(inline)]
    regierungsbezirk: Option<OneRb>,
}

#[utoipa::path(get, path = "/api/v1/regions", params(ListParams), tag = "registry",
    responses((status = 200, description = "The regions of a level", body = Vec<Region>),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis or Regierungsbezirk", body = super::error::ErrorBody)))]
pub(super) async fn list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Vec<Region>>, ApiError> {
    let level = params.level.unwrap_or_default().level();
    let kreis = params.kreis.and_then(|k| k.0);
    if let Some(key) = &kreis {
        if state.registry.kreis(key).is_none() {
            return Err(ApiError::NotFound(format!("no Kreis with key {key}")));
        }
    }
    let rb = params.regierungsbezirk.and_then(|k| k.0);
    if let Some(key) = &rb {
        if state
            .registry
            .get(&RegionKey::Regierungsbezirk(key.clone()))
            .is_none()
        {
            return Err(ApiError::NotFound(format!(
                "no Regierungsbezirk with key {key}"
            )));
        }
    }
    let rows = state
        .registry
        .level(level)
        .filter(|r| {
            kreis
                .as_ref()
                .is_none_or(|k| r.kreis.as_deref() == Some(k.as_str()))
        })
        .filter(|r| {
            rb.as_ref()
                .is_none_or(|k| r.regierungsbezirk.as_deref() == Some(k.as_str()))
        })
        .cloned()
        .collect();
    Ok(Json(rows))
}

#[utoipa::path(get, path = "/api/v1/regions/{key}", tag = "registry",
    params(("key" = String, Path, description = "ARS or AGS of any level (2, 3, 5, 8 or 12 digits)",
            pattern = "^([0-9]{2,3}|[0-9]{5}|[0-9]{8}|[0-9]{12})$")),
    responses((status = 200, description = "The region", body = Region),
              (status = 400, description = "Not a key", body = super::error::ErrorBody),
              (status = 404, description = "No such region", body = super::error::ErrorBody)))]
pub(super) async fn one(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<Region>, ApiError> {
    let parsed = RegionKey::parse(&key)?;
    state
        .registry
        .get(&parsed)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no region with key {}", key.trim())))
}

async fn edition(State(state): State<AppState>) -> Json<Value> {
    let count = |level| state.registry.level(level).count();
    Json(json!({
        "demo": state.coverage.snapshot().raw.demo,
        "edition": state.registry.edition,
        "regions": {
            "land": count(Level::Land),
            "regierungsbezirk": count(Level::Regierungsbezirk),
            "kreis": count(Level::Kreis),
            "gemeinde": count(Level::Gemeinde),
        }
    }))
}
