//! `digitalatlas fetch onlinedienste`: the federal dashboard's open API
//! (`GET {base}/v1/data/{ars}`, documented in `bundesAPI/digitale-verwaltung-api`, `openapi.yaml`)
//! read page by page to the last, each page's rows written as they arrive into one JSON array
//! — the file `import onlinedienste` reads. The file appears only when every page was read.

mod client;
mod pages;

pub use client::{Patience, MAX_WAIT};
pub use pages::{onlinedienste, Fetched, Source, DEFAULT_BASE_URL};

/// Why a fetch failed, in one line.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    #[error("{url}: no answer after {attempts} attempt(s): {reason}")]
    GaveUp {
        url: String,
        attempts: u32,
        reason: String,
    },
    #[error("{url}: the server answered HTTP {status}: {body}")]
    Refused {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{url}: the answer is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: not a page of the documented shape: {reason}")]
    NotAPage { url: String, reason: String },
    #[error(
        "the source changed while it was read ({before} rows announced, then {after}); fetch again"
    )]
    Changed { before: u64, after: u64 },
    #[error("the source announces {rows} rows, more than the limit of {limit} (--max-rows)")]
    TooManyRows { rows: u64, limit: u64 },
    #[error("{path}: {error}")]
    Write { path: String, error: std::io::Error },
}

impl FetchError {
    /// Whether trying again later may help (the server or the network, not the request).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FetchError::GaveUp { .. } | FetchError::Changed { .. } | FetchError::NotAPage { .. }
        )
    }
}
