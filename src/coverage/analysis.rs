//! "Wirken Digitallotsen?": do Gemeinden with a Digitallotse switch on more online services?
//! A comparison, not a proof of cause: within each size class (so that big cities do not drive
//! the result) the Gemeinden without a Lotse, with Basisqualifizierung and with Aufbauschulung;
//! and around the first Lotse's training, the processes switched on in the 12 months before
//! and after.

use chrono::{Days, NaiveDate};

use super::figures::{lotse_class, ratio, Figures};
use super::raw::RawData;
use crate::model::{AdminKind, Art, SizeClass};

/// The Lotse groups compared, by the best programme a Gemeinde has a Lotse of.
pub const GROUPS: [&str; 3] = ["keine", "basis", "aufbau"];

/// One group of Gemeinden within one size class (or all sizes).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GroupRow {
    /// The size class, `None` for all sizes together.
    pub size_class: Option<SizeClass>,
    /// Index into [`GROUPS`].
    pub group: usize,
    pub gemeinden: u32,
    pub population: i64,
    /// Average number of active Standardprozesse per Gemeinde.
    pub standard_active_avg: f64,
    /// Share of the people's Standardprozesse that are online: Σ population × (active / all
    /// Standardprozesse) / Σ population, 0..1.
    pub population_share_online: f64,
}

/// The Gemeinden whose first Lotse qualified at least 12 months before the day, within one size
/// class (or all sizes): processes switched on in the 12 months before and after that day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BeforeAfter {
    pub size_class: Option<SizeClass>,
    pub gemeinden: u32,
    /// Average activations per Gemeinde in the 12 months before the first Lotse.
    pub activations_before_avg: f64,
    /// … and in the 12 months from the first Lotse on.
    pub activations_after_avg: f64,
}

/// The comparison by size class and Lotse group as of the figures' day: for each size class
/// (and all sizes, last) the three groups.
pub fn by_group(raw: &RawData, f: &Figures) -> Vec<GroupRow> {
    let n_standard = raw.processes_of(Art::Standard).max(1) as f64;
    let mut sums = vec![(0u32, 0i64, 0u64, 0f64); (SizeClass::ALL.len() + 1) * GROUPS.len()];
    for (i, a) in raw.admins.iter().enumerate() {
        if a.kind != AdminKind::Gemeinde {
            continue;
        }
        let group = GROUPS
            .iter()
            .position(|g| *g == lotse_class(f.admin_lotsen[i]))
            .unwrap_or(0);
        let class = SizeClass::of(a.population) as usize;
        let standard = f.admin_ozg[i].standard;
        for slot in [class, SizeClass::ALL.len()] {
            let s = &mut sums[slot * GROUPS.len() + group];
            s.0 += 1;
            s.1 += a.population;
            s.2 += u64::from(standard);
            s.3 += a.population as f64 * f64::from(standard) / n_standard;
        }
    }
    sums.iter()
        .enumerate()
        .map(|(k, &(gemeinden, population, standard, online))| GroupRow {
            size_class: SizeClass::ALL.get(k / GROUPS.len()).copied(),
            group: k % GROUPS.len(),
            gemeinden,
            population,
            standard_active_avg: ratio(standard as f64, f64::from(gemeinden)),
            population_share_online: ratio(online, population as f64),
        })
        .collect()
}

/// Processes switched on in the 12 months before and after each Gemeinde's first Lotse, for the
/// Gemeinden whose 12 months after lie before `day`: per size class and all sizes (last).
pub fn before_after(raw: &RawData, day: NaiveDate) -> Vec<BeforeAfter> {
    let mut first: Vec<Option<NaiveDate>> = vec![None; raw.admins.len()];
    for q in &raw.qualifications {
        let f = &mut first[q.admin as usize];
        if f.is_none_or(|d| q.completed_on < d) {
            *f = Some(q.completed_on);
        }
    }
    let year = Days::new(365);
    let mut counts = vec![(0u32, 0u64, 0u64); SizeClass::ALL.len() + 1];
    let mut before = vec![0u64; raw.admins.len()];
    let mut after = vec![0u64; raw.admins.len()];
    for act in &raw.activations {
        let i = act.admin as usize;
        let Some(d0) = first[i] else { continue };
        if act.from >= d0 - year && act.from < d0 {
            before[i] += 1;
        } else if act.from >= d0 && act.from < d0 + year {
            after[i] += 1;
        }
    }
    for (i, a) in raw.admins.iter().enumerate() {
        let Some(d0) = first[i] else { continue };
        if a.kind != AdminKind::Gemeinde || d0 + year > day {
            continue;
        }
        for slot in [SizeClass::of(a.population) as usize, SizeClass::ALL.len()] {
            let c = &mut counts[slot];
            c.0 += 1;
            c.1 += before[i];
            c.2 += after[i];
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(k, &(n, b, a))| BeforeAfter {
            size_class: SizeClass::ALL.get(k).copied(),
            gemeinden: n,
            activations_before_avg: ratio(b as f64, f64::from(n)),
            activations_after_avg: ratio(a as f64, f64::from(n)),
        })
        .collect()
}
