//! Bulk INSERT statements: one round trip and one bound parameter per batch of rows, which is what
//! makes bulk loads fast on both backends (SQLite's worker thread and PostgreSQL's network hop alike).

use sqlx::AnyConnection;

pub(super) use crate::model::Cell;

/// Rows per statement. Each batch travels as one JSON text parameter that the database unpacks
/// itself (`json_each` in SQLite, `json_array_elements` in PostgreSQL): sqlx's cost per bound
/// parameter dominated bulk loads (measured: ~10 µs per row with one parameter per cell).
const BATCH_ROWS: usize = 2_000;

impl Cell {
    pub(crate) fn pg_type(&self) -> &'static str {
        match self {
            Cell::Text(_) | Cell::OptText(_) => "text",
            Cell::Int(_) => "bigint",
            Cell::Float(_) => "double precision",
        }
    }
}

/// A row that can travel in a batch: it serializes as a JSON array of its cells in column order
/// and names the PostgreSQL type of each cell.
pub(super) trait BatchRow: serde::Serialize {
    fn pg_types(&self) -> Vec<&'static str>;
}

impl BatchRow for Vec<Cell> {
    fn pg_types(&self) -> Vec<&'static str> {
        self.iter().map(Cell::pg_type).collect()
    }
}

/// Inserts `rows` into `table` in batches. `suffix` is appended to every statement, e.g.
/// `ON CONFLICT DO NOTHING` or an `ON CONFLICT (...) DO UPDATE SET ...` clause.
pub(super) async fn insert_rows<R: BatchRow>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[R],
    suffix: &str,
) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let postgres = conn.backend_name() == "PostgreSQL";
    // `WHERE true` keeps SQLite from reading a following ON CONFLICT as a join constraint.
    let sql = if postgres {
        let exprs: Vec<String> = first
            .pg_types()
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("(e->>{i})::{ty}"))
            .collect();
        format!(
            "INSERT INTO {table} ({}) SELECT {} FROM json_array_elements($1::json) AS e WHERE true {suffix}",
            columns.join(", "),
            exprs.join(", ")
        )
    } else {
        let exprs: Vec<String> = (0..columns.len())
            .map(|i| format!("value ->> {i}"))
            .collect();
        format!(
            "INSERT INTO {table} ({}) SELECT {} FROM json_each($1) WHERE true {suffix}",
            columns.join(", "),
            exprs.join(", ")
        )
    };
    let encode =
        |chunk: &[R]| serde_json::to_string(chunk).map_err(|e| sqlx::Error::Encode(Box::new(e)));
    let mut chunks = rows.chunks(BATCH_ROWS);
    let mut next = chunks.next().map(encode).transpose()?;
    while let Some(text) = next.take() {
        // The database works on this batch (SQLite on its worker thread, PostgreSQL on the
        // server) while this thread encodes the next one.
        let execute = sqlx::query(&sql).bind(text).execute(&mut *conn);
        let (done, encoded) = tokio::join!(execute, async { chunks.next().map(encode) });
        done?;
        next = encoded.transpose()?;
    }
    Ok(())
}

/// All rows of `columns` from `table` as one JSON document built by the database: one round trip
/// instead of one message per row (sqlx delivered ~6–10 µs per row on SQLite).
/// Each row deserializes as `T`: a tuple in column order, or `Vec<serde_json::Value>`.
pub(super) async fn select_rows<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
) -> Result<Vec<T>, sqlx::Error> {
    let text = select_json(conn, table, columns).await?;
    parse_rows(&text, table)
}

/// The JSON text of [`select_rows`], for callers that deserialize rows borrowing from it.
pub(super) async fn select_json(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
) -> Result<String, sqlx::Error> {
    let sql = if conn.backend_name() == "PostgreSQL" {
        format!(
            "SELECT COALESCE(json_agg(json_build_array({})), '[]'::json)::text FROM {table}",
            columns.join(", ")
        )
    } else {
        format!(
            "SELECT json_group_array(json_array({})) FROM {table}",
            columns.join(", ")
        )
    };
    sqlx::query_scalar(&sql).fetch_one(&mut *conn).await
}

/// The rows of `table` whose key columns equal one of `keys` (a JSON array of arrays of key
/// parts), as a [`select_json`] document. Every key is one primary-key lookup.
pub(super) async fn select_matching(
    conn: &mut AnyConnection,
    table: &str,
    key: &[&str],
    columns: &[&str],
    keys: String,
) -> Result<String, sqlx::Error> {
    let cols = columns
        .iter()
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = if conn.backend_name() == "PostgreSQL" {
        let on = key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("t.{k} = e->>{i}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        format!(
            "SELECT COALESCE(json_agg(json_build_array({cols})), '[]'::json)::text \
             FROM json_array_elements($1::json) AS e JOIN {table} AS t ON {on}"
        )
    } else {
        // CROSS JOIN keeps the keys as the outer loop: one index lookup per key.
        let on = key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("t.{k} = e.value ->> {i}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        format!(
            "SELECT json_group_array(json_array({cols})) \
             FROM json_each($1) AS e CROSS JOIN {table} AS t WHERE {on}"
        )
    };
    sqlx::query_scalar(&sql)
        .bind(keys)
        .fetch_one(&mut *conn)
        .await
}

/// Rows of a [`select_json`] document; `T` may borrow from `text`.
pub(super) fn parse_rows<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    table: &str,
) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| sqlx::Error::Decode(format!("rows of {table}: {e}").into()))
}
