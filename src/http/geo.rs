//! `GET /api/v1/geo/gemeinden.geojson`, `/api/v1/geo/kreise.geojson` and (Germany)
//! `/api/v1/geo/laender.geojson`: the shipped boundaries
//! with the current figures as feature properties. The feature `id` is the AGS / Kreis key
//! (Grafana's Geomap joins on it) and `coverage_class` is precomputed so that a static GeoJSON
//! layer can be styled by rules; `properties=tooltip` carries instead the few properties a map's
//! tooltip shows, in German. Each layer is encoded and compressed (gzip, br) once per snapshot
//! and served with an ETag; `If-None-Match` answers 304 (a large layer: see `LARGE_BYTES`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value};

use super::coverage::CoverageRow;
use super::params::ApiQuery;
use super::{AppState, Routes};
use crate::boundaries::Layer;
use crate::coverage::figure::Figure;
use crate::coverage::figures::lotse_class;
use crate::coverage::raw::UnitLevel;
use crate::coverage::snapshot::Snapshot;
use crate::http::error::ApiError;
use crate::model::column::{band_of, SHARE_BANDS};
use crate::model::AdminKind;

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/api/v1/geo/gemeinden.geojson", get(gemeinden))
        .route("/api/v1/geo/kreise.geojson", get(kreise))
        .route("/api/v1/geo/laender.geojson", get(laender))
}

/// One layer of one snapshot, encoded once in every encoding.
#[derive(Debug)]
pub struct Encoded {
    data_version: u64,
    /// Whether the shipped boundaries cover the registry (else the layer is not served).
    covered: bool,
    pub etag: String,
    /// The compressed forms only: the rare client that takes no compression gets the body
    /// inflated from `gzip` (Baden-Württemberg's Gemeinden are 3 MB uncompressed, 0.7 MB gzip).
    pub gzip: Bytes,
    /// Empty for a large layer (see [`LARGE_BYTES`]): its clients get gzip.
    pub br: Bytes,
    /// Whether the layer is larger than [`LARGE_BYTES`] uncompressed.
    large: bool,
}

/// A layer larger than this uncompressed (Germany's Gemeinden, 32 MB, and Kreise, 5 MB; every
/// layer of Baden-Württemberg is smaller) is kept as gzip only, brotli saving little on
/// coordinates (15 %), and its tooltip form, which only maps built for it ask, is not kept at
/// all but encoded for each request, one at a time.
const LARGE_BYTES: usize = 4 << 20;

/// The encoded layers of the current snapshot.
#[derive(Debug, Default)]
pub struct GeoCache {
    layers: Mutex<HashMap<(Layer, PropertySet), Arc<Encoded>>>,
    /// One encoding at a time per process: concurrent first requests wait for it.
    building: tokio::sync::Mutex<()>,
}

/// Which properties a layer's features carry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PropertySet {
    /// Every figure of the unit's coverage row (English column names), its processes, Kreis,
    /// Lotse class and `coverage_class`.
    #[default]
    All,
    /// What a map's tooltip shows, in German words (`page::tooltip`): a Gemeinde's name, Kreis,
    /// Einwohner, Digitallotse and active processes; a Kreis' or Land's name, Einwohner and
    /// administrations with a Lotse.
    Tooltip,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// all (default): every figure; tooltip: the few properties a map's tooltip shows, named in
    /// German (Grafana's map panels show every property on hover).
    #[param(inline)]
    properties: Option<PropertySet>,
}

/// The class a static map layer is styled by. Gemeinden: `keine`, `basis`, `aufbau` (their
/// Digitallotsen); Kreise: the class of their share of administrations with a Lotse
/// (`Figure::ShareWithLotse`'s bands: `0`, `1-24`, `25-49`, `50-74`, `75-100`).
pub(super) fn kreis_class(share: f64) -> &'static str {
    let bands = Figure::ShareWithLotse.bands().unwrap_or(&SHARE_BANDS);
    bands[band_of(bands, share)].key
}

/// The properties of one feature: the unit's coverage row, and for a Gemeinde its processes,
/// Kreis and Lotse class; `coverage_class` for styling.
fn properties(
    snap: &Snapshot,
    layer: Layer,
    set: PropertySet,
    u: usize,
    admin: Option<usize>,
) -> Map<String, Value> {
    if set == PropertySet::Tooltip {
        return crate::page::tooltip::properties(snap, u, admin);
    }
    let (raw, f) = (&snap.raw, &snap.current);
    let row = CoverageRow::of(raw, &raw.units[u], &f.units[u], f.as_of);
    let mut props: Map<String, Value> = match serde_json::to_value(&row) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let class = match layer {
        Layer::Gemeinden => {
            let flags = admin.map(|i| f.admin_lotsen[i]).unwrap_or_default();
            if let Some(i) = admin {
                props.insert("standard_active".into(), f.admin_ozg[i].standard.into());
                props.insert("universal_active".into(), f.admin_ozg[i].universal.into());
                let k = &raw.units[raw.kreise[raw.admins[i].kreis]];
                props.insert("kreis_name".into(), k.name.clone().into());
            }
            props.insert("lotse".into(), lotse_class(flags).into());
            lotse_class(flags)
        }
        Layer::Kreise | Layer::Laender => kreis_class(row.value(Figure::ShareWithLotse).as_f64()),
    };
    props.insert("coverage_class".into(), class.into());
    props
}

