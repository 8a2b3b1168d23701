//! The records every figure is computed from, held in memory in compact, indexed form: the input of
//! the coverage engine. Loaded from the store once per snapshot.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

pub use crate::model::calendar::iso_date;
use crate::model::rows;
pub use crate::model::{AdminKind, Art, Process, Programme, SizeClass};
use crate::model::{LastImport, Record, RecordSink};
use crate::registry::{Level, Registry};

/// An administration: a Gemeinde (id = AGS) or a Landratsamt (id = Kreis key).
#[derive(Debug, Clone)]
pub struct Admin {
    pub id: String,
    pub kind: AdminKind,
    pub name: String,
    /// Index into `RawData::kreise`.
    pub kreis: usize,
    /// Population of the Gemeinde; 0 for a Landratsamt (its people are counted in its Gemeinden).
    pub population: i64,
    /// Indexes of every unit this administration counts in (Land, RB, Kreis, Gemeinde, Verband,
    /// size class).
    pub units: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
pub struct Qualification {
    pub participant: u32,
    pub admin: u32,
    pub programme: Programme,
    pub completed_on: NaiveDate,
    pub voucher_cents: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct Activation {
    pub admin: u32,
    pub process: u32,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Activation {
    /// Active on `day`: switched on that day or before, and not yet switched off.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| u > day)
    }
}

#[derive(Debug, Clone)]
pub struct AccountCount {
    pub date: NaiveDate,
    pub account_type: String,
    /// None for a Land-wide count.
    pub admin: Option<u32>,
    pub count: i64,
}

/// A unit figures are aggregated for: the Land, a Regierungsbezirk, a Kreis, a Gemeinde, a
/// Gemeindeverband of two or more Gemeinden or a size class.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub level: UnitLevel,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub population: i64,
}

impl Unit {
    /// The Regierungsbezirk key of a Kreis: its parent, or empty where the Kreis hangs off its
    /// Land (a Land without Regierungsbezirke).
    pub fn regierungsbezirk(&self) -> &str {
        match &self.parent {
            Some(p) if p.len() == crate::registry::RbKey::LEN => p,
            _ => "",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitLevel {
    Land,
    Regierungsbezirk,
    Kreis,
    Gemeinde,
    /// A Gemeindeverwaltungsverband or vereinbarte Verwaltungsgemeinschaft of two or more
    /// Gemeinden (key: its 9-digit ARS; parent: its Kreis).
    Verband,
    Groessenklasse,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 6] = [
        UnitLevel::Land,
        UnitLevel::Regierungsbezirk,
        UnitLevel::Kreis,
        UnitLevel::Gemeinde,
        UnitLevel::Verband,
        UnitLevel::Groessenklasse,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Land => "land",
            UnitLevel::Regierungsbezirk => "regierungsbezirk",
            UnitLevel::Kreis => "kreis",
            UnitLevel::Gemeinde => "gemeinde",
            UnitLevel::Verband => "verband",
            UnitLevel::Groessenklasse => "groessenklasse",
        }
    }
    /// A Gemeinde or a Gemeindeverband: the many small units a kept past day leaves out.
    pub fn is_local(self) -> bool {
        matches!(self, UnitLevel::Gemeinde | UnitLevel::Verband)
    }
    pub fn parse(v: &str) -> Option<UnitLevel> {
        UnitLevel::ALL.into_iter().find(|l| l.as_str() == v)
    }
}

/// Everything figures are computed from: units, administrations and processes with index maps,
/// and the dated records resolved to indexes. The registry-derived part (units, Kreise,
/// administrations) is shared between snapshots, so a rebuild only reloads the records.
#[derive(Debug, Clone)]
pub struct RawData {
    pub registry: Arc<Registry>,
    pub units: Arc<Vec<Unit>>,
    /// Unit index of every Kreis, in registry order.
    pub kreise: Arc<Vec<usize>>,
    pub admins: Arc<Vec<Admin>>,
    /// Administration index by id.
    pub admin_idx: Arc<HashMap<String, u32>>,
    pub processes: Vec<Process>,
    /// Process index by id.
    pub process_idx: HashMap<String, u32>,
    pub qualifications: Vec<Qualification>,
    pub activations: Vec<Activation>,
    pub accounts: Vec<AccountCount>,
    /// The federal dashboard's Onlinedienste by region and Datenstand.
    pub onlinedienste: Arc<super::onlinedienste::Onlinedienste>,
    /// Latest import time per dataset (Unix seconds).
    pub last_imports: Vec<(String, i64)>,
    /// Latest import-log id per dataset: a table whose id is unchanged since the previous
    /// snapshot is taken over from it instead of being read again.
    pub import_ids: Vec<(String, i64)>,
    /// True when synthetic demo data (Demodaten) was imported.
    pub demo: bool,
    /// The Gemeindeverbände of two or more Gemeinden (registry-derived, shared).
    pub verbaende: Arc<super::verbaende::Verbaende>,
}

/// The records before indexing, as the store delivers them.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// (id, kind) of every administration.
    pub administrations: Vec<(String, AdminKind)>,
    pub processes: Vec<Process>,
    /// (participant, administration, programme, completed_on, voucher cents)
    pub qualifications: Vec<(String, String, Programme, NaiveDate, i64)>,
    /// (administration, process, from, until)
    pub activations: Vec<(String, String, NaiveDate, Option<NaiveDate>)>,
    /// (date, type, scope ('' = Land), count)
    pub accounts: Vec<(NaiveDate, String, String, i64)>,
    pub last_imports: Vec<(String, i64)>,
    pub demo: bool,
}

impl RawData {
    /// Indexes owned `records` against the registry (see [`RawData::index`] and the `add_*`
    /// methods, which the store uses without copying every value first).
    pub fn build(registry: Arc<Registry>, records: Records) -> RawData {
        let mut raw = RawData::index(registry, records.administrations);
        raw.set_processes(records.processes);
        let mut sink = raw.sink();
        for (participant, admin, programme, day, cents) in &records.qualifications {
            sink.qualification(participant, admin, *programme, *day, *cents);
        }
        for (admin, process, from, until) in &records.activations {
            sink.activation(admin, process, *from, *until);
        }
        for (day, kind, scope, count) in &records.accounts {
            sink.account(*day, kind, scope, *count);
        }
        raw.last_imports = records.last_imports;
        raw.demo = records.demo;
        raw
    }

