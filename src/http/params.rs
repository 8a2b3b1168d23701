//! What every list endpoint shares: query parsing that answers a JSON 400 (never axum's plain-text
//! rejection), levels, dates, Kreis keys, and JSON-or-CSV tables.

use axum::extract::{FromRequestParts, Query};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::query::{AllOr, TableFormat};
use crate::coverage::raw::{RawData, UnitLevel};
use crate::coverage::Snapshot;
use crate::export::{self, About, Sheet, SheetColumn};
use crate::http::error::ApiError;
use crate::model::column::{Column, ColumnKind};
use crate::model::{KreisKey, RbKey};

/// `Query<T>` whose rejection is an `ApiError::BadRequest` with a JSON body.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// An optional text parameter, with empty treated as absent.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The Kreis indexes (into `raw.kreise`) a `kreis` / `regierungsbezirk` filter pair selects;
/// `None` for all. A key that is well-formed but unknown is a 404.
pub(crate) fn kreis_filter(
    raw: &RawData,
    kreis: &AllOr<KreisKey>,
    regierungsbezirk: &AllOr<RbKey>,
) -> Result<Option<Vec<bool>>, ApiError> {
    let k = kreis.one().map(|k| kreis_index(raw, k)).transpose()?;
    let rb = regierungsbezirk.one();
    if let Some(key) = rb {
        let known = raw
            .units
            .iter()
            .any(|u| u.level == UnitLevel::Regierungsbezirk && u.key == key.as_str());
        if !known {
            return Err(ApiError::NotFound(format!(
                "no Regierungsbezirk with key {key}"
            )));
        }
    }
    if k.is_none() && rb.is_none() {
        return Ok(None);
    }
    Ok(Some(
        raw.kreise
            .iter()
            .enumerate()
            .map(|(i, &u)| {
                k.is_none_or(|k| k == i)
                    && rb.is_none_or(|rb| raw.units[u].parent.as_deref() == Some(rb.as_str()))
            })
            .collect(),
    ))
}

/// The index into `raw.kreise` of a Kreis key, or a 404.
pub(crate) fn kreis_index(raw: &RawData, key: &KreisKey) -> Result<usize, ApiError> {
    raw.kreise
        .iter()
        .position(|&u| raw.units[u].key == key.as_str())
        .ok_or_else(|| ApiError::NotFound(format!("no Kreis with key {key}")))
}

/// What a download is, for its file name and the "Info" sheet of a workbook.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    /// File name without extension, also the sheet name (e.g. `abdeckung-kreise`).
    pub(crate) name: String,
    pub(crate) as_of: chrono::NaiveDate,
    pub(crate) demo: bool,
    /// The endpoint, for the "Info" sheet.
    pub(crate) source: &'static str,
    /// Whose data it is, where it is not the atlas' own (the "Info" sheet's "Datenquelle").
    pub(crate) attribution: Option<&'static str>,
    /// The registry edition's source (Destatis), for the "Info" sheet.
    pub(crate) registry: Option<String>,
    /// Whose words the German headers take (Landratsamt or Kreisverwaltung).
    pub(crate) territory: crate::registry::Territory,
}

impl Download {
    pub(crate) fn of(
        name: impl Into<String>,
        snap: &Snapshot,
        as_of: chrono::NaiveDate,
        source: &'static str,
    ) -> Download {
        Download {
            name: name.into(),
            as_of,
            demo: snap.raw.demo,
            source,
            attribution: None,
            registry: snap.raw.registry.edition.as_ref().map(|e| e.source.clone()),
            territory: snap.raw.registry.territory(),
        }
    }

    /// The same, naming the source of the data.
    pub(crate) fn attributed(mut self, attribution: &'static str) -> Download {
        self.attribution = Some(attribution);
        self
    }
}

