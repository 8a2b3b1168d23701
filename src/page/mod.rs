//! The plain web page for people without Grafana: `/` (the Land, or Germany), `/land/{key}` (a
//! Land of Germany), `/kreis/{key}`, `/gemeinde/{ags}` and the search, server-rendered German HTML with the charts as images.
//! The same functions write the static report (`digitalatlas report`), with other links.

pub mod admin;
pub mod changes;
pub mod embed;
pub mod feed;
pub mod html;
mod land;
mod maps;
pub mod method;
mod services;
mod steckbrief;
pub mod tooltip;
mod verband;

pub use land::{land, land_charts};
pub use verband::verband;

use std::fmt::Write;

use chrono::NaiveDate;

use crate::boundaries::Layer;
use crate::charts::catalog::MapMetric;
use crate::charts::ChartId;
use crate::coverage::figure::{Figure, FigureValue};
use crate::coverage::figures::{lotse_class, UnitFigures};
use crate::coverage::outreach::{served_population, Lack};
use crate::coverage::raw::{Unit, UnitLevel};
use crate::coverage::snapshot::Snapshot;
use crate::format::decimal;
use crate::model::column::ColumnKind;
use crate::model::{AdminKind, Art, Programme};
use html::{esc, num, pct, table};

/// Where pages link to: the live server or the files of a static report.
#[derive(Debug, Clone)]
pub enum Links {
    /// Absolute paths of the running service.
    Server,
    /// The same, for the figures as of a past day: every link keeps `as_of`.
    ServerAsOf(NaiveDate),
    /// Relative file names of a report, seen from a page `depth` directories below its root.
    Report { depth: usize },
}

impl Links {
    fn root(&self) -> String {
        match self {
            Links::Server | Links::ServerAsOf(_) => "/".into(),
            Links::Report { depth } => "../".repeat(*depth),
        }
    }
    /// The Stichtag the links keep, if any.
    pub fn as_of(&self) -> Option<NaiveDate> {
        match self {
            Links::ServerAsOf(day) => Some(*day),
            _ => None,
        }
    }
    /// `path` with the Stichtag appended as a query parameter.
    fn keep(&self, path: String) -> String {
        match self.as_of() {
            Some(day) => {
                let sep = if path.contains('?') { '&' } else { '?' };
                format!("{path}{sep}as_of={}", day.format("%Y-%m-%d"))
            }
            None => path,
        }
    }
    pub fn home(&self) -> String {
        match self {
            Links::Report { .. } => format!("{}index.html", self.root()),
            _ => self.keep("/".into()),
        }
    }
    pub fn kreis(&self, key: &str) -> String {
        match self {
            Links::Report { .. } => format!("{}kreis/{key}.html", self.root()),
            _ => self.keep(format!("/kreis/{key}")),
        }
    }
    /// A Verwaltungsverband's page (9-digit key).
    pub fn verband(&self, key: &str) -> String {
        match self {
            Links::Report { .. } => format!("{}verband/{key}.html", self.root()),
            _ => self.keep(format!("/verband/{key}")),
        }
    }
    /// A Land's page (an atlas of Germany).
    pub fn land(&self, key: &str) -> String {
        match self {
            Links::Report { .. } => format!("{}land/{key}.html", self.root()),
            _ => self.keep(format!("/land/{key}")),
        }
    }
    /// The words of a figure as a link to how `/methodik` counts it (`anchor`: a term such as
    /// `flaechendeckend`, or `kz-` and the figure's column name).
    pub fn how(&self, anchor: &str, words: &str) -> String {
        format!(
            "<a class=\"wie\" href=\"{}#{anchor}\">{}</a>",
            esc(&self.method()),
            esc(words)
        )
    }
    /// How every figure is counted, and the sources.
    pub fn method(&self) -> String {
        match self {
            Links::Report { .. } => format!("{}methodik.html", self.root()),
            _ => "/methodik".to_string(),
        }
    }
    /// "Was hat sich geändert" of the Land or a Kreis and its Atom feed (server only).
    pub fn changes(&self, kreis: Option<&str>) -> Option<(String, String)> {
        let q = kreis.map(|k| format!("?kreis={k}")).unwrap_or_default();
        match self {
            Links::Report { .. } => None,
            _ => Some((format!("/aenderungen{q}"), format!("/aenderungen.atom{q}"))),
        }
    }
    /// The card (`iframe`) and the badge a Gemeinde can show on its website (server only).
    pub fn embeds(&self, ags: &str) -> Option<(String, String)> {
        match self {
            Links::Report { .. } => None,
            _ => Some((
                format!("/einbetten/gemeinde/{ags}"),
                format!("/badge/gemeinde/{ags}.svg"),
            )),
        }
    }
    /// A Kommune's Steckbrief in the API (server only: a report has no per-Gemeinde files).
    pub fn steckbrief(&self, key: &str) -> Option<String> {
        match self {
            Links::Report { .. } => None,
            _ => Some(self.keep(format!("/api/v1/steckbrief/{key}"))),
        }
    }
    pub fn gemeinde(&self, ags: &str) -> String {
        match self {
            Links::Report { .. } => format!("{}gemeinde/{ags}.html", self.root()),
            _ => self.keep(format!("/gemeinde/{ags}")),
        }
    }
    /// The Land page sorted by `key`, at the Kreis table (server only).
    pub fn sorted(&self, key: &str) -> Option<String> {
        match self {
            Links::Report { .. } => None,
            _ => Some(format!("{}#kreise", self.keep(format!("/?sort={key}")))),
        }
    }
    /// A chart image, PNG.
    pub fn chart(&self, chart: &ChartId) -> String {
        match self {
            Links::Report { .. } => format!(
                "{}charts/{}.{}",
                self.root(),
                chart.file(),
                chart.report_encoding().extension()
            ),
            _ => self.keep(format!("/charts/{}", chart.path())),
        }
    }
    /// The same chart as SVG (for slides and print), where the links lead to the service.
    pub fn chart_svg(&self, chart: &ChartId) -> Option<String> {
        let path = chart.path();
        match self {
            Links::Report { .. } => None,
            _ => Some(self.keep(format!(
                "/charts/{path}{}format=svg",
                if path.contains('?') { '&' } else { '?' }
            ))),
        }
    }
    /// A download: an API path with query (server) or the report's file of that name. The
    /// GeoJSON layers have the current figures only.
    pub fn download(&self, api: &str, file: &str) -> String {
        match self {
            Links::Report { .. } => format!("{}daten/{file}", self.root()),
            _ if api.contains("/geo/") => api.to_string(),
            _ => self.keep(api.to_string()),
        }
    }
}

