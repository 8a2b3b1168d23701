//! A deterministic synthetic dataset ("Demodaten") in the canonical import formats, built so that
//! the published figures come out exactly at their dates (see docs/demo-data.md) and everything
//! else is plausible. Same seed, same bytes.

mod catalogue;
mod onlinedienste;
mod rng;
pub mod scale;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::registry::reference::ReferenceData;
use crate::registry::{Level, Region};
use rng::Rng;

/// The prefix of every demo file's source name in the import log; it marks data as synthetic.
pub const SOURCE_PREFIX: &str = "demo:";

pub const PROVIDERS: [&str; 2] = [
    "Verwaltungsschule des Gemeindetags Baden-Württemberg",
    "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg",
];

/// The published figures the demo reproduces, with their dates.
pub use crate::model::published;

/// The generated files: (file name, dataset, CSV text), in import order.
#[derive(Debug)]
pub struct DemoFiles {
    pub files: Vec<(&'static str, crate::model::Dataset, String)>,
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid constant date")
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A random day in `[from, to]`.
fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    from + Days::new(rng.below(span + 1))
}

/// One administration of the demo: (id, is Landratsamt, population weight, kreis key).
#[derive(Debug, Clone)]
struct Admin {
    id: String,
    lra: bool,
    weight: f64,
}

/// Urban Kreise take part earlier: a factor from the Kreis' population density.
fn kreis_factor(kreis: &Region) -> f64 {
    let density = kreis.population as f64 / kreis.area_km2.max(1.0);
    (density / 350.0).clamp(0.45, 1.8)
}

fn gemeinde_weight(g: &Region, kreis: &Region) -> f64 {
    let type_bonus = match g.kind.as_str() {
        "Stadtkreis" | "Kreisfreie Stadt" => 3.0,
        "Große Kreisstadt" => 1.8,
        "Stadt" => 1.2,
        _ => 1.0,
    };
    (g.population as f64).powf(0.55) * type_bonus * kreis_factor(kreis)
}

/// Every Gemeinde and every Landratsamt of `reference`, with its weight.
fn administrations(reference: &ReferenceData) -> Vec<Admin> {
    let kreise: BTreeMap<&str, &Region> = reference
        .regions
        .iter()
        .filter(|r| r.level == Level::Kreis)
        .map(|r| (r.ags.as_str(), r))
        .collect();
    let gemeinden: Vec<&Region> = reference
        .regions
        .iter()
        .filter(|r| r.level == Level::Gemeinde)
        .collect();
    let mut admins: Vec<Admin> = gemeinden
        .iter()
        .map(|g| Admin {
            id: g.ags.clone(),
            lra: false,
            weight: gemeinde_weight(g, kreise[g.kreis.as_deref().unwrap_or("")]),
        })
        .collect();
    for k in kreise
        .values()
        .filter(|k| crate::registry::territory::has_kreis_administration(&k.kind))
    {
        admins.push(Admin {
            id: k.ags.clone(),
            lra: true,
            weight: kreis_factor(k),
        });
    }
    admins
}

/// Picks `k` items without replacement, each with probability proportional to its weight
/// (Efraimidis–Spirakis keys), in a deterministic order.
fn weighted_sample(rng: &mut Rng, items: &[(usize, f64)], k: usize) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = items
        .iter()
        .map(|&(i, w)| (rng.unit().max(1e-12).powf(1.0 / w.max(1e-9)), i))
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    keyed.into_iter().take(k).map(|(_, i)| i).collect()
}

/// The demo's records end on this day, so that the same seed gives the same bytes on any day.
pub const DEMO_END: &str = "2026-10-31";

/// The seed the README's start command uses.
pub const DEFAULT_SEED: u64 = 2018;

