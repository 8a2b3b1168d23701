//! Reading every record the coverage engine needs, in one pass per table.

use std::sync::Arc;

use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

use std::collections::HashMap;

use super::batch::{parse_rows, select_json, select_rows};
use super::{Store, StoreError};
use crate::coverage::raw::{iso_date, AdminKind, Art, Process, Programme, RawData};
use crate::import::Dataset;
use crate::registry::Registry;

fn date(value: &str) -> Result<NaiveDate, sqlx::Error> {
    iso_date(value).ok_or_else(|| {
        sqlx::Error::Decode(format!("stored date {value:?} is not YYYY-MM-DD").into())
    })
}

fn decode_err(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} {value:?} is not known").into())
}

impl Store {
    /// Loads and indexes all records. With the `previous` snapshot's data (same registry), its
    /// registry-derived part is shared, and every table with no import since is taken over
    /// instead of read again: after an import only that dataset's table is read.
    pub async fn load_raw(
        &self,
        registry: Arc<Registry>,
        previous: Option<&RawData>,
    ) -> Result<RawData, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let previous = previous.filter(|p| Arc::ptr_eq(&p.registry, &registry));
        let mut raw = match previous {
            Some(p) => p.empty_like(),
            None => {
                let rows: Vec<(String, String)> =
                    select_rows(&mut conn, "administrations", &["id", "kind"]).await?;
                let mut admins = Vec::with_capacity(rows.len());
                for (id, kind) in rows {
                    let kind = match kind.as_str() {
                        "gemeinde" => AdminKind::Gemeinde,
                        "landratsamt" => AdminKind::Landratsamt,
                        other => return Err(decode_err("administration kind", other).into()),
                    };
                    admins.push((id, kind));
                }
                RawData::index(registry, admins)
            }
        };
        for row in sqlx::query(
            "SELECT dataset, MAX(id), MAX(imported_at) FROM import_log GROUP BY dataset ORDER BY dataset",
        )
        .fetch_all(&mut *conn)
        .await?
        {
            let dataset: String = row.try_get(0)?;
            let at: String = row.try_get(2)?;
            let ts = chrono::DateTime::parse_from_rfc3339(&at)
                .map(|t| t.timestamp())
                .unwrap_or(0);
            raw.import_ids.push((dataset.clone(), row.try_get(1)?));
            raw.last_imports.push((dataset, ts));
        }
        let unchanged = |dataset: Dataset| {
            previous
                .is_some_and(|p| p.import_id(dataset.as_str()) == raw.import_id(dataset.as_str()))
        };
        let keep_processes = unchanged(Dataset::Prozesse);
        let keep_qualifications = unchanged(Dataset::Qualifikationen);
        // Activations point at processes by index: new processes mean reading them again.
        let keep_activations = keep_processes && unchanged(Dataset::Aktivierungen);
        let keep_accounts = unchanged(Dataset::Konten);

        match previous {
            Some(p) if keep_processes => {
                raw.processes = p.processes.clone();
                raw.process_idx = p.process_idx.clone();
            }
            _ => read_processes(&mut conn, &mut raw).await?,
        }
        match previous {
            Some(p) if keep_qualifications => raw.qualifications = p.qualifications.clone(),
            _ => read_qualifications(&mut conn, &mut raw).await?,
        }
        match previous {
            Some(p) if keep_activations => raw.activations = p.activations.clone(),
            _ => read_activations(&mut conn, &mut raw).await?,
        }
        match previous {
            Some(p) if keep_accounts => raw.accounts = p.accounts.clone(),
            _ => read_accounts(&mut conn, &mut raw).await?,
        }
        raw.demo = match previous {
            Some(p) if raw.import_ids == p.import_ids => p.demo,
            _ => {
                let demo: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM import_log WHERE source_name LIKE 'demo:%'",
                )
                .fetch_one(&mut *conn)
                .await?;
                demo > 0
            }
        };
        Ok(raw)
    }
}

async fn read_processes(conn: &mut AnyConnection, raw: &mut RawData) -> Result<(), StoreError> {
    let rows: Vec<(String, String, String, Option<String>)> = select_rows(
        conn,
        "processes",
        &["process_id", "name", "art", "leika_key"],
    )
    .await?;
    raw.set_processes(
        rows.into_iter()
            .map(|(id, name, art, leika)| Process {
                id,
                name,
                art: if art == "universal" {
                    Art::Universal
                } else {
                    Art::Standard
                },
                leika,
            })
            .collect(),
    );
    Ok(())
}

// The large tables come as one JSON document each (see `batch::select_json`), read with borrowed
// strings: no allocation per value. Their columns hold keys, codes and dates, which JSON never
// escapes.

async fn read_qualifications(
    conn: &mut AnyConnection,
    raw: &mut RawData,
) -> Result<(), StoreError> {
    let text = select_json(
        conn,
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
    let rows: Vec<(&str, &str, &str, &str, i64)> = parse_rows(&text, "qualifications")?;
    let mut participants = HashMap::with_capacity(rows.len());
    raw.qualifications.reserve(rows.len());
    for (participant, admin, programme, completed, cents) in rows {
        let programme =
            Programme::parse(programme).ok_or_else(|| decode_err("programme", programme))?;
        raw.add_qualification(
            &mut participants,
            participant,
            admin,
            programme,
            date(completed)?,
            cents,
        );
    }
    Ok(())
}

async fn read_activations(conn: &mut AnyConnection, raw: &mut RawData) -> Result<(), StoreError> {
    let text = select_json(
        conn,
        "activations",
        &[
            "administration_id",
            "process_id",
            "activated_on",
            "deactivated_on",
        ],
    )
    .await?;
    let rows: Vec<(&str, &str, &str, Option<&str>)> = parse_rows(&text, "activations")?;
    raw.activations.reserve(rows.len());
    for (admin, process, from, until) in rows {
        let until = until.map(date).transpose()?;
        raw.add_activation(admin, process, date(from)?, until);
    }
    Ok(())
}

async fn read_accounts(conn: &mut AnyConnection, raw: &mut RawData) -> Result<(), StoreError> {
    let rows: Vec<(String, String, String, i64)> = select_rows(
        conn,
        "servicebw_accounts",
        &["reference_date", "account_type", "scope", "count"],
    )
    .await?;
    for (day, kind, scope, count) in rows {
        raw.add_account(date(&day)?, kind, &scope, count);
    }
    Ok(())
}
