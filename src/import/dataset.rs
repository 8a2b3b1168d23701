//! The four datasets: their canonical columns, how a row becomes a typed record, and where it is
//! stored. Validation collects every problem of a file instead of stopping at the first.

use std::collections::HashMap;

use serde::Serialize;

use super::fields;
use super::table::{Row, Table};
pub use crate::model::KnownKeys as Context;
pub use crate::model::{join_key, Cell, Dataset, Record, KEY_SEPARATOR};
use crate::model::{Ags, KreisKey};
use csv::StringRecord;

/// The file format of each dataset.
impl Dataset {
    /// Canonical header of the file: (column, required).
    pub fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Dataset::Qualifikationen => &[
                ("teilnehmer_id", true),
                ("verwaltung", true),
                ("programm", true),
                ("kurs", true),
                ("anbieter", true),
                ("abschluss", true),
                ("seminartage", true),
                ("foerderung_eur", true),
            ],
            Dataset::Prozesse => &[
                ("prozess_id", true),
                ("name", true),
                ("art", true),
                ("leika_schluessel", false),
                ("ozg_id", false),
                ("themenfeld", false),
            ],
            Dataset::Aktivierungen => &[
                ("verwaltung", true),
                ("prozess_id", true),
                ("aktiviert_am", true),
                ("deaktiviert_am", false),
            ],
            Dataset::Konten => &[
                ("stichtag", true),
                ("kontotyp", true),
                ("verwaltung", false),
                ("anzahl", true),
            ],
        }
    }

    /// The file columns that form the natural key (in the order of `Record::key`).
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Dataset::Qualifikationen => &["teilnehmer_id", "kurs", "abschluss"],
            Dataset::Prozesse => &["prozess_id"],
            Dataset::Aktivierungen => &["verwaltung", "prozess_id", "aktiviert_am"],
            Dataset::Konten => &["stichtag", "kontotyp", "verwaltung"],
        }
    }
}

/// One problem in a file, pointing at the place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Column names that carry personal data; they are never read, and the import warns about them.
const PERSONAL_COLUMNS: &[&str] = &[
    "vorname",
    "nachname",
    "familienname",
    "teilnehmer_name",
    "teilnehmername",
    "email",
    "e_mail",
    "mail",
    "telefon",
    "geburtsdatum",
    "anrede",
];

/// The outcome of validating a table.
#[derive(Debug, Default)]
pub struct Validated {
    pub records: Vec<Record>,
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
}

struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    fn get<'a>(&self, cells: &'a StringRecord, name: &str) -> &'a str {
        self.index
            .get(name)
            .and_then(|&i| cells.get(i))
            .unwrap_or("")
    }
}

