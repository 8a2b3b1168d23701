//! Reading the stored records, one pass per table, into a [`RecordSink`]. Knows nothing of what
//! the reader makes of them.

use chrono::NaiveDate;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Row};

use super::batch::{
    json_pages, parse_rows, rowid_range, select_json, select_pages, select_rows, PAGE_ROWS,
};
use super::{Store, StoreError};
use crate::model::calendar::iso_date;
use crate::model::rows::{
    AccountCount, Activation, DatasetRecord, Flaechendeckung, Onlinedienst, ProcessRecord,
    Qualification,
};
use crate::model::{AdminKind, Art, LastImport, OnlinedienstRef, Process, Programme, RecordSink};

/// The activation columns read back: its key, then its end.
const ACTIVATION_COLUMNS: &[&str] = &[
    Activation::ADMINISTRATION_ID,
    Activation::PROCESS_ID,
    Activation::ACTIVATED_ON,
    Activation::DEACTIVATED_ON,
];

fn date(value: &str) -> Result<NaiveDate, sqlx::Error> {
    iso_date(value).ok_or_else(|| {
        sqlx::Error::Decode(format!("stored date {value:?} is not YYYY-MM-DD").into())
    })
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} {value:?} is not known").into())
}

/// Reads the records on one connection of the pool (one acquisition for a whole load).
#[derive(Debug)]
pub struct RecordReader {
    pub(super) conn: PoolConnection<Any>,
    /// For a second connection where a large table is read by two at once.
    pool: sqlx::AnyPool,
}

impl Store {
    /// A reader of the stored records.
    pub async fn reader(&self) -> Result<RecordReader, StoreError> {
        Ok(RecordReader {
            conn: self.pool.acquire().await?,
            pool: self.pool.clone(),
        })
    }
}

impl RecordReader {
    /// (id, kind) of every administration.
    pub async fn read_administrations(&mut self) -> Result<Vec<(String, AdminKind)>, StoreError> {
        let conn = &mut *self.conn;
        let rows: Vec<(String, String)> =
            select_rows(conn, "administrations", &["id", "kind"]).await?;
        let mut admins = Vec::with_capacity(rows.len());
        for (id, kind) in rows {
            let kind = match kind.as_str() {
                "gemeinde" => AdminKind::Gemeinde,
                "landratsamt" => AdminKind::Landratsamt,
                other => return Err(decode_err("administration kind", other).into()),
            };
            admins.push((id, kind));
        }
        Ok(admins)
    }

