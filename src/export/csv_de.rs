//! The German CSV: what German Excel opens correctly with a double click.

use serde_json::Value;

use super::{ColumnKind, ExportError, Sheet};

/// UTF-8 byte order mark: Excel reads the file as UTF-8 only with it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `;`-separated, UTF-8 with BOM, German headers, decimal comma, `ja`/`nein`. Text cells are
/// written as given (the caller neutralises formula-like text); keys stay as written, so open
/// the XLSX where a leading zero must survive Excel's number guessing.
pub(crate) fn csv_de(sheet: &Sheet<'_>) -> Result<Vec<u8>, ExportError> {
    let mut out = BOM.to_vec();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(&mut out);
    let err = |e: csv::Error| ExportError(e.to_string());
    w.write_record(sheet.columns.iter().map(|c| c.header.as_str()))
        .map_err(err)?;
    for row in sheet.rows {
        w.write_record(row.iter().zip(sheet.columns).map(|(v, c)| cell(v, c.kind)))
            .map_err(err)?;
    }
    w.flush().map_err(|e| ExportError(e.to_string()))?;
    drop(w);
    Ok(out)
}

/// One value as German text.
fn cell(v: &Value, kind: ColumnKind) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "ja" } else { "nein" }.to_string(),
        Value::Number(n) if kind == ColumnKind::Integer || n.is_i64() || n.is_u64() => {
            n.to_string()
        }
        Value::Number(n) => n.to_string().replace('.', ","),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{About, SheetColumn};
    use serde_json::json;

    #[test]
    fn semicolons_bom_german_headers_and_decimal_commas() {
        use ColumnKind::*;
        let columns: Vec<SheetColumn> = [
            ("Schlüssel", Key),
            ("Name", Text),
            ("Anteil mit Digitallotse", Share),
            ("Digitallotsen", Integer),
            ("Demodaten", YesNo),
        ]
        .map(|(header, kind)| SheetColumn::new(header, kind))
        .to_vec();
        let rows = vec![vec![
            json!("08115"),
            json!("Böblingen; Kreis"),
            json!(0.75),
            json!(12),
            json!(false),
        ]];
        let sheet = Sheet {
            title: "Abdeckung",
            columns: &columns,
            rows: &rows,
            about: About {
                as_of: "01.01.2026".into(),
                demo: false,
                source: "/api/v1/coverage".into(),
                attribution: None,
                registry: None,
            },
        };
        let bytes = csv_de(&sheet).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "Schlüssel;Name;Anteil mit Digitallotse;Digitallotsen;Demodaten\n\
             08115;\"Böblingen; Kreis\";0,75;12;nein\n"
        );
    }
}
