//! The federal Onlinedienste on the pages: a Gemeinde's list (link, status, who offers it), an
//! area's reach per service beside the federal class, and the broken links with who offers
//! them (who to call). The engine computes; this formats.

use std::fmt::Write;

use super::html::{esc, num, pct, table};
use super::Links;
use crate::coverage::figures::ratio;
use crate::coverage::onlinedienste::Origin;
use crate::coverage::services::{broken_links, offered_by};
use crate::coverage::Snapshot;
use crate::model::rows::{web_url, ONLINEDIENSTE_SOURCE};
use crate::model::{AdminKind, Reach};
use crate::registry::Level;

/// Most rows of a page's lists; the workbooks have all.
const LIST_MAX: usize = 50;

/// A link a browser may open (`model::rows::web_url`), never followed by search engines;
/// anything else as text.
fn link(url: &str) -> String {
    match web_url(url) {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"nofollow noopener\">{}</a>",
            esc(url),
            esc(url)
        ),
        None => esc(url),
    }
}

/// The name of the region with `key` (the Bund, a Gemeindeverband the registry does not hold).
fn region_name(snap: &Snapshot, key: &str) -> String {
    if key == crate::coverage::onlinedienste::BUND {
        return "Bund".into();
    }
    snap.raw
        .registry
        .by_ars(key)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| key.to_string())
}

fn no_data() -> String {
    "<p>Noch keine Onlinedienste importiert. Die offenen Daten des Bundes holt \
     <code>digitalatlas fetch onlinedienste --ars 080000000000 --import</code>.</p>"
        .to_string()
}

/// The Gemeinde page's section: every Onlinedienst available to it.
pub(super) fn gemeinde(snap: &Snapshot, links: &Links, admin: usize, ags: &str) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let mut b = String::from("<h2 id=\"onlinedienste\">Onlinedienste im Portalverbund (Bund)</h2>");
    let Some(region) = raw
        .registry
        .by_ars(ags)
        .filter(|r| r.level == Level::Gemeinde)
    else {
        return b;
    };
    if raw.onlinedienste.is_empty() {
        b.push_str(&no_data());
        return b;
    }
    let s = f.services.admins[admin];
    let _ = write!(
        b,
        "<ul class=\"kennzahlen\"><li><strong id=\"kz-onlinedienste\">{}</strong>{}</li>\
         <li><strong>{}</strong>davon von der Gemeinde selbst angeboten</li>\
         <li><strong>{}</strong>mit nicht erreichbarem Link</li></ul>",
        num(s.total.into()),
        links.how("kz-onlinedienste", "Onlinedienste verfügbar"),
        num(s.own.into()),
        num(s.broken.into())
    );
    let rows = gemeinde_rows(snap, admin, &region.ars);
    let portal_process = raw.registry.territory().localize("service-bw-Prozess");
    b.push_str(&table(
        &format!("Onlinedienste für {}", region.name),
        &[
            ("Leistung", false, None),
            ("LeiKa-Schlüssel", false, None),
            ("Angeboten von", false, None),
            ("Onlinedienst", false, None),
            ("Link erreichbar", false, None),
            ("Flächendeckung (Bund)", false, None),
            ("Datenstand", false, None),
            (portal_process.as_ref(), false, None),
        ],
        &rows,
    ));
    let _ = write!(
        b,
        "<p><a href=\"{}\">Als Excel-Arbeitsmappe</a> · {}</p>",
        esc(&links.download(
            &format!(
                "/api/v1/onlinedienste?kreis={}&format=xlsx",
                region.kreis.clone().unwrap_or_default()
            ),
            &format!(
                "onlinedienste-{}.xlsx",
                region.kreis.clone().unwrap_or_default()
            )
        )),
        esc(ONLINEDIENSTE_SOURCE)
    );
    b
}

/// The rows of a Gemeinde's Onlinedienste: by name, each with who offers it and the service-bw
/// process of the same LeiKa key.
fn gemeinde_rows(snap: &Snapshot, admin: usize, ars: &str) -> Vec<Vec<String>> {
    let raw = &snap.raw;
    let f = &snap.current;
    let processes = raw.processes_by_leika();
    let mut available = raw.onlinedienste.available(ars, f.as_of);
    available.sort_by(|a, b| a.2.name.cmp(b.2.name).then(a.0.cmp(&b.0)));
    let rows: Vec<Vec<String>> = available
        .iter()
        .map(|(origin, datenstand, s)| {
            vec![
                esc(s.name),
                esc(s.leika),
                match origin {
                    Origin::Bund => "Bund".to_string(),
                    _ => format!(
                        "{} ({})",
                        origin.label(),
                        esc(&region_name(snap, offered_by(ars, *origin)))
                    ),
                },
                link(&s.url()),
                if s.online_ok { "ja" } else { "nein" }.to_string(),
                esc(s.flaechendeckung.as_str()),
                datenstand.format("%d.%m.%Y").to_string(),
                match processes.get(s.leika) {
                    Some(&p) if f.is_active(raw, admin, p) => {
                        format!("{}: freigeschaltet", esc(&raw.processes[p].name))
                    }
                    Some(&p) => format!("{}: nicht freigeschaltet", esc(&raw.processes[p].name)),
                    None => "–".to_string(),
                },
            ]
        })
        .collect();
    rows
}

