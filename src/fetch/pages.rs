//! Paging through `GET {base}/v1/data/{ars}`: page 0 announces `totalPages` and
//! `totalElements`; every page's `content` is appended to the output as it arrives; a page whose
//! announcement differs from the first means the source changed meanwhile (refused, not mixed).

use std::io::Write;
use std::path::Path;

use indicatif::ProgressBar;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::client::{Client, Patience};
use super::FetchError;

/// The federal dashboard's API.
pub const DEFAULT_BASE_URL: &str = "https://dashboard-daten.digitale-verwaltung.de/api";

/// What to read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Up to `/api`, without `/v1`.
    pub base_url: String,
    /// 12-digit ARS of the Gebietskörperschaft.
    pub ars: String,
    /// Services offered above it (Kreis, Land, Bund) too.
    pub include_above: bool,
    /// Services of the regions below it (a Kreis' Gemeinden).
    pub include_below: bool,
    /// Rows per page.
    pub page_size: u32,
    /// Most rows accepted in all.
    pub max_rows: u64,
}

impl Source {
    pub fn url(&self, page: u64) -> String {
        format!(
            "{}/v1/data/{}?includeAbove={}&includeBelow={}&page={page}&size={}",
            self.base_url.trim_end_matches('/'),
            self.ars,
            self.include_above,
            self.include_below,
            self.page_size
        )
    }
}

/// What was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetched {
    pub pages: u64,
    pub rows: u64,
}

/// One page of the documented shape; the rows stay raw (written as received).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    #[serde(borrow)]
    content: Vec<&'a RawValue>,
    total_pages: u64,
    total_elements: u64,
    #[serde(default)]
    last: Option<bool>,
}

/// Reads every page of `source` into `out` (a JSON array, one row per line), through a file
/// beside it that becomes `out` only when the last page was read.
pub async fn onlinedienste(
    source: &Source,
    patience: Patience,
    out: &Path,
    progress: &ProgressBar,
) -> Result<Fetched, FetchError> {
    let client = Client::new(patience)?;
    let partial = out.with_extension("partial");
    let write_error = |error: std::io::Error| FetchError::Write {
        path: partial.display().to_string(),
        error,
    };
    let file = std::fs::File::create(&partial).map_err(write_error)?;
    let mut writer = std::io::BufWriter::new(file);
    let result = read_pages(&client, source, &mut writer, progress).await;
    let finished = result.and_then(|fetched| {
        writer.write_all(b"\n]\n").map_err(write_error)?;
        writer.flush().map_err(write_error)?;
        Ok(fetched)
    });
    drop(writer);
    match finished {
        Ok(fetched) => {
            std::fs::rename(&partial, out).map_err(|error| FetchError::Write {
                path: out.display().to_string(),
                error,
            })?;
            Ok(fetched)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

async fn read_pages(
    client: &Client,
    source: &Source,
    out: &mut impl Write,
    progress: &ProgressBar,
) -> Result<Fetched, FetchError> {
    let io = |error: std::io::Error| FetchError::Write {
        path: "output".into(),
        error,
    };
    out.write_all(b"[").map_err(io)?;
    let mut announced: Option<(u64, u64)> = None;
    let mut fetched = Fetched { pages: 0, rows: 0 };
    let mut number = 0;
    loop {
        let url = source.url(number);
        let body = client.get(&url).await?;
        let page: Page<'_> = serde_json::from_slice(&body).map_err(|e| FetchError::NotAPage {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        let (pages, rows) = *announced.get_or_insert((page.total_pages, page.total_elements));
        if (pages, rows) != (page.total_pages, page.total_elements) {
            return Err(FetchError::Changed {
                before: rows,
                after: page.total_elements,
            });
        }
        if rows > source.max_rows {
            return Err(FetchError::TooManyRows {
                rows,
                limit: source.max_rows,
            });
        }
        progress.set_length(pages.max(1));
        for row in &page.content {
            out.write_all(if fetched.rows == 0 { b"\n" } else { b",\n" })
                .map_err(io)?;
            out.write_all(row.get().as_bytes()).map_err(io)?;
            fetched.rows += 1;
        }
        fetched.pages += 1;
        progress.set_position(fetched.pages);
        number += 1;
        if number >= pages || page.last == Some(true) || page.content.is_empty() {
            break;
        }
    }
    let (_, rows) = announced.unwrap_or_default();
    if fetched.rows != rows {
        return Err(FetchError::Changed {
            before: rows,
            after: fetched.rows,
        });
    }
    Ok(fetched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_follows_the_documented_interface() {
        let s = Source {
            base_url: "http://127.0.0.1:1/api/".into(),
            ars: "081150000000".into(),
            include_above: true,
            include_below: true,
            page_size: 500,
            max_rows: 10,
        };
        assert_eq!(
            s.url(2),
            "http://127.0.0.1:1/api/v1/data/081150000000?includeAbove=true&includeBelow=true&page=2&size=500"
        );
    }
}
