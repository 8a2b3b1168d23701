//! The charts digitalatlas offers, built from a snapshot: what `/charts/…`, the page and the
//! static report render.

use std::collections::HashMap;

use plotters::style::RGBColor;

use super::bars::Bars;
use super::map::{Choropleth, Layer};
use super::progress::{Milestone, Point, Progress};
use super::{data_date, ChartError, Frame};
use crate::coverage::figures::{lotse_class, ratio, UnitFigures};
use crate::coverage::raw::UnitLevel;
use crate::coverage::snapshot::Snapshot;
use crate::model::calendar::{iso_date, project_start, step_ends};
use crate::model::column::{band_of, SHARE_BANDS};
use crate::model::published;
use crate::model::{AdminKind, Art, SizeClass};

/// What a map shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MapMetric {
    /// Digitallotsen: keine / basis / aufbau (Gemeinden), share classes (Kreise).
    Lotsen,
    /// Number of active Standardprozesse (Gemeinden), average (Kreise).
    Standardprozesse,
    /// One process: active or not (Gemeinden), share of Gemeinden (Kreise).
    Process(String),
}

impl MapMetric {
    /// The `metric` query value.
    pub fn as_param(&self) -> String {
        match self {
            MapMetric::Lotsen => "lotsen".into(),
            MapMetric::Standardprozesse => "standardprozesse".into(),
            MapMetric::Process(id) => format!("process:{id}"),
        }
    }

    pub fn parse(v: &str) -> Option<MapMetric> {
        match v {
            "" | "lotsen" => Some(MapMetric::Lotsen),
            "standardprozesse" => Some(MapMetric::Standardprozesse),
            _ => v
                .strip_prefix("process:")
                .filter(|id| !id.is_empty())
                .map(|id| MapMetric::Process(id.to_string())),
        }
    }
}

const SOURCE: &str = "Quelle: digitalatlas";

fn frame(snap: &Snapshot, title: String, extra: &str) -> Frame {
    Frame {
        title,
        subtitle: data_date(snap.current.as_of, snap.raw.demo),
        attribution: if extra.is_empty() {
            SOURCE.to_string()
        } else {
            format!("{SOURCE} · {extra}")
        },
    }
}

const LOTSE_COLORS: [(&str, RGBColor, &str); 3] = [
    ("keine", RGBColor(217, 217, 217), "kein Digitallotse"),
    ("basis", RGBColor(107, 174, 214), "Basisqualifizierung"),
    ("aufbau", RGBColor(8, 81, 156), "mit Aufbauschulung"),
];

/// Five sequential greens (light to dark).
const GREENS: [RGBColor; 5] = [
    RGBColor(237, 248, 233),
    RGBColor(186, 228, 179),
    RGBColor(116, 196, 118),
    RGBColor(49, 163, 84),
    RGBColor(0, 109, 44),
];

/// The class of a share (`model::column::SHARE_BANDS`, the classes of every share figure: the
/// GeoJSON's `coverage_class` and the Grafana map use the same), one colour each.
fn band(share: f64) -> usize {
    band_of(&SHARE_BANDS, share).min(GREENS.len() - 1)
}

fn share_legend(what: &str) -> Vec<(RGBColor, String)> {
    SHARE_BANDS
        .iter()
        .zip(GREENS)
        .map(|(b, c)| (c, format!("{what} {}", b.label)))
        .collect()
}

/// Whether the shipped boundaries draw this registry (see [`crate::boundaries::cover`]).
pub use crate::boundaries::cover as boundaries_cover;

/// How many Gemeinden of the registry have no shape on the maps (listed under them).
pub fn boundaries_missing(raw: &crate::coverage::raw::RawData) -> usize {
    crate::boundaries::missing_gemeinden(&raw.registry).len()
}

/// What a map shows, resolved against the snapshot.
#[derive(Debug, Clone, Copy)]
enum Shown {
    Lotsen,
    Standardprozesse,
    /// Index into `RawData::processes`.
    Process(usize),
}

/// Fills per region key, the legend and the title of a map.
type Painted = (HashMap<String, RGBColor>, Vec<(RGBColor, String)>, String);

