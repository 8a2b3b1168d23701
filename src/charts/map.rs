//! Choropleth maps of the territory from the shipped boundaries: Gemeinden (or Kreise, or for
//! Germany the Länder) filled by a class, Kreis borders drawn over them, a legend, title, data
//! date and the attribution the boundary licence requires.

use std::collections::HashMap;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, frame, legend, Chart, ChartError, Frame};

pub use crate::boundaries::{Boundaries, Layer, Shape};

/// A choropleth: fills per key, the legend, and the frame.
#[derive(Debug)]
pub struct Choropleth {
    pub frame: Frame,
    /// The territory's boundaries.
    pub boundaries: &'static Boundaries,
    pub layer: Layer,
    /// Fill color per region key; regions without one are drawn light grey.
    pub fills: HashMap<String, RGBColor>,
    pub legend: Vec<(RGBColor, String)>,
    /// Draw Kreis borders over the fills.
    pub kreis_borders: bool,
    /// Only this Kreis (5-digit key), zoomed to its extent.
    pub focus: Option<String>,
}

impl Choropleth {
    /// Whether a shape of this layer is drawn (all, or those of the focused Kreis).
    fn shows(&self, key: &str) -> bool {
        self.focus.as_deref().is_none_or(|k| key.starts_with(k))
    }
}

/// Where the map's shapes land in its drawing area: the territory (or focused Kreis) fitted
/// right of the legend, proportions kept.
#[derive(Debug, Clone, Copy)]
struct Projection {
    x0: f64,
    y1: f64,
    scale: f64,
    ox: f64,
    oy: f64,
}

impl Projection {
    fn fit(shapes: &[&Shape], (w, h): (u32, u32)) -> Option<Projection> {
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for s in shapes.iter().flat_map(|s| s.rings()).flatten() {
            x0 = x0.min(s.0);
            x1 = x1.max(s.0);
            y0 = y0.min(s.1);
            y1 = y1.max(s.1);
        }
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        // Room for the legend at the left; the map keeps its proportions.
        let legend_w = (w as f64 * 0.26).min(260.0);
        let scale = ((w as f64 - legend_w - 10.0) / (x1 - x0)).min((h as f64 - 10.0) / (y1 - y0));
        Some(Projection {
            x0,
            y1,
            scale,
            ox: legend_w + ((w as f64 - legend_w) - scale * (x1 - x0)) / 2.0,
            oy: (h as f64 - scale * (y1 - y0)) / 2.0,
        })
    }

    /// A ring in whole pixels, repeated points dropped.
    fn ring(&self, r: impl Iterator<Item = (f64, f64)>) -> Vec<(i32, i32)> {
        let mut v: Vec<(i32, i32)> = r
            .map(|(x, y)| {
                (
                    (self.ox + (x - self.x0) * self.scale).round() as i32,
                    (self.oy + (self.y1 - y) * self.scale).round() as i32,
                )
            })
            .collect();
        v.dedup();
        v
    }
}

/// A region of a drawn map as a link target: its key, the legend entry its fill shows, and
/// its outline as SVG path data in the whole image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspot {
    pub key: &'static str,
    pub class: Option<String>,
    pub path: String,
}

impl Choropleth {
    fn shapes(&self) -> Vec<&'static Shape> {
        let all = self.boundaries.shapes(self.layer);
        all.iter().filter(|s| self.shows(s.key)).collect()
    }

    /// How many regions the map shows.
    pub fn regions(&self) -> usize {
        self.shapes().len()
    }

    /// The regions of `layer` (the map's own, or a coarser one over it) as the image of `size`
    /// shows them, for links laid over it; the class of the map's own regions.
    pub fn hotspots(&self, size: (u32, u32), layer: Layer) -> Vec<Hotspot> {
        let (left, top, w, h) = super::chart_area(size);
        let shapes = self.shapes();
        let Some(proj) = Projection::fit(&shapes, (w, h)) else {
            return Vec::new();
        };
        let outlines: Vec<&Shape> = if layer == self.layer {
            shapes
        } else {
            let all = self.boundaries.shapes(layer);
            all.iter().filter(|s| self.shows(s.key)).collect()
        };
        outlines
            .iter()
            .map(|s| {
                let mut path = String::new();
                for r in s.rings() {
                    let pts = simplified(&proj.ring(r), HOTSPOT_TOLERANCE);
                    if pts.len() < 3 {
                        continue;
                    }
                    write_ring(&mut path, &pts, (left as i32, top as i32));
                }
                let own = layer == self.layer;
                let class = self.fills.get(s.key).filter(|_| own).and_then(|c| {
                    self.legend
                        .iter()
                        .find(|(l, _)| l == c)
                        .map(|(_, label)| label.clone())
                });
                Hotspot {
                    key: s.key,
                    class,
                    path,
                }
            })
            .filter(|h| !h.path.is_empty())
            .collect()
    }
}

