//! `GET /api/v1/steckbrief/{key}`: a Kommune's Steckbrief (`coverage::steckbrief`) — ranks in
//! its Kreis and Land, its peer group with average and spread, what comparable Gemeinden already
//! offer — as one JSON document, or for Excel and programs as rows of Abschnitt, Kennzahl, Wert
//! (`format=xlsx|csv|csv-de`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::params::{table, ApiQuery, Download};
use super::query::{Day, TableFormat};
use super::{AppState, Routes};
use crate::coverage::figures::lotse_class;
use crate::coverage::steckbrief::{Rank, Steckbrief};
use crate::coverage::{Figures, RawData};
use crate::http::error::ApiError;
use chrono::Datelike;

use crate::model::calendar::{project_start, step_ends};
use crate::model::column::{Column, ColumnKind::*};
use crate::model::AdminKind;

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/steckbrief/{key}", get(steckbrief))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// The Steckbrief as of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// json (default: the document), or its rows: xlsx (Excel workbook), csv-de (German CSV)
    /// or csv.
    #[param(inline)]
    format: Option<TableFormat>,
}

/// A place in a ranking: 1 = most; equal values share a place.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub(crate) struct Place {
    pub platz: u32,
    pub von: u32,
}

impl From<Rank> for Place {
    fn from(r: Rank) -> Place {
        Place {
            platz: r.position,
            von: r.of,
        }
    }
}

/// The peer group and how it stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PeerGroup {
    /// groessenklasse_und_gemeindetyp, groessenklasse (no other Gemeinde of its type in its
    /// class) or landratsaemter.
    pub regel: &'static str,
    /// The rule in words.
    pub regel_text: String,
    /// The size class key (`/api/v1/coverage?level=groessenklasse`); null for a Landratsamt.
    pub groessenklasse: Option<&'static str>,
    /// As the registry names it: Gemeinde, Stadt, Große Kreisstadt, Stadtkreis …
    pub gemeindetyp: String,
    /// Members, without the Kommune itself.
    pub anzahl: usize,
    /// Keys of the members.
    pub mitglieder: Vec<String>,
    /// Active Standardprozesse of the members: mean, median, smallest, largest.
    pub standard_mittel: Option<f64>,
    pub standard_median: Option<f64>,
    pub standard_min: Option<u32>,
    pub standard_max: Option<u32>,
    /// Its place among the members and itself.
    pub platz: Place,
}

/// A process at least half of the peers have switched on, and the Kommune not.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Talking {
    pub prozess_id: String,
    pub name: String,
    /// standard or universal.
    pub art: &'static str,
    /// Peers that have it switched on, of how many.
    pub vergleichsgemeinden_mit: u32,
    pub vergleichsgemeinden: usize,
    /// Their share, 0..1.
    pub anteil: f64,
}

/// A member of its Verband and how it stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Member {
    pub verwaltung: String,
    pub name: String,
    /// keine, basis or aufbau.
    pub lotse: &'static str,
    pub standard_active: u32,
}

/// The administration at one month end (or on the Stichtag, the last point).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct HistoryDoc {
    pub datum: String,
    /// The same day, for the rows.
    #[serde(skip)]
    #[schema(ignore)]
    pub day: chrono::NaiveDate,
    /// Distinct Digitallotsen qualified by then, and of them with an Aufbauschulung.
    pub lotsen: u32,
    pub lotsen_aufbau: u32,
    pub standard_active: u32,
    pub universal_active: u32,
}

/// Its Gemeindeverband (Gemeindeverwaltungsverband or vereinbarte Verwaltungsgemeinschaft).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct VerbandDoc {
    pub verband_ars: String,
    pub name: String,
    pub art: String,
    /// No Lotse of its own, but a member of its Verband has one.
    pub ueber_verband_erreichbar: bool,
    /// Every member, itself included.
    pub mitglieder: Vec<Member>,
}

