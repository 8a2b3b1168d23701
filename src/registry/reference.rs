//! The official reference data shipped with the binary (embedded at compile time, see data/SOURCES.md):
//! Destatis GV100AD (Gebietsstand 30.11.2025, population 31.12.2024) and the OZG/LeiKa catalogue.

use serde::Deserialize;

use super::{Edition, Level, Region};

/// Which edition of the reference data this build ships.
pub const EDITION: &str = "GV100AD_30112025";
pub const GEBIETSSTAND: &str = "2025-11-30";
pub const POPULATION_DATE: &str = "2024-12-31";
pub const SOURCE: &str = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2025, dl-de/by-2-0 (Daten auszugsweise, umformatiert)";
pub const LAND_KEY: &str = "08";
pub const LAND_NAME: &str = "Baden-Württemberg";

const GEMEINDEN_CSV: &str = include_str!("../../data/gemeinden-bw.csv");
const KREISE_CSV: &str = include_str!("../../data/kreise-bw.csv");
const REGIERUNGSBEZIRKE_CSV: &str = include_str!("../../data/regierungsbezirke-bw.csv");
pub(super) const REGIONEN_CSV: &str = include_str!("../../data/regionen-bw.csv");
const VERBAENDE_CSV: &str = include_str!("../../data/verwaltungsverbaende-bw.csv");
const OZG_LEISTUNGEN_CSV: &str = include_str!("../../data/ozg/ozg-leistungen.csv");
const LEIKA_CSV: &str = include_str!("../../data/ozg/leika-leistungen.csv");
const THEMENFELDER_CSV: &str = include_str!("../../data/ozg/ozg-themenfelder.csv");

/// The Themenfelder of the shipped OZG catalogue, in its order.
pub fn shipped_themenfelder() -> Vec<&'static str> {
    THEMENFELDER_CSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|t| !t.is_empty())
        .collect()
}
pub const GEMEINDEN_GEOJSON: &str = include_str!("../../data/gemeinden-bw.geojson");
pub const KREISE_GEOJSON: &str = include_str!("../../data/kreise-bw.geojson");

#[derive(Debug, Deserialize)]
pub(super) struct GemeindeRow {
    pub(super) ars: String,
    ags: String,
    name: String,
    name_kurz: String,
    gemeindetyp: String,
    verband_ars: String,
    kreis_ars: String,
    pub(super) regierungsbezirk_ars: String,
    region_schluessel: String,
    population: i64,
    population_male: i64,
    area_km2: f64,
    plz: String,
    plz_eindeutig: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct KreisRow {
    pub(super) kreis_ars: String,
    name: String,
    name_gv: String,
    kreis_typ: String,
    pub(super) regierungsbezirk_ars: String,
    population: i64,
    area_km2: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct RbRow {
    pub(super) regierungsbezirk_ars: String,
    name: String,
    /// `Regierungsbezirk`, or a statistical-only unit (`Statistische Region`, a former
    /// Regierungsbezirk); empty in the Baden-Württemberg file.
    #[serde(default)]
    pub(super) art: String,
}

/// A planning region (Regionalverband).
#[derive(Debug, Clone, Deserialize)]
pub struct PlanningRegion {
    #[serde(rename = "region_schluessel")]
    pub key: String,
    pub name: String,
    #[serde(rename = "verwaltungssitz")]
    pub seat: String,
    #[serde(rename = "regierungsbezirk_ars")]
    pub regierungsbezirk: String,
}

/// A Gemeindeverband (verbandsfreie Gemeinde, VVG or GVV).
#[derive(Debug, Clone, Deserialize)]
pub struct Association {
    pub verband_ars: String,
    pub name: String,
    #[serde(rename = "verband_typ")]
    pub kind: String,
    #[serde(rename = "verwaltungssitz")]
    pub seat: String,
    #[serde(rename = "kreis_ars")]
    pub kreis: String,
}

/// Attributes only a Gemeinde has.
#[derive(Debug, Clone)]
pub struct GemeindeDetail {
    pub ars: String,
    pub verband_ars: String,
    pub region_key: String,
    pub population_male: i64,
    pub plz: String,
    pub plz_unique: bool,
}

/// An OZG-Leistung of the federal catalogue.
#[derive(Debug, Clone, Deserialize)]
pub struct OzgService {
    pub ozg_id: String,
    pub name: String,
    pub lebenslage: String,
    pub themenfeld: String,
}

/// A LeiKa-Leistung with its 14-digit key.
#[derive(Debug, Clone, Deserialize)]
pub struct LeikaService {
    #[serde(rename = "leika_schluessel")]
    pub key: String,
    pub name: String,
    #[serde(rename = "typ")]
    pub leika_type: String,
    pub ozg_id: String,
}

/// Everything the registry tables are filled from: the embedded files, or a directory of files in
/// the same formats (`--registry DIR`, e.g. the synthetic Germany of `demo --scale de`).
#[derive(Debug, Clone)]
pub struct ReferenceData {
    /// Which edition this is; a database holds exactly one.
    pub edition: Edition,
    /// Länder, Regierungsbezirke, Kreise, Gemeinden, in that order (parents before children).
    pub regions: Vec<Region>,
    pub planning_regions: Vec<PlanningRegion>,
    pub associations: Vec<Association>,
    pub gemeinde_details: Vec<GemeindeDetail>,
    pub ozg_services: Vec<OzgService>,
    pub leika_services: Vec<LeikaService>,
}

/// A registry file that cannot be used, with the file, line and field.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}, line {line}: {message}")]
    Parse {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// A Land as listed in `laender.csv`.
#[derive(Debug, Deserialize)]
pub(super) struct LandRow {
    pub(super) land_ars: String,
    name: String,
}

/// The edition as written in `edition.csv` (one row).
#[derive(Debug, Deserialize)]
struct EditionRow {
    edition: String,
    gebietsstand: String,
    population_date: String,
    source: String,
}

pub(super) fn parse<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<Vec<T>, ReferenceError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .map(|row| {
            row.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                        Some(f) => format!("field {}: {}", f + 1, err.kind()),
                        None => err.kind().to_string(),
                    },
                    _ => e.to_string(),
                };
                ReferenceError::Parse {
                    file: file.to_string(),
                    line,
                    message,
                }
            })
        })
        .collect()
}

