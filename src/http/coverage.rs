//! `GET /api/v1/coverage?level=…[&as_of=DATE][&format=csv]`: one flat row per unit with the
//! engine's figures (Grafana's Infinity datasource reads it as a table), today's or as of a date.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::params::{kreis_index, table, ApiQuery, Download};
use super::query::{AllOr, Day, Format, KreisFilter, Level};
use super::AppState;

use crate::coverage::figures::UnitFigures;
use crate::coverage::raw::{RawData, Unit, UnitLevel};

use crate::error::ApiError;
use crate::model::{AdminKind, Programme};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/coverage", get(coverage))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// land (default), regierungsbezirk, kreis, gemeinde or groessenklasse.
    #[param(inline)]
    level: Option<Level>,
    /// Figures as of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// Only what lies in this Kreis or contains it (5-digit key; `.*` or empty: all): its
    /// Gemeinden at level gemeinde, the Kreis at level kreis, its Regierungsbezirk and Land;
    /// no size class.
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<Format>,
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
    responses((status = 200, description = "One row per unit of the level", content((Vec<CoverageRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::openapi::ErrorBody)))]
pub(super) async fn coverage(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let level = p.level.unwrap_or_default().unit_level();
    let snap = state.coverage.snapshot();
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let figures = snap.as_of(day);
    let raw = &snap.raw;
    let kreis = match p.kreis.clone().unwrap_or_default() {
        AllOr::All => None,
        AllOr::One(key) => {
            let pos = kreis_index(raw, &key)?;
            Some((key, raw.units[raw.kreise[pos]].parent.clone()))
        }
    };
    // The units that lie in the Kreis or contain it; size classes span the Land and do not.
    let in_kreis = |u: &Unit| {
        kreis.as_ref().is_none_or(|(k, rb)| match u.level {
            UnitLevel::Gemeinde => u.parent.as_deref() == Some(k.as_str()),
            UnitLevel::Kreis => u.key == k.as_str(),
            UnitLevel::Regierungsbezirk => rb.as_deref() == Some(u.key.as_str()),
            UnitLevel::Land => k.as_str().starts_with(u.key.as_str()),
            UnitLevel::Groessenklasse => false,
        })
    };
    let rows = raw
        .units
        .iter()
        .zip(&figures.units)
        .filter(|(u, _)| u.level == level && in_kreis(u))
        .map(|(u, f)| CoverageRow::of(raw, u, f, figures.as_of))
        .collect::<Vec<_>>();
    let name = match &kreis {
        Some((k, _)) => format!("abdeckung-{}-{k}", level.as_str()),
        None => format!("abdeckung-{}", level.as_str()),
    };
    let download = Download::of(name, &snap, figures.as_of, "/api/v1/coverage");
    table(rows, p.format.unwrap_or_default(), &download)
}

impl CoverageRow {
    /// The row of one unit from its figures.
    pub(super) fn of(
        raw: &RawData,
        u: &Unit,
        f: &UnitFigures,
        as_of: chrono::NaiveDate,
    ) -> CoverageRow {
        let g = Some(AdminKind::Gemeinde);
        let l = Some(AdminKind::Landratsamt);
        let (b, a) = (Some(Programme::Basis), Some(Programme::Aufbau));
        CoverageRow {
            level: u.level.as_str(),
            key: u.key.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent: u.parent.clone().unwrap_or_default(),
            as_of: as_of.format("%Y-%m-%d").to_string(),
            demo: raw.demo,
            population: u.population,
            administrations: f.administrations_of(None),
            gemeinden: f.administrations_of(g),
            landratsaemter: f.administrations_of(l),
            administrations_with_lotse: f.with_lotse(None, None),
            administrations_without_lotse: f.without_lotse(),
            administrations_with_basis: f.with_lotse(None, b),
            administrations_with_aufbau: f.with_lotse(None, a),
            gemeinden_with_lotse: f.with_lotse(g, None),
            gemeinden_with_basis: f.with_lotse(g, b),
            gemeinden_with_aufbau: f.with_lotse(g, a),
            landratsaemter_with_lotse: f.with_lotse(l, None),
            landratsaemter_with_basis: f.with_lotse(l, b),
            landratsaemter_with_aufbau: f.with_lotse(l, a),
            share_with_lotse: f.share_with_lotse(),
            lotsen: f.lotsen_of(None, None),
            lotsen_basis: f.lotsen_of(None, b),
            lotsen_aufbau: f.lotsen_of(None, a),
            lotsen_gemeinden: f.lotsen_of(g, None),
            lotsen_landratsaemter: f.lotsen_of(l, None),
            funding_basis_euros: f.funding_euros(Programme::Basis),
            funding_aufbau_euros: f.funding_euros(Programme::Aufbau),
            population_with_lotse: f.population_with_lotse,
            gemeinden_with_process: f.gemeinden_with_process,
            standard_processes_avg: f.standard_processes_avg(),
            accounts_buerger: f.accounts[0],
            accounts_organisation: f.accounts[1],
        }
    }
}