/// The Kreis or Land page's sections: reach per service and the broken links. `unit` is the
/// area's unit; `kreis` its key where it is a Kreis (for the downloads).
pub(super) fn area(snap: &Snapshot, links: &Links, unit: usize, kreis: Option<&str>) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let mut b = String::from("<h2 id=\"flaechendeckung\">Onlinedienste: Flächendeckung</h2>");
    if raw.onlinedienste.is_empty() {
        b.push_str(&no_data());
        return b;
    }
    let all = f.units[unit].administrations_of(Some(AdminKind::Gemeinde));
    let s = &f.units[unit].services;
    let services = f.services.of_area(unit);
    let disagreements = services.iter().filter(|a| a.disagrees(all)).count();
    let _ = write!(
        b,
        "<p>Wie das Bundes-Dashboard zählt der Atlas einen Dienst als <em>flächendeckend</em>, wenn er \
         in jeder Gemeinde des Gebiets online verfügbar ist (eigenes Angebot oder eines von Kreis, Land \
         oder Bund) — hier selbst nachgerechnet, neben der Angabe des Bundes.</p>\
         <ul class=\"kennzahlen\"><li><strong id=\"kz-onlinedienste\">{}</strong>{}</li>\
         <li><strong id=\"kz-flaechendeckend\">{}</strong>davon {} (alle {} Gemeinden)</li>\
         <li><strong>{}</strong>je Gemeinde im Durchschnitt</li>\
         <li><strong id=\"kz-abweichungen\">{}</strong>Abweichungen zur Angabe des Bundes</li></ul>",
        num(s.available.into()),
        links.how("kz-onlinedienste", "Onlinedienste in mindestens einer Gemeinde"),
        num(s.flaechendeckend.into()),
        links.how("kz-onlinedienste_flaechendeckend", "flächendeckend"),
        num(all.into()),
        crate::format::decimal(f.units[unit].services_avg()),
        num(disagreements as i64)
    );
    let mut order: Vec<_> = services.iter().collect();
    // Those that disagree first (the talking points), then the widest reach.
    order.sort_by_key(|a| (!a.disagrees(all), std::cmp::Reverse(a.gemeinden), a.service));
    let rows: Vec<Vec<String>> = order
        .iter()
        .take(LIST_MAX)
        .map(|a| {
            let service = &f.services.services[a.service as usize];
            vec![
                esc(&service.name),
                num(a.gemeinden.into()),
                pct(ratio(f64::from(a.gemeinden), f64::from(all))),
                num(a.population),
                a.reach(all).label().to_string(),
                a.source
                    .map_or("nicht berücksichtigt", Reach::label)
                    .to_string(),
                if a.disagrees(all) { "ja" } else { "–" }.to_string(),
            ]
        })
        .collect();
    b.push_str(&table(
        &format!(
            "Onlinedienste und ihre Reichweite ({} von {}; Abweichungen zuerst)",
            rows.len(),
            services.len()
        ),
        &[
            ("Leistung", false, None),
            ("Gemeinden", true, None),
            ("Anteil der Gemeinden", true, None),
            ("Einwohner erreicht", true, None),
            ("Flächendeckung (Atlas)", false, None),
            ("Flächendeckung (Bund)", false, None),
            ("Abweichung", false, None),
        ],
        &rows,
    ));
    b.push_str(&broken(snap, links, unit, kreis));
    b
}

/// The broken links offered to the area's Gemeinden, with who offers them.
fn broken(snap: &Snapshot, links: &Links, unit: usize, kreis: Option<&str>) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let key = &raw.units[unit].key;
    let gemeinden: Vec<&str> = raw
        .registry
        .level(Level::Gemeinde)
        .filter(|g| g.ars.starts_with(key.as_str()))
        .map(|g| g.ars.as_str())
        .collect();
    let list = broken_links(raw, f.as_of, gemeinden);
    let mut b = format!(
        "<h2 id=\"links-nicht-ok\">Links nicht erreichbar</h2><p>{} Links von Onlinediensten \
         funktionierten beim Abruf des Portalverbunds nicht. Anzusprechen ist, wer den Dienst anbietet.</p>",
        num(list.len() as i64)
    );
    let rows: Vec<Vec<String>> = list
        .iter()
        .take(LIST_MAX)
        .map(|l| {
            let who = region_name(snap, &l.region);
            let who = match raw.registry.by_ars(&l.region) {
                Some(r) if r.level == Level::Gemeinde => {
                    format!(
                        "<a href=\"{}\">{}</a>",
                        esc(&links.gemeinde(&r.ags)),
                        esc(&who)
                    )
                }
                _ if l.origin == Origin::Bund => "Bund".to_string(),
                _ => format!("{} ({})", esc(&who), l.origin.label()),
            };
            vec![
                who,
                esc(&l.name),
                link(&l.url),
                num(l.gemeinden.into()),
                l.datenstand.format("%d.%m.%Y").to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        b.push_str(&table(
            "Nicht erreichbare Links (die meisten betroffenen Gemeinden zuerst)",
            &[
                ("Angeboten von", false, None),
                ("Leistung", false, None),
                ("Onlinedienst", false, None),
                ("Betroffene Gemeinden", true, None),
                ("Datenstand", false, None),
            ],
            &rows,
        ));
    }
    let (api, file) = match kreis {
        Some(k) => (
            format!("/api/v1/onlinedienste?kreis={k}&status=nicht_ok&format=xlsx"),
            format!("links-nicht-ok-{k}.xlsx"),
        ),
        None => (
            "/api/v1/onlinedienste?status=nicht_ok&format=xlsx".to_string(),
            "links-nicht-ok.xlsx".to_string(),
        ),
    };
    let _ = write!(
        b,
        "<p><a href=\"{}\">Alle nicht erreichbaren Links je Gemeinde (Excel)</a> · {}</p>",
        esc(&links.download(&api, &file)),
        esc(ONLINEDIENSTE_SOURCE)
    );
    b
}
