//! A boundary's geometry held compactly: every coordinate as an integer number of 1e-5 degrees
//! (the shipped files' precision, about 1 m) in one flat array, rings as offsets into it. Read
//! from a `geojson` geometry at the edge; written back as GeoJSON text without a JSON tree.

use std::fmt::Write;

/// Coordinates are stored in units of 1e-5 degrees.
const SCALE: f64 = 100_000.0;

/// One ring: where its points end in [`Geometry::points`], and whether it is the outer ring of a
/// polygon (the rings after it, up to the next outer one, are its holes).
#[derive(Debug, Clone, Copy)]
struct Ring {
    end: u32,
    outer: bool,
}

/// A Polygon or MultiPolygon.
#[derive(Debug)]
pub struct Geometry {
    multi: bool,
    rings: Box<[Ring]>,
    points: Box<[[i32; 2]]>,
}

/// Why a geometry cannot be held.
#[derive(Debug, thiserror::Error)]
pub enum GeometryError {
    #[error("a {0} is not an area (expected Polygon or MultiPolygon)")]
    NotAnArea(&'static str),
    #[error("a coordinate ({0}) is not in degrees with at most 5 decimals")]
    Coordinate(f64),
}

fn fixed(v: f64) -> Result<i32, GeometryError> {
    let scaled = (v * SCALE).round();
    if !(scaled.abs() <= 180.0 * SCALE && ((scaled / SCALE) - v).abs() < 1e-9) {
        return Err(GeometryError::Coordinate(v));
    }
    Ok(scaled as i32)
}

impl Geometry {
    /// From a parsed `geojson` geometry.
    pub fn from_geojson(value: &geojson::GeometryValue) -> Result<Geometry, GeometryError> {
        use geojson::GeometryValue as G;
        let (multi, polygons): (bool, Vec<&geojson::PolygonType>) = match value {
            G::Polygon { coordinates } => (false, vec![coordinates]),
            G::MultiPolygon { coordinates } => (true, coordinates.iter().collect()),
            other => return Err(GeometryError::NotAnArea(other.type_name())),
        };
        let mut rings = Vec::new();
        let mut points = Vec::new();
        for polygon in polygons {
            for (i, ring) in polygon.iter().enumerate() {
                for p in ring {
                    let (x, y) = (p.as_slice()[0], p.as_slice().get(1).copied().unwrap_or(0.0));
                    points.push([fixed(x)?, fixed(y)?]);
                }
                rings.push(Ring {
                    end: points.len() as u32,
                    outer: i == 0,
                });
            }
        }
        Ok(Geometry {
            multi,
            rings: rings.into(),
            points: points.into(),
        })
    }

    /// The rings in order, each as its points (lon, lat in 1e-5 degrees) and whether it is an
    /// outer ring.
    pub fn rings(&self) -> impl Iterator<Item = (bool, &[[i32; 2]])> + '_ {
        let mut start = 0usize;
        self.rings.iter().map(move |r| {
            let pts = &self.points[start..r.end as usize];
            start = r.end as usize;
            (r.outer, pts)
        })
    }

    /// Number of points, for accounting.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.points.len() * size_of::<[i32; 2]>() + self.rings.len() * size_of::<Ring>()
    }

    /// The GeoJSON text of the geometry, as `serde_json` writes the parsed file's geometry:
    /// `{"type":"Polygon","coordinates":[[[9.11965,47.78436],…]]}`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str(if self.multi {
            "{\"type\":\"MultiPolygon\",\"coordinates\":["
        } else {
            "{\"type\":\"Polygon\",\"coordinates\":"
        });
        let mut first_polygon = true;
        let mut first_ring = true;
        for (outer, pts) in self.rings() {
            if outer {
                if !first_polygon {
                    out.push_str("],");
                }
                out.push('[');
                first_polygon = false;
                first_ring = true;
            }
            if !first_ring {
                out.push(',');
            }
            first_ring = false;
            out.push('[');
            for (i, [x, y]) in pts.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('[');
                write_degrees(out, *x);
                out.push(',');
                write_degrees(out, *y);
                out.push(']');
            }
            out.push(']');
        }
        if !first_polygon {
            out.push(']');
        }
        out.push_str(if self.multi { "]}" } else { "}" });
    }
}

/// A coordinate in the shortest form that reads back as the same number (`9.1`, `47.78436`,
/// `10.0`), as `serde_json` writes an `f64`.
fn write_degrees(out: &mut String, v: i32) {
    if v < 0 {
        out.push('-');
    }
    let v = v.unsigned_abs();
    let (whole, frac) = (v / 100_000, v % 100_000);
    let _ = write!(out, "{whole}.");
    if frac == 0 {
        out.push('0');
        return;
    }
    let mut digits = format!("{frac:05}");
    while digits.ends_with('0') {
        digits.pop();
    }
    out.push_str(&digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        let g: geojson::Geometry = serde_json::from_str(text).unwrap();
        let mut out = String::new();
        Geometry::from_geojson(&g.value)
            .unwrap()
            .write_json(&mut out);
        out
    }

    #[test]
    fn writes_what_serde_json_writes_for_the_parsed_file() {
        for text in [
            r#"{"type":"Polygon","coordinates":[[[9.11965,47.78436],[9.1,47.0],[10.0,-0.00001],[9.11965,47.78436]]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[[[[1.5,2.25],[3.0,4.0],[1.5,2.25]],[[1.6,2.3],[1.7,2.4],[1.6,2.3]]],[[[5.0,6.0],[7.0,8.0],[5.0,6.0]]]]}"#,
        ] {
            let via_serde: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(round_trip(text), serde_json::to_string(&via_serde).unwrap());
        }
    }

    #[test]
    fn refuses_points_and_finer_coordinates() {
        let g: geojson::Geometry =
            serde_json::from_str(r#"{"type":"Point","coordinates":[9.1,48.0]}"#).unwrap();
        assert!(Geometry::from_geojson(&g.value).is_err());
        let g: geojson::Geometry = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[9.123456,48.0],[9.1,48.1],[9.123456,48.0]]]}"#,
        )
        .unwrap();
        assert!(Geometry::from_geojson(&g.value).is_err());
    }
}