/// The charts the Land page shows (the report draws them as files).
pub fn page_charts() -> [ChartId; 7] {
    [
        ChartId::map(Layer::Gemeinden, MapMetric::Lotsen),
        ChartId::map(Layer::Kreise, MapMetric::Lotsen),
        ChartId::map(Layer::Gemeinden, MapMetric::Standardprozesse),
        ChartId::Progress,
        ChartId::SizeClasses,
        ChartId::Processes,
        ChartId::LotsenOzg,
    ]
}

/// The map of one Kreis' Gemeinden by active Standardprozesse.
pub fn kreis_ozg_map(key: &str) -> ChartId {
    ChartId::Map {
        layer: Layer::Gemeinden,
        metric: MapMetric::Standardprozesse,
        kreis: Some(key.to_string()),
    }
}

/// The charts of a Kreis page (the report draws them as files; maps only where the boundaries
/// cover the registry).
pub fn kreis_charts(key: &str, maps: bool) -> Vec<ChartId> {
    let mut charts = vec![ChartId::KreisProgress(key.to_string())];
    if maps {
        charts.extend([kreis_map(key), kreis_ozg_map(key)]);
    }
    charts
}

/// The downloads of a Kreis page: (label, API path, report file name).
pub fn kreis_downloads(key: &str) -> Vec<(String, String, String)> {
    [
        (
            "Gemeinden des Kreises (Excel)",
            format!("/api/v1/coverage?level=gemeinde&kreis={key}&format=xlsx"),
            format!("abdeckung-gemeinden-{key}.xlsx"),
        ),
        (
            "Ansprechliste des Kreises (Excel)",
            format!("/api/v1/outreach?missing=lotse&kreis={key}&format=xlsx"),
            format!("ansprechliste-{key}.xlsx"),
        ),
        (
            "Onlinedienste: Kommune × Prozess (Excel)",
            format!("/api/v1/ozg/matrix?kreis={key}&header=name&format=xlsx"),
            format!("kommune-x-prozess-{key}.xlsx"),
        ),
        verbaende_download(key),
        (
            "Gemeinden des Kreises (CSV)",
            format!("/api/v1/coverage?level=gemeinde&kreis={key}&format=csv"),
            format!("abdeckung-gemeinden-{key}.csv"),
        ),
        (
            "Onlinedienste des Bundes je Gemeinde (Excel)",
            format!("/api/v1/onlinedienste?kreis={key}&format=xlsx"),
            format!("onlinedienste-{key}.xlsx"),
        ),
        (
            "Flächendeckung der Onlinedienste (Excel)",
            format!("/api/v1/onlinedienste/flaechendeckung?kreis={key}&format=xlsx"),
            format!("flaechendeckung-{key}.xlsx"),
        ),
        (
            "Nicht erreichbare Links (Excel)",
            format!("/api/v1/onlinedienste?kreis={key}&status=nicht_ok&format=xlsx"),
            format!("links-nicht-ok-{key}.xlsx"),
        ),
    ]
    .into_iter()
    .map(|(label, api, file)| (label.to_string(), api, file))
    .collect()
}

/// The Verwaltungsverbände of a Kreis as a workbook: (label, API path, report file name); on
/// the Kreis page and each Verband's.
fn verbaende_download(key: &str) -> (&'static str, String, String) {
    (
        "Verwaltungsverbände des Kreises (Excel)",
        format!("/api/v1/coverage?level=verband&kreis={key}&format=xlsx"),
        format!("abdeckung-verbaende-{key}.xlsx"),
    )
}

/// The map of one Kreis' Gemeinden on its page.
pub fn kreis_map(key: &str) -> ChartId {
    ChartId::Map {
        layer: Layer::Gemeinden,
        metric: MapMetric::Lotsen,
        kreis: Some(key.to_string()),
    }
}

/// The downloads the page links to: (label, API path, report file name).
pub const DOWNLOADS: [(&str, &str, &str); 6] = [
    (
        "Abdeckung je Kreis (CSV)",
        "/api/v1/coverage?level=kreis&format=csv",
        "abdeckung-kreise.csv",
    ),
    (
        "Abdeckung je Gemeinde (CSV)",
        "/api/v1/coverage?level=gemeinde&format=csv",
        "abdeckung-gemeinden.csv",
    ),
    (
        "Ansprechliste ohne Lotse (CSV)",
        "/api/v1/outreach?missing=lotse&format=csv",
        "ansprechliste.csv",
    ),
    (
        "Onlinedienste je Prozess (CSV)",
        "/api/v1/ozg/processes?format=csv",
        "prozesse.csv",
    ),
    (
        "Gemeinden mit Kennzahlen (GeoJSON)",
        "/api/v1/geo/gemeinden.geojson",
        "gemeinden.geojson",
    ),
    (
        "Kreise mit Kennzahlen (GeoJSON)",
        "/api/v1/geo/kreise.geojson",
        "kreise.geojson",
    ),
];

