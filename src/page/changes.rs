//! "Was hat sich geändert": `/aenderungen?von=&bis=[&kreis=]` — new Lotsen and Aufbau
//! courses, processes switched on and off, Onlinedienste new, gone or broken, per Kreis and per
//! administration (the engine's `Changes`, formatted), with the workbook and the Atom feed.

use std::fmt::Write;

use super::html::{esc, num, table};
use super::{footer, Links};
use crate::coverage::changes::{Changes, Totals};
use crate::coverage::snapshot::Snapshot;

/// Where the page's form, feed and workbook point (the service builds them; a report has none).
#[derive(Debug, Clone)]
pub struct ChangeLinks {
    pub feed: String,
    pub xlsx: String,
}

/// The label of a count: singular for one.
fn label(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn totals_list(t: &Totals) -> String {
    format!(
        "<ul class=\"kennzahlen\"><li><strong id=\"ae-lotsen\">{}</strong>{}</li>\
         <li><strong>{}</strong>{}</li>\
         <li><strong id=\"ae-an\">{}</strong>{}</li>\
         <li><strong>{}</strong>{}</li>\
         <li><strong>{} / {} / {}</strong>Onlinedienste neu / weggefallen / Link gestört</li></ul>",
        num(t.lotsen_new.into()),
        label(t.lotsen_new, "neuer Digitallotse", "neue Digitallotsen"),
        num(t.aufbau_new.into()),
        label(t.aufbau_new, "neue Aufbauschulung", "neue Aufbauschulungen"),
        num(t.switched_on.into()),
        label(
            t.switched_on,
            "Prozess freigeschaltet",
            "Prozesse freigeschaltet"
        ),
        num(t.switched_off.into()),
        label(
            t.switched_off,
            "Prozess abgeschaltet",
            "Prozesse abgeschaltet"
        ),
        num(t.services_new.into()),
        num(t.services_gone.into()),
        num(t.services_broken.into()),
    )
}

fn totals_cells(t: &Totals) -> Vec<String> {
    [
        t.lotsen_new,
        t.aufbau_new,
        t.switched_on,
        t.switched_off,
        t.services_new,
        t.services_gone,
        t.services_broken,
    ]
    .iter()
    .map(|v| num((*v).into()))
    .collect()
}

const COUNT_HEADERS: [&str; 7] = [
    "neue Lotsen",
    "neue Aufbau",
    "freigeschaltet",
    "abgeschaltet",
    "Onlinedienste neu",
    "weggefallen",
    "gestört",
];

fn headers(first: &'static str) -> Vec<(&'static str, bool, Option<String>)> {
    std::iter::once((first, false, None))
        .chain(COUNT_HEADERS.iter().map(|h| (*h, true, None)))
        .collect()
}

/// The form to pick the span and the Kreis.
fn form(snap: &Snapshot, c: &Changes, kreis: Option<usize>) -> String {
    let raw = &snap.raw;
    let mut b = format!(
        "<form method=\"get\" action=\"/aenderungen\"><label>von <input type=\"date\" name=\"von\" \
         value=\"{}\"></label> <label>bis <input type=\"date\" name=\"bis\" value=\"{}\"></label> \
         <label>Kreis <select name=\"kreis\"><option value=\"\">alle</option>",
        c.from, c.to
    );
    for (k, &u) in raw.kreise.iter().enumerate() {
        let unit = &raw.units[u];
        let selected = if Some(k) == kreis { " selected" } else { "" };
        let _ = write!(
            b,
            "<option value=\"{}\"{selected}>{}</option>",
            esc(&unit.key),
            esc(&unit.name)
        );
    }
    b.push_str("</select></label> <button type=\"submit\">Zeigen</button></form>");
    b
}

/// The page; `links` of the service (the span and the Kreis are in `c` and `kreis`).
pub fn page(
    snap: &Snapshot,
    links: &Links,
    c: &Changes,
    kreis: Option<usize>,
    out: &ChangeLinks,
) -> String {
    let raw = &snap.raw;
    let area = match kreis {
        Some(k) => raw.units[raw.kreise[k]].name.clone(),
        None => raw.registry.territory().name().to_string(),
    };
    let mut b = form(snap, c, kreis);
    let _ = write!(
        b,
        "<p>Vom {} (ausschließlich) bis {} in {}. <a href=\"{}\">Als Excel-Arbeitsmappe</a> · \
         <a href=\"{}\">Als Atom-Feed abonnieren</a> (ein Eintrag je Monat)</p>",
        c.from.format("%d.%m.%Y"),
        c.to.format("%d.%m.%Y"),
        esc(&area),
        esc(&out.xlsx),
        esc(&out.feed)
    );
    if c.from >= c.to {
        b.push_str("<p class=\"fehler\">„von“ liegt nicht vor „bis“: ein leerer Zeitraum.</p>");
    }
    b.push_str(&totals_list(&c.totals()));
    if kreis.is_none() {
        let rows: Vec<Vec<String>> = c
            .by_kreis(raw)
            .iter()
            .map(|(k, t)| {
                let unit = &raw.units[raw.kreise[*k]];
                let name = format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&links.kreis(&unit.key)),
                    esc(&unit.name)
                );
                std::iter::once(name).chain(totals_cells(t)).collect()
            })
            .collect();
        b.push_str("<h2 id=\"ae-kreise\">Je Kreis</h2>");
        b.push_str(&table("Änderungen je Kreis", &headers("Kreis"), &rows));
    }
    b.push_str(&admin_table(snap, links, c));
    super::html::page(
        &format!("Was hat sich geändert: {area}"),
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    )
}

fn admin_table(snap: &Snapshot, links: &Links, c: &Changes) -> String {
    let raw = &snap.raw;
    let names = |ps: &[usize]| {
        ps.iter()
            .map(|&p| esc(&raw.processes[p].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows: Vec<Vec<String>> = c
        .admins
        .iter()
        .map(|a| {
            let admin = &raw.admins[a.admin];
            let name = match admin.kind {
                crate::model::AdminKind::Gemeinde => format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&links.gemeinde(&admin.id)),
                    esc(&admin.name)
                ),
                crate::model::AdminKind::Landratsamt => esc(&admin.name),
            };
            vec![
                name,
                num(a.lotsen_new.into()),
                num(a.aufbau_new.into()),
                names(&a.switched_on),
                names(&a.switched_off),
                num(a.services_new.into()),
                num(a.services_gone.into()),
                num(a.services_broken.into()),
            ]
        })
        .collect();
    let mut b = format!(
        "<h2 id=\"ae-verwaltungen\">Je Verwaltung ({})</h2>",
        num(rows.len() as i64)
    );
    if rows.is_empty() {
        b.push_str("<p>Keine Änderungen in diesem Zeitraum.</p>");
        return b;
    }
    let mut h = headers("Verwaltung");
    h[3] = ("Prozesse freigeschaltet", false, None);
    h[4] = ("Prozesse abgeschaltet", false, None);
    b.push_str(&table("Änderungen je Verwaltung", &h, &rows));
    b
}
