//! Progress over time: administrations with a Lotse against the target (every Gemeinde and
//! Landkreis), Lotsen, the published milestones as marks, and a forecast of when the target is
//! reached: a least-squares line through the last 12 month-end values, drawn dashed from the last
//! value to the target.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, frame, series_legend, Chart, ChartError, Frame, FONT};
use super::{LINE_BLUE, LINE_GREEN, LINE_RED};

/// One month-end value.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub date: NaiveDate,
    pub administrations_with_lotse: f64,
    pub lotsen: f64,
}

/// A published figure to mark: date, value, label.
#[derive(Debug, Clone)]
pub struct Milestone {
    pub date: NaiveDate,
    pub value: f64,
    pub label: String,
}

#[derive(Debug)]
pub struct Progress {
    pub frame: Frame,
    pub points: Vec<Point>,
    /// Administrations in all (the target).
    pub target: f64,
    pub milestones: Vec<Milestone>,
}

/// Years as a float axis: 2021.5 is mid-2021.
pub(super) fn year(d: NaiveDate) -> f64 {
    d.year() as f64 + d.ordinal0() as f64 / 365.25
}

/// When the target is reached at the recent rate: least squares over the last 12 points of
/// administrations with a Lotse; None if there is no growth. Returns (year, slope per year).
pub(super) fn forecast(points: &[Point], target: f64) -> Option<(f64, f64)> {
    let recent = &points[points.len().saturating_sub(12)..];
    if recent.len() < 3 {
        return None;
    }
    let n = recent.len() as f64;
    let xs: Vec<f64> = recent.iter().map(|p| year(p.date)).collect();
    let ys: Vec<f64> = recent
        .iter()
        .map(|p| p.administrations_with_lotse)
        .collect();
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    if slope <= 0.0 {
        return None;
    }
    let last = recent.last()?;
    let reached = year(last.date) + (target - last.administrations_with_lotse).max(0.0) / slope;
    Some((reached, slope))
}

/// "03/2031" from a float year.
pub(super) fn month_label(y: f64) -> String {
    let year = y.floor();
    let month = ((y - year) * 12.0).floor() as u32 + 1;
    format!("{:02}/{}", month.min(12), year as i32)
}

impl Chart for Progress {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame(root, &self.frame)?;
        let (w, _) = area.dim_in_pixel();
        let font = (w as f64 / 70.0).clamp(10.0, 16.0);
        let first = self.points.first().map(|p| year(p.date)).unwrap_or(2018.8);
        let last = self
            .points
            .last()
            .map(|p| year(p.date))
            .unwrap_or(first + 1.0);
        let fc = forecast(&self.points, self.target);
        // At most 8 years beyond the data, so that the history stays readable.
        let x_end = fc.map(|(y, _)| y.min(last + 8.0)).unwrap_or(last).max(last) + 0.5;
        let y_max = self
            .points
            .iter()
            .map(|p| p.lotsen.max(p.administrations_with_lotse))
            .fold(self.target, f64::max)
            * 1.08;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(font * 2.6)
            .y_label_area_size(font * 4.0)
            .build_cartesian_2d(first.floor()..x_end, 0.0..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| crate::format::num(*y as i64))
            .x_desc("Jahr")
            .y_desc("Anzahl")
            .label_style((FONT, font))
            .light_line_style(RGBColor(240, 240, 240))
            .draw()
            .map_err(err)?;
        self.draw_lines(&mut chart, first.floor(), x_end)?;
        if let (Some((reached, _)), Some(lastp)) = (fc, self.points.last()) {
            self.draw_forecast(
                &mut chart,
                (last, lastp.administrations_with_lotse),
                reached,
                x_end,
            )?;
        }
        self.draw_milestones(&mut chart, &area, font)?;
        series_legend(&mut chart, font)
    }
}

impl Progress {
    /// The target (red), administrations with a Lotse (blue) and Lotsen (green), with their
    /// legend entries.
    fn draw_lines<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        x_start: f64,
        x_end: f64,
    ) -> Result<(), ChartError> {
        let (blue, teal, red) = (LINE_BLUE, LINE_GREEN, LINE_RED);
        chart
            .draw_series(LineSeries::new(
                [(x_start, self.target), (x_end, self.target)],
                red.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!(
                "Ziel: {} Verwaltungen",
                crate::format::num(self.target as i64)
            ))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], red.stroke_width(2)));
        chart
            .draw_series(LineSeries::new(
                self.points
                    .iter()
                    .map(|p| (year(p.date), p.administrations_with_lotse)),
                blue.stroke_width(3),
            ))
            .map_err(err)?
            .label("Verwaltungen mit Lotse")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], blue.stroke_width(3)));
        chart
            .draw_series(LineSeries::new(
                self.points.iter().map(|p| (year(p.date), p.lotsen)),
                teal.stroke_width(2),
            ))
            .map_err(err)?
            .label("Digitallotsen (Personen)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], teal.stroke_width(2)));
        Ok(())
    }
}