    /// The registry-derived part: units of every level and size class, and the administrations
    /// with the units they count in. No processes and no records yet.
    pub fn index(registry: Arc<Registry>, administrations: Vec<(String, AdminKind)>) -> RawData {
        let units = units_of(&registry);
        let kreise: Vec<usize> = units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.level == UnitLevel::Kreis)
            .map(|(i, _)| i)
            .collect();
        let (admins, admin_idx) = admins_of(&registry, &units, &kreise, administrations);
        let ids = admins.iter().map(|a| (a.id.as_str(), a.kind));
        let verbaende = super::verbaende::Verbaende::of(&registry, ids);
        let mut raw = RawData::with_index(
            registry,
            Arc::new(units),
            Arc::new(kreise),
            Arc::new(admins),
            Arc::new(admin_idx),
        );
        raw.verbaende = Arc::new(verbaende);
        raw
    }

    /// The same registry-derived part, shared, with no processes or records: the start of a
    /// rebuild.
    pub fn empty_like(&self) -> RawData {
        let mut raw = RawData::with_index(
            self.registry.clone(),
            self.units.clone(),
            self.kreise.clone(),
            self.admins.clone(),
            self.admin_idx.clone(),
        );
        raw.verbaende = self.verbaende.clone();
        raw
    }

    fn with_index(
        registry: Arc<Registry>,
        units: Arc<Vec<Unit>>,
        kreise: Arc<Vec<usize>>,
        admins: Arc<Vec<Admin>>,
        admin_idx: Arc<HashMap<String, u32>>,
    ) -> RawData {
        RawData {
            registry,
            units,
            kreise,
            admins,
            admin_idx,
            processes: Vec::new(),
            process_idx: HashMap::new(),
            qualifications: Vec::new(),
            activations: Vec::new(),
            accounts: Vec::new(),
            onlinedienste: Arc::default(),
            last_imports: Vec::new(),
            import_ids: Vec::new(),
            demo: false,
            verbaende: Arc::default(),
        }
    }

