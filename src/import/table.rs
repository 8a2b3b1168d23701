//! Readers: the bytes of a delivered file (CSV from Excel on Windows, JSON, XLSX) become one
//! `Table` of trimmed strings with the line each row came from, whatever the encoding, delimiter
//! or line ends were.

use std::io::{BufRead, Read, Seek};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use calamine::{DataRef, Reader, Xlsx};
use csv::StringRecord;

use super::input::{Counted, CsvText, Input};

/// The file formats an import accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Json,
    Xlsx,
}

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl FileFormat {
    /// Picks the format from a Content-Type or file name when given, else from the content itself.
    pub fn detect(hint: Option<&str>, bytes: &[u8]) -> FileFormat {
        if let Some(h) = hint.map(|h| h.to_ascii_lowercase()) {
            if h.contains("spreadsheetml") || h.ends_with(".xlsx") {
                return FileFormat::Xlsx;
            }
            if h.contains("json") || h.ends_with(".json") {
                return FileFormat::Json;
            }
            if h.contains("csv") || h.ends_with(".csv") || h.starts_with("text/") {
                return FileFormat::Csv;
            }
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return FileFormat::Xlsx;
        }
        let text = strip_bom(bytes);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => FileFormat::Json,
            _ => FileFormat::Csv,
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
impl FileFormat {
    /// The name in an import summary.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Json => "json",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// Receives a file's rows as they are read; `Break` stops reading (e.g. a header without a
/// required column), which is not an error of the file's syntax.
pub trait RowSink {
    fn headers(&mut self, headers: Vec<String>) -> ControlFlow<()>;
    fn row(&mut self, row: Row) -> ControlFlow<()>;
}

/// Collects a whole [`Table`] (small files, tests).
impl RowSink for Table {
    fn headers(&mut self, headers: Vec<String>) -> ControlFlow<()> {
        self.headers = headers;
        ControlFlow::Continue(())
    }
    fn row(&mut self, row: Row) -> ControlFlow<()> {
        self.rows.push(row);
        ControlFlow::Continue(())
    }
}

/// Reads `bytes` as `format` into one table.
pub fn read(format: FileFormat, bytes: &[u8], max_rows: usize) -> Result<Table, ReadError> {
    let utf8 = std::str::from_utf8(strip_bom(bytes)).is_ok();
    let mut table = Table::default();
    table.encoding = read_into(
        format,
        &Input::Bytes(bytes),
        utf8,
        max_rows,
        &Default::default(),
        &mut table,
    )?;
    Ok(table)
}

/// Reads `input` as `format` row by row into `sink`, stopping with an error once more than
/// `max_rows` data rows are seen; `utf8` is the first pass' verdict on the encoding (CSV only);
/// `consumed` counts the bytes read. Returns the encoding the file was read as.
pub fn read_into(
    format: FileFormat,
    input: &Input<'_>,
    utf8: bool,
    max_rows: usize,
    consumed: &Arc<AtomicU64>,
    sink: &mut dyn RowSink,
) -> Result<&'static str, ReadError> {
    let io = |e: std::io::Error| read_error(0, format!("cannot read the file: {e}"));
    match format {
        FileFormat::Csv => {
            let reader = Counted {
                inner: input.open().map_err(io)?,
                bytes: consumed.clone(),
            };
            let head = input.head(64 * 1024).map_err(io)?;
            let mut head_text = String::new();
            let _ = CsvText::new(head.as_slice(), !utf8).read_to_string(&mut head_text);
            read_csv(
                CsvText::new(reader, !utf8),
                detect_delimiter(&head_text),
                max_rows,
                sink,
            )?;
            Ok(if utf8 { "UTF-8" } else { "windows-1252" })
        }
        FileFormat::Json => {
            match input {
                Input::Bytes(b) => {
                    consumed.fetch_add(b.len() as u64, Ordering::Relaxed);
                    read_json(
                        serde_json::Deserializer::from_slice(strip_bom(b)),
                        max_rows,
                        sink,
                    )?
                }
                Input::File(_) => {
                    let mut reader = Counted {
                        inner: input.open().map_err(io)?,
                        bytes: consumed.clone(),
                    };
                    if reader.fill_buf().map_err(io)?.starts_with(b"\xEF\xBB\xBF") {
                        reader.consume(3);
                    }
                    read_json(
                        serde_json::Deserializer::from_reader(reader),
                        max_rows,
                        sink,
                    )?
                }
            }
            Ok("UTF-8")
        }
        FileFormat::Xlsx => {
            let len = input.len().map_err(io)?;
            let mut file = input.open_seekable().map_err(io)?;
            super::xlsx_guard::check(&mut file, len).map_err(|reason| read_error(0, reason))?;
            file.rewind().map_err(io)?;
            read_xlsx(file, max_rows, sink)?;
            consumed.fetch_add(len, Ordering::Relaxed);
            Ok("UTF-8")
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

fn read_csv(
    text: impl Read,
    delimiter: u8,
    max_rows: usize,
    sink: &mut dyn RowSink,
) -> Result<(), ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(256 * 1024)
        .from_reader(text);
    let mut record = StringRecord::new();
    let unreadable = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        read_error(line, format!("unreadable CSV: {e}"))
    };
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(read_error(1, "the file is empty (no header row)")),
        Err(e) => return Err(read_error(1, format!("unreadable header row: {e}"))),
    }
    if sink
        .headers(record.iter().map(|h| h.trim().to_string()).collect())
        .is_break()
    {
        return Ok(());
    }
    let mut rows = 0;
    while reader.read_record(&mut record).map_err(unreadable)? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // trailing empty lines, or ";;;" rows Excel leaves behind
        }
        if rows >= max_rows {
            return Err(too_many(max_rows, line));
        }
        rows += 1;
        // The trimmed cells into a record of their exact size; `record` keeps its buffers for
        // the next row (csv's own trimming built every row twice).
        let mut cells = StringRecord::with_capacity(record.as_slice().len(), record.len());
        for cell in &record {
            cells.push_field(cell.trim());
        }
        if sink.row(Row { line, cells }).is_break() {
            break;
        }
    }
    Ok(())
}

