//! The shipped boundaries of the atlas' territory (BKG VG250: Baden-Württemberg's own files, or the
//! Germany-wide ones cut to the chosen Land), parsed once with the `geojson` crate and held
//! compactly ([`geometry::Geometry`]): the features by key for the API's layers, their outlines for
//! the drawn maps, and whether they cover a registry at all. Below every view that shows a map.

pub(crate) mod geometry;

use std::collections::HashSet;
use std::io::{BufReader, Read};
use std::sync::{Mutex, OnceLock};

use crate::registry::reference::{GEMEINDEN_GEOJSON, KREISE_GEOJSON};
use crate::registry::{Level, Region, Registry, Territory};
use geometry::Geometry;

/// Attribution required by the BKG VG250 licence for Baden-Württemberg's boundaries
/// (data/SOURCES.md).
pub(crate) const ATTRIBUTION: &str = "Grenzen: © GeoBasis-DE / BKG (2017), Daten verändert";
/// The same for the Germany-wide boundaries, which take division lines from the 2025 edition
/// (data/de/SOURCES-de.md).
pub(crate) const ATTRIBUTION_DE: &str =
    "Grenzen: © GeoBasis-DE / BKG (2017, 2025), Daten verändert";

const GEMEINDEN_DE_GZ: &[u8] = include_bytes!("../../data/de/gemeinden-de.geojson.gz");
const KREISE_DE_GZ: &[u8] = include_bytes!("../../data/de/kreise-de.geojson.gz");
const LAENDER_DE_GZ: &[u8] = include_bytes!("../../data/de/laender-de.geojson.gz");

/// Which boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    Gemeinden,
    Kreise,
    /// The Länder; only an atlas of Germany has them.
    Laender,
}

impl Layer {
    pub const ALL: [Layer; 3] = [Layer::Gemeinden, Layer::Kreise, Layer::Laender];

    /// The name in URLs (`/api/v1/geo/{name}.geojson`, `/charts/map/{name}…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Gemeinden => "gemeinden",
            Layer::Kreise => "kreise",
            Layer::Laender => "laender",
        }
    }

    pub fn parse(value: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == value)
    }

    /// The registry level the layer draws.
    pub fn level(self) -> Level {
        match self {
            Layer::Gemeinden => Level::Gemeinde,
            Layer::Kreise => Level::Kreis,
            Layer::Laender => Level::Land,
        }
    }

    /// The feature property holding the key the layer is joined on.
    fn key_property(self) -> &'static str {
        match self {
            Layer::Gemeinden => "ags",
            Layer::Kreise => "kreis_ars",
            Layer::Laender => "land_ars",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One feature of a layer: its key (AGS, Kreis or Land key) and its geometry.
#[derive(Debug)]
pub struct Feature {
    pub key: String,
    pub geometry: Geometry,
}

/// The boundaries of one territory, each layer parsed on first use and kept for the process.
#[derive(Debug)]
pub struct Boundaries {
    territory: Territory,
    /// Each layer's features and the bytes they hold (counted once, when read).
    features: [OnceLock<(Vec<Feature>, usize)>; 3],
    shapes: [OnceLock<Vec<Shape>>; 3],
    lon_scale: OnceLock<f64>,
}

/// The boundaries of a territory (one per process and territory, never freed).
pub(crate) fn for_territory(territory: Territory) -> &'static Boundaries {
    static ALL: Mutex<Vec<&'static Boundaries>> = Mutex::new(Vec::new());
    let mut all = ALL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = all.iter().find(|b| b.territory == territory) {
        return b;
    }
    let b: &'static Boundaries = Box::leak(Box::new(Boundaries {
        territory,
        features: Default::default(),
        shapes: Default::default(),
        lon_scale: OnceLock::new(),
    }));
    all.push(b);
    b
}

/// The boundaries of the territory a registry spans: its one Land, or Germany.
pub(crate) fn of(registry: &Registry) -> &'static Boundaries {
    for_territory(registry.territory())
}