/// A Kommune's Steckbrief.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SteckbriefDoc {
    /// AGS of a Gemeinde or Kreis key of a Landratsamt.
    pub verwaltung: String,
    pub name: String,
    /// gemeinde or landratsamt.
    pub art: &'static str,
    pub kreis: String,
    pub kreis_name: String,
    /// The Gemeinde's population (0 for a Landratsamt: its people count in its Gemeinden).
    pub population: i64,
    pub stichtag: String,
    /// keine, basis or aufbau.
    pub lotse: &'static str,
    pub standard_active: u32,
    pub universal_active: u32,
    /// Onlinedienste available to it (own and from above); null when the federal export was not
    /// imported.
    pub onlinedienste: Option<u32>,
    /// By active Standardprozesse among the Gemeinden of its Kreis (null for a Landratsamt).
    pub rang_kreis: Option<Place>,
    /// By active Standardprozesse among the administrations of its kind in its Land.
    pub rang_land: Place,
    pub onlinedienste_rang_kreis: Option<Place>,
    pub onlinedienste_rang_land: Option<Place>,
    pub vergleichsgruppe: PeerGroup,
    /// Was vergleichbare Gemeinden schon anbieten: most common first.
    pub vorschlaege: Vec<Talking>,
    /// service-bw accounts at the latest per-Kommune Stichtag (null: none up to the day).
    pub buergerkonten: Option<i64>,
    pub organisationskonten: Option<i64>,
    /// Its Gemeindeverband of two or more Gemeinden (null: none, or a verbandsfreie Gemeinde).
    pub verband: Option<VerbandDoc>,
    /// Its Lotsen and active processes at every month end since November 2018 and on the
    /// Stichtag (the chart `/charts/history/{key}`).
    pub verlauf: Vec<HistoryDoc>,
    pub demo: bool,
}

