//! A Verwaltungsverband's page (`/verband/{key}`): a Gemeindeverwaltungsverband or vereinbarte
//! Verwaltungsgemeinschaft of two or more Gemeinden, its figures from the catalogue and its
//! members with their Lotsen and processes; and the list of a Kreis' Verbände on its page.

use std::fmt::Write;

use super::html::{self, esc, num, table};
use super::{figure_cell, footer, stichtag, Links};
use crate::coverage::figure::Figure;
use crate::coverage::figures::{lotse_class, lotse_words};
use crate::coverage::raw::{RawData, UnitLevel};
use crate::coverage::snapshot::Snapshot;

/// The figures a Verband's page shows, in this order (names, headers and values from the
/// catalogue).
const FIGURES: [Figure; 9] = [
    Figure::Population,
    Figure::GemeindenWithLotse,
    Figure::ShareGemeindenWithLotse,
    Figure::GemeindenViaVerband,
    Figure::Lotsen,
    Figure::LotsenAufbau,
    Figure::StandardProcessesAvg,
    Figure::OnlinediensteFlaechendeckend,
    Figure::AccountsBuerger,
];

/// The members (administration indices) of the Verband with 9-digit `key`, in registry order.
fn members<'a>(raw: &'a RawData, key: &str) -> &'a [u32] {
    let associations = raw.registry.associations();
    associations
        .binary_search_by(|a| a.verband_ars.as_str().cmp(key))
        .ok()
        .and_then(|v| raw.verbaende.members.get(&(v as u32)))
        .map_or(&[], Vec::as_slice)
}

/// A Verband's page, or None if no Verband of two or more Gemeinden has the key.
pub fn verband(snap: &Snapshot, links: &Links, key: &str) -> Option<String> {
    let raw = &snap.raw;
    let f = &snap.current;
    let u = raw.unit_index(UnitLevel::Verband, key)?;
    let unit = &raw.units[u];
    let uf = &f.units[u];
    let kreis = unit
        .parent
        .as_deref()
        .and_then(|k| raw.unit_index(UnitLevel::Kreis, k))
        .map(|k| &raw.units[k]);
    let members = members(raw, key);
    let mut b = stichtag(links, snap);
    let _ = write!(b, "<p>{}", esc(&unit.kind));
    if let Some(k) = kreis {
        let _ = write!(
            b,
            " im <a href=\"{}\">{}</a>",
            esc(&links.kreis(&k.key)),
            esc(&k.name)
        );
    }
    let _ = write!(
        b,
        " · {} Gemeinden · {} Einwohner · Schlüssel {}</p>",
        members.len(),
        num(unit.population),
        esc(key)
    );
    let rows: Vec<Vec<String>> = FIGURES
        .iter()
        .map(|&figure| {
            let header = raw.registry.territory().localize(figure.column().header);
            vec![
                links.how(&format!("kz-{}", figure.name()), &header),
                figure_cell(figure, unit, uf),
            ]
        })
        .collect();
    b.push_str("<h2 id=\"kennzahlen\">Kennzahlen</h2>");
    b.push_str(&table(
        &format!("Kennzahlen des Verbands {}", unit.name),
        &[("Kennzahl", false, None), ("Wert", true, None)],
        &rows,
    ));
    b.push_str(&member_table(snap, links, members));
    if let Some(k) = kreis {
        let (label, api, file) = super::verbaende_download(&k.key);
        let _ = write!(
            b,
            "<p class=\"nur-bildschirm\"><a href=\"{}\">{}</a></p>",
            esc(&links.download(&api, &file)),
            esc(label)
        );
    }
    Some(html::page(
        &unit.name,
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    ))
}

/// The member Gemeinden with their Lotse, processes and whether they are reachable through the
/// Verband.
fn member_table(snap: &Snapshot, links: &Links, members: &[u32]) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let rows: Vec<Vec<String>> = members
        .iter()
        .map(|&i| {
            let (i, a) = (i as usize, &raw.admins[i as usize]);
            let reachable = raw.verbaende.reachable(&f.admin_lotsen, i);
            vec![
                super::admin_link(links, a),
                num(a.population),
                lotse_words(lotse_class(f.admin_lotsen[i])).to_string(),
                if reachable { "ja" } else { "–" }.to_string(),
                f.admin_ozg[i].standard.to_string(),
                f.admin_ozg[i].universal.to_string(),
            ]
        })
        .collect();
    let mut b = String::from("<h2 id=\"gemeinden\">Die Gemeinden des Verbands</h2>");
    b.push_str(&table(
        "Mitgliedsgemeinden, ihre Digitallotsen und Prozesse",
        &[
            ("Gemeinde", false, None),
            ("Einwohner", true, None),
            ("Digitallotse", false, None),
            ("über den Verband erreichbar", false, None),
            ("aktive Standardprozesse", true, None),
            ("aktive Universalprozesse", true, None),
        ],
        &rows,
    ));
    b
}

/// The Verbände of the Kreis unit `kreis` on its page: each linked, with its Gemeinden, those
/// with a Lotse and those reachable through the Verband. Empty where the Kreis has none.
pub(super) fn kreis_section(snap: &Snapshot, links: &Links, kreis: &str) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let rows: Vec<Vec<String>> = raw
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.level == UnitLevel::Verband && u.parent.as_deref() == Some(kreis))
        .map(|(u, unit)| {
            let uf = &f.units[u];
            vec![
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&links.verband(&unit.key)),
                    esc(&unit.name)
                ),
                esc(&unit.kind),
                figure_cell(Figure::Gemeinden, unit, uf),
                figure_cell(Figure::GemeindenWithLotse, unit, uf),
                figure_cell(Figure::GemeindenViaVerband, unit, uf),
            ]
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let header = |figure: Figure| figure.column().header;
    let mut b = String::from("<h2 id=\"verbaende\">Verwaltungsverbände</h2>");
    b.push_str(&table(
        "Verwaltungsverbände und vereinbarte Verwaltungsgemeinschaften des Kreises",
        &[
            ("Verband", false, None),
            ("Art", false, None),
            (header(Figure::Gemeinden), true, None),
            (header(Figure::GemeindenWithLotse), true, None),
            (header(Figure::GemeindenViaVerband), true, None),
        ],
        &rows,
    ));
    b
}