fn too_many(max_rows: usize, line: u64) -> ReadError {
    read_error(
        line,
        format!(
            "more than {max_rows} rows (the configured limit); split the file or raise --max-rows"
        ),
    )
}

/// Most distinct columns a JSON or XLSX file may have. The datasets have at most eight; a file
/// with more is not one of ours, and the bound keeps rows from growing with hostile keys.
pub const MAX_COLUMNS: usize = 256;

/// Reads a JSON array of objects in one pass: columns in order of first appearance (looked up
/// in a map, so that every key costs O(1)), each row only as wide as its last present column, the
/// row and column limits checked while parsing. The header is complete only at the end, so
/// rows are held until then (a JSON delivery is a small file; CSV is the format for bulk).
fn read_json<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    max_rows: usize,
    sink: &mut dyn RowSink,
) -> Result<(), ReadError> {
    use serde::de::Deserializer as _;
    let mut reader = JsonRows {
        max_rows,
        headers: Vec::new(),
        index: std::collections::HashMap::new(),
        rows: Vec::new(),
        limit: None,
    };
    // An array of row objects, or a page object with them under `content` (the shape the
    // federal dashboard's API answers with).
    let parsed = (&mut de)
        .deserialize_any(&mut reader)
        .and_then(|()| de.end());
    if let Some(limit) = reader.limit.take() {
        return Err(limit);
    }
    parsed.map_err(|e| {
        read_error(
            e.line() as u64,
            format!(
                "not a JSON array of objects (or a page object with one under \"content\"): {e}"
            ),
        )
    })?;
    if sink.headers(reader.headers).is_break() {
        return Ok(());
    }
    for row in reader.rows {
        if sink.row(row).is_break() {
            break;
        }
    }
    Ok(())
}

/// The state of [`read_json`]: visits the array, then each object.
struct JsonRows {
    max_rows: usize,
    headers: Vec<String>,
    index: std::collections::HashMap<String, usize>,
    rows: Vec<Row>,
    /// A limit that stopped the parse (reported instead of serde's message).
    limit: Option<ReadError>,
}

impl<'de> serde::de::Visitor<'de> for &mut JsonRows {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of objects, or a page object with one under \"content\"")
    }

    /// A page object: its `content` array is the rows, the rest (`totalPages`, `number`, …)
    /// is paging.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut content = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "content" && !content {
                content = true;
                map.next_value_seed(PageContent(&mut *self))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        if content {
            Ok(())
        } else {
            Err(A::Error::custom("a page object without \"content\""))
        }
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut cells: Vec<(usize, String)> = Vec::new();
        loop {
            let element = self.rows.len() as u64 + 1;
            cells.clear();
            let found = seq.next_element_seed(JsonObject {
                rows: &mut *self,
                cells: &mut cells,
                element,
            })?;
            if found.is_none() {
                return Ok(());
            }
            if self.rows.len() >= self.max_rows {
                self.limit = Some(too_many(self.max_rows, element));
                return Err(A::Error::custom("row limit"));
            }
            let width = cells.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
            let mut record =
                StringRecord::with_capacity(cells.iter().map(|(_, v)| v.len()).sum(), width);
            cells.sort_unstable_by_key(|(c, _)| *c);
            let mut next = 0;
            for (c, v) in cells.iter() {
                while next < *c {
                    record.push_field("");
                    next += 1;
                }
                record.push_field(v);
                next += 1;
            }
            self.rows.push(Row {
                line: element,
                cells: record,
            });
        }
    }
}