/// The chart area of the progress chart: years × counts.
type Plot<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

impl Progress {
    /// The dashed forecast from the last point (`last` year, `last_value`) to the target,
    /// reached in year `reached` (cut at `x_end`).
    fn draw_forecast<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Plot<'a, DB>,
        (last, last_value): (f64, f64),
        reached: f64,
        x_end: f64,
    ) -> Result<(), ChartError> {
        let blue = LINE_BLUE;
        let end = reached.min(x_end);
        let y_end = if reached <= x_end {
            self.target
        } else {
            last_value + (self.target - last_value) * (end - last) / (reached - last)
        };
        chart
            .draw_series(DashedLineSeries::new(
                [(last, last_value), (end, y_end)],
                8,
                6,
                blue.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!(
                "Prognose: Ziel etwa {} (Trend der letzten 12 Monate)",
                month_label(reached)
            ))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (7, 0)], blue.stroke_width(2))
                    + PathElement::new([(12, 0), (20, 0)], blue.stroke_width(2))
            });
        Ok(())
    }

    /// The published milestones as labelled dots: the dots first, then the labels, each to the
    /// right of its dot unless that covers a label already placed (then to the left).
    fn draw_milestones<'a, DB: DrawingBackend + 'a>(
        &self,
        chart: &mut Plot<'a, DB>,
        area: &DrawingArea<DB, Shift>,
        font: f64,
    ) -> Result<(), ChartError> {
        let at = |m: &Milestone| (year(m.date), m.value);
        chart
            .draw_series(
                self.milestones
                    .iter()
                    .map(|m| EmptyElement::at(at(m)) + Circle::new((0, 0), 5, BLACK.filled())),
            )
            .map_err(err)?;
        let mut placed: Vec<[(i32, i32); 2]> = Vec::new();
        for m in &self.milestones {
            let label = (FONT, font * 0.9).into_font().color(&BLACK);
            // A light box behind the text keeps it readable where it crosses a line.
            let (tw, th) = area.estimate_text_size(&m.label, &label).map_err(err)?;
            let (tw, th) = (tw as i32, th as i32);
            let (x, y) = chart.backend_coord(&at(m));
            // Right below the dot, right above it, left below, left above.
            let candidates = [
                [(7, 2), (11 + tw, 6 + th)],
                [(7, -6 - th), (11 + tw, -2)],
                [(-11 - tw, 2), (-7, 6 + th)],
                [(-11 - tw, -6 - th), (-7, -2)],
            ];
            let free = |r: &&[(i32, i32); 2]| {
                !placed.iter().any(|q| {
                    x + r[0].0 < q[1].0
                        && q[0].0 < x + r[1].0
                        && y + r[0].1 < q[1].1
                        && q[0].1 < y + r[1].1
                })
            };
            let rect = *candidates.iter().find(free).unwrap_or(&candidates[0]);
            placed.push([
                (x + rect[0].0, y + rect[0].1),
                (x + rect[1].0, y + rect[1].1),
            ]);
            chart
                .draw_series([EmptyElement::at(at(m))
                    + Rectangle::new(rect, WHITE.mix(0.85).filled())
                    + Text::new(m.label.clone(), (rect[0].0 + 2, rect[0].1 + 2), label)])
                .map_err(err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_extends_the_recent_line() {
        let points: Vec<Point> = (1..=12)
            .map(|m| Point {
                date: NaiveDate::from_ymd_opt(2025, m, 28).unwrap(),
                administrations_with_lotse: 500.0 + 10.0 * m as f64,
                lotsen: 0.0,
            })
            .collect();
        let (reached, slope) = forecast(&points, 1136.0).unwrap();
        // 10 per month = about 120 a year; 516 missing after Dec 2025: about 4.3 years.
        assert!((slope - 120.0).abs() < 6.0, "{slope}");
        assert!((2030.0..2030.6).contains(&reached), "{reached}");
        let flat: Vec<Point> = points
            .iter()
            .map(|p| Point {
                administrations_with_lotse: 600.0,
                ..*p
            })
            .collect();
        assert!(forecast(&flat, 1136.0).is_none());
    }
}