/// Whether the shipped boundaries draw this registry (see [`Boundaries::cover`]).
pub fn cover(registry: &Registry) -> bool {
    of(registry).cover(registry)
}

/// The Gemeinden of the registry that the map cannot draw, named for the line under a map.
pub(crate) fn missing_gemeinden(registry: &Registry) -> Vec<&Region> {
    of(registry).missing(registry, Layer::Gemeinden)
}

impl Boundaries {
    pub fn territory(&self) -> Territory {
        self.territory
    }

    /// The attribution a map or download of these boundaries carries.
    pub fn attribution(&self) -> &'static str {
        if self.territory == Territory::BADEN_WUERTTEMBERG {
            ATTRIBUTION
        } else {
            ATTRIBUTION_DE
        }
    }

    /// Whether the territory has this layer at all (the Länder only for Germany).
    pub fn has(&self, layer: Layer) -> bool {
        layer != Layer::Laender || self.territory == Territory::Germany
    }

    /// The features of a layer in the file's order.
    pub fn features(&self, layer: Layer) -> &[Feature] {
        &self.features[layer.index()]
            .get_or_init(|| {
                let features = self.read(layer);
                let bytes = features
                    .iter()
                    .map(|f| f.geometry.heap_bytes() + f.key.len())
                    .sum();
                (features, bytes)
            })
            .0
    }

    fn read(&self, layer: Layer) -> Vec<Feature> {
        let bw = self.territory == Territory::BADEN_WUERTTEMBERG;
        let source: Box<dyn Read> = match (layer, bw) {
            (Layer::Laender, _) if !self.has(layer) => return Vec::new(),
            (Layer::Gemeinden, true) => Box::new(GEMEINDEN_GEOJSON.as_bytes()),
            (Layer::Kreise, true) => Box::new(KREISE_GEOJSON.as_bytes()),
            (Layer::Laender, true) => return Vec::new(),
            (Layer::Gemeinden, false) => Box::new(flate2::read::GzDecoder::new(GEMEINDEN_DE_GZ)),
            (Layer::Kreise, false) => Box::new(flate2::read::GzDecoder::new(KREISE_DE_GZ)),
            (Layer::Laender, false) => Box::new(flate2::read::GzDecoder::new(LAENDER_DE_GZ)),
        };
        let key = layer.key_property();
        // The shipped files are part of the build (a broken feature is a build defect the tests
        // catch by counting); features outside the territory are dropped as they stream by.
        geojson::FeatureReader::from_reader(BufReader::with_capacity(1 << 16, source))
            .features()
            .filter_map(Result::ok)
            .filter_map(|f| {
                let key = f.property(key)?.as_str()?.to_string();
                if !self.territory.contains(&key) {
                    return None;
                }
                let geometry = Geometry::from_geojson(&f.geometry.as_ref()?.value).ok()?;
                Some(Feature { key, geometry })
            })
            .collect()
    }

    /// Whether these boundaries draw the registry: every Kreis of the registry has a shape.
    /// A registry beyond them (e.g. a custom `--registry` with invented keys) has no maps.
    pub fn cover(&self, registry: &Registry) -> bool {
        let keys: HashSet<&str> = self
            .features(Layer::Kreise)
            .iter()
            .map(|f| f.key.as_str())
            .collect();
        let mut kreise = registry.level(Level::Kreis).peekable();
        kreise.peek().is_some() && kreise.all(|k| keys.contains(k.ags.as_str()))
    }

    /// The regions of a layer's level that have no shape (listed under a map, never silently
    /// missing).
    pub fn missing<'r>(&self, registry: &'r Registry, layer: Layer) -> Vec<&'r Region> {
        let keys: HashSet<&str> = self
            .features(layer)
            .iter()
            .map(|f| f.key.as_str())
            .collect();
        registry
            .level(layer.level())
            .filter(|r| !keys.contains(r.ags.as_str()))
            .collect()
    }

    /// Bytes held by the parsed layers (read at every scrape: a sum of three).
    pub fn heap_bytes(&self) -> usize {
        self.features
            .iter()
            .filter_map(OnceLock::get)
            .map(|(_, bytes)| bytes)
            .sum()
    }

    /// Longitude is scaled by the cosine of the territory's middle latitude so that it keeps
    /// its proportions (Baden-Württemberg: cos 48.7° = 0.660, as its maps always had).
    fn lon_scale(&self) -> f64 {
        *self.lon_scale.get_or_init(|| {
            if self.territory == Territory::BADEN_WUERTTEMBERG {
                return 0.660;
            }
            let (lo, hi) = self
                .features(Layer::Kreise)
                .iter()
                .flat_map(|f| f.geometry.rings())
                .flat_map(|(_, pts)| pts.iter())
                .fold((i32::MAX, i32::MIN), |(lo, hi), p| {
                    (lo.min(p[1]), hi.max(p[1]))
                });
            let mid = if lo <= hi {
                (lo as f64 + hi as f64) / 2.0 / 100_000.0
            } else {
                51.0
            };
            mid.to_radians().cos()
        })
    }

    /// The outlines of a layer in projected coordinates, largest first (so enclaves are drawn
    /// over their hosts).
    pub fn shapes(&'static self, layer: Layer) -> &'static [Shape] {
        self.shapes[layer.index()].get_or_init(|| {
            let lon_scale = self.lon_scale();
            let mut out: Vec<Shape> = self
                .features(layer)
                .iter()
                .map(|f| Shape::new(f, lon_scale))
                .collect();
            out.sort_by(|a, b| b.area.total_cmp(&a.area));
            out
        })
    }
}

