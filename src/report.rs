//! `digitalatlas report --out DIR [--as-of DATE]`: the page, a page per Kreis, Gemeinde and
//! Verband, all charts and the CSV/GeoJSON downloads as static files, for any web server.
//! Charts and downloads come from the same handlers as the live service (called in-process).

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use tower::ServiceExt;

use crate::boundaries::Layer;
use crate::charts::catalog::MapMetric;
use crate::charts::ChartId;
use crate::coverage::raw::{RawData, UnitLevel};
use crate::coverage::snapshot::Snapshot;
use crate::coverage::Coverage;
use crate::http::AppState;
use crate::model::AdminKind;
use crate::page::{self, Links, DOWNLOADS, WORKBOOKS};

/// What a report wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: usize,
    pub charts: usize,
    pub downloads: usize,
    /// Excel workbooks of the tables and the downloads of the Kreis pages.
    pub workbooks: usize,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{uri}: {status}: {body}")]
    Answer {
        uri: String,
        status: StatusCode,
        body: String,
    },
    #[error("{uri}: {message}")]
    Request { uri: String, message: String },
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let failed = |p: &Path| {
        let path = p.display().to_string();
        move |source| ReportError::Write { path, source }
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed(dir))?;
    }
    std::fs::write(path, bytes).map_err(failed(path))
}

/// Draws a chart through the HTTP handler (as the page links it) into `charts/`.
async fn write_chart(
    router: &axum::Router,
    out: &Path,
    chart: &ChartId,
) -> Result<(), ReportError> {
    let encoding = chart.report_encoding();
    let path = chart.path();
    let query = match encoding {
        crate::charts::Encoding::Png => String::new(),
        other => format!(
            "{}format={}",
            if path.contains('?') { '&' } else { '?' },
            other.extension()
        ),
    };
    let bytes = fetch(router, &format!("/charts/{path}{query}")).await?;
    let file = format!("{}.{}", chart.file(), encoding.extension());
    write(&out.join("charts").join(file), &bytes)
}

