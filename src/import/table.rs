//! Readers: the bytes of a delivered file (CSV from Excel on Windows, JSON, XLSX) become one
//! `Table` of trimmed strings with the line each row came from, whatever the encoding, delimiter
//! or line ends were.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use csv::StringRecord;

/// The file formats an import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
}

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl Format {
    /// Picks the format from a Content-Type or file name when given, else from the content itself.
    pub fn detect(hint: Option<&str>, bytes: &[u8]) -> Format {
        if let Some(h) = hint.map(|h| h.to_ascii_lowercase()) {
            if h.contains("spreadsheetml") || h.ends_with(".xlsx") {
                return Format::Xlsx;
            }
            if h.contains("json") || h.ends_with(".json") {
                return Format::Json;
            }
            if h.contains("csv") || h.ends_with(".csv") || h.starts_with("text/") {
                return Format::Csv;
            }
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Format::Xlsx;
        }
        let text = strip_bom(bytes);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// A file's records as text: a header row and data rows, each with its line (CSV), row (XLSX) or
/// element number (JSON), so that every message can point at the place in the file.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Which encoding a CSV was read as (`UTF-8` or `windows-1252`).
    pub encoding: &'static str,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// The row's cells in one buffer (one allocation per row, not one per cell).
    pub cells: StringRecord,
}

/// A file that cannot be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ReadError {
    pub line: u64,
    pub reason: String,
}

fn read_error(line: u64, reason: impl Into<String>) -> ReadError {
    ReadError {
        line,
        reason: reason.into(),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Reads `bytes` as `format`, stopping with an error once more than `max_rows` data rows are seen.
pub fn read(format: Format, bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    match format {
        Format::Csv => read_csv(bytes, max_rows),
        Format::Json => read_json(bytes, max_rows),
        Format::Xlsx => read_xlsx(bytes, max_rows),
    }
}

/// UTF-8 when the bytes are valid UTF-8 (after an optional BOM), else Windows-1252, which is what
/// Excel on a German Windows machine writes as "CSV (Trennzeichen-getrennt)".
fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static str) {
    let bytes = strip_bom(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, "windows-1252")
        }
    }
}

/// `;` (German Excel) or `,`: whichever occurs more often in the header line outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut semis, mut commas, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semis += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if semis >= commas && semis > 0 {
        b';'
    } else {
        b','
    }
}

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    let (text, encoding) = decode(bytes);
    // The csv crate reports the start line of a record after a CRLF one line early; with plain
    // LF the line numbers in reports are exact.
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        text
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&text))
        .flexible(true)
        .trim(csv::Trim::All)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(Ok(h)) => h.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(read_error(1, format!("unreadable header row: {e}"))),
        None => return Err(read_error(1, "the file is empty (no header row)")),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            read_error(line, format!("unreadable CSV: {e}"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue; // trailing empty lines, or ";;;" rows Excel leaves behind
        }
        if rows.len() >= max_rows {
            return Err(too_many(max_rows, line));
        }
        rows.push(Row {
            line,
            cells: record,
        });
    }
    Ok(Table {
        headers,
        rows,
        encoding,
    })
}

fn too_many(max_rows: usize, line: u64) -> ReadError {
    read_error(
        line,
        format!(
            "more than {max_rows} rows (the configured limit); split the file or raise --max-rows"
        ),
    )
}

