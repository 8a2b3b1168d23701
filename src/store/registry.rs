//! Registry tables: filling them from the shipped reference data (once, idempotently) and reading
//! the regions back.

use sqlx::Row;

use super::batch::{insert_rows, Cell};
use super::{Store, StoreError};
use crate::registry::reference::{Association, ReferenceData};
use crate::registry::{Edition, LeikaEntry, Level, Region, Registry};

/// What `ensure_registry` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryLoad {
    /// The edition was already present; nothing was written.
    AlreadyPresent,
    /// The tables were filled in this call.
    Loaded,
}

impl Store {
    /// Loads the reference data into an empty database, in one transaction. Running it again (or
    /// twice at once) changes nothing: every insert skips rows that already exist.
    pub async fn ensure_registry(&self, data: &ReferenceData) -> Result<RegistryLoad, StoreError> {
        let present: Vec<String> = sqlx::query_scalar("SELECT edition FROM registry_meta")
            .fetch_all(&self.pool)
            .await?;
        if present.contains(&data.edition.edition) {
            return Ok(RegistryLoad::AlreadyPresent);
        }
        if let Some(other) = present.into_iter().next() {
            // Two registries in one database would mix keys and figures.
            return Err(StoreError::OtherRegistry {
                present: other,
                wanted: data.edition.edition.clone(),
            });
        }

        let mut tx = self.pool.begin().await?;
        for t in registry_tables(data) {
            insert_rows(
                &mut tx,
                t.table,
                t.columns,
                &t.rows,
                "ON CONFLICT DO NOTHING",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(RegistryLoad::Loaded)
    }

    /// Reads every region and the recorded edition back into memory.
    pub async fn load_registry(&self) -> Result<Registry, StoreError> {
        let rows = sqlx::query(
            "SELECT ars, ags, level, name, name_short, kind, parent_ars, kreis, regierungsbezirk, \
             population, area_km2 FROM regions",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut regions = Vec::with_capacity(rows.len());
        for row in rows {
            let level: String = row.try_get("level")?;
            let Some(level) = Level::parse(&level) else {
                return Err(StoreError::Sqlx(sqlx::Error::Decode(
                    format!("unknown region level {level:?}").into(),
                )));
            };
            regions.push(Region {
                ars: row.try_get("ars")?,
                ags: row.try_get("ags")?,
                name: row.try_get("name")?,
                name_short: row.try_get("name_short")?,
                level,
                kind: row.try_get("kind")?,
                parent: row.try_get("parent_ars")?,
                kreis: row.try_get("kreis")?,
                regierungsbezirk: row.try_get("regierungsbezirk")?,
                population: row.try_get("population")?,
                area_km2: row.try_get("area_km2")?,
            });
        }
        let edition = sqlx::query(
            "SELECT edition, gebietsstand, population_date, source FROM registry_meta \
             ORDER BY loaded_at DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?
        .map(|row| -> Result<Edition, sqlx::Error> {
            Ok(Edition {
                edition: row.try_get("edition")?,
                gebietsstand: row.try_get("gebietsstand")?,
                population_date: row.try_get("population_date")?,
                source: row.try_get("source")?,
            })
        })
        .transpose()?;
        let mut leika = std::collections::HashMap::new();
        for row in sqlx::query(
            "SELECT l.leika_key, l.name, l.leika_type, l.ozg_id, o.name AS ozg_name, o.themenfeld \
             FROM leika_services l LEFT JOIN ozg_services o ON o.ozg_id = l.ozg_id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            leika.insert(
                row.try_get::<String, _>("leika_key")?,
                LeikaEntry {
                    name: row.try_get("name")?,
                    leika_type: row.try_get("leika_type")?,
                    ozg_id: row.try_get("ozg_id")?,
                    ozg_name: row.try_get("ozg_name")?,
                    themenfeld: row.try_get("themenfeld")?,
                },
            );
        }
        let associations = self.load_associations().await?;
        let members: Vec<(String, String)> =
            sqlx::query_as("SELECT ars, verband_ars FROM gemeinde_details")
                .fetch_all(&self.pool)
                .await?;
        Ok(Registry::new(regions, edition)
            .with_leika(leika)
            .with_associations(associations, members))
    }

    /// The Gemeindeverbände of the registry tables.
    async fn load_associations(&self) -> Result<Vec<Association>, StoreError> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT verband_ars, name, verband_type, seat, kreis FROM municipal_associations",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(verband_ars, name, kind, seat, kreis)| Association {
                verband_ars,
                name,
                kind,
                seat,
                kreis,
            })
            .collect())
    }

    /// Row counts of the registry tables, for start-up logs and tests.
    pub async fn count(&self, table: &str) -> Result<i64, StoreError> {
        // `table` comes from code, never from input.
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}

/// The rows of one registry table.
struct TableRows {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Cell>>,
}

