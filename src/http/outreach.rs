//! `GET /api/v1/outreach?missing=lotse|aufbau|process:ID[&kreis=KEY]`: the administrations still
//! lacking a Lotse, an Aufbau-qualified Lotse or one process, largest population first (a
//! Landratsamt counts with its Kreis' population), for the associations' outreach.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::params::{given, kreis_filter, table, ApiQuery};
use super::AppState;
use crate::coverage::figures::lotse_class;
use crate::error::ApiError;
use crate::model::AdminKind;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/outreach", get(outreach))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Params {
    /// lotse (default), aufbau, or process:ID (a process id of `/api/v1/ozg/processes`).
    #[param(pattern = "^(lotse|aufbau|process:.+)?$")]
    missing: Option<String>,
    /// Only this Kreis (5-digit key; `.*` or empty: all, as Grafana's "All").
    #[param(pattern = "^([0-9]{5}|\\.\\*|\\*|all|\\$__all)?$")]
    kreis: Option<String>,
    /// Only this Regierungsbezirk (3-digit key; `.*` or empty: all).
    #[param(pattern = "^([0-9]{3}|\\.\\*|\\*|all|\\$__all)?$")]
    regierungsbezirk: Option<String>,
    /// At most this many rows (default all).
    limit: Option<usize>,
    /// json (default) or csv.
    #[param(pattern = "^(json|csv)?$")]
    format: Option<String>,
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
    pub demo: bool,
}

#[utoipa::path(get, path = "/api/v1/outreach", params(Params), tag = "coverage",
    responses((status = 200, description = "Administrations lacking it, largest population first", content((Vec<OutreachRow> = "application/json"), (String = "text/csv"))),
              (status = 400, description = "Bad parameter", body = super::openapi::ErrorBody),
              (status = 404, description = "Unknown Kreis or process", body = super::openapi::ErrorBody)))]
pub(super) async fn outreach(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let f = &snap.current;
    let kreise = kreis_filter(raw, &p.kreis, &p.regierungsbezirk)?;
    let missing = given(&p.missing).unwrap_or("lotse");
    enum Lacks {
        Lotse,
        Aufbau,
        Process(usize),
    }
    let lacks = match missing {
        "lotse" => Lacks::Lotse,
        "aufbau" => Lacks::Aufbau,
        m => match m.strip_prefix("process:") {
            Some(id) => Lacks::Process(
                raw.processes
                    .iter()
                    .position(|pr| pr.id == id)
                    .ok_or_else(|| ApiError::NotFound(format!("no process with id {id:?}")))?,
            ),
            None => {
                return Err(ApiError::BadRequest(format!(
                    "unknown missing {m:?}: use lotse, aufbau or process:ID"
                )))
            }
        },
    };
    let mut rows: Vec<OutreachRow> = raw
        .admins
        .iter()
        .enumerate()
        .filter(|(_, a)| kreise.as_ref().is_none_or(|k| k[a.kreis]))
        .filter(|&(i, _)| match lacks {
            Lacks::Lotse => f.admin_lotsen[i] == [false, false],
            Lacks::Aufbau => !f.admin_lotsen[i][1],
            Lacks::Process(pi) => !f.is_active(raw, i, pi),
        })
        .map(|(i, a)| {
            let k = &raw.units[raw.kreise[a.kreis]];
            OutreachRow {
                rank: 0,
                verwaltung: a.id.clone(),
                name: a.name.clone(),
                art: a.kind.as_str(),
                kreis: k.key.clone(),
                kreis_name: k.name.clone(),
                regierungsbezirk: k.parent.clone().unwrap_or_default(),
                population: match a.kind {
                    AdminKind::Gemeinde => a.population,
                    AdminKind::Landratsamt => k.population,
                },
                lotse: lotse_class(f.admin_lotsen[i]),
                standard_active: f.admin_ozg[i].standard,
                universal_active: f.admin_ozg[i].universal,
                missing: missing.to_string(),
                demo: raw.demo,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then_with(|| a.verwaltung.cmp(&b.verwaltung))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }
    if let Some(limit) = p.limit {
        rows.truncate(limit);
    }
    table(rows, given(&p.format))
}