/// One answer of the service's own handlers, called in-process.
async fn fetch(router: &axum::Router, uri: &str) -> Result<axum::body::Bytes, ReportError> {
    let failed = |message: String| ReportError::Request {
        uri: uri.to_string(),
        message,
    };
    let req = Request::get(uri)
        .body(Body::empty())
        .map_err(|e| failed(e.to_string()))?;
    let resp = router
        .clone()
        .oneshot(req)
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .map_err(|e| failed(e.to_string()))?;
    if status != StatusCode::OK {
        return Err(ReportError::Answer {
            uri: uri.to_string(),
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    Ok(body)
}

/// Writes the report of `state`'s data as of `as_of` (default: today) into `out`.
pub async fn write_report(
    state: &AppState,
    out: &Path,
    as_of: Option<NaiveDate>,
) -> Result<Written, ReportError> {
    let current = state.coverage.snapshot();
    let day = as_of.unwrap_or(current.current.as_of);
    let raw: RawData = RawData::clone(&current.raw);
    let snap = Snapshot::build(current.generation, raw, day);
    let mut state = state.clone();
    state.coverage = Arc::new(Coverage::from_snapshot(snap));
    state.geo = Arc::default();
    state.charts = Arc::default();
    let snap = state.coverage.snapshot();
    let router = crate::http::router(state.clone());
    let mut w = Written::default();

    write(
        &out.join("index.html"),
        page::index(&snap, &Links::Report { depth: 0 }, page::KreisSort::Name).as_bytes(),
    )?;
    w.pages += 1;
    write(
        &out.join("methodik.html"),
        page::method::page(&snap, &Links::Report { depth: 0 }).as_bytes(),
    )?;
    w.pages += 1;
    let maps = crate::boundaries::cover(&snap.raw.registry);
    write_laender(&snap, &router, out, maps, &mut w).await?;
    write_kreise_and_gemeinden(&snap, &router, out, maps, &mut w).await?;
    let extra = [
        ChartId::map(Layer::Kreise, MapMetric::Standardprozesse),
        ChartId::Kreise,
    ];
    for chart in page::page_charts()
        .iter()
        .chain(extra.iter())
        .filter(|c| maps || !matches!(c, ChartId::Map { .. }))
    {
        write_chart(&router, out, chart).await?;
        w.charts += 1;
    }
    for (_, api, file) in DOWNLOADS
        .iter()
        .filter(|(_, api, _)| maps || !api.contains("/geo/"))
    {
        // The handlers answer as of the report's snapshot day.
        let bytes = fetch(&router, api).await?;
        write(&out.join("daten").join(file), &bytes)?;
        w.downloads += 1;
    }
    for (_, api, file) in WORKBOOKS {
        let bytes = fetch(&router, api).await?;
        write(&out.join("daten").join(file), &bytes)?;
        w.workbooks += 1;
    }
    Ok(w)
}

/// The page of every Land of an atlas of Germany with its maps (nothing for one Land).
async fn write_laender(
    snap: &Snapshot,
    router: &axum::Router,
    out: &Path,
    maps: bool,
    w: &mut Written,
) -> Result<(), ReportError> {
    let sub = Links::Report { depth: 1 };
    for u in snap.raw.laender() {
        let key = &snap.raw.units[u].key;
        let Some(html) = page::land(snap, &sub, key) else {
            continue;
        };
        write(
            &out.join("land").join(format!("{key}.html")),
            html.as_bytes(),
        )?;
        w.pages += 1;
        for chart in page::land_charts(key).iter().filter(|_| maps) {
            write_chart(router, out, chart).await?;
            w.charts += 1;
        }
    }
    Ok(())
}

/// The page of every Kreis with its downloads and charts, the page of every Gemeinde and every
/// Verwaltungsverband.
async fn write_kreise_and_gemeinden(
    snap: &Snapshot,
    router: &axum::Router,
    out: &Path,
    maps: bool,
    w: &mut Written,
) -> Result<(), ReportError> {
    let sub = Links::Report { depth: 1 };
    for &u in snap.raw.kreise.iter() {
        let key = &snap.raw.units[u].key;
        if let Some(html) = page::kreis(snap, &sub, key) {
            write(
                &out.join("kreis").join(format!("{key}.html")),
                html.as_bytes(),
            )?;
            w.pages += 1;
            for (_, api, file) in page::kreis_downloads(key) {
                let bytes = fetch(router, &api).await?;
                write(&out.join("daten").join(file), &bytes)?;
                w.workbooks += 1;
            }
            for chart in page::kreis_charts(key, maps) {
                write_chart(router, out, &chart).await?;
                w.charts += 1;
            }
            // Its Landratsamt's history, on the same page.
            if snap.raw.admin_idx.contains_key(key.as_str()) {
                write_chart(router, out, &ChartId::History(key.clone())).await?;
                w.charts += 1;
            }
        }
    }
    for a in snap
        .raw
        .admins
        .iter()
        .filter(|a| a.kind == AdminKind::Gemeinde)
    {
        if let Some(html) = page::gemeinde(snap, &sub, &a.id) {
            write(
                &out.join("gemeinde").join(format!("{}.html", a.id)),
                html.as_bytes(),
            )?;
            w.pages += 1;
            write_chart(router, out, &ChartId::History(a.id.clone())).await?;
            w.charts += 1;
        }
    }
    for u in snap
        .raw
        .units
        .iter()
        .filter(|u| u.level == UnitLevel::Verband)
    {
        if let Some(html) = page::verband(snap, &sub, &u.key) {
            write(
                &out.join("verband").join(format!("{}.html", u.key)),
                html.as_bytes(),
            )?;
            w.pages += 1;
        }
    }
    Ok(())
}
