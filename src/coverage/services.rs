//! What the federal Onlinedienste make on one day, computed here and never taken from the file:
//! per Gemeinde the distinct LeiKa services available (its own, and with those offered from
//! above) and those with a broken link; per area (every unit above the Gemeinde) and service the
//! Gemeinden and population it reaches, the reach by our rule (every Gemeinde / at least one /
//! none) beside what the export's `art_flaechendeckung` claims for the area; per unit the counts
//! the figure catalogue shows.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::onlinedienste::{Origin, Service};
use super::raw::{RawData, UnitLevel};
use crate::model::{AdminKind, Reach};
use crate::registry::Level;

/// A distinct LeiKa service of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceInfo {
    pub leika: String,
    pub name: String,
}

/// The Onlinedienste of one administration (zero for a Landratsamt: its services count for its
/// Gemeinden).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdminServices {
    /// Distinct services it offers itself.
    pub own: u32,
    /// Distinct services available to it: its own and those offered from above.
    pub total: u32,
    /// Distinct services available to it with a link that did not work (`nicht ok`).
    pub broken: u32,
}

/// One service in one area (a unit above the Gemeinde).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaService {
    /// Index into `RawData::units`.
    pub unit: u32,
    /// Index into [`ServiceDay::services`].
    pub service: u32,
    /// Gemeinden of the area it is available to, and their population.
    pub gemeinden: u32,
    pub population: i64,
    /// The widest reach the export's `art_flaechendeckung` claims for the area (rows of the
    /// area, of regions in it and above it); `None`: only rows "nicht in Auswertung
    /// berücksichtigt".
    pub source: Option<Reach>,
}

impl AreaService {
    /// The reach by our rule, given the area's number of Gemeinden.
    pub fn reach(&self, gemeinden: u32) -> Reach {
        Reach::of(self.gemeinden, gemeinden)
    }

    /// Whether our rule and the export disagree.
    pub fn disagrees(&self, gemeinden: u32) -> bool {
        self.source.is_some_and(|s| s != self.reach(gemeinden))
    }
}

/// Per unit: the counts the figure catalogue shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitServices {
    /// Distinct services available in at least one of its Gemeinden.
    pub available: u32,
    /// Distinct services available in every one of its Gemeinden.
    pub flaechendeckend: u32,
    /// Distinct services one of its Gemeinden offers itself.
    pub own: u32,
    /// Distinct links (region, service, address) available to its Gemeinden that did not work.
    pub links_broken: u32,
    /// Sum over its Gemeinden of the services available to each (for the average).
    pub per_gemeinde_sum: u64,
}

impl UnitServices {
    /// An area's counts from its Gemeinden's services — (service, own), a service at most once
    /// per Gemeinde — and the number of its Gemeinden.
    fn set_area_counts(&mut self, mut held: Vec<(u32, bool)>, gemeinden: u32) {
        held.sort_unstable();
        for group in held.chunk_by(|a, b| a.0 == b.0) {
            self.available += 1;
            self.flaechendeckend += u32::from(group.len() as u32 >= gemeinden);
            self.own += u32::from(group.iter().any(|h| h.1));
        }
    }
}

/// The Onlinedienste figures of one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceDay {
    pub as_of: Option<NaiveDate>,
    /// Sorted by LeiKa key.
    pub services: Vec<ServiceInfo>,
    /// Per administration (same order as `RawData::admins`).
    pub admins: Vec<AdminServices>,
    /// Sorted by unit, then service; only services available in at least one of the area's
    /// Gemeinden.
    pub areas: Vec<AreaService>,
}

impl ServiceDay {
    /// The services of the area at unit `unit`.
    pub fn of_area(&self, unit: usize) -> &[AreaService] {
        let from = self.areas.partition_point(|a| (a.unit as usize) < unit);
        let to = self.areas.partition_point(|a| (a.unit as usize) <= unit);
        &self.areas[from..to]
    }
}

/// A link that did not work, as the one to fix it sees it: who offers it, for how many
/// Gemeinden.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenLink {
    /// Where it is offered, and that region's key (the Bund: `000000000000`).
    pub origin: Origin,
    pub region: String,
    pub leika: String,
    pub name: String,
    pub url: String,
    /// Gemeinden (of those asked about) it is available to.
    pub gemeinden: u32,
    pub datenstand: NaiveDate,
}

/// The key of the region that offers a service available to the Gemeinde with 12-digit `ars`.
pub fn offered_by(ars: &str, origin: Origin) -> &str {
    let cut = |n: usize| ars.get(..n).unwrap_or(ars);
    match origin {
        Origin::Gemeinde => ars,
        Origin::Gemeindeverband => cut(9),
        Origin::Kreis => cut(5),
        Origin::Regierungsbezirk => cut(3),
        Origin::Land => cut(2),
        Origin::Bund => super::onlinedienste::BUND,
    }
}

