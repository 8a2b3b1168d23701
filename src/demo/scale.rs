//! `demo --scale de`: a synthetic registry of Germany's size (16 Länder with their real keys,
//! names, Gemeinde and Kreis counts, population and area; synthetic Kreise and Gemeinden inside
//! them) and activity files for it with about 600 processes, for benchmarks. Not a map of
//! Germany: only the sizes are real.

use std::fmt::Write;

use chrono::Days;

use super::rng::Rng;
use super::{aufbau_row, basis_row, catalogue, d, day_between, participant_id, DemoFiles};
use crate::model::Dataset;
use crate::registry::reference::{ReferenceData, ReferenceError, DIR_FILES};

/// A Land: key, name, Gemeinden, kreisfreie Städte, Landkreise, Regierungsbezirke (0 = none),
/// population in thousands, area in km² (Destatis, rounded).
type LandSpec = (
    &'static str,
    &'static str,
    usize,
    usize,
    usize,
    usize,
    f64,
    f64,
);

const LAENDER: [LandSpec; 16] = [
    (
        "01",
        "Schleswig-Holstein",
        1104,
        4,
        11,
        0,
        2_953.0,
        15_804.0,
    ),
    ("02", "Hamburg", 1, 1, 0, 0, 1_892.0, 755.0),
    ("03", "Niedersachsen", 941, 8, 37, 0, 8_140.0, 47_710.0),
    ("04", "Bremen", 2, 2, 0, 0, 685.0, 419.0),
    (
        "05",
        "Nordrhein-Westfalen",
        396,
        22,
        31,
        5,
        18_140.0,
        34_112.0,
    ),
    ("06", "Hessen", 421, 5, 21, 3, 6_390.0, 21_116.0),
    ("07", "Rheinland-Pfalz", 2301, 12, 24, 0, 4_160.0, 19_858.0),
    (
        "08",
        "Baden-Württemberg",
        1101,
        9,
        35,
        4,
        11_246.0,
        35_748.0,
    ),
    ("09", "Bayern", 2056, 25, 71, 7, 13_370.0, 70_542.0),
    ("10", "Saarland", 52, 0, 6, 0, 990.0, 2_571.0),
    ("11", "Berlin", 1, 1, 0, 0, 3_897.0, 891.0),
    ("12", "Brandenburg", 413, 4, 14, 0, 2_580.0, 29_654.0),
    (
        "13",
        "Mecklenburg-Vorpommern",
        726,
        2,
        6,
        0,
        1_577.0,
        23_295.0,
    ),
    ("14", "Sachsen", 418, 3, 10, 0, 4_040.0, 18_450.0),
    ("15", "Sachsen-Anhalt", 218, 3, 11, 0, 2_140.0, 20_459.0),
    ("16", "Thüringen", 605, 5, 17, 0, 2_110.0, 16_202.0),
];

/// Processes beyond the 24 Standard- and 6 Universalprozesse: about 600 in all.
pub const EXTRA_PROCESSES: usize = 570;

/// The generated registry directory: (file name, CSV text) for every file of [`DIR_FILES`].
#[derive(Debug)]
pub struct RegistryFiles {
    pub files: Vec<(&'static str, String)>,
}

impl RegistryFiles {
    /// Parses the files as `--registry DIR` would.
    pub fn reference(&self) -> Result<ReferenceData, ReferenceError> {
        let texts: Vec<String> = self.files.iter().map(|(_, t)| t.clone()).collect();
        ReferenceData::from_texts(&texts)
    }

