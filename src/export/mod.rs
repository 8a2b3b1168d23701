//! Tables for people's spreadsheets: a real `.xlsx` (keys as text, numbers as numbers, German
//! headers, frozen header row, column widths, a second sheet with the data date and source) and a
//! German CSV (`;`, UTF-8 BOM, decimal comma, German headers, keys kept as text). The machine CSV
//! and JSON of the API stay as they are; this is what a double click in German Excel needs.
//!
//! A view like `charts`: it formats rows it is given and computes no figure.

mod csv_de;
mod xlsx;

pub(crate) use crate::model::column::ColumnKind;
pub(crate) use csv_de::csv_de;
pub(crate) use xlsx::xlsx;

use serde_json::Value;

/// A column as a spreadsheet shows it: its German header and how its values are written (both
/// declared with the column, see `model::column`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SheetColumn {
    pub header: String,
    pub kind: ColumnKind,
}

impl SheetColumn {
    pub(crate) fn new(header: &str, kind: ColumnKind) -> SheetColumn {
        SheetColumn {
            header: header.to_string(),
            kind,
        }
    }
}

/// A table to export: its columns and rows of JSON values in column order.
#[derive(Debug, Clone)]
pub(crate) struct Sheet<'a> {
    /// The sheet's name in the workbook (at most 31 characters).
    pub title: &'a str,
    pub columns: &'a [SheetColumn],
    pub rows: &'a [Vec<Value>],
    /// What the data are and where they come from, for the "Info" sheet.
    pub about: About,
}

/// The second sheet: the data date, whether it is demo data, and the source.
#[derive(Debug, Clone)]
pub(crate) struct About {
    /// Datenstand (`TT.MM.JJJJ`).
    pub as_of: String,
    pub demo: bool,
    /// The address the table was taken from.
    pub source: String,
    /// Whose data it is, where it is not the atlas' own.
    pub attribution: Option<String>,
    /// Where the regions, keys and population come from (the registry edition's source).
    pub registry: Option<String>,
}

/// Why an export failed (a bug, not the client's fault).
#[derive(Debug, thiserror::Error)]
#[error("export: {0}")]
pub struct ExportError(pub String);
