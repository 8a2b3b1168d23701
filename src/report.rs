//! `digitalatlas report --out DIR [--as-of DATE]`: the page, a page per Kreis and Gemeinde, all
//! charts and the CSV/GeoJSON downloads as static files, for any web server. Charts and
//! downloads come from the same handlers as the live service (called in-process).

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use tower::ServiceExt;

use crate::coverage::raw::RawData;
use crate::coverage::snapshot::Snapshot;
use crate::coverage::Coverage;
use crate::http::AppState;
use crate::model::AdminKind;
use crate::page::{self, chart_file, Links, DOWNLOADS, PAGE_CHARTS};

/// What a report wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub pages: usize,
    pub charts: usize,
    pub downloads: usize,
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

async fn fetch(router: &axum::Router, uri: &str) -> anyhow::Result<axum::body::Bytes> {
    let req = Request::get(uri).body(Body::empty())?;
    let resp = router.clone().oneshot(req).await?;
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
    if status != StatusCode::OK {
        anyhow::bail!("{uri}: {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(body)
}

/// Writes the report of `state`'s data as of `as_of` (default: today) into `out`.
pub async fn write_report(
    state: &AppState,
    out: &Path,
    as_of: Option<NaiveDate>,
) -> anyhow::Result<Written> {
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
        page::index(&snap, &Links::Report { depth: 0 }, "name").as_bytes(),
    )?;
    w.pages += 1;
    let sub = Links::Report { depth: 1 };
    let maps = crate::boundaries::cover(&snap.raw);
    for &u in snap.raw.kreise.iter() {
        let key = &snap.raw.units[u].key;
        if let Some(html) = page::kreis(&snap, &sub, key) {
            write(
                &out.join("kreis").join(format!("{key}.html")),
                html.as_bytes(),
            )?;
            w.pages += 1;
            if !maps {
                continue;
            }
            let chart = format!("map/gemeinden?kreis={key}");
            let bytes = fetch(&router, &format!("/charts/{chart}")).await?;
            write(
                &out.join("charts")
                    .join(format!("{}.png", chart_file(&chart))),
                &bytes,
            )?;
            w.charts += 1;
        }
    }
    for a in snap
        .raw
        .admins
        .iter()
        .filter(|a| a.kind == AdminKind::Gemeinde)
    {
        if let Some(html) = page::gemeinde(&snap, &sub, &a.id) {
            write(
                &out.join("gemeinde").join(format!("{}.html", a.id)),
                html.as_bytes(),
            )?;
            w.pages += 1;
        }
    }
    for chart in PAGE_CHARTS
        .iter()
        .chain(["map/kreise?metric=standardprozesse", "kreise"].iter())
        .filter(|c| maps || !c.starts_with("map/"))
    {
        let bytes = fetch(&router, &format!("/charts/{chart}")).await?;
        write(
            &out.join("charts")
                .join(format!("{}.png", chart_file(chart))),
            &bytes,
        )?;
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
    Ok(w)
}