/// The registry files by name, as text.
struct Files<'a> {
    laender: Vec<LandRow>,
    regierungsbezirke: &'a str,
    kreise: &'a str,
    gemeinden: &'a str,
    regionen: &'a str,
    verbaende: &'a str,
}

/// File names of a registry directory (`--registry DIR`).
pub const DIR_FILES: [&str; 7] = [
    "edition.csv",
    "laender.csv",
    "regierungsbezirke.csv",
    "kreise.csv",
    "gemeinden.csv",
    "regionen.csv",
    "verwaltungsverbaende.csv",
];

impl ReferenceData {
    /// Parses the embedded files (Baden-Württemberg). Pure and deterministic.
    pub fn embedded() -> Self {
        let files = Files {
            laender: vec![LandRow {
                land_ars: LAND_KEY.into(),
                name: LAND_NAME.into(),
            }],
            regierungsbezirke: REGIERUNGSBEZIRKE_CSV,
            kreise: KREISE_CSV,
            gemeinden: GEMEINDEN_CSV,
            regionen: REGIONEN_CSV,
            verbaende: VERBAENDE_CSV,
        };
        let edition = Edition {
            edition: EDITION.into(),
            gebietsstand: GEBIETSSTAND.into(),
            population_date: POPULATION_DATE.into(),
            source: SOURCE.into(),
        };
        // The files are part of the build; a broken one is a build defect, caught by the tests.
        Self::build(edition, files).unwrap_or_else(|e| panic!("embedded registry: {e}"))
    }

