//! The coverage figures as of one day, computed from `RawData` by one pure function. Every view
//! (metrics, JSON, GeoJSON, charts, page) reads these fields; nothing computes a figure twice.

use chrono::NaiveDate;

use super::counts::{ByKind, ByProgramme, Funding, LotseFlags};
pub use super::counts::{ALL_KINDS, ANY};
use super::raw::{AdminKind, Art, Programme, RawData};

/// Figures of one unit (Land, Regierungsbezirk, Kreis, Gemeinde, size class); same order as
/// `RawData::units`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitFigures {
    /// Administrations by kind (the targets).
    pub administrations: ByKind<u32>,
    /// Administrations with at least one Lotse, by kind and programme.
    pub with_lotsen: ByKind<ByProgramme<u32>>,
    /// Distinct Lotsen (participants), by kind of administration and programme.
    pub lotsen: ByKind<ByProgramme<u32>>,
    /// Voucher sums in cents.
    pub funding_cents: Funding,
    /// Population of the Gemeinden that have a Lotse (any programme).
    pub population_with_lotse: i64,
    /// Gemeinden with at least one active process.
    pub gemeinden_with_process: u32,
    /// Sum over the unit's Gemeinden of active Standardprozesse (for averages).
    pub standard_processes_active: u64,
    pub universal_processes_active: u64,
    /// service-bw accounts of the unit's administrations at the latest per-Kommune Stichtag on
    /// or before the day: [bürger, organisation] (see [`ACCOUNT_TYPES`]).
    pub accounts: [i64; 2],
    /// The federal Onlinedienste available to the unit's Gemeinden.
    pub services: super::services::UnitServices,
    /// Gemeinden without a Lotse of their own whose Verband partner has one.
    pub gemeinden_via_verband: u32,
}

pub use crate::model::ACCOUNT_TYPES;

impl UnitFigures {
    /// The figures of the whole registry (all Länder of `raw` together) out of per-unit
    /// figures.
    pub fn total_of(raw: &RawData, units: &[UnitFigures]) -> UnitFigures {
        UnitFigures::sum(raw.laender().filter_map(|i| units.get(i)))
    }