/// Every registry table's rows, in insert order: parents before children (the hierarchy of
/// regions is enforced by a foreign key), the edition last.
fn registry_tables(data: &ReferenceData) -> Vec<TableRows> {
    let mut tables: Vec<TableRows> = Level::ALL
        .into_iter()
        .map(|level| region_rows(data, level))
        .collect();
    tables.extend([
        planning_region_rows(data),
        association_rows(data),
        gemeinde_detail_rows(data),
        administration_rows(data),
        ozg_rows(data),
        leika_rows(data),
        edition_rows(data),
    ]);
    tables
}

fn region_rows(data: &ReferenceData, level: Level) -> TableRows {
    TableRows {
        table: "regions",
        columns: &[
            "ars",
            "ags",
            "level",
            "name",
            "name_short",
            "kind",
            "parent_ars",
            "kreis",
            "regierungsbezirk",
            "population",
            "area_km2",
        ],
        rows: data
            .regions
            .iter()
            .filter(|r| r.level == level)
            .map(|r| {
                vec![
                    r.ars.clone().into(),
                    r.ags.clone().into(),
                    r.level.as_str().into(),
                    r.name.clone().into(),
                    r.name_short.clone().into(),
                    r.kind.clone().into(),
                    r.parent.clone().into(),
                    r.kreis.clone().into(),
                    r.regierungsbezirk.clone().into(),
                    r.population.into(),
                    r.area_km2.into(),
                ]
            })
            .collect(),
    }
}

fn planning_region_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "planning_regions",
        columns: &["region_key", "name", "seat", "regierungsbezirk"],
        rows: data
            .planning_regions
            .iter()
            .map(|p| {
                vec![
                    p.key.clone().into(),
                    p.name.clone().into(),
                    p.seat.clone().into(),
                    p.regierungsbezirk.clone().into(),
                ]
            })
            .collect(),
    }
}

fn association_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "municipal_associations",
        columns: &["verband_ars", "name", "verband_type", "seat", "kreis"],
        rows: data
            .associations
            .iter()
            .map(|a| {
                vec![
                    a.verband_ars.clone().into(),
                    a.name.clone().into(),
                    a.kind.clone().into(),
                    a.seat.clone().into(),
                    a.kreis.clone().into(),
                ]
            })
            .collect(),
    }
}

fn gemeinde_detail_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "gemeinde_details",
        columns: &[
            "ars",
            "verband_ars",
            "region_key",
            "population_male",
            "plz",
            "plz_unique",
        ],
        rows: data
            .gemeinde_details
            .iter()
            .map(|d| {
                vec![
                    d.ars.clone().into(),
                    d.verband_ars.clone().into(),
                    // None outside Baden-Württemberg.
                    (!d.region_key.is_empty())
                        .then(|| d.region_key.clone())
                        .into(),
                    d.population_male.into(),
                    d.plz.clone().into(),
                    i64::from(d.plz_unique).into(),
                ]
            })
            .collect(),
    }
}

/// Every Gemeinde is an administration; so is every Landratsamt (a Kreis that is not a
/// Stadtkreis, whose administration is the Gemeinde itself).
fn administration_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "administrations",
        columns: &["id", "kind", "region_ars", "kreis"],
        rows: data
            .regions
            .iter()
            .filter_map(|r| match r.level {
                Level::Gemeinde => Some(vec![
                    r.ags.clone().into(),
                    "gemeinde".into(),
                    r.ars.clone().into(),
                    r.kreis.clone().unwrap_or_default().into(),
                ]),
                Level::Kreis if crate::registry::territory::has_kreis_administration(&r.kind) => {
                    Some(vec![
                        r.ars.clone().into(),
                        "landratsamt".into(),
                        r.ars.clone().into(),
                        r.ars.clone().into(),
                    ])
                }
                _ => None,
            })
            .collect(),
    }
}

fn ozg_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "ozg_services",
        columns: &["ozg_id", "name", "lebenslage", "themenfeld"],
        rows: data
            .ozg_services
            .iter()
            .map(|o| {
                vec![
                    o.ozg_id.clone().into(),
                    o.name.clone().into(),
                    o.lebenslage.clone().into(),
                    o.themenfeld.clone().into(),
                ]
            })
            .collect(),
    }
}

fn leika_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "leika_services",
        columns: &["leika_key", "name", "leika_type", "ozg_id"],
        rows: data
            .leika_services
            .iter()
            .map(|l| {
                vec![
                    l.key.clone().into(),
                    l.name.clone().into(),
                    l.leika_type.clone().into(),
                    Some(l.ozg_id.clone()).filter(|s| !s.is_empty()).into(),
                ]
            })
            .collect(),
    }
}

fn edition_rows(data: &ReferenceData) -> TableRows {
    TableRows {
        table: "registry_meta",
        columns: &[
            "edition",
            "gebietsstand",
            "population_date",
            "source",
            "loaded_at",
        ],
        rows: vec![vec![
            data.edition.edition.clone().into(),
            data.edition.gebietsstand.clone().into(),
            data.edition.population_date.clone().into(),
            data.edition.source.clone().into(),
            crate::model::clock::now_rfc3339().into(),
        ]],
    }
}
