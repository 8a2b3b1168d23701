//! The `.xlsx` workbook: the table on the first sheet, what it is on the second.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::{ColumnKind, ExportError, Sheet};

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError(e.to_string())
    }
}

/// The workbook of `sheet`: keys and names as text, figures as numbers with their format,
/// a bold frozen header row with a filter, column widths from the content, and an "Info" sheet.
/// The table sheet is written in rust_xlsxwriter's constant-memory mode: each row goes to a
/// temporary file as it is written, instead of every cell staying in memory until the end
/// (Germany's Gemeinden × every figure: 200 MB for one download).
pub(crate) fn xlsx(sheet: &Sheet<'_>) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let table = book.add_worksheet_with_constant_memory()?;
    table.set_name(sheet_name(sheet.title))?;
    write_table(table, sheet)?;
    let info = book.add_worksheet();
    info.set_name("Info")?;
    write_info(info, sheet)?;
    Ok(book.save_to_buffer()?)
}

/// The cell formats of the table sheet.
struct Formats {
    integer: Format,
    decimal: Format,
    share: Format,
    euro: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            integer: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.00"),
            share: Format::new().set_num_format("0.0%"),
            euro: Format::new().set_num_format("#,##0.00 \"€\""),
        }
    }

    fn of(&self, kind: ColumnKind, n: &serde_json::Number) -> &Format {
        match kind {
            ColumnKind::Share => &self.share,
            ColumnKind::Euro => &self.euro,
            ColumnKind::Decimal => &self.decimal,
            _ if n.is_f64() => &self.decimal,
            _ => &self.integer,
        }
    }
}

/// About how many characters a cell shows (for its column's width).
fn shown_width(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 4,
        Value::Number(n) => n.to_string().len() + 3,
        Value::String(s) => s.chars().count(),
        other => other.to_string().chars().count(),
    }
}

fn write_table(ws: &mut Worksheet, sheet: &Sheet<'_>) -> Result<(), ExportError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let formats = Formats::new();
    let kinds: Vec<ColumnKind> = sheet.columns.iter().map(|c| c.kind).collect();
    // Long headers wrap; the column needs about half their length. Widths and the header row's
    // height come first: a constant-memory sheet writes each row as it is left.
    let mut widths: Vec<usize> = sheet
        .columns
        .iter()
        .map(|c| (c.header.chars().count() / 2).max(8))
        .collect();
    for row in sheet.rows {
        for (w, value) in widths.iter_mut().zip(row) {
            *w = (*w).max(shown_width(value));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c)?, (*w).clamp(8, 60) as f64 + 1.0)?;
    }
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 0)?;
    if !sheet.columns.is_empty() {
        let last_row = u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX);
        ws.autofilter(0, 0, last_row, col(sheet.columns.len() - 1)?)?;
    }
    for (c, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, &column.header, &header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError("too many rows".into()))?;
        for (c, (value, kind)) in row.iter().zip(&kinds).enumerate() {
            let cc = col(c)?;
            match value {
                Value::Null => {}
                Value::Bool(b) => {
                    ws.write_string(r, cc, if *b { "ja" } else { "nein" })?;
                }
                Value::Number(n) => {
                    let v = n.as_f64().unwrap_or(0.0);
                    ws.write_number_with_format(r, cc, v, formats.of(*kind, n))?;
                }
                Value::String(s) => {
                    ws.write_string(r, cc, s)?;
                }
                other => {
                    ws.write_string(r, cc, other.to_string())?;
                }
            }
        }
    }
    Ok(())
}

fn write_info(ws: &mut Worksheet, sheet: &Sheet<'_>) -> Result<(), ExportError> {
    let bold = Format::new().set_bold();
    let about = &sheet.about;
    let mut rows = vec![
        ("Tabelle", sheet.title.to_string()),
        ("Datenstand", about.as_of.clone()),
        (
            "Demodaten",
            if about.demo {
                "ja – synthetische Daten, keine echten Zahlen".to_string()
            } else {
                "nein".to_string()
            },
        ),
        ("Quelle", format!("digitalatlas, {}", about.source)),
        (
            "Hinweis",
            "Digitallotsen sind als Anzahlen erfasst, nie mit Namen. Schlüssel (AGS, \
             Kreisschlüssel) sind Text, damit führende Nullen erhalten bleiben."
                .to_string(),
        ),
    ];
    if let Some(registry) = &about.registry {
        rows.insert(4, ("Gebiete und Einwohner", registry.clone()));
    }
    if let Some(attribution) = &about.attribution {
        rows.insert(4, ("Datenquelle", attribution.clone()));
    }
    for (r, (label, value)) in rows.iter().enumerate() {
        let r = r as u32;
        ws.write_string_with_format(r, 0, *label, &bold)?;
        ws.write_string(r, 1, value)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 100)?;
    Ok(())
}

fn col(c: usize) -> Result<u16, ExportError> {
    u16::try_from(c).map_err(|_| ExportError("too many columns".into()))
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Daten".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{About, SheetColumn};
    use calamine::{Data, Reader, Xlsx};
    use serde_json::json;

    #[test]
    fn keys_are_text_numbers_are_numbers_and_an_info_sheet_says_what_it_is() {
        use ColumnKind::*;
        let columns: Vec<SheetColumn> = [
            ("Schlüssel", Key),
            ("Name", Text),
            ("Digitallotsen", Integer),
            ("Anteil mit Digitallotse", Share),
            ("Demodaten", YesNo),
        ]
        .map(|(header, kind)| SheetColumn::new(header, kind))
        .to_vec();
        let rows = vec![
            vec![
                json!("08111000"),
                json!("Stuttgart"),
                json!(12),
                json!(0.75),
                json!(true),
            ],
            vec![
                json!("08115"),
                json!("Böblingen"),
                json!(3),
                json!(0.5),
                json!(true),
            ],
        ];
        let sheet = Sheet {
            title: "abdeckung-gemeinde",
            columns: &columns,
            rows: &rows,
            about: About {
                as_of: "31.10.2026".into(),
                demo: true,
                source: "/api/v1/coverage?level=gemeinde".into(),
                attribution: None,
                registry: None,
            },
        };
        let bytes = xlsx(&sheet).unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["abdeckung-gemeinde", "Info"]);
        let table = book.worksheet_range("abdeckung-gemeinde").unwrap();
        assert_eq!(table.get((0, 0)), Some(&Data::String("Schlüssel".into())));
        assert_eq!(
            table.get((0, 3)),
            Some(&Data::String("Anteil mit Digitallotse".into()))
        );
        assert_eq!(table.get((1, 0)), Some(&Data::String("08111000".into())));
        assert_eq!(table.get((1, 2)), Some(&Data::Float(12.0)));
        assert_eq!(table.get((2, 3)), Some(&Data::Float(0.5)));
        assert_eq!(table.get((1, 4)), Some(&Data::String("ja".into())));
        let info = book.worksheet_range("Info").unwrap();
        assert_eq!(info.get((1, 1)), Some(&Data::String("31.10.2026".into())));
        assert!(matches!(info.get((2, 1)), Some(Data::String(s)) if s.starts_with("ja")));
    }

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        assert_eq!(sheet_name("a/b:c"), "a-b-c");
        assert_eq!(sheet_name(""), "Daten");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
