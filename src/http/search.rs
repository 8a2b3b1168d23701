//! `GET /api/v1/search?q=…`: regions by name or key as people type them (see
//! `coverage::search`), best first, with the page that shows each.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::params::{table, ApiQuery, Download};
use super::query::TableFormat;
use super::{AppState, Routes};
use crate::coverage::raw::{RawData, UnitLevel};
use crate::coverage::search::search;
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/search", get(find))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// A name (case, accents and umlauts do not matter; `St.` = `Sankt`; a prefix or a small
    /// typo is enough) or an official key (AGS, ARS, Kreis or Regierungsbezirk key).
    q: String,
    /// At most this many hits (default 20, at most 200).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One region found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct SearchRow {
    /// land, regierungsbezirk, kreis or gemeinde.
    pub level: &'static str,
    pub key: String,
    pub name: String,
    /// The Kreis of a Gemeinde (empty otherwise).
    pub kreis: String,
    pub kreis_name: String,
    pub population: i64,
    /// How well it matched: 1000 by key, 900 the whole name, 800 its beginning, 700 a word's
    /// beginning, 500 inside the name, 300–350 with a typo.
    pub score: u32,
    /// The page that shows it.
    pub url: String,
}

impl SearchRow {
    /// The declared columns, in the order of the fields.
    pub(super) const COLUMNS: [Column; 8] = [
        common::LEVEL,
        common::KEY,
        common::NAME,
        Column::new(
            "kreis",
            "Kreisschlüssel",
            Key,
            "The Kreis of a Gemeinde (empty otherwise)",
        ),
        common::KREIS_NAME,
        common::POPULATION,
        Column::new(
            "score",
            "Treffergüte",
            Integer,
            "How well it matched (300 to 1000)",
        ),
        Column::new("url", "Seite", Text, "The page that shows it"),
    ];
}

/// The rows of the hits for `q`.
pub(super) fn rows(raw: &RawData, q: &str, limit: usize) -> Vec<SearchRow> {
    search(raw, q, limit)
        .into_iter()
        .map(|hit| {
            let u = &raw.units[hit.unit];
            let kreis = match u.level {
                UnitLevel::Gemeinde | UnitLevel::Verband => u
                    .parent
                    .as_deref()
                    .and_then(|k| raw.unit_index(UnitLevel::Kreis, k))
                    .map(|k| &raw.units[k]),
                _ => None,
            };
            SearchRow {
                level: u.level.as_str(),
                key: u.key.clone(),
                name: u.name.clone(),
                kreis: kreis.map(|k| k.key.clone()).unwrap_or_default(),
                kreis_name: kreis.map(|k| k.name.clone()).unwrap_or_default(),
                population: u.population,
                score: hit.score,
                url: match u.level {
                    UnitLevel::Gemeinde => format!("/gemeinde/{}", u.key),
                    UnitLevel::Kreis => format!("/kreis/{}", u.key),
                    UnitLevel::Verband => format!("/verband/{}", u.key),
                    _ => "/".to_string(),
                },
            }
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/search", params(Params), tag = "registry",
    responses((status = 200, description = "Regions found, best first", content((Vec<SearchRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody)))]
pub(super) async fn find(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let limit = p.limit.unwrap_or(20).clamp(1, 200);
    let rows = rows(&snap.raw, &p.q, limit);
    let download = Download::of("suche", &snap, snap.current.as_of, "/api/v1/search");
    table(
        rows,
        &SearchRow::COLUMNS,
        p.format.unwrap_or_default(),
        &download,
    )
}
