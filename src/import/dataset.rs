//! The four datasets: their canonical columns, how a row becomes a typed record, and where it is
//! stored. Validation collects every problem of a file instead of stopping at the first.

use super::cells::{field, issue, one_of};
pub use super::cells::{Columns, Issue};
use super::fields;
use super::table::{Row, Table};
use crate::model::rows::{AccountCount, Activation, DatasetRecord, ProcessRecord, Qualification};
pub use crate::model::KnownKeys as Context;
pub use crate::model::{join_key, Cell, Dataset, Record};
use crate::model::{Ags, Art, KreisKey, Programme};
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
                ("reifegrad", false),
                ("reifegrad_modell", false),
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
            // The federal dashboard's export, every documented field.
            Dataset::Onlinedienste => &[
                ("leika_key", true),
                ("leika_name", true),
                ("leika_bezeichnung", false),
                ("ars", true),
                ("ars_name", false),
                ("ars_federal_state", false),
                ("bundesland", false),
                ("ozgid", false),
                ("ozg_bezeichnung", false),
                ("url", false),
                ("online_status", true),
                ("aktiv", false),
                ("art_flaechendeckung", true),
                ("begruendung_nicht_beruecksichtigt", false),
                ("datenstand_pvog_import", false),
                ("export_datum", false),
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
            Dataset::Onlinedienste => &["datenstand_pvog_import", "ars", "leika_key", "url"],
        }
    }
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
    /// Rows left out on purpose (an Onlinedienst of a region outside the registry).
    pub skipped: u64,
}

/// Validates every row of `table` as `dataset`.
pub fn validate(dataset: Dataset, table: &Table, ctx: &Context) -> Validated {
    let (cols, mut out) = header(dataset, &table.headers);
    let Some(cols) = cols else {
        return out;
    };
    let part = validate_batch(dataset, &table.rows, &cols, ctx);
    out.records = part.records;
    out.issues.extend(part.issues);
    out.warnings.extend(part.warnings);
    out.skipped = part.skipped;
    reject_duplicates(dataset, &mut out);
    out
}

