//! What a reader sees in each panel, computed by Grafana's own data library (@grafana/data, run
//! by `dashboards/grafana/render.mjs` in the German locale) from the answers the test got, and
//! checked against the panel's `shows` contract (written by `generate.py`; the vocabulary is
//! documented there).

use serde_json::{json, Value};

/// The input render.mjs takes for one panel: its config and, per target, the data its
/// datasource returned (a Prometheus instant vector or the API's rows).
pub fn panel_input(panel: &Value, data: Vec<Value>) -> Value {
    json!({
        "title": panel["title"],
        "type": panel["type"],
        "fieldConfig": panel["fieldConfig"],
        "options": panel["options"],
        "transformations": panel["transformations"],
        "targets": data,
    })
}

pub fn prometheus_data(target: &Value, result: &[Value]) -> Value {
    json!({
        "kind": "prometheus",
        "refId": target["refId"],
        "legend": target["legendFormat"],
        "format": target["format"].as_str().unwrap_or("time_series"),
        "result": result,
    })
}

pub fn infinity_data(target: &Value, rows: &Value) -> Value {
    json!({
        "kind": "infinity",
        "refId": target["refId"],
        "columns": target["columns"],
        "format": target["format"],
        "rows": rows,
    })
}

/// Runs render.mjs on the panels (node with the German locale, as a German browser).
pub fn render(panels: &[Value]) -> Vec<Value> {
    use std::io::Write;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dashboards/grafana");
    let mut child = std::process::Command::new("node")
        .arg(dir.join("render.mjs"))
        .current_dir(&dir)
        .env("LANG", "de_DE.UTF-8")
        .env("LC_ALL", "de_DE.UTF-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node (scripts/test installs it with @grafana/data)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&serde_json::to_vec(panels).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "render.mjs failed");
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

/// Whether `text` is of the kind (see generate.py's `shows`): German numbers, percent, euros,
/// dates, words instead of keys.
pub fn is_kind(kind: &str, text: &str) -> bool {
    match kind {
        "integer" => german_integer(text),
        "decimal" => german_decimal(text, 0..=1),
        "percent" => text
            .strip_suffix(" %")
            .is_some_and(|n| german_decimal(n, 1..=1)),
        "euro" => text.strip_suffix(" €").is_some_and(german_integer),
        "date" => {
            let b = text.as_bytes();
            b.len() == 10
                && b[2] == b'.'
                && b[5] == b'.'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        }
        "words" => !text.is_empty() && !is_raw_key(text),
        "check" => text == "✓" || text == "–",
        "text" => true,
        other => panic!("unknown text kind {other}"),
    }
}

/// 2.040.514: groups of three digits after the first, separated by dots.
fn german_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut groups = digits.split('.');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|c| c.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|c| c.is_ascii_digit()))
}

/// 13,6: a German integer and, with as many decimals as allowed, a decimal comma.
fn german_decimal(text: &str, decimals: std::ops::RangeInclusive<usize>) -> bool {
    match text.split_once(',') {
        Some((int, frac)) => {
            german_integer(int)
                && decimals.contains(&frac.len())
                && frac.bytes().all(|c| c.is_ascii_digit())
        }
        None => *decimals.start() == 0 && german_integer(text),
    }
}

/// A key of the API or the metrics shown as it is (`aufbau`, `true`, `mindestens_eine`,
/// `unter-5000`, `standard`), not in words.
fn is_raw_key(text: &str) -> bool {
    const KEYS: &[&str] = &[
        "true",
        "false",
        "keine",
        "basis",
        "aufbau",
        "gemeinde",
        "landratsamt",
        "standard",
        "universal",
        "flaechendeckend",
        "kreis",
        "land",
        "bund",
    ];
    KEYS.contains(&text)
        || text.contains('_')
        || (text.contains('-')
            && text
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c == b'-' || c.is_ascii_digit()))
}