/// The `content` array of a page object.
struct PageContent<'r>(&'r mut JsonRows);

impl<'de> serde::de::DeserializeSeed<'de> for PageContent<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self.0)
    }
}

/// One object of the array: its cells as (column, text).
struct JsonObject<'r> {
    rows: &'r mut JsonRows,
    cells: &'r mut Vec<(usize, String)>,
    element: u64,
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonObject<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonObject<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value: serde_json::Value = map.next_value()?;
            let column = match self.rows.index.get(key.as_ref()) {
                Some(&c) => c,
                None if self.rows.headers.len() >= MAX_COLUMNS => {
                    self.rows.limit = Some(read_error(
                        self.element,
                        format!(
                            "object {}: more than {MAX_COLUMNS} distinct keys; \
                             this is not a table of one of the datasets",
                            self.element
                        ),
                    ));
                    return Err(A::Error::custom("column limit"));
                }
                None => {
                    let c = self.rows.headers.len();
                    self.rows.headers.push(key.to_string());
                    self.rows.index.insert(key.into_owned(), c);
                    c
                }
            };
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.trim().to_string(),
                other => other.to_string(),
            };
            match self.cells.iter_mut().find(|(c, _)| *c == column) {
                Some(cell) => cell.1 = text, // a repeated key: the last one wins, as before
                None => self.cells.push((column, text)),
            }
        }
        Ok(())
    }
}

/// Reads the first sheet cell by cell (never as a dense range: a sheet with one cell at `A1`
/// and one at `XFD1048576` must not allocate the rectangle between them). The archive's
/// decompressed size is checked first (see [`xlsx_guard`]).
fn read_xlsx(
    file: impl Read + Seek,
    max_rows: usize,
    sink: &mut dyn RowSink,
) -> Result<(), ReadError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(file)
        .map_err(|e| read_error(0, format!("not a readable XLSX workbook: {e}")))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| read_error(0, "the workbook has no sheet"))?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| read_error(0, format!("unreadable first sheet: {e}")))?;
    let mut out = SheetRows {
        sink,
        max_rows,
        headers_seen: false,
        rows: 0,
        stopped: false,
    };
    // The row being collected: its sheet row (0-based) and its cells by column.
    let (mut row_at, mut row): (Option<u32>, Vec<String>) = (None, Vec::new());
    loop {
        let cell = cells.next_cell().map_err(|e| {
            let line = row_at.map_or(0, |r| r as u64 + 1);
            read_error(line, format!("unreadable first sheet: {e}"))
        })?;
        let Some(cell) = cell else { break };
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue; // only cells with a value make a row (a styled empty cell does not)
        }
        let (r, c) = cell.get_position();
        if c as usize >= MAX_COLUMNS {
            return Err(read_error(
                r as u64 + 1,
                format!(
                    "a value in column {} of row {}: at most {MAX_COLUMNS} columns are read; \
                     delete the cells right of the table",
                    c + 1,
                    r + 1
                ),
            ));
        }
        match row_at {
            Some(at) if at == r => {}
            Some(at) if at > r => return Err(read_error(
                r as u64 + 1,
                "the sheet's rows are out of order; save the file again in a spreadsheet program",
            )),
            _ => out.flush(row_at.replace(r), std::mem::take(&mut row))?,
        }
        if row.len() <= c as usize {
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    out.flush(row_at, row)?;
    if !out.headers_seen {
        return Err(read_error(1, "the first sheet is empty (no header row)"));
    }
    Ok(())
}

/// The rows of a sheet handed to the sink as they are completed: the first is the header.
struct SheetRows<'s> {
    sink: &'s mut dyn RowSink,
    max_rows: usize,
    headers_seen: bool,
    rows: usize,
    /// The sink wants no more rows.
    stopped: bool,
}

impl SheetRows<'_> {
    /// Hands over the row at sheet row `at` (0-based; none before the first cell).
    fn flush(&mut self, at: Option<u32>, cells: Vec<String>) -> Result<(), ReadError> {
        let Some(r) = at else { return Ok(()) };
        let line = r as u64 + 1;
        if self.stopped {
            return Ok(());
        }
        if !self.headers_seen {
            self.headers_seen = true;
            self.stopped = self.sink.headers(cells).is_break();
            return Ok(());
        }
        if self.rows >= self.max_rows {
            return Err(too_many(self.max_rows, line));
        }
        self.rows += 1;
        self.stopped = self
            .sink
            .row(Row {
                line,
                cells: cells.into(),
            })
            .is_break();
        Ok(())
    }
}

