//! The web page: `/`, `/kreis/{key}`, `/gemeinde/{ags}`, `/verband/{key}`, `/suche?q=` (HTML,
//! see `crate::page`), and `/steckbrief/{key}`, which sends an administration's key to its page.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use std::sync::Arc;

use super::params::{given, ApiQuery};
use super::query::{Day, Sort};
use super::{AppState, Routes};
use crate::coverage::raw::UnitLevel;
use crate::coverage::Snapshot;
use crate::http::error::ApiError;
use crate::page::{self, Links};

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/", get(index))
        .route("/land/{key}", get(land))
        .route("/kreis/{key}", get(kreis))
        .route("/gemeinde/{ags}", get(gemeinde))
        .route("/verband/{key}", get(verband))
        .route("/steckbrief/{key}", get(steckbrief))
        .route("/suche", get(search))
        .route("/methodik", get(method))
        .route("/aenderungen", get(super::changes::page))
}

#[derive(Debug, Deserialize)]
pub(super) struct Params {
    sort: Option<Sort>,
    q: Option<String>,
    /// The Stichtag: every figure, map and chart of the page as of that day.
    as_of: Option<Day>,
}

/// The snapshot a page shows (as of its Stichtag, computed off the async workers) and the links
/// that keep the Stichtag.
async fn view(state: &AppState, p: &Params) -> Result<(Arc<Snapshot>, Links), Response> {
    let snap = state.coverage.snapshot();
    match p.as_of.and_then(|d| d.0) {
        Some(day) if day != snap.current.as_of => {
            let at = state.pools.heavy(move || Arc::new(snap.at(day))).await?;
            Ok((at, Links::ServerAsOf(day)))
        }
        _ => Ok((snap, Links::Server)),
    }
}

async fn index(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let sort = p.sort.map(|s| s.0).unwrap_or_default();
    let (snap, links) = match view(&state, &p).await {
        Ok(view) => view,
        Err(busy) => return Ok(busy),
    };
    Ok(Html(page::index(&snap, &links, sort)).into_response())
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page::html::page(
            "Nicht gefunden",
            "/",
            false,
            &format!(
                "<p>{} gibt es nicht. <a href=\"/\">Zur Übersicht</a></p>",
                page::html::esc(what)
            ),
            "",
        )),
    )
        .into_response()
}

/// A region's page as of the request's Stichtag, or a German 404 naming what was not found.
async fn region_page(
    state: &AppState,
    p: &Params,
    render: impl FnOnce(&Snapshot, &Links) -> Option<String>,
    missing: String,
) -> Response {
    let (snap, links) = match view(state, p).await {
        Ok(view) => view,
        Err(busy) => return busy,
    };
    match render(&snap, &links) {
        Some(html) => Html(html).into_response(),
        None => not_found(&missing),
    }
}

async fn kreis(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Response {
    let missing = format!("Einen Kreis mit dem Schlüssel {key}");
    region_page(&state, &p, |s, l| page::kreis(s, l, &key), missing).await
}

async fn land(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Response {
    let missing = format!("Ein Land mit dem Schlüssel {key} in diesem Atlas");
    region_page(&state, &p, |s, l| page::land(s, l, &key), missing).await
}

async fn gemeinde(
    State(state): State<AppState>,
    Path(ags): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Response {
    let missing = format!("Eine Gemeinde mit dem AGS {ags}");
    region_page(&state, &p, |s, l| page::gemeinde(s, l, &ags), missing).await
}

async fn verband(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<Params>,
) -> Response {
    let missing = format!("Einen Verwaltungsverband mit dem Schlüssel {key}");
    region_page(&state, &p, |s, l| page::verband(s, l, &key), missing).await
}

/// `/steckbrief/{key}`: an administration's page by its key — a Gemeinde's own (AGS, 8 digits),
/// a Landratsamt's the section of its Kreis' page (5 digits). Grafana's tables link every row
/// here, whatever its kind.
async fn steckbrief(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let snap = state.coverage.snapshot();
    let to = if snap.raw.unit_index(UnitLevel::Gemeinde, &key).is_some() {
        format!("/gemeinde/{key}")
    } else if snap.raw.unit_index(UnitLevel::Kreis, &key).is_some() {
        format!("/kreis/{key}#landratsamt")
    } else {
        return not_found(&format!("Eine Verwaltung mit dem Schlüssel {key}"));
    };
    Redirect::to(&to).into_response()
}

async fn search(State(state): State<AppState>, ApiQuery(p): ApiQuery<Params>) -> Response {
    let snap = state.coverage.snapshot();
    Html(page::search(&snap, given(&p.q).unwrap_or(""))).into_response()
}

async fn method(State(state): State<AppState>) -> Response {
    let snap = state.coverage.snapshot();
    Html(page::method::page(&snap, &Links::Server)).into_response()
}