/// The broken links available on `day` to the Gemeinden with 12-digit ARS in `gemeinden`, one
/// entry per link; most Gemeinden first, then by region and service.
pub fn broken_links<'a>(
    raw: &RawData,
    day: NaiveDate,
    gemeinden: impl IntoIterator<Item = &'a str>,
) -> Vec<BrokenLink> {
    let mut by_link: HashMap<u64, BrokenLink> = HashMap::new();
    for ars in gemeinden {
        for (origin, datenstand, s) in raw.onlinedienste.available(ars, day) {
            if s.online_ok {
                continue;
            }
            by_link
                .entry(s.id)
                .or_insert_with(|| BrokenLink {
                    origin,
                    region: offered_by(ars, origin).to_string(),
                    leika: s.leika.to_string(),
                    name: s.name.to_string(),
                    url: s.url(),
                    gemeinden: 0,
                    datenstand,
                })
                .gemeinden += 1;
        }
    }
    let mut out: Vec<BrokenLink> = by_link.into_values().collect();
    out.sort_by(|a, b| {
        b.gemeinden
            .cmp(&a.gemeinden)
            .then_with(|| a.region.cmp(&b.region))
            .then_with(|| a.leika.cmp(&b.leika))
            .then_with(|| a.url.cmp(&b.url))
    });
    out
}

/// One Gemeinde's view of one service: whether it offers it itself, whether a link is broken,
/// the widest reach the export claims for its Kreis and for larger areas.
#[derive(Debug, Clone, Copy)]
struct Held {
    service: u32,
    own: bool,
    broken: bool,
    claim_kreis: Option<Reach>,
    claim_above: Option<Reach>,
}

/// Accumulated per (area, service).
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    gemeinden: u32,
    own: u32,
    population: i64,
    source: Option<Reach>,
}

/// Every Gemeinde's administration index and ARS.
fn gemeinden(raw: &RawData) -> Vec<(usize, &str)> {
    raw.registry
        .level(Level::Gemeinde)
        .filter_map(|g| {
            let i = *raw.admin_idx.get(&g.ags)? as usize;
            (raw.admins[i].kind == AdminKind::Gemeinde).then_some((i, g.ars.as_str()))
        })
        .collect()
}