/// The layer as GeoJSON FeatureCollection text with the snapshot's figures, written feature by
/// feature from the compact geometries (no JSON tree of the whole layer).
pub(super) fn feature_collection(
    snap: &Snapshot,
    layer: Layer,
    set: PropertySet,
) -> Result<String, ApiError> {
    let raw = &snap.raw;
    let level = match layer {
        Layer::Gemeinden => UnitLevel::Gemeinde,
        Layer::Kreise => UnitLevel::Kreis,
        Layer::Laender => UnitLevel::Land,
    };
    let units: HashMap<&str, usize> = raw
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.level == level)
        .map(|(i, u)| (u.key.as_str(), i))
        .collect();
    let admins: HashMap<&str, usize> = raw
        .admins
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind == AdminKind::Gemeinde)
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    // The sources as a foreign member (RFC 7946 § 6.1), which GeoJSON readers pass over.
    let boundaries = crate::boundaries::of(&raw.registry);
    let registry = raw.registry.edition.as_ref().map(|e| e.source.as_str());
    let attribution = match registry {
        Some(source) => format!(
            "{}; Gebiete und Einwohner: {source}",
            boundaries.attribution()
        ),
        None => boundaries.attribution().to_string(),
    };
    let mut out = format!(
        "{{\"type\":\"FeatureCollection\",\"attribution\":{},\"features\":[",
        serde_json::to_string(&attribution)?
    );
    let mut first = true;
    for feature in boundaries.features(layer) {
        let Some(&u) = units.get(feature.key.as_str()) else {
            continue;
        };
        let props = properties(
            snap,
            layer,
            set,
            u,
            admins.get(feature.key.as_str()).copied(),
        );
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str("{\"type\":\"Feature\",\"id\":");
        out.push_str(&serde_json::to_string(&feature.key)?);
        out.push_str(",\"geometry\":");
        feature.geometry.write_json(&mut out);
        out.push_str(",\"properties\":");
        out.push_str(&serde_json::to_string(&props)?);
        out.push('}');
    }
    out.push_str("]}");
    Ok(out)
}

/// Encodes the layer; the compressed forms are taken over from `previous` when the bytes are
/// the same (a refresh without new data compresses nothing).
fn encode(
    snap: &Snapshot,
    layer: (Layer, PropertySet),
    previous: Option<&Encoded>,
) -> Result<Encoded, ApiError> {
    use std::io::Write;
    let identity = feature_collection(snap, layer.0, layer.1)?.into_bytes();
    let etag = super::etag::of(&identity);
    let large = identity.len() > LARGE_BYTES;
    if let Some(p) = previous.filter(|p| p.etag == etag) {
        return Ok(Encoded {
            data_version: snap.data_version,
            covered: p.covered,
            etag,
            gzip: p.gzip.clone(),
            br: p.br.clone(),
            large,
        });
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    gz.write_all(&identity)?;
    let gzip = gz.finish()?;
    let mut br = Vec::new();
    if !large {
        let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 8, 22);
        w.write_all(&identity)?;
        w.flush()?;
    }
    Ok(Encoded {
        data_version: snap.data_version,
        covered: crate::boundaries::cover(&snap.raw.registry),
        etag,
        gzip: gzip.into(),
        br: br.into(),
        large,
    })
}

impl GeoCache {
    /// Bytes of the encoded layers held.
    pub fn heap_bytes(&self) -> usize {
        self.layers
            .lock()
            .map_or(0, |l| l.values().map(|e| e.gzip.len() + e.br.len()).sum())
    }

    /// The layer of `snap` with the set of properties, encoded on first use.
    pub async fn get(
        &self,
        snap: Arc<Snapshot>,
        layer: (Layer, PropertySet),
    ) -> Result<Arc<Encoded>, ApiError> {
        let cached = |c: &Self| {
            c.layers
                .lock()
                .ok()
                .and_then(|l| l.get(&layer).cloned())
                .filter(|e| e.data_version == snap.data_version)
        };
        if let Some(e) = cached(self) {
            return Ok(e);
        }
        let _building = self.building.lock().await;
        if let Some(e) = cached(self) {
            return Ok(e);
        }
        let s = snap.clone();
        let previous = self.layers.lock().ok().and_then(|l| l.get(&layer).cloned());
        let encoded = Arc::new(
            tokio::task::spawn_blocking(move || encode(&s, layer, previous.as_deref())).await??,
        );
        if encoded.large && layer.1 == PropertySet::Tooltip {
            return Ok(encoded);
        }
        if let Ok(mut l) = self.layers.lock() {
            l.insert(layer, encoded.clone());
        }
        Ok(encoded)
    }
}

