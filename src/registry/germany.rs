//! The registry of all 16 Länder (Destatis GV100AD, Gebietsstand 30.11.2025; data/de/SOURCES-de.md),
//! shipped gzip-compressed with the binary and read for the chosen territory only.

use std::io::Read;

use super::reference::{
    parse, GemeindeRow, KreisRow, LandRow, RbRow, ReferenceData, ReferenceError, Rows,
    GEBIETSSTAND, POPULATION_DATE, REGIONEN_CSV, SOURCE,
};
use super::territory::Territory;
use super::Edition;

const GEMEINDEN_CSV_GZ: &[u8] = include_bytes!("../../data/de/gemeinden-de.csv.gz");
const KREISE_CSV_GZ: &[u8] = include_bytes!("../../data/de/kreise-de.csv.gz");
const REGIERUNGSBEZIRKE_CSV_GZ: &[u8] = include_bytes!("../../data/de/regierungsbezirke-de.csv.gz");
const LAENDER_CSV_GZ: &[u8] = include_bytes!("../../data/de/laender-de.csv.gz");
const VERBAENDE_CSV_GZ: &[u8] = include_bytes!("../../data/de/verwaltungsverbaende-de.csv.gz");

/// The text of a shipped gzip file. The files are part of the build; a broken one is a build
/// defect, caught by the tests.
pub(crate) fn gunzip(name: &str, bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("shipped file {name}: {e}"));
    text
}

/// Only the header and the rows whose first field (the key) lies in the territory.
fn rows_in(territory: Territory, text: &str) -> String {
    let mut lines = text.split_inclusive('\n');
    let mut out: String = lines.next().unwrap_or_default().to_string();
    out.extend(lines.filter(|line| territory.contains(line)));
    out
}

fn read<T: serde::de::DeserializeOwned>(
    territory: Territory,
    file: &str,
    gz: &[u8],
) -> Result<Vec<T>, ReferenceError> {
    parse(file, &rows_in(territory, &gunzip(file, gz)))
}

impl ReferenceData {
    /// The registry of a territory: the embedded Baden-Württemberg files for `08` (every published
    /// figure stays as it was), the Germany-wide files cut to the territory otherwise.
    pub fn for_territory(territory: Territory) -> Self {
        if territory == Territory::BADEN_WUERTTEMBERG {
            return Self::embedded();
        }
        Self::germany(territory).unwrap_or_else(|e| panic!("embedded registry: {e}"))
    }

    fn germany(territory: Territory) -> Result<Self, ReferenceError> {
        let laender: Vec<LandRow> = read(territory, "laender-de.csv", LAENDER_CSV_GZ)?;
        // Only real Regierungsbezirke are a level; Niedersachsen's Statistische Regionen and the
        // former ones of Rheinland-Pfalz and Sachsen have no administration, so their Kreise hang
        // off the Land.
        let rbs: Vec<RbRow> = read::<RbRow>(
            territory,
            "regierungsbezirke-de.csv",
            REGIERUNGSBEZIRKE_CSV_GZ,
        )?
        .into_iter()
        .filter(|rb| rb.art == "Regierungsbezirk")
        .collect();
        let is_rb = |key: &str| rbs.iter().any(|rb| rb.regierungsbezirk_ars == key);
        let mut kreise: Vec<KreisRow> = read(territory, "kreise-de.csv", KREISE_CSV_GZ)?;
        for k in &mut kreise {
            if !is_rb(&k.regierungsbezirk_ars) {
                k.regierungsbezirk_ars.clear();
            }
        }
        let mut gemeinden: Vec<GemeindeRow> =
            read(territory, "gemeinden-de.csv", GEMEINDEN_CSV_GZ)?;
        for g in &mut gemeinden {
            if !is_rb(&g.regierungsbezirk_ars) {
                g.regierungsbezirk_ars.clear();
            }
        }
        let edition = Edition {
            edition: territory.edition(),
            gebietsstand: GEBIETSSTAND.into(),
            population_date: POPULATION_DATE.into(),
            source: SOURCE.into(),
        };
        Self::from_rows(
            edition,
            Rows {
                laender,
                regierungsbezirke: rbs,
                kreise,
                gemeinden,
                // Planning regions (Regionalverbände) are Baden-Württemberg's only.
                planning_regions: if territory.contains("08") {
                    parse("regionen-bw.csv", REGIONEN_CSV)?
                } else {
                    Vec::new()
                },
                associations: read(territory, "verwaltungsverbaende-de.csv", VERBAENDE_CSV_GZ)?,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Level;

    fn count(data: &ReferenceData, level: Level) -> usize {
        data.regions.iter().filter(|r| r.level == level).count()
    }

    #[test]
    fn germany_has_every_land_kreis_and_gemeinde() {
        let data = ReferenceData::for_territory(Territory::Germany);
        assert_eq!(count(&data, Level::Land), 16);
        assert_eq!(count(&data, Level::Kreis), 400);
        assert_eq!(count(&data, Level::Gemeinde), 10_751);
        // The Regierungsbezirke of NW (5), HE (3), BW (4) and BY (7) only.
        assert_eq!(count(&data, Level::Regierungsbezirk), 19);
        let population: i64 = data
            .regions
            .iter()
            .filter(|r| r.level == Level::Gemeinde)
            .map(|r| r.population)
            .sum();
        assert_eq!(population, 83_576_223);
        assert_eq!(data.associations.len(), 4_389);
    }

    #[test]
    fn a_land_without_regierungsbezirke_hangs_its_kreise_off_the_land() {
        let data = ReferenceData::for_territory(Territory::parse("03").unwrap());
        assert_eq!(count(&data, Level::Regierungsbezirk), 0);
        assert_eq!(count(&data, Level::Gemeinde), 939);
        let kreis = data.regions.iter().find(|r| r.ars == "03241").unwrap();
        assert_eq!(kreis.name, "Region Hannover");
        assert_eq!(kreis.parent.as_deref(), Some("03"));
        assert_eq!(kreis.regierungsbezirk, None);
    }

    #[test]
    fn bayern_has_its_gemeinden_and_bezirke() {
        let data = ReferenceData::for_territory(Territory::parse("09").unwrap());
        assert_eq!(count(&data, Level::Gemeinde), 2_056);
        assert_eq!(count(&data, Level::Kreis), 96);
        assert_eq!(count(&data, Level::Regierungsbezirk), 7);
        let muenchen = data.regions.iter().find(|r| r.ags == "09162000").unwrap();
        assert!(muenchen.name.starts_with("München"), "{}", muenchen.name);
        assert_eq!(muenchen.regierungsbezirk.as_deref(), Some("091"));
        assert_eq!(
            data.edition.edition,
            Territory::parse("09").unwrap().edition()
        );
    }

    #[test]
    fn baden_wuerttemberg_from_the_germany_files_equals_the_shipped_one() {
        let shipped = ReferenceData::embedded();
        let cut = ReferenceData::germany(Territory::BADEN_WUERTTEMBERG).unwrap();
        assert_eq!(shipped.regions, cut.regions);
    }
}