/// A choropleth of Gemeinden or Kreise.
pub fn map(
    snap: &Snapshot,
    layer: Layer,
    metric: &MapMetric,
    focus: Option<&str>,
) -> Result<Choropleth, ChartError> {
    let raw = &snap.raw;
    let shown = match metric {
        MapMetric::Lotsen => Shown::Lotsen,
        MapMetric::Standardprozesse => Shown::Standardprozesse,
        MapMetric::Process(id) => Shown::Process(
            raw.process_index(id)
                .ok_or_else(|| ChartError(format!("no process with id {id:?}")))?,
        ),
    };
    let (fills, legend, title) = match layer {
        Layer::Gemeinden => gemeinden(snap, shown),
        Layer::Kreise => kreise_map(snap, shown),
        Layer::Laender => laender_map(snap, shown),
    };
    let boundaries = crate::boundaries::of(&raw.registry);
    let title = match focus.and_then(|k| {
        raw.units
            .iter()
            .find(|u| matches!(u.level, UnitLevel::Kreis | UnitLevel::Land) && u.key == k)
    }) {
        Some(k) => format!("{title}: {}", k.name),
        None => title,
    };
    Ok(Choropleth {
        frame: frame(snap, title, boundaries.attribution()),
        boundaries,
        focus: focus.map(str::to_string),
        layer,
        fills,
        legend,
        kreis_borders: true,
    })
}

/// Every Gemeinde filled by its Lotse class, its share of Standardprozesse, or one process.
fn gemeinden(snap: &Snapshot, shown: Shown) -> Painted {
    let raw = &snap.raw;
    let f = &snap.current;
    let n_standard = raw.processes_of(Art::Standard);
    let mut fills = HashMap::new();
    for (i, a) in raw.admins.iter().enumerate() {
        if a.kind != AdminKind::Gemeinde {
            continue;
        }
        let color = match shown {
            Shown::Lotsen => {
                let class = lotse_class(f.admin_lotsen[i]);
                LOTSE_COLORS
                    .iter()
                    .find(|(k, _, _)| *k == class)
                    .map_or(LOTSE_COLORS[0].1, |c| c.1)
            }
            Shown::Standardprozesse => GREENS[band(f.admin_ozg[i].standard_share(n_standard))],
            Shown::Process(p) if f.is_active(raw, i, p) => GREENS[4],
            Shown::Process(_) => LOTSE_COLORS[0].1,
        };
        fills.insert(a.id.clone(), color);
    }
    let (legend, title) = match shown {
        Shown::Lotsen => (
            LOTSE_COLORS
                .iter()
                .map(|(_, c, l)| (*c, l.to_string()))
                .collect(),
            "Kommunale Digitallotsen je Gemeinde".to_string(),
        ),
        Shown::Standardprozesse => (
            share_legend("Standardprozesse aktiv:"),
            raw.registry
                .territory()
                .localize("Aktive Standardprozesse auf service-bw je Gemeinde")
                .into_owned(),
        ),
        Shown::Process(p) => (
            vec![
                (GREENS[4], "freigeschaltet".to_string()),
                (LOTSE_COLORS[0].1, "nicht freigeschaltet".to_string()),
            ],
            format!("Onlinedienst „{}“ je Gemeinde", raw.processes[p].name),
        ),
    };
    (fills, legend, title)
}

/// Every Kreis filled by a share: administrations with a Lotse, active Standardprozesse, or
/// Gemeinden with one process.
fn kreise_map(snap: &Snapshot, shown: Shown) -> Painted {
    let raw = &snap.raw;
    let f = &snap.current;
    let n_standard = raw.processes_of(Art::Standard);
    let mut fills = HashMap::new();
    for (pos, &u) in raw.kreise.iter().enumerate() {
        let uf = &f.units[u];
        let share = match shown {
            Shown::Lotsen => uf.share_with_lotse(),
            Shown::Standardprozesse => uf.standard_processes_share(n_standard),
            Shown::Process(p) => f.processes[p].share_in_kreis(pos, uf),
        };
        fills.insert(raw.units[u].key.clone(), GREENS[band(share)]);
    }
    let (legend, title) = match shown {
        Shown::Lotsen => (
            share_legend("Verwaltungen mit Lotse:"),
            "Kommunale Digitallotsen je Kreis".to_string(),
        ),
        Shown::Standardprozesse => (
            share_legend("Standardprozesse aktiv:"),
            "Aktive Standardprozesse je Kreis (Durchschnitt der Gemeinden)".to_string(),
        ),
        Shown::Process(p) => (
            share_legend("Gemeinden:"),
            format!("Onlinedienst „{}“ je Kreis", raw.processes[p].name),
        ),
    };
    (fills, legend, title)
}