/// The same tables as Excel workbooks (keys as text, German headers): (label, API path, report
/// file name).
pub const WORKBOOKS: [(&str, &str, &str); 8] = [
    (
        "Abdeckung je Kreis (Excel)",
        "/api/v1/coverage?level=kreis&format=xlsx",
        "abdeckung-kreise.xlsx",
    ),
    (
        "Abdeckung je Gemeinde (Excel)",
        "/api/v1/coverage?level=gemeinde&format=xlsx",
        "abdeckung-gemeinden.xlsx",
    ),
    (
        "Ansprechliste ohne Lotse (Excel)",
        "/api/v1/outreach?missing=lotse&format=xlsx",
        "ansprechliste.xlsx",
    ),
    (
        "Onlinedienste je Prozess (Excel)",
        "/api/v1/ozg/processes?format=xlsx",
        "prozesse.xlsx",
    ),
    (
        "Wirken Digitallotsen? Vergleich nach Größenklasse (Excel)",
        "/api/v1/analysis/lotsen-ozg?format=xlsx",
        "lotsen-und-onlinedienste.xlsx",
    ),
    (
        "Flächendeckung der Onlinedienste je Kreis (Excel)",
        "/api/v1/onlinedienste/flaechendeckung?level=kreis&format=xlsx",
        "flaechendeckung-kreise.xlsx",
    ),
    (
        "Flächendeckung der Onlinedienste im Land (Excel)",
        "/api/v1/onlinedienste/flaechendeckung?level=land&format=xlsx",
        "flaechendeckung-land.xlsx",
    ),
    (
        "Nicht erreichbare Links der Onlinedienste (Excel)",
        "/api/v1/onlinedienste?status=nicht_ok&format=xlsx",
        "links-nicht-ok.xlsx",
    ),
];

fn footer(snap: &Snapshot, links: &Links) -> String {
    let edition = snap
        .raw
        .registry
        .edition
        .as_ref()
        .map(|e| esc(&e.source))
        .unwrap_or_default();
    let services = if snap.raw.onlinedienste.is_empty() {
        String::new()
    } else {
        format!(" · {}", esc(crate::model::rows::ONLINEDIENSTE_SOURCE))
    };
    format!(
        "<p>Datenstand: {} · Gebiete und Einwohner: {edition} · {}{services} · Digitallotsen \
         als Anzahlen, nie mit Namen. <a href=\"{}\">Methodik und Quellen</a></p>",
        snap.current.as_of.format("%d.%m.%Y"),
        crate::boundaries::of(&snap.raw.registry).attribution(),
        esc(&links.method())
    )
}

/// A chart that opens full size when tapped, with its download links.
fn figure(links: &Links, chart: &ChartId, alt: &str) -> String {
    let (w, h) = chart.display_size();
    let png = esc(&links.chart(chart));
    let svg = links
        .chart_svg(chart)
        .map(|svg| format!(" · <a href=\"{}\">SVG</a>", esc(&svg)))
        .unwrap_or_default();
    format!(
        "<figure><a href=\"{png}\"><img src=\"{png}\" alt=\"{}\" width=\"{w}\" height=\"{h}\"></a>\
         <figcaption>Grafik herunterladen: <a href=\"{png}\" download>PNG</a>{svg}</figcaption></figure>",
        esc(alt)
    )
}

/// The Stichtag of the page, shown prominently, with a date field to choose another (server
/// only; a report shows its day in the footer and title).
fn stichtag(links: &Links, snap: &Snapshot) -> String {
    let day = snap.current.as_of;
    let shown = day.format("%d.%m.%Y");
    match links {
        Links::Report { .. } => String::new(),
        Links::Server => format!(
            "<form class=\"stichtag\" action=\"\"><label for=\"as_of\">Stand am </label>\
             <input type=\"date\" id=\"as_of\" name=\"as_of\" value=\"{}\" min=\"2018-11-01\"> \
             <button type=\"submit\">Anzeigen</button></form>",
            day.format("%Y-%m-%d")
        ),
        Links::ServerAsOf(_) => format!(
            "<p class=\"stichtag-hinweis\" id=\"stichtag\"><strong>Stichtag {shown}</strong>: alle \
             Zahlen, Karten und Grafiken dieser Seite zeigen den Stand an diesem Tag. \
             <a href=\"?\">Zum aktuellen Stand</a></p>\
             <form class=\"stichtag\" action=\"\"><label for=\"as_of\">Stand am </label>\
             <input type=\"date\" id=\"as_of\" name=\"as_of\" value=\"{}\" min=\"2018-11-01\"> \
             <button type=\"submit\">Anzeigen</button></form>",
            day.format("%Y-%m-%d")
        ),
    }
}

fn search_form(links: &Links) -> String {
    match links {
        Links::Server | Links::ServerAsOf(_) => {
            "<form action=\"/suche\" role=\"search\"><label for=\"q\">Gemeinde, Kreis oder Schlüssel suchen: </label>\
             <input type=\"search\" id=\"q\" name=\"q\" placeholder=\"z. B. Böblingen\" required> \
             <button type=\"submit\">Suchen</button></form>"
                .into()
        }
        Links::Report { .. } => String::new(),
    }
}

