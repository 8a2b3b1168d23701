//! The OZG views of the dashboard "Übersicht Prozesse Konten": `GET /api/v1/ozg/processes` (the
//! catalogue with activation counts and population shares) and `GET /api/v1/ozg/matrix`
//! (Kommune × process, the dashboard's central table). Both optionally for one Kreis.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::params::{dynamic_table, kreis_filter, table, ApiQuery, Download, DynColumn};
use super::query::{ArtFilter, Day, Header, KreisFilter, RbFilter, TableFormat};
use super::{AppState, Routes};
use crate::coverage::figure::Figure;
use crate::coverage::figures::lotse_class;
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};
use crate::model::{AdminKind, Art};

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/api/v1/ozg/processes", get(processes))
        .route("/api/v1/ozg/matrix", get(matrix))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// Only this Kreis (5-digit key; `.*` or empty: all, as Grafana's "All").
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// Only this Regierungsbezirk (3-digit key; `.*` or empty: all).
    #[param(inline)]
    regierungsbezirk: Option<RbFilter>,
    /// standard or universal: only processes of this kind.
    #[param(inline)]
    art: Option<ArtFilter>,
    /// Figures as of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<TableFormat>,
    /// Matrix only: key the process columns by `id` (default) or by the process' `name` (the
    /// id is added where two processes share a name), as a table for people shows them.
    #[param(inline)]
    header: Option<Header>,
    /// Matrix only: only the administrations that have this process (an id of
    /// `/api/v1/ozg/processes`) active; the dashboard's "wer hat Prozess X" table.
    with_process: Option<String>,
}

/// One process with how many Kommunen have switched it on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct ProcessRow {
    pub process_id: String,
    pub name: String,
    /// standard or universal.
    pub art: &'static str,
    /// 14-digit LeiKa key, empty for Universalprozesse.
    pub leika: String,
    pub as_of: String,
    pub demo: bool,
    pub gemeinden_active: u32,
    pub gemeinden_total: u32,
    /// Share of Gemeinden with the process active, 0..1.
    pub share_gemeinden: f64,
    pub population_active: i64,
    pub population_total: i64,
    /// Share of the population living in a Gemeinde with the process active, 0..1.
    pub share_population: f64,
    pub landratsaemter_active: u32,
    /// Active in every Gemeinde of the area.
    pub flaechendeckend: bool,
    /// Its maturity level, where the catalogue gives one (else empty), and the model.
    pub reifegrad: Option<u8>,
    pub reifegrad_modell: &'static str,
    /// The OZG Themenfeld of its LeiKa key in the shipped catalogue (empty where it knows none).
    pub themenfeld: String,
}

impl ProcessRow {
    /// The declared columns, in the order of the fields.
    pub(super) const COLUMNS: [Column; 17] = [
        PROCESS_ID,
        Column::new("name", "Name", Text, "The process' name"),
        Column::new("art", "Art", Text, "standard or universal"),
        Column::new(
            "leika",
            "LeiKa-Schlüssel",
            Key,
            "14-digit LeiKa key, empty for Universalprozesse",
        ),
        common::AS_OF,
        common::DEMO,
        Column::new(
            "gemeinden_active",
            "Gemeinden mit Prozess",
            Integer,
            "Gemeinden with the process active",
        ),
        Column::new(
            "gemeinden_total",
            "Gemeinden insgesamt",
            Integer,
            "Gemeinden of the area",
        ),
        Column::new(
            "share_gemeinden",
            "Anteil der Gemeinden",
            Share,
            "Share of Gemeinden with the process active, 0..1",
        ),
        Column::new(
            "population_active",
            "Einwohner mit Prozess",
            Integer,
            "Population of the Gemeinden with the process active",
        ),
        Column::new(
            "population_total",
            "Einwohner insgesamt",
            Integer,
            "Population of the area",
        ),
        Column::new(
            "share_population",
            "Anteil der Einwohner",
            Share,
            "Share of the population living in a Gemeinde with the process active, 0..1",
        ),
        Column::new(
            "landratsaemter_active",
            "Landratsämter mit Prozess",
            Integer,
            "Landratsämter with the process active",
        ),
        Column::new(
            "flaechendeckend",
            "Flächendeckend",
            YesNo,
            "Active in every Gemeinde of the area",
        ),
        Column::new(
            "reifegrad",
            "Reifegrad",
            Integer,
            "Maturity level (1.1: 0–4, 2.0: 0–7), where the catalogue gives one",
        ),
        Column::new(
            "reifegrad_modell",
            "Reifegradmodell",
            Text,
            "1.1 or 2.0 (the Reifegradmodell 2.0 of 2025)",
        ),
        Column::new(
            "themenfeld",
            "Themenfeld",
            Text,
            "The OZG Themenfeld of its LeiKa key (empty where the catalogue knows none)",
        ),
    ];
}