/// Generates the demo files for `seed`, with records up to [`DEMO_END`].
pub fn generate(seed: u64) -> DemoFiles {
    let today = d(DEMO_END);
    let reference = ReferenceData::embedded();
    let mut rng = Rng::new(seed);
    let admins = administrations(&reference);
    // One random stream, drawn from in this order: who has Lotsen by 30.06.2021, when each
    // qualified, who followed later, the rows.
    let cover = cover_2021(&mut rng, &admins);
    let people = people_2021(&mut rng, &admins, &cover);
    let later = later_lotsen(&mut rng, &admins, today);
    let with_lotse: BTreeSet<usize> = people
        .iter()
        .map(|p| p.admin)
        .chain(later.iter().map(|l| l.0))
        .collect();
    let q = qualifikationen(&mut rng, &admins, &people, later, today);
    let ozg_admins: Vec<catalogue::OzgAdmin> = admins
        .iter()
        .enumerate()
        .map(|(i, a)| catalogue::OzgAdmin {
            id: a.id.clone(),
            lra: a.lra,
            weight: a.weight,
            has_lotse: with_lotse.contains(&i),
        })
        .collect();
    // Separate streams, so that a change in one part does not reshuffle the others.
    let (prozesse, aktivierungen) = catalogue::ozg(
        &mut Rng::new(seed ^ 0x6f7a67),
        &reference,
        &ozg_admins,
        today,
        0,
    );
    let gemeinden = gemeinde_populations(&reference);
    let konten = accounts(&mut Rng::new(seed ^ 0x6b6f6e), today, 1.0, &gemeinden);
    let onlinedienste = onlinedienste::onlinedienste(
        &mut Rng::new(seed ^ 0x6f6e6c),
        &reference,
        &prozesse,
        &aktivierungen,
    );
    DemoFiles {
        files: vec![
            ("prozesse.csv", crate::model::Dataset::Prozesse, prozesse),
            (
                "qualifikationen.csv",
                crate::model::Dataset::Qualifikationen,
                q,
            ),
            (
                "aktivierungen.csv",
                crate::model::Dataset::Aktivierungen,
                aktivierungen,
            ),
            ("konten.csv", crate::model::Dataset::Konten, konten),
            (
                "onlinedienste.csv",
                crate::model::Dataset::Onlinedienste,
                onlinedienste,
            ),
        ],
    }
}

/// Who has Lotsen by 30.06.2021 (the published Kommunen and Landkreise), who of them took
/// Aufbau, and how many Lotsen each has.
struct Cover {
    landkreise: Vec<usize>,
    lra_2019: BTreeSet<usize>,
    aufbau_quota: BTreeMap<usize, usize>,
    lotsen_count: BTreeMap<usize, usize>,
}

/// A Lotse of the published period.
struct Person {
    admin: usize,
    id: String,
    basis: NaiveDate,
    aufbau: Option<NaiveDate>,
}

fn cover_2021(rng: &mut Rng, admins: &[Admin]) -> Cover {
    let gem_idx: Vec<(usize, f64)> = admins
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.lra)
        .map(|(i, a)| (i, a.weight))
        .collect();
    let lra_idx: Vec<(usize, f64)> = admins
        .iter()
        .enumerate()
        .filter(|(_, a)| a.lra)
        .map(|(i, a)| (i, a.weight))
        .collect();
    use published::*;
    // Who has Lotsen by 30.06.2021, and who of them took Aufbau by then.
    let kommunen = weighted_sample(rng, &gem_idx, KOMMUNEN_2021);
    let landkreise = weighted_sample(rng, &lra_idx, LANDKREISE_2021);
    let lra_2019: BTreeSet<usize> = landkreise[..LANDKREISE_2019].iter().copied().collect();
    let pick = |set: &[usize]| -> Vec<(usize, f64)> {
        set.iter().map(|&i| (i, admins[i].weight)).collect()
    };
    let aufbau_kommunen = weighted_sample(rng, &pick(&kommunen), AUFBAU_KOMMUNEN_2021);
    let aufbau_lra = weighted_sample(rng, &pick(&landkreise), AUFBAU_LANDKREISE_2021);
    let aufbau_admins: Vec<usize> = aufbau_kommunen.iter().chain(&aufbau_lra).copied().collect();

    // Lotsen per administration: each has one; Aufbau administrations get their Aufbau quota
    // (one each plus the rest by weight); the remaining Lotsen go by weight.
    let covered: Vec<usize> = kommunen.iter().chain(&landkreise).copied().collect();
    let mut aufbau_quota: BTreeMap<usize, usize> = aufbau_admins.iter().map(|&i| (i, 1)).collect();
    for _ in 0..AUFBAU_LOTSEN_2021 - aufbau_admins.len() {
        let i = aufbau_admins[rng.weighted(
            &aufbau_admins
                .iter()
                .map(|&i| admins[i].weight)
                .collect::<Vec<_>>(),
        )];
        *aufbau_quota.get_mut(&i).expect("aufbau admin") += 1;
    }
    let mut lotsen_count: BTreeMap<usize, usize> = covered
        .iter()
        .map(|&i| (i, aufbau_quota.get(&i).copied().unwrap_or(1)))
        .collect();
    let assigned: usize = lotsen_count.values().sum();
    let covered_weights: Vec<f64> = covered.iter().map(|&i| admins[i].weight).collect();
    for _ in 0..LOTSEN_2021 - assigned {
        let i = covered[rng.weighted(&covered_weights)];
        *lotsen_count.get_mut(&i).expect("covered admin") += 1;
    }
    Cover {
        landkreise,
        lra_2019,
        aufbau_quota,
        lotsen_count,
    }
}

