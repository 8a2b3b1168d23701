//! `GET /api/v1/outreach?missing=lotse|aufbau|process:ID[&kreis=KEY]`: the administrations still
//! lacking a Lotse, an Aufbau-qualified Lotse or one process, largest population first (a
//! Landratsamt counts with its Kreis' population), for the associations' outreach.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::params::{kreis_filter, table, ApiQuery, Download};
use super::query::{Day, KindFilter, KreisFilter, Missing, RbFilter, TableFormat, VerbandFilter};
use super::{AppState, Routes};
use crate::coverage::figures::lotse_class;
use crate::coverage::outreach::{served_population, Lack};
use crate::coverage::raw::Admin;
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/outreach", get(outreach))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// lotse (default), aufbau, or process:ID (a process id of `/api/v1/ozg/processes`).
    #[param(inline)]
    missing: Option<Missing>,
    /// Only this Kreis (5-digit key; `.*` or empty: all, as Grafana's "All").
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// Only this Regierungsbezirk (3-digit key; `.*` or empty: all).
    #[param(inline)]
    regierungsbezirk: Option<RbFilter>,
    /// gemeinde or landratsamt: only administrations of this kind (default both).
    #[param(inline)]
    art: Option<KindFilter>,
    /// The list as of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// alle (default; Gemeinden reachable through their Verband are marked `ueber_verband`) or
    /// ohne-erreichbare (left out).
    #[param(inline)]
    verband: Option<VerbandFilter>,
    /// At most this many rows (default all).
    limit: Option<usize>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One administration that still lacks what was asked for.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct OutreachRow {
    /// 1 = largest population.
    pub rank: u32,
    /// AGS of a Gemeinde or Kreis key of a Landratsamt.
    pub verwaltung: String,
    pub name: String,
    /// gemeinde or landratsamt.
    pub art: &'static str,
    pub kreis: String,
    pub kreis_name: String,
    pub regierungsbezirk: String,
    /// The Gemeinde's population, or the Kreis' for a Landratsamt.
    pub population: i64,
    /// keine, basis or aufbau.
    pub lotse: &'static str,
    pub standard_active: u32,
    pub universal_active: u32,
    pub missing: String,
    /// No Lotse of its own, but a partner in its Gemeindeverband has one.
    pub ueber_verband: bool,
    pub demo: bool,
}

impl OutreachRow {
    /// The declared columns, in the order of the fields.
    pub(super) fn columns() -> Vec<Column> {
        let rank = Column::new("rank", "Rang", Integer, "1 = largest population");
        let missing = Column::new(
            "missing",
            "Fehlt",
            Text,
            "What it lacks: a Lotse, an Aufbau course or a process",
        );
        let verband = Column::new(
            "ueber_verband",
            "über den Verband erreichbar",
            YesNo,
            "No Lotse of its own, but a partner in its Gemeindeverband has one",
        );
        std::iter::once(rank)
            .chain(common::ADMINISTRATION)
            .chain([missing, verband, common::DEMO])
            .collect()
    }
}

#[utoipa::path(get, path = "/api/v1/outreach", params(Params), tag = "coverage",
    responses((status = 200, description = "Administrations lacking it, largest population first", content((Vec<OutreachRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis or process", body = super::error::ErrorBody)))]
pub(super) async fn outreach(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let figures = snap.as_of(day);
    let f = &*figures;
    let kind = p.art.unwrap_or_default();
    let kreise = kreis_filter(
        raw,
        &p.kreis.clone().unwrap_or_default(),
        &p.regierungsbezirk.clone().unwrap_or_default(),
    )?;
    let missing = p.missing.clone().unwrap_or_default();
    let lack = match &missing {
        Missing::Lotse => Lack::Lotse,
        Missing::Aufbau => Lack::Aufbau,
        Missing::Process(id) => Lack::Process(
            raw.process_index(id)
                .ok_or_else(|| ApiError::NotFound(format!("no process with id {id:?}")))?,
        ),
    };
    let missing = match missing {
        Missing::Lotse => "lotse".to_string(),
        Missing::Aufbau => "aufbau".to_string(),
        Missing::Process(id) => format!("process:{id}"),
    };
    let in_area = |a: &Admin| kind.selects(a.kind) && kreise.as_ref().is_none_or(|k| k[a.kreis]);
    let reachable = |i: usize| raw.verbaende.reachable(&f.admin_lotsen, i);
    let leave_out = p.verband.unwrap_or_default() == VerbandFilter::OhneErreichbare;
    let mut rows: Vec<OutreachRow> = f
        .outreach(raw, lack, in_area)
        .into_iter()
        .filter(|&i| !(leave_out && reachable(i)))
        .enumerate()
        .map(|(rank, i)| {
            let a = &raw.admins[i];
            let k = &raw.units[raw.kreise[a.kreis]];
            OutreachRow {
                rank: rank as u32 + 1,
                verwaltung: a.id.clone(),
                name: a.name.clone(),
                art: a.kind.as_str(),
                kreis: k.key.clone(),
                kreis_name: k.name.clone(),
                regierungsbezirk: k.regierungsbezirk().to_string(),
                population: served_population(raw, a),
                lotse: lotse_class(f.admin_lotsen[i]),
                standard_active: f.admin_ozg[i].standard,
                universal_active: f.admin_ozg[i].universal,
                missing: missing.clone(),
                ueber_verband: reachable(i),
                demo: raw.demo,
            }
        })
        .collect();
    if let Some(limit) = p.limit {
        rows.truncate(limit);
    }
    let download = Download::of("ansprechliste", &snap, f.as_of, "/api/v1/outreach");
    table(
        rows,
        &OutreachRow::columns(),
        p.format.unwrap_or_default(),
        &download,
    )
}