    /// The figures of the units together, for disjoint units (e.g. all Länder of the registry):
    /// every field is a count or a sum.
    pub fn sum<'a>(units: impl IntoIterator<Item = &'a UnitFigures>) -> UnitFigures {
        let mut t = UnitFigures::default();
        for u in units {
            t.administrations += u.administrations;
            for kind in [
                Some(AdminKind::Gemeinde),
                Some(AdminKind::Landratsamt),
                None,
            ] {
                *t.with_lotsen.get_mut(kind) += *u.with_lotsen.get(kind);
                *t.lotsen.get_mut(kind) += *u.lotsen.get(kind);
            }
            t.funding_cents = t.funding_cents + u.funding_cents;
            t.population_with_lotse += u.population_with_lotse;
            t.gemeinden_with_process += u.gemeinden_with_process;
            t.gemeinden_via_verband += u.gemeinden_via_verband;
            t.standard_processes_active += u.standard_processes_active;
            t.universal_processes_active += u.universal_processes_active;
            for k in 0..2 {
                t.accounts[k] += u.accounts[k];
            }
            // Distinct services do not add up over disjoint units: the widest unit's count is
            // the lower bound of their union (exact for a registry of one Land).
            let (s, us) = (&mut t.services, &u.services);
            s.available = s.available.max(us.available);
            s.own = s.own.max(us.own);
            s.flaechendeckend = if s.per_gemeinde_sum == 0 {
                us.flaechendeckend
            } else {
                s.flaechendeckend.min(us.flaechendeckend)
            };
            s.links_broken += us.links_broken;
            s.per_gemeinde_sum += us.per_gemeinde_sum;
        }
        t
    }

    /// Average number of Onlinedienste available per Gemeinde.
    pub fn services_avg(&self) -> f64 {
        ratio(
            self.services.per_gemeinde_sum as f64,
            self.administrations_of(Some(AdminKind::Gemeinde)) as f64,
        )
    }

    /// service-bw citizen accounts per 1,000 inhabitants of a unit with `population`.
    pub fn accounts_buerger_per_1000(&self, population: i64) -> f64 {
        1000.0 * ratio(self.accounts[0] as f64, population as f64)
    }

    /// Administrations of a kind (`None`: all kinds).
    pub fn administrations_of(&self, kind: Option<AdminKind>) -> u32 {
        *self.administrations.get(kind)
    }

    /// Administrations of a kind (`None`: all) with a Lotse of a programme (`None`: any).
    pub fn with_lotse(&self, kind: Option<AdminKind>, programme: Option<Programme>) -> u32 {
        *self.with_lotsen.get(kind).get(programme)
    }

    /// Distinct Lotsen of a kind of administration (`None`: all) and programme (`None`: any).
    pub fn lotsen_of(&self, kind: Option<AdminKind>, programme: Option<Programme>) -> u32 {
        *self.lotsen.get(kind).get(programme)
    }

    /// Administrations still without a Lotse.
    pub fn without_lotse(&self) -> u32 {
        self.administrations_of(None) - self.with_lotse(None, None)
    }

    /// The vouchers of a programme in euros.
    pub fn funding_euros(&self, programme: Programme) -> f64 {
        self.funding_cents.get(programme) as f64 / 100.0
    }

    /// Average number of active Standardprozesse per Gemeinde.
    pub fn standard_processes_avg(&self) -> f64 {
        ratio(
            self.standard_processes_active as f64,
            self.administrations_of(Some(AdminKind::Gemeinde)) as f64,
        )
    }

    /// Active Standardprozesse per Gemeinde as a share of the `n_standard` there are, 0..1.
    pub fn standard_processes_share(&self, n_standard: usize) -> f64 {
        ratio(
            self.standard_processes_active as f64,
            self.administrations_of(Some(AdminKind::Gemeinde)) as f64 * n_standard.max(1) as f64,
        )
    }

    /// Share of administrations with a Lotse, 0..1.
    pub fn share_with_lotse(&self) -> f64 {
        ratio(
            self.with_lotse(None, None) as f64,
            self.administrations_of(None) as f64,
        )
    }

    /// Share of Gemeinden with a Lotse, 0..1 (the Landratsämter left out).
    pub fn share_gemeinden_with_lotse(&self) -> f64 {
        let g = Some(AdminKind::Gemeinde);
        ratio(
            self.with_lotse(g, None) as f64,
            self.administrations_of(g) as f64,
        )
    }
}

pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// OZG figures of one process; same order as `RawData::processes`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessFigures {
    /// Gemeinden with the process active.
    pub gemeinden: u32,
    /// Their population.
    pub population: i64,
    /// Landratsämter with the process active.
    pub landratsaemter: u32,
    /// Gemeinden with the process active, per Kreis (same order as `RawData::kreise`).
    pub gemeinden_by_kreis: Vec<u32>,
    /// Active in every Gemeinde of the Land (100 %, not 99 %).
    pub flaechendeckend: bool,
}

impl ProcessFigures {
    /// Share of the Gemeinden of the Kreis at `pos` (in `RawData::kreise`, with figures `kreis`)
    /// that have the process active, 0..1.
    pub fn share_in_kreis(&self, pos: usize, kreis: &UnitFigures) -> f64 {
        ratio(
            self.gemeinden_by_kreis.get(pos).copied().unwrap_or(0) as f64,
            kreis.administrations_of(Some(AdminKind::Gemeinde)) as f64,
        )
    }
}

/// Active processes of one administration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdminOzg {
    pub standard: u32,
    pub universal: u32,
}

impl AdminOzg {
    /// Active Standardprozesse as a share of the `n_standard` there are, 0..1.
    pub fn standard_share(self, n_standard: usize) -> f64 {
        ratio(f64::from(self.standard), n_standard.max(1) as f64)
    }
}

