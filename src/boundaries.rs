//! The shipped boundaries (Baden-Württemberg's Gemeinden and Kreise, BKG VG250), parsed once: the
//! GeoJSON features by key for the API's layers, their projected outlines for the drawn maps, and
//! whether they cover a registry at all. Below every view that shows a map.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::Value;

use crate::registry::reference::{GEMEINDEN_GEOJSON, KREISE_GEOJSON};
use crate::registry::{Level, Registry};

/// Attribution required by the BKG VG250 licence (data/SOURCES.md).
pub const ATTRIBUTION: &str = "Grenzen: © GeoBasis-DE / BKG (2017), Daten verändert";

/// Which boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Gemeinden,
    Kreise,
}

impl Layer {
    /// The name in URLs (`/api/v1/geo/{name}.geojson`, `/charts/map/{name}…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Gemeinden => "gemeinden",
            Layer::Kreise => "kreise",
        }
    }

    pub fn parse(value: &str) -> Option<Layer> {
        [Layer::Gemeinden, Layer::Kreise]
            .into_iter()
            .find(|l| l.as_str() == value)
    }
}

/// One feature of a layer: its key (AGS or Kreis key) and its GeoJSON geometry.
#[derive(Debug)]
pub(crate) struct Feature {
    pub key: String,
    pub geometry: Value,
}

/// The features of a layer, parsed once from the embedded file.
pub(crate) fn features(layer: Layer) -> &'static [Feature] {
    static GEMEINDEN: OnceLock<Vec<Feature>> = OnceLock::new();
    static KREISE: OnceLock<Vec<Feature>> = OnceLock::new();
    let (cell, text, key) = match layer {
        Layer::Gemeinden => (&GEMEINDEN, GEMEINDEN_GEOJSON, "ags"),
        Layer::Kreise => (&KREISE, KREISE_GEOJSON, "kreis_ars"),
    };
    cell.get_or_init(|| {
        let mut doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let Some(list) = doc.get_mut("features").and_then(Value::as_array_mut) else {
            return Vec::new();
        };
        list.iter_mut()
            .filter_map(|f| {
                let key = f["properties"][key].as_str()?.to_string();
                Some(Feature {
                    key,
                    geometry: f.get_mut("geometry")?.take(),
                })
            })
            .collect()
    })
}

/// One region's outline: its key and rings in projected coordinates (x east, y north).
#[derive(Debug)]
pub struct Shape {
    pub key: String,
    pub rings: Vec<Vec<(f64, f64)>>,
    /// Area of the outer rings in projected units, for drawing large shapes first.
    pub area: f64,
}

/// Longitude is scaled by cos(48.7°) so that the Land keeps its proportions.
const LON_SCALE: f64 = 0.660;

fn ring(v: &Value) -> Vec<(f64, f64)> {
    v.as_array()
        .map(|pts| {
            pts.iter()
                .filter_map(|p| Some((p[0].as_f64()? * LON_SCALE, p[1].as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn ring_area(r: &[(f64, f64)]) -> f64 {
    let n = r.len();
    (0..n)
        .map(|i| {
            let (a, b) = (r[i], r[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        .abs()
        / 2.0
}

/// The outlines of a layer in projected coordinates, built once, largest first (so enclaves are
/// drawn over their hosts).
pub fn shapes(layer: Layer) -> &'static [Shape] {
    static GEMEINDEN: OnceLock<Vec<Shape>> = OnceLock::new();
    static KREISE: OnceLock<Vec<Shape>> = OnceLock::new();
    let cell = match layer {
        Layer::Gemeinden => &GEMEINDEN,
        Layer::Kreise => &KREISE,
    };
    cell.get_or_init(|| {
        let mut out: Vec<Shape> = features(layer).iter().filter_map(shape).collect();
        out.sort_by(|a, b| b.area.total_cmp(&a.area));
        out
    })
}

fn shape(f: &Feature) -> Option<Shape> {
    let g = &f.geometry;
    let polygons: Vec<&Value> = match g["type"].as_str()? {
        "Polygon" => vec![&g["coordinates"]],
        "MultiPolygon" => g["coordinates"].as_array()?.iter().collect(),
        _ => return None,
    };
    let mut rings = Vec::new();
    let mut area = 0.0;
    for p in polygons {
        for (i, r) in p.as_array()?.iter().enumerate() {
            let r = ring(r);
            if i == 0 {
                area += ring_area(&r);
            }
            rings.push(r);
        }
    }
    Some(Shape {
        key: f.key.clone(),
        rings,
        area,
    })
}

/// Whether the shipped boundaries draw this registry: every Kreis of the registry has a shape.
/// A registry beyond them (e.g. the synthetic Germany) has no maps.
pub fn cover(registry: &Registry) -> bool {
    let keys: HashSet<&str> = features(Layer::Kreise)
        .iter()
        .map(|f| f.key.as_str())
        .collect();
    let mut kreise = registry.level(Level::Kreis).peekable();
    kreise.peek().is_some() && kreise.all(|k| keys.contains(k.ags.as_str()))
}
