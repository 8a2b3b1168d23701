//! `/charts/…`: the plotters charts and maps as PNG or SVG (`?format=png|svg`,
//! `?width=&height=` within 200–4000 px). Each image is rendered once per data version and
//! parameters, its render time goes into `digitalatlas_chart_render_seconds`, and it carries an
//! `ETag` (304 on `If-None-Match`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::params::{kreis_index, ApiQuery};
use super::query::{AllOr, Day, ImageFormat, KreisFilter, LandFilter, MapMetricParam};
use super::{AppState, Routes};
use crate::boundaries::{self, Layer};
use crate::charts::catalog::MapMetric;
use crate::charts::{ChartId, MAX_SIZE, MIN_SIZE};
use crate::coverage::snapshot::Snapshot;
use crate::http::error::ApiError;

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/charts/map/{layer}", get(map))
        .route("/charts/history/{key}", get(history))
        .route("/charts/{name}", get(chart))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// png (default) or svg.
    format: Option<ImageFormat>,
    width: Option<u32>,
    height: Option<u32>,
    /// Maps: lotsen (default), standardprozesse or process:ID.
    metric: Option<MapMetricParam>,
    /// Maps: only this Kreis (5-digit key), zoomed.
    kreis: Option<KreisFilter>,
    /// Maps of an atlas of Germany: only this Land (2-digit key), zoomed.
    land: Option<LandFilter>,
    /// The chart as of this day (YYYY-MM-DD), default today.
    as_of: Option<Day>,
}

/// One rendered image and its entity tag.
#[derive(Debug, Clone)]
struct Image {
    bytes: Bytes,
    etag: String,
}

/// Rendered images of the current data version, keyed by request.
#[derive(Debug, Default)]
pub struct ChartCache {
    images: Mutex<(u64, HashMap<String, Image>)>,
}

impl ChartCache {
    /// Bytes of the images held.
    pub fn heap_bytes(&self) -> usize {
        self.images
            .lock()
            .map_or(0, |i| i.1.values().map(|img| img.bytes.len()).sum())
    }
}

/// Most images kept per data version, and most bytes: a client cycling through sizes (up to
/// 4000×4000) cannot fill the memory; past either bound an image is served but not kept.
const MAX_CACHED: usize = 64;
const MAX_CACHED_BYTES: usize = 64 * 1024 * 1024;

impl ChartCache {
    fn get(&self, data_version: u64, key: &str) -> Option<Image> {
        let c = self.images.lock().ok()?;
        (c.0 == data_version)
            .then(|| c.1.get(key).cloned())
            .flatten()
    }
    fn put(&self, data_version: u64, key: String, image: Image) {
        if let Ok(mut c) = self.images.lock() {
            if c.0 != data_version {
                *c = (data_version, HashMap::new());
            }
            let held: usize = c.1.values().map(|i| i.bytes.len()).sum();
            if c.1.len() < MAX_CACHED && held + image.bytes.len() <= MAX_CACHED_BYTES {
                c.1.insert(key, image);
            }
        }
    }
}

fn size(p: &Params, default: (u32, u32)) -> Result<(u32, u32), ApiError> {
    let w = p.width.unwrap_or(default.0);
    let h = p.height.unwrap_or(default.1);
    for (name, v) in [("width", w), ("height", h)] {
        if !(MIN_SIZE..=MAX_SIZE).contains(&v) {
            return Err(ApiError::BadRequest(format!(
                "{name} {v} is out of range: use {MIN_SIZE} to {MAX_SIZE} pixels"
            )));
        }
    }
    Ok((w, h))
}

