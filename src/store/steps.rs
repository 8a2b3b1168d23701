//! The statements an import runs inside its transaction on either path — the `Any` connection
//! of SQLite imports and the native connection of PostgreSQL `COPY` imports: the import lock,
//! the emptiness probe, the reference check and the import-log row. Written once; the macro
//! gives each connection type its own copy (`steps::any`, `steps::pg`).

/// Takes the import lock row (binds: holder, since); the first write of an import transaction.
pub(super) const TAKE_IMPORT_LOCK: &str =
    "UPDATE import_lock SET holder = $1, since = $2 WHERE id = 1";

/// The statement that makes a transaction wait at most `wait` for another writer's lock.
pub(super) fn lock_wait(backend: super::Backend, wait: std::time::Duration) -> String {
    let ms = wait.as_millis().clamp(1, i32::MAX as u128);
    match backend {
        super::Backend::Sqlite => format!("PRAGMA busy_timeout = {ms}"),
        super::Backend::Postgres => format!("SET LOCAL lock_timeout = '{ms}ms'"),
    }
}

macro_rules! steps_for {
    ($module:ident, $conn:ty) => {
        pub(super) mod $module {
            use crate::model::Dataset;
            use crate::store::log::{Counts, Provenance};
            use crate::store::references::Referenced;
            use crate::store::steps::{lock_wait, TAKE_IMPORT_LOCK};
            use crate::store::{Backend, StoreError};

            /// Takes the import lock row, waiting at most `wait` for another import (in this
            /// process, another process or another replica) to commit; the first write of an
            /// import transaction.
            pub(in crate::store) async fn take_lock(
                conn: &mut $conn,
                backend: Backend,
                wait: std::time::Duration,
                actor: &str,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(&lock_wait(backend, wait))
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(TAKE_IMPORT_LOCK)
                    .bind(actor)
                    .bind(crate::model::clock::now_rfc3339())
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// True when `table` has no rows.
            pub(in crate::store) async fn is_empty(
                conn: &mut $conn,
                table: &str,
            ) -> Result<bool, sqlx::Error> {
                let any: Option<i32> =
                    sqlx::query_scalar(&format!("SELECT 1 FROM {table} LIMIT 1"))
                        .fetch_optional(&mut *conn)
                        .await?;
                Ok(any.is_none())
            }

            /// Checks every referenced key the records carried against its table (one read
            /// of each key table); `busy` maps a lock timeout. (`&mut`: the stream inside is
            /// `Send`, not `Sync`.)
            pub(in crate::store) async fn verify_references(
                conn: &mut $conn,
                records: &mut Referenced<'_>,
                busy: impl Fn(sqlx::Error) -> StoreError,
            ) -> Result<(), StoreError> {
                for (i, sql) in records.queries() {
                    let stored: Vec<String> = sqlx::query_scalar(&sql)
                        .fetch_all(&mut *conn)
                        .await
                        .map_err(&busy)?;
                    records.verify(i, &stored.into_iter().collect())?;
                }
                Ok(())
            }

            /// The import log row of a written import; returns its id (`MAX + 1`, serialised
            /// by the import lock).
            pub(in crate::store) async fn write_log(
                conn: &mut $conn,
                dataset: Dataset,
                counts: &Counts,
                provenance: &Provenance,
            ) -> Result<i64, sqlx::Error> {
                let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM import_log")
                    .fetch_one(&mut *conn)
                    .await?;
                sqlx::query(
                    "INSERT INTO import_log (id, dataset, source_name, checksum, rows_total, \
                     inserted, updated, unchanged, actor, imported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id)
                .bind(dataset.as_str())
                .bind(&provenance.source_name)
                .bind(&provenance.checksum)
                .bind(counts.total)
                .bind(counts.inserted)
                .bind(counts.updated)
                .bind(counts.unchanged)
                .bind(&provenance.actor)
                .bind(crate::model::clock::now_rfc3339())
                .execute(&mut *conn)
                .await?;
                Ok(id)
            }
        }
    };
}

steps_for!(any, sqlx::AnyConnection);
steps_for!(pg, sqlx::PgConnection);