/// The Lotsen up to 30.06.2021 with their Basis and Aufbau days.
fn people_2021(rng: &mut Rng, admins: &[Admin], cover: &Cover) -> Vec<Person> {
    use published::*;
    let Cover {
        landkreise,
        lra_2019,
        aufbau_quota,
        lotsen_count,
    } = cover;
    // Participants up to 30.06.2021, their days below.
    let mut people: Vec<Person> = Vec::new();
    for (&admin, &n) in lotsen_count {
        for _ in 0..n {
            let serial = people.len() + 1;
            people.push(Person {
                admin,
                id: participant_id(&admins[admin], serial),
                basis: d(DATE_2021),
                aufbau: None,
            });
        }
    }
    let early = early_participants(rng, &people, landkreise, lra_2019);
    basis_days(rng, &mut people, &early);
    aufbau_days(rng, &mut people, aufbau_quota);
    people
}

/// The 396 participants who finish by 24.07.2019, in the order they finish: one from each of
/// the 23 early Landratsämter, none from the 7 late ones, the rest at random.
fn early_participants(
    rng: &mut Rng,
    people: &[Person],
    landkreise: &[usize],
    lra_2019: &BTreeSet<usize>,
) -> Vec<usize> {
    use published::*;
    let late_lra: BTreeSet<usize> = landkreise[LANDKREISE_2019..].iter().copied().collect();
    let mut early: Vec<usize> = Vec::new();
    for &lra in lra_2019 {
        let p = people
            .iter()
            .position(|p| p.admin == lra)
            .expect("LRA has a Lotse");
        early.push(p);
    }
    let mut candidates: Vec<usize> = (0..people.len())
        .filter(|p| !early.contains(p) && !late_lra.contains(&people[*p].admin))
        .collect();
    rng.shuffle(&mut candidates);
    let missing = LOTSEN_2019 - early.len();
    early.extend(candidates.into_iter().take(missing));
    rng.shuffle(&mut early);
    early
}

/// Every Basis day up to 30.06.2021. The early participants finish in three phases: 197 by
/// 19.02.2019, 228 by the end of April (none in May, so every day of May 2019 has 228), the
/// rest by 24.07.2019; the others from September 2019.
fn basis_days(rng: &mut Rng, people: &mut [Person], early: &[usize]) {
    use published::*;
    let phases = [
        (
            sessions(d("2018-11-23"), d(DATE_FEB_2019), 7),
            LOTSEN_FEB_2019,
        ),
        (
            sessions(d("2019-03-08"), d("2019-04-30"), 4),
            LOTSEN_MAY_2019,
        ),
        (sessions(d("2019-06-04"), d(DATE_2019), 7), LOTSEN_2019),
    ];
    let sessions_late = sessions(d("2019-09-20"), d(DATE_2021), 24);
    let mut phase_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut from = 0;
    for (phase, (_, until)) in phases.iter().enumerate() {
        for &p in &early[from..*until] {
            phase_of.insert(p, phase);
        }
        from = *until;
    }
    for (i, p) in people.iter_mut().enumerate() {
        let pool = phase_of.get(&i).map_or(&sessions_late, |&ph| &phases[ph].0);
        p.basis = pool[rng.below(pool.len() as u64) as usize];
    }
    // Projektstart: the first course ends in November 2018.
    people[early[0]].basis = phases[0].0[0];
}

