//! Horizontal bar charts: activations per process, coverage per Kreis (sorted), coverage by size
//! class. One layout for all: a name per bar, the value at its end.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, frame, Chart, ChartError, Frame, FONT};

#[derive(Debug)]
pub struct Bars {
    pub frame: Frame,
    /// (label, value), drawn top to bottom in this order.
    pub items: Vec<(String, f64)>,
    /// Largest value of the axis (e.g. 1.0 for shares).
    pub max: f64,
    /// Formats a value for the bar end and the axis (e.g. as percent).
    pub percent: bool,
    pub x_desc: String,
}

impl Chart for Bars {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame(root, &self.frame)?;
        let (w, h) = area.dim_in_pixel();
        let n = self.items.len().max(1);
        let font = ((h as f64 - 60.0) / n as f64 * 0.7).clamp(7.0, 15.0);
        let longest = self
            .items
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(4) as f64;
        let label_w = (longest * font * 0.58).min(w as f64 * 0.45);
        let fmt = |v: f64| {
            if self.percent {
                format!("{:.0} %", v * 100.0)
            } else if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                crate::format::decimal(v)
            }
        };
        let mut chart = ChartBuilder::on(&area)
            .margin(8)
            .x_label_area_size(font * 3.0)
            .y_label_area_size(label_w + 8.0)
            .build_cartesian_2d(0.0..self.max.max(1e-9) * 1.12, (0..n).into_segmented())
            .map_err(err)?;
        let labels: Vec<String> = self.items.iter().map(|(l, _)| l.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => n
                    .checked_sub(1 + *i)
                    .and_then(|j| labels.get(j))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| fmt(*v))
            .x_desc(self.x_desc.clone())
            .label_style((FONT, font))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(err)?;
        let blue = RGBColor(33, 113, 181);
        chart
            .draw_series(self.items.iter().enumerate().map(|(i, (_, v))| {
                let row = n - 1 - i;
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row)),
                        (*v, SegmentValue::Exact(row + 1)),
                    ],
                    blue.filled(),
                );
                r.set_margin(2, 2, 0, 0);
                r
            }))
            .map_err(err)?;
        chart
            .draw_series(self.items.iter().enumerate().map(|(i, (_, v))| {
                Text::new(
                    fmt(*v),
                    (*v + self.max * 0.01, SegmentValue::CenterOf(n - 1 - i)),
                    (FONT, font * 0.9).into_font().color(&BLACK),
                )
            }))
            .map_err(err)?;
        Ok(())
    }
}
