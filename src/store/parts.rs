//! Data derived from the records and kept beside them (`snapshot_parts`): parts of bytes under a
//! name and a key that says what they were made from. The store does not interpret them; a reader
//! names the key it expects and is told when the stored parts were made from something else.

use sqlx::Row;

use super::records::RecordReader;
use super::{Store, StoreError};

/// What [`RecordReader::read_parts`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartsRead {
    /// Every part was handed over.
    Read,
    /// Nothing stored under the name, or made from something else (the stored key).
    Absent(Option<String>),
    /// The reader refused a part (its reason): what it took so far is to be dropped.
    Refused(String),
}

impl RecordReader {
    /// Hands every part stored under `name` with `key` to `each(total, rows, bytes)`, in order,
    /// one part in memory at a time; `total` is the number of rows of all parts.
    pub async fn read_parts(
        &mut self,
        name: &str,
        key: &str,
        mut each: impl FnMut(usize, usize, &[u8]) -> Result<(), String>,
    ) -> Result<PartsRead, StoreError> {
        let conn = &mut *self.conn;
        let stored: Option<(String, i64, i64)> = sqlx::query_as(
            "SELECT MIN(key), COUNT(*), CAST(SUM(row_count) AS BIGINT) FROM snapshot_parts WHERE name = $1 \
             HAVING COUNT(*) > 0",
        )
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
        let (count, total) = match stored {
            Some((stored, count, rows)) if stored == key => {
                (count, usize::try_from(rows).unwrap_or(0))
            }
            other => return Ok(PartsRead::Absent(other.map(|(k, _, _)| k))),
        };
        for seq in 0..count {
            let row = sqlx::query(
                "SELECT row_count, bytes FROM snapshot_parts WHERE name = $1 AND seq = $2 AND key = $3",
            )
            .bind(name)
            .bind(seq)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?;
            let Some(row) = row else {
                return Ok(PartsRead::Refused(format!("part {seq} of {count} missing")));
            };
            let rows: i64 = row.try_get(0)?;
            let bytes: Vec<u8> = row.try_get(1)?;
            let Ok(rows) = usize::try_from(rows) else {
                return Ok(PartsRead::Refused(format!("part {seq}: {rows} rows")));
            };
            if let Err(why) = each(total, rows, &bytes) {
                return Ok(PartsRead::Refused(format!("part {seq}: {why}")));
            }
        }
        Ok(PartsRead::Read)
    }
}

impl RecordReader {
    /// Removes everything stored under `name` (parts a reader refused: the next write must not
    /// take them for current because their key matches).
    pub async fn forget_parts(&mut self, name: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM snapshot_parts WHERE name = $1")
            .bind(name)
            .execute(&mut *self.conn)
            .await?;
        Ok(())
    }
}

impl Store {
    /// The key of what is stored under `name`, if anything.
    pub async fn parts_key(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT key FROM snapshot_parts WHERE name = $1 AND seq = 0")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Replaces everything stored under `name` by `parts` (rows, bytes) made from `key`, in one
    /// transaction; returns the bytes written.
    pub async fn replace_parts(
        &self,
        name: &str,
        key: &str,
        parts: impl Iterator<Item = (usize, Vec<u8>)>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM snapshot_parts WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        let mut written = 0;
        for (seq, (rows, bytes)) in parts.enumerate() {
            written += bytes.len();
            sqlx::query(
                "INSERT INTO snapshot_parts (name, seq, key, row_count, bytes) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(name)
            .bind(seq as i64)
            .bind(key)
            .bind(rows as i64)
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}