/// service-bw accounts of one type at the latest Stichtag on or before the day.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountFigure {
    pub account_type: String,
    pub date: NaiveDate,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub as_of: NaiveDate,
    pub units: Vec<UnitFigures>,
    pub processes: Vec<ProcessFigures>,
    /// Per administration (same order as `RawData::admins`).
    pub admin_ozg: Vec<AdminOzg>,
    /// Per administration: which Lotsen it has.
    pub admin_lotsen: Vec<LotseFlags>,
    /// Per administration × process (row-major, `admins × processes`): active on the day.
    pub active: Vec<bool>,
    /// Processes active in every Gemeinde / in at least one Gemeinde: [standard, universal].
    pub processes_flaechendeckend: [u32; 2],
    pub processes_in_at_least_one: [u32; 2],
    pub accounts: Vec<AccountFigure>,
    /// Per administration: accounts [bürger, organisation] at the latest per-Kommune Stichtag.
    pub admin_accounts: Vec<[i64; 2]>,
    /// That Stichtag per account type (None: no per-Kommune counts up to the day).
    pub admin_accounts_date: [Option<NaiveDate>; 2],
    /// The federal Onlinedienste of the day: per service, administration and area.
    pub services: super::services::ServiceDay,
}

impl Figures {
    pub fn is_active(&self, raw: &RawData, admin: usize, process: usize) -> bool {
        self.active[admin * raw.processes.len() + process]
    }
}

/// Computes every figure as of the end of `day` (records dated on `day` count).
pub fn compute(raw: &RawData, day: NaiveDate) -> Figures {
    compute_with(raw, day, active_on(raw, day))
}

/// Which (administration, process) cells are active on `day`: row-major, administrations ×
/// processes.
pub(super) fn active_on(raw: &RawData, day: NaiveDate) -> Vec<bool> {
    let n_proc = raw.processes.len();
    let mut active = vec![false; raw.admins.len() * n_proc];
    for act in raw.activations.iter().filter(|a| a.active_on(day)) {
        active[act.admin as usize * n_proc + act.process as usize] = true;
    }
    active
}

/// [`compute`] with the day's `active` cells given (e.g. by a [`super::sweep::Sweep`]).
fn compute_with(raw: &RawData, day: NaiveDate, active: Vec<bool>) -> Figures {
    let mut units = vec![UnitFigures::default(); raw.units.len()];
    count_administrations(raw, &mut units);
    let admin_lotsen = lotsen(raw, day, &mut units, None);
    add_via_verband(raw, &admin_lotsen, &mut units);
    let ozg = ozg(raw, active, &mut units);
    let (admin_accounts, admin_accounts_date) = admin_accounts(raw, day);
    add_unit_accounts(raw, &admin_accounts, &mut units);
    let services = add_services(raw, day, &mut units);
    Figures {
        as_of: day,
        units,
        processes: ozg.processes,
        admin_ozg: ozg.admin_ozg,
        admin_lotsen,
        active: ozg.active,
        processes_flaechendeckend: ozg.flaechendeckend,
        processes_in_at_least_one: ozg.in_at_least_one,
        accounts: accounts(raw, day),
        admin_accounts,
        admin_accounts_date,
        services,
    }
}

/// What a distinct Lotse counts in: (unit, kind, programme, participant), kinds and programmes
/// as small numbers ([`ALL_SLOT`]: all kinds / any programme).
pub(super) type LotseKey = (u32, u8, u8, u32);

/// The slot of "all kinds" / "any programme" in a [`LotseKey`].
const ALL_SLOT: u8 = 2;

/// Every (completion day, [`LotseKey`]) of the qualifications `keep` selects (with repeats).
pub(super) fn lotse_tuples(
    raw: &RawData,
    keep: impl Fn(&super::raw::Qualification) -> bool,
) -> Vec<(NaiveDate, LotseKey)> {
    let mut out = Vec::new();
    for q in raw.qualifications.iter().filter(|q| keep(q)) {
        let a = &raw.admins[q.admin as usize];
        for &u in &a.units {
            for kind in [a.kind as u8, ALL_SLOT] {
                for prog in [q.programme as u8, ALL_SLOT] {
                    out.push((q.completed_on, (u as u32, kind, prog, q.participant)));
                }
            }
        }
    }
    out
}

/// Adds `n` (±1) distinct Lotsen of `key` to its unit's counts.
pub(super) fn add_lotse(units: &mut [UnitFigures], key: LotseKey, n: i32) {
    add_lotse_count(&mut units[key.0 as usize].lotsen, key, n);
}

