//! Reading every record the coverage engine needs, in one pass per table.

use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::Row;

use super::batch::select_rows;
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
        // Each table comes as one JSON document (see `batch::select_rows`).
        let mut conn = self.pool.acquire().await?;
        let text = |v: &serde_json::Value| -> Result<String, sqlx::Error> {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| decode_err("text value", &v.to_string()))
        };
        let int = |v: &serde_json::Value| -> Result<i64, sqlx::Error> {
            v.as_i64()
                .ok_or_else(|| decode_err("integer value", &v.to_string()))
        };
        for row in select_rows(
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
        .await?
        {
            let [participant, admin, programme, completed, cents] = &row[..] else {
                return Err(decode_err("qualification row", &format!("{row:?}")).into());
            };
            let programme = text(programme)?;
            let programme =
                Programme::parse(&programme).ok_or_else(|| decode_err("programme", &programme))?;
            rec.qualifications.push((
                text(participant)?,
                text(admin)?,
                programme,
                date(&text(completed)?)?,
                int(cents)?,
            ));
        }
        for row in select_rows(
            &mut conn,
            "activations",
            &[
                "administration_id",
                "process_id",
                "activated_on",
                "deactivated_on",
            ],
        )
        .await?
        {
            let [admin, process, from, until] = &row[..] else {
                return Err(decode_err("activation row", &format!("{row:?}")).into());
            };
            let until = match until.as_str() {
                Some(u) => Some(date(u)?),
                None => None,
            };
            rec.activations
                .push((text(admin)?, text(process)?, date(&text(from)?)?, until));
        }
        for row in select_rows(
            &mut conn,
            "servicebw_accounts",
            &["reference_date", "account_type", "scope", "count"],
        )
        .await?
        {
            let [day, kind, scope, count] = &row[..] else {
                return Err(decode_err("account row", &format!("{row:?}")).into());
            };
            rec.accounts
                .push((date(&text(day)?)?, text(kind)?, text(scope)?, int(count)?));
        }
        for row in select_rows(&mut conn, "administrations", &["id", "kind"]).await? {
            let [id, kind] = &row[..] else {
                return Err(decode_err("administration row", &format!("{row:?}")).into());
            };
            let kind = match text(kind)?.as_str() {
                "gemeinde" => AdminKind::Gemeinde,
                "landratsamt" => AdminKind::Landratsamt,
                other => return Err(decode_err("administration kind", other).into()),
            };
            rec.administrations.push((text(id)?, kind));
        }
        for row in select_rows(
            &mut conn,
            "processes",
            &["process_id", "name", "art", "leika_key"],
        )
        .await?
        {
            let [id, name, art, leika] = &row[..] else {
                return Err(decode_err("process row", &format!("{row:?}")).into());
            };
            rec.processes.push(Process {
                id: text(id)?,
                name: text(name)?,
                art: if text(art)? == "universal" {
                    Art::Universal
                } else {
                    Art::Standard
                },
                leika: leika.as_str().map(str::to_string),
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