/// The orders of the Kreis table (`sort` of the Land page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KreisSort {
    /// By name, A to Z.
    #[default]
    Name,
    /// By share of administrations with a Lotse, lowest first (where most is missing).
    Anteil,
    /// By Lotsen, most first.
    Lotsen,
    /// By population, largest first.
    Einwohner,
}

impl KreisSort {
    /// Every sort with its `sort` value.
    pub const ALL: [(KreisSort, &'static str); 4] = [
        (KreisSort::Name, "name"),
        (KreisSort::Anteil, "anteil"),
        (KreisSort::Lotsen, "lotsen"),
        (KreisSort::Einwohner, "einwohner"),
    ];

    /// The `sort` value (empty: by name); an unknown one is an error that names the values.
    pub fn parse(text: &str) -> Result<KreisSort, String> {
        if text.is_empty() {
            return Ok(KreisSort::Name);
        }
        KreisSort::ALL
            .iter()
            .find(|(_, t)| *t == text)
            .map(|(s, _)| *s)
            .ok_or_else(|| {
                let all: Vec<&str> = KreisSort::ALL.iter().map(|(_, t)| *t).collect();
                format!("unknown sort {text:?}: use {}", all.join(", "))
            })
    }

    pub fn as_str(self) -> &'static str {
        KreisSort::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("name", |(_, t)| t)
    }
}

/// The Land's page: key figures, maps, progress, the Kreise, the outreach list, downloads.
pub fn index(snap: &Snapshot, links: &Links, sort: KreisSort) -> String {
    let raw = &snap.raw;
    let maps = crate::boundaries::cover(&raw.registry);
    let mut b = search_form(links);
    b.push_str(&stichtag(links, snap));
    b.push_str(&key_figures(snap, links));
    b.push_str(&changes_links(links, None));
    if maps {
        b.push_str(&land_maps(snap, links, raw.registry.territory()));
        b.push_str(&without_shape(raw));
    }
    b.push_str(&development(links));
    b.push_str(&lotsen_and_ozg(snap, links));
    if let Some(land) = raw.laender().next() {
        b.push_str(&services::area(snap, links, land, None));
    }
    b.push_str(&land::laender_table(snap, links));
    b.push_str(&kreis_table(snap, links, sort));
    b.push_str(&outreach(snap, links, None));
    b.push_str(&downloads(links, maps));
    html::page(
        &format!(
            "Kommunale Digitallotsen und OZG-Onlinedienste in {}",
            raw.area_name()
        ),
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    )
}

/// The Land's Kennzahlen (all Länder of the registry together).
fn key_figures(snap: &Snapshot, links: &Links) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let lf = UnitFigures::total_of(raw, &f.units);
    let g = Some(AdminKind::Gemeinde);
    let accounts = f
        .accounts
        .iter()
        .find(|a| a.account_type == "buerger")
        .map(|a| num(a.count))
        .unwrap_or_else(|| "–".into());
    format!(
        "<h2 id=\"kennzahlen\">Kennzahlen</h2><ul class=\"kennzahlen\">\
         <li><strong id=\"kz-verwaltungen\">{with} von {all}</strong>{verwaltungen} mit Digitallotse ({share})</li>\
         <li><strong id=\"kz-lotsen\">{lotsen}</strong>{lotsen_words}, davon {aufbau} mit Aufbauschulung</li>\
         <li><strong id=\"kz-gemeinden\">{gw} von {ga}</strong>{gemeinden_words}, \
         dazu <span id=\"kz-verband\">{via}</span> ohne eigenen {verband_words}</li>\
         <li><strong id=\"kz-flaechendeckend\">{fd} von {ns}</strong>Standardprozessen {fd_words} (in allen Gemeinden), {one} in mindestens einer Kommune</li>\
         <li><strong id=\"kz-konten\">{accounts}</strong>{konten}</li></ul>",
        konten = links.how(
            "kz-accounts_buerger",
            &raw.registry.territory().localize("Bürgerkonten auf service-bw")
        ),
        verwaltungen = links.how(
            "verwaltungen",
            &format!(
                "Verwaltungen (Gemeinden und {})",
                raw.registry.territory().kreis_administrations()
            )
        ),
        lotsen_words = links.how("digitallotse", "Digitallotsen"),
        gemeinden_words = links.how("kz-gemeinden_with_lotse", "Gemeinden mit Lotse"),
        verband_words = links.how("kz-gemeinden_via_verband", "über ihren Verband erreichbar"),
        fd_words = links.how("flaechendeckend", "flächendeckend"),
        with = num(lf.with_lotse(None, None).into()),
        all = num(lf.administrations_of(None).into()),
        share = pct(lf.share_with_lotse()),
        lotsen = num(lf.lotsen_of(None, None).into()),
        aufbau = num(lf.lotsen_of(None, Some(Programme::Aufbau)).into()),
        gw = num(lf.with_lotse(g, None).into()),
        ga = num(lf.administrations_of(g).into()),
        via = num(lf.gemeinden_via_verband.into()),
        fd = f.processes_flaechendeckend[Art::Standard as usize],
        ns = raw.processes_of(Art::Standard),
        one = f.processes_in_at_least_one[Art::Standard as usize],
    )
}

