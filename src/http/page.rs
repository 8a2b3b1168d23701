//! The web page: `/`, `/kreis/{key}`, `/gemeinde/{ags}`, `/suche?q=` (HTML, see `crate::page`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::params::{given, ApiQuery};
use super::AppState;
use crate::error::ApiError;
use crate::page::{self, Links};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/kreis/{key}", get(kreis))
        .route("/gemeinde/{ags}", get(gemeinde))
        .route("/suche", get(search))
}

#[derive(Debug, Deserialize)]
pub(super) struct Params {
    sort: Option<String>,
    q: Option<String>,
}

async fn index(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let sort = given(&p.sort).unwrap_or("name");
    if !page::KREIS_SORTS.contains(&sort) {
        return Err(ApiError::BadRequest(format!(
            "unknown sort {sort:?}: use {}",
            page::KREIS_SORTS.join(", ")
        )));
    }
    let snap = state.coverage.snapshot();
    Ok(Html(page::index(&snap, &Links::Server, sort)).into_response())
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

async fn kreis(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let snap = state.coverage.snapshot();
    match page::kreis(&snap, &Links::Server, &key) {
        Some(html) => Html(html).into_response(),
        None => not_found(&format!("Einen Kreis mit dem Schlüssel {key}")),
    }
}

async fn gemeinde(State(state): State<AppState>, Path(ags): Path<String>) -> Response {
    let snap = state.coverage.snapshot();
    match page::gemeinde(&snap, &Links::Server, &ags) {
        Some(html) => Html(html).into_response(),
        None => not_found(&format!("Eine Gemeinde mit dem AGS {ags}")),
    }
}

async fn search(State(state): State<AppState>, ApiQuery(p): ApiQuery<Params>) -> Response {
    let snap = state.coverage.snapshot();
    Html(page::search(&snap, given(&p.q).unwrap_or(""))).into_response()
}
