//! The Länder of an atlas of Germany (`--land all`): the table of the 16 on the start page and a
//! page per Land (`/land/{key}`) with its Kennzahlen, the maps zoomed to it and its Kreise.

use std::borrow::Cow;
use std::fmt::Write;

use super::html::{self, esc, num, pct, table};
use super::{figure_cell, footer, services, stichtag, Links, KREIS_TABLE_FIGURES};
use crate::boundaries::Layer;
use crate::charts::catalog::MapMetric;
use crate::charts::ChartId;
use crate::coverage::figure::Figure;
use crate::coverage::snapshot::Snapshot;
use crate::model::Programme;

/// Units (Länder or Kreise) as table rows with the Kreis table's figures, each linking to its
/// page.
pub(super) fn rows(
    snap: &Snapshot,
    units: &[usize],
    link: impl Fn(&str) -> String,
) -> Vec<Vec<String>> {
    let (raw, f) = (&snap.raw, &snap.current);
    units
        .iter()
        .map(|&u| {
            let (unit, uf) = (&raw.units[u], &f.units[u]);
            let mut row = vec![
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&link(&unit.key)),
                    esc(&unit.name)
                ),
                figure_cell(Figure::Population, unit, uf),
            ];
            row.extend(KREIS_TABLE_FIGURES.iter().map(|(figure, _, of)| match of {
                Some(of) => format!(
                    "{} / {}",
                    figure_cell(*figure, unit, uf),
                    figure_cell(*of, unit, uf)
                ),
                None => figure_cell(*figure, unit, uf),
            }));
            row
        })
        .collect()
}

/// A table of units under the catalogue's headers in the territory's words.
fn units_table(snap: &Snapshot, first: &str, caption: &str, rows: &[Vec<String>]) -> String {
    let territory = snap.raw.registry.territory();
    let headers: Vec<Cow<'_, str>> = std::iter::once(Figure::Population)
        .chain(KREIS_TABLE_FIGURES.iter().map(|(figure, _, _)| *figure))
        .map(|figure| territory.localize(figure.column().header))
        .collect();
    let mut columns = vec![(first, false, None)];
    columns.extend(headers.iter().map(|h| (h.as_ref(), true, None)));
    table(caption, &columns, rows)
}

/// The Länder of an atlas of Germany, each linking to its page; nothing for an atlas of one Land.
pub(super) fn laender_table(snap: &Snapshot, links: &Links) -> String {
    let raw = &snap.raw;
    let mut laender: Vec<usize> = raw.laender().collect();
    if laender.len() < 2 {
        return String::new();
    }
    laender.sort_by(|a, b| raw.units[*a].name.cmp(&raw.units[*b].name));
    let rows = rows(snap, &laender, |key| links.land(key));
    let mut b = String::from("<h2 id=\"laender\">Länder</h2>");
    b.push_str(&units_table(snap, "Land", "Digitallotsen je Land", &rows));
    b
}

/// The maps of one Land of an atlas of Germany: its Gemeinden by Lotsen, its Kreise, its
/// Gemeinden by Standardprozesse.
pub fn land_charts(key: &str) -> [ChartId; 3] {
    let map = |layer, metric| ChartId::Map {
        layer,
        metric,
        kreis: Some(key.to_string()),
    };
    [
        map(Layer::Gemeinden, MapMetric::Lotsen),
        map(Layer::Kreise, MapMetric::Lotsen),
        map(Layer::Gemeinden, MapMetric::Standardprozesse),
    ]
}

/// A Land's page in an atlas of Germany, or None (unknown key, or an atlas of one Land, whose
/// start page is the Land's page).
pub fn land(snap: &Snapshot, links: &Links, key: &str) -> Option<String> {
    let raw = &snap.raw;
    // An atlas of one Land: its start page is the Land's page.
    raw.laender().nth(1)?;
    let u = raw.laender().find(|&u| raw.units[u].key == key)?;
    let (unit, uf) = (&raw.units[u], &snap.current.units[u]);
    let mut b = stichtag(links, snap);
    let _ = write!(
        b,
        "<ul class=\"kennzahlen\"><li><strong id=\"kz-verwaltungen\">{} von {}</strong>{} \
         mit Digitallotse ({})</li>\
         <li><strong id=\"kz-lotsen\">{}</strong>{}, davon {} mit Aufbauschulung</li>\
         <li><strong>{}</strong>Einwohner</li></ul>",
        num(uf.with_lotse(None, None).into()),
        num(uf.administrations_of(None).into()),
        links.how(
            "verwaltungen",
            &format!(
                "Verwaltungen (Gemeinden und {})",
                crate::registry::Territory::parse(key)
                    .map(|t| t.kreis_administrations())
                    .unwrap_or("Kreisverwaltungen")
            )
        ),
        pct(uf.share_with_lotse()),
        num(uf.lotsen_of(None, None).into()),
        links.how("digitallotse", "Digitallotsen"),
        num(uf.lotsen_of(None, Some(Programme::Aufbau)).into()),
        num(unit.population)
    );
    if crate::boundaries::cover(&raw.registry) {
        let [gemeinden, kreise, standard] = land_charts(key);
        b.push_str("<h2>Karten</h2>");
        let name = esc(&unit.name);
        b.push_str(&super::maps::clickable(snap, links, &gemeinden, &format!("Karte der Gemeinden in {name}: grau ohne Digitallotse, hellblau mit Basisqualifizierung, dunkelblau mit Aufbauschulung; Kreisgrenzen schwarz")));
        b.push_str(&super::maps::clickable(snap, links, &kreise, &format!("Karte der Kreise in {name}: Anteil der Verwaltungen mit Digitallotse, je dunkler desto höher")));
        b.push_str(&super::maps::clickable(snap, links, &standard, &format!("Karte der Gemeinden in {name} nach Anteil aktiver Standardprozesse, je dunkler desto mehr")));
    }
    let mut kreise: Vec<usize> = raw
        .kreise
        .iter()
        .copied()
        .filter(|&k| raw.units[k].key.starts_with(key))
        .collect();
    kreise.sort_by(|a, b| raw.units[*a].name.cmp(&raw.units[*b].name));
    let rows = rows(snap, &kreise, |k| links.kreis(k));
    b.push_str("<h2 id=\"kreise\">Kreise</h2>");
    b.push_str(&units_table(
        snap,
        "Kreis",
        &format!("Digitallotsen je Kreis in {}", unit.name),
        &rows,
    ));
    b.push_str(&services::area(snap, links, u, None));
    Some(html::page(
        &unit.name,
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    ))
}