fn read_json(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    let values: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(strip_bom(bytes)).map_err(|e| {
            read_error(e.line() as u64, format!("not a JSON array of objects: {e}"))
        })?;
    if values.len() > max_rows {
        return Err(too_many(max_rows, max_rows as u64 + 1));
    }
    // Columns in order of first appearance across all objects.
    let mut headers: Vec<String> = Vec::new();
    for obj in &values {
        for k in obj.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let rows = values
        .iter()
        .enumerate()
        .map(|(i, obj)| Row {
            line: i as u64 + 1,
            cells: headers
                .iter()
                .map(|h| match obj.get(h) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.trim().to_string(),
                    Some(other) => other.to_string(),
                })
                .collect::<Vec<_>>()
                .into(),
        })
        .collect();
    Ok(Table {
        headers,
        rows,
        encoding: "UTF-8",
    })
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| read_error(0, format!("not a readable XLSX workbook: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| read_error(0, "the workbook has no sheet"))?
        .map_err(|e| read_error(0, format!("unreadable first sheet: {e}")))?;
    let first_row = range.start().map(|(r, _)| r as u64 + 1).unwrap_or(1);
    let mut iter = range.rows();
    let headers: Vec<String> = match iter.next() {
        Some(h) => h.iter().map(cell_text).collect(),
        None => return Err(read_error(1, "the first sheet is empty (no header row)")),
    };
    let mut rows = Vec::new();
    for (i, cells) in iter.enumerate() {
        let cells: Vec<String> = cells.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let line = first_row + 1 + i as u64;
        if rows.len() >= max_rows {
            return Err(too_many(max_rows, line));
        }
        rows.push(Row {
            line,
            cells: cells.into(),
        });
    }
    Ok(Table {
        headers,
        rows,
        encoding: "UTF-8",
    })
}

/// A cell as the text a clerk would see; dates become ISO dates, whole numbers lose their `.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_serial_to_date(dt.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's 1900 date system: day 1 is 1900-01-01, with the phantom 29 Feb 1900, so serials from
/// 61 on count from 1899-12-30.
fn excel_serial_to_date(serial: f64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    match base.checked_add_signed(chrono::Duration::days(serial.floor() as i64)) {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_semicolon_and_windows_1252() {
        let bytes = b"verwaltung;name\r\n8111000;\"Stuttgart; Landeshauptstadt\"\r\n8115003;B\xf6blingen\r\n";
        let t = read(Format::Csv, bytes, 10).unwrap();
        assert_eq!(t.encoding, "windows-1252");
        assert_eq!(t.headers, ["verwaltung", "name"]);
        assert_eq!(&t.rows[0].cells[1], "Stuttgart; Landeshauptstadt");
        assert_eq!(&t.rows[1].cells[1], "Böblingen");
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn strips_bom_and_whitespace_and_skips_empty_lines() {
        let bytes = "\u{feff}a,b\n 1 , x \n\n,\n2,y\n".as_bytes();
        let t = read(Format::Csv, bytes, 10).unwrap();
        assert_eq!(t.encoding, "UTF-8");
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells.iter().collect::<Vec<_>>(), ["1", "x"]);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn enforces_the_row_limit() {
        let err = read(Format::Csv, b"a\n1\n2\n3\n", 2).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("more than 2 rows"));
    }

    #[test]
    fn reads_json_arrays() {
        let t = read(
            Format::Json,
            br#"[{"a": 1, "b": "x"}, {"b": "y", "c": null}]"#,
            10,
        )
        .unwrap();
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(t.rows[1].cells.iter().collect::<Vec<_>>(), ["", "y", ""]);
        assert!(read(Format::Json, b"{\"a\": 1}", 10).is_err());
    }

    #[test]
    fn detects_formats() {
        assert_eq!(Format::detect(None, b"PK\x03\x04..."), Format::Xlsx);
        assert_eq!(Format::detect(None, b"  [ {} ]"), Format::Json);
        assert_eq!(Format::detect(None, b"a;b"), Format::Csv);
        assert_eq!(Format::detect(Some("text/csv"), b"[x"), Format::Csv);
        assert_eq!(Format::detect(Some(XLSX_MIME), b""), Format::Xlsx);
    }

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_serial_to_date(43670.0), "2019-07-24");
    }

    #[test]
    fn line_numbers_stay_exact_with_crlf_and_many_rows() {
        let mut s = String::from("a;b;c\r\n");
        for i in 0..2000 {
            s.push_str(&format!("{i};x;y\r\n"));
        }
        let t = read(Format::Csv, s.as_bytes(), 5000).unwrap();
        for (i, r) in t.rows.iter().enumerate() {
            assert_eq!(r.line, i as u64 + 2, "{i}");
        }
    }
}
