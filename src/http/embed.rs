//! What other sites may show: `GET /einbetten/gemeinde/{ags}` (a small HTML card for an
//! `iframe`) and `GET /badge/gemeinde/{ags}.svg` (a badge). The only routes another site may
//! frame (`Content-Security-Policy: frame-ancestors *`); cached with an entity tag of the body,
//! so a Kommune's website asks again cheaply and gets 304 until the figures change.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{etag, AppState, Routes};
use crate::page::{embed, Links};

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/einbetten/gemeinde/{ags}", get(card))
        .route("/badge/gemeinde/{file}", get(badge))
}

/// `body` with its entity tag and a short shared cache time, or 304 if the client has it.
fn cached(headers: &HeaderMap, content_type: &'static str, body: String) -> Response {
    let tag = etag::of(body.as_bytes());
    let mut response = if etag::not_modified(headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    let h = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, tag);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn not_found(ags: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Keine Gemeinde mit dem AGS {ags:?}\n"),
    )
        .into_response()
}

async fn card(
    State(state): State<AppState>,
    Path(ags): Path<String>,
    headers: HeaderMap,
) -> Response {
    let snap = state.coverage.snapshot();
    match embed::card(&snap, &Links::Server, &ags) {
        Some(html) => cached(&headers, "text/html; charset=utf-8", html),
        None => not_found(&ags),
    }
}

async fn badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(ags) = file.strip_suffix(".svg") else {
        return not_found(&file);
    };
    let snap = state.coverage.snapshot();
    match embed::badge(&snap, &Links::Server, ags) {
        Some(svg) => cached(&headers, "image/svg+xml", svg),
        None => not_found(ags),
    }
}
