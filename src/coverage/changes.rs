//! What changed between two days, per administration and summed: new Lotsen (people whose first
//! qualification falls in the span) and new Aufbau courses, processes switched on and off, and
//! the Onlinedienste available to a Gemeinde that are new, gone or newly broken between the two
//! days' deliveries. The span is `(from, to]`: what happened after `from`, up to and on `to`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::raw::{Admin, AdminKind, Programme, RawData};
use crate::registry::Level;

/// One administration's changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdminChanges {
    pub admin: usize,
    /// People whose first qualification falls in the span.
    pub lotsen_new: u32,
    /// Aufbau courses completed in the span.
    pub aufbau_new: u32,
    /// Processes switched on / off in the span (indexes into `RawData::processes`).
    pub switched_on: Vec<usize>,
    pub switched_off: Vec<usize>,
    /// Onlinedienste (LeiKa keys) available on `to` but not on `from`, the other way round, and
    /// with a link that works on `from` (or was not there) and not on `to`.
    pub services_new: u32,
    pub services_gone: u32,
    pub services_broken: u32,
}

impl AdminChanges {
    fn is_empty(&self) -> bool {
        self.lotsen_new == 0
            && self.aufbau_new == 0
            && self.switched_on.is_empty()
            && self.switched_off.is_empty()
            && self.services_new == 0
            && self.services_gone == 0
            && self.services_broken == 0
    }
}

/// Changes summed over administrations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Administrations with any change.
    pub administrations: u32,
    pub lotsen_new: u32,
    pub aufbau_new: u32,
    pub switched_on: u32,
    pub switched_off: u32,
    pub services_new: u32,
    pub services_gone: u32,
    pub services_broken: u32,
}

impl Totals {
    fn add(&mut self, c: &AdminChanges) {
        self.administrations += 1;
        self.lotsen_new += c.lotsen_new;
        self.aufbau_new += c.aufbau_new;
        self.switched_on += c.switched_on.len() as u32;
        self.switched_off += c.switched_off.len() as u32;
        self.services_new += c.services_new;
        self.services_gone += c.services_gone;
        self.services_broken += c.services_broken;
    }

    pub fn is_empty(&self) -> bool {
        self.administrations == 0
    }
}

/// The changes of a span in an area.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Administrations with any change, in registry order.
    pub admins: Vec<AdminChanges>,
}

impl Changes {
    /// What changed after `from` up to `to` in the administrations `in_area` selects.
    pub fn of(
        raw: &RawData,
        from: NaiveDate,
        to: NaiveDate,
        in_area: impl Fn(&Admin) -> bool,
    ) -> Changes {
        let within = |d: NaiveDate| from < d && d <= to;
        let mut by_admin: Vec<AdminChanges> = (0..raw.admins.len())
            .map(|admin| AdminChanges {
                admin,
                ..AdminChanges::default()
            })
            .collect();
        let mut first: HashMap<u32, (NaiveDate, u32)> = HashMap::new();
        for q in &raw.qualifications {
            let e = first
                .entry(q.participant)
                .or_insert((q.completed_on, q.admin));
            if q.completed_on < e.0 {
                *e = (q.completed_on, q.admin);
            }
            if q.programme == Programme::Aufbau && within(q.completed_on) {
                by_admin[q.admin as usize].aufbau_new += 1;
            }
        }
        for (day, admin) in first.into_values() {
            if within(day) {
                by_admin[admin as usize].lotsen_new += 1;
            }
        }
        for a in &raw.activations {
            let c = &mut by_admin[a.admin as usize];
            if within(a.from) {
                c.switched_on.push(a.process as usize);
            }
            if a.until.is_some_and(within) {
                c.switched_off.push(a.process as usize);
            }
        }
        // A span that ends before it begins is empty.
        if !raw.onlinedienste.is_empty() && from < to {
            services(raw, from, to, &mut by_admin);
        }
        let admins = by_admin
            .into_iter()
            .filter(|c| in_area(&raw.admins[c.admin]) && !c.is_empty())
            .map(|mut c| {
                c.switched_on.sort_unstable();
                c.switched_off.sort_unstable();
                c
            })
            .collect();
        Changes { from, to, admins }
    }

    /// Summed over every administration.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for c in &self.admins {
            t.add(c);
        }
        t
    }

    /// Summed per Kreis (index into `RawData::kreise`), for the Kreise with any change.
    pub fn by_kreis(&self, raw: &RawData) -> Vec<(usize, Totals)> {
        let mut sums = vec![Totals::default(); raw.kreise.len()];
        for c in &self.admins {
            sums[raw.admins[c.admin].kreis].add(c);
        }
        sums.into_iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }
}

/// Per Gemeinde: the services available on `to` against those on `from`.
fn services(raw: &RawData, from: NaiveDate, to: NaiveDate, by_admin: &mut [AdminChanges]) {
    let od = &raw.onlinedienste;
    for g in raw.registry.level(Level::Gemeinde) {
        let Some(&i) = raw.admin_idx.get(&g.ags) else {
            continue;
        };
        if raw.admins[i as usize].kind != AdminKind::Gemeinde {
            continue;
        }
        let state = |day| -> HashMap<&str, bool> {
            let mut m = HashMap::new();
            for (_, _, s) in od.available(&g.ars, day) {
                // A service offered twice (own and from above) works if one link works.
                *m.entry(s.leika).or_insert(false) |= s.online_ok;
            }
            m
        };
        let (before, after) = (state(from), state(to));
        let c = &mut by_admin[i as usize];
        let keys_before: HashSet<&str> = before.keys().copied().collect();
        c.services_new = after.keys().filter(|k| !keys_before.contains(*k)).count() as u32;
        c.services_gone = before.keys().filter(|k| !after.contains_key(*k)).count() as u32;
        c.services_broken = after
            .iter()
            .filter(|(k, ok)| !**ok && before.get(*k).copied().unwrap_or(true))
            .count() as u32;
    }
}