/// Aufbau (from 2020) by 30.06.2021: per Aufbau administration its quota of Lotsen, those with
/// the earliest Basis first.
fn aufbau_days(rng: &mut Rng, people: &mut [Person], aufbau_quota: &BTreeMap<usize, usize>) {
    use published::*;
    for (&admin, &quota) in aufbau_quota {
        let mut mine: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].admin == admin)
            .collect();
        mine.sort_by_key(|&i| (people[i].basis, i));
        for &i in mine.iter().take(quota) {
            let from = (people[i].basis + Days::new(30)).max(d("2020-02-01"));
            let day = if from > d(DATE_2021) {
                d(DATE_2021)
            } else {
                working_day(day_between(rng, from, d(DATE_2021)), from, d(DATE_2021))
            };
            people[i].aufbau = Some(day.max(people[i].basis));
        }
    }
}

/// After 30.06.2021 the rollout goes on: (administration, day, also Aufbau). Up to March 2023
/// faster (the published "more than 770" of April 2023: 775 to 785 by its first day, drawn
/// month by month), then 4–8 new Lotsen a month anywhere.
fn later_lotsen(
    rng: &mut Rng,
    admins: &[Admin],
    today: NaiveDate,
) -> Vec<(usize, NaiveDate, bool)> {
    let start = d("2021-07-01");
    let april_2023 = d(published::MONTH_APRIL_2023.0);
    let mut months: Vec<(NaiveDate, usize)> = Vec::new();
    let mut month = start;
    while month <= today {
        months.push((month, 0));
        month = month + chrono::Months::new(1);
    }
    let fast = months.iter().filter(|(m, _)| *m < april_2023).count();
    let by_april = 775 + rng.below(11) as usize - published::LOTSEN_2021;
    for _ in 0..by_april {
        months[rng.below(fast as u64) as usize].1 += 1;
    }
    for (_, n) in &mut months[fast..] {
        *n = 4 + rng.below(5) as usize;
    }
    let mut later: Vec<(usize, NaiveDate, bool)> = Vec::new();
    let all_weights: Vec<f64> = admins.iter().map(|a| a.weight).collect();
    for (month, n) in months {
        let end = (month + chrono::Months::new(1)) - Days::new(1);
        let last = end.min(today);
        for _ in 0..n {
            let admin = rng.weighted(&all_weights);
            let aufbau = rng.unit() < 0.3;
            let day = working_day(day_between(rng, month, last), month, last);
            later.push((admin, day, aufbau));
        }
    }
    later
}

/// The `qualifikationen` file of all Lotsen, rows sorted.
fn qualifikationen(
    rng: &mut Rng,
    admins: &[Admin],
    people: &[Person],
    later: Vec<(usize, NaiveDate, bool)>,
    today: NaiveDate,
) -> String {
    let mut q = String::from(QUALIFIKATIONEN_HEADER);
    let mut rows: Vec<String> = Vec::new();
    for p in people {
        basis_row(&mut rows, rng, &p.id, &admins[p.admin], p.basis);
        if let Some(day) = p.aufbau {
            aufbau_row(&mut rows, rng, &p.id, &admins[p.admin], day);
        }
    }
    for (admin, day, aufbau) in later {
        let serial = people.len() + rows.len() + 1;
        let id = participant_id(&admins[admin], serial);
        basis_row(&mut rows, rng, &id, &admins[admin], day);
        if aufbau {
            let a = working_day(day + Days::new(60 + rng.below(300)), day, today);
            if a <= today {
                aufbau_row(&mut rows, rng, &id, &admins[admin], a);
            }
        }
    }
    rows.sort();
    q.extend(rows);
    q
}

/// One `qualifikationen` row of a Basisqualifizierung.
fn basis_row(rows: &mut Vec<String>, rng: &mut Rng, id: &str, admin: &Admin, day: NaiveDate) {
    let provider = PROVIDERS[rng.below(2) as usize];
    rows.push(format!(
        "{id},{},basis,Basisqualifizierung {},{provider},{},3,300.00\n",
        admin.id,
        course_label(day),
        iso(day)
    ));
}