/// A cell as the text a clerk would see; dates become ISO dates, whole numbers lose their `.0`.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => excel_serial_to_date(dt.as_f64()),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's 1900 date system: day 1 is 1900-01-01, with the phantom 29 Feb 1900, so serials from
/// 61 on count from 1899-12-30.
fn excel_serial_to_date(serial: f64) -> String {
    // Excel's last day is 9999-12-31 (serial 2,958,465); beyond it (or NaN) the number stays a
    // number, which validation then refuses as "not a date".
    if !(0.0..=2_958_465.0).contains(&serial) {
        return serial.to_string();
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    match base.checked_add_days(chrono::Days::new(serial.floor() as u64)) {
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
        let t = read(FileFormat::Csv, bytes, 10).unwrap();
        assert_eq!(t.encoding, "windows-1252");
        assert_eq!(t.headers, ["verwaltung", "name"]);
        assert_eq!(&t.rows[0].cells[1], "Stuttgart; Landeshauptstadt");
        assert_eq!(&t.rows[1].cells[1], "Böblingen");
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn strips_bom_and_whitespace_and_skips_empty_lines() {
        let bytes = "\u{feff}a,b\n 1 , x \n\n,\n2,y\n".as_bytes();
        let t = read(FileFormat::Csv, bytes, 10).unwrap();
        assert_eq!(t.encoding, "UTF-8");
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells.iter().collect::<Vec<_>>(), ["1", "x"]);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn enforces_the_row_limit() {
        let err = read(FileFormat::Csv, b"a\n1\n2\n3\n", 2).unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("more than 2 rows"));
    }

    #[test]
    fn reads_json_arrays() {
        let t = read(
            FileFormat::Json,
            br#"[{"a": 1, "b": "x"}, {"b": "y", "c": null}]"#,
            10,
        )
        .unwrap();
        assert_eq!(t.headers, ["a", "b", "c"]);
        // A row is as wide as its last present cell; validation reads missing cells as empty.
        assert_eq!(t.rows[1].cells.iter().collect::<Vec<_>>(), ["", "y"]);
        assert!(read(FileFormat::Json, b"{\"a\": 1}", 10).is_err());
    }

    #[test]
    fn json_with_a_new_key_per_object_is_refused_in_linear_time() {
        let mut s = String::from("[");
        for i in 0..20_000 {
            s.push_str(&format!("{}{{\"k{i}\":1}}", if i > 0 { "," } else { "" }));
        }
        s.push(']');
        let err = read(FileFormat::Json, s.as_bytes(), 1_000_000).unwrap_err();
        assert!(err.reason.contains("distinct keys"), "{err}");
        assert_eq!(err.line, MAX_COLUMNS as u64 + 1);
    }

    #[test]
    fn json_row_limit_stops_the_parse() {
        let err = read(FileFormat::Json, br#"[{"a":1},{"a":2},{"a":3}, garbage"#, 2).unwrap_err();
        assert!(err.reason.contains("more than 2 rows"), "{err}");
        assert_eq!(err.line, 3);
        assert!(read(FileFormat::Json, br#"[{"a":1}] trailing"#, 2).is_err());
    }

    #[test]
    fn detects_formats() {
        assert_eq!(FileFormat::detect(None, b"PK\x03\x04..."), FileFormat::Xlsx);
        assert_eq!(FileFormat::detect(None, b"  [ {} ]"), FileFormat::Json);
        assert_eq!(FileFormat::detect(None, b"a;b"), FileFormat::Csv);
        assert_eq!(FileFormat::detect(Some("text/csv"), b"[x"), FileFormat::Csv);
        assert_eq!(FileFormat::detect(Some(XLSX_MIME), b""), FileFormat::Xlsx);
    }

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_serial_to_date(43670.0), "2019-07-24");
        assert_eq!(excel_serial_to_date(1e12), "1000000000000");
        assert_eq!(excel_serial_to_date(f64::NAN), "NaN");
        assert_eq!(excel_serial_to_date(-1.0), "-1");
    }

    #[test]
    fn line_numbers_stay_exact_with_crlf_and_many_rows() {
        let mut s = String::from("a;b;c\r\n");
        for i in 0..2000 {
            s.push_str(&format!("{i};x;y\r\n"));
        }
        let t = read(FileFormat::Csv, s.as_bytes(), 5000).unwrap();
        for (i, r) in t.rows.iter().enumerate() {
            assert_eq!(r.line, i as u64 + 2, "{i}");
        }
    }
}