impl SteckbriefDoc {
    pub(crate) fn of(raw: &RawData, f: &Figures, s: &Steckbrief) -> SteckbriefDoc {
        let a = &raw.admins[s.admin];
        let k = &raw.units[raw.kreise[a.kreis]];
        let peers = &s.peers;
        let n = peers.members.len();
        let accounts = |t: usize| f.admin_accounts_date[t].map(|_| f.admin_accounts[s.admin][t]);
        SteckbriefDoc {
            verwaltung: a.id.clone(),
            name: a.name.clone(),
            art: a.kind.as_str(),
            kreis: k.key.clone(),
            kreis_name: k.name.clone(),
            population: if a.kind == AdminKind::Gemeinde {
                a.population
            } else {
                0
            },
            stichtag: f.as_of.to_string(),
            lotse: lotse_class(f.admin_lotsen[s.admin]),
            standard_active: s.standard,
            universal_active: s.universal,
            onlinedienste: s.services,
            rang_kreis: s.rank_kreis.map(Place::from),
            rang_land: s.rank_land.into(),
            onlinedienste_rang_kreis: s.services_rank_kreis.map(Place::from),
            onlinedienste_rang_land: s.services_rank_land.map(Place::from),
            vergleichsgruppe: PeerGroup {
                regel: peers.rule.as_str(),
                regel_text: peers.describe(),
                groessenklasse: peers.size_class.map(|c| c.key()),
                gemeindetyp: peers.kind.clone(),
                anzahl: n,
                mitglieder: peers
                    .members
                    .iter()
                    .map(|&i| raw.admins[i].id.clone())
                    .collect(),
                standard_mittel: peers.standard.map(|x| x.mean),
                standard_median: peers.standard.map(|x| x.median),
                standard_min: peers.standard.map(|x| x.min),
                standard_max: peers.standard.map(|x| x.max),
                platz: peers.rank.into(),
            },
            vorschlaege: s
                .suggestions
                .iter()
                .map(|t| {
                    let p = &raw.processes[t.process];
                    Talking {
                        prozess_id: p.id.clone(),
                        name: p.name.clone(),
                        art: p.art.as_str(),
                        vergleichsgemeinden_mit: t.peers_with,
                        vergleichsgemeinden: n,
                        anteil: f64::from(t.peers_with) / n.max(1) as f64,
                    }
                })
                .collect(),
            buergerkonten: accounts(0),
            organisationskonten: accounts(1),
            verband: verband_doc(raw, f, s),
            verlauf: history_doc(raw, f, s.admin),
            demo: raw.demo,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/steckbrief/{key}", params(("key" = String, Path, description = "AGS of a Gemeinde (8 digits) or Kreis key of a Landratsamt (5 digits)"), Params), tag = "coverage",
    responses((status = 200, description = "The Steckbrief", content((SteckbriefDoc = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "No administration with this key", body = super::error::ErrorBody)))]
pub(super) async fn steckbrief(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let Some(&admin) = raw.admin_idx.get(key.as_str()) else {
        return Err(ApiError::NotFound(format!(
            "no Gemeinde (AGS) or Landratsamt (Kreis key) {key:?}"
        )));
    };
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let figures = snap.as_of(day);
    let f = &*figures;
    let doc = SteckbriefDoc::of(raw, f, &f.steckbrief(raw, admin as usize));
    let format = p.format.unwrap_or_default();
    if format == TableFormat::Json {
        return Ok(Json(doc).into_response());
    }
    let download = Download::of(
        format!("steckbrief-{key}"),
        &snap,
        f.as_of,
        "/api/v1/steckbrief/{key}",
    );
    table(rows(&doc), &ROW_COLUMNS, format, &download)
}

/// Its history at every month end up to the figures' day.
fn history_doc(raw: &RawData, f: &Figures, admin: usize) -> Vec<HistoryDoc> {
    let days = step_ends(project_start(), f.as_of, 1);
    crate::coverage::history::history(raw, admin, &days)
        .into_iter()
        .map(|p| HistoryDoc {
            datum: p.date.to_string(),
            day: p.date,
            lotsen: p.lotsen.any,
            lotsen_aufbau: p.lotsen.aufbau,
            standard_active: p.standard,
            universal_active: p.universal,
        })
        .collect()
}

/// Its Verband and the members' state, as the document has them.
fn verband_doc(raw: &RawData, f: &Figures, s: &Steckbrief) -> Option<VerbandDoc> {
    let v = s.verband.as_ref()?;
    let a = &raw.registry.associations()[v.association];
    Some(VerbandDoc {
        verband_ars: a.verband_ars.clone(),
        name: a.name.clone(),
        art: a.kind.clone(),
        ueber_verband_erreichbar: v.reachable,
        mitglieder: v
            .members
            .iter()
            .map(|&i| Member {
                verwaltung: raw.admins[i].id.clone(),
                name: raw.admins[i].name.clone(),
                lotse: lotse_class(f.admin_lotsen[i]),
                standard_active: f.admin_ozg[i].standard,
            })
            .collect(),
    })
}

/// One line of the Steckbrief's table form.
#[derive(Debug, Serialize)]
struct Line {
    abschnitt: &'static str,
    kennzahl: String,
    /// Counts and places as integers, averages as decimals (each cell formatted by its number).
    wert: Option<serde_json::Number>,
    erlaeuterung: String,
}

const ROW_COLUMNS: [Column; 4] = [
    Column::new("abschnitt", "Abschnitt", Text, "Section of the Steckbrief"),
    Column::new("kennzahl", "Kennzahl", Text, "What the value is"),
    Column::new(
        "wert",
        "Wert",
        Integer,
        "The value: a count or place, or an average (with decimals)",
    ),
    Column::new(
        "erlaeuterung",
        "Erläuterung",
        Text,
        "Out of what, or which group",
    ),
];

/// A value for the table: an integer stays one, a fraction keeps two decimals.
#[derive(Debug, Clone, Copy)]
enum Value {
    Count(i64),
    Average(f64),
}

fn line(abschnitt: &'static str, kennzahl: &str, wert: Option<Value>, erl: String) -> Line {
    let wert = wert.and_then(|v| match v {
        Value::Count(n) => Some(n.into()),
        Value::Average(x) => serde_json::Number::from_f64((x * 100.0).round() / 100.0),
    });
    Line {
        abschnitt,
        kennzahl: kennzahl.to_string(),
        wert,
        erlaeuterung: erl,
    }
}

/// The document as lines, in the order the page shows it.
fn rows(d: &SteckbriefDoc) -> Vec<Line> {
    let count = |v: u32| Some(Value::Count(v.into()));
    let mut out = vec![
        line(
            "Kommune",
            &d.name,
            None,
            format!("{} {}", d.art, d.verwaltung),
        ),
        line(
            "Kommune",
            "Einwohner",
            Some(Value::Count(d.population)),
            String::new(),
        ),
        line("Kommune", "Digitallotse", None, d.lotse.to_string()),
        line(
            "Kommune",
            "aktive Standardprozesse",
            count(d.standard_active),
            String::new(),
        ),
        line(
            "Kommune",
            "aktive Universalprozesse",
            count(d.universal_active),
            String::new(),
        ),
    ];
    if let Some(o) = d.onlinedienste {
        out.push(line("Kommune", "Onlinedienste", count(o), String::new()));
    }
    if let Some(v) = &d.verband {
        let erreichbar = if v.ueber_verband_erreichbar {
            "ja"
        } else {
            "nein"
        };
        out.push(line("Verband", &v.name, None, v.art.clone()));
        out.push(line(
            "Verband",
            "über den Verband erreichbar",
            None,
            erreichbar.into(),
        ));
        for m in &v.mitglieder {
            let n = Some(Value::Count(m.standard_active.into()));
            out.push(line(
                "Verband",
                &m.name,
                n,
                format!("Digitallotse: {}", m.lotse),
            ));
        }
    }
    out.extend(rank_lines(d));
    out.extend(peer_lines(&d.vergleichsgruppe));
    out.extend(history_lines(&d.verlauf));
    for t in &d.vorschlaege {
        out.push(line(
            "Was vergleichbare Gemeinden schon anbieten",
            &t.name,
            count(t.vergleichsgemeinden_mit),
            format!("von {} Vergleichsgemeinden", t.vergleichsgemeinden),
        ));
    }
    out
}

/// Its history at each year end and on the Stichtag: Lotsen and active Standardprozesse.
fn history_lines(verlauf: &[HistoryDoc]) -> Vec<Line> {
    let last = verlauf.len().saturating_sub(1);
    verlauf
        .iter()
        .enumerate()
        .filter(|(i, h)| *i == last || (h.day.month(), h.day.day()) == (12, 31))
        .flat_map(|(_, h)| {
            let day = h.day.format("%d.%m.%Y");
            [
                line(
                    "Verlauf",
                    &format!("Digitallotsen am {day}"),
                    Some(Value::Count(h.lotsen.into())),
                    format!("davon mit Aufbauschulung: {}", h.lotsen_aufbau),
                ),
                line(
                    "Verlauf",
                    &format!("aktive Standardprozesse am {day}"),
                    Some(Value::Count(h.standard_active.into())),
                    format!("aktive Universalprozesse: {}", h.universal_active),
                ),
            ]
        })
        .collect()
}

/// Its places in the Kreis and the Land.
fn rank_lines(d: &SteckbriefDoc) -> Vec<Line> {
    let count = |v: u32| Some(Value::Count(v.into()));
    // Ranked among the administrations of its kind.
    let fellows = if d.art == AdminKind::Gemeinde.as_str() {
        "Gemeinden"
    } else {
        "Landratsämtern"
    };
    let mut out = Vec::new();
    for (label, p, among) in [
        (
            "Rang im Kreis (aktive Standardprozesse)",
            d.rang_kreis,
            "Gemeinden",
        ),
        (
            "Rang im Land (aktive Standardprozesse)",
            Some(d.rang_land),
            fellows,
        ),
        (
            "Rang im Kreis (Onlinedienste)",
            d.onlinedienste_rang_kreis,
            "Gemeinden",
        ),
        (
            "Rang im Land (Onlinedienste)",
            d.onlinedienste_rang_land,
            fellows,
        ),
    ] {
        if let Some(p) = p {
            let of = format!("von {} {among}", p.von);
            out.push(line("Rang", label, count(p.platz), of));
        }
    }
    out
}

/// The peer group's average and spread, and its place in it.
fn peer_lines(g: &PeerGroup) -> Vec<Line> {
    let group = format!("{} Vergleichsgemeinden: {}", g.anzahl, g.regel_text);
    let mut out: Vec<Line> = [
        (
            "Durchschnitt aktive Standardprozesse",
            g.standard_mittel.map(Value::Average),
        ),
        (
            "Median aktive Standardprozesse",
            g.standard_median.map(Value::Average),
        ),
        (
            "kleinster Wert",
            g.standard_min.map(|v| Value::Count(v.into())),
        ),
        (
            "größter Wert",
            g.standard_max.map(|v| Value::Count(v.into())),
        ),
    ]
    .into_iter()
    .map(|(label, v)| line("Vergleichsgruppe", label, v, group.clone()))
    .collect();
    let of = format!("von {} in der Vergleichsgruppe", g.platz.von);
    let place = Some(Value::Count(g.platz.platz.into()));
    out.push(line("Vergleichsgruppe", "Platz", place, of));
    out
}