/// Adds `n` (±1) to the count of `key`'s kind and programme.
pub(super) fn add_lotse_count(counts: &mut ByKind<ByProgramme<u32>>, key: LotseKey, n: i32) {
    const KINDS: [Option<AdminKind>; 3] = [
        Some(AdminKind::Gemeinde),
        Some(AdminKind::Landratsamt),
        None,
    ];
    const PROGRAMMES: [Option<Programme>; 3] =
        [Some(Programme::Basis), Some(Programme::Aufbau), None];
    let c = counts
        .get_mut(KINDS[key.1 as usize])
        .get_mut(PROGRAMMES[key.2 as usize]);
    *c = c.saturating_add_signed(n);
}

/// Administrations per unit and kind: the targets.
fn count_administrations(raw: &RawData, units: &mut [UnitFigures]) {
    for a in raw.admins.iter() {
        for &u in &a.units {
            *units[u].administrations.get_mut(Some(a.kind)) += 1;
            units[u].administrations.all += 1;
        }
    }
}

/// Lotsen on `day`: per unit distinct participants, funding, administrations and population
/// with a Lotse; returns each administration's [basis, aufbau] flags.
fn lotsen(
    raw: &RawData,
    day: NaiveDate,
    units: &mut [UnitFigures],
    distinct: Option<&[ByKind<ByProgramme<u32>>]>,
) -> Vec<LotseFlags> {
    // Lotsen: per administration flags, per unit distinct participants.
    let mut admin_lotsen = vec![LotseFlags::default(); raw.admins.len()];
    for q in raw.qualifications.iter().filter(|q| q.completed_on <= day) {
        let a = &raw.admins[q.admin as usize];
        admin_lotsen[q.admin as usize].set(q.programme);
        for &u in &a.units {
            units[u].funding_cents.add(q.programme, q.voucher_cents);
        }
    }
    if let Some(distinct) = distinct {
        for (u, f) in units.iter_mut().enumerate() {
            f.lotsen = distinct[u];
        }
    } else {
        let mut seen = lotse_tuples(raw, |q| q.completed_on <= day);
        seen.sort_unstable_by_key(|t| t.1);
        seen.dedup_by_key(|t| t.1);
        for (_, key) in seen {
            add_lotse(units, key, 1);
        }
    }
    for (i, a) in raw.admins.iter().enumerate() {
        let flags = admin_lotsen[i];
        for &u in &a.units {
            let f = &mut units[u];
            for kind in [Some(a.kind), None] {
                let with = f.with_lotsen.get_mut(kind);
                for p in Programme::ALL {
                    *with.get_mut(Some(p)) += u32::from(flags.has(p));
                }
                with.any += u32::from(flags.any());
            }
            if flags.any() && a.kind == AdminKind::Gemeinde {
                f.population_with_lotse += a.population;
            }
        }
    }
    admin_lotsen
}

/// The OZG figures of one day.
struct OzgDay {
    active: Vec<bool>,
    processes: Vec<ProcessFigures>,
    admin_ozg: Vec<AdminOzg>,
    flaechendeckend: [u32; 2],
    in_at_least_one: [u32; 2],
}

/// What the `active` cells of a day make: per administration, per process, per unit.
fn ozg(raw: &RawData, active: Vec<bool>, units: &mut [UnitFigures]) -> OzgDay {
    let n_proc = raw.processes.len();
    let mut counts = OzgCounts::new(raw);
    for (i, row) in active.chunks(n_proc.max(1)).enumerate() {
        for (p, _) in row.iter().enumerate().filter(|(_, on)| **on) {
            counts.switch(raw, i, p, true);
        }
    }
    let (flaechendeckend, in_at_least_one) = counts.add_to_units(raw, units);
    OzgDay {
        active,
        processes: counts.processes,
        admin_ozg: counts.admin_ozg,
        flaechendeckend,
        in_at_least_one,
    }
}

/// Active processes per administration and per process, kept up to date cell by cell (a day's
/// scan, or a sweep over days that only touches the cells that change).
#[derive(Debug, Clone)]
pub(super) struct OzgCounts {
    admin_ozg: Vec<AdminOzg>,
    processes: Vec<ProcessFigures>,
}