/// The uncompressed body, inflated from the gzip form.
fn identity_of(e: &Encoded) -> Result<Bytes, ApiError> {
    use std::io::Read;
    let mut body = Vec::with_capacity(e.gzip.len() * 5);
    flate2::read::GzDecoder::new(&e.gzip[..]).read_to_end(&mut body)?;
    Ok(body.into())
}

/// Which encoding the client takes: br (where the layer has it), else gzip, else none (q=0
/// excludes).
fn negotiate(headers: &HeaderMap, offers_br: bool) -> Option<&'static str> {
    let accept = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            coding.eq_ignore_ascii_case(name) && q > 0.0
        })
    };
    if offers_br && accepts("br") {
        Some("br")
    } else if accepts("gzip") {
        Some("gzip")
    } else {
        None
    }
}

async fn serve(
    state: AppState,
    headers: HeaderMap,
    layer: Layer,
    p: Params,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let boundaries = crate::boundaries::of(&snap.raw.registry);
    if !boundaries.has(layer) {
        return Err(ApiError::NotFound(format!(
            "the layer {} exists for an atlas of Germany (--land all) only",
            layer.as_str()
        )));
    }
    let set = p.properties.unwrap_or_default();
    let e = state.geo.get(snap, (layer, set)).await?;
    if boundaries.features(layer).is_empty() || !e.covered {
        return Err(ApiError::NotFound(
            "the shipped boundaries do not cover this registry's Kreise".into(),
        ));
    }
    let etag = HeaderValue::from_str(&e.etag)?;
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    if super::etag::not_modified(&headers, &e.etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag), vary]).into_response());
    }
    let (body, encoding) = match negotiate(&headers, !e.br.is_empty()) {
        Some("br") => (e.br.clone(), Some("br")),
        Some(_) => (e.gzip.clone(), Some("gzip")),
        None => (identity_of(&e)?, None),
    };
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/geo+json"),
            ),
            (header::ETAG, etag),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
            vary,
        ],
        body,
    )
        .into_response();
    if let Some(enc) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/geo/gemeinden.geojson", tag = "geo", params(Params),
    responses((status = 200, description = "FeatureCollection of the Gemeinden (feature id = AGS) with their figures and `coverage_class` (keine, basis, aufbau)", body = Object, content_type = "application/geo+json"),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "The shipped boundaries do not cover this registry", body = super::error::ErrorBody)))]
pub(super) async fn gemeinden(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    serve(state, headers, Layer::Gemeinden, p).await
}

#[utoipa::path(get, path = "/api/v1/geo/kreise.geojson", tag = "geo", params(Params),
    responses((status = 200, description = "FeatureCollection of the Kreise (feature id = Kreis key) with their figures and `coverage_class` (0, 1-24, 25-49, 50-74, 75-100: percent of administrations with a Lotse)", body = Object, content_type = "application/geo+json"),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "The shipped boundaries do not cover this registry", body = super::error::ErrorBody)))]
pub(super) async fn kreise(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    serve(state, headers, Layer::Kreise, p).await
}

#[utoipa::path(get, path = "/api/v1/geo/laender.geojson", tag = "geo", params(Params),
    responses((status = 200, description = "FeatureCollection of the Länder (feature id = Land key) with their figures and `coverage_class` as for the Kreise; an atlas of Germany (`--land all`) only", body = Object, content_type = "application/geo+json"),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Not an atlas of Germany, or the shipped boundaries do not cover this registry", body = super::error::ErrorBody)))]
pub(super) async fn laender(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    serve(state, headers, Layer::Laender, p).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn br_is_preferred_and_q0_excludes() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            "gzip, deflate, br".parse().unwrap(),
        );
        assert_eq!(negotiate(&h, true), Some("br"));
        // A large layer has no brotli form: gzip.
        assert_eq!(negotiate(&h, false), Some("gzip"));
        h.insert(
            header::ACCEPT_ENCODING,
            "gzip;q=0.5, br;q=0".parse().unwrap(),
        );
        assert_eq!(negotiate(&h, true), Some("gzip"));
        h.insert(header::ACCEPT_ENCODING, "identity".parse().unwrap());
        assert_eq!(negotiate(&h, true), None);
        h.insert(header::ACCEPT_ENCODING, "br".parse().unwrap());
        assert_eq!(negotiate(&h, false), None);
    }

    #[test]
    fn kreis_classes_are_bands() {
        assert_eq!(kreis_class(0.0), "0");
        assert_eq!(kreis_class(0.01), "1-24");
        assert_eq!(kreis_class(0.5), "50-74");
        assert_eq!(kreis_class(1.0), "75-100");
    }
}