/// One `qualifikationen` row of an Aufbauschulung (at most 50 EUR per seminar day).
fn aufbau_row(rows: &mut Vec<String>, rng: &mut Rng, id: &str, admin: &Admin, day: NaiveDate) {
    let (topic, days) =
        catalogue::AUFBAU_COURSES[rng.below(catalogue::AUFBAU_COURSES.len() as u64) as usize];
    let per_day = [50.0, 50.0, 45.0][rng.below(3) as usize];
    rows.push(format!(
        "{id},{},aufbau,Aufbauschulung {topic} {},{},{},{days},{:.2}\n",
        admin.id,
        course_label(day),
        PROVIDERS[rng.below(2) as usize],
        iso(day),
        per_day * days as f64
    ));
}

const QUALIFIKATIONEN_HEADER: &str =
    "teilnehmer_id,verwaltung,programm,kurs,anbieter,abschluss,seminartage,foerderung_eur\n";

/// A pseudonymous Bildungs-Voucher-ID: the AGS (or Kreis key of a Landratsamt) and a serial.
fn participant_id(admin: &Admin, serial: usize) -> String {
    if admin.lra {
        format!("{}-LRA-BV{serial:05}", admin.id)
    } else {
        format!("{}-BV{serial:05}", admin.id)
    }
}

fn course_label(day: NaiveDate) -> String {
    format!("{}/{:02}", day.year(), day.month())
}

/// `n` course end dates spread over `[from, to]`, the first on `from`, the last on `to`, each on
/// a working day (`from` and `to` are ones).
fn sessions(from: NaiveDate, to: NaiveDate, n: usize) -> Vec<NaiveDate> {
    let span = (to - from).num_days();
    let steps = (n.max(2) - 1) as i64;
    (0..n.max(2))
        .map(|i| working_day(from + Days::new((span * i as i64 / steps) as u64), from, to))
        .collect()
}

/// `day`, or the nearest working day (Monday to Friday) in `[from, to]`: the Friday before a
/// weekend, or the Monday after where the Friday is before `from`; `day` itself if there is none.
fn working_day(day: NaiveDate, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    use chrono::Weekday::{Sat, Sun};
    let back = match day.weekday() {
        Sat => 1,
        Sun => 2,
        _ => return day,
    };
    let friday = day - Days::new(back);
    let monday = day + Days::new(3 - back);
    if friday >= from {
        friday
    } else if monday <= to {
        monday
    } else {
        day
    }
}

/// Month-end service-bw account counts, growing along a logistic curve.
/// `scale` multiplies the Land's curve (Baden-Württemberg = 1).
/// The Gemeinden of `reference` with their population: (AGS, population).
pub(crate) fn gemeinde_populations(reference: &ReferenceData) -> Vec<(String, f64)> {
    reference
        .regions
        .iter()
        .filter(|r| r.level == Level::Gemeinde)
        .map(|r| (r.ags.clone(), r.population as f64))
        .collect()
}

/// Quarter ends (the last four up to `today`) get per-Gemeinde account rows as well.
const PER_KOMMUNE_STICHTAGE: usize = 4;

