//! Import tables: the validation context, the diff of a delivery against what is stored, writing
//! it in one transaction, and the import log.

use sqlx::{AnyConnection, Row};

use super::batch::insert_records_sqlite;
use super::fingerprint::{self, CellRef};
use super::references::Referenced;
use super::steps::any as steps;
use super::tables::{ColType, StorageSpec};
use super::{Store, StoreError};
use crate::model::{push_key_part, Dataset, KnownKeys as Context, Record, RecordStream};

pub use super::log::{Counts, Failure, LogEntry, Provenance};

/// The stored rows of a table in key order, a page at a time (keyset pagination through the
/// primary key), as fingerprints: an import's sorted records are merged against it, so that a
/// re-import reads the table once, in order, in bounded memory. SQLite only (its text order is
/// byte order, the order of the records' joined keys); PostgreSQL imports go through `copy.rs`.
struct StoredCursor<'s> {
    spec: &'s StorageSpec,
    /// The current page: (joined key, value fingerprint), sorted.
    page: std::collections::VecDeque<(String, u128)>,
    /// The last key part values read, where the next page starts.
    after: Option<Vec<String>>,
    done: bool,
}

impl<'s> StoredCursor<'s> {
    fn new(spec: &'s StorageSpec) -> StoredCursor<'s> {
        StoredCursor {
            spec,
            page: Default::default(),
            after: None,
            done: false,
        }
    }

    /// The value fingerprint stored under `key`, if any; keys must be asked in increasing order.
    async fn find(
        &mut self,
        conn: &mut AnyConnection,
        key: &str,
    ) -> Result<Option<u128>, sqlx::Error> {
        loop {
            while self.page.front().is_some_and(|(k, _)| k.as_str() < key) {
                self.page.pop_front();
            }
            if let Some((k, fp)) = self.page.front() {
                return Ok((k == key).then_some(*fp));
            }
            if self.done {
                return Ok(None);
            }
            self.next_page(conn).await?;
        }
    }

    async fn next_page(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let spec = self.spec;
        let cols = spec.columns();
        let order = spec.key.join(", ");
        let filter = match &self.after {
            Some(_) => format!(
                "WHERE ({order}) > ({})",
                (1..=spec.key.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT json_group_array(json_array({c})) FROM \
             (SELECT {c} FROM {t} {filter} ORDER BY {order} LIMIT {WRITE_BATCH})",
            c = cols.join(", "),
            t = spec.table,
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for part in self.after.iter().flatten() {
            q = q.bind(part.clone());
        }
        let text = q.fetch_one(&mut *conn).await?;
        let mut rows: Vec<(String, u128)> = Vec::new();
        let mut de = serde_json::Deserializer::from_str(&text);
        serde::Deserializer::deserialize_seq(
            &mut de,
            StoredRows {
                spec,
                rows: &mut rows,
            },
        )
        .map_err(|e| {
            sqlx::Error::Decode(format!("unexpected stored value in {}: {e}", spec.table).into())
        })?;
        self.done = rows.len() < WRITE_BATCH;
        rows.sort_unstable();
        if let Some((last, _)) = rows.last() {
            self.after = Some(crate::model::split_key(last));
        }
        self.page = rows.into();
        Ok(())
    }
}

/// Visits the rows of a [`select_json`] document, each `[key parts…, values…]`.
struct StoredRows<'s, 'm> {
    spec: &'s StorageSpec,
    rows: &'m mut Vec<(String, u128)>,
}

impl<'de> serde::de::Visitor<'de> for StoredRows<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let n_key = self.spec.key.len();
        let mut key = String::new();
        while let Some(row) = seq.next_element::<Vec<serde_json::Value>>()? {
            let bad = || A::Error::custom("a key part is not text or a value has the wrong type");
            key.clear();
            for (i, part) in row.get(..n_key).ok_or_else(bad)?.iter().enumerate() {
                push_key_part(&mut key, i, part.as_str().ok_or_else(bad)?);
            }
            let mut values = fingerprint::Fingerprint::new();
            for (j, (_, ty)) in self.spec.values.iter().enumerate() {
                let v = row.get(n_key + j).ok_or_else(bad)?;
                values.cell(match ty {
                    ColType::Text => CellRef::Text(v.as_str().ok_or_else(bad)?),
                    ColType::OptText => CellRef::OptText(v.as_str()),
                    ColType::Int => CellRef::Int(v.as_i64().ok_or_else(bad)?),
                });
            }
            self.rows.push((key.clone(), values.finish()));
        }
        Ok(())
    }
}

impl Store {
    /// Everything validation checks records against.
    pub async fn import_context(&self) -> Result<Context, StoreError> {
        let mut ctx = Context::default();
        for row in sqlx::query("SELECT id FROM administrations")
            .fetch_all(&self.pool)
            .await?
        {
            ctx.administrations.insert(row.try_get(0)?);
        }
        // The kinds that are a city in one (one home: `registry::territory`).
        for row in sqlx::query("SELECT ars, kind FROM regions WHERE level = 'kreis'")
            .fetch_all(&self.pool)
            .await?
        {
            let kind: String = row.try_get(1)?;
            if crate::registry::territory::is_kreisfreie_stadt(&kind) {
                ctx.stadtkreise.insert(row.try_get(0)?);
            }
        }
        for row in sqlx::query("SELECT process_id FROM processes")
            .fetch_all(&self.pool)
            .await?
        {
            ctx.processes.insert(row.try_get(0)?);
        }
        for row in sqlx::query("SELECT leika_key FROM leika_services")
            .fetch_all(&self.pool)
            .await?
        {
            ctx.leika_keys.insert(row.try_get(0)?);
        }
        for row in sqlx::query(
            "SELECT ars FROM regions UNION ALL SELECT verband_ars FROM municipal_associations",
        )
        .fetch_all(&self.pool)
        .await?
        {
            ctx.ars.insert(row.try_get(0)?);
        }
        Ok(ctx)
    }

    /// Writes `records` (sorted by key, each key once) in one transaction: new keys are
    /// inserted, changed ones updated in place, equal ones left alone; then the import log row,
    /// whose id is returned (0 for a dry run). With `dry_run` nothing is written and the counts
    /// say what would have happened. Records are compared and written [`WRITE_BATCH`] at a time,
    /// so memory does not grow with the delivery. `None` when the stream stopped (nothing
    /// written).
    pub async fn apply_import(
        &self,
        dataset: Dataset,
        records: &mut dyn RecordStream,
        provenance: &Provenance,
        dry_run: bool,
        wait: std::time::Duration,
    ) -> Result<Option<(Counts, i64)>, StoreError> {
        let spec = dataset.storage();
        let records = &mut Referenced::new(&spec, records);
        if let Some(pool) = &self.copy_pool {
            return self
                .apply_import_copy(pool, dataset, records, provenance, dry_run, wait)
                .await;
        }
        let busy = busy_after(wait);
        let sqlite = self.backend == super::Backend::Sqlite;
        let mut conn = self.pool.acquire().await?;
        if sqlite {
            sqlx::query(super::IMPORT_CACHE).execute(&mut *conn).await?;
        }
        let outcome = async {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            let result = self
                .apply_in(&mut tx, dataset, records, provenance, dry_run, wait)
                .await;
            match &result {
                Ok(Some((_, log_id))) if *log_id > 0 => tx.commit().await.map_err(busy)?,
                _ => tx.rollback().await?,
            }
            result
        }
        .await;
        if sqlite {
            // Closed rather than handed back to the pool: its prepared batch inserts (up to
            // 32,766 parameters each, 1–2 MB of SQLite's heap apiece; the Baden-Württemberg demo's
            // imports left 17 MB of them over four connections, which sqlx's `Any` driver cannot
            // clear) and its import cache go with it; the pool opens a reader when one is needed.
            let _ = conn.close().await;
            crate::memory::trim_c_heap();
        }
        outcome
    }

    /// The body of [`Store::apply_import`] inside its transaction; the caller commits when a log
    /// id comes back.
    async fn apply_in(
        &self,
        tx: &mut AnyConnection,
        dataset: Dataset,
        records: &mut Referenced<'_>,
        provenance: &Provenance,
        dry_run: bool,
        wait: std::time::Duration,
    ) -> Result<Option<(Counts, i64)>, StoreError> {
        let busy = busy_after(wait);
        let spec = dataset.storage();
        if !dry_run {
            // First statement of the transaction, so that it waits for another writer (and the
            // rows read below are the ones this import changes).
            steps::take_lock(&mut *tx, self.backend, wait, &provenance.actor)
                .await
                .map_err(busy)?;
        }
        let was_empty = steps::is_empty(&mut *tx, spec.table).await.map_err(busy)?;
        let mut counts = Counts::default();
        let mut cursor = StoredCursor::new(&spec);
        let Some(mut batch) = next_batch(records).await else {
            return Ok(None);
        };
        while !batch.is_empty() {
            // A table empty before this import holds only this import's keys, each once.
            let mut stored = Vec::with_capacity(batch.len());
            for r in &batch {
                stored.push(if was_empty {
                    None
                } else {
                    cursor.find(&mut *tx, &r.key).await.map_err(busy)?
                });
            }
            let plan = Plan::of(&batch, &stored);
            counts.add(&plan.counts);
            // The next batch is merged from the runs while SQLite writes this one.
            let (written, next) = tokio::join!(
                async {
                    if dry_run {
                        return Ok(());
                    }
                    write_records(&mut *tx, &spec, &plan).await
                },
                next_batch(records)
            );
            written.map_err(busy)?;
            let Some(next) = next else {
                return Ok(None);
            };
            drop(plan);
            batch = next;
        }
        steps::verify_references(&mut *tx, records, busy).await?;
        if dry_run {
            return Ok(Some((counts, 0)));
        }
        let log_id = steps::write_log(&mut *tx, dataset, &counts, provenance).await?;
        Ok(Some((counts, log_id)))
    }

    /// Records a refused or failed import (best effort: a failure to record is only logged).
    pub async fn record_failure(&self, failure: &Failure) {
        let result = sqlx::query(
            "INSERT INTO import_failures (id, dataset, source_name, actor, reason, message, \
             failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&failure.id)
        .bind(&failure.dataset)
        .bind(&failure.source_name)
        .bind(&failure.actor)
        .bind(&failure.reason)
        .bind(&failure.message)
        .bind(&failure.failed_at)
        .execute(&self.pool)
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, dataset = %failure.dataset, "cannot record a failed import");
        }
    }

    /// The latest failed or refused imports, newest first.
    pub async fn import_failures(&self, limit: i64) -> Result<Vec<Failure>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, dataset, source_name, actor, reason, message, failed_at \
             FROM import_failures ORDER BY failed_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Failure {
                    id: row.try_get("id")?,
                    dataset: row.try_get("dataset")?,
                    source_name: row.try_get("source_name")?,
                    actor: row.try_get("actor")?,
                    reason: row.try_get("reason")?,
                    message: row.try_get("message")?,
                    failed_at: row.try_get("failed_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The newest import-log id (0 when nothing was imported): a cheap probe for imports made
    /// by other processes or replicas.
    pub async fn latest_import_id(&self) -> Result<i64, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM import_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(id.unwrap_or(0))
    }

    /// The import log, newest first.
    pub async fn import_log(&self, limit: i64) -> Result<Vec<LogEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, dataset, source_name, checksum, rows_total, inserted, updated, unchanged, \
             actor, imported_at FROM import_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(LogEntry {
                    id: row.try_get("id")?,
                    dataset: row.try_get("dataset")?,
                    source_name: row.try_get("source_name")?,
                    checksum: row.try_get("checksum")?,
                    rows_total: row.try_get("rows_total")?,
                    inserted: row.try_get("inserted")?,
                    updated: row.try_get("updated")?,
                    unchanged: row.try_get("unchanged")?,
                    actor: row.try_get("actor")?,
                    imported_at: row.try_get("imported_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

/// Maps a database error to [`StoreError::Busy`] when another writer held the lock for `wait`.
pub(super) fn busy_after(wait: std::time::Duration) -> impl Fn(sqlx::Error) -> StoreError + Copy {
    move |e| {
        if super::is_busy(&e) {
            StoreError::Busy {
                waited_s: wait.as_secs(),
            }
        } else {
            StoreError::Sqlx(e)
        }
    }
}

/// Records compared and written per round trip of [`Store::apply_import`].
pub const WRITE_BATCH: usize = 20_000;

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.total += other.total;
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// The next [`WRITE_BATCH`] records of the stream (fewer at its end, none after it); `None`
/// when the stream stopped.
/// Yields every 1,024 records, so that a write running beside it (in `join!`) sends its next
/// statement as soon as SQLite finished the previous one.
async fn next_batch(records: &mut dyn RecordStream) -> Option<Vec<Record>> {
    let mut batch = Vec::with_capacity(WRITE_BATCH);
    while batch.len() < WRITE_BATCH {
        match records.next_record() {
            Ok(Some(r)) => batch.push(r),
            Ok(None) => break,
            Err(_) => return None,
        }
        if batch.len() % 1024 == 0 {
            tokio::task::yield_now().await;
        }
    }
    Some(batch)
}

/// What an import changes: the new records, the changed ones, and the counts.
struct Plan<'r> {
    inserts: Vec<&'r Record>,
    updates: Vec<&'r Record>,
    counts: Counts,
}

impl<'r> Plan<'r> {
    /// Compares `records` with the `stored` value fingerprints under their keys (`None`: new).
    fn of(records: &'r [Record], stored: &[Option<u128>]) -> Plan<'r> {
        let mut plan = Plan {
            inserts: Vec::new(),
            updates: Vec::new(),
            counts: Counts {
                total: records.len() as i64,
                ..Counts::default()
            },
        };
        for (r, stored) in records.iter().zip(stored) {
            match stored {
                None => {
                    plan.counts.inserted += 1;
                    plan.inserts.push(r);
                }
                Some(v) if *v == fingerprint::of_cells(r.values.iter().map(CellRef::from)) => {
                    plan.counts.unchanged += 1
                }
                Some(_) => {
                    plan.counts.updated += 1;
                    plan.updates.push(r);
                }
            }
        }
        plan
    }
}

/// Inserts the new records and updates the changed ones in place (SQLite: PostgreSQL imports
/// go through `copy.rs`).
async fn write_records(
    tx: &mut AnyConnection,
    spec: &StorageSpec,
    plan: &Plan<'_>,
) -> Result<(), sqlx::Error> {
    let columns = spec.columns();
    insert_records_sqlite(tx, spec.table, &columns, &plan.inserts, "").await?;
    let upsert = format!(
        "ON CONFLICT ({}) DO UPDATE SET {}",
        spec.key.join(", "),
        spec.values
            .iter()
            .map(|(n, _)| format!("{n} = excluded.{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    insert_records_sqlite(tx, spec.table, &columns, &plan.updates, &upsert).await
}