    /// Reads a registry directory: the files of [`DIR_FILES`], in the formats of the embedded
    /// ones (see docs/import-formats.md). The OZG/LeiKa catalogue stays the embedded one.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, ReferenceError> {
        let name = |n: &str| dir.join(n).display().to_string();
        let mut texts = Vec::with_capacity(DIR_FILES.len());
        for file in DIR_FILES {
            texts.push(std::fs::read_to_string(dir.join(file)).map_err(|source| {
                ReferenceError::Read {
                    file: name(file),
                    source,
                }
            })?);
        }
        // Errors name the directory's files.
        Self::from_texts(&texts).map_err(|err| match err {
            ReferenceError::Parse {
                file,
                line,
                message,
            } => ReferenceError::Parse {
                file: name(&file),
                line,
                message,
            },
            ReferenceError::Invalid { file, message } => ReferenceError::Invalid {
                file: name(&file),
                message,
            },
            other => other,
        })
    }

    /// Parses the texts of the files of [`DIR_FILES`], in that order.
    pub fn from_texts(texts: &[String]) -> Result<Self, ReferenceError> {
        let text = |i: usize| texts.get(i).map(String::as_str).unwrap_or_default();
        let mut editions: Vec<EditionRow> = parse(DIR_FILES[0], text(0))?;
        if editions.len() != 1 {
            return Err(ReferenceError::Invalid {
                file: DIR_FILES[0].into(),
                message: format!("expected exactly one row, found {}", editions.len()),
            });
        }
        let e = editions.remove(0);
        let files = Files {
            laender: parse(DIR_FILES[1], text(1))?,
            regierungsbezirke: text(2),
            kreise: text(3),
            gemeinden: text(4),
            regionen: text(5),
            verbaende: text(6),
        };
        let edition = Edition {
            edition: e.edition,
            gebietsstand: e.gebietsstand,
            population_date: e.population_date,
            source: e.source,
        };
        Self::build(edition, files)
    }

    fn build(edition: Edition, files: Files<'_>) -> Result<Self, ReferenceError> {
        Self::from_rows(
            edition,
            Rows {
                laender: files.laender,
                regierungsbezirke: parse("regierungsbezirke.csv", files.regierungsbezirke)?,
                kreise: parse("kreise.csv", files.kreise)?,
                gemeinden: parse("gemeinden.csv", files.gemeinden)?,
                planning_regions: parse("regionen.csv", files.regionen)?,
                associations: parse("verwaltungsverbaende.csv", files.verbaende)?,
            },
        )
    }

    /// The registry of parsed rows, checked: every Regierungsbezirk in a listed Land, every
    /// Kreis in a listed Regierungsbezirk (or directly in its Land where it has none), every
    /// Gemeinde in a listed Kreis.
    pub(super) fn from_rows(edition: Edition, rows: Rows) -> Result<Self, ReferenceError> {
        let Rows {
            laender,
            regierungsbezirke: rbs,
            kreise,
            gemeinden,
            planning_regions,
            associations,
        } = rows;
        let sums = Sums {
            gemeinden: &gemeinden,
            kreise: &kreise,
        };
        let mut regions =
            Vec::with_capacity(laender.len() + rbs.len() + kreise.len() + gemeinden.len());
        regions.extend(laender.iter().map(|land| land_region(land, &sums)));
        for rb in &rbs {
            regions.push(rb_region(rb, &laender, &sums)?);
        }
        regions.extend(kreise.iter().map(kreis_region));
        check_hierarchy(&laender, &rbs, &kreise, &gemeinden)?;
        regions.extend(gemeinden.iter().map(gemeinde_region));
        Ok(ReferenceData {
            edition,
            regions,
            planning_regions,
            associations,
            gemeinde_details: gemeinden.iter().map(gemeinde_detail).collect(),
            ozg_services: parse("ozg-leistungen.csv", OZG_LEISTUNGEN_CSV)?,
            leika_services: parse("leika-leistungen.csv", LEIKA_CSV)?,
        })
    }
}

/// The parsed registry files.
pub(super) struct Rows {
    pub(super) laender: Vec<LandRow>,
    pub(super) regierungsbezirke: Vec<RbRow>,
    pub(super) kreise: Vec<KreisRow>,
    pub(super) gemeinden: Vec<GemeindeRow>,
    pub(super) planning_regions: Vec<PlanningRegion>,
    pub(super) associations: Vec<Association>,
}

fn invalid(file: &str, message: String) -> ReferenceError {
    ReferenceError::Invalid {
        file: file.to_string(),
        message,
    }
}

/// Population and area of a Land or Regierungsbezirk, summed from its Gemeinden and Kreise.
struct Sums<'a> {
    gemeinden: &'a [GemeindeRow],
    kreise: &'a [KreisRow],
}

impl Sums<'_> {
    fn population(&self, prefix: &str) -> i64 {
        self.gemeinden
            .iter()
            .filter(|g| g.ars.starts_with(prefix))
            .map(|g| g.population)
            .sum()
    }

    fn area_km2(&self, prefix: &str) -> f64 {
        let sum: f64 = self
            .kreise
            .iter()
            .filter(|k| k.kreis_ars.starts_with(prefix))
            .map(|k| k.area_km2)
            .sum();
        (sum * 100.0).round() / 100.0
    }
}

fn land_region(land: &LandRow, sums: &Sums<'_>) -> Region {
    Region {
        ars: land.land_ars.clone(),
        ags: land.land_ars.clone(),
        level: Level::Land,
        name: land.name.clone(),
        name_short: land.name.clone(),
        kind: "Land".into(),
        parent: None,
        kreis: None,
        regierungsbezirk: None,
        population: sums.population(&land.land_ars),
        area_km2: sums.area_km2(&land.land_ars),
    }
}

/// A Regierungsbezirk; its Land (the key's first two digits) must be listed.
fn rb_region(rb: &RbRow, laender: &[LandRow], sums: &Sums<'_>) -> Result<Region, ReferenceError> {
    let ars = &rb.regierungsbezirk_ars;
    let land = ars.get(..2).unwrap_or_default();
    if !laender.iter().any(|l| l.land_ars == land) {
        return Err(invalid(
            "regierungsbezirke.csv",
            format!("{ars}: its Land {land:?} is not listed"),
        ));
    }
    Ok(Region {
        ars: ars.clone(),
        ags: ars.clone(),
        level: Level::Regierungsbezirk,
        name: format!("Regierungsbezirk {}", rb.name),
        name_short: rb.name.clone(),
        kind: "Regierungsbezirk".into(),
        parent: Some(land.to_string()),
        kreis: None,
        regierungsbezirk: Some(ars.clone()),
        population: sums.population(ars),
        area_km2: sums.area_km2(ars),
    })
}

