//! Imports into PostgreSQL through `COPY`: the sorted records stream in COPY's text format
//! straight into an empty table, or else into a temporary table from which one `INSERT … ON
//! CONFLICT DO UPDATE … WHERE changed` moves them into the table and counts what it inserted and
//! updated. One transaction with the import lock and the log row, as on SQLite (`steps.rs`);
//! memory holds one chunk of COPY text.

use sqlx::{Connection, PgConnection};

use super::imports::busy_after;
use super::log::{Counts, Provenance};
use super::references::Referenced;
use super::steps::pg as steps;
use super::tables::StorageSpec;
use super::{Store, StoreError};
use crate::model::{Cell, Dataset, RecordStream};

/// Bytes of COPY text sent at a time.
const CHUNK: usize = 1 << 20;

/// Appends `v` escaped for COPY's text format (backslash, tab, newline, carriage return).
fn push_escaped(out: &mut Vec<u8>, v: &str) {
    for b in v.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

fn push_cell(out: &mut Vec<u8>, c: &Cell) {
    match c {
        Cell::Text(v) | Cell::OptText(Some(v)) => push_escaped(out, v),
        Cell::OptText(None) => out.extend_from_slice(b"\\N"),
        Cell::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
        Cell::Float(v) => out.extend_from_slice(v.to_string().as_bytes()),
    }
}

/// `ROW(p.a, p.b) IS DISTINCT FROM ROW(q.a, q.b)` over the value columns.
fn values_differ(spec: &StorageSpec, p: &str, q: &str) -> String {
    let row = |alias: &str| {
        spec.values
            .iter()
            .map(|(n, _)| format!("{alias}.{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("ROW({}) IS DISTINCT FROM ROW({})", row(p), row(q))
}

impl Store {
    /// [`Store::apply_import`] on PostgreSQL; `None` when the stream stopped (nothing written).
    /// Into an empty table the records are copied straight in (they are sorted and each key is
    /// there once); otherwise through a temporary table and one merging `INSERT`.
    pub(super) async fn apply_import_copy(
        &self,
        pool: &sqlx::PgPool,
        dataset: Dataset,
        records: &mut Referenced<'_>,
        provenance: &Provenance,
        dry_run: bool,
        wait: std::time::Duration,
    ) -> Result<Option<(Counts, i64)>, StoreError> {
        let busy = busy_after(wait);
        let spec = dataset.storage();
        let mut conn = pool.acquire().await?;
        let mut tx = conn.begin().await?;
        if !dry_run {
            steps::take_lock(&mut tx, super::Backend::Postgres, wait, &provenance.actor)
                .await
                .map_err(busy)?;
        }
        let empty = steps::is_empty(&mut tx, spec.table).await.map_err(busy)?;
        let target = match (empty, dry_run) {
            (true, true) => Target::Nowhere,
            (true, false) => Target::Table,
            (false, _) => Target::Staging,
        };
        let Some(total) = stage(&mut tx, &spec, records, target).await.map_err(busy)? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let (inserted, updated) = match target {
            Target::Nowhere | Target::Table => (total, 0),
            Target::Staging if dry_run => compare(&mut tx, &spec).await.map_err(busy)?,
            Target::Staging => merge(&mut tx, &spec).await.map_err(busy)?,
        };
        steps::verify_references(&mut tx, records, busy).await?;
        let counts = Counts {
            total,
            inserted,
            updated,
            unchanged: total - inserted - updated,
        };
        if dry_run {
            tx.rollback().await?;
            return Ok(Some((counts, 0)));
        }
        let log_id = steps::write_log(&mut tx, dataset, &counts, provenance).await?;
        tx.commit().await.map_err(busy)?;
        Ok(Some((counts, log_id)))
    }
}

/// Where [`stage`] sends the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Straight into the dataset's table (it was empty).
    Table,
    /// Into a temporary table, merged afterwards.
    Staging,
    /// Nowhere: a dry run against an empty table only counts (and notes the references).
    Nowhere,
}

/// Streams the records to `target` (a temporary table is dropped at the end of the
/// transaction); `None` when the stream stopped.
async fn stage(
    conn: &mut PgConnection,
    spec: &StorageSpec,
    records: &mut dyn RecordStream,
    target: Target,
) -> Result<Option<i64>, sqlx::Error> {
    let table = match target {
        Target::Nowhere => {
            let mut total = 0i64;
            loop {
                match records.next_record() {
                    Ok(Some(_)) => total += 1,
                    Ok(None) => return Ok(Some(total)),
                    Err(_) => return Ok(None),
                }
            }
        }
        Target::Table => spec.table,
        Target::Staging => {
            sqlx::query(&format!(
                "CREATE TEMP TABLE import_staging (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP",
                spec.table
            ))
            .execute(&mut *conn)
            .await?;
            "import_staging"
        }
    };
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY {table} ({}) FROM STDIN",
            spec.columns().join(", ")
        ))
        .await?;
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut total = 0i64;
    loop {
        let record = match records.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(_) => {
                copy.abort("the delivery was refused").await?;
                return Ok(None);
            }
        };
        total += 1;
        for (i, part) in record.key_parts().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            push_escaped(&mut buf, part);
        }
        for c in &record.values {
            buf.push(b'\t');
            push_cell(&mut buf, c);
        }
        buf.push(b'\n');
        if buf.len() >= CHUNK {
            copy.send(std::mem::take(&mut buf)).await?;
            buf.reserve(CHUNK + 4096);
        }
    }
    if !buf.is_empty() {
        copy.send(buf).await?;
    }
    copy.finish().await?;
    Ok(Some(total))
}

/// Moves the staged rows into the table: new keys inserted, changed ones updated, equal ones
/// untouched; returns (inserted, updated).
async fn merge(conn: &mut PgConnection, spec: &StorageSpec) -> Result<(i64, i64), sqlx::Error> {
    let cols = spec.columns().join(", ");
    let keys = spec.key.join(", ");
    let set = spec
        .values
        .iter()
        .map(|(n, _)| format!("{n} = EXCLUDED.{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "WITH written AS (\
           INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM import_staging ORDER BY {keys} \
           ON CONFLICT ({keys}) DO UPDATE SET {set} WHERE {differ} \
           RETURNING (xmax = 0) AS inserted) \
         SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM written",
        table = spec.table,
        differ = values_differ(spec, "t", "EXCLUDED"),
    );
    sqlx::query_as(&sql).fetch_one(&mut *conn).await
}

/// What [`merge`] would do, without writing: (inserted, updated).
async fn compare(conn: &mut PgConnection, spec: &StorageSpec) -> Result<(i64, i64), sqlx::Error> {
    let on = spec
        .key
        .iter()
        .map(|k| format!("t.{k} = s.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let first = spec.key[0];
    let sql = format!(
        "SELECT COUNT(*) FILTER (WHERE t.{first} IS NULL), \
                COUNT(*) FILTER (WHERE t.{first} IS NOT NULL AND {differ}) \
         FROM import_staging AS s LEFT JOIN {table} AS t ON {on}",
        table = spec.table,
        differ = values_differ(spec, "t", "s"),
    );
    sqlx::query_as(&sql).fetch_one(&mut *conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_the_format_needs() {
        let mut out = Vec::new();
        push_escaped(&mut out, "a\tb\\c\nd\re");
        assert_eq!(out, b"a\\tb\\\\c\\nd\\re");
        let mut out = Vec::new();
        push_cell(&mut out, &Cell::OptText(None));
        push_cell(&mut out, &Cell::Int(-4));
        assert_eq!(out, b"\\N-4");
    }
}
