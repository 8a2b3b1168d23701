//! Charts and maps rendered with plotters from the coverage snapshot, as PNG or SVG: choropleth
//! maps (`map`), progress over time with a forecast (`progress`) and bar charts (`bars`). Fonts
//! are embedded (DejaVu Sans, see assets/fonts); no system font is needed.

mod bars;
pub mod catalog;
mod history;
mod id;
pub mod map;
mod progress;

use std::sync::OnceLock;

pub use id::ChartId;

use plotters::coord::Shift;
use plotters::prelude::*;

/// Output format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Png,
    Svg,
}

impl Encoding {
    pub fn parse(v: &str) -> Option<Encoding> {
        match v {
            "png" => Some(Encoding::Png),
            "svg" => Some(Encoding::Svg),
            _ => None,
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Png => "image/png",
            Encoding::Svg => "image/svg+xml",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Png => "png",
            Encoding::Svg => "svg",
        }
    }
}

/// Smallest and largest accepted width or height in pixels.
pub const MIN_SIZE: u32 = 200;
pub const MAX_SIZE: u32 = 4000;

/// The font family every chart uses (registered from the embedded files).
pub const FONT: &str = "sans-serif";
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded fonts with plotters (once).
pub fn fonts() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // The files are part of the build; a broken one fails every rendering test.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, BOLD);
    });
}

/// What every chart prints beside its figures.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    /// "Datenstand: 23.11.2026" and, for synthetic data, the Demodaten mark.
    pub subtitle: String,
    /// Source and licence line.
    pub attribution: String,
}

/// A rendering failure (never the input's fault: the input is a snapshot).
#[derive(Debug, thiserror::Error)]
#[error("chart rendering: {0}")]
pub struct ChartError(pub String);

pub(crate) fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// Something that draws itself on any plotters backend.
pub trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Renders a chart into PNG or SVG bytes of the given size.
pub fn render(
    format: Encoding,
    (w, h): (u32, u32),
    chart: &impl Chart,
) -> Result<Vec<u8>, ChartError> {
    fonts();
    match format {
        Encoding::Png => {
            let mut buf = vec![255u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                chart.draw(&root)?;
                root.present().map_err(err)?;
            }
            let mut out = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut out, w, h);
                enc.set_color(png::ColorType::Rgb);
                enc.set_depth(png::BitDepth::Eight);
                enc.set_compression(png::Compression::Fast);
                let mut writer = enc.write_header().map_err(err)?;
                writer.write_image_data(&buf).map_err(err)?;
            }
            Ok(out)
        }
        Encoding::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                chart.draw(&root)?;
                root.present().map_err(err)?;
            }
            Ok(s.into_bytes())
        }
    }
}

/// The left and right margin of [`frame`].
const FRAME_SIDE: u32 = 8;

/// The top (title, subtitle) and bottom (attribution) margins of [`frame`] for a chart `w`
/// pixels wide.
fn frame_margins(w: u32) -> (u32, u32) {
    let title_size = (w as f64 / 34.0).clamp(12.0, 30.0);
    let small = (title_size * 0.6).max(9.0);
    ((24.0 + title_size + small) as u32, (small + 14.0) as u32)
}

/// Where [`frame`] leaves the chart in an image of `size`: left, top, width and height in
/// pixels (for links laid over the image).
pub fn chart_area(size: (u32, u32)) -> (f64, f64, u32, u32) {
    let (w, h) = size;
    let (top, bottom) = frame_margins(w);
    (
        f64::from(FRAME_SIDE),
        f64::from(top),
        w.saturating_sub(2 * FRAME_SIDE),
        h.saturating_sub(top + bottom),
    )
}

/// How wide `text` is, in pixels, at `size` in the charts' embedded font (registered by
/// [`fonts`]).
pub fn text_width(text: &str, size: f64, style: FontStyle) -> f64 {
    (FONT, size, style)
        .into_font()
        .box_size(text)
        .map_or(0.0, |(w, _)| f64::from(w))
}

