//! `GET /api/v1/onlinedienste/flaechendeckung`: per Onlinedienst (LeiKa service) and area
//! (Kreis, Regierungsbezirk or Land) the Gemeinden and population it reaches, its reach by the
//! atlas' rule (every Gemeinde: `flaechendeckend`; some: `mindestens_eine`) beside what the
//! federal export's `art_flaechendeckung` claims, and whether they disagree. Computed by the
//! engine (`coverage::services`), as of any day.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::onlinedienste::ATTRIBUTION;
use super::params::{kreis_filter, table, ApiQuery, Download};
use super::query::{
    AreaLevel, Day, KreisFilter, Leika, RbFilter, ReachFilter, Switch, TableFormat,
};
use super::{AppState, Routes};
use crate::coverage::figures::ratio;
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};
use crate::model::AdminKind;

pub(super) fn router() -> Routes {
    Routes::new().route(
        "/api/v1/onlinedienste/flaechendeckung",
        get(flaechendeckung),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// The areas: kreis (default), regierungsbezirk or land.
    #[param(inline)]
    level: Option<AreaLevel>,
    /// Only this Kreis (level kreis), or the Kreise of the Regierungsbezirk.
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// Only the areas in this Regierungsbezirk (3-digit key).
    #[param(inline)]
    regierungsbezirk: Option<RbFilter>,
    /// Only this service (14-digit LeiKa key).
    #[param(inline)]
    leika: Option<Leika>,
    /// Only services of this reach by the atlas' rule.
    #[param(inline)]
    reach: Option<ReachFilter>,
    /// Only the rows where the atlas' rule and the federal class disagree.
    #[param(inline)]
    abweichung: Option<Switch>,
    /// As of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// json (default), csv, xlsx or csv-de.
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One service in one area.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct ReachRow {
    /// kreis, regierungsbezirk or land.
    pub level: &'static str,
    pub key: String,
    pub name: String,
    pub leika_key: String,
    pub leika_name: String,
    /// Gemeinden of the area it is available to (own or from above).
    pub gemeinden: u32,
    /// Gemeinden of the area.
    pub gemeinden_gesamt: u32,
    /// gemeinden / gemeinden_gesamt, 0..1.
    pub anteil_gemeinden: f64,
    /// Population of the Gemeinden it is available to.
    pub einwohner: i64,
    /// By the atlas' rule: flaechendeckend (every Gemeinde) or mindestens_eine.
    pub reach: &'static str,
    /// What the federal export's art_flaechendeckung claims for the area (empty: only rows not
    /// counted there).
    pub reach_bund: &'static str,
    /// The two differ.
    pub abweichung: bool,
    pub as_of: String,
    pub demo: bool,
}

impl ReachRow {
    pub(super) fn columns() -> Vec<Column> {
        vec![
            Column::new("level", "Ebene", Text, "kreis, regierungsbezirk or land"),
            Column::new("key", "Schlüssel", Key, "Key of the area"),
            common::NAME,
            common::LEIKA_KEY,
            common::LEIKA_NAME,
            Column::new(
                "gemeinden",
                "Gemeinden mit Onlinedienst",
                Integer,
                "Gemeinden of the area it is available to (own or from above)",
            ),
            Column::new(
                "gemeinden_gesamt",
                "Gemeinden",
                Integer,
                "Gemeinden of the area",
            ),
            Column::new(
                "anteil_gemeinden",
                "Anteil der Gemeinden",
                Share,
                "gemeinden / gemeinden_gesamt, 0..1",
            ),
            Column::new(
                "einwohner",
                "Einwohner erreicht",
                Integer,
                "Population of the Gemeinden it is available to",
            ),
            Column::new(
                "reach",
                "Flächendeckung (Atlas)",
                Text,
                "By the atlas' rule: flaechendeckend (every Gemeinde) or mindestens_eine",
            ),
            Column::new(
                "reach_bund",
                "Flächendeckung (Bund)",
                Text,
                "What the federal export's art_flaechendeckung claims for the area",
            ),
            Column::new(
                "abweichung",
                "Abweichung",
                YesNo,
                "The atlas' rule and the federal class differ",
            ),
            common::AS_OF,
            common::DEMO,
        ]
    }
}

#[utoipa::path(get, path = "/api/v1/onlinedienste/flaechendeckung", params(Params), tag = "ozg",
    responses((status = 200, description = "One row per Onlinedienst and area it reaches", content((Vec<ReachRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis or Regierungsbezirk", body = super::error::ErrorBody)))]
pub(super) async fn flaechendeckung(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let level = p.level.unwrap_or_default();
    let kreise = kreis_filter(
        raw,
        &p.kreis.clone().unwrap_or_default(),
        &p.regierungsbezirk.clone().unwrap_or_default(),
    )?;
    let f = snap.as_of(day);
    let (leika, reach) = (p.leika.unwrap_or_default(), p.reach.unwrap_or_default());
    let only_disagreements = p.abweichung.is_some_and(|s| s.0);
    let as_of = day.format("%Y-%m-%d").to_string();
    let mut rows = Vec::new();
    for (u, unit) in raw.units.iter().enumerate() {
        if unit.level != level.unit_level() || !super::onlinedienste::in_filter(raw, &kreise, u) {
            continue;
        }
        let all = f.units[u].administrations_of(Some(AdminKind::Gemeinde));
        for a in f.services.of_area(u) {
            let service = &f.services.services[a.service as usize];
            let ours = a.reach(all);
            if !leika.admits(&service.leika)
                || !reach.admits(ours)
                || (only_disagreements && !a.disagrees(all))
            {
                continue;
            }
            rows.push(ReachRow {
                level: level.unit_level().as_str(),
                key: unit.key.clone(),
                name: unit.name.clone(),
                leika_key: service.leika.clone(),
                leika_name: service.name.clone(),
                gemeinden: a.gemeinden,
                gemeinden_gesamt: all,
                anteil_gemeinden: ratio(f64::from(a.gemeinden), f64::from(all)),
                einwohner: a.population,
                reach: ours.as_str(),
                reach_bund: a.source.map_or("", |r| r.as_str()),
                abweichung: a.disagrees(all),
                as_of: as_of.clone(),
                demo: raw.demo,
            });
        }
    }
    // As the report names the file: per Kreis by its key, else by the level.
    let name = match p.kreis.as_ref().and_then(|k| k.one()) {
        Some(k) => format!("flaechendeckung-{k}"),
        None => match level {
            AreaLevel::Kreis => "flaechendeckung-kreise".to_string(),
            AreaLevel::Regierungsbezirk => "flaechendeckung-regierungsbezirke".to_string(),
            AreaLevel::Land => "flaechendeckung-land".to_string(),
        },
    };
    let download = Download::of(name, &snap, day, "/api/v1/onlinedienste/flaechendeckung")
        .attributed(ATTRIBUTION);
    table(
        rows,
        &ReachRow::columns(),
        p.format.unwrap_or_default(),
        &download,
    )
}
