//! How errors travel, and the HTTP edge's error type.
//!
//! Policy:
//! - One error type per layer: `model::KeyError` (a key), `registry::reference::ReferenceError`
//!   (a registry file), `store::StoreError` (the database), `import::ImportError` (a delivery,
//!   with its report of line, column, value and reason), `charts::ChartError` (drawing),
//!   `auth::TokenConfigError` and `config::ConfigError` (configuration), `report::ReportError`,
//!   `server::ServerError`, and [`ApiError`] at the HTTP edge. A lower error becomes a higher one
//!   through `From`; no layer formats another layer's error into a string of its own.
//! - A client's mistake is a 4xx that names the parameter or field, the value and what is
//!   allowed. What goes away by trying again is a 503 with `Retry-After`. Anything else is a 500
//!   that is logged with its cause; its body says what failed, never how.
//! - `anyhow` only in `cli`, the binary's top, where every error ends as one line on stderr and an
//!   exit code.
//! - Input never panics: `unwrap`/`expect` only on invariants the code itself establishes.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;

/// Every error answer: a message and the status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    pub error: String,
    pub status: u16,
}

/// Every error a request can end in; always a JSON body `{error, status}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    /// No or an unknown bearer token (answered with `WWW-Authenticate: Bearer`).
    #[error("{0}")]
    Unauthorized(String),
    /// A known token without the scope.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    /// Try again in `retry_after_s` seconds (answered with `Retry-After`).
    #[error("{message}")]
    Busy { message: String, retry_after_s: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<crate::model::KeyError> for ApiError {
    fn from(e: crate::model::KeyError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}

impl From<crate::charts::ChartError> for ApiError {
    fn from(e: crate::charts::ChartError) -> Self {
        ApiError::Internal(format!("chart: {e}"))
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        if e.is_retryable() {
            ApiError::Busy {
                message: format!("database unavailable: {e}"),
                retry_after_s: 5,
            }
        } else {
            ApiError::Internal(format!("database: {e}"))
        }
    }
}

impl From<crate::export::ExportError> for ApiError {
    fn from(e: crate::export::ExportError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<csv::Error> for ApiError {
    fn from(e: csv::Error) -> Self {
        ApiError::Internal(format!("CSV encoding: {e}"))
    }
}

impl<W> From<csv::IntoInnerError<W>> for ApiError {
    fn from(e: csv::IntoInnerError<W>) -> Self {
        ApiError::Internal(format!("CSV encoding: {}", e.error()))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("JSON encoding: {e}"))
    }
}

impl From<header::InvalidHeaderValue> for ApiError {
    fn from(_: header::InvalidHeaderValue) -> Self {
        ApiError::Internal("header value".into())
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::Internal(format!("encoding: {e}"))
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(format!("worker: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() && !matches!(self, ApiError::Busy { .. }) {
            tracing::error!(error = %self, "request failed");
        }
        let retry_after = match &self {
            ApiError::Busy { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        };
        let mut resp = (
            status,
            Json(json!({ "error": self.to_string(), "status": status.as_u16() })),
        )
            .into_response();
        if let Some(s) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, s);
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}