/// Renders (or takes from the cache) one chart of the snapshot.
async fn image(
    state: &AppState,
    headers: &HeaderMap,
    chart: ChartId,
    p: &Params,
) -> Result<Response, ApiError> {
    let format = p.format.unwrap_or_default().format();
    let size = size(p, chart.default_size())?;
    let snap = state.coverage.snapshot();
    let as_of = p
        .as_of
        .and_then(|d| d.0)
        .filter(|&d| d != snap.current.as_of);
    let key = format!(
        "{}/{}/{}x{}/{}",
        chart.path(),
        format.extension(),
        size.0,
        size.1,
        as_of.map_or_else(|| "heute".to_string(), |d| d.to_string())
    );
    let name = chart.name();
    let image = match state.charts.get(snap.data_version, &key) {
        Some(image) => image,
        None => {
            let s = snap.clone();
            let t = Instant::now();
            // At most `max_heavy` renders at once: a 4000×4000 map holds about 50 MB while
            // it is drawn.
            let rendered = state
                .pools
                .heavy(move || {
                    // Runs only when the image is not cached: once per data version.
                    drawable(&chart, &s)?;
                    let bytes = match as_of {
                        Some(day) => chart.render(&s.at(day), format, size)?,
                        None => chart.render(&s, format, size)?,
                    };
                    Ok::<_, ApiError>(Image {
                        etag: super::etag::of(&bytes),
                        bytes: bytes.into(),
                    })
                })
                .await;
            let image = match rendered {
                Ok(image) => image?,
                Err(busy) => return Ok(busy),
            };
            state.metrics.observe_chart(name, t.elapsed());
            state.charts.put(snap.data_version, key, image.clone());
            image
        }
    };
    let etag = HeaderValue::from_str(&image.etag)?;
    let cache = (
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    if super::etag::not_modified(headers, &image.etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag), cache]).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (header::ETAG, etag),
            cache,
        ],
        image.bytes,
    )
        .into_response())
}

/// A map needs boundaries that cover the registry, and the Länder layer an atlas of Germany.
fn drawable(chart: &ChartId, snap: &Snapshot) -> Result<(), ApiError> {
    if let ChartId::Map { layer, .. } = chart {
        let b = boundaries::of(&snap.raw.registry);
        if !b.has(*layer) || !b.cover(&snap.raw.registry) {
            return Err(ApiError::NotFound(format!(
                "no map of the {} for this registry: the shipped boundaries do not cover its \
                 Kreise, or the layer belongs to an atlas of Germany (--land all)",
                layer.as_str()
            )));
        }
    }
    Ok(())
}

async fn map(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(layer): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let layer = Layer::parse(&layer).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no map {layer:?}: use gemeinden, kreise or laender"
        ))
    })?;
    let metric = p.metric.clone().map_or(MapMetric::Lotsen, |m| m.0);
    let snap = state.coverage.snapshot();
    if let MapMetric::Process(id) = &metric {
        if snap.raw.process_index(id).is_none() {
            return Err(ApiError::NotFound(format!("no process with id {id:?}")));
        }
    }
    let kreis = match (
        p.kreis.clone().unwrap_or_default(),
        p.land.clone().unwrap_or_default(),
    ) {
        (AllOr::One(key), _) => {
            kreis_index(&snap.raw, &key)?;
            Some(key.as_str().to_string())
        }
        (AllOr::All, AllOr::One(land)) => {
            if !snap
                .raw
                .laender()
                .any(|u| snap.raw.units[u].key == land.as_str())
            {
                return Err(ApiError::NotFound(format!("no Land {land} in this atlas")));
            }
            Some(land.as_str().to_string())
        }
        (AllOr::All, AllOr::All) => None,
    };
    let chart = ChartId::Map {
        layer,
        metric,
        kreis,
    };
    image(&state, &headers, chart, &p).await
}

/// `/charts/history/{key}`: an administration's Lotsen and active processes over time (a
/// Gemeinde's AGS or a Landratsamt's Kreis key).
async fn history(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    if !state.coverage.snapshot().raw.admin_idx.contains_key(&key) {
        return Err(ApiError::NotFound(format!(
            "no Gemeinde (AGS) or Landratsamt (Kreis key) {key:?}"
        )));
    }
    if p.metric.is_some() || p.kreis.is_some() || p.land.is_some() {
        return Err(ApiError::BadRequest(
            "metric, kreis and land apply to the maps, not to a history".into(),
        ));
    }
    image(&state, &headers, ChartId::History(key), &p).await
}

async fn chart(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let chart = ChartId::parse(&name).ok_or_else(|| {
        let names: Vec<&str> = ChartId::NAMED.iter().map(ChartId::name).collect();
        ApiError::NotFound(format!(
            "no chart {name:?}: use {} or map/gemeinden, map/kreise",
            names.join(", ")
        ))
    })?;
    let chart = match (chart, p.kreis.clone().unwrap_or_default()) {
        (chart, AllOr::All) => chart,
        (ChartId::Progress, AllOr::One(key)) => {
            kreis_index(&state.coverage.snapshot().raw, &key)?;
            ChartId::KreisProgress(key.as_str().to_string())
        }
        (chart, AllOr::One(_)) => {
            return Err(ApiError::BadRequest(format!(
                "kreis applies to the maps and to progress, not to {}",
                chart.name()
            )))
        }
    };
    image(&state, &headers, chart, &p).await
}
