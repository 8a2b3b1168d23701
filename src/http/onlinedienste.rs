//! `GET /api/v1/onlinedienste?kreis=KEY[&as_of=DATE][&format=…]`: one row per Gemeinde and
//! Onlinedienst available to it on the day — its own, or offered from above (Gemeindeverband,
//! Kreis, Land, Bund) — from the federal dashboard's export (dataset `onlinedienste`), each
//! region at its latest Datenstand on or before the day.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::params::{kreis_filter, table, ApiQuery, Download};
use super::query::{Day, KreisFilter, Leika, LinkStatus, OzgId, RbFilter, TableFormat, Themenfeld};
use super::{AppState, Routes};
use crate::http::error::ApiError;
use crate::model::column::{common, Column, ColumnKind::*};
use crate::model::rows::{web_url, Onlinedienst};
use crate::registry::{LeikaEntry, Level};

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/onlinedienste", get(onlinedienste))
}

/// The source of the data, in every download of them.
pub(super) use crate::model::rows::ONLINEDIENSTE_SOURCE as ATTRIBUTION;

/// Most rows of one answer without `kreis`.
const MAX_ROWS: usize = 200_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// Only the Gemeinden of this Kreis (5-digit key; `.*` or empty: all).
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// Only the Gemeinden of this Regierungsbezirk (3-digit key).
    #[param(inline)]
    regierungsbezirk: Option<RbFilter>,
    /// Only this service (14-digit LeiKa key).
    #[param(inline)]
    leika: Option<Leika>,
    /// Only links that worked (ok) or did not (nicht_ok: who to call).
    #[param(inline)]
    status: Option<LinkStatus>,
    /// Only the services of this OZG-Leistung (its number), by the shipped LeiKa catalogue.
    #[param(inline)]
    ozg_id: Option<OzgId>,
    /// Only the services of this Themenfeld of the OZG catalogue (e.g. `Familie & Kind`).
    #[param(inline)]
    themenfeld: Option<Themenfeld>,
    /// The services available on this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One Onlinedienst available to one Gemeinde.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct OnlinedienstRow {
    /// AGS of the Gemeinde.
    pub ags: String,
    pub name: String,
    pub kreis: String,
    /// 14-digit LeiKa key.
    pub leika_key: String,
    pub leika_name: String,
    /// The service's address; empty unless it is an http or https URL.
    pub url: String,
    /// ok or nicht ok: whether the link worked when the PVOG was read.
    pub online_status: &'static str,
    /// The federal dashboard's class of Flächendeckung.
    pub art_flaechendeckung: &'static str,
    /// Where it is offered: gemeinde, gemeindeverband, kreis, regierungsbezirk, land or bund.
    pub herkunft: &'static str,
    /// The Datenstand of the delivery it comes from.
    pub datenstand: String,
    /// LeiKa-Typ (1–6) by the shipped catalogue; empty where it does not know the key.
    pub leika_typ: String,
    /// The OZG-Leistung and its Themenfeld by the shipped catalogue.
    pub ozg_id: String,
    pub ozg_leistung: String,
    pub themenfeld: String,
    /// The service-bw process with the same LeiKa key, if any, and whether the Gemeinde has
    /// switched it on there.
    pub prozess_id: String,
    pub prozess_aktiv: bool,
    pub as_of: String,
    pub demo: bool,
}

impl OnlinedienstRow {
    /// The declared columns, in the order of the fields.
    pub(super) fn columns() -> Vec<Column> {
        vec![
            Column::new("ags", "Gemeindeschlüssel", Key, "AGS of the Gemeinde"),
            common::NAME,
            common::KREIS,
            common::LEIKA_KEY,
            common::LEIKA_NAME,
            Column::new(
                "url",
                "Onlinedienst (Adresse)",
                Text,
                "The service's address (http or https only)",
            ),
            Column::new(
                "online_status",
                "Link erreichbar",
                Text,
                "ok or nicht ok: whether the link worked when the PVOG was read",
            ),
            Column::new(
                "art_flaechendeckung",
                "Flächendeckung (Bund)",
                Text,
                "The federal dashboard's class of Flächendeckung",
            ),
            Column::new(
                "herkunft",
                "Angeboten von",
                Text,
                "gemeinde, gemeindeverband, kreis, regierungsbezirk, land or bund",
            ),
            Column::new(
                "datenstand",
                "Datenstand",
                Date,
                "The Datenstand of the delivery it comes from",
            ),
            Column::new(
                "leika_typ",
                "LeiKa-Typ",
                Key,
                "LeiKa-Typ 1–6 (shipped catalogue)",
            ),
            Column::new("ozg_id", "OZG-ID", Key, "The OZG-Leistung's number"),
            Column::new("ozg_leistung", "OZG-Leistung", Text, "The OZG-Leistung"),
            Column::new("themenfeld", "Themenfeld", Text, "The OZG Themenfeld"),
            Column::new(
                "prozess_id",
                "service-bw-Prozess",
                Key,
                "The service-bw process with the same LeiKa key",
            ),
            Column::new(
                "prozess_aktiv",
                "auf service-bw freigeschaltet",
                YesNo,
                "The Gemeinde has that process switched on",
            ),
            common::AS_OF,
            common::DEMO,
        ]
    }
}

/// The keys of the Kreise a filter selects (`None`: all).
fn selected_kreise(
    raw: &crate::coverage::RawData,
    kreise: &Option<Vec<bool>>,
) -> Option<std::collections::HashSet<String>> {
    kreise.as_ref().map(|sel| {
        raw.kreise
            .iter()
            .zip(sel)
            .filter(|(_, on)| **on)
            .map(|(&u, _)| raw.units[u].key.clone())
            .collect()
    })
}

