//! What one client may take of the machine: connections, time, CPU-heavy work, import bodies.
//! The numbers are configurable (`serve --max-connections` etc., see the README); the pools
//! live in [`AppState`](super::AppState) so that every handler shares them.

use std::sync::Arc;
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::http::error::ApiError;

/// The HTTP limits of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// Open connections at most; past it a new connection gets a 503 and is closed.
    pub max_connections: usize,
    /// A request header (and, between keep-alive requests, the next one) must arrive within
    /// this; slow or idle clients are disconnected.
    pub header_timeout: Duration,
    /// A request (imports excepted: they are bounded by size and the import wait) must be
    /// answered within this, else 503.
    pub request_timeout: Duration,
    /// CPU-heavy requests (chart rendering, time series) computed at once; others wait.
    pub max_heavy: usize,
    /// How long a heavy request or an import body waits for its turn before a 503.
    pub queue_wait: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_heavy: std::thread::available_parallelism().map_or(2, usize::from),
            queue_wait: Duration::from_secs(20),
        }
    }
}

/// The shared pools.
#[derive(Debug)]
pub struct Pools {
    pub limits: HttpLimits,
    heavy: Arc<Semaphore>,
    /// One import body is read and parsed at a time (bodies are up to `--max-bytes`).
    uploads: Arc<Semaphore>,
}

impl Default for Pools {
    fn default() -> Self {
        Pools::new(HttpLimits::default())
    }
}

/// Too many requests of one kind at once: 503 with `Retry-After`.
pub fn busy(message: impl Into<String>, retry_after_s: u64) -> Response {
    ApiError::Busy {
        message: message.into(),
        retry_after_s,
    }
    .into_response()
}

impl Pools {
    pub fn new(limits: HttpLimits) -> Pools {
        Pools {
            limits,
            heavy: Arc::new(Semaphore::new(limits.max_heavy.max(1))),
            uploads: Arc::new(Semaphore::new(1)),
        }
    }

    async fn permit(&self, pool: &Arc<Semaphore>) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(self.limits.queue_wait, pool.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// Runs `f` on the blocking pool once a heavy-work permit is free (at most
    /// `max_heavy` at once, so that memory and CPU stay bounded whatever arrives).
    pub async fn heavy<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Response> {
        let Some(permit) = self.permit(&self.heavy).await else {
            return Err(busy(
                "too many charts or time series are being computed; try again shortly",
                2,
            ));
        };
        let out = tokio::task::spawn_blocking(move || {
            let out = f();
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
        Ok(out)
    }

    /// The turn to read and import one body.
    pub async fn upload(&self) -> Result<OwnedSemaphorePermit, Response> {
        self.permit(&self.uploads).await.ok_or_else(|| {
            busy(
                "another import is being received; try again shortly",
                self.limits.queue_wait.as_secs().max(1),
            )
        })
    }
}

/// The status of a request that ran past `request_timeout`.
pub fn timed_out() -> Response {
    busy("the request took too long", 5)
}