fn texts(shown: &Value, key: &str) -> Vec<(String, String, String)> {
    shown[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
                v["family"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// Checks what render.mjs says a reader sees against the panel's `shows`.
pub fn check(panel: &Value, shown: &Value, shows: &Value, gemeinden: usize, what: &str) {
    assert!(
        shown["error"].is_null(),
        "{what}: render.mjs: {}",
        shown["error"]
    );
    let values: Vec<_> = texts(shown, "values")
        .into_iter()
        .chain(texts(shown, "bars"))
        .collect();
    eprintln!(
        "reader {what}: {:?}",
        values.iter().take(4).collect::<Vec<_>>()
    );
    if let Some(row) = shown["rows"].as_array().and_then(|r| r.first()) {
        let cells: Vec<String> = strings(&shown["fields"])
            .iter()
            .zip(row.as_array().unwrap())
            .take(8)
            .map(|(f, c)| format!("{f}: {}", c["text"].as_str().unwrap_or_default()))
            .collect();
        eprintln!("reader {what}: first row {}", cells.join(" | "));
    }
    if let Some(kind) = shows["text"].as_str() {
        assert!(!values.is_empty(), "{what}: shows no value");
        for (name, text, _) in &values {
            assert!(
                is_kind(kind, text),
                "{what}: {name} shows {text:?}, not {kind}"
            );
        }
    }
    if let Some(colors) = shows["colors"].as_array() {
        let allowed = strings(&Value::Array(colors.clone()));
        for (name, text, family) in &values {
            assert!(
                allowed.contains(family),
                "{what}: {name} = {text} is {family}, allowed {allowed:?}"
            );
        }
    }
    let names: Vec<String> = match shown["bars"].as_array() {
        Some(_) => texts(shown, "bars").into_iter().map(|v| v.0).collect(),
        None => texts(shown, "values").into_iter().map(|v| v.0).collect(),
    };
    check_names(&shows["names"], &names, what);
    check_names(&shows["legend"], &strings(&shown["legend"]), what);
    let fields = strings(&shown["fields"]);
    if let Some(columns) = shows["columns"].as_array() {
        let columns = strings(&Value::Array(columns.clone()));
        assert!(
            fields.len() >= columns.len() && fields[..columns.len()] == columns[..],
            "{what}: Grafana shows the columns {fields:?}, declared {columns:?}"
        );
    }
    if let Some(cells) = shows["cells"].as_object() {
        check_cells(cells, &fields, shown, shows, what);
    }
    if let Some(axes) = shows["axes"].as_object() {
        for (name, side) in axes {
            assert_eq!(&shown["axes"][name], side, "{what}: axis of {name}");
        }
    }
    if shows["buckets"] == "every_count" {
        let buckets = shown["buckets"].as_array().expect("buckets");
        let total: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
        assert_eq!(
            total as usize, gemeinden,
            "{what}: the bars add up to the Gemeinden"
        );
        for pair in buckets.windows(2) {
            assert_eq!(
                pair[0]["to"], pair[1]["from"],
                "{what}: a count without a bar"
            );
        }
        for b in buckets {
            assert_eq!(
                b["to"].as_f64().unwrap() - b["from"].as_f64().unwrap(),
                1.0,
                "{what}: one bar per count"
            );
        }
    }
    if let Some(html) = shows["html"].as_array() {
        let content = panel["options"]["content"].as_str().unwrap_or_default();
        for words in strings(&Value::Array(html.clone())) {
            assert!(content.contains(&words), "{what}: the text lacks {words:?}");
        }
    }
}

fn check_names(spec: &Value, names: &[String], what: &str) {
    match spec {
        Value::Null => {}
        Value::Array(list) => {
            let mut want = strings(&Value::Array(list.clone()));
            let mut got = names.to_vec();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{what}: series names");
        }
        Value::String(kind) => {
            assert!(!names.is_empty(), "{what}: no series names");
            for n in names {
                let ok = match kind.as_str() {
                    "words" => is_kind("words", n),
                    "version" => n.split('.').count() >= 2,
                    "routes" => n.starts_with('/'),
                    "statuses" => n.len() == 3 && n.bytes().all(|c| c.is_ascii_digit()),
                    "instances" => n.contains(':'),
                    other => panic!("{what}: names {other}"),
                };
                assert!(ok, "{what}: series name {n:?} is not {kind}");
            }
        }
        other => panic!("{what}: names {other}"),
    }
}

/// The first rows' cells: each named column's text of its kind; `process` for every column
/// after the declared ones (the matrix' process columns).
fn check_cells(
    cells: &serde_json::Map<String, Value>,
    fields: &[String],
    shown: &Value,
    shows: &Value,
    what: &str,
) {
    let declared = strings(&shows["columns"]);
    let rows = shown["rows"].as_array().expect("rows");
    assert!(!rows.is_empty(), "{what}: no rows shown");
    for (column, kind) in cells {
        let kind = kind.as_str().unwrap();
        let indexes: Vec<usize> = if column == "process" {
            (declared.len()..fields.len()).collect()
        } else {
            let i = fields
                .iter()
                .position(|f| f == column)
                .unwrap_or_else(|| panic!("{what}: no column {column} in {fields:?}"));
            vec![i]
        };
        assert!(!indexes.is_empty(), "{what}: no {column} columns");
        for row in rows {
            for &i in &indexes {
                let text = row[i]["text"].as_str().unwrap_or_default();
                assert!(
                    is_kind(kind, text),
                    "{what}: column {} shows {text:?}, not {kind}",
                    fields[i]
                );
            }
        }
    }
}

#[test]
fn german_texts_are_told_from_raw_ones() {
    for (kind, yes, no) in [
        ("integer", "2.040.514", "2040514"),
        ("integer", "26", "2.04 Mil"),
        ("decimal", "13,6", "13.6"),
        ("percent", "41,9 %", "41.9%"),
        ("percent", "100,0 %", "0.419"),
        ("euro", "307.800 €", "€308K"),
        ("date", "31.10.2026", "2026-10-31"),
        ("words", "mit Aufbauschulung", "aufbau"),
        ("words", "ja", "true"),
        ("words", "in mindestens einer Gemeinde", "mindestens_eine"),
        ("words", "unter 5.000 Einwohner", "unter-5000"),
    ] {
        assert!(is_kind(kind, yes), "{kind}: {yes}");
        assert!(!is_kind(kind, no), "{kind}: {no}");
    }
}
