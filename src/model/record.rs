//! Validated records as import delivers them and store writes them: a natural key and value cells.
//! Also the catalogue entry of a process and the keys validation checks against.

use std::collections::HashSet;

/// One value of a record, in the column order of its dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    Float(f64),
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        Cell::OptText(v)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Float(v)
    }
}

impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Text(v) => s.serialize_str(v),
            Cell::OptText(Some(v)) => s.serialize_str(v),
            Cell::OptText(None) => s.serialize_none(),
            Cell::Int(v) => s.serialize_i64(*v),
            Cell::Float(v) => s.serialize_f64(*v),
        }
    }
}

/// One validated record: its natural key and its value cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub line: u64,
    /// The natural key's text parts, joined: one allocation per record, and
    /// one comparison when records are sorted (parts never contain control characters).
    pub key: String,
    pub values: Vec<Cell>,
}

/// Joins the parts of a natural key; sorts like the tuple of parts, being below every printable
/// character. Private: outside this module a key is built with [`join_key`] or [`push_key_part`]
/// and read with [`Record::key_parts`].
const KEY_SEPARATOR: char = '\u{1f}';

/// A natural key from its parts.
pub fn join_key(parts: &[&str]) -> String {
    let mut key = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        push_key_part(&mut key, i, p);
    }
    key
}

/// Appends part number `index` (from 0) to a natural key being built (e.g. from stored columns),
/// reusing its buffer.
pub fn push_key_part(key: &mut String, index: usize, part: &str) {
    if index > 0 {
        key.push(KEY_SEPARATOR);
    }
    key.push_str(part);
}

/// The parts of a joined natural key, in column order.
pub fn split_key(key: &str) -> Vec<String> {
    key.split(KEY_SEPARATOR).map(str::to_string).collect()
}

impl Record {
    /// The key's parts in column order.
    pub fn key_parts(&self) -> std::str::Split<'_, char> {
        self.key.split(KEY_SEPARATOR)
    }
}

/// A process of the OZG catalogue (dataset `prozesse`).
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    pub id: String,
    pub name: String,
    pub art: super::Art,
    pub leika: Option<String>,
    /// Its maturity, where the catalogue gives one.
    pub reifegrad: Option<super::Reifegrad>,
}

impl Process {
    /// A Standardprozess named by its id, without LeiKa key or Reifegrad (tests, fixtures).
    pub fn new(id: &str) -> Process {
        Process {
            id: id.to_string(),
            name: id.to_string(),
            art: super::Art::Standard,
            leika: None,
            reifegrad: None,
        }
    }
}

/// What validation needs to know about the database.
#[derive(Debug, Clone, Default)]
pub struct KnownKeys {
    /// Administration ids (AGS or Landratsamt Kreis key).
    pub administrations: HashSet<String>,
    /// Kreis keys of Stadtkreise, whose administration is the Gemeinde, not a Landratsamt.
    pub stadtkreise: HashSet<String>,
    pub processes: HashSet<String>,
    pub leika_keys: HashSet<String>,
    /// Every region's ARS as the registry keeps it (Land 2 digits, Regierungsbezirk 3, Kreis 5,
    /// Gemeindeverband 9, Gemeinde 12).
    pub ars: HashSet<String>,
    /// The Datenstand of Onlinedienste rows that do not name one (the import's `--stichtag`);
    /// `None`: the day of the import.
    pub stichtag: Option<chrono::NaiveDate>,
}

/// Receives stored records one at a time: the store reads a table and calls this for every row,
/// the coverage engine indexes them. Strings are borrowed from the store's buffer.
pub trait RecordSink {
    /// How many activations will follow (a hint to reserve room once).
    fn expect_activations(&mut self, _count: usize) {}

    fn qualification(
        &mut self,
        participant: &str,
        administration: &str,
        programme: super::Programme,
        completed_on: chrono::NaiveDate,
        voucher_cents: i64,
    );
    fn activation(
        &mut self,
        administration: &str,
        process: &str,
        from: chrono::NaiveDate,
        until: Option<chrono::NaiveDate>,
    );
    /// `scope` is the administration, or empty for a Land-wide count.
    fn account(&mut self, date: chrono::NaiveDate, account_type: &str, scope: &str, count: i64);
    /// One stored Onlinedienst (dataset `onlinedienste`).
    fn onlinedienst(&mut self, _row: OnlinedienstRef<'_>) {}
}

/// A stored Onlinedienst as the store hands it to a [`RecordSink`], borrowing its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnlinedienstRef<'r> {
    pub snapshot: chrono::NaiveDate,
    pub ars: &'r str,
    pub leika: &'r str,
    pub url: &'r str,
    pub leika_name: &'r str,
    pub online_ok: bool,
    pub flaechendeckung: super::Flaechendeckung,
}

/// The latest import of one dataset, as the import log says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastImport {
    pub dataset: String,
    /// The import log id: a table whose id is unchanged need not be read again.
    pub log_id: i64,
    /// Unix seconds.
    pub at: i64,
}

/// Validated records in strictly increasing key order, as an import hands them to the store.
pub trait RecordStream: Send {
    /// The next record, `None` at the end; `Err` when the stream found a problem (a repeated
    /// key, an unreadable temporary file), and the store then writes nothing.
    fn next_record(&mut self) -> Result<Option<Record>, StreamStopped>;
}

/// A [`RecordStream`] ended early; the stream itself says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamStopped;

/// A sorted slice as a stream (small imports, tests).
#[derive(Debug)]
pub struct SliceStream<'a>(pub std::slice::Iter<'a, Record>);

impl RecordStream for SliceStream<'_> {
    fn next_record(&mut self) -> Result<Option<Record>, StreamStopped> {
        Ok(self.0.next().cloned())
    }
}
