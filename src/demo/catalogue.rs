//! The demo's OZG part: 24 Standardprozesse built from real OZG-Leistungen with real LeiKa keys
//! (the actual service-bw list is not public), 6 Universalprozesse, and activation histories.

use std::fmt::Write;

use chrono::{Days, NaiveDate};

use super::rng::Rng;
use crate::registry::reference::ReferenceData;

/// Aufbau course topics and their seminar days.
pub(super) const AUFBAU_COURSES: [(&str, i64); 4] = [
    ("Prozessmanagement", 2),
    ("Onlinedienste in service-bw", 1),
    ("Digitale Bürgerbeteiligung", 1),
    ("Change-Management", 2),
];

/// LeiKa keys of the demo's Standardprozesse: services a Gemeinde offers, taken from the shipped
/// LeiKa catalogue (name, OZG-ID and Themenfeld come from there too). The second value is how
/// popular the process is (share of Gemeinden that eventually switch it on).
const STANDARD: [(&str, f64); 24] = [
    ("99115005104000", 1.0), // Wohnsitz Anmeldung: every Gemeinde (flächendeckend)
    ("99102013000000", 0.99), // Hundesteuer: all but a few (99 %, not flächendeckend)
    ("99001001000000", 0.9), // Abfallgebühr
    ("99128001120000", 0.85), // Briefwahl Zusendung
    ("99089017000000", 0.8), // Fundsachen
    ("99050012104000", 0.75), // Gewerbe Anmeldung
    ("99050012070000", 0.72), // Gewerbe Abmeldung
    ("99027002012000", 0.65), // Geburtsurkunde Ausstellung
    ("99049001000000", 0.6), // Führungszeugnis
    ("99108011153000", 0.55), // Halteverbotszone für Umzug
    ("99108001001000", 0.3), // Bewohnerparkausweis Erteilung
    ("99041004000000", 0.5), // Kindertagesstätte
    ("99059001104000", 0.45), // Eheschließung Anmeldung
    ("99102017000000", 0.25), // Zweitwohnungssteuer
    ("99108012005005", 0.4), // Plakatierung
    ("99102012000000", 0.5), // Grundsteuer
    ("99115002060001", 0.35), // Auskunftssperre
    ("99025002169000", 0.35), // Gaststättengewerbe Anzeige
    ("99101002058000", 0.3), // Bestattung Durchführung
    ("99073001022000", 0.3), // Kirchenaustritt Bescheinigung
    ("99042001012000", 0.2), // Fischereischein Ausstellung
    ("99014002035000", 0.3), // Urkunden Beglaubigung
    ("99008001000000", 0.4), // Personalausweis
    ("99085001000000", 0.4), // Reisepass
];

const UNIVERSAL: [(&str, &str, f64); 6] = [
    ("UP-KONTAKT", "Kontaktformular", 0.9),
    ("UP-ANTRAG", "Allgemeiner Antrag", 0.7),
    ("UP-TERMIN", "Terminvereinbarung", 0.5),
    ("UP-ANZEIGE", "Mängelmelder", 0.4),
    ("UP-VOLLMACHT", "Vollmacht einreichen", 0.25),
    ("UP-NACHREICHEN", "Unterlagen nachreichen", 0.6),
];

/// One administration as the OZG part sees it.
pub(super) struct OzgAdmin {
    pub id: String,
    pub lra: bool,
    pub weight: f64,
    pub has_lotse: bool,
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid constant date")
}

fn themenfeld_of(reference: &ReferenceData, ozg_id: &str) -> String {
    reference
        .ozg_services
        .iter()
        .find(|o| o.ozg_id == ozg_id)
        .map(|o| o.themenfeld.clone())
        .unwrap_or_default()
}

/// Builds the `prozesse` and `aktivierungen` CSV files: the 24 Standardprozesse, the
/// Universalprozesse and `extra` further processes from other LeiKa-Leistungen (the scale demo).
pub(super) fn ozg(
    rng: &mut Rng,
    reference: &ReferenceData,
    admins: &[OzgAdmin],
    today: NaiveDate,
    extra: usize,
) -> (String, String) {
    let (prozesse, processes) = catalogue(rng, reference, extra);
    let mut rows = activation_rows(rng, admins, &processes, today);
    rows.sort();
    let mut aktivierungen = String::from("verwaltung,prozess_id,aktiviert_am,deaktiviert_am\n");
    aktivierungen.extend(rows);
    (prozesse, aktivierungen)
}