    /// Applies imported `aktivierungen` records as the database did: a new key is added, a known
    /// one takes the record's deactivation date.
    pub fn upsert_activations(&mut self, records: &[Record]) {
        let mut known: HashMap<(u32, u32, NaiveDate), usize> = self
            .activations
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.admin, a.process, a.from), i))
            .collect();
        for r in records.iter().filter_map(rows::Activation::of_record) {
            let (Some(&admin), Some(&process)) = (
                self.admin_idx.get(r.administration),
                self.process_idx.get(r.process),
            ) else {
                continue;
            };
            let (from, until) = (r.activated_on, r.deactivated_on);
            match known.get(&(admin, process, from)) {
                Some(&i) => self.activations[i].until = until,
                None => {
                    known.insert((admin, process, from), self.activations.len());
                    self.activations.push(Activation {
                        admin,
                        process,
                        from,
                        until,
                    });
                }
            }
        }
    }

    /// Takes the latest import of every dataset from the import log.
    pub fn set_last_imports(&mut self, imports: &[LastImport]) {
        self.import_ids = imports
            .iter()
            .map(|i| (i.dataset.clone(), i.log_id))
            .collect();
        self.last_imports = imports.iter().map(|i| (i.dataset.clone(), i.at)).collect();
    }

    /// Notes an import that the data already reflects.
    pub fn record_import(&mut self, dataset: &str, log_id: i64, at: i64) {
        for (list, value) in [(&mut self.import_ids, log_id), (&mut self.last_imports, at)] {
            match list.iter_mut().find(|(d, _)| d == dataset) {
                Some(entry) => entry.1 = value,
                None => {
                    list.push((dataset.to_string(), value));
                    list.sort(); // as the store delivers them: by dataset
                }
            }
        }
    }

    /// The latest import-log id of `dataset`, if it was ever imported.
    pub fn import_id(&self, dataset: &str) -> Option<i64> {
        self.import_ids
            .iter()
            .find(|(d, _)| d == dataset)
            .map(|(_, id)| *id)
    }

    pub fn set_processes(&mut self, mut processes: Vec<Process>) {
        processes.sort_by(|a, b| a.id.cmp(&b.id));
        self.process_idx = processes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as u32))
            .collect();
        self.processes = processes;
    }

    /// A sink that indexes records into this data (see [`RawSink`]).
    pub fn sink(&mut self) -> RawSink<'_> {
        RawSink {
            raw: self,
            participants: HashMap::new(),
            last_admin: (String::new(), None),
            gemeinden_ars: None,
        }
    }

    pub fn unit_index(&self, level: UnitLevel, key: &str) -> Option<usize> {
        self.units
            .iter()
            .position(|u| u.level == level && u.key == key)
    }

    /// The index of the process with this id.
    pub fn process_index(&self, id: &str) -> Option<usize> {
        self.process_idx.get(id).map(|&i| i as usize)
    }

    /// How many processes of the catalogue are of kind `art`.
    pub fn processes_of(&self, art: Art) -> usize {
        self.processes.iter().filter(|p| p.art == art).count()
    }

    /// The units of the Länder (one for Baden-Württemberg, 16 for Germany).
    pub fn laender(&self) -> impl Iterator<Item = usize> + '_ {
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.level == UnitLevel::Land)
            .map(|(i, _)| i)
    }

    /// The service-bw process of each LeiKa key (the first in catalogue order): the join of the
    /// Onlinedienste to the processes.
    pub fn processes_by_leika(&self) -> HashMap<&str, usize> {
        let mut by = HashMap::new();
        for (i, p) in self.processes.iter().enumerate() {
            if let Some(k) = p.leika.as_deref() {
                by.entry(k).or_insert(i);
            }
        }
        by
    }

    /// What the registry covers, for titles: the Land's name, or "Deutschland" for all 16.
    pub fn area_name(&self) -> String {
        let names: Vec<&str> = self
            .laender()
            .map(|i| self.units[i].name.as_str())
            .collect();
        match names.as_slice() {
            [one] => one.to_string(),
            all if all.len() == 16 => "Deutschland".into(),
            some => some.join(", "),
        }
    }
}