/// The services held by one Gemeinde on `day`, one entry per service; interns new services.
fn held<'a>(
    available: &[(Origin, NaiveDate, Service<'a>)],
    index: &mut HashMap<&'a str, u32>,
    names: &mut Vec<(&'a str, &'a str)>,
    broken_links: &mut Vec<u64>,
) -> Vec<Held> {
    let mut out: Vec<Held> = Vec::with_capacity(available.len());
    for &(origin, _, s) in available {
        let next = index.len() as u32;
        let service = *index.entry(s.leika).or_insert_with(|| {
            names.push((s.leika, s.name));
            next
        });
        if !s.online_ok {
            // One stored row, however many Gemeinden it is available to.
            broken_links.push(s.id);
        }
        out.push(Held {
            service,
            own: origin == Origin::Gemeinde,
            broken: !s.online_ok,
            claim_kreis: s.flaechendeckung.implied(true),
            claim_above: s.flaechendeckung.implied(false),
        });
    }
    // One entry per service: the rows of a service lie together once sorted.
    out.sort_unstable_by_key(|h| h.service);
    out.dedup_by(|h, kept| {
        if h.service != kept.service {
            return false;
        }
        kept.own |= h.own;
        kept.broken |= h.broken;
        kept.claim_kreis = kept.claim_kreis.max(h.claim_kreis);
        kept.claim_above = kept.claim_above.max(h.claim_above);
        true
    });
    out
}

/// The day's Onlinedienste figures, and each unit's counts (same order as `RawData::units`).
pub fn compute(raw: &RawData, day: NaiveDate) -> (ServiceDay, Vec<UnitServices>) {
    let mut units = vec![UnitServices::default(); raw.units.len()];
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut names: Vec<(&str, &str)> = Vec::new();
    let mut admins = vec![AdminServices::default(); raw.admins.len()];
    // Dense per (area slot, service), grown as services appear.
    let slot_of: Vec<Option<usize>> = area_slots(raw);
    let n_slots = slot_of.iter().flatten().count();
    let mut acc: Vec<Vec<Acc>> = vec![Vec::new(); n_slots];
    let mut broken_by_unit: HashMap<usize, HashSet<u64>> = HashMap::new();
    // Per Verband unit its members' services (service, own): a Verband of a few Gemeinden
    // holds a few dozen, where a dense row per area would hold every service of the day.
    let mut verband_held: HashMap<usize, Vec<(u32, bool)>> = HashMap::new();
    for (admin, ars) in gemeinden(raw) {
        let available = raw.onlinedienste.available(ars, day);
        if available.is_empty() {
            continue;
        }
        let mut links = Vec::new();
        let held = held(&available, &mut index, &mut names, &mut links);
        let a = &raw.admins[admin];
        admins[admin] = AdminServices {
            own: held.iter().filter(|h| h.own).count() as u32,
            total: held.len() as u32,
            broken: held.iter().filter(|h| h.broken).count() as u32,
        };
        for &u in &a.units {
            units[u].per_gemeinde_sum += held.len() as u64;
            if !links.is_empty() {
                broken_by_unit.entry(u).or_default().extend(&links);
            }
            if raw.units[u].level == UnitLevel::Verband {
                let members = verband_held.entry(u).or_default();
                members.extend(held.iter().map(|h| (h.service, h.own)));
            }
            let Some(slot) = slot_of[u] else { continue };
            let kreis = raw.units[u].level == UnitLevel::Kreis;
            let row = &mut acc[slot];
            for h in &held {
                let s = h.service as usize;
                if row.len() <= s {
                    row.resize(s + 1, Acc::default());
                }
                let cell = &mut row[s];
                cell.gemeinden += 1;
                cell.own += u32::from(h.own);
                cell.population += a.population;
                cell.source = cell
                    .source
                    .max(if kreis { h.claim_kreis } else { h.claim_above });
            }
        }
    }
    for (u, links) in broken_by_unit {
        units[u].links_broken = links.len() as u32;
    }
    let gemeinden = gemeinden_per_unit(raw);
    for (u, held) in verband_held {
        units[u].set_area_counts(held, gemeinden[u]);
    }
    let areas = Areas {
        slot_of: &slot_of,
        acc,
        gemeinden: &gemeinden,
    };
    let day = finish(raw, day, names, admins, areas, &mut units);
    (day, units)
}

/// Gemeinden per unit.
fn gemeinden_per_unit(raw: &RawData) -> Vec<u32> {
    let mut n = vec![0u32; raw.units.len()];
    for a in raw.admins.iter().filter(|a| a.kind == AdminKind::Gemeinde) {
        for &u in &a.units {
            n[u] += 1;
        }
    }
    n
}

/// The slot of every unit above the Gemeinde (Land, Regierungsbezirk, Kreis, size class; a
/// Verband's counts come from its members' lists instead).
fn area_slots(raw: &RawData) -> Vec<Option<usize>> {
    let mut next = 0;
    raw.units
        .iter()
        .map(|u| {
            (!u.level.is_local()).then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

/// What the areas gathered: each unit's slot, the slots' rows per service, and the Gemeinden
/// per unit.
struct Areas<'a> {
    slot_of: &'a [Option<usize>],
    acc: Vec<Vec<Acc>>,
    gemeinden: &'a [u32],
}

/// Services sorted by key; the areas' rows and counts.
fn finish(
    raw: &RawData,
    day: NaiveDate,
    names: Vec<(&str, &str)>,
    mut admins: Vec<AdminServices>,
    areas_in: Areas<'_>,
    units: &mut [UnitServices],
) -> ServiceDay {
    let Areas {
        slot_of,
        acc,
        gemeinden,
    } = areas_in;
    // Interned in order of appearance; renumbered in key order.
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by_key(|&i| names[i as usize].0);
    let mut rank = vec![0u32; names.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    let services = order
        .iter()
        .map(|&i| ServiceInfo {
            leika: names[i as usize].0.to_string(),
            name: names[i as usize].1.to_string(),
        })
        .collect();
    let mut areas = Vec::new();
    for (u, slot) in slot_of.iter().enumerate() {
        let Some(slot) = slot else {
            // A Gemeinde: its own counts are its administration's.
            continue;
        };
        let all = gemeinden[u];
        let counts = &mut units[u];
        for (s, cell) in acc[*slot].iter().enumerate() {
            if cell.gemeinden == 0 {
                continue;
            }
            counts.available += 1;
            counts.flaechendeckend += u32::from(cell.gemeinden >= all);
            counts.own += u32::from(cell.own > 0);
            areas.push(AreaService {
                unit: u as u32,
                service: rank[s],
                gemeinden: cell.gemeinden,
                population: cell.population,
                source: cell.source,
            });
        }
    }
    for (i, a) in raw.admins.iter().enumerate() {
        if a.kind != AdminKind::Gemeinde {
            admins[i] = AdminServices::default();
            continue;
        }
        let s = admins[i];
        let own_unit = |&&u: &&usize| raw.units[u].level == UnitLevel::Gemeinde;
        for &u in a.units.iter().filter(own_unit) {
            let c = &mut units[u];
            (c.available, c.flaechendeckend, c.own) = (s.total, s.total, s.own);
        }
    }
    areas.sort_unstable_by_key(|a| (a.unit, a.service));
    ServiceDay {
        as_of: Some(day),
        services,
        admins,
        areas,
    }
}

#[cfg(test)]
mod tests {
    use super::UnitServices;

    /// Two Gemeinden: service 1 in both (one offers it itself), 2 in one, 3 in both.
    #[test]
    fn an_areas_counts_from_its_gemeinden_lists() {
        let mut c = UnitServices::default();
        let held = vec![(3, false), (1, false), (2, false), (1, true), (3, false)];
        c.set_area_counts(held, 2);
        assert_eq!((c.available, c.flaechendeckend, c.own), (3, 2, 1));
    }
}