/// The `prozesse` file and every process id with its popularity (1.0: flächendeckend by 2024,
/// 0.99: all Gemeinden but 8).
fn catalogue(
    rng: &mut Rng,
    reference: &ReferenceData,
    extra: usize,
) -> (String, Vec<(String, f64)>) {
    let mut prozesse = String::from("prozess_id,name,art,leika_schluessel,ozg_id,themenfeld\n");
    let mut processes: Vec<(String, f64)> = Vec::new();
    for (i, (key, popularity)) in STANDARD.iter().enumerate() {
        let Some(leika) = reference.leika_services.iter().find(|l| l.key == *key) else {
            continue; // a key missing from the shipped catalogue would be a build defect (tested)
        };
        let themenfeld = themenfeld_of(reference, &leika.ozg_id);
        let id = format!("SP{:02}", i + 1);
        let _ = writeln!(
            prozesse,
            "{id},{},standard,{key},{},{}",
            csv_field(&leika.name),
            leika.ozg_id,
            csv_field(&themenfeld)
        );
        processes.push((id, *popularity));
    }
    for (id, name, popularity) in UNIVERSAL {
        let _ = writeln!(prozesse, "{id},{name},universal,,,");
        processes.push((id.to_string(), popularity));
    }
    if extra > 0 {
        let mut others: Vec<_> = reference
            .leika_services
            .iter()
            .filter(|l| !l.ozg_id.is_empty() && !STANDARD.iter().any(|(k, _)| *k == l.key))
            .collect();
        rng.shuffle(&mut others);
        others.truncate(extra);
        others.sort_by(|a, b| a.key.cmp(&b.key));
        for (i, leika) in others.into_iter().enumerate() {
            let id = format!("EP{:03}", i + 1);
            // Most services are rare; a few become common.
            let popularity = 0.45 * rng.unit().powi(2);
            let _ = writeln!(
                prozesse,
                "{id},{},standard,{},{},{}",
                csv_field(&leika.name),
                leika.key,
                leika.ozg_id,
                csv_field(&themenfeld_of(reference, &leika.ozg_id))
            );
            processes.push((id, popularity));
        }
    }
    (prozesse, processes)
}

/// The activation rows (unsorted): per process, the Gemeinden that switched it on (larger ones
/// and those with a Lotse more often and earlier), a few off and on again, and some
/// Landratsämter.
fn activation_rows(
    rng: &mut Rng,
    admins: &[OzgAdmin],
    processes: &[(String, f64)],
    today: NaiveDate,
) -> Vec<String> {
    let max_weight = admins.iter().map(|a| a.weight).fold(0.0, f64::max);
    let start = d("2019-03-01");
    let mut rows: Vec<String> = Vec::new();
    let gemeinden: Vec<&OzgAdmin> = admins.iter().filter(|a| !a.lra).collect();
    for (p, (id, popularity)) in processes.iter().enumerate() {
        // The flächendeckend process reaches every Gemeinde by 2024; the 99 % one misses 8.
        let exact = *popularity >= 1.0;
        let missing: Vec<usize> = if (*popularity - 0.99).abs() < 1e-9 {
            let mut idx: Vec<usize> = (0..gemeinden.len()).collect();
            rng.shuffle(&mut idx);
            idx.truncate(8);
            idx
        } else {
            Vec::new()
        };
        for (g, a) in gemeinden.iter().enumerate() {
            let size = (a.weight / max_weight).sqrt();
            let lotse = if a.has_lotse { 1.25 } else { 0.8 };
            let chance = if exact {
                1.0
            } else if !missing.is_empty() {
                if missing.contains(&g) {
                    0.0
                } else {
                    1.0
                }
            } else {
                (popularity * (0.55 + 0.9 * size) * lotse).min(0.98)
            };
            if rng.unit() >= chance {
                continue;
            }
            // Larger Gemeinden and those with a Lotse switch on earlier.
            let eagerness = (size * 0.6 + if a.has_lotse { 0.3 } else { 0.0 }).min(0.9);
            let latest = if exact || !missing.is_empty() {
                d("2024-06-30")
            } else {
                today
            };
            let span = (latest - start).num_days().max(1) as f64;
            let offset = (rng.unit() * (1.0 - eagerness) * span) as u64 + (p as u64 * 7) % 60;
            let from = (start + Days::new(offset)).min(latest);
            // A few switch a process off for a while and on again.
            if !exact && missing.is_empty() && rng.unit() < 0.04 {
                let off = from + Days::new(90 + rng.below(200));
                let on = off + Days::new(30 + rng.below(200));
                if on <= today {
                    rows.push(format!("{},{id},{from},{off}\n", a.id));
                    rows.push(format!("{},{id},{on},\n", a.id));
                    continue;
                }
            }
            rows.push(format!("{},{id},{from},\n", a.id));
        }
        // Landratsämter offer a few processes too.
        for a in admins.iter().filter(|a| a.lra) {
            if rng.unit() < popularity * 0.25 {
                let from = start + Days::new(rng.below((today - start).num_days().max(1) as u64));
                rows.push(format!("{},{id},{from},\n", a.id));
            }
        }
    }
    rows
}

/// A CSV field, quoted where it holds a comma, a quote or a line break.
pub(super) fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_process_has_a_real_leika_key() {
        let reference = ReferenceData::embedded();
        for (key, _) in STANDARD {
            assert!(
                reference.leika_services.iter().any(|l| l.key == key),
                "{key} not in the LeiKa catalogue"
            );
        }
    }
}
