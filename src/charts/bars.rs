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
        // Labels measured in the font they are drawn in; one longer than 45 % of the width ends
        // in "…" instead of running past the image's left edge.
        let cap = w as f64 * 0.45;
        let labels: Vec<String> = self
            .items
            .iter()
            .map(|(l, _)| super::fit_text(l, FontStyle::Normal, (font, font), cap).0)
            .collect();
        let label_w = labels
            .iter()
            .map(|l| super::text_width(l, font, FontStyle::Normal))
            .fold(0.0, f64::max);
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

#[cfg(test)]
mod tests {
    use super::super::{fit_text, fonts, render, Encoding, Frame};
    use super::*;

    const LONG: &str = "Auskunfts- und Übermittlungssperren im Melderegister Eintragung \
                        Auskunftssperre und Übermittlungssperre nach dem Bundesmeldegesetz";

    #[test]
    fn text_shrinks_then_ends_in_an_ellipsis_within_its_room() {
        fonts();
        let wide = |t: &str, s: f64| (FONT, s).into_font().box_size(t).unwrap().0 as f64;
        assert_eq!(
            fit_text("Kurz", FontStyle::Normal, (20.0, 12.0), 300.0),
            ("Kurz".into(), 20.0)
        );
        let (t, s) = fit_text(LONG, FontStyle::Normal, (20.0, 12.0), 300.0);
        assert_eq!(s, 12.0);
        assert!(t.ends_with('…') && wide(&t, s) <= 300.0, "{t}");
        // A little too long: only smaller.
        let (t, s) = fit_text(
            "Landkreis Breisgau-Hochschwarzwald",
            FontStyle::Normal,
            (20.0, 10.0),
            300.0,
        );
        assert!(
            !t.ends_with('…') && s < 20.0 && wide(&t, s) <= 300.0,
            "{t} {s}"
        );
    }

    #[test]
    fn long_labels_and_titles_stay_inside_the_image() {
        let bars = Bars {
            frame: Frame {
                title: format!("Aktive Prozesse je Gemeinde: {LONG}"),
                subtitle: "Datenstand: 06.12.2026".into(),
                attribution: "Quelle: digitalatlas".into(),
            },
            items: vec![(LONG.to_string(), 0.5), ("Hundesteuer".into(), 0.9)],
            max: 1.0,
            percent: true,
            x_desc: "Anteil".into(),
        };
        let svg = String::from_utf8(render(Encoding::Svg, (600, 300), &bars).unwrap()).unwrap();
        assert!(!svg.contains(LONG), "the long label is shortened");
        assert!(svg.contains("Auskunfts- und") && svg.contains('…'), "{svg}");
        assert!(svg.contains("Hundesteuer"), "{svg}");
    }
}
