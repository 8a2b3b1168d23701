//! Reading one row's cells: where each known column is, a field parsed with its problem
//! recorded against line, column and value, a value named by one of its aliases. Shared by the
//! datasets' validation (`dataset.rs`, `onlinedienste.rs`).

use csv::StringRecord;
use serde::Serialize;

use super::fields;

/// One problem in a file, pointing at the place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Where each known column is in a file's rows.
#[derive(Debug)]
pub struct Columns {
    /// (column, position in the file) of every known column present: a handful, so a scan
    /// beats hashing the name for every field of millions of rows.
    pub(super) index: Vec<(&'static str, usize)>,
}

impl Columns {
    pub(super) fn get<'a>(&self, cells: &'a StringRecord, name: &str) -> &'a str {
        self.index
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|&(_, i)| cells.get(i))
            .unwrap_or("")
    }
}

pub(super) fn issue(line: u64, column: &str, value: &str, reason: impl Into<String>) -> Issue {
    Issue {
        line,
        column: column.to_string(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// A field parsed by `parse`; its problem is recorded against line, column and value.
pub(super) fn field<T>(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    name: &str,
    issues: &mut Vec<Issue>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    let value = cols.get(cells, name);
    match parse(value) {
        Ok(v) => Some(v),
        Err(reason) => {
            issues.push(issue(line, name, value, reason));
            None
        }
    }
}

/// The value one of `options`' aliases names (compared as header text: case, blanks, dashes
/// and umlauts do not matter); `name` gives the canonical names for the error.
pub(super) fn one_of<T: Copy>(
    value: &str,
    options: &[(&str, T)],
    what: &str,
    name: impl Fn(T) -> &'static str,
) -> Result<T, String> {
    let v = fields::header(value);
    options
        .iter()
        .find(|(alias, _)| *alias == v)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let mut names: Vec<&str> = options.iter().map(|(_, c)| name(*c)).collect();
            names.dedup();
            format!("unknown {what}; use {}", names.join(" or "))
        })
}
