//! What changed: the page `/aenderungen?von=&bis=[&kreis=]`, its rows
//! `GET /api/v1/aenderungen` (JSON, CSV, XLSX) and the Atom feed `/aenderungen.atom[?kreis=]`
//! (one entry per month of the last twelve). Computed by `coverage::changes`.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::params::{kreis_index, table, ApiQuery, Download};
use super::query::{Day, KreisFilter, TableFormat};
use super::{AppState, Routes};
use crate::coverage::changes::Changes;
use crate::coverage::{RawData, Snapshot};
use crate::http::error::ApiError;
use crate::model::column::{Column, ColumnKind::*};
use crate::page::changes::ChangeLinks;
use crate::page::feed::FeedTarget;
use crate::page::Links;

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/api/v1/aenderungen", get(rows))
        .route("/aenderungen.atom", get(feed))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// Changes after this day (YYYY-MM-DD); default three months before `bis`. On or after
    /// `bis`: an empty span.
    #[param(inline)]
    von: Option<Day>,
    /// Up to and including this day; default the Datenstand.
    #[param(inline)]
    bis: Option<Day>,
    /// Only this Kreis (5-digit key; `.*` or empty: all).
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// json (default), csv, xlsx or csv-de (rows of `/api/v1/aenderungen` only).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// The span and area a request names, checked.
struct Asked {
    from: NaiveDate,
    to: NaiveDate,
    kreis: Option<usize>,
}

fn asked(raw: &RawData, as_of: NaiveDate, p: &Params) -> Result<Asked, ApiError> {
    let to = p.bis.and_then(|d| d.0).unwrap_or(as_of);
    let from = p
        .von
        .and_then(|d| d.0)
        .unwrap_or_else(|| to.checked_sub_months(Months::new(3)).unwrap_or(to));
    // `von` on or after `bis` is an empty span (no change), not an error: the two are
    // independent parameters, and an empty answer says what there is.
    let kreis = match p.kreis.as_ref().and_then(|k| k.one()) {
        Some(k) => Some(kreis_index(raw, k)?),
        None => None,
    };
    Ok(Asked { from, to, kreis })
}

fn changes(raw: &RawData, a: &Asked) -> Changes {
    Changes::of(raw, a.from, a.to, |admin| {
        a.kreis.is_none_or(|k| admin.kreis == k)
    })
}

/// The query of a span and Kreis, for links.
fn query(from: NaiveDate, to: NaiveDate, kreis: Option<&str>) -> String {
    let mut q = format!("von={from}&bis={to}");
    if let Some(k) = kreis {
        q.push_str("&kreis=");
        q.push_str(k);
    }
    q
}

/// The snapshot and what the request asks of it.
fn request(state: &AppState, p: &Params) -> Result<(Arc<Snapshot>, Asked), ApiError> {
    let snap = state.coverage.snapshot();
    let a = asked(&snap.raw, snap.current.as_of, p)?;
    Ok((snap, a))
}

/// The page (in the pages' router: their framing rules).
pub(super) async fn page(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let (snap, a) = request(&state, &p)?;
    let raw = &snap.raw;
    let kreis = a.kreis;
    let heavy = state.pools.heavy({
        let snap = snap.clone();
        move || changes(&snap.raw, &a)
    });
    let c = match heavy.await {
        Ok(c) => c,
        Err(busy) => return Ok(busy),
    };
    let key = a_key(raw, kreis);
    let links = Links::Server;
    let out = ChangeLinks {
        feed: links
            .changes(key.as_deref())
            .map(|(_, feed)| feed)
            .unwrap_or_default(),
        xlsx: format!(
            "/api/v1/aenderungen?{}&format=xlsx",
            query(c.from, c.to, key.as_deref())
        ),
    };
    let html = crate::page::changes::page(&snap, &links, &c, kreis, &out);
    Ok(Html(html).into_response())
}

fn a_key(raw: &RawData, kreis: Option<usize>) -> Option<String> {
    kreis.map(|k| raw.units[raw.kreise[k]].key.clone())
}

/// One administration's changes as a row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct ChangeRow {
    pub verwaltung: String,
    pub name: String,
    pub kreis: String,
    pub kreis_name: String,
    pub von: String,
    pub bis: String,
    pub neue_lotsen: u32,
    pub neue_aufbau: u32,
    pub freigeschaltet: u32,
    pub freigeschaltete_prozesse: String,
    pub abgeschaltet: u32,
    pub abgeschaltete_prozesse: String,
    pub onlinedienste_neu: u32,
    pub onlinedienste_weg: u32,
    pub onlinedienste_gestoert: u32,
    pub demo: bool,
}