/// The Land-wide account counts at every month end, and at the last quarter ends the same
/// totals split across the Gemeinden (by population, with a local factor), so that the
/// per-Kommune rows of a Stichtag add up to exactly its Land-wide count.
fn accounts(rng: &mut Rng, today: NaiveDate, scale: f64, gemeinden: &[(String, f64)]) -> String {
    let mut s = String::from("stichtag,kontotyp,verwaltung,anzahl\n");
    let mut month = d("2019-01-01");
    let mut i = 0.0;
    let mut totals: Vec<(NaiveDate, [i64; 2])> = Vec::new();
    loop {
        let end = (month + chrono::Months::new(1)) - Days::new(1);
        if end > today {
            break;
        }
        let t = i / 12.0;
        let logistic = |cap: f64, mid: f64, rate: f64| cap / (1.0 + (-(t - mid) * rate).exp());
        let noise = 1.0 + (rng.unit() - 0.5) * 0.01;
        let buerger = (logistic(2_100_000.0 * scale, 4.0, 0.9) * noise).round();
        let orga = (logistic(110_000.0 * scale, 4.5, 0.8) * noise).round();
        let _ = writeln!(s, "{},buerger,,{buerger}", iso(end));
        let _ = writeln!(s, "{},organisation,,{orga}", iso(end));
        if end.month().is_multiple_of(3) {
            totals.push((end, [buerger as i64, orga as i64]));
        }
        month = month + chrono::Months::new(1);
        i += 1.0;
    }
    // A Gemeinde's share of the accounts: its population with a factor that stays with it.
    let weights: Vec<[f64; 2]> = gemeinden
        .iter()
        .map(|(_, pop)| {
            [
                pop * (0.6 + 0.8 * rng.unit()),
                pop * (0.4 + 1.2 * rng.unit()),
            ]
        })
        .collect();
    let from = totals.len().saturating_sub(PER_KOMMUNE_STICHTAGE);
    for (day, total) in &totals[from..] {
        for (k, kind) in crate::model::ACCOUNT_TYPES.iter().enumerate() {
            let w: Vec<f64> = weights.iter().map(|w| w[k]).collect();
            for ((ags, _), count) in gemeinden.iter().zip(split_exactly(total[k], &w)) {
                let _ = writeln!(s, "{},{kind},{ags},{count}", iso(*day));
            }
        }
    }
    s
}

/// `total` split in proportion to `weights` into whole numbers that add up to `total`
/// (largest remainder).
fn split_exactly(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let missing = total - out.iter().sum::<i64>();
    for &i in order.iter().cycle().take(missing.max(0) as usize) {
        out[i] += 1;
    }
    out
}

/// Writes the files into `dir`.
pub fn write(files: &DemoFiles, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, _, text) in &files.files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

/// Imports the demo files through the normal import path (idempotent: a second run changes nothing).
pub async fn import(
    store: &crate::store::Store,
    seed: u64,
) -> Result<Vec<crate::import::Summary>, crate::import::ImportError> {
    import_files(store, &generate(seed)).await
}

/// The demo files for a registry: the Land's demo for the embedded one, the scale demo's
/// activity for any other (e.g. `--registry` pointing at `demo --scale de`'s registry).
pub fn for_registry(seed: u64, reference: &ReferenceData) -> DemoFiles {
    if reference.edition.edition == crate::registry::reference::EDITION {
        generate(seed)
    } else {
        scale::activity(seed, reference)
    }
}

/// Imports generated files through the normal import path, in their order.
pub async fn import_files(
    store: &crate::store::Store,
    files: &DemoFiles,
) -> Result<Vec<crate::import::Summary>, crate::import::ImportError> {
    let mut out = Vec::new();
    for (name, dataset, text) in &files.files {
        let req = crate::import::Request {
            dataset: *dataset,
            source_name: format!("{SOURCE_PREFIX}{name}"),
            input: crate::import::Input::Bytes(text.as_bytes()),
            format_hint: Some("text/csv".into()),
            dry_run: false,
            actor: "demo".into(),
            stichtag: None,
        };
        out.push(
            crate::import::run(
                store,
                &req,
                crate::import::Limits::default(),
                &indicatif::ProgressBar::hidden(),
            )
            .await?,
        );
    }
    Ok(out)
}

#[cfg(test)]
mod account_tests {
    use super::*;

    #[test]
    fn per_kommune_accounts_add_up_to_the_land_totals() {
        assert_eq!(split_exactly(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(split_exactly(0, &[1.0, 2.0]), vec![0, 0]);
        let files = generate(DEFAULT_SEED);
        let konten = &files.files.iter().find(|f| f.0 == "konten.csv").unwrap().2;
        let mut land: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut kommunen: BTreeMap<(String, String), i64> = BTreeMap::new();
        for line in konten.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let key = (f[0].to_string(), f[1].to_string());
            let n: i64 = f[3].parse().unwrap();
            if f[2].is_empty() {
                land.insert(key, n);
            } else {
                *kommunen.entry(key).or_default() += n;
            }
        }
        assert_eq!(kommunen.len(), 2 * PER_KOMMUNE_STICHTAGE);
        for (key, sum) in &kommunen {
            assert_eq!(Some(sum), land.get(key), "{key:?}");
        }
    }
}