/// The links to "Was hat sich geändert" and its feed (none in a report).
fn changes_links(links: &Links, kreis: Option<&str>) -> String {
    links
        .changes(kreis)
        .map(|(page, feed)| {
            format!(
                "<p class=\"nur-bildschirm\"><a href=\"{}\">Was hat sich geändert?</a> · \
                 <a href=\"{}\">Änderungen als Atom-Feed abonnieren</a></p>",
                esc(&page),
                esc(&feed)
            )
        })
        .unwrap_or_default()
}

/// The Gemeinden the maps cannot draw, named under them (never silently missing).
fn without_shape(raw: &crate::coverage::raw::RawData) -> String {
    let missing = crate::boundaries::missing_gemeinden(&raw.registry);
    if missing.is_empty() {
        return String::new();
    }
    let names: Vec<String> = missing.iter().map(|r| esc(&r.name)).collect();
    format!(
        "<p class=\"hinweis\">Ohne Umriss auf den Karten ({}): {}.</p>",
        num(missing.len() as i64),
        names.join(", ")
    )
}

/// The three maps of the Land.
fn land_maps(snap: &Snapshot, links: &Links, territory: crate::registry::Territory) -> String {
    let [gemeinden, kreise, standard, ..] = page_charts();
    let mut b = String::from("<h2>Karten</h2>");
    b.push_str(&maps::clickable(snap, links, &gemeinden, "Karte der Gemeinden: grau ohne Digitallotse, hellblau mit Basisqualifizierung, dunkelblau mit Aufbauschulung; Kreisgrenzen schwarz"));
    // The classes are the figure's own (one home: `model::column::SHARE_BANDS`).
    let bands: Vec<&str> = Figure::ShareWithLotse
        .bands()
        .unwrap_or_default()
        .iter()
        .map(|b| b.label)
        .collect();
    let kreise_alt = format!(
        "Karte der Kreise: Anteil der Verwaltungen mit Digitallotse in {} Stufen ({}), je \
         dunkler desto höher",
        bands.len(),
        bands.join(", ")
    );
    b.push_str(&maps::clickable(snap, links, &kreise, &kreise_alt));
    b.push_str(&maps::clickable(
        snap,
        links,
        &standard,
        &territory.localize("Karte der Gemeinden nach Anteil aktiver Standardprozesse auf service-bw, je dunkler desto mehr"),
    ));
    b
}

/// Progress over time, size classes and processes.
fn development(links: &Links) -> String {
    let mut b = String::from("<h2>Entwicklung</h2>");
    b.push_str(&figure(links, &ChartId::Progress, "Liniendiagramm: Verwaltungen mit Digitallotse und Zahl der Lotsen seit November 2018, das Ziel von allen Verwaltungen als rote Linie, die veröffentlichten Stände als Punkte und die Prognose gestrichelt"));
    b.push_str(&figure(
        links,
        &ChartId::SizeClasses,
        "Balkendiagramm: Anteil der Gemeinden mit Digitallotse je Einwohnergrößenklasse",
    ));
    b.push_str(&figure(
        links,
        &ChartId::Processes,
        "Balkendiagramm: Zahl der Gemeinden je freigeschaltetem Onlinedienst",
    ));
    b
}

/// "Wirken Digitallotsen?": active Standardprozesse without and with a Lotse within each size
/// class, the processes switched on around the first Lotse, and what that does not show.
fn lotsen_and_ozg(snap: &Snapshot, links: &Links) -> String {
    use crate::coverage::analysis::{before_after, by_group};
    let raw = &snap.raw;
    let rows = by_group(raw, &snap.current);
    let cell = |r: &crate::coverage::analysis::GroupRow| {
        if r.gemeinden == 0 {
            "–".to_string()
        } else {
            format!(
                "{} ({} Gem.)",
                decimal(r.standard_active_avg),
                num(r.gemeinden.into())
            )
        }
    };
    let table_rows: Vec<Vec<String>> = rows
        .chunks(3)
        .map(|g| {
            let label = g[0].size_class.map_or("alle Gemeinden", |c| c.label());
            vec![esc(label), cell(&g[0]), cell(&g[1]), cell(&g[2])]
        })
        .collect();
    let mut b = String::from(
        "<h2 id=\"wirkung\">Wirken Digitallotsen?</h2><p>Schalten Gemeinden mit Digitallotse mehr \
         Onlinedienste frei? Die Tabelle vergleicht die durchschnittliche Zahl aktiver \
         Standardprozesse je Gemeinde – ohne Lotse, mit Basisqualifizierung, mit Aufbauschulung – \
         jeweils innerhalb derselben Größenklasse, damit große Städte das Ergebnis nicht \
         bestimmen. <strong>Das ist ein Vergleich, kein Beweis:</strong> Gemeinden, die Lotsen \
         ausbilden lassen, unterscheiden sich auch sonst (etwa in Verwaltungskraft und \
         Digitalisierungsstand).</p>",
    );
    b.push_str(&table(
        "Aktive Standardprozesse je Gemeinde (Durchschnitt, Zahl der Gemeinden)",
        &[
            ("Größenklasse", false, None),
            ("ohne Lotse", true, None),
            ("mit Basisqualifizierung", true, None),
            ("mit Aufbauschulung", true, None),
        ],
        &table_rows,
    ));
    if let Some(all) = before_after(raw, snap.current.as_of).last() {
        if all.gemeinden > 0 {
            let _ = write!(
                b,
                "<p>Rund um den ersten Lotsen: {} Gemeinden haben in den 12 Monaten davor im Schnitt \
                 {} Onlinedienste freigeschaltet, in den 12 Monaten danach {}.</p>",
                num(all.gemeinden.into()),
                decimal(all.activations_before_avg),
                decimal(all.activations_after_avg)
            );
        }
    }
    b.push_str(&figure(
        links,
        &ChartId::LotsenOzg,
        "Balkendiagramm: aktive Standardprozesse je Gemeinde ohne Lotse, mit Basisqualifizierung \
         und mit Aufbauschulung, je Größenklasse",
    ));
    b
}