/// Indexes records as the store reads them. Records that reference unknown keys (impossible
/// through the import path, which validates them) are skipped rather than trusted.
#[derive(Debug)]
pub struct RawSink<'r> {
    raw: &'r mut RawData,
    /// Numbers the pseudonymous participant ids of one load.
    participants: HashMap<String, u32>,
    /// The administration of the previous activation and its index: the store delivers
    /// activations in key order, so the id repeats in runs and is looked up once per run.
    last_admin: (String, Option<u32>),
    /// The Gemeinden's 12-digit ARS, gathered when the first Onlinedienst arrives.
    gemeinden_ars: Option<std::collections::HashSet<String>>,
}

impl RecordSink for RawSink<'_> {
    fn expect_activations(&mut self, count: usize) {
        self.raw.activations.reserve_exact(count);
    }

    fn qualification(
        &mut self,
        participant: &str,
        admin: &str,
        programme: Programme,
        completed_on: NaiveDate,
        voucher_cents: i64,
    ) {
        let Some(&admin) = self.raw.admin_idx.get(admin) else {
            return;
        };
        let participant = match self.participants.get(participant) {
            Some(&id) => id,
            None => {
                let id = self.participants.len() as u32;
                self.participants.insert(participant.to_string(), id);
                id
            }
        };
        self.raw.qualifications.push(Qualification {
            participant,
            admin,
            programme,
            completed_on,
            voucher_cents,
        });
    }

    fn activation(
        &mut self,
        admin: &str,
        process: &str,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) {
        if self.last_admin.0 != admin {
            self.last_admin.0.clear();
            self.last_admin.0.push_str(admin);
            self.last_admin.1 = self.raw.admin_idx.get(admin).copied();
        }
        if let (Some(admin), Some(&process)) =
            (self.last_admin.1, self.raw.process_idx.get(process))
        {
            self.raw.activations.push(Activation {
                admin,
                process,
                from,
                until,
            });
        }
    }

    fn account(&mut self, date: NaiveDate, account_type: &str, scope: &str, count: i64) {
        let admin = if scope.is_empty() {
            None
        } else {
            match self.raw.admin_idx.get(scope) {
                Some(&a) => Some(a),
                None => return,
            }
        };
        self.raw.accounts.push(AccountCount {
            date,
            account_type: account_type.to_string(),
            admin,
            count,
        });
    }

    fn onlinedienst(&mut self, row: crate::model::OnlinedienstRef<'_>) {
        use super::onlinedienste::{region_key, Row};
        let registry = &self.raw.registry;
        let gemeinden = self.gemeinden_ars.get_or_insert_with(|| {
            registry
                .level(Level::Gemeinde)
                .map(|r| r.ars.clone())
                .collect()
        });
        let key = region_key(row.ars, |a| gemeinden.contains(a));
        Arc::make_mut(&mut self.raw.onlinedienste).add(
            key,
            row.snapshot,
            Row {
                leika: row.leika,
                name: row.leika_name,
                url: row.url,
                online_ok: row.online_ok,
                flaechendeckung: row.flaechendeckung,
            },
        );
    }
}

/// The units of every level of the registry, the Gemeindeverbände of two or more Gemeinden (right
/// after the Gemeinden: a kept past day cuts both out as one range), then the size classes.
fn units_of(registry: &Registry) -> Vec<Unit> {
    let mut units = Vec::new();
    for level in Level::ALL {
        for r in registry.level(level) {
            units.push(Unit {
                level: match level {
                    Level::Land => UnitLevel::Land,
                    Level::Regierungsbezirk => UnitLevel::Regierungsbezirk,
                    Level::Kreis => UnitLevel::Kreis,
                    Level::Gemeinde => UnitLevel::Gemeinde,
                },
                key: r.ags.clone(),
                name: r.name.clone(),
                kind: r.kind.clone(),
                parent: r.parent.clone(),
                population: r.population,
            });
        }
    }
    units.extend(verband_units(registry));
    // Size classes belong to the Land, or to no one Land when the registry holds several.
    let laender: Vec<String> = registry.level(Level::Land).map(|r| r.ags.clone()).collect();
    let land_key = match laender.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    for sc in SizeClass::ALL {
        let population = registry
            .level(Level::Gemeinde)
            .filter(|g| SizeClass::of(g.population) == sc)
            .map(|g| g.population)
            .sum();
        units.push(Unit {
            level: UnitLevel::Groessenklasse,
            key: sc.key().into(),
            name: sc.label().into(),
            kind: "Größenklasse".into(),
            parent: land_key.clone(),
            population,
        });
    }
    units
}