const PROCESS_ID: Column = Column::new("process_id", "Prozess-ID", Key, "The process' id");

/// What both views filter by: Kreise (None = all), process kind, day.
struct Selection {
    kreise: Option<Vec<bool>>,
    art: Option<Art>,
    day: chrono::NaiveDate,
}

impl Selection {
    fn of(snap: &crate::coverage::Snapshot, p: &Params) -> Result<Selection, ApiError> {
        Ok(Selection {
            kreise: kreis_filter(
                &snap.raw,
                &p.kreis.clone().unwrap_or_default(),
                &p.regierungsbezirk.clone().unwrap_or_default(),
            )?,
            art: p.art.unwrap_or_default().art(),
            day: p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of),
        })
    }
}

#[utoipa::path(get, path = "/api/v1/ozg/processes", params(Params), tag = "ozg",
    responses((status = 200, description = "One row per process", content((Vec<ProcessRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis", body = super::error::ErrorBody)))]
pub(super) async fn processes(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let Selection { kreise, art, day } = Selection::of(&snap, &p)?;
    let f = snap.as_of(day);
    let in_area = f.processes_in(raw, |a| kreise.as_ref().is_none_or(|k| k[a.kreis]));
    let rows: Vec<ProcessRow> = raw
        .processes
        .iter()
        .zip(&in_area)
        .filter(|(pr, _)| art.is_none_or(|a| pr.art == a))
        .map(|(pr, c)| ProcessRow {
            process_id: pr.id.clone(),
            name: pr.name.clone(),
            art: pr.art.as_str(),
            leika: pr.leika.clone().unwrap_or_default(),
            as_of: day.format("%Y-%m-%d").to_string(),
            demo: raw.demo,
            gemeinden_active: c.gemeinden_active,
            gemeinden_total: c.gemeinden_total,
            share_gemeinden: c.share_gemeinden(),
            population_active: c.population_active,
            population_total: c.population_total,
            share_population: c.share_population(),
            landratsaemter_active: c.landratsaemter_active,
            flaechendeckend: c.flaechendeckend(),
            reifegrad: pr.reifegrad.map(|r| r.level),
            reifegrad_modell: pr.reifegrad.map_or("", |r| r.modell.as_str()),
            themenfeld: pr
                .leika
                .as_deref()
                .and_then(|k| raw.registry.leika.get(k))
                .and_then(|e| e.themenfeld.clone())
                .unwrap_or_default(),
        })
        .collect();
    let download = Download::of("onlinedienste", &snap, day, "/api/v1/ozg/processes");
    table(
        rows,
        &ProcessRow::COLUMNS,
        p.format.unwrap_or_default(),
        &download,
    )
}

/// The process `with_process` names (None without one), or a 404 naming the unknown id.
fn process_given(
    raw: &crate::coverage::raw::RawData,
    id: Option<&str>,
) -> Result<Option<usize>, ApiError> {
    match id.filter(|id| !id.is_empty()) {
        None => Ok(None),
        Some(id) => raw
            .process_index(id)
            .map(Some)
            .ok_or_else(|| ApiError::NotFound(format!("no process with id {id:?}"))),
    }
}

/// Most cells (administrations × processes) the matrix answers without a Kreis.
const MAX_MATRIX_CELLS: usize = 2_000_000;

/// The fixed columns of the matrix; one column per process id follows (1 = active, 0 = not).
fn matrix_columns() -> Vec<Column> {
    common::ADMINISTRATION
        .into_iter()
        .chain([
            Figure::AccountsBuerger.column(),
            Figure::AccountsOrganisation.column(),
        ])
        .collect()
}

#[utoipa::path(get, path = "/api/v1/ozg/matrix", params(Params), tag = "ozg",
    responses((status = 200, description = "One row per administration (Gemeinde or Landratsamt): the columns `verwaltung`, `name`, `art` (gemeinde or landratsamt), `kreis`, `kreis_name`, `regierungsbezirk`, `population`, `lotse` (keine, basis, aufbau), `standard_active`, `universal_active`, `accounts_buerger`, `accounts_organisation` (service-bw accounts at the latest per-Kommune Stichtag, 0 without one), then one column per process id with 1 (active) or 0", content((Vec<Object> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis or process", body = super::error::ErrorBody)))]
pub(super) async fn matrix(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let Selection { kreise, art, day } = Selection::of(&snap, &p)?;
    let procs: Vec<usize> = (0..raw.processes.len())
        .filter(|&pi| art.is_none_or(|a| raw.processes[pi].art == a))
        .collect();
    let with = process_given(raw, p.with_process.as_deref())?;
    let f = snap.as_of(day);
    let admins: Vec<usize> = (0..raw.admins.len())
        .filter(|&i| kreise.as_ref().is_none_or(|k| k[raw.admins[i].kreis]))
        .filter(|&i| with.is_none_or(|pi| f.is_active(raw, i, pi)))
        .collect();
    if admins.len() * procs.len() > MAX_MATRIX_CELLS {
        return Err(ApiError::BadRequest(format!(
            "{} administrations × {} processes is too large for one answer: give kreis",
            admins.len(),
            procs.len()
        )));
    }
    let by_name = p.header.unwrap_or_default() == Header::Name;
    let mut columns: Vec<DynColumn> = matrix_columns().iter().map(DynColumn::from).collect();
    columns.extend(procs.iter().map(|&pi| {
        let proc = &raw.processes[pi];
        let shared = procs
            .iter()
            .filter(|&&o| raw.processes[o].name == proc.name)
            .count()
            > 1;
        let name = match (by_name, shared) {
            (false, _) => proc.id.clone(),
            (true, false) => proc.name.clone(),
            (true, true) => format!("{} ({})", proc.name, proc.id),
        };
        // 1 (active) or 0: a number, so that a spreadsheet can sum a column.
        DynColumn {
            header: name.clone(),
            name,
            kind: Integer,
        }
    }));
    let rows: Vec<Vec<Value>> = admins
        .iter()
        .map(|&i| {
            let a = &raw.admins[i];
            let k = &raw.units[raw.kreise[a.kreis]];
            let population = match a.kind {
                AdminKind::Gemeinde => a.population,
                AdminKind::Landratsamt => k.population,
            };
            let mut row = vec![
                Value::from(a.id.clone()),
                Value::from(a.name.clone()),
                Value::from(a.kind.as_str()),
                Value::from(k.key.clone()),
                Value::from(k.name.clone()),
                Value::from(k.regierungsbezirk()),
                Value::from(population),
                Value::from(lotse_class(f.admin_lotsen[i])),
                Value::from(f.admin_ozg[i].standard),
                Value::from(f.admin_ozg[i].universal),
                Value::from(f.admin_accounts[i][0]),
                Value::from(f.admin_accounts[i][1]),
            ];
            row.extend(
                procs
                    .iter()
                    .map(|&pi| Value::from(u8::from(f.is_active(raw, i, pi)))),
            );
            row
        })
        .collect();
    let download = Download::of("kommune-x-prozess", &snap, day, "/api/v1/ozg/matrix");
    dynamic_table(&columns, rows, p.format.unwrap_or_default(), &download)
}