/// Every Land filled by a share: administrations with a Lotse, active Standardprozesse, or
/// Gemeinden with one process (an atlas of Germany).
fn laender_map(snap: &Snapshot, shown: Shown) -> Painted {
    let raw = &snap.raw;
    let f = &snap.current;
    let n_standard = raw.processes_of(Art::Standard);
    let mut fills = HashMap::new();
    for u in raw.laender() {
        let uf = &f.units[u];
        let share = match shown {
            Shown::Lotsen => uf.share_with_lotse(),
            Shown::Standardprozesse => uf.standard_processes_share(n_standard),
            Shown::Process(p) => {
                let land = raw.units[u].key.as_str();
                let (mut with, mut all) = (0usize, 0usize);
                for (i, a) in raw.admins.iter().enumerate() {
                    if a.kind == AdminKind::Gemeinde && a.id.starts_with(land) {
                        all += 1;
                        with += usize::from(f.is_active(raw, i, p));
                    }
                }
                with as f64 / all.max(1) as f64
            }
        };
        fills.insert(raw.units[u].key.clone(), GREENS[band(share)]);
    }
    let (legend, title) = match shown {
        Shown::Lotsen => (
            share_legend("Verwaltungen mit Lotse:"),
            "Kommunale Digitallotsen je Land".to_string(),
        ),
        Shown::Standardprozesse => (
            share_legend("Standardprozesse aktiv:"),
            "Aktive Standardprozesse je Land (Durchschnitt der Gemeinden)".to_string(),
        ),
        Shown::Process(p) => (
            share_legend("Gemeinden:"),
            format!("Onlinedienst „{}“ je Land", raw.processes[p].name),
        ),
    };
    (fills, legend, title)
}

/// Administrations with a Lotse and Lotsen per month end since the Projektstart, the target, the
/// published milestones, the forecast.
pub fn progress(snap: &Snapshot) -> Progress {
    let raw = &snap.raw;
    let start = project_start();
    let ends = step_ends(start, snap.current.as_of, 1);
    let points: Vec<Point> = ends
        .iter()
        .zip(snap.days_figures(&ends))
        .map(|(&day, f)| {
            let u = f.total(raw);
            Point {
                date: day,
                administrations_with_lotse: u.with_lotse(None, None) as f64,
                lotsen: u.lotsen_of(None, None) as f64,
            }
        })
        .collect();
    let target = UnitFigures::total_of(raw, &snap.current.units).administrations_of(None) as f64;
    let d = |s: &str| iso_date(s).unwrap_or_default();
    // The published figures are Baden-Württemberg's.
    let bw = raw.laender().map(|i| raw.units[i].key.as_str()).eq(["08"]);
    let mut milestones: Vec<Milestone> = published::LOTSEN_MILESTONES
        .iter()
        .map(|m| Milestone {
            date: d(m.date),
            value: m.lotsen as f64,
            label: m.label.into(),
        })
        .collect();
    milestones.push(Milestone {
        date: d(published::DATE_2021),
        value: (published::KOMMUNEN_2021 + published::LANDKREISE_2021) as f64,
        label: "326 Kommunen + 30 Landkreise".into(),
    });
    if !bw {
        milestones.clear();
    }
    Progress {
        frame: frame(
            snap,
            "Kommunale Digitallotsen: Fortschritt zum Ziel".into(),
            if bw {
                "veröffentlichte Stände als Punkte"
            } else {
                ""
            },
        ),
        points,
        target,
        milestones,
    }
}

/// The progress of one Kreis: its administrations with a Lotse and its Lotsen per month end,
/// its target (all its administrations) and the forecast; no published milestones (those are
/// the Land's).
pub fn kreis_progress(snap: &Snapshot, key: &str) -> Result<Progress, ChartError> {
    let raw = &snap.raw;
    let u = raw
        .unit_index(UnitLevel::Kreis, key)
        .ok_or_else(|| ChartError(format!("no Kreis with key {key}")))?;
    let ends = step_ends(project_start(), snap.current.as_of, 1);
    let points: Vec<Point> = ends
        .iter()
        .zip(snap.days_figures(&ends))
        .map(|(&day, f)| Point {
            date: day,
            administrations_with_lotse: f.unit(u).map_or(0, |uf| uf.with_lotse(None, None)) as f64,
            lotsen: f.unit(u).map_or(0, |uf| uf.lotsen_of(None, None)) as f64,
        })
        .collect();
    Ok(Progress {
        frame: frame(
            snap,
            format!(
                "Digitallotsen im {}: Fortschritt zum Ziel",
                raw.units[u].name
            ),
            "",
        ),
        points,
        target: snap.current.units[u].administrations_of(None) as f64,
        milestones: Vec::new(),
    })
}