/// The Kreise, sortable by links (`KreisSort`).
/// A figure's value as the page shows it, by its declared kind.
fn figure_cell(figure: Figure, unit: &Unit, f: &UnitFigures) -> String {
    let v = figure.of(unit, f);
    match (figure.column().kind, v) {
        (ColumnKind::Share, v) => pct(v.as_f64()),
        (_, FigureValue::Count(n)) => num(n),
        (_, FigureValue::Measure(x)) => decimal(x),
    }
}

/// The figures of the Kreis table after the Kreis and its population, with their sort keys.
/// (figure, sort key, the figure it is shown out of: "6 / 27").
const KREIS_TABLE_FIGURES: [(Figure, Option<&str>, Option<Figure>); 4] = [
    (
        Figure::AdministrationsWithLotse,
        None,
        Some(Figure::Administrations),
    ),
    (Figure::ShareWithLotse, Some("anteil"), None),
    (Figure::Lotsen, Some("lotsen"), None),
    (Figure::LotsenAufbau, None, None),
];

fn kreis_table(snap: &Snapshot, links: &Links, sort: KreisSort) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let mut kreise: Vec<usize> = raw.kreise.to_vec();
    let by = |figure: Figure| {
        move |a: &usize, b: &usize| {
            let value = |u: usize| figure.of(&raw.units[u], &f.units[u]).as_f64();
            value(*b).total_cmp(&value(*a))
        }
    };
    match sort {
        KreisSort::Anteil => kreise.sort_by(|a, b| by(Figure::ShareWithLotse)(b, a)),
        KreisSort::Lotsen => kreise.sort_by(by(Figure::Lotsen)),
        KreisSort::Einwohner => kreise.sort_by(by(Figure::Population)),
        KreisSort::Name => kreise.sort_by(|a, b| raw.units[*a].name.cmp(&raw.units[*b].name)),
    }
    let sort_link = |key: &str| links.sorted(key);
    let rows = land::rows(snap, &kreise, |key| links.kreis(key));
    let mut columns = vec![
        ("Kreis", false, sort_link("name")),
        (
            Figure::Population.column().header,
            true,
            sort_link("einwohner"),
        ),
    ];
    // The catalogue's headers in the territory's words (Landratsämter or Kreisverwaltungen).
    let territory = raw.registry.territory();
    let headers: Vec<std::borrow::Cow<'_, str>> = KREIS_TABLE_FIGURES
        .iter()
        .map(|(figure, _, _)| territory.localize(figure.column().header))
        .collect();
    columns.extend(
        KREIS_TABLE_FIGURES
            .iter()
            .zip(&headers)
            .map(|((_, key, _), header)| (header.as_ref(), true, key.and_then(sort_link))),
    );
    let mut b = String::from("<h2 id=\"kreise\">Kreise</h2>");
    b.push_str(&table(
        "Digitallotsen je Kreis (Spaltenköpfe sortieren)",
        &columns,
        &rows,
    ));
    b
}

/// The downloads: Excel workbooks first (what most people open), then CSV and GeoJSON (without
/// the GeoJSON layers where the boundaries do not cover the registry).
fn downloads(links: &Links, maps: bool) -> String {
    let mut b = String::from(
        "<h2>Downloads</h2><p>Für Excel: die Arbeitsmappen (.xlsx) öffnen sich mit deutschen \
         Spaltenköpfen; Gemeindeschlüssel behalten ihre führende Null.</p><ul>",
    );
    for (label, api, file) in WORKBOOKS.iter().chain(
        DOWNLOADS
            .iter()
            .filter(|(_, api, _)| maps || !api.contains("/geo/")),
    ) {
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a></li>",
            esc(&links.download(api, file)),
            esc(label)
        );
    }
    b.push_str("</ul>");
    b
}

/// The 25 largest administrations without a Lotse (in a Kreis, or the Land).
fn outreach(snap: &Snapshot, links: &Links, kreis: Option<usize>) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let missing = f.outreach(raw, Lack::Lotse, |a| kreis.is_none_or(|k| a.kreis == k));
    let population = |i: usize| served_population(raw, &raw.admins[i]);
    let total = missing.len();
    let rows: Vec<Vec<String>> = missing
        .iter()
        .take(25)
        .map(|&i| {
            let a = &raw.admins[i];
            let k = &raw.units[raw.kreise[a.kreis]];
            let name = admin_link(links, a);
            vec![
                name,
                esc(&k.name),
                num(population(i)),
                f.admin_ozg[i].standard.to_string(),
            ]
        })
        .collect();
    let mut s = format!(
        "<h2 id=\"ansprechliste\">Ansprechliste: noch ohne Digitallotse</h2><p>{} Verwaltungen haben noch keinen Lotsen; die {} größten:</p>",
        num(total as i64),
        rows.len()
    );
    s.push_str(&table(
        "Verwaltungen ohne Digitallotse, größte zuerst",
        &[
            ("Verwaltung", false, None),
            ("Kreis", false, None),
            ("Einwohner", true, None),
            ("aktive Standardprozesse", true, None),
        ],
        &rows,
    ));
    s
}