const ROW_COLUMNS: [Column; 16] = [
    Column::new(
        "verwaltung",
        "Schlüssel",
        Key,
        "AGS of a Gemeinde or Kreis key of a Landratsamt",
    ),
    Column::new("name", "Verwaltung", Text, "Name"),
    Column::new("kreis", "Kreisschlüssel", Key, "Kreis key"),
    Column::new("kreis_name", "Kreis", Text, "Kreis"),
    Column::new(
        "von",
        "von (ausschließlich)",
        Date,
        "Changes after this day",
    ),
    Column::new("bis", "bis", Date, "Changes up to and on this day"),
    Column::new(
        "neue_lotsen",
        "neue Digitallotsen",
        Integer,
        "People whose first qualification falls in the span",
    ),
    Column::new(
        "neue_aufbau",
        "neue Aufbauschulungen",
        Integer,
        "Aufbau courses completed in the span",
    ),
    Column::new(
        "freigeschaltet",
        "Prozesse freigeschaltet",
        Integer,
        "Processes switched on in the span",
    ),
    Column::new(
        "freigeschaltete_prozesse",
        "freigeschaltete Prozesse",
        Text,
        "Their names",
    ),
    Column::new(
        "abgeschaltet",
        "Prozesse abgeschaltet",
        Integer,
        "Processes switched off in the span",
    ),
    Column::new(
        "abgeschaltete_prozesse",
        "abgeschaltete Prozesse",
        Text,
        "Their names",
    ),
    Column::new(
        "onlinedienste_neu",
        "Onlinedienste neu",
        Integer,
        "Onlinedienste available on bis, not on von",
    ),
    Column::new(
        "onlinedienste_weg",
        "Onlinedienste weggefallen",
        Integer,
        "Available on von, not on bis",
    ),
    Column::new(
        "onlinedienste_gestoert",
        "Onlinedienste gestört",
        Integer,
        "Link not working on bis, working (or absent) on von",
    ),
    Column::new("demo", "Demodaten", YesNo, "Synthetic demo data"),
];

#[utoipa::path(get, path = "/api/v1/aenderungen", params(Params), tag = "coverage",
    responses((status = 200, description = "Per administration what changed in the span", content((Vec<ChangeRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis", body = super::error::ErrorBody)))]
pub(super) async fn rows(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let (snap, a) = request(&state, &p)?;
    let raw = &snap.raw;
    let c = changes(raw, &a);
    let names = |ps: &[usize]| {
        ps.iter()
            .map(|&i| raw.processes[i].name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rows: Vec<ChangeRow> = c
        .admins
        .iter()
        .map(|x| {
            let admin = &raw.admins[x.admin];
            let k = &raw.units[raw.kreise[admin.kreis]];
            ChangeRow {
                verwaltung: admin.id.clone(),
                name: admin.name.clone(),
                kreis: k.key.clone(),
                kreis_name: k.name.clone(),
                von: c.from.to_string(),
                bis: c.to.to_string(),
                neue_lotsen: x.lotsen_new,
                neue_aufbau: x.aufbau_new,
                freigeschaltet: x.switched_on.len() as u32,
                freigeschaltete_prozesse: names(&x.switched_on),
                abgeschaltet: x.switched_off.len() as u32,
                abgeschaltete_prozesse: names(&x.switched_off),
                onlinedienste_neu: x.services_new,
                onlinedienste_weg: x.services_gone,
                onlinedienste_gestoert: x.services_broken,
                demo: raw.demo,
            }
        })
        .collect();
    let download = Download::of("aenderungen", &snap, c.to, "/api/v1/aenderungen");
    table(rows, &ROW_COLUMNS, p.format.unwrap_or_default(), &download)
}

/// `scheme://host` as the client addressed the service (behind a proxy: its forwarded scheme).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if super::headers::forwarded_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The last twelve months up to the Datenstand (the calendar's month ends), newest first, each
/// as its span: after the month before's end, up to its own end.
fn months(as_of: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let from = as_of.checked_sub_months(Months::new(11)).unwrap_or(as_of);
    let ends = crate::model::calendar::step_ends(from, as_of, 1);
    ends.iter()
        .rev()
        .filter_map(|&end| {
            let first = NaiveDate::from_ymd_opt(end.year(), end.month(), 1)?;
            Some((first.pred_opt()?, end))
        })
        .collect()
}

async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let (snap, a) = request(&state, &p)?;
    let raw = &snap.raw;
    let key = a_key(raw, a.kreis);
    let base = base_url(&headers);
    let spans = months(snap.current.as_of);
    let kreis = a.kreis;
    let heavy = state.pools.heavy({
        let snap = snap.clone();
        move || {
            spans
                .into_iter()
                .map(|(from, to)| changes(&snap.raw, &Asked { from, to, kreis }))
                .collect::<Vec<_>>()
        }
    });
    let all = match heavy.await {
        Ok(all) => all,
        Err(busy) => return Ok(busy),
    };
    let target = FeedTarget {
        area: match kreis {
            Some(k) => raw.units[raw.kreise[k]].name.clone(),
            None => raw.registry.territory().name().to_string(),
        },
        self_url: match &key {
            Some(k) => format!("{base}/aenderungen.atom?kreis={k}"),
            None => format!("{base}/aenderungen.atom"),
        },
        page_url: format!("{base}/aenderungen"),
        kreis: key,
    };
    let xml = crate::page::feed::atom(&snap, &target, &all);
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