fn kreis_region(k: &KreisRow) -> Region {
    Region {
        ars: k.kreis_ars.clone(),
        ags: k.kreis_ars.clone(),
        level: Level::Kreis,
        name: k.name.clone(),
        name_short: k
            .name_gv
            .split(", ")
            .next()
            .unwrap_or(&k.name_gv)
            .to_string(),
        kind: k.kreis_typ.clone(),
        // A Kreis of a Land without Regierungsbezirke hangs off the Land.
        parent: Some(match k.regierungsbezirk_ars.as_str() {
            "" => k.kreis_ars.get(..2).unwrap_or_default().to_string(),
            rb => rb.to_string(),
        }),
        kreis: Some(k.kreis_ars.clone()),
        regierungsbezirk: non_empty(&k.regierungsbezirk_ars),
        population: k.population,
        area_km2: k.area_km2,
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Every Kreis lies in a listed Regierungsbezirk (or, with none, in a listed Land), every
/// Gemeinde in a listed Kreis.
fn check_hierarchy(
    laender: &[LandRow],
    rbs: &[RbRow],
    kreise: &[KreisRow],
    gemeinden: &[GemeindeRow],
) -> Result<(), ReferenceError> {
    let rb_keys: std::collections::HashSet<&str> = rbs
        .iter()
        .map(|r| r.regierungsbezirk_ars.as_str())
        .collect();
    let in_listed_land = |k: &KreisRow| {
        k.regierungsbezirk_ars.is_empty()
            && laender
                .iter()
                .any(|l| k.kreis_ars.starts_with(l.land_ars.as_str()))
    };
    if let Some(k) = kreise
        .iter()
        .find(|k| !rb_keys.contains(k.regierungsbezirk_ars.as_str()) && !in_listed_land(k))
    {
        return Err(invalid(
            "kreise.csv",
            format!(
                "{}: regierungsbezirk_ars {:?} is not listed",
                k.kreis_ars, k.regierungsbezirk_ars
            ),
        ));
    }
    let kreis_keys: std::collections::HashSet<&str> =
        kreise.iter().map(|k| k.kreis_ars.as_str()).collect();
    if let Some(g) = gemeinden
        .iter()
        .find(|g| !kreis_keys.contains(g.kreis_ars.as_str()))
    {
        return Err(invalid(
            "gemeinden.csv",
            format!("{}: kreis_ars {:?} is not listed", g.ars, g.kreis_ars),
        ));
    }
    Ok(())
}

fn gemeinde_region(g: &GemeindeRow) -> Region {
    Region {
        ars: g.ars.clone(),
        ags: g.ags.clone(),
        level: Level::Gemeinde,
        name: g.name.clone(),
        name_short: g.name_kurz.clone(),
        kind: g.gemeindetyp.clone(),
        parent: Some(g.kreis_ars.clone()),
        kreis: Some(g.kreis_ars.clone()),
        regierungsbezirk: non_empty(&g.regierungsbezirk_ars),
        population: g.population,
        area_km2: g.area_km2,
    }
}

fn gemeinde_detail(g: &GemeindeRow) -> GemeindeDetail {
    GemeindeDetail {
        ars: g.ars.clone(),
        verband_ars: g.verband_ars.clone(),
        region_key: g.region_schluessel.clone(),
        population_male: g.population_male,
        plz: g.plz.clone(),
        plz_unique: g.plz_eindeutig == "ja",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_registry_has_the_official_counts() {
        let data = ReferenceData::embedded();
        let count = |level| data.regions.iter().filter(|r| r.level == level).count();
        assert_eq!(count(Level::Land), 1);
        assert_eq!(count(Level::Regierungsbezirk), 4);
        assert_eq!(count(Level::Kreis), 44);
        assert_eq!(count(Level::Gemeinde), 1101);
        assert_eq!(data.regions[0].population, 11_245_898);
        assert_eq!(data.regions[0].area_km2, 35_747.82);
        let landkreise = data
            .regions
            .iter()
            .filter(|r| r.level == Level::Kreis && r.kind == "Landkreis")
            .count();
        assert_eq!(landkreise, 35);
        assert_eq!(data.planning_regions.len(), 12);
        assert_eq!(data.associations.len(), 460);
        assert_eq!(data.ozg_services.len(), 557);
        assert_eq!(data.leika_services.len(), 4813);
    }

    #[test]
    fn regierungsbezirk_population_adds_up() {
        let data = ReferenceData::embedded();
        let rb_sum: i64 = data
            .regions
            .iter()
            .filter(|r| r.level == Level::Regierungsbezirk)
            .map(|r| r.population)
            .sum();
        assert_eq!(rb_sum, 11_245_898);
    }
}
