//! Maps that can be clicked: the map image with an SVG of links laid over it, one per Gemeinde,
//! Kreis or Land, each named with what the map shows of it (a tooltip on hover, the link's
//! name for screen readers and keyboards). No JavaScript; where no map can be drawn, the image
//! alone.

use std::fmt::Write;

use super::html::esc;
use super::{figure, Links};
use crate::boundaries::Layer;
use crate::charts::ChartId;
use crate::coverage::raw::UnitLevel;
use crate::coverage::snapshot::Snapshot;

/// A map of more regions than this links the Kreise instead (Germany's 10,751 Gemeinden at
/// 1,000 pixels are specks, and their outlines would weigh megabytes).
const MAX_LINKED: usize = 1_500;

/// What a click on a region of `layer` opens, and what the region is called.
fn target(snap: &Snapshot, links: &Links, layer: Layer, key: &str) -> Option<(String, String)> {
    let raw = &snap.raw;
    match layer {
        Layer::Gemeinden => {
            let &i = raw.admin_idx.get(key)?;
            Some((links.gemeinde(key), raw.admins[i as usize].name.clone()))
        }
        Layer::Kreise => {
            let u = raw.unit_index(UnitLevel::Kreis, key)?;
            Some((links.kreis(key), raw.units[u].name.clone()))
        }
        Layer::Laender => {
            let u = raw.unit_index(UnitLevel::Land, key)?;
            Some((links.land(key), raw.units[u].name.clone()))
        }
    }
}

/// `chart` as a figure whose regions link to their pages (any other chart: [`figure`]).
pub(super) fn clickable(snap: &Snapshot, links: &Links, chart: &ChartId, alt: &str) -> String {
    clickable_with(snap, links, chart, alt, None)
}

/// The same, with the region of key `here` outlined (a locator map: the page's own Gemeinde in
/// its Kreis); the outline is drawn over the image, also in print, and its link is marked as
/// the current page.
pub(super) fn clickable_with(
    snap: &Snapshot,
    links: &Links,
    chart: &ChartId,
    alt: &str,
    here: Option<&str>,
) -> String {
    let ChartId::Map {
        layer,
        metric,
        kreis,
    } = chart
    else {
        return figure(links, chart, alt);
    };
    let Ok(map) = crate::charts::catalog::map(snap, *layer, metric, kreis.as_deref()) else {
        return figure(links, chart, alt);
    };
    // The image is drawn at its default size and shown at its display size: the links are laid
    // out in the image's own pixels and scaled with it.
    let (iw, ih) = chart.default_size();
    let (w, h) = chart.display_size();
    let linked = match layer {
        Layer::Gemeinden if map.regions() > MAX_LINKED => Layer::Kreise,
        other => *other,
    };
    let (what, click) = match linked {
        Layer::Gemeinden => ("Gemeinde", "eine Gemeinde"),
        Layer::Kreise => ("Kreis", "einen Kreis"),
        Layer::Laender => ("Land", "ein Land"),
    };
    let png = esc(&links.chart(chart));
    let mut b = format!(
        "<figure class=\"karte\"><div class=\"karte-flaeche\"><img src=\"{png}\" alt=\"{}\" \
         width=\"{w}\" height=\"{h}\"><svg class=\"karte-links\" viewBox=\"0 0 {iw} {ih}\" \
         preserveAspectRatio=\"none\" role=\"group\" aria-label=\"Die Karte als Links: ein Link je {what}\">",
        esc(alt)
    );
    let mut outline = None;
    for spot in map.hotspots((iw, ih), linked) {
        let Some((href, name)) = target(snap, links, linked, spot.key) else {
            continue;
        };
        let label = match &spot.class {
            Some(class) => format!("{name}: {class}"),
            None => name,
        };
        let label = esc(&label);
        let current = if here == Some(spot.key) {
            outline = Some(spot.path.clone());
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            b,
            "<a href=\"{}\"{current} aria-label=\"{label}\"><title>{label}</title><path d=\"{}\"/></a>",
            esc(&href),
            spot.path
        );
    }
    b.push_str("</svg>");
    if let Some(path) = outline {
        let _ = write!(
            b,
            "<svg class=\"karte-hier\" viewBox=\"0 0 {iw} {ih}\" preserveAspectRatio=\"none\" \
             aria-hidden=\"true\"><path d=\"{path}\"/></svg>"
        );
    }
    let svg = links
        .chart_svg(chart)
        .map(|svg| format!(" · <a href=\"{}\">SVG</a>", esc(&svg)))
        .unwrap_or_default();
    let _ = write!(
        b,
        "</div><figcaption>Ein Klick auf {click} öffnet die Seite dazu. Grafik \
         herunterladen: <a href=\"{png}\" download>PNG</a>{svg}</figcaption></figure>"
    );
    b
}