/// `text` as it fits into `width` pixels: at `size` if it fits, else at the largest size down
/// to `min` that does, else at `min` and shortened with "…" (never past the image's edge).
pub fn fit_text(
    text: &str,
    style: FontStyle,
    (size, min): (f64, f64),
    width: f64,
) -> (String, f64) {
    let wide = |t: &str, s: f64| text_width(t, s, style);
    let mut s = size;
    while s > min && wide(text, s) > width {
        s = (s - 0.5).max(min);
    }
    if wide(text, s) <= width {
        return (text.to_string(), s);
    }
    let mut chars: Vec<char> = text.chars().collect();
    while chars.pop().is_some() {
        let t = format!("{}…", chars.iter().collect::<String>().trim_end());
        if wide(&t, s) <= width {
            return (t, s);
        }
    }
    ("…".to_string(), s)
}

/// Title, subtitle and attribution around a chart; returns the area left for the chart.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Frame,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let title_size = (w as f64 / 34.0).clamp(12.0, 30.0);
    let small = (title_size * 0.6).max(9.0);
    // Long Kreis names and attributions shrink (down to 60 %), then end in "…".
    let room = f64::from(w) - 24.0;
    let (title, size) = fit_text(
        &f.title,
        FontStyle::Bold,
        (title_size, title_size * 0.6),
        room,
    );
    root.draw(&Text::new(
        title,
        (12, 10),
        (FONT, size, FontStyle::Bold).into_font().color(&BLACK),
    ))
    .map_err(err)?;
    for (text, y, grey) in [
        (&f.subtitle, 14 + title_size as i32, 80),
        (&f.attribution, h as i32 - small as i32 - 6, 90),
    ] {
        let (text, size) = fit_text(text, FontStyle::Normal, (small, small * 0.75), room);
        root.draw(&Text::new(
            text,
            (12, y),
            (FONT, size).into_font().color(&RGBColor(grey, grey, grey)),
        ))
        .map_err(err)?;
    }
    let (top, bottom) = frame_margins(w);
    Ok(root.margin(top, bottom, FRAME_SIDE, FRAME_SIDE))
}

/// The line charts' series colours: counts of administrations and Standardprozesse (blue),
/// Lotsen and Universalprozesse (green), an administration's own Lotsen (orange), the target (red).
pub(crate) const LINE_BLUE: RGBColor = RGBColor(8, 81, 156);
pub(crate) const LINE_GREEN: RGBColor = RGBColor(49, 163, 84);
pub(crate) const LINE_ORANGE: RGBColor = RGBColor(230, 85, 13);
pub(crate) const LINE_RED: RGBColor = RGBColor(203, 24, 29);

/// The series' legend of a line chart, top left on a white box.
pub(crate) fn series_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font: f64,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, font))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(err)
}

/// A legend box: colored squares with labels, top-left of `area` at `(x, y)`.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    entries: &[(RGBColor, String)],
    size: f64,
) -> Result<(), ChartError> {
    let line = (size * 1.5) as i32;
    for (i, (color, label)) in entries.iter().enumerate() {
        let y = y + i as i32 * line;
        let s = size as i32;
        area.draw(&Rectangle::new([(x, y), (x + s, y + s)], color.filled()))
            .map_err(err)?;
        area.draw(&Rectangle::new(
            [(x, y), (x + s, y + s)],
            BLACK.stroke_width(1),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            label.clone(),
            (x + s + 6, y),
            (FONT, size).into_font().color(&BLACK),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// "Datenstand: 23.11.2026", with the Demodaten mark for synthetic data.
pub fn data_date(as_of: chrono::NaiveDate, demo: bool) -> String {
    let d = format!("Datenstand: {}", as_of.format("%d.%m.%Y"));
    if demo {
        format!("{d} · Demodaten (synthetisch, nicht amtlich)")
    } else {
        d
    }
}