/// How far (pixels) a link's outline may stray from the drawn one: a point closer than this
/// to the line through its neighbours is left out.
const HOTSPOT_TOLERANCE: f64 = 1.0;

/// Douglas–Peucker: the ring's points that keep it within `tolerance` of the original.
fn simplified(ring: &[(i32, i32)], tolerance: f64) -> Vec<(i32, i32)> {
    if ring.len() < 4 {
        return ring.to_vec();
    }
    let mut keep = vec![false; ring.len()];
    let (first, last) = (0, ring.len() - 1);
    keep[first] = true;
    keep[last] = true;
    // A closed ring starts and ends at one point: split it at the point farthest from there.
    let far = (1..last)
        .max_by_key(|&i| {
            let (dx, dy) = (ring[i].0 - ring[0].0, ring[i].1 - ring[0].1);
            i64::from(dx) * i64::from(dx) + i64::from(dy) * i64::from(dy)
        })
        .unwrap_or(last);
    keep[far] = true;
    let mut todo = vec![(first, far), (far, last)];
    while let Some((a, b)) = todo.pop() {
        if b <= a + 1 {
            continue;
        }
        let (p, q) = (ring[a], ring[b]);
        let (dx, dy) = (f64::from(q.0 - p.0), f64::from(q.1 - p.1));
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let distance =
            |r: (i32, i32)| (dy * f64::from(r.0 - p.0) - dx * f64::from(r.1 - p.1)).abs() / len;
        let (i, d) = (a + 1..b)
            .map(|i| (i, distance(ring[i])))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap_or((a, 0.0));
        if d > tolerance {
            keep[i] = true;
            todo.push((a, i));
            todo.push((i, b));
        }
    }
    ring.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// A closed ring as SVG path data: absolute start, then relative steps.
fn write_ring(path: &mut String, ring: &[(i32, i32)], (dx, dy): (i32, i32)) {
    use std::fmt::Write;
    let (x, y) = (ring[0].0 + dx, ring[0].1 + dy);
    let _ = write!(path, "M{x} {y}l");
    for w in ring.windows(2) {
        let (sx, sy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        // A negative number needs no separator before it.
        let sep = if path.ends_with('l') || sx < 0 {
            ""
        } else {
            " "
        };
        let _ = write!(path, "{sep}{sx}");
        let sep = if sy < 0 { "" } else { " " };
        let _ = write!(path, "{sep}{sy}");
    }
    path.push('z');
}

impl Chart for Choropleth {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame(root, &self.frame)?;
        let shapes = self.shapes();
        let proj = Projection::fit(&shapes, area.dim_in_pixel())
            .ok_or_else(|| ChartError("no boundaries".into()))?;
        let project = |r: &mut dyn Iterator<Item = (f64, f64)>| proj.ring(r);
        let (w, _) = area.dim_in_pixel();
        let grey = RGBColor(235, 235, 235);
        let edge = RGBColor(255, 255, 255).mix(0.6);
        for s in &shapes {
            let color = self.fills.get(s.key).copied().unwrap_or(grey);
            for mut r in s.rings() {
                let pts = project(&mut r);
                if pts.len() < 3 {
                    continue;
                }
                // A hole is painted over by its enclave, which is smaller and so drawn later.
                area.draw(&Polygon::new(pts.clone(), color.filled()))
                    .map_err(err)?;
                area.draw(&PathElement::new(pts, edge.stroke_width(1)))
                    .map_err(err)?;
            }
        }
        // Kreis borders over Gemeinden and Kreise; a map of the Länder outlines the Länder.
        let borders = match self.layer {
            Layer::Laender => Layer::Laender,
            _ => Layer::Kreise,
        };
        if self.kreis_borders || self.layer != Layer::Gemeinden {
            let outlines = self.boundaries.shapes(borders);
            for s in outlines.iter().filter(|s| self.shows(s.key)) {
                for mut r in s.rings() {
                    let pts = project(&mut r);
                    area.draw(&PathElement::new(pts, RGBColor(40, 40, 40).stroke_width(1)))
                        .map_err(err)?;
                }
            }
        }
        let size = (w as f64 / 60.0).clamp(9.0, 16.0);
        legend(&area, (6, 6), &self.legend, size)
    }
}