/// Checks a file's header row: where each known column is, warnings for ignored ones, issues
/// for missing or repeated ones (then no columns are returned and rows are not worth reading).
pub fn header(dataset: Dataset, headers: &[String]) -> (Option<Columns>, Validated) {
    let mut out = Validated::default();
    let mut index: Vec<(&'static str, usize)> = Vec::new();
    let known = dataset.columns();
    for (i, raw) in headers.iter().enumerate() {
        let h = fields::header(raw);
        if let Some((name, _)) = known.iter().find(|(n, _)| *n == h) {
            if index.iter().any(|(n, _)| n == name) {
                out.issues
                    .push(issue(1, raw, raw, "column appears twice in the header"));
            } else {
                index.push((*name, i));
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
        if *required && !index.iter().any(|(n, _)| n == name) {
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
        return (None, out);
    }
    (Some(Columns { index }), out)
}

/// Validates a batch of rows (records in row order, issues and warnings in file order). Rows are
/// independent: a large batch is checked on all cores, in contiguous chunks.
pub fn validate_batch(dataset: Dataset, rows: &[Row], cols: &Columns, ctx: &Context) -> Validated {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = rows.len().div_ceil(threads).max(PARALLEL_CHUNK_MIN);
    let parts: Vec<Validated> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|rows| scope.spawn(|| validate_rows(dataset, rows, cols, ctx)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out = Validated::default();
    out.records.reserve(rows.len());
    for part in parts {
        out.records.extend(part.records);
        out.issues.extend(part.issues);
        out.warnings.extend(part.warnings);
        out.skipped += part.skipped;
    }
    out
}

/// The issue for a record whose key an earlier line (`first`) already had.
pub fn duplicate(dataset: Dataset, r: &Record, first: u64) -> Issue {
    issue(
        r.line,
        &dataset.key_columns().join("+"),
        &r.key_parts().collect::<Vec<_>>().join(" / "),
        format!("duplicate key in the file (first on line {first})"),
    )
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
            Dataset::Onlinedienste => {
                match super::onlinedienste::validate(
                    row.line,
                    &row.cells,
                    cols,
                    ctx,
                    &mut out.issues,
                ) {
                    super::onlinedienste::Row::Valid(record) => Some(record),
                    super::onlinedienste::Row::Invalid => None,
                    super::onlinedienste::Row::OutsideRegistry => {
                        out.skipped += 1;
                        None
                    }
                }
            }
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
            let issue = duplicate(dataset, &out.records[i], out.records[first].line);
            out.issues.push(issue);
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
/// An administration id: AGS of a Gemeinde (leading zero optional) or the Kreis key of a Landratsamt.
fn administration(value: &str, ctx: &Context) -> Result<String, String> {
    let v = value.trim();
    let id = match v.len() {
        7 | 8 => Ags::parse_lenient(v).map(|a| a.as_str().to_string()),
        4 | 5 => KreisKey::parse_lenient(v).map(|k| k.as_str().to_string()),
        _ => {
            return Err(
                "not an administration key: use the 8-digit AGS of the Gemeinde or the 5-digit Kreis key of a Landratsamt (Kreisverwaltung)"
                    .into(),
            )
        }
    }
    .map_err(|e| e.reason.to_string())?;
    if ctx.administrations.contains(&id) {
        Ok(id)
    } else if ctx.stadtkreise.contains(&id) {
        Err(format!(
            "{id} is a Stadtkreis (kreisfreie Stadt), which has no Landratsamt; use the AGS of the city ({id}000)"
        ))
    } else {
        Err(format!("unknown AGS / Kreis key {id}"))
    }
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
                ("basis", Programme::Basis),
                ("basisqualifizierung", Programme::Basis),
                ("aufbau", Programme::Aufbau),
                ("aufbauschulung", Programme::Aufbau),
            ],
            "programme",
            Programme::as_str,
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
    let record = Qualification {
        participant: participant?,
        course: course?,
        completed_on: completed?,
        administration: admin?,
        programme: programme?,
        provider: provider?,
        seminar_days: days?,
        voucher_cents: cents?,
    };
    Some(record.into_record(line))
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
                ("standard", Art::Standard),
                ("standardprozess", Art::Standard),
                ("universal", Art::Universal),
                ("universalprozess", Art::Universal),
            ],
            "art",
            Art::as_str,
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
    let reifegrad = reifegrad(line, cells, cols, issues);
    let leika = leika?;
    if let Some(k) = &leika {
        if !ctx.leika_keys.is_empty() && !ctx.leika_keys.contains(k) {
            warnings.push(format!(
                "line {line}: LeiKa key {k} is not in the shipped LeiKa catalogue (kept as given)"
            ));
        }
    }
    let record = ProcessRecord {
        id: id?,
        name: name?,
        art: art?,
        leika,
        ozg_id: ozg?,
        themenfeld: themenfeld?,
        reifegrad: reifegrad?,
    };
    Some(record.into_record(line))
}

/// The optional `reifegrad` (a level) with its `reifegrad_modell` (1.1: 0–4, 2.0: 0–7): both or
/// neither.
fn reifegrad(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    issues: &mut Vec<Issue>,
) -> Option<Option<crate::model::Reifegrad>> {
    let modell = cols.get(cells, "reifegrad_modell").trim().to_string();
    field(line, cells, cols, "reifegrad", issues, |v| {
        match (v.trim(), modell.as_str()) {
            ("", "") => Ok(None),
            ("", _) => Err("reifegrad_modell is given without a reifegrad".to_string()),
            (_, "") => Err("a reifegrad needs its reifegrad_modell (1.1 or 2.0)".to_string()),
            (level, m) => crate::model::Reifegrad::parse(level, m).map(Some),
        }
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
    let record = Activation {
        administration: admin?,
        process: process?,
        activated_on: from,
        deactivated_on: until?,
    };
    Some(record.into_record(line))
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
            |t| t,
        )
        .map(str::to_string)
    });
    let scope = field(line, cells, cols, "verwaltung", issues, |v| {
        if v.trim().is_empty() {
            Ok(String::new())
        } else {
            administration(v, ctx)
        }
    });
    let count = field(line, cells, cols, "anzahl", issues, fields::count);
    let record = AccountCount {
        reference_date: date?,
        account_type: kind?,
        scope: scope?,
        count: count?,
    };
    Some(record.into_record(line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::{read, FileFormat};

    /// Two Gemeinden, one Landratsamt, a Stadtkreis, two processes and one LeiKa key.
    fn ctx() -> Context {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<HashSet<String>>();
        Context {
            administrations: set(&["08111000", "08115003", "08115"]),
            stadtkreise: set(&["08111"]),
            processes: set(&["S1", "U1"]),
            leika_keys: set(&["99050012104000"]),
            ars: set(&[
                "08",
                "081",
                "08111",
                "08115",
                "081110000000",
                "081150003003",
            ]),
            stichtag: None,
        }
    }

    fn check(dataset: Dataset, csv: &str) -> Validated {
        let table = read(FileFormat::Csv, csv.as_bytes(), 1000).expect("readable CSV");
        validate(dataset, &table, &ctx())
    }

    /// (line, column, reason contains)
    fn has(v: &Validated, line: u64, column: &str, reason: &str) -> bool {
        v.issues
            .iter()
            .any(|i| i.line == line && i.column == column && i.reason.contains(reason))
    }

    use std::collections::HashSet;

    #[test]
    fn qualifications_become_records_with_natural_keys_and_canonical_values() {
        let v = check(
            Dataset::Qualifikationen,
            "teilnehmer_id;verwaltung;programm;kurs;anbieter;abschluss;seminartage;foerderung_eur\n\
             P-1;8115003;Basisqualifizierung;K1;Akademie;24.07.2019;3;300,00\n\
             P-2;08115;aufbau;K2;Akademie;2021-06-30;1;50\n",
        );
        assert!(v.issues.is_empty(), "{:?}", v.issues);
        assert_eq!(v.records.len(), 2);
        let r = &v.records[0];
        assert_eq!(
            r.key_parts().collect::<Vec<_>>(),
            ["P-1", "K1", "2019-07-24"]
        );
        assert_eq!(
            r.values,
            vec![
                Cell::Text("08115003".into()),
                Cell::Text("basis".into()),
                Cell::Text("Akademie".into()),
                Cell::Int(3),
                Cell::Int(30_000),
            ]
        );
        assert_eq!(v.records[1].values[0], Cell::Text("08115".into()));
        assert_eq!(v.records[1].values[1], Cell::Text("aufbau".into()));
    }

    #[test]
    fn every_problem_of_a_file_is_reported_with_line_column_and_value() {
        let v = check(
            Dataset::Qualifikationen,
            "teilnehmer_id,verwaltung,programm,kurs,anbieter,abschluss,seminartage,foerderung_eur\n\
             P-1,09999999,basis,K1,A,2019-07-24,3,300\n\
             P-2,08111,basis,K1,A,2019-07-24,3,300\n\
             P-3,08115003,meister,K1,A,31.02.2019,drei,3.00.0\n",
        );
        assert!(has(&v, 2, "verwaltung", "unknown AGS"), "{:?}", v.issues);
        assert!(has(&v, 3, "verwaltung", "Stadtkreis"), "{:?}", v.issues);
        assert!(
            has(&v, 4, "programm", "unknown programme"),
            "{:?}",
            v.issues
        );
        assert!(v
            .issues
            .iter()
            .any(|i| i.line == 4 && i.column == "abschluss"));
        assert!(v
            .issues
            .iter()
            .any(|i| i.line == 4 && i.column == "seminartage"));
        assert!(v
            .issues
            .iter()
            .any(|i| i.line == 4 && i.column == "foerderung_eur"));
        let bad = v.issues.iter().find(|i| i.column == "programm").unwrap();
        assert_eq!(bad.value, "meister");
        assert!(v.records.is_empty());
    }

    #[test]
    fn a_missing_required_column_stops_before_the_rows() {
        let v = check(
            Dataset::Aktivierungen,
            "verwaltung,prozess_id\n08111000,S1\n",
        );
        assert_eq!(v.issues.len(), 1, "{:?}", v.issues);
        assert!(has(&v, 1, "aktiviert_am", "required column missing"));
        assert!(v.issues[0]
            .reason
            .contains("verwaltung, prozess_id, aktiviert_am"));
    }

    #[test]
    fn personal_and_unknown_columns_are_ignored_with_a_warning() {
        let v = check(
            Dataset::Aktivierungen,
            "verwaltung,prozess_id,aktiviert_am,Vorname,E-Mail,bemerkung\n08111000,S1,2020-01-01,Erika,e@x.de,x\n",
        );
        assert!(v.issues.is_empty(), "{:?}", v.issues);
        assert_eq!(v.warnings.len(), 3, "{:?}", v.warnings);
        assert!(v.warnings[0].contains("personal data"));
        assert!(v.warnings[2].contains("unknown column"));
        // Nothing of the personal columns reaches the record.
        let r = &v.records[0];
        assert_eq!(r.values, vec![Cell::OptText(None)]);
        assert!(!r.key.contains("Erika"));
    }

    #[test]
    fn duplicate_keys_point_back_at_the_first_line_and_records_come_sorted() {
        let v = check(
            Dataset::Aktivierungen,
            "verwaltung,prozess_id,aktiviert_am\n\
             08115003,S1,2020-01-01\n\
             08111000,U1,2020-01-01\n\
             08115003,S1,01.01.2020\n",
        );
        assert_eq!(v.issues.len(), 1, "{:?}", v.issues);
        let i = &v.issues[0];
        assert_eq!(
            (i.line, i.column.as_str()),
            (4, "verwaltung+prozess_id+aktiviert_am")
        );
        assert!(i.reason.contains("first on line 2"), "{}", i.reason);
        let keys: Vec<&str> = v.records.iter().map(|r| r.key.as_str()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn activations_check_process_and_dates() {
        let v = check(
            Dataset::Aktivierungen,
            "verwaltung,prozess_id,aktiviert_am,deaktiviert_am\n\
             08111000,XX,2020-01-01,\n\
             08111000,S1,2020-06-01,2020-01-01\n\
             08111000,S1,2021-01-01,2021-02-01\n",
        );
        assert!(
            has(&v, 2, "prozess_id", "unknown prozess_id"),
            "{:?}",
            v.issues
        );
        assert!(
            has(&v, 3, "deaktiviert_am", "before aktiviert_am"),
            "{:?}",
            v.issues
        );
        assert!(!v.issues.iter().any(|i| i.line == 4));
    }

    #[test]
    fn processes_check_art_leika_and_ozg_id() {
        let v = check(
            Dataset::Prozesse,
            "prozess_id,name,art,leika_schluessel,ozg_id\n\
             S9,Wohngeld,Standardprozess,99050012104000,123\n\
             S8,Hund,sonder,123,abc\n\
             S7,Neu,universal,99000000000000,\n",
        );
        assert!(has(&v, 3, "art", "unknown art"), "{:?}", v.issues);
        assert!(
            has(&v, 3, "leika_schluessel", "14 digits"),
            "{:?}",
            v.issues
        );
        assert!(has(&v, 3, "ozg_id", "up to 6 digits"), "{:?}", v.issues);
        // A key outside the shipped catalogue is kept, with a warning.
        assert!(v
            .warnings
            .iter()
            .any(|w| w.contains("line 4") && w.contains("LeiKa")));
        let s9 = v.records.iter().find(|r| r.key == "S9").unwrap();
        assert_eq!(s9.values[1], Cell::Text("standard".into()));
    }

    #[test]
    fn accounts_allow_a_land_wide_count_and_aliases() {
        let v = check(
            Dataset::Konten,
            "stichtag,kontotyp,verwaltung,anzahl\n\
             2025-06-30,Bürgerkonto,,1234\n\
             2025-06-30,unternehmen,08111000,7\n\
             2025-06-30,gast,,1\n",
        );
        assert!(has(&v, 4, "kontotyp", "unknown kontotyp"), "{:?}", v.issues);
        let land = v
            .records
            .iter()
            .find(|r| r.key_parts().nth(2) == Some(""))
            .unwrap();
        assert_eq!(land.key_parts().nth(1), Some("buerger"));
        assert_eq!(land.values, vec![Cell::Int(1234)]);
        assert!(v.records.iter().any(
            |r| r.key_parts().collect::<Vec<_>>() == ["2025-06-30", "organisation", "08111000"]
        ));
    }

    #[test]
    fn dataset_file_columns_name_their_keys() {
        for d in Dataset::ALL {
            let names: Vec<&str> = d.columns().iter().map(|(n, _)| *n).collect();
            for k in d.key_columns() {
                assert!(names.contains(k), "{d}: key column {k} is not a column");
                assert!(
                    d.columns().iter().any(|(n, req)| n == k
                        && (*req || matches!(d, Dataset::Konten | Dataset::Onlinedienste))),
                    "{d}: key column {k} should be required"
                );
            }
        }
    }
}
