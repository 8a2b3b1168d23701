//! `GET /api/v1/analysis/lotsen-ozg`: do Gemeinden with a Digitallotse switch on more online
//! services? Within size classes (`view=groessenklassen`, default) or around the first Lotse's
//! training (`view=vorher-nachher`). A comparison, not a proof of cause.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::params::{table, ApiQuery, Download};
use super::query::{Day, TableFormat};
use super::{AppState, Routes};
use crate::coverage::analysis::{before_after, by_group, GROUPS};
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};
use crate::model::SizeClass;

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/analysis/lotsen-ozg", get(lotsen_ozg))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// groessenklassen (default): Gemeinden without Lotse, with Basis, with Aufbau per size
    /// class; vorher-nachher: processes switched on in the 12 months before and after the first
    /// Lotse.
    #[param(inline)]
    view: Option<super::query::AnalysisView>,
    /// As of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One Lotse group within one size class.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct GroupRow {
    /// Size class key, or `alle`.
    pub groessenklasse: &'static str,
    pub groessenklasse_name: &'static str,
    /// keine, basis or aufbau: the best programme a Lotse of the Gemeinde completed.
    pub lotse: &'static str,
    pub gemeinden: u32,
    pub population: i64,
    /// Average number of active Standardprozesse per Gemeinde.
    pub standard_active_avg: f64,
    /// Σ population × (active / all Standardprozesse) / Σ population, 0..1.
    pub population_share_online: f64,
    pub as_of: String,
    pub demo: bool,
}

impl GroupRow {
    /// The declared columns, in the order of the fields.
    pub(super) const COLUMNS: [Column; 9] = [
        common::GROESSENKLASSE,
        common::GROESSENKLASSE_NAME,
        common::LOTSE,
        Column::new("gemeinden", "Gemeinden", Integer, "Gemeinden in the group"),
        common::POPULATION,
        Column::new(
            "standard_active_avg",
            "Aktive Standardprozesse je Gemeinde (Durchschnitt)",
            Decimal,
            "Average number of active Standardprozesse per Gemeinde",
        ),
        Column::new(
            "population_share_online",
            "Anteil online (nach Einwohnern gewichtet)",
            Share,
            "Σ population × (active / all Standardprozesse) / Σ population, 0..1",
        ),
        common::AS_OF,
        common::DEMO,
    ];
}

/// The Gemeinden of one size class around their first Lotse.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct BeforeAfterRow {
    pub groessenklasse: &'static str,
    pub groessenklasse_name: &'static str,
    /// Gemeinden whose first Lotse qualified at least 12 months before `as_of`.
    pub gemeinden: u32,
    /// Processes switched on per Gemeinde in the 12 months before the first Lotse.
    pub activations_before_avg: f64,
    /// … and in the 12 months from the first Lotse on.
    pub activations_after_avg: f64,
    pub as_of: String,
    pub demo: bool,
}

impl BeforeAfterRow {
    /// The declared columns, in the order of the fields.
    pub(super) const COLUMNS: [Column; 7] = [
        common::GROESSENKLASSE,
        common::GROESSENKLASSE_NAME,
        Column::new(
            "gemeinden",
            "Gemeinden",
            Integer,
            "Gemeinden whose first Lotse qualified at least 12 months before as_of",
        ),
        Column::new(
            "activations_before_avg",
            "Freischaltungen in den 12 Monaten vor dem ersten Lotsen (Durchschnitt)",
            Decimal,
            "Processes switched on per Gemeinde in the 12 months before the first Lotse",
        ),
        Column::new(
            "activations_after_avg",
            "Freischaltungen in den 12 Monaten ab dem ersten Lotsen (Durchschnitt)",
            Decimal,
            "Processes switched on per Gemeinde in the 12 months from the first Lotse on",
        ),
        common::AS_OF,
        common::DEMO,
    ];
}

fn size(class: Option<SizeClass>) -> (&'static str, &'static str) {
    match class {
        Some(c) => (c.key(), c.label()),
        None => ("alle", "alle Größenklassen"),
    }
}

#[utoipa::path(get, path = "/api/v1/analysis/lotsen-ozg", params(Params), tag = "coverage",
    responses((status = 200, description = "The comparison (rows of GroupRow, or of BeforeAfterRow with view=vorher-nachher)", content((Vec<Object> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody)))]
pub(super) async fn lotsen_ozg(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let figures = snap.as_of(day);
    let raw = &snap.raw;
    let as_of = day.format("%Y-%m-%d").to_string();
    let format = p.format.unwrap_or_default();
    match p.view.unwrap_or_default() {
        super::query::AnalysisView::Groessenklassen => {
            let rows: Vec<GroupRow> = by_group(raw, &figures)
                .into_iter()
                .map(|r| {
                    let (key, name) = size(r.size_class);
                    GroupRow {
                        groessenklasse: key,
                        groessenklasse_name: name,
                        lotse: GROUPS[r.group],
                        gemeinden: r.gemeinden,
                        population: r.population,
                        standard_active_avg: r.standard_active_avg,
                        population_share_online: r.population_share_online,
                        as_of: as_of.clone(),
                        demo: raw.demo,
                    }
                })
                .collect();
            let download = Download::of(
                "lotsen-und-onlinedienste",
                &snap,
                day,
                "/api/v1/analysis/lotsen-ozg",
            );
            table(rows, &GroupRow::COLUMNS, format, &download)
        }
        super::query::AnalysisView::VorherNachher => {
            let rows: Vec<BeforeAfterRow> = before_after(raw, day)
                .into_iter()
                .map(|r| {
                    let (key, name) = size(r.size_class);
                    BeforeAfterRow {
                        groessenklasse: key,
                        groessenklasse_name: name,
                        gemeinden: r.gemeinden,
                        activations_before_avg: r.activations_before_avg,
                        activations_after_avg: r.activations_after_avg,
                        as_of: as_of.clone(),
                        demo: raw.demo,
                    }
                })
                .collect();
            let download = Download::of(
                "lotsen-vorher-nachher",
                &snap,
                day,
                "/api/v1/analysis/lotsen-ozg?view=vorher-nachher",
            );
            table(rows, &BeforeAfterRow::COLUMNS, format, &download)
        }
    }
}