impl OzgCounts {
    pub(super) fn new(raw: &RawData) -> OzgCounts {
        OzgCounts {
            admin_ozg: vec![AdminOzg::default(); raw.admins.len()],
            processes: (0..raw.processes.len())
                .map(|_| ProcessFigures {
                    gemeinden_by_kreis: vec![0; raw.kreise.len()],
                    ..ProcessFigures::default()
                })
                .collect(),
        }
    }

    /// Cell (`admin`, `process`) switched on or off.
    pub(super) fn switch(&mut self, raw: &RawData, admin: usize, process: usize, on: bool) {
        let step = |n: &mut u32| {
            if on {
                *n += 1
            } else {
                *n -= 1
            }
        };
        let ozg = &mut self.admin_ozg[admin];
        match raw.processes[process].art {
            Art::Standard => step(&mut ozg.standard),
            Art::Universal => step(&mut ozg.universal),
        }
        let a = &raw.admins[admin];
        let pf = &mut self.processes[process];
        match a.kind {
            AdminKind::Gemeinde => {
                step(&mut pf.gemeinden);
                pf.population += if on { a.population } else { -a.population };
                step(&mut pf.gemeinden_by_kreis[a.kreis]);
            }
            AdminKind::Landratsamt => step(&mut pf.landratsaemter),
        }
    }

    /// Adds the Gemeinden's active processes to their units and sets each process' flags;
    /// returns the processes flächendeckend and in at least one Gemeinde, [standard, universal].
    fn add_to_units(&mut self, raw: &RawData, units: &mut [UnitFigures]) -> ([u32; 2], [u32; 2]) {
        let mut gemeinden_total = 0u32;
        for (a, ozg) in raw.admins.iter().zip(&self.admin_ozg) {
            if a.kind != AdminKind::Gemeinde {
                continue;
            }
            gemeinden_total += 1;
            for &u in &a.units {
                let f = &mut units[u];
                f.gemeinden_with_process += u32::from(ozg.standard + ozg.universal > 0);
                f.standard_processes_active += u64::from(ozg.standard);
                f.universal_processes_active += u64::from(ozg.universal);
            }
        }
        let mut flaechendeckend = [0; 2];
        let mut in_at_least_one = [0; 2];
        for (p, pf) in self.processes.iter_mut().enumerate() {
            let art = raw.processes[p].art as usize;
            pf.flaechendeckend = gemeinden_total > 0 && pf.gemeinden == gemeinden_total;
            flaechendeckend[art] += u32::from(pf.flaechendeckend);
            in_at_least_one[art] += u32::from(pf.gemeinden > 0);
        }
        (flaechendeckend, in_at_least_one)
    }
}

/// The unit figures and account counts of `day` from its OZG `counts` (a sweep's), without
/// the per-cell and per-process parts of [`Figures`] that a time series does not need.
/// The Onlinedienste unit counts of the last day of a sweep, with the newest Datenstand on or
/// before it: the next day with the same one reuses them.
pub(super) type ServiceCache = Option<(Option<NaiveDate>, Vec<super::services::UnitServices>)>;

pub(super) fn day_units(
    raw: &RawData,
    day: NaiveDate,
    counts: &OzgCounts,
    lotsen_by_unit: &[ByKind<ByProgramme<u32>>],
    services: &mut ServiceCache,
) -> (Vec<UnitFigures>, Vec<AccountFigure>) {
    let mut units = vec![UnitFigures::default(); raw.units.len()];
    count_administrations(raw, &mut units);
    let admin_lotsen = lotsen(raw, day, &mut units, Some(lotsen_by_unit));
    add_via_verband(raw, &admin_lotsen, &mut units);
    counts.clone().add_to_units(raw, &mut units);
    let (admin_accounts, _) = admin_accounts(raw, day);
    add_unit_accounts(raw, &admin_accounts, &mut units);
    let state = raw.onlinedienste.state_day(day);
    let per_unit = match services {
        Some((same, per_unit)) if *same == state => per_unit,
        _ => {
            let (_, per_unit) = super::services::compute(raw, day);
            &mut services.insert((state, per_unit)).1
        }
    };
    for (u, s) in units.iter_mut().zip(per_unit.iter()) {
        u.services = *s;
    }
    (units, accounts(raw, day))
}