/// One region's outline, projected on the fly from its compact geometry (x east, y north).
#[derive(Debug)]
pub struct Shape {
    pub key: &'static str,
    geometry: &'static Geometry,
    lon_scale: f64,
    /// Area of the outer rings in projected units, for drawing large shapes first.
    pub area: f64,
}

impl Shape {
    fn new(f: &'static Feature, lon_scale: f64) -> Shape {
        let mut s = Shape {
            key: &f.key,
            geometry: &f.geometry,
            lon_scale,
            area: 0.0,
        };
        s.area = s
            .geometry
            .rings()
            .zip(s.rings())
            .filter(|((outer, _), _)| *outer)
            .map(|(_, r)| ring_area(&r.collect::<Vec<_>>()))
            .sum();
        s
    }

    /// The rings (outer rings and holes), each as projected points.
    pub fn rings(&self) -> impl Iterator<Item = impl Iterator<Item = (f64, f64)> + '_> + '_ {
        let k = self.lon_scale / 100_000.0;
        self.geometry.rings().map(move |(_, pts)| {
            pts.iter()
                .map(move |p| (p[0] as f64 * k, p[1] as f64 / 100_000.0))
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baden_wuerttemberg_has_its_gemeinden_and_kreise() {
        let b = for_territory(Territory::BADEN_WUERTTEMBERG);
        assert_eq!(b.features(Layer::Gemeinden).len(), 1101);
        assert_eq!(b.features(Layer::Kreise).len(), 44);
        assert!(b.features(Layer::Laender).is_empty());
        assert_eq!(b.attribution(), ATTRIBUTION);
    }

    #[test]
    fn a_land_is_cut_from_the_germany_files() {
        let b = for_territory(Territory::parse("09").unwrap());
        assert_eq!(b.features(Layer::Gemeinden).len(), 2056);
        assert_eq!(b.features(Layer::Kreise).len(), 96);
        assert!(b.features(Layer::Laender).is_empty());
        assert!(b
            .features(Layer::Kreise)
            .iter()
            .all(|f| f.key.starts_with("09")));
        assert_eq!(b.attribution(), ATTRIBUTION_DE);
        // Bayern's middle latitude, about 49°.
        assert!((b.lon_scale() - 49f64.to_radians().cos()).abs() < 0.02);
    }
}
