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
use axum::Router;
use serde::Deserialize;

use super::params::{given, ApiQuery};
use super::AppState;
use crate::charts::catalog::{self, MapMetric};
use crate::charts::map::Layer;
use crate::charts::{render, Format, MAX_SIZE, MIN_SIZE};
use crate::coverage::snapshot::Snapshot;
use crate::error::ApiError;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/charts/map/{layer}", get(map))
        .route("/charts/{name}", get(chart))
}

#[derive(Debug, Deserialize)]
pub(super) struct Params {
    format: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    metric: Option<String>,
    /// Maps: only this Kreis (5-digit key), zoomed.
    kreis: Option<String>,
}

/// The chart names under `/charts/{name}` and their default sizes.
pub(super) const CHARTS: [(&str, (u32, u32)); 4] = [
    ("progress", (1100, 650)),
    ("processes", (1000, 900)),
    ("kreise", (1000, 1000)),
    ("size-classes", (900, 400)),
];

/// Default size of a map (the Land is a little taller than wide).
pub(super) const MAP_SIZE: (u32, u32) = (1000, 1000);

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

fn format(p: &Params) -> Result<Format, ApiError> {
    let f = given(&p.format).unwrap_or("png");
    Format::parse(f)
        .ok_or_else(|| ApiError::BadRequest(format!("unknown format {f:?}: use png or svg")))
}

/// Renders (or takes from the cache) one chart of the snapshot.
pub(super) async fn image(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    key: String,
    format: Format,
    size: (u32, u32),
    build: impl FnOnce(&Snapshot, Format, (u32, u32)) -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
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
                    build(&s, format, size).map(|bytes| Image {
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
    let etag =
        HeaderValue::from_str(&image.etag).map_err(|_| ApiError::Internal("ETag header".into()))?;
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

fn internal(e: crate::charts::ChartError) -> ApiError {
    ApiError::Internal(e.to_string())
}

async fn map(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(layer): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let layer = match layer.as_str() {
        "gemeinden" => Layer::Gemeinden,
        "kreise" => Layer::Kreise,
        l => {
            return Err(ApiError::NotFound(format!(
                "no map {l:?}: use gemeinden or kreise"
            )))
        }
    };
    let metric_text = given(&p.metric).unwrap_or("lotsen").to_string();
    let metric = MapMetric::parse(&metric_text).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "unknown metric {metric_text:?}: use lotsen, standardprozesse or process:ID"
        ))
    })?;
    if let MapMetric::Process(id) = &metric {
        if !state
            .coverage
            .snapshot()
            .raw
            .processes
            .iter()
            .any(|p| &p.id == id)
        {
            return Err(ApiError::NotFound(format!("no process with id {id:?}")));
        }
    }
    let focus = match given(&p.kreis) {
        Some(k) => {
            let key = crate::registry::KreisKey::parse(k)?;
            let snap = state.coverage.snapshot();
            crate::http::params::kreis_index(&snap.raw, key.as_str())?;
            Some(key.as_str().to_string())
        }
        None => None,
    };
    let (format, size) = (format(&p)?, size(&p, MAP_SIZE)?);
    let key = format!(
        "map/{layer:?}/{metric_text}/{}/{}/{}x{}",
        focus.as_deref().unwrap_or("land"),
        format.extension(),
        size.0,
        size.1
    );
    image(
        &state,
        &headers,
        "map",
        key,
        format,
        size,
        move |snap, format, size| {
            // Runs only when the image is not cached: once per data version where maps exist.
            if !catalog::boundaries_cover(&snap.raw) {
                return Err(ApiError::NotFound(
                    "the shipped boundaries (Baden-Württemberg) do not cover this registry's \
                     Kreise: no maps"
                        .into(),
                ));
            }
            let chart = catalog::map(snap, layer, &metric, focus.as_deref()).map_err(internal)?;
            render(format, size, &chart).map_err(internal)
        },
    )
    .await
}

async fn chart(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let Some(&(name, default)) = CHARTS.iter().find(|(n, _)| *n == name) else {
        return Err(ApiError::NotFound(format!(
            "no chart {name:?}: use {} or map/gemeinden, map/kreise",
            CHARTS.map(|c| c.0).join(", ")
        )));
    };
    let (format, size) = (format(&p)?, size(&p, default)?);
    let key = format!("{name}/{}/{}x{}", format.extension(), size.0, size.1);
    image(
        &state,
        &headers,
        name,
        key,
        format,
        size,
        move |snap, format, size| {
            match name {
                "progress" => render(format, size, &catalog::progress(snap)),
                "processes" => render(format, size, &catalog::processes(snap)),
                "kreise" => render(format, size, &catalog::kreise(snap)),
                _ => render(format, size, &catalog::size_classes(snap)),
            }
            .map_err(internal)
        },
    )
    .await
}
