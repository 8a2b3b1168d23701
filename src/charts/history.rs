//! One administration's history as steps over time: its active Standardprozesse and
//! Universalprozesse and its Digitallotsen (the Steckbrief's chart).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::progress::year;
use super::{err, frame, series_legend, Chart, ChartError, Frame, FONT};

/// One series: its legend words, colour, line width and a value per point.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub color: RGBColor,
    pub width: u32,
    pub values: Vec<f64>,
}

#[derive(Debug)]
pub struct History {
    pub frame: Frame,
    pub dates: Vec<chrono::NaiveDate>,
    pub series: Vec<Series>,
}

impl History {
    /// The steps of one series: a value holds until the next day's.
    fn steps(&self, values: &[f64]) -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(values.len() * 2);
        for (i, (&d, &v)) in self.dates.iter().zip(values).enumerate() {
            if i > 0 {
                out.push((year(d), values[i - 1]));
            }
            out.push((year(d), v));
        }
        out
    }
}

impl Chart for History {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame(root, &self.frame)?;
        let (w, _) = area.dim_in_pixel();
        let font = (w as f64 / 60.0).clamp(10.0, 16.0);
        let first = self.dates.first().map_or(2018.8, |d| year(*d));
        let last = self.dates.last().map_or(first + 1.0, |d| year(*d));
        let top = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(1.0, f64::max);
        // Whole numbers on the axis, with room above the highest step for the legend.
        let y_max = (top * 1.35).ceil().max(4.0);
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(font * 2.6)
            .y_label_area_size(font * 3.0)
            .build_cartesian_2d(first.floor()..last.max(first + 1.0), 0.0..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_labels((y_max as usize + 1).min(11))
            .x_desc("Jahr")
            .y_desc("Anzahl")
            .label_style((FONT, font))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(err)?;
        for s in &self.series {
            let style = s.color.stroke_width(s.width);
            chart
                .draw_series(LineSeries::new(self.steps(&s.values), style))
                .map_err(err)?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
        }
        series_legend(&mut chart, font)
    }
}
