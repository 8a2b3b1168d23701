//! `GET /api/v1/coverage?level=…[&as_of=DATE][&format=csv]`: one flat row per unit with the
//! engine's figures (Grafana's Infinity datasource reads it as a table), today's or as of a date.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::params::{given, parse_date, parse_level, table, ApiQuery};
use super::AppState;
use crate::coverage::figures::ratio;
use crate::coverage::figures::UnitFigures;
use crate::coverage::raw::{RawData, Unit};
use crate::coverage::{ALL_KINDS, ANY};
use crate::error::ApiError;
use crate::model::{AdminKind, Programme};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/coverage", get(coverage))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Params {
    /// land (default), regierungsbezirk, kreis, gemeinde or groessenklasse.
    #[param(pattern = "^(land|regierungsbezirk|kreis|gemeinde|groessenklasse)?$")]
    level: Option<String>,
    /// Figures as of this day (YYYY-MM-DD), default today.
    #[param(format = Date)]
    as_of: Option<String>,
    /// json (default) or csv.
    #[param(pattern = "^(json|csv)?$")]
    format: Option<String>,
}

/// One unit's figures as a flat row; the names are the column names of the JSON and CSV.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(super) struct CoverageRow {
    pub level: &'static str,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub parent: String,
    pub as_of: String,
    pub demo: bool,
    pub population: i64,
    pub administrations: u32,
    pub gemeinden: u32,
    pub landratsaemter: u32,
    pub administrations_with_lotse: u32,
    /// Administrations still without a Lotse (the outreach count).
    pub administrations_without_lotse: u32,
    pub administrations_with_basis: u32,
    pub administrations_with_aufbau: u32,
    pub gemeinden_with_lotse: u32,
    pub gemeinden_with_basis: u32,
    pub gemeinden_with_aufbau: u32,
    pub landratsaemter_with_lotse: u32,
    pub landratsaemter_with_basis: u32,
    pub landratsaemter_with_aufbau: u32,
    /// Share of administrations with a Lotse, 0..1.
    pub share_with_lotse: f64,
    pub lotsen: u32,
    pub lotsen_basis: u32,
    pub lotsen_aufbau: u32,
    pub lotsen_gemeinden: u32,
    pub lotsen_landratsaemter: u32,
    pub funding_basis_euros: f64,
    pub funding_aufbau_euros: f64,
    pub population_with_lotse: i64,
    pub gemeinden_with_process: u32,
    /// Average number of active Standardprozesse per Gemeinde.
    pub standard_processes_avg: f64,
    /// service-bw accounts of citizens in the unit's administrations, at the latest Stichtag
    /// with per-Kommune counts on or before `as_of` (0 without one).
    pub accounts_buerger: i64,
    /// The same for organisation accounts.
    pub accounts_organisation: i64,
}

#[utoipa::path(get, path = "/api/v1/coverage", params(Params), tag = "coverage",
    responses((status = 200, description = "One row per unit of the level", content((Vec<CoverageRow> = "application/json"), (String = "text/csv"))),
              (status = 400, description = "Bad parameter", body = super::openapi::ErrorBody)))]
pub(super) async fn coverage(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let level = parse_level(p.level.as_deref())?;
    let snap = state.coverage.snapshot();
    let day = match given(&p.as_of) {
        Some(v) => parse_date("as_of", v)?,
        None => snap.current.as_of,
    };
    let figures = snap.as_of(day);
    let raw = &snap.raw;
    let rows = raw
        .units
        .iter()
        .zip(&figures.units)
        .filter(|(u, _)| u.level == level)
        .map(|(u, f)| CoverageRow::of(raw, u, f, figures.as_of))
        .collect::<Vec<_>>();
    table(rows, p.format.as_deref())
}

impl CoverageRow {
    /// The row of one unit from its figures.
    pub(super) fn of(
        raw: &RawData,
        u: &Unit,
        f: &UnitFigures,
        as_of: chrono::NaiveDate,
    ) -> CoverageRow {
        let g = AdminKind::Gemeinde as usize;
        let l = AdminKind::Landratsamt as usize;
        let b = Programme::Basis as usize;
        let a = Programme::Aufbau as usize;
        CoverageRow {
            level: u.level.as_str(),
            key: u.key.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent: u.parent.clone().unwrap_or_default(),
            as_of: as_of.format("%Y-%m-%d").to_string(),
            demo: raw.demo,
            population: u.population,
            administrations: f.administrations[ALL_KINDS],
            gemeinden: f.administrations[g],
            landratsaemter: f.administrations[l],
            administrations_with_lotse: f.with_lotsen[ALL_KINDS][ANY],
            administrations_without_lotse: f.administrations[ALL_KINDS]
                - f.with_lotsen[ALL_KINDS][ANY],
            administrations_with_basis: f.with_lotsen[ALL_KINDS][b],
            administrations_with_aufbau: f.with_lotsen[ALL_KINDS][a],
            gemeinden_with_lotse: f.with_lotsen[g][ANY],
            gemeinden_with_basis: f.with_lotsen[g][b],
            gemeinden_with_aufbau: f.with_lotsen[g][a],
            landratsaemter_with_lotse: f.with_lotsen[l][ANY],
            landratsaemter_with_basis: f.with_lotsen[l][b],
            landratsaemter_with_aufbau: f.with_lotsen[l][a],
            share_with_lotse: f.share_with_lotse(),
            lotsen: f.lotsen[ALL_KINDS][ANY],
            lotsen_basis: f.lotsen[ALL_KINDS][b],
            lotsen_aufbau: f.lotsen[ALL_KINDS][a],
            lotsen_gemeinden: f.lotsen[g][ANY],
            lotsen_landratsaemter: f.lotsen[l][ANY],
            funding_basis_euros: f.funding_cents[b] as f64 / 100.0,
            funding_aufbau_euros: f.funding_cents[a] as f64 / 100.0,
            population_with_lotse: f.population_with_lotse,
            gemeinden_with_process: f.gemeinden_with_process,
            standard_processes_avg: ratio(
                f.standard_processes_active as f64,
                f.administrations[g] as f64,
            ),
            accounts_buerger: f.accounts[0],
            accounts_organisation: f.accounts[1],
        }
    }
}