/// The Kreis' own administration (its Landratsamt; none in a Stadtkreis) compared with the
/// other Landratsämter of the Land: the Steckbrief's comparison and talking points.
fn landratsamt_comparison(snap: &Snapshot, links: &Links, kreis: usize) -> String {
    let raw = &snap.raw;
    let Some(i) = raw
        .admins
        .iter()
        .position(|a| a.kind == AdminKind::Landratsamt && a.kreis == kreis)
    else {
        return String::new();
    };
    format!(
        "<section id=\"landratsamt\"><h2>{}</h2>{}</section>",
        esc(&raw.admins[i].name),
        steckbrief::comparison(snap, links, i)
    )
}

/// A Kreis' page, or None if the key is unknown.
pub fn kreis(snap: &Snapshot, links: &Links, key: &str) -> Option<String> {
    let raw = &snap.raw;
    let f = &snap.current;
    let k = raw.kreise.iter().position(|&u| raw.units[u].key == key)?;
    let u = raw.kreise[k];
    let unit = &raw.units[u];
    let uf = &f.units[u];
    let mut b = stichtag(links, snap);
    let _ = write!(
        b,
        "<ul class=\"kennzahlen\"><li><strong id=\"kz-verwaltungen\">{} von {}</strong>{} mit Digitallotse ({}); \
         <span id=\"kz-verband\">{}</span> Gemeinden ohne eigenen {}</li>\
         <li><strong id=\"kz-lotsen\">{}</strong>{}, davon {} mit Aufbauschulung</li>\
         <li><strong>{}</strong>Einwohner</li></ul>",
        uf.with_lotse(None, None),
        uf.administrations_of(None),
        links.how("verwaltungen", "Verwaltungen"),
        pct(uf.share_with_lotse()),
        num(uf.gemeinden_via_verband.into()),
        links.how("kz-gemeinden_via_verband", "über ihren Verband erreichbar"),
        num(uf.lotsen_of(None, None).into()),
        links.how("digitallotse", "Digitallotsen"),
        num(uf.lotsen_of(None, Some(Programme::Aufbau)).into()),
        num(unit.population)
    );
    b.push_str(&changes_links(links, Some(key)));
    b.push_str(&landratsamt_comparison(snap, links, k));
    let rows = kreis_rows(snap, links, k);
    kreis_charts_section(&mut b, snap, links, key, &unit.name);
    // A kreisfreie Stadt has no Kreis administration; a Landkreis names its own.
    b.push_str(
        &if crate::registry::territory::has_kreis_administration(&unit.kind) {
            format!(
                "<h2>Gemeinden und {}</h2>",
                crate::registry::territory::kreis_administration(key)
            )
        } else {
            "<h2>Gemeinden</h2>".to_string()
        },
    );
    b.push_str(&table(
        &format!("Verwaltungen im {}", unit.name),
        &[
            ("Verwaltung", false, None),
            ("Einwohner", true, None),
            ("Digitallotse", false, None),
            ("Standardprozesse", true, None),
            ("Universalprozesse", true, None),
        ],
        &rows,
    ));
    let verbaende = verband::kreis_section(snap, links, key);
    b.push_str(&verbaende);
    b.push_str(&services::area(snap, links, u, Some(key)));
    b.push_str(&outreach(snap, links, Some(k)));
    kreis_downloads_section(&mut b, links, key, !verbaende.is_empty());
    Some(html::page(
        &unit.name,
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    ))
}

/// The rows of a Kreis page's table: its Gemeinden and its Landratsamt, by name.
fn kreis_rows(snap: &Snapshot, links: &Links, k: usize) -> Vec<Vec<String>> {
    let raw = &snap.raw;
    let f = &snap.current;
    let mut gemeinden: Vec<usize> = (0..raw.admins.len())
        .filter(|&i| raw.admins[i].kreis == k)
        .collect();
    gemeinden.sort_by(|a, b| raw.admins[*a].name.cmp(&raw.admins[*b].name));
    gemeinden
        .iter()
        .map(|&i| {
            let a = &raw.admins[i];
            let name = admin_link(links, a);
            // A Landratsamt serves the whole Kreis (its people are counted in the Gemeinden).
            let population = match a.kind {
                AdminKind::Gemeinde => num(a.population),
                AdminKind::Landratsamt => "–".to_string(),
            };
            vec![
                name,
                population,
                crate::coverage::figures::lotse_words(lotse_class(f.admin_lotsen[i])).to_string(),
                f.admin_ozg[i].standard.to_string(),
                f.admin_ozg[i].universal.to_string(),
            ]
        })
        .collect()
}

/// A Kreis page's maps (where the boundaries cover the registry) and its progress chart.
fn kreis_charts_section(b: &mut String, snap: &Snapshot, links: &Links, key: &str, name: &str) {
    if crate::boundaries::cover(&snap.raw.registry) {
        b.push_str("<h2>Karten</h2>");
        b.push_str(&maps::clickable(
            snap,
            links,
            &kreis_map(key),
            &format!(
                "Karte der Gemeinden im {}: grau ohne Digitallotse, hellblau mit \
             Basisqualifizierung, dunkelblau mit Aufbauschulung",
                name
            ),
        ));
        b.push_str(&maps::clickable(
            snap,
            links,
            &kreis_ozg_map(key),
            &snap.raw.registry.territory().localize(&format!(
                "Karte der Gemeinden im {} nach Anteil aktiver Standardprozesse auf service-bw, \
                 je dunkler desto mehr",
                name
            )),
        ));
    }
    b.push_str("<h2>Entwicklung</h2>");
    b.push_str(&figure(
        links,
        &ChartId::KreisProgress(key.to_string()),
        &format!(
            "Liniendiagramm: Verwaltungen mit Digitallotse und Zahl der Lotsen im {} seit \
             November 2018, das Ziel von allen Verwaltungen des Kreises als rote Linie und die \
             Prognose gestrichelt",
            name
        ),
    ));
}

