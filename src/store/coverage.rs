//! Reading every record the coverage engine needs, in one pass per table.

use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::Row;

use super::{Store, StoreError};
use crate::coverage::raw::{AdminKind, Art, Process, Programme, RawData, Records};
use crate::registry::Registry;

fn date(value: &str) -> Result<NaiveDate, sqlx::Error> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|e| sqlx::Error::Decode(format!("stored date {value:?}: {e}").into()))
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} {value:?} is not known").into())
}

impl Store {
    /// Loads and indexes all records.
    pub async fn load_raw(&self, registry: Arc<Registry>) -> Result<RawData, StoreError> {
        let mut rec = Records::default();
        for row in sqlx::query("SELECT id, kind FROM administrations")
            .fetch_all(&self.pool)
            .await?
        {
            let kind: String = row.try_get(1)?;
            let kind = match kind.as_str() {
                "gemeinde" => AdminKind::Gemeinde,
                "landratsamt" => AdminKind::Landratsamt,
                other => return Err(decode_err("administration kind", other).into()),
            };
            rec.administrations.push((row.try_get(0)?, kind));
        }
        for row in sqlx::query("SELECT process_id, name, art, leika_key FROM processes")
            .fetch_all(&self.pool)
            .await?
        {
            let art: String = row.try_get(2)?;
            rec.processes.push(Process {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                art: if art == "universal" {
                    Art::Universal
                } else {
                    Art::Standard
                },
                leika: row.try_get(3)?,
            });
        }
        for row in sqlx::query(
            "SELECT participant_id, administration_id, programme, completed_on, voucher_cents \
             FROM qualifications",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let programme: String = row.try_get(2)?;
            let programme =
                Programme::parse(&programme).ok_or_else(|| decode_err("programme", &programme))?;
            let completed: String = row.try_get(3)?;
            rec.qualifications.push((
                row.try_get(0)?,
                row.try_get(1)?,
                programme,
                date(&completed)?,
                row.try_get(4)?,
            ));
        }
        for row in sqlx::query(
            "SELECT administration_id, process_id, activated_on, deactivated_on FROM activations",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let from: String = row.try_get(2)?;
            let until: Option<String> = row.try_get(3)?;
            rec.activations.push((
                row.try_get(0)?,
                row.try_get(1)?,
                date(&from)?,
                until.as_deref().map(date).transpose()?,
            ));
        }
        for row in
            sqlx::query("SELECT reference_date, account_type, scope, count FROM servicebw_accounts")
                .fetch_all(&self.pool)
                .await?
        {
            let d: String = row.try_get(0)?;
            rec.accounts
                .push((date(&d)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?));
        }
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