/// The Gemeinden reachable through their Verband, counted into every unit they count in.
fn add_via_verband(raw: &RawData, admin_lotsen: &[LotseFlags], units: &mut [UnitFigures]) {
    for (i, a) in raw.admins.iter().enumerate() {
        if raw.verbaende.reachable(admin_lotsen, i) {
            for &u in &a.units {
                units[u].gemeinden_via_verband += 1;
            }
        }
    }
}

/// The day's Onlinedienste: their counts into the units, the rest returned.
fn add_services(
    raw: &RawData,
    day: NaiveDate,
    units: &mut [UnitFigures],
) -> super::services::ServiceDay {
    let (services, per_unit) = super::services::compute(raw, day);
    for (u, s) in units.iter_mut().zip(per_unit) {
        u.services = s;
    }
    services
}

/// Adds each administration's account counts to the units it counts in.
fn add_unit_accounts(raw: &RawData, admin_accounts: &[[i64; 2]], units: &mut [UnitFigures]) {
    for (a, counts) in raw.admins.iter().zip(admin_accounts) {
        for &u in &a.units {
            for (total, count) in units[u].accounts.iter_mut().zip(counts) {
                *total += count;
            }
        }
    }
}

/// Per account type, the latest Stichtag on or before `day`: the Land-wide count if delivered,
/// else the sum of the per-administration counts of that Stichtag.
fn accounts(raw: &RawData, day: NaiveDate) -> Vec<AccountFigure> {
    let mut types: Vec<&str> = raw
        .accounts
        .iter()
        .map(|c| c.account_type.as_str())
        .collect();
    types.sort_unstable();
    types.dedup();
    types
        .into_iter()
        .filter_map(|t| {
            let of_type = raw
                .accounts
                .iter()
                .filter(|c| c.account_type == t && c.date <= day);
            let date = of_type.clone().map(|c| c.date).max()?;
            let at = of_type.filter(|c| c.date == date);
            let land = at.clone().find(|c| c.admin.is_none()).map(|c| c.count);
            let count = land.unwrap_or_else(|| at.map(|c| c.count).sum());
            Some(AccountFigure {
                account_type: t.to_string(),
                date,
                count,
            })
        })
        .collect()
}

/// Per administration and account type, the count at the latest Stichtag on or before `day`
/// that has per-Kommune counts (Land-wide rows are left out: they belong to no Kommune).
fn admin_accounts(raw: &RawData, day: NaiveDate) -> (Vec<[i64; 2]>, [Option<NaiveDate>; 2]) {
    let mut per_admin = vec![[0i64; 2]; raw.admins.len()];
    let mut dates = [None; 2];
    for (k, t) in ACCOUNT_TYPES.iter().enumerate() {
        let of_type = || {
            raw.accounts
                .iter()
                .filter(|c| c.account_type == *t && c.admin.is_some() && c.date <= day)
        };
        let Some(date) = of_type().map(|c| c.date).max() else {
            continue;
        };
        dates[k] = Some(date);
        for c in of_type().filter(|c| c.date == date) {
            if let Some(a) = c.admin {
                per_admin[a as usize][k] += c.count;
            }
        }
    }
    (per_admin, dates)
}

/// The Digitallotsen classes, from none to Aufbau: each key (what the API, CSV and GeoJSON carry)
/// with the words pages, tooltips and dashboards show for it.
pub const LOTSE_CLASSES: [(&str, &str); 3] = [
    ("keine", "keiner"),
    ("basis", "Basisqualifizierung"),
    ("aufbau", "mit Aufbauschulung"),
];

/// The words for a Lotse class key (see [`LOTSE_CLASSES`]).
pub fn lotse_words(class: &str) -> &'static str {
    LOTSE_CLASSES
        .iter()
        .find(|(key, _)| *key == class)
        .map_or(LOTSE_CLASSES[0].1, |(_, words)| words)
}

/// The Digitallotsen class of an administration, as maps and tables show it: `aufbau` (a Lotse
/// with an Aufbauschulung), `basis` (only Basisqualifizierung) or `keine`.
pub fn lotse_class(flags: LotseFlags) -> &'static str {
    match flags {
        LotseFlags { aufbau: true, .. } => "aufbau",
        LotseFlags { basis: true, .. } => "basis",
        _ => "keine",
    }
}
