//! The official reference data shipped with the binary (embedded at compile time, see data/SOURCES.md):
//! Destatis GV100AD (Gebietsstand 30.11.2025, population 31.12.2024) and the OZG/LeiKa catalogue.

use serde::Deserialize;

use super::{Level, Region};

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
const REGIONEN_CSV: &str = include_str!("../../data/regionen-bw.csv");
const VERBAENDE_CSV: &str = include_str!("../../data/verwaltungsverbaende-bw.csv");
const OZG_LEISTUNGEN_CSV: &str = include_str!("../../data/ozg/ozg-leistungen.csv");
const LEIKA_CSV: &str = include_str!("../../data/ozg/leika-leistungen.csv");
pub const GEMEINDEN_GEOJSON: &str = include_str!("../../data/gemeinden-bw.geojson");
pub const KREISE_GEOJSON: &str = include_str!("../../data/kreise-bw.geojson");

#[derive(Debug, Deserialize)]
struct GemeindeRow {
    ars: String,
    ags: String,
    name: String,
    name_kurz: String,
    gemeindetyp: String,
    verband_ars: String,
    kreis_ars: String,
    regierungsbezirk_ars: String,
    region_schluessel: String,
    population: i64,
    population_male: i64,
    area_km2: f64,
    plz: String,
    plz_eindeutig: String,
}

#[derive(Debug, Deserialize)]
struct KreisRow {
    kreis_ars: String,
    name: String,
    name_gv: String,
    kreis_typ: String,
    regierungsbezirk_ars: String,
    population: i64,
    area_km2: f64,
}

#[derive(Debug, Deserialize)]
struct RbRow {
    regierungsbezirk_ars: String,
    name: String,
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

/// Everything the registry tables are filled from, parsed from the embedded files.
#[derive(Debug, Clone)]
pub struct ReferenceData {
    /// Land, Regierungsbezirke, Kreise, Gemeinden, in that order (parents before children).
    pub regions: Vec<Region>,
    pub planning_regions: Vec<PlanningRegion>,
    pub associations: Vec<Association>,
    pub gemeinde_details: Vec<GemeindeDetail>,
    pub ozg_services: Vec<OzgService>,
    pub leika_services: Vec<LeikaService>,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| {
            // The files are part of the build; a broken one is a build defect, caught by the tests.
            row.unwrap_or_else(|e| panic!("embedded {name}, record {}: {e}", i + 1))
        })
        .collect()
}

impl ReferenceData {
    /// Parses the embedded files. Pure and deterministic.
    pub fn embedded() -> Self {
        let gemeinden: Vec<GemeindeRow> = parse("gemeinden-bw.csv", GEMEINDEN_CSV);
        let kreise: Vec<KreisRow> = parse("kreise-bw.csv", KREISE_CSV);
        let rbs: Vec<RbRow> = parse("regierungsbezirke-bw.csv", REGIERUNGSBEZIRKE_CSV);

        let population_of = |pred: &dyn Fn(&GemeindeRow) -> bool| -> i64 {
            gemeinden
                .iter()
                .filter(|g| pred(g))
                .map(|g| g.population)
                .sum()
        };
        let area_of_kreise = |pred: &dyn Fn(&KreisRow) -> bool| -> f64 {
            let sum: f64 = kreise.iter().filter(|k| pred(k)).map(|k| k.area_km2).sum();
            (sum * 100.0).round() / 100.0
        };

        let mut regions = Vec::with_capacity(1 + rbs.len() + kreise.len() + gemeinden.len());
        regions.push(Region {
            ars: LAND_KEY.into(),
            ags: LAND_KEY.into(),
            level: Level::Land,
            name: LAND_NAME.into(),
            name_short: LAND_NAME.into(),
            kind: "Land".into(),
            parent: None,
            kreis: None,
            regierungsbezirk: None,
            population: population_of(&|_| true),
            area_km2: area_of_kreise(&|_| true),
        });
        for rb in &rbs {
            regions.push(Region {
                ars: rb.regierungsbezirk_ars.clone(),
                ags: rb.regierungsbezirk_ars.clone(),
                level: Level::Regierungsbezirk,
                name: format!("Regierungsbezirk {}", rb.name),
                name_short: rb.name.clone(),
                kind: "Regierungsbezirk".into(),
                parent: Some(LAND_KEY.into()),
                kreis: None,
                regierungsbezirk: Some(rb.regierungsbezirk_ars.clone()),
                population: population_of(&|g| g.regierungsbezirk_ars == rb.regierungsbezirk_ars),
                area_km2: area_of_kreise(&|k| k.regierungsbezirk_ars == rb.regierungsbezirk_ars),
            });
        }
        for k in &kreise {
            regions.push(Region {
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
                parent: Some(k.regierungsbezirk_ars.clone()),
                kreis: Some(k.kreis_ars.clone()),
                regierungsbezirk: Some(k.regierungsbezirk_ars.clone()),
                population: k.population,
                area_km2: k.area_km2,
            });
        }
        let mut gemeinde_details = Vec::with_capacity(gemeinden.len());
        for g in &gemeinden {
            regions.push(Region {
                ars: g.ars.clone(),
                ags: g.ags.clone(),
                level: Level::Gemeinde,
                name: g.name.clone(),
                name_short: g.name_kurz.clone(),
                kind: g.gemeindetyp.clone(),
                parent: Some(g.kreis_ars.clone()),
                kreis: Some(g.kreis_ars.clone()),
                regierungsbezirk: Some(g.regierungsbezirk_ars.clone()),
                population: g.population,
                area_km2: g.area_km2,
            });
            gemeinde_details.push(GemeindeDetail {
                ars: g.ars.clone(),
                verband_ars: g.verband_ars.clone(),
                region_key: g.region_schluessel.clone(),
                population_male: g.population_male,
                plz: g.plz.clone(),
                plz_unique: g.plz_eindeutig == "ja",
            });
        }

        ReferenceData {
            regions,
            planning_regions: parse("regionen-bw.csv", REGIONEN_CSV),
            associations: parse("verwaltungsverbaende-bw.csv", VERBAENDE_CSV),
            gemeinde_details,
            ozg_services: parse("ozg-leistungen.csv", OZG_LEISTUNGEN_CSV),
            leika_services: parse("leika-leistungen.csv", LEIKA_CSV),
        }
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