/// Answers JSON, CSV (`format=csv`), or for Excel XLSX (`format=xlsx`) or German CSV
/// (`format=csv-de`).
pub(crate) fn table<T: Serialize>(
    rows: Vec<T>,
    columns: &[Column],
    format: TableFormat,
    download: &Download,
) -> Result<Response, ApiError> {
    if format == TableFormat::Json {
        return Ok(Json(rows).into_response());
    }
    // Row by row: the typed row is dropped as its values are taken (a tree of every row, then
    // a copy of its values, held the table twice: 36 MB for the demo's Onlinedienste).
    let values = rows
        .into_iter()
        .map(|row| match serde_json::to_value(row)? {
            serde_json::Value::Object(map) => declared_values(map, columns),
            other => Err(ApiError::Internal(format!(
                "a table row is not an object: {other}"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let columns: Vec<DynColumn> = columns.iter().map(DynColumn::from).collect();
    dynamic_table(&columns, values, format, download)
}

/// `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by Excel or
/// LibreOffice, so it gets a leading `'`, which both show as text. Numbers (`-5`, `+1.5e3`)
/// stay as they are.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub(crate) fn csv_response(w: csv::Writer<Vec<u8>>) -> Result<Response, ApiError> {
    let bytes = w.into_inner()?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}

/// A row's values in the order of the declared columns; a row with another set of columns is a
/// bug (a field without its declaration), not something to guess a header for.
fn declared_values(
    mut map: serde_json::Map<String, serde_json::Value>,
    columns: &[Column],
) -> Result<Vec<serde_json::Value>, ApiError> {
    if map.len() != columns.len() || !columns.iter().all(|c| map.contains_key(c.name)) {
        let names: Vec<&String> = map.keys().collect();
        return Err(ApiError::Internal(format!(
            "a table row has the fields {names:?}, its declaration {:?}",
            columns.iter().map(|c| c.name).collect::<Vec<_>>()
        )));
    }
    Ok(columns
        .iter()
        .map(|c| map.remove(c.name).unwrap_or_default())
        .collect())
}

/// A column of a table whose columns are known only at run time (time series, the process
/// matrix): its name in JSON and CSV, its German header and kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DynColumn {
    pub name: String,
    pub header: String,
    pub kind: ColumnKind,
}

impl From<&Column> for DynColumn {
    fn from(c: &Column) -> Self {
        DynColumn {
            name: c.name.to_string(),
            header: c.header.to_string(),
            kind: c.kind,
        }
    }
}

/// A table whose columns are known only at run time (time series, the process matrix): JSON
/// objects with the columns in order, CSV with them as the header, or a spreadsheet.
pub(crate) fn dynamic_table(
    columns: &[DynColumn],
    rows: Vec<Vec<serde_json::Value>>,
    format: TableFormat,
    download: &Download,
) -> Result<Response, ApiError> {
    let mut w = RowWriter::new(columns, format)?;
    for row in rows {
        w.push(columns, row)?;
    }
    w.finish(columns, format, download)
}

/// A table of run-time columns written row by row as its rows are made: JSON and CSV go
/// straight into their bytes (a long time series need not be held as values: Germany's 1,203
/// Verbände make 116,000 rows), a spreadsheet collects them (its writers take every row).
pub(crate) enum RowWriter {
    Json { out: Vec<u8>, rows: usize },
    Csv(Box<csv::Writer<Vec<u8>>>),
    Collect(Vec<Vec<serde_json::Value>>),
}

impl RowWriter {
    pub(crate) fn new(columns: &[DynColumn], format: TableFormat) -> Result<RowWriter, ApiError> {
        Ok(match format {
            TableFormat::Json => RowWriter::Json {
                out: b"[".to_vec(),
                rows: 0,
            },
            TableFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(columns.iter().map(|c| &c.name))?;
                RowWriter::Csv(Box::new(w))
            }
            TableFormat::Xlsx | TableFormat::CsvDe => RowWriter::Collect(Vec::new()),
        })
    }

    /// One row, its values in the order of `columns`.
    pub(crate) fn push(
        &mut self,
        columns: &[DynColumn],
        row: Vec<serde_json::Value>,
    ) -> Result<(), ApiError> {
        match self {
            RowWriter::Json { out, rows } => {
                if *rows > 0 {
                    out.push(b',');
                }
                *rows += 1;
                serde_json::to_writer(out, &Object(columns, &row))
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
            }
            RowWriter::Csv(w) => {
                w.write_record(row.iter().map(|v| match v {
                    serde_json::Value::String(s) => spreadsheet_safe(s).into_owned(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                }))?;
            }
            RowWriter::Collect(rows) => rows.push(row),
        }
        Ok(())
    }

    /// The answer: JSON, CSV, or the spreadsheet as a file download.
    pub(crate) fn finish(
        self,
        columns: &[DynColumn],
        format: TableFormat,
        download: &Download,
    ) -> Result<Response, ApiError> {
        match self {
            RowWriter::Json { mut out, .. } => {
                out.push(b']');
                Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
            }
            RowWriter::Csv(w) => csv_response(*w),
            RowWriter::Collect(rows) => spreadsheet(columns, rows, format, download),
        }
    }
}

/// One row as a JSON object keyed by its columns' names.
struct Object<'a>(&'a [DynColumn], &'a [serde_json::Value]);

impl Serialize for Object<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.1.len()))?;
        for (c, v) in self.0.iter().zip(self.1) {
            map.serialize_entry(&c.name, v)?;
        }
        map.end()
    }
}

/// The XLSX or German CSV of a table, as a file download.
fn spreadsheet(
    columns: &[DynColumn],
    mut rows: Vec<Vec<serde_json::Value>>,
    format: TableFormat,
    download: &Download,
) -> Result<Response, ApiError> {
    let about = About {
        as_of: download.as_of.format("%d.%m.%Y").to_string(),
        demo: download.demo,
        source: download.source.to_string(),
        attribution: download.attribution.map(str::to_string),
        registry: download.registry.clone(),
    };
    let columns: Vec<SheetColumn> = columns
        .iter()
        .map(|c| SheetColumn::new(&download.territory.localize(&c.header), c.kind))
        .collect();
    let columns = &columns[..];
    let (bytes, content_type, extension) = if format == TableFormat::Xlsx {
        let sheet = Sheet {
            title: &download.name,
            columns,
            rows: &rows,
            about,
        };
        (
            export::xlsx(&sheet)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        // A text cell that a spreadsheet would run as a formula gets a leading `'`.
        for row in &mut rows {
            for v in row.iter_mut() {
                if let serde_json::Value::String(s) = v {
                    if let std::borrow::Cow::Owned(safe) = spreadsheet_safe(s) {
                        *s = safe;
                    }
                }
            }
        }
        let sheet = Sheet {
            title: &download.name,
            columns,
            rows: &rows,
            about,
        };
        (export::csv_de(&sheet)?, "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!(
        "attachment; filename=\"{}.{extension}\"",
        download.name.replace(['"', '\\', '/'], "-")
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for risky in ["+A1", "-cmd", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(risky), format!("'{risky}"));
        }
        for kept in ["-5", "+1.5", "-0.25", "Böblingen", "08111000", ""] {
            assert_eq!(spreadsheet_safe(kept), kept);
        }
    }
}