/// Whether the unit `u` (a Kreis, Regierungsbezirk or Land) holds a Kreis the filter selects.
pub(super) fn in_filter(
    raw: &crate::coverage::RawData,
    kreise: &Option<Vec<bool>>,
    u: usize,
) -> bool {
    let Some(sel) = kreise else { return true };
    let unit = &raw.units[u];
    raw.kreise.iter().zip(sel).any(|(&k, on)| {
        let kreis = &raw.units[k];
        *on && (k == u
            || kreis.parent.as_deref() == Some(unit.key.as_str())
            || (unit.level == crate::coverage::UnitLevel::Land && kreis.key.starts_with(&unit.key)))
    })
}

#[utoipa::path(get, path = "/api/v1/onlinedienste", params(Params), tag = "ozg",
    responses((status = 200, description = "One row per Gemeinde and Onlinedienst available to it", content((Vec<OnlinedienstRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter, or too many rows without kreis", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis", body = super::error::ErrorBody)))]
pub(super) async fn onlinedienste(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let raw = &snap.raw;
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let kreise = kreis_filter(
        raw,
        &p.kreis.clone().unwrap_or_default(),
        &p.regierungsbezirk.clone().unwrap_or_default(),
    )?;
    let selected = selected_kreise(raw, &kreise);
    let themenfeld = themenfeld(raw, p.themenfeld.and_then(|t| t.0).as_deref())?;
    let (leika, status) = (p.leika.unwrap_or_default(), p.status.unwrap_or_default());
    let ozg_id = p.ozg_id.unwrap_or_default();
    let f = snap.as_of(day);
    let processes = raw.processes_by_leika();
    let as_of = day.format("%Y-%m-%d").to_string();
    let mut rows = Vec::new();
    for g in raw.registry.level(Level::Gemeinde) {
        let kreis = g.kreis.clone().unwrap_or_default();
        if selected.as_ref().is_some_and(|s| !s.contains(&kreis)) {
            continue;
        }
        let admin = raw.admin_idx.get(&g.ags).map(|&i| i as usize);
        for (origin, snapshot, s) in raw.onlinedienste.available(&g.ars, day) {
            let entry = raw.registry.leika.get(s.leika);
            let known =
                |pick: fn(&LeikaEntry) -> &Option<String>| entry.and_then(|e| pick(e).as_deref());
            if !leika.admits(s.leika)
                || !status.admits(s.online_ok)
                || !ozg_id.admits(known(|e| &e.ozg_id))
                || themenfeld.is_some_and(|t| known(|e| &e.themenfeld) != Some(t))
            {
                continue;
            }
            let process = processes.get(s.leika).copied();
            rows.push(OnlinedienstRow {
                ags: g.ags.clone(),
                name: g.name.clone(),
                kreis: kreis.clone(),
                leika_key: s.leika.to_string(),
                leika_name: s.name.to_string(),
                url: web_url(&s.url()).unwrap_or_default().to_string(),
                online_status: Onlinedienst::status_text(s.online_ok),
                art_flaechendeckung: s.flaechendeckung.as_str(),
                herkunft: origin.as_str(),
                datenstand: snapshot.format("%Y-%m-%d").to_string(),
                leika_typ: entry.map(|e| e.leika_type.clone()).unwrap_or_default(),
                ozg_id: known(|e| &e.ozg_id).unwrap_or_default().to_string(),
                ozg_leistung: known(|e| &e.ozg_name).unwrap_or_default().to_string(),
                themenfeld: known(|e| &e.themenfeld).unwrap_or_default().to_string(),
                prozess_id: process.map(|p| raw.processes[p].id.clone()).unwrap_or_default(),
                prozess_aktiv: matches!((admin, process), (Some(a), Some(p)) if f.is_active(raw, a, p)),
                as_of: as_of.clone(),
                demo: raw.demo,
            });
        }
        if rows.len() > MAX_ROWS {
            return Err(ApiError::BadRequest(format!(
                "more than {MAX_ROWS} rows: give kreis"
            )));
        }
    }
    let name = match p.kreis.as_ref().and_then(|k| k.one()) {
        Some(k) => format!("onlinedienste-{k}"),
        None => "onlinedienste".to_string(),
    };
    let download = Download::of(name, &snap, day, "/api/v1/onlinedienste").attributed(ATTRIBUTION);
    table(
        rows,
        &OnlinedienstRow::columns(),
        p.format.unwrap_or_default(),
        &download,
    )
}

/// A `themenfeld` the catalogue knows (a 400 naming them otherwise); `None`: all.
pub(super) fn themenfeld<'a>(
    raw: &'a crate::coverage::RawData,
    given: Option<&str>,
) -> Result<Option<&'a str>, ApiError> {
    let Some(given) = given.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    // The registry's catalogue and the shipped one (which the OpenAPI document lists).
    let mut known: Vec<&str> = raw
        .registry
        .leika
        .values()
        .filter_map(|e| e.themenfeld.as_deref())
        .chain(crate::registry::reference::shipped_themenfelder())
        .collect();
    known.sort_unstable();
    known.dedup();
    match known.iter().find(|t| **t == given) {
        Some(t) => Ok(Some(t)),
        None => Err(ApiError::BadRequest(format!(
            "unknown themenfeld {given:?}: use one of {}",
            known.join(", ")
        ))),
    }
}
