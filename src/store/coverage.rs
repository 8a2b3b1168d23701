//! Reading every record the coverage engine needs, in one pass per table.

use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::Row;

use super::batch::select_rows;
use super::{Store, StoreError};
use crate::coverage::raw::{AdminKind, Art, Process, Programme, RawData, Records};
use crate::registry::Registry;

/// Stored dates are ISO `YYYY-MM-DD` (written by the import); parsed by hand because this runs for
/// every record on every rebuild.
fn date(value: &str) -> Result<NaiveDate, sqlx::Error> {
    let b = value.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?))
        .flatten();
    parsed.ok_or_else(|| {
        sqlx::Error::Decode(format!("stored date {value:?} is not YYYY-MM-DD").into())
    })
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} {value:?} is not known").into())
}

impl Store {
    /// Loads and indexes all records.
    pub async fn load_raw(&self, registry: Arc<Registry>) -> Result<RawData, StoreError> {
        let mut rec = Records::default();
        // Each table comes as one JSON document of typed rows (see `batch::select_rows`).
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<(String, String, String, String, i64)> = select_rows(
            &mut conn,
            "qualifications",
            &[
                "participant_id",
                "administration_id",
                "programme",
                "completed_on",
                "voucher_cents",
            ],
        )
        .await?;
        for (participant, admin, programme, completed, cents) in rows {
            let programme =
                Programme::parse(&programme).ok_or_else(|| decode_err("programme", &programme))?;
            rec.qualifications
                .push((participant, admin, programme, date(&completed)?, cents));
        }
        let rows: Vec<(String, String, String, Option<String>)> = select_rows(
            &mut conn,
            "activations",
            &[
                "administration_id",
                "process_id",
                "activated_on",
                "deactivated_on",
            ],
        )
        .await?;
        for (admin, process, from, until) in rows {
            let until = until.as_deref().map(date).transpose()?;
            rec.activations.push((admin, process, date(&from)?, until));
        }
        let rows: Vec<(String, String, String, i64)> = select_rows(
            &mut conn,
            "servicebw_accounts",
            &["reference_date", "account_type", "scope", "count"],
        )
        .await?;
        for (day, kind, scope, count) in rows {
            rec.accounts.push((date(&day)?, kind, scope, count));
        }
        let rows: Vec<(String, String)> =
            select_rows(&mut conn, "administrations", &["id", "kind"]).await?;
        for (id, kind) in rows {
            let kind = match kind.as_str() {
                "gemeinde" => AdminKind::Gemeinde,
                "landratsamt" => AdminKind::Landratsamt,
                other => return Err(decode_err("administration kind", other).into()),
            };
            rec.administrations.push((id, kind));
        }
        let rows: Vec<(String, String, String, Option<String>)> = select_rows(
            &mut conn,
            "processes",
            &["process_id", "name", "art", "leika_key"],
        )
        .await?;
        for (id, name, art, leika) in rows {
            rec.processes.push(Process {
                id,
                name,
                art: if art == "universal" {
                    Art::Universal
                } else {
                    Art::Standard
                },
                leika,
            });
        }
        drop(conn);
        for row in sqlx::query("SELECT dataset, MAX(imported_at) FROM import_log GROUP BY dataset")
            .fetch_all(&self.pool)
            .await?
        {
            let at: String = row.try_get(1)?;
            let ts = chrono::DateTime::parse_from_rfc3339(&at)
                .map(|t| t.timestamp())
                .unwrap_or(0);
            rec.last_imports.push((row.try_get(0)?, ts));
        }
        let demo: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_log WHERE source_name LIKE 'demo:%'")
                .fetch_one(&self.pool)
                .await?;
        rec.demo = demo > 0;
        Ok(RawData::build(registry, rec))
    }
}