    /// The latest import of every dataset ever imported, by dataset name.
    pub async fn last_imports(&mut self) -> Result<Vec<LastImport>, StoreError> {
        let rows = sqlx::query(
            "SELECT dataset, MAX(id), MAX(imported_at) FROM import_log GROUP BY dataset ORDER BY dataset",
        )
        .fetch_all(&mut *self.conn)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let at: String = row.try_get(2)?;
            out.push(LastImport {
                dataset: row.try_get(0)?,
                log_id: row.try_get(1)?,
                at: chrono::DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.timestamp())
                    .unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// True when synthetic demo data was ever imported.
    pub async fn has_demo_imports(&mut self) -> Result<bool, StoreError> {
        let demo: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM import_log WHERE source_name LIKE 'demo:%'")
                .fetch_one(&mut *self.conn)
                .await?;
        Ok(demo > 0)
    }

    /// The process catalogue.
    pub async fn read_processes(&mut self) -> Result<Vec<Process>, StoreError> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = select_rows(
            &mut self.conn,
            "processes",
            &[
                ProcessRecord::PROCESS_ID,
                ProcessRecord::NAME,
                ProcessRecord::ART,
                ProcessRecord::LEIKA_KEY,
                ProcessRecord::REIFEGRAD,
                ProcessRecord::REIFEGRAD_MODELL,
            ],
        )
        .await?;
        rows.into_iter()
            .map(|(id, name, art, leika, level, modell)| {
                let art = Art::parse(&art).ok_or_else(|| decode_err("art", &art))?;
                let reifegrad = match (level, modell) {
                    (Some(level), Some(modell)) => Some(
                        crate::model::Reifegrad::parse(&level, &modell)
                            .map_err(|_| decode_err("reifegrad", &level))?,
                    ),
                    _ => None,
                };
                Ok(Process {
                    id,
                    name,
                    art,
                    leika,
                    reifegrad,
                })
            })
            .collect()
    }

    // The large tables come as one JSON document each (see `batch::select_json`), read with
    // borrowed strings: no allocation per value. Their columns hold keys, codes and dates, which
    // JSON never escapes.

    /// Every qualification into `sink`.
    pub async fn read_qualifications(
        &mut self,
        sink: &mut (dyn RecordSink + Send),
    ) -> Result<(), StoreError> {
        let text = qualifications_json(&mut self.conn).await?;
        let rows: Vec<(&str, &str, &str, &str, i64)> = parse_rows(&text, "qualifications")?;
        for (participant, admin, programme, completed, cents) in rows {
            let programme =
                Programme::parse(programme).ok_or_else(|| decode_err("programme", programme))?;
            sink.qualification(participant, admin, programme, date(completed)?, cents);
        }
        Ok(())
    }

    /// Every activation into `sink`, read in pages (the largest table: millions of rows at
    /// Germany's size), so that memory holds one page of text besides what `sink` keeps.
    pub async fn read_activations(
        &mut self,
        sink: &mut (dyn RecordSink + Send),
    ) -> Result<(), StoreError> {
        let count: i64 = if self.conn.backend_name() == "PostgreSQL" {
            sqlx::query_scalar("SELECT COUNT(*) FROM activations")
                .fetch_one(&mut *self.conn)
                .await?
        } else {
            // The rowid span: exact for a table that never lost rows (activations are only
            // inserted or updated), an upper bound otherwise, and no scan (COUNT(*) reads the
            // whole table).
            match rowid_range(&mut self.conn, "activations").await? {
                (Some(lo), Some(hi)) => hi.saturating_sub(lo).saturating_add(1),
                _ => 0,
            }
        };
        let count = usize::try_from(count).unwrap_or(0);
        sink.expect_activations(count);
        if count <= PAGE_ROWS {
            // One page anyway: one JSON document, read with borrowed strings.
            let text = select_json(&mut self.conn, "activations", ACTIVATION_COLUMNS).await?;
            let rows: Vec<(&str, &str, &str, Option<&str>)> = parse_rows(&text, "activations")?;
            for (admin, process, from, until) in rows {
                let until = until.map(date).transpose()?;
                sink.activation(admin, process, date(from)?, until);
            }
            return Ok(());
        }
        select_pages(
            &mut self.conn,
            &self.pool,
            "activations",
            Activation::KEY,
            ACTIVATION_COLUMNS,
            |page| {
                let (count, last) = page.for_each_row::<4>("activations", |row| {
                    let [admin, process, from, until] = *row;
                    let (Some(admin), Some(process), Some(from)) = (admin, process, from) else {
                        return Err(decode_err("activation", "with an empty key part"));
                    };
                    let until = until.map(date).transpose()?;
                    sink.activation(admin, process, date(from)?, until);
                    Ok(())
                })?;
                let last = last
                    .map(|r| r[..3].iter().map(|f| f.unwrap_or("").to_string()).collect())
                    .unwrap_or_default();
                Ok((count, last))
            },
        )
        .await?;
        Ok(())
    }

    /// Every stored Onlinedienst into `sink`, in pages of JSON rows by the primary key (names
    /// and addresses may hold anything, so the JSON escapes them): memory holds one page.
    pub async fn read_onlinedienste(
        &mut self,
        sink: &mut (dyn RecordSink + Send),
    ) -> Result<(), StoreError> {
        // Keys, codes and dates as borrowed text; the name and the URL may hold escapes.
        type Row<'t> = (&'t str, &'t str, &'t str, String, String, &'t str, &'t str);
        json_pages(
            &mut self.conn,
            "onlinedienste",
            Onlinedienst::KEY,
            &[
                Onlinedienst::SNAPSHOT_DATE,
                Onlinedienst::ARS,
                Onlinedienst::LEIKA_KEY,
                Onlinedienst::URL,
                Onlinedienst::LEIKA_NAME,
                Onlinedienst::ONLINE_STATUS,
                Onlinedienst::ART_FLAECHENDECKUNG,
            ],
            |text| {
                let rows: Vec<Row<'_>> = parse_rows(text, "onlinedienste")?;
                for (snapshot, ars, leika, url, leika_name, status, class) in &rows {
                    let flaechendeckung = Flaechendeckung::parse(class)
                        .ok_or_else(|| decode_err("art_flaechendeckung", class))?;
                    sink.onlinedienst(OnlinedienstRef {
                        snapshot: date(snapshot)?,
                        ars,
                        leika,
                        url,
                        leika_name,
                        online_ok: *status == Onlinedienst::status_text(true),
                        flaechendeckung,
                    });
                }
                let last = rows
                    .last()
                    .map(|r| vec![r.0.into(), r.1.into(), r.2.into(), r.3.clone()])
                    .unwrap_or_default();
                Ok((rows.len(), last))
            },
        )
        .await?;
        Ok(())
    }

    /// Every account count into `sink`.
    pub async fn read_accounts(
        &mut self,
        sink: &mut (dyn RecordSink + Send),
    ) -> Result<(), StoreError> {
        let rows: Vec<(String, String, String, i64)> = select_rows(
            &mut self.conn,
            "servicebw_accounts",
            &[
                AccountCount::REFERENCE_DATE,
                AccountCount::ACCOUNT_TYPE,
                AccountCount::SCOPE,
                AccountCount::COUNT,
            ],
        )
        .await?;
        for (day, kind, scope, count) in rows {
            sink.account(date(&day)?, &kind, &scope, count);
        }
        Ok(())
    }
}

async fn qualifications_json(conn: &mut AnyConnection) -> Result<String, sqlx::Error> {
    select_json(
        conn,
        "qualifications",
        &[
            Qualification::PARTICIPANT_ID,
            Qualification::ADMINISTRATION_ID,
            Qualification::PROGRAMME,
            Qualification::COMPLETED_ON,
            Qualification::VOUCHER_CENTS,
        ],
    )
    .await
}
