//! `POST /api/v1/imports/{dataset}` (file as body, bearer token with the dataset's scope) and
//! `GET /api/v1/imports` (the import log, token required). Reads elsewhere stay public.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::bearer::Bearer;
use super::params::ApiQuery;
use super::query::Switch;
use super::{AppState, Routes};
use crate::auth::Scope;
use crate::http::error::ApiError;
use crate::import::{self, Dataset, ImportError};

pub(super) fn router() -> Routes {
    Routes::new()
        .route("/api/v1/imports", get(list))
        .route("/api/v1/imports/{dataset}", post(upload))
}

/// The `{dataset}` of the URL; an unknown one is a 404 naming the datasets.
#[derive(Debug, Clone, Copy)]
pub(super) struct DatasetPath(Dataset);

impl<S: Send + Sync> FromRequestParts<S> for DatasetPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(name) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::NotFound(e.body_text()))?;
        name.parse::<Dataset>()
            .map(DatasetPath)
            .map_err(ApiError::NotFound)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UploadParams {
    /// Check only, write nothing: empty, true, 1 or yes; false, 0 or no (default) writes.
    #[serde(default)]
    dry_run: Option<Switch>,
    /// Name recorded in the log; defaults to `http-upload`.
    #[serde(default)]
    source: Option<String>,
    /// Onlinedienste: the Datenstand of rows without `datenstand_pvog_import` (YYYY-MM-DD).
    #[serde(default)]
    stichtag: Option<super::query::Day>,
}

async fn upload(
    State(state): State<AppState>,
    bearer: Bearer,
    DatasetPath(dataset): DatasetPath,
    ApiQuery(params): ApiQuery<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let token = match bearer.require(Scope::Import(dataset)) {
        Ok(token) => token,
        Err(e) => return e.into_response(),
    };
    let mut request = import::Request {
        dataset,
        source_name: params
            .source
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "http-upload".into()),
        input: import::Input::Bytes(&[]),
        format_hint: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        dry_run: params.dry_run.is_some_and(|d| d.0),
        actor: token.name.clone(),
        stichtag: params.stichtag.and_then(|d| d.0),
    };
    // One body at a time is read and parsed: bodies are up to the limit each.
    let (bytes, _turn) = match read_body(&state, &request, &headers, body).await {
        Ok(read) => read,
        Err(refusal) => return refusal,
    };
    request.input = import::Input::Bytes(&bytes);
    match state.import(&request).await {
        Ok(summary) => {
            if !summary.dry_run {
                state.after_import_of(&summary).await;
            }
            (StatusCode::OK, Json(summary)).into_response()
        }
        Err(e) => {
            if !request.dry_run {
                state.metrics.import_failed(dataset.as_str(), e.reason());
            }
            error_response(&state, e)
        }
    }
}

/// The body, read within the size limit and the body timeout while holding the one upload
/// turn (returned with it). A declared length over the limit is refused before a byte is read.
async fn read_body(
    state: &AppState,
    request: &import::Request<'_>,
    headers: &HeaderMap,
    body: Body,
) -> Result<(axum::body::Bytes, tokio::sync::OwnedSemaphorePermit), Response> {
    let limit = state.limits.max_bytes;
    let too_large = |size: usize| ImportError::TooLarge {
        file: request.source_name.clone(),
        size,
        limit,
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(size) = declared.filter(|&n| n > limit as u64) {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        return Err(refused(state, request, too_large(size)).await);
    }
    let turn = state.pools.upload().await?;
    // A body that trickles in must not hold the one upload turn for ever.
    let body_timeout = state.pools.limits.request_timeout * 5;
    match tokio::time::timeout(body_timeout, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok((bytes, turn)),
        Err(_) => Err(ApiError::RequestTimeout(format!(
            "the body did not arrive within {} s; nothing was imported",
            body_timeout.as_secs()
        ))
        .into_response()),
        Ok(Err(_)) => Err(refused(state, request, too_large(limit + 1)).await),
    }
}

/// An import refused before `import::run` saw it: logged and counted like the others.
async fn refused(state: &AppState, request: &import::Request<'_>, e: ImportError) -> Response {
    if !request.dry_run {
        import::record_refusal(&state.store, request, &e).await;
        state
            .metrics
            .import_failed(request.dataset.as_str(), e.reason());
    }
    error_response(state, e)
}

/// The answer to a failed import: 413, 422 with the report, 503 with `Retry-After` when trying
/// again can help, 500 only for a database error nobody could foresee.
fn error_response(state: &AppState, e: ImportError) -> Response {
    match e {
        ImportError::Invalid(report) | ImportError::Unreadable(report) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response()
        }
        ImportError::TooLarge { limit, .. } => {
            ApiError::PayloadTooLarge(format!("the body exceeds the limit of {limit} bytes"))
                .into_response()
        }
        e if e.is_retryable() => super::limits::busy(
            format!("{e}; nothing was written"),
            state.limits.wait.as_secs().clamp(1, 60),
        ),
        ImportError::Store(e) => {
            tracing::error!(error = %e, "import failed in the database");
            ApiError::Internal("the import failed in the database; nothing was written".into())
                .into_response()
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ListParams {
    #[serde(default)]
    limit: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    bearer: Bearer,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Response, ApiError> {
    bearer.require(Scope::ReadImports)?;
    let limit = params.limit.unwrap_or(100).clamp(1, 10_000);
    let (imported, failed) = tokio::try_join!(
        state.store.import_log(limit),
        state.store.import_failures(limit)
    )
    .map_err(|e| ApiError::Unavailable(format!("database unavailable: {e}")))?;
    // Imports and failures together, newest first: `status` tells them apart.
    let mut entries: Vec<(String, serde_json::Value)> = imported
        .into_iter()
        .map(|e| {
            let mut v = json!(e);
            v["status"] = json!("imported");
            (e.imported_at, v)
        })
        .chain(failed.into_iter().map(|f| {
            let mut v = json!(f);
            v["status"] = json!("failed");
            (f.failed_at, v)
        }))
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    entries.truncate(limit as usize);
    Ok(Json(entries.into_iter().map(|(_, v)| v).collect::<Vec<_>>()).into_response())
}
