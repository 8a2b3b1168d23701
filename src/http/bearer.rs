//! The caller of a writing or private endpoint: the token in `Authorization: Bearer …`, checked
//! against the configured hashes before the handler runs, and its scopes.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::AppState;
use crate::auth::{Scope, Token};
use crate::http::error::ApiError;

/// A configured token presented by the request. Missing or unknown: 401 (with
/// `WWW-Authenticate: Bearer`); the message says which.
#[derive(Debug, Clone)]
pub(crate) struct Bearer(pub(crate) Token);

impl Bearer {
    /// 403 unless the token grants `scope`.
    pub(crate) fn require(&self, scope: Scope) -> Result<&Token, ApiError> {
        if self.0.grants(scope) {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden(match scope {
                Scope::Import(dataset) => {
                    format!("token {:?} may not write {dataset}", self.0.name)
                }
                other => format!("token {:?} lacks scope {other}", self.0.name),
            }))
        }
    }
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized("missing bearer token (Authorization: Bearer TOKEN)".into())
            })?;
        state
            .tokens
            .verify(presented)
            .cloned()
            .map(Bearer)
            .ok_or_else(|| ApiError::Unauthorized("unknown token".into()))
    }
}