/// An administration's (AGS or a Landratsamt's Kreis key) Lotsen and active processes at every
/// month end since the project began, and on the day.
pub fn history(snap: &Snapshot, id: &str) -> Result<super::history::History, ChartError> {
    use super::history::{History, Series};
    let raw = &snap.raw;
    let &admin = raw
        .admin_idx
        .get(id)
        .ok_or_else(|| ChartError(format!("no administration with key {id}")))?;
    let dates = step_ends(project_start(), snap.current.as_of, 1);
    let points = crate::coverage::history::history(raw, admin as usize, &dates);
    let series =
        |label: &str, color, width, value: fn(&crate::coverage::history::HistoryPoint) -> u32| {
            Series {
                label: label.to_string(),
                color,
                width,
                values: points.iter().map(|p| f64::from(value(p))).collect(),
            }
        };
    Ok(History {
        frame: frame(
            snap,
            format!(
                "{}: Digitallotsen und aktive Prozesse",
                raw.admins[admin as usize].name
            ),
            "",
        ),
        dates,
        series: vec![
            series("aktive Standardprozesse", super::LINE_BLUE, 3, |p| {
                p.standard
            }),
            series("aktive Universalprozesse", super::LINE_GREEN, 2, |p| {
                p.universal
            }),
            series("Digitallotsen (Personen)", super::LINE_ORANGE, 3, |p| {
                p.lotsen.any
            }),
        ],
    })
}

/// Gemeinden that have switched each process on (the 40 most common).
pub fn processes(snap: &Snapshot) -> Bars {
    let raw = &snap.raw;
    let mut items: Vec<(String, f64)> = raw
        .processes
        .iter()
        .zip(&snap.current.processes)
        .map(|(p, f)| (p.name.clone(), f.gemeinden as f64))
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.truncate(40);
    let gemeinden = raw
        .admins
        .iter()
        .filter(|a| a.kind == AdminKind::Gemeinde)
        .count() as f64;
    Bars {
        frame: frame(
            snap,
            snap.raw
                .registry
                .territory()
                .localize("Freischaltungen je Onlinedienst (service-bw)")
                .into_owned(),
            "",
        ),
        items,
        max: gemeinden,
        percent: false,
        x_desc: "Gemeinden mit freigeschaltetem Dienst".into(),
    }
}

/// Share of administrations with a Lotse per Kreis, lowest first.
pub fn kreise(snap: &Snapshot) -> Bars {
    let raw = &snap.raw;
    let mut items: Vec<(String, f64)> = raw
        .units
        .iter()
        .zip(&snap.current.units)
        .filter(|(u, _)| u.level == UnitLevel::Kreis)
        .map(|(u, f)| (u.name.clone(), f.share_with_lotse()))
        .collect();
    items.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Bars {
        frame: frame(
            snap,
            "Verwaltungen mit Digitallotse je Kreis".into(),
            "Gemeinden und Landratsamt je Kreis",
        ),
        items,
        max: 1.0,
        percent: true,
        x_desc: "Anteil der Verwaltungen mit Lotse".into(),
    }
}

/// Share of Gemeinden with a Lotse per size class.
/// "Wirken Digitallotsen?": active Standardprozesse per Gemeinde by size class, for Gemeinden
/// without a Lotse, with Basis and with Aufbau (a comparison, not a proof of cause).
pub fn lotsen_ozg(snap: &Snapshot) -> Bars {
    let raw = &snap.raw;
    let labels = ["ohne Lotse", "mit Basis", "mit Aufbau"];
    let rows = crate::coverage::analysis::by_group(raw, &snap.current);
    let items: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.gemeinden > 0)
        .map(|r| {
            let class = r.size_class.map_or("alle Größen", |c| c.short_label());
            (
                format!("{class}: {} ({} Gem.)", labels[r.group], r.gemeinden),
                r.standard_active_avg,
            )
        })
        .collect();
    let n_standard = raw.processes_of(Art::Standard).max(1) as f64;
    Bars {
        frame: frame(
            snap,
            "Aktive Standardprozesse je Gemeinde: ohne und mit Digitallotse".into(),
            "Vergleich innerhalb der Größenklassen, kein Beleg für Ursache und Wirkung",
        ),
        items,
        max: n_standard,
        percent: false,
        x_desc: "aktive Standardprozesse je Gemeinde (Durchschnitt)".into(),
    }
}

pub fn size_classes(snap: &Snapshot) -> Bars {
    let raw = &snap.raw;
    let items: Vec<(String, f64)> = SizeClass::ALL
        .iter()
        .filter_map(|c| {
            let u = raw
                .units
                .iter()
                .position(|u| u.level == UnitLevel::Groessenklasse && u.key == c.key())?;
            let f = &snap.current.units[u];
            Some((
                c.label().to_string(),
                ratio(
                    f.with_lotse(Some(AdminKind::Gemeinde), None) as f64,
                    f.administrations_of(Some(AdminKind::Gemeinde)) as f64,
                ),
            ))
        })
        .collect();
    Bars {
        frame: frame(
            snap,
            "Gemeinden mit Digitallotse nach Größenklasse".into(),
            "",
        ),
        items,
        max: 1.0,
        percent: true,
        x_desc: "Anteil der Gemeinden mit Lotse".into(),
    }
}