/// A Kreis page's downloads (XLSX and German CSV).
/// (The Verbände's workbook only where the Kreis has Verbände.)
fn kreis_downloads_section(b: &mut String, links: &Links, key: &str, verbaende: bool) {
    b.push_str("<h2>Downloads</h2><ul>");
    let (_, verband_api, _) = verbaende_download(key);
    for (label, api, file) in kreis_downloads(key) {
        if api == verband_api && !verbaende {
            continue;
        }
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a></li>",
            esc(&links.download(&api, &file)),
            esc(&label)
        );
    }
    b.push_str("</ul>");
}

/// An administration's name, linked to its page where it has one (Gemeinden).
pub(super) fn admin_link(links: &Links, a: &crate::coverage::raw::Admin) -> String {
    match a.kind {
        AdminKind::Gemeinde => format!(
            "<a href=\"{}\">{}</a>",
            esc(&links.gemeinde(&a.id)),
            esc(&a.name)
        ),
        AdminKind::Landratsamt => esc(&a.name),
    }
}

/// A Gemeinde's page, or None if the AGS is unknown.
pub fn gemeinde(snap: &Snapshot, links: &Links, ags: &str) -> Option<String> {
    let raw = &snap.raw;
    let f = &snap.current;
    let i = raw
        .admins
        .iter()
        .position(|a| a.kind == AdminKind::Gemeinde && a.id == ags)?;
    let a = &raw.admins[i];
    let k = &raw.units[raw.kreise[a.kreis]];
    let unit = raw
        .units
        .iter()
        .position(|u| u.level == UnitLevel::Gemeinde && u.key == ags);
    let lotsen = unit.map(|u| f.units[u].lotsen_of(None, None)).unwrap_or(0);
    let mut b = stichtag(links, snap);
    let _ = write!(
        b,
        "<p>Gemeinde im <a href=\"{}\">{}</a> · {} Einwohner</p>\
         <ul class=\"kennzahlen\"><li><strong id=\"kz-lotse\">{}</strong>{} ({} Personen)</li>\
         <li><strong id=\"kz-standard\">{}</strong>{}</li>\
         <li><strong>{}</strong>aktive Universalprozesse</li></ul>",
        esc(&links.kreis(&k.key)),
        esc(&k.name),
        num(a.population),
        crate::coverage::figures::lotse_words(lotse_class(f.admin_lotsen[i])),
        links.how("digitallotse", "Digitallotse"),
        lotsen,
        f.admin_ozg[i].standard,
        links.how("prozesse", "aktive Standardprozesse"),
        f.admin_ozg[i].universal
    );
    b.push_str(&steckbrief::comparison(snap, links, i));
    let land = f.processes_in(raw, |_| true);
    let rows: Vec<Vec<String>> = raw
        .processes
        .iter()
        .zip(&land)
        .enumerate()
        .map(|(p, (pr, in_land))| {
            let on = f.is_active(raw, i, p);
            vec![
                esc(&pr.name),
                pr.art.as_str().to_string(),
                if on { "freigeschaltet" } else { "–" }.to_string(),
                pct(in_land.share_gemeinden()),
                pr.reifegrad.map_or("–".to_string(), |r| r.label()),
            ]
        })
        .collect();
    b.push_str(
        &raw.registry
            .territory()
            .localize("<h2>Onlinedienste auf service-bw</h2>"),
    );
    b.push_str(&table(
        "Prozesse und ob die Gemeinde sie freigeschaltet hat",
        &[
            ("Prozess", false, None),
            ("Art", false, None),
            ("Status", false, None),
            ("Anteil aller Gemeinden", true, None),
            ("Reifegrad", false, None),
        ],
        &rows,
    ));
    b.push_str(&services::gemeinde(snap, links, i, ags));
    Some(html::page(
        &a.name,
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    ))
}

/// Search results for a Gemeinde name (case-insensitive substring), at most 50.
pub fn search(snap: &Snapshot, q: &str) -> String {
    let raw = &snap.raw;
    let hits = crate::coverage::search::search(raw, q, 50);
    let links = Links::Server;
    let mut b = search_form(&links);
    let _ = write!(
        b,
        "<h2>{} Treffer für „{}“</h2><ul>",
        hits.len(),
        esc(q.trim())
    );
    for hit in hits {
        let u = &raw.units[hit.unit];
        let (href, what) = match u.level {
            UnitLevel::Gemeinde => {
                let kreis = u
                    .parent
                    .as_deref()
                    .and_then(|k| raw.unit_index(UnitLevel::Kreis, k))
                    .map(|k| raw.units[k].name.clone())
                    .unwrap_or_default();
                (links.gemeinde(&u.key), kreis)
            }
            UnitLevel::Kreis => (links.kreis(&u.key), u.kind.clone()),
            UnitLevel::Verband => (links.verband(&u.key), u.kind.clone()),
            _ => (links.home(), u.kind.clone()),
        };
        let _ = write!(
            b,
            "<li><a href=\"{}\">{}</a> ({})</li>",
            esc(&href),
            esc(&u.name),
            esc(&what)
        );
    }
    b.push_str("</ul>");
    html::page("Suchen", &links.home(), raw.demo, &b, &footer(snap, &links))
}