/// The Gemeindeverbände of two or more Gemeinden, in key order, each in its Kreis with its
/// members' population.
fn verband_units(registry: &Registry) -> Vec<Unit> {
    let mut members: BTreeMap<usize, (u32, i64)> = BTreeMap::new();
    for g in registry.level(Level::Gemeinde) {
        if let Some((v, _)) = registry.verband_of(&g.ars) {
            let m = members.entry(v).or_default();
            *m = (m.0 + 1, m.1 + g.population);
        }
    }
    members
        .into_iter()
        .filter(|(_, (count, _))| *count >= 2)
        .map(|(v, (_, population))| {
            let a = &registry.associations()[v];
            Unit {
                level: UnitLevel::Verband,
                key: a.verband_ars.clone(),
                name: a.name.clone(),
                kind: a.kind.clone(),
                parent: Some(a.kreis.clone()),
                population,
            }
        })
        .collect()
}

/// The administrations, sorted by id, each with the units it counts in (Land, Regierungsbezirk,
/// Kreis, and for a Gemeinde its own unit, its Verband and size class); ids the registry lacks
/// are skipped.
fn admins_of(
    registry: &Registry,
    units: &[Unit],
    kreise: &[usize],
    mut administrations: Vec<(String, AdminKind)>,
) -> (Vec<Admin>, HashMap<String, u32>) {
    let unit_of: HashMap<(UnitLevel, &str), usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| ((u.level, u.key.as_str()), i))
        .collect();
    let find = |level: UnitLevel, key: &str| unit_of.get(&(level, key)).copied();
    let kreis_pos: HashMap<&str, usize> = kreise
        .iter()
        .enumerate()
        .map(|(pos, &u)| (units[u].key.as_str(), pos))
        .collect();
    let mut admins = Vec::with_capacity(administrations.len());
    let mut admin_idx: HashMap<String, u32> = HashMap::new();
    administrations.sort();
    for (id, kind) in administrations {
        let (region_level, kreis_key) = match kind {
            AdminKind::Gemeinde => (UnitLevel::Gemeinde, id.get(..5).unwrap_or("")),
            AdminKind::Landratsamt => (UnitLevel::Kreis, id.as_str()),
        };
        let (Some(region), Some(&kreis)) = (find(region_level, &id), kreis_pos.get(kreis_key))
        else {
            continue;
        };
        let kreis_unit = &units[kreise[kreis]];
        let rb = kreis_unit.parent.clone().unwrap_or_default();
        let mut unit_list = vec![];
        // The Land is the key's first two digits (a registry may hold several Länder).
        unit_list.extend(find(UnitLevel::Land, id.get(..2).unwrap_or("")));
        unit_list.extend(find(UnitLevel::Regierungsbezirk, &rb));
        unit_list.push(kreise[kreis]);
        let (name, population) = match kind {
            AdminKind::Gemeinde => {
                unit_list.push(region);
                if let Some((_, v)) = registry.verband_of(&id) {
                    unit_list.extend(find(UnitLevel::Verband, &v.verband_ars));
                }
                let pop = units[region].population;
                unit_list.extend(find(UnitLevel::Groessenklasse, SizeClass::of(pop).key()));
                (units[region].name.clone(), pop)
            }
            AdminKind::Landratsamt => (
                crate::registry::territory::kreis_administration_name(&id, &kreis_unit.name),
                0,
            ),
        };
        admin_idx.insert(id.clone(), admins.len() as u32);
        admins.push(Admin {
            id,
            kind,
            name,
            kreis,
            population,
            units: unit_list,
        });
    }
    (admins, admin_idx)
}
