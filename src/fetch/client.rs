//! One GET with retries: timeouts, backoff on 429, 5xx and broken connections or bodies,
//! honouring `Retry-After`, a bounded body; every failure as one line naming the URL.

use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;

use super::FetchError;

/// How patient the client is.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Attempts after the first.
    pub retries: u32,
    /// The first wait; each further one doubles, up to [`MAX_WAIT`].
    pub backoff: Duration,
    /// For one whole request (connect, headers, body).
    pub timeout: Duration,
    /// Most bytes of one body.
    pub max_body: usize,
}

/// The longest wait between two attempts, whatever `Retry-After` asks for.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

impl Default for Patience {
    fn default() -> Self {
        Patience {
            retries: 5,
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(60),
            max_body: 64 << 20,
        }
    }
}

/// Why one attempt failed, and whether another may succeed.
enum Attempt {
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
    Fail(FetchError),
}

/// The HTTP client of `fetch`.
pub(super) struct Client {
    http: reqwest::Client,
    patience: Patience,
}

impl Client {
    pub(super) fn new(patience: Patience) -> Result<Self, FetchError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("digitalatlas/", env!("CARGO_PKG_VERSION")))
            .timeout(patience.timeout)
            .connect_timeout(patience.timeout.min(Duration::from_secs(20)))
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Client { http, patience })
    }

    /// The body of `url`, after as many attempts as the patience allows.
    pub(super) async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let mut wait = self.patience.backoff;
        let mut attempt = 0;
        loop {
            let (reason, asked) = match self.attempt(url).await {
                Ok(body) => return Ok(body),
                Err(Attempt::Fail(e)) => return Err(e),
                Err(Attempt::Retry { reason, wait }) => (reason, wait),
            };
            if attempt >= self.patience.retries {
                return Err(FetchError::GaveUp {
                    url: url.to_string(),
                    attempts: attempt + 1,
                    reason,
                });
            }
            attempt += 1;
            let pause = asked.unwrap_or(wait).min(MAX_WAIT);
            tracing::warn!(%url, %reason, wait_ms = pause.as_millis() as u64, attempt, "retrying");
            tokio::time::sleep(pause).await;
            wait = (wait * 2).min(MAX_WAIT);
        }
    }

    async fn attempt(&self, url: &str) -> Result<Vec<u8>, Attempt> {
        let retry = |reason: String| Attempt::Retry { reason, wait: None };
        let mut response = self.http.get(url).send().await.map_err(|e| {
            if e.is_builder() {
                Attempt::Fail(FetchError::Client(format!(
                    "{url}: {}",
                    chain(&e.without_url())
                )))
            } else {
                retry(chain(&e.without_url()))
            }
        })?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(Attempt::Retry {
                reason: format!("HTTP {status}"),
                wait: retry_after(response.headers()),
            });
        }
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(Attempt::Fail(FetchError::Refused {
                url: url.to_string(),
                status: status.as_u16(),
                body: body.chars().take(200).collect(),
            }));
        }
        let limit = self.patience.max_body;
        if response
            .content_length()
            .is_some_and(|n| n as usize > limit)
        {
            return Err(Attempt::Fail(FetchError::TooLarge {
                url: url.to_string(),
                limit,
            }));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| retry(chain(&e.without_url())))?
        {
            if body.len() + chunk.len() > limit {
                return Err(Attempt::Fail(FetchError::TooLarge {
                    url: url.to_string(),
                    limit,
                }));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let ms = (at.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0);
    Some(Duration::from_millis(ms as u64))
}

/// An error with its causes, on one line ("error sending request: connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
