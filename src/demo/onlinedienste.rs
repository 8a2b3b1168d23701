//! The demo's `onlinedienste` file, in the shape of the federal dashboard's export and consistent
//! with the demo's activations: at two Datenstände, every Standardprozess with a LeiKa key that
//! is switched on — one Land row where every Gemeinde has it (landesweit flächendeckend), one
//! Kreis row where every Gemeinde of the Kreis has it or its Landratsamt offers it (kreisweit),
//! else a row per Gemeinde (in mind. einer Kommune; kreisweit where all but one Gemeinde of a
//! Kreis of ten or more have it, as a lagging federal count would say: the atlas disagrees) —
//! two services of the Bund, and about 3 % of links broken. Addresses are under `.invalid`: nothing real is linked.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use chrono::NaiveDate;

use super::catalogue::csv_field;
use super::rng::Rng;
use crate::model::rows::{Onlinedienst, BUND};
use crate::model::Flaechendeckung;
use crate::registry::reference::ReferenceData;
use crate::registry::{Level, Region};

/// The Datenstände of the demo: mid-year and the demo's end.
const SNAPSHOTS: [&str; 2] = ["2026-06-30", super::DEMO_END];

const HEADER: &str = "leika_key,leika_name,ars,ars_name,ozgid,url,online_status,aktiv,\
                      art_flaechendeckung,datenstand_pvog_import\n";

/// A switched-on process: (administration, process, from, until).
type Activation = (String, String, NaiveDate, Option<NaiveDate>);

/// The processes with a LeiKa key: id -> (LeiKa key, name, OZG-ID).
fn standard_processes(prozesse: &str) -> BTreeMap<String, (String, String, String)> {
    let mut out = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(prozesse.as_bytes());
    for row in reader.records().flatten() {
        let (id, name, leika, ozg) = (&row[0], &row[1], &row[3], &row[4]);
        if !leika.is_empty() {
            out.insert(
                id.to_string(),
                (leika.to_string(), name.to_string(), ozg.to_string()),
            );
        }
    }
    out
}

fn activations(aktivierungen: &str) -> Vec<Activation> {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut reader = csv::Reader::from_reader(aktivierungen.as_bytes());
    reader
        .records()
        .flatten()
        .filter_map(|r| Some((r[0].to_string(), r[1].to_string(), day(&r[2])?, day(&r[3]))))
        .collect()
}

/// The demo's Onlinedienste file for the generated `prozesse` and `aktivierungen`.
pub(super) fn onlinedienste(
    rng: &mut Rng,
    reference: &ReferenceData,
    prozesse: &str,
    aktivierungen: &str,
) -> String {
    let areas = Areas::of(reference);
    let processes = standard_processes(prozesse);
    let activations = activations(aktivierungen);
    let mut rows: Vec<String> = Vec::new();
    for snapshot in SNAPSHOTS {
        let day = NaiveDate::parse_from_str(snapshot, "%Y-%m-%d").unwrap_or_default();
        // Who has each process on the day.
        let mut has: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (admin, process, from, until) in &activations {
            if *from <= day && until.is_none_or(|u| u > day) {
                has.entry(process.as_str())
                    .or_default()
                    .insert(admin.as_str());
            }
        }
        let empty = BTreeSet::new();
        for (id, service) in &processes {
            let admins = has.get(id.as_str()).unwrap_or(&empty);
            for (ars, ars_name, class) in areas.offering(admins) {
                let status = Onlinedienst::status_text(rng.unit() >= 0.03);
                rows.push(row(service, &ars, ars_name, status, class, snapshot));
            }
        }
        // Two services of the Bund (EfA, bundesweit flächendeckend), from the LeiKa catalogue.
        for leika in reference.leika_services.iter().rev().take(2) {
            let service = (leika.key.clone(), leika.name.clone(), leika.ozg_id.clone());
            let class = Flaechendeckung::Bundesweit;
            let ok = Onlinedienst::status_text(true);
            rows.push(row(&service, BUND, "Bund", ok, class, snapshot));
        }
    }
    rows.sort();
    let mut out = String::from(HEADER);
    for r in rows {
        let _ = out.write_str(&r);
    }
    out
}

/// One line of the file.
fn row(
    (leika, name, ozg): &(String, String, String),
    ars: &str,
    ars_name: &str,
    status: &str,
    class: Flaechendeckung,
    snapshot: &str,
) -> String {
    format!(
        "{leika},{},{ars},{},{ozg},https://onlinedienste.demo.invalid/{leika}/{ars},{status},ja,{},{snapshot}\n",
        csv_field(name),
        csv_field(ars_name),
        class.as_str()
    )
}

/// The Land, the Kreise and their Gemeinden, by the keys of the demo's administrations.
struct Areas<'r> {
    land: Option<&'r Region>,
    /// Kreis key -> (Kreis, its Gemeinden).
    kreise: BTreeMap<&'r str, (&'r Region, Vec<&'r Region>)>,
}

impl<'r> Areas<'r> {
    fn of(reference: &'r ReferenceData) -> Areas<'r> {
        let mut kreise: BTreeMap<&str, (&Region, Vec<&Region>)> = reference
            .regions
            .iter()
            .filter(|r| r.level == Level::Kreis)
            .map(|r| (r.ags.as_str(), (r, Vec::new())))
            .collect();
        for g in reference
            .regions
            .iter()
            .filter(|r| r.level == Level::Gemeinde)
        {
            if let Some(k) = g.kreis.as_deref().and_then(|k| kreise.get_mut(k)) {
                k.1.push(g);
            }
        }
        let land = reference.regions.iter().find(|r| r.level == Level::Land);
        Areas { land, kreise }
    }

    /// Where a process the administrations `admins` have is offered: the Land where every
    /// Gemeinde has it, else a Kreis where all its Gemeinden have it or its Landratsamt does,
    /// else each Gemeinde that has it. (12-digit ARS, name, class).
    fn offering(&self, admins: &BTreeSet<&str>) -> Vec<(String, &'r str, Flaechendeckung)> {
        let has = |g: &&Region| admins.contains(g.ags.as_str());
        let everywhere = self
            .kreise
            .values()
            .all(|(_, members)| members.iter().all(has));
        if let (true, Some(land)) = (everywhere, self.land) {
            return vec![(
                format!("{:0<12}", land.ars),
                land.name.as_str(),
                Flaechendeckung::Landesweit,
            )];
        }
        let mut out = Vec::new();
        for (key, (kreis, members)) in &self.kreise {
            if admins.contains(key) || (!members.is_empty() && members.iter().all(has)) {
                out.push((
                    format!("{key:0<12}"),
                    kreis.name.as_str(),
                    Flaechendeckung::Kreisweit,
                ));
                continue;
            }
            // The federal class lags where all but one Gemeinde of a larger Kreis have it (its
            // count of the Kreis' Gemeinden is older): it says kreisweit, the atlas disagrees.
            let missing = members.iter().filter(|g| !has(g)).count();
            let class = if missing == 1 && members.len() >= 10 {
                Flaechendeckung::Kreisweit
            } else {
                Flaechendeckung::InMindestensEinerKommune
            };
            for g in members.iter().filter(|g| has(g)) {
                out.push((g.ars.clone(), g.name.as_str(), class));
            }
        }
        out
    }
}