fn issue(line: u64, column: &str, value: &str, reason: impl Into<String>) -> Issue {
    Issue {
        line,
        column: column.to_string(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// Validates every row of `table` as `dataset`.
pub fn validate(dataset: Dataset, table: &Table, ctx: &Context) -> Validated {
    let mut out = Validated::default();
    let mut index = HashMap::new();
    let known = dataset.columns();
    for (i, raw) in table.headers.iter().enumerate() {
        let h = fields::header(raw);
        if let Some((name, _)) = known.iter().find(|(n, _)| *n == h) {
            if index.insert(*name, i).is_some() {
                out.issues
                    .push(issue(1, raw, raw, "column appears twice in the header"));
            }
        } else if h == "name" || PERSONAL_COLUMNS.contains(&h.as_str()) {
            // `name` is a known column of `prozesse`; anywhere else it is a person's name.

            out.warnings.push(format!(
                "column {raw:?} looks like personal data: it is ignored and never stored"
            ));
        } else if !h.is_empty() {
            out.warnings.push(format!("unknown column {raw:?} ignored"));
        }
    }
    for (name, required) in known {
        if *required && !index.contains_key(name) {
            out.issues.push(issue(
                1,
                name,
                "",
                format!(
                    "required column missing; the header must contain {}",
                    known
                        .iter()
                        .filter(|(_, r)| *r)
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    if !out.issues.is_empty() {
        return out;
    }
    let cols = Columns { index };
    // Rows are independent: large files are checked on all cores, in contiguous chunks so that
    // issues and warnings keep file order.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = table.rows.len().div_ceil(threads).max(PARALLEL_CHUNK_MIN);
    let parts: Vec<Validated> = std::thread::scope(|scope| {
        let handles: Vec<_> = table
            .rows
            .chunks(chunk)
            .map(|rows| scope.spawn(|| validate_rows(dataset, rows, &cols, ctx)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    out.records.reserve(table.rows.len());
    for part in parts {
        out.records.extend(part.records);
        out.issues.extend(part.issues);
        out.warnings.extend(part.warnings);
    }
    reject_duplicates(dataset, &mut out);
    out
}

/// Below this many rows a file is checked on one thread.
const PARALLEL_CHUNK_MIN: usize = 20_000;

fn validate_rows(dataset: Dataset, rows: &[Row], cols: &Columns, ctx: &Context) -> Validated {
    let mut out = Validated::default();
    out.records.reserve(rows.len());
    for row in rows {
        let before = out.issues.len();
        let record = match dataset {
            Dataset::Qualifikationen => {
                qualification(row.line, &row.cells, cols, ctx, &mut out.issues)
            }
            Dataset::Prozesse => process(
                row.line,
                &row.cells,
                cols,
                ctx,
                &mut out.issues,
                &mut out.warnings,
            ),
            Dataset::Aktivierungen => activation(row.line, &row.cells, cols, ctx, &mut out.issues),
            Dataset::Konten => accounts(row.line, &row.cells, cols, ctx, &mut out.issues),
        };
        if out.issues.len() > before {
            continue;
        }
        if let Some(record) = record {
            out.records.push(record);
        }
    }
    out
}

/// Sorts the records by natural key (the order they are written in, which keeps the database's
/// index appends sequential) and reports every repeated key, pointing back at its first line.
fn reject_duplicates(dataset: Dataset, out: &mut Validated) {
    out.records
        .sort_unstable_by(|a, b| a.key.cmp(&b.key).then(a.line.cmp(&b.line)));
    let before = out.issues.len();
    let mut first = 0;
    for i in 1..out.records.len() {
        if out.records[i].key == out.records[first].key {
            let r = &out.records[i];
            out.issues.push(issue(
                r.line,
                &dataset.key_columns().join("+"),
                &r.key_parts().collect::<Vec<_>>().join(" / "),
                format!(
                    "duplicate key in the file (first on line {})",
                    out.records[first].line
                ),
            ));
        } else {
            first = i;
        }
    }
    // A file with issues is refused as a whole, so the repeated records need not be dropped.
    if out.issues.len() > before {
        out.issues.sort_by_key(|i| i.line);
    }
}

/// Runs `parse` on the named column and records an issue on failure.
fn field<T>(
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

/// An administration id: AGS of a Gemeinde (leading zero optional) or the Kreis key of a Landratsamt.
fn administration(value: &str, ctx: &Context) -> Result<String, String> {
    let v = value.trim();
    let id = match v.len() {
        7 | 8 => Ags::parse_lenient(v).map(|a| a.as_str().to_string()),
        4 | 5 => KreisKey::parse_lenient(v).map(|k| k.as_str().to_string()),
        _ => {
            return Err(
                "not an administration key: use the 8-digit AGS of the Gemeinde or the 5-digit Kreis key of a Landratsamt"
                    .into(),
            )
        }
    }
    .map_err(|e| e.reason.to_string())?;
    if ctx.administrations.contains(&id) {
        Ok(id)
    } else if ctx.stadtkreise.contains(&id) {
        Err(format!(
            "{id} is a Stadtkreis, which has no Landratsamt; use the AGS of the city ({id}000)"
        ))
    } else {
        Err(format!("unknown AGS / Kreis key {id}"))
    }
}

fn one_of(value: &str, options: &[(&str, &'static str)], what: &str) -> Result<String, String> {
    let v = fields::header(value);
    options
        .iter()
        .find(|(alias, _)| *alias == v)
        .map(|(_, canonical)| canonical.to_string())
        .ok_or_else(|| {
            let mut names: Vec<&str> = options.iter().map(|(_, c)| *c).collect();
            names.dedup();
            format!("unknown {what}; use {}", names.join(" or "))
        })
}

fn qualification(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    ctx: &Context,
    issues: &mut Vec<Issue>,
) -> Option<Record> {
    let participant = field(
        line,
        cells,
        cols,
        "teilnehmer_id",
        issues,
        fields::identifier,
    );
    let admin = field(line, cells, cols, "verwaltung", issues, |v| {
        administration(v, ctx)
    });
    let programme = field(line, cells, cols, "programm", issues, |v| {
        one_of(
            v,
            &[
                ("basis", "basis"),
                ("basisqualifizierung", "basis"),
                ("aufbau", "aufbau"),
                ("aufbauschulung", "aufbau"),
            ],
            "programme",
        )
    });
    let course = field(line, cells, cols, "kurs", issues, fields::text);
    let provider = field(line, cells, cols, "anbieter", issues, fields::text);
    let completed = field(line, cells, cols, "abschluss", issues, fields::date);
    let days = field(line, cells, cols, "seminartage", issues, fields::count);
    let cents = field(
        line,
        cells,
        cols,
        "foerderung_eur",
        issues,
        fields::euro_cents,
    );
    Some(Record {
        line,
        key: join_key(&[&participant?, &course?, &completed?]),
        values: vec![
            admin?.into(),
            programme?.into(),
            provider?.into(),
            days?.into(),
            cents?.into(),
        ],
    })
}

fn process(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    ctx: &Context,
    issues: &mut Vec<Issue>,
    warnings: &mut Vec<String>,
) -> Option<Record> {
    let id = field(line, cells, cols, "prozess_id", issues, fields::identifier);
    let name = field(line, cells, cols, "name", issues, fields::text);
    let art = field(line, cells, cols, "art", issues, |v| {
        one_of(
            v,
            &[
                ("standard", "standard"),
                ("standardprozess", "standard"),
                ("universal", "universal"),
                ("universalprozess", "universal"),
            ],
            "art",
        )
    });
    let leika = field(line, cells, cols, "leika_schluessel", issues, |v| {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        if v.len() != 14 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err("a LeiKa key has 14 digits".to_string());
        }
        Ok(Some(v.to_string()))
    });
    let ozg = field(line, cells, cols, "ozg_id", issues, |v| {
        let v = v.trim();
        if v.is_empty() {
            Ok(None)
        } else if v.bytes().all(|b| b.is_ascii_digit()) && v.len() <= 6 {
            Ok(Some(v.to_string()))
        } else {
            Err("an OZG-ID is a number of up to 6 digits".to_string())
        }
    });
    let themenfeld = field(
        line,
        cells,
        cols,
        "themenfeld",
        issues,
        fields::optional_text,
    );
    let leika = leika?;
    if let Some(k) = &leika {
        if !ctx.leika_keys.is_empty() && !ctx.leika_keys.contains(k) {
            warnings.push(format!(
                "line {line}: LeiKa key {k} is not in the shipped LeiKa catalogue (kept as given)"
            ));
        }
    }
    Some(Record {
        line,
        key: id?,
        values: vec![
            name?.into(),
            art?.into(),
            leika.into(),
            ozg?.into(),
            themenfeld?.into(),
        ],
    })
}

fn activation(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    ctx: &Context,
    issues: &mut Vec<Issue>,
) -> Option<Record> {
    let admin = field(line, cells, cols, "verwaltung", issues, |v| {
        administration(v, ctx)
    });
    let process = field(line, cells, cols, "prozess_id", issues, |v| {
        let id = fields::identifier(v)?;
        if ctx.processes.contains(&id) {
            Ok(id)
        } else {
            Err("unknown prozess_id; import the process in dataset prozesse first".into())
        }
    });
    let from = field(line, cells, cols, "aktiviert_am", issues, fields::date)?;
    let until = field(line, cells, cols, "deaktiviert_am", issues, |v| {
        if v.trim().is_empty() {
            return Ok(None);
        }
        let d = fields::date(v)?;
        if d < from {
            return Err(format!("before aktiviert_am ({from})"));
        }
        Ok(Some(d))
    });
    Some(Record {
        line,
        key: join_key(&[&admin?, &process?, &from]),
        values: vec![until?.into()],
    })
}

fn accounts(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    ctx: &Context,
    issues: &mut Vec<Issue>,
) -> Option<Record> {
    let date = field(line, cells, cols, "stichtag", issues, fields::date);
    let kind = field(line, cells, cols, "kontotyp", issues, |v| {
        one_of(
            v,
            &[
                ("buerger", "buerger"),
                ("burger", "buerger"),
                ("buergerkonto", "buerger"),
                ("organisation", "organisation"),
                ("organisationskonto", "organisation"),
                ("unternehmen", "organisation"),
            ],
            "kontotyp",
        )
    });
    let scope = field(line, cells, cols, "verwaltung", issues, |v| {
        if v.trim().is_empty() {
            Ok(String::new())
        } else {
            administration(v, ctx)
        }
    });
    let count = field(line, cells, cols, "anzahl", issues, fields::count);
    Some(Record {
        line,
        key: join_key(&[&date?, &kind?, &scope?]),
        values: vec![count?.into()],
    })
}
