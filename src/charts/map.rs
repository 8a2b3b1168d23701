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

impl Chart for Choropleth {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame(root, &self.frame)?;
        let (w, h) = area.dim_in_pixel();
        let all = self.boundaries.shapes(self.layer);
        let shapes: Vec<&Shape> = all.iter().filter(|s| self.shows(s.key)).collect();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for s in shapes.iter().flat_map(|s| s.rings()).flatten() {
            x0 = x0.min(s.0);
            x1 = x1.max(s.0);
            y0 = y0.min(s.1);
            y1 = y1.max(s.1);
        }
        if x0 >= x1 || y0 >= y1 {
            return Err(ChartError("no boundaries".into()));
        }
        // Room for the legend at the left; the map keeps its proportions.
        let legend_w = (w as f64 * 0.26).min(260.0);
        let scale = ((w as f64 - legend_w - 10.0) / (x1 - x0)).min((h as f64 - 10.0) / (y1 - y0));
        let ox = legend_w + ((w as f64 - legend_w) - scale * (x1 - x0)) / 2.0;
        let oy = (h as f64 - scale * (y1 - y0)) / 2.0;
        let px = |&(x, y): &(f64, f64)| -> (i32, i32) {
            (
                (ox + (x - x0) * scale).round() as i32,
                (oy + (y1 - y) * scale).round() as i32,
            )
        };
        let project = |r: &mut dyn Iterator<Item = (f64, f64)>| -> Vec<(i32, i32)> {
            let mut v: Vec<(i32, i32)> = r.map(|p| px(&p)).collect();
            v.dedup();
            v
        };
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