    pub fn write(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }
}

/// Splits `total` into `n` integer parts from `weights`, every part at least `min`.
fn apportion(total: usize, weights: &[f64], min: usize) -> Vec<usize> {
    let n = weights.len();
    let free = total.saturating_sub(min * n) as f64;
    let sum: f64 = weights.iter().sum::<f64>().max(1e-12);
    let mut parts: Vec<usize> = weights
        .iter()
        .map(|w| min + (free * w / sum).floor() as usize)
        .collect();
    let mut rest = total.saturating_sub(parts.iter().sum());
    let mut i = 0;
    while rest > 0 && n > 0 {
        parts[i % n] += 1;
        rest -= 1;
        i += 1;
    }
    parts
}

/// The synthetic registry of Germany for `seed`.
pub fn registry(seed: u64) -> RegistryFiles {
    let mut rng = Rng::new(seed ^ 0x6465);
    let mut t = Texts {
        laender: String::from("land_ars,name\n"),
        rbs: String::from("regierungsbezirk_ars,name\n"),
        regionen: String::from("region_schluessel,name,verwaltungssitz,regierungsbezirk_ars\n"),
        kreise: String::from(
            "kreis_ars,name,name_gv,kreis_typ,regierungsbezirk_ars,population,area_km2\n",
        ),
        gemeinden: String::from(
            "ars,ags,name,name_kurz,gemeindetyp,verband_ars,kreis_ars,regierungsbezirk_ars,\
             region_schluessel,population,population_male,area_km2,plz,plz_eindeutig\n",
        ),
        verbaende: String::from(
            "verband_ars,name,verband_typ,verwaltungssitz,kreis_ars,gemeinden_anzahl\n",
        ),
    };
    let mut plz = 1067;
    for land in &LAENDER {
        write_land(&mut rng, land, &mut t, &mut plz);
    }
    let edition = format!(
        "edition,gebietsstand,population_date,source\n\
         SYNTH_DE_{seed},2025-11-30,2024-12-31,\
         \"Synthetisches Deutschland (Demodaten, digitalatlas demo --scale de --seed {seed}): \
         Schlüssel, Anzahlen und Summen der Länder wie amtlich, alles darunter erfunden\"\n"
    );
    let texts = [
        edition,
        t.laender,
        t.rbs,
        t.kreise,
        t.gemeinden,
        t.regionen,
        t.verbaende,
    ];
    RegistryFiles {
        files: DIR_FILES.iter().copied().zip(texts).collect(),
    }
}

/// The registry files' texts, written Land by Land.
struct Texts {
    laender: String,
    rbs: String,
    regionen: String,
    kreise: String,
    gemeinden: String,
    verbaende: String,
}

/// A synthetic Gemeinde before scaling: its Kreis and weights of population and area.
struct G {
    kreis: usize,
    pop_w: f64,
    area_w: f64,
}

/// One Land: its Regierungsbezirke, Kreise and Gemeinden with the Land's real counts and totals.
fn write_land(rng: &mut Rng, land: &LandSpec, t: &mut Texts, plz: &mut u32) {
    let &(land, name, n_gem, n_kf, n_lk, n_rb, pop_k, area) = land;
    let _ = writeln!(t.laender, "{land},{name}");
    let rb_keys = write_bezirke(t, land, name, n_rb);
    let n_kreise = n_kf + n_lk;
    // Gemeinden of the Landkreise, by a random share per Landkreis.
    let lk_weights: Vec<f64> = (0..n_lk).map(|_| 0.4 + rng.unit()).collect();
    let lk_gemeinden = apportion(n_gem - n_kf, &lk_weights, 1);
    let gs = gemeinde_weights(rng, n_kf, n_kreise, &lk_gemeinden);
    let pop_sum: f64 = gs.iter().map(|g| g.pop_w).sum();
    let area_sum: f64 = gs.iter().map(|g| g.area_w).sum();
    let mut kreis_pop = vec![0i64; n_kreise];
    let mut kreis_area = vec![0f64; n_kreise];
    let kreis_keys = kreis_keys(&rb_keys, n_kreise);
    let mut gem_serial = vec![0usize; n_kreise];
    for g in &gs {
        let (kreis, rb) = &kreis_keys[g.kreis];
        gem_serial[g.kreis] += 1;
        let s = gem_serial[g.kreis];
        let ags = format!("{kreis}{s:03}");
        let ars = format!("{kreis}0{s:03}{s:03}");
        let population = ((pop_k * 1000.0 * g.pop_w / pop_sum).round() as i64).max(30);
        let area_km2 = (area * g.area_w / area_sum * 100.0).round() / 100.0;
        kreis_pop[g.kreis] += population;
        kreis_area[g.kreis] += area_km2;
        let kind = if g.kreis < n_kf {
            "Kreisfreie Stadt"
        } else if population >= 20_000 {
            "Stadt"
        } else {
            "Gemeinde"
        };
        let short = if kind == "Gemeinde" {
            format!("Gemeinde {ags}")
        } else {
            format!("Stadt {ags}")
        };
        let _ = writeln!(
            t.gemeinden,
            "{ars},{ags},{short},{short},{kind},{},{kreis},{rb},{rb}1,{population},{},{area_km2:.2},{:05},ja",
            &ars[..9],
            population / 2,
            *plz
        );
        let _ = writeln!(
            t.verbaende,
            "{},{short},verbandsfreie Gemeinde,,{kreis},1",
            &ars[..9]
        );
        *plz = if *plz >= 99_998 { 1067 } else { *plz + 7 };
    }
    write_kreise(t, &kreis_keys, n_kf, &kreis_pop, &kreis_area);
}

/// The Land's Regierungsbezirke (and a planning region each); their keys. Länder without
/// Regierungsbezirke get one pseudo-Bezirk with the digit 0, as in the ARS.
fn write_bezirke(t: &mut Texts, land: &str, name: &str, n_rb: usize) -> Vec<String> {
    let rb_keys: Vec<String> = if n_rb == 0 {
        vec![format!("{land}0")]
    } else {
        (1..=n_rb).map(|i| format!("{land}{i}")).collect()
    };
    for (i, rb) in rb_keys.iter().enumerate() {
        let rb_name = if n_rb == 0 {
            name.to_string()
        } else {
            format!("{name} {}", i + 1)
        };
        let _ = writeln!(t.rbs, "{rb},{rb_name}");
        let _ = writeln!(t.regionen, "{rb}1,Region {rb_name},Sitz {rb},{rb}");
    }
    rb_keys
}

/// (Kreis key, Bezirk key) of each Kreis: kreisfreie Städte first, then Landkreise, dealt
/// round-robin to the Bezirke.
fn kreis_keys(rb_keys: &[String], n_kreise: usize) -> Vec<(String, String)> {
    let mut serial = vec![0usize; rb_keys.len()];
    (0..n_kreise)
        .map(|k| {
            let r = k % rb_keys.len();
            serial[r] += 1;
            (
                format!("{}{:02}", rb_keys[r], serial[r]),
                rb_keys[r].clone(),
            )
        })
        .collect()
}

/// The Kreise with the population and area of their Gemeinden.
fn write_kreise(
    t: &mut Texts,
    kreis_keys: &[(String, String)],
    n_kf: usize,
    kreis_pop: &[i64],
    kreis_area: &[f64],
) {
    for (k, (kreis, rb)) in kreis_keys.iter().enumerate() {
        let (kind, label) = if k < n_kf {
            ("Kreisfreie Stadt", format!("Kreisfreie Stadt {kreis}"))
        } else {
            ("Landkreis", format!("Landkreis {kreis}"))
        };
        let _ = writeln!(
            t.kreise,
            "{kreis},{label},{label},{kind},{rb},{},{:.2}",
            kreis_pop[k], kreis_area[k]
        );
    }
}

/// Population and area weights per Gemeinde, scaled to the Land's totals afterwards.
fn gemeinde_weights(rng: &mut Rng, n_kf: usize, n_kreise: usize, lk_gemeinden: &[usize]) -> Vec<G> {
    // Population and area weights per Gemeinde, scaled to the Land's totals afterwards.
    let mut gs: Vec<G> = Vec::new();
    for k in 0..n_kreise {
        if k < n_kf {
            let big = if n_kreise == 1 { 1.0 } else { 40.0 };
            gs.push(G {
                kreis: k,
                pop_w: big * (1.0 + 4.0 * rng.unit().powi(3)),
                area_w: 6.0 + 10.0 * rng.unit(),
            });
        } else {
            for _ in 0..lk_gemeinden[k - n_kf] {
                // Pareto-like sizes: many small Gemeinden, a few towns.
                let u = rng.unit().max(1e-6);
                gs.push(G {
                    kreis: k,
                    pop_w: (0.15 * u.powf(-1.0 / 1.15)).min(60.0),
                    area_w: 0.5 + 2.0 * rng.unit(),
                });
            }
        }
    }
    gs
}

/// Activity files for the synthetic Germany: about 600 processes with their activations (about
/// 600,000 rows), Lotsen in about a third of the administrations, accounts at Germany's scale.
pub fn activity(seed: u64, reference: &ReferenceData) -> DemoFiles {
    let today = d(super::DEMO_END);
    let admins = super::administrations(reference);
    // Relative to the median administration: half of them are below 1.
    let mut weights: Vec<f64> = admins.iter().map(|a| a.weight).collect();
    weights.sort_by(f64::total_cmp);
    let median = weights[weights.len() / 2].max(1e-9);
    let mut rng = Rng::new(seed ^ 0x7175);
    let mut rows = Vec::new();
    let mut with_lotse = vec![false; admins.len()];
    let start = d("2018-11-23");
    for (i, a) in admins.iter().enumerate() {
        let size = (a.weight / median).sqrt();
        if rng.unit() >= (0.3 * size).clamp(0.05, 0.95) {
            continue;
        }
        with_lotse[i] = true;
        let n = 1 + rng.below(1 + size.min(6.0) as u64) as usize;
        for _ in 0..n {
            let id = participant_id(a, rows.len() + 1);
            let day = day_between(&mut rng, start, today);
            basis_row(&mut rows, &mut rng, &id, a, day);
            if rng.unit() < 0.25 {
                let aufbau = day + Days::new(60 + rng.below(300));
                if aufbau <= today {
                    aufbau_row(&mut rows, &mut rng, &id, a, aufbau);
                }
            }
        }
    }
    rows.sort();
    let mut q = String::from(super::QUALIFIKATIONEN_HEADER);
    q.extend(rows);
    let ozg_admins: Vec<catalogue::OzgAdmin> = admins
        .iter()
        .zip(&with_lotse)
        .map(|(a, &has_lotse)| catalogue::OzgAdmin {
            id: a.id.clone(),
            lra: a.lra,
            weight: a.weight,
            has_lotse,
        })
        .collect();
    let (prozesse, aktivierungen) = catalogue::ozg(
        &mut Rng::new(seed ^ 0x6f7a67),
        reference,
        &ozg_admins,
        today,
        EXTRA_PROCESSES,
    );
    let konten = super::accounts(
        &mut Rng::new(seed ^ 0x6b6f6e),
        today,
        7.4,
        &super::gemeinde_populations(reference),
    );
    DemoFiles {
        files: vec![
            ("prozesse.csv", Dataset::Prozesse, prozesse),
            ("qualifikationen.csv", Dataset::Qualifikationen, q),
            ("aktivierungen.csv", Dataset::Aktivierungen, aktivierungen),
            ("konten.csv", Dataset::Konten, konten),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Level;

    #[test]
    fn synthetic_germany_has_the_size_of_germany() {
        let files = registry(1);
        let reference = files.reference().expect("valid registry");
        let count = |level| {
            reference
                .regions
                .iter()
                .filter(|r| r.level == level)
                .count()
        };
        assert_eq!(count(Level::Land), 16);
        assert_eq!(count(Level::Kreis), 400);
        assert_eq!(count(Level::Gemeinde), 10_756);
        let bw = reference.regions.iter().find(|r| r.ars == "08").unwrap();
        assert!(
            (bw.population - 11_246_000).abs() < 2_000,
            "{}",
            bw.population
        );
        // Keys are unique and well-formed.
        let mut keys: Vec<&str> = reference.regions.iter().map(|r| r.ars.as_str()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), reference.regions.len());
        assert!(reference
            .regions
            .iter()
            .filter(|r| r.level == Level::Gemeinde)
            .all(|r| r.ags.len() == 8 && r.ars.len() == 12));
    }

    #[test]
    fn apportion_keeps_the_total_and_the_minimum() {
        let parts = apportion(100, &[1.0, 0.0, 3.0], 2);
        assert_eq!(parts.iter().sum::<usize>(), 100);
        assert!(parts.iter().all(|&p| p >= 2));
    }

    #[test]
    fn a_registry_directory_error_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let files = registry(3);
        files.write(dir.path()).unwrap();
        let loaded = ReferenceData::from_dir(dir.path()).unwrap();
        assert_eq!(loaded.edition.edition, "SYNTH_DE_3");

        let path = dir.path().join("kreise.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // population of the third Kreis is not a number
        let mut cells: Vec<&str> = lines[3].split(',').collect();
        cells[5] = "viele";
        lines[3] = cells.join(",");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let err = ReferenceData::from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("kreise.csv, line 4"), "{err}");
        assert!(err.contains("field 6"), "{err}");

        std::fs::remove_file(&path).unwrap();
        let err = ReferenceData::from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("kreise.csv"), "{err}");
    }
}
