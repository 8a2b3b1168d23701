//! The Prometheus families of one snapshot (the metric contract), encoded once per snapshot.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::register::{family, gauge, help, FloatGauge};
use crate::coverage::figure::Figure;
use crate::coverage::figures::UnitFigures;
use crate::coverage::raw::UnitLevel;
use crate::coverage::Snapshot;
use crate::model::{AdminKind, Art, Programme, SizeClass};

/// Default bound of `digitalatlas_ozg_gemeinden_with_process{kreis, process}`, the one family
/// whose size is Kreise × processes (Baden-Württemberg: 44 × 30; Germany: 400 × 600).
pub const OZG_PER_KREIS_MAX_SERIES: usize = 50_000;

/// Which processes the per-Kreis process family covers so that it stays within `max_series`:
/// all of them if they fit, otherwise those active in the most Gemeinden (ties in catalogue
/// order), as many as fit.
pub fn per_kreis_processes(gemeinden: &[u32], kreise: usize, max_series: usize) -> Vec<bool> {
    let fit = max_series / kreise.max(1);
    if gemeinden.len() <= fit {
        return vec![true; gemeinden.len()];
    }
    let mut order: Vec<usize> = (0..gemeinden.len()).collect();
    order.sort_by_key(|&p| (std::cmp::Reverse(gemeinden[p]), p));
    let mut included = vec![false; gemeinden.len()];
    for &p in order.iter().take(fit) {
        included[p] = true;
    }
    included
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisKind {
    kreis: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisKindProgramme {
    kreis: String,
    kind: &'static str,
    programme: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProgrammeLabel {
    programme: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisLabel {
    kreis: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisProcess {
    kreis: String,
    process: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProcessLabel {
    process: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AgsArt {
    ags: String,
    art: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ArtLabel {
    art: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AccountType {
    account_type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisAccountType {
    kreis: String,
    account_type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisInfo {
    kreis: String,
    name: String,
    kreis_type: String,
    regierungsbezirk: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RbInfo {
    regierungsbezirk: String,
    name: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProcessInfo {
    process: String,
    name: String,
    art: &'static str,
    leika: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GemeindeInfo {
    ags: String,
    name: String,
    kreis: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SizeClassLabel {
    size_class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DatasetLabel {
    dataset: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabel {
    version: &'static str,
}

/// The families that change with every rebuild even when the data does not: when and how fast
/// the snapshot was built, its generation and data version. Tiny, so they are encoded per scrape.
pub fn snapshot_registry(snap: &Snapshot) -> Registry {
    let mut reg = Registry::default();
    gauge(
        &mut reg,
        "digitalatlas_snapshot_timestamp_seconds",
        "When the current snapshot of figures was built (Unix time)",
        snap.built_at,
    );
    gauge(
        &mut reg,
        "digitalatlas_snapshot_build_duration_seconds",
        "How long building the current snapshot took",
        snap.build_duration.as_secs_f64(),
    );
    gauge(
        &mut reg,
        "digitalatlas_snapshot_generation",
        "Number of the current snapshot since start-up",
        snap.generation as f64,
    );
    gauge(
        &mut reg,
        "digitalatlas_snapshot_data_version",
        "Number of the current data version since start-up (moves only when records or the day change)",
        snap.data_version as f64,
    );
    reg
}

/// Builds the registry of one snapshot's data (everything but [`snapshot_registry`]), the
/// same for every snapshot of one data version. Label values are official keys; names come from the
/// `*_info` families, joined in PromQL with `group_left`.
pub fn registry(snap: &Snapshot, ozg_per_kreis_max_series: usize) -> Registry {
    let mut reg = Registry::default();
    // Registration order is exposition order; the groups follow the figure catalogue.
    lotsen_per_kreis(&mut reg, snap);
    ozg_per_kreis(&mut reg, snap, ozg_per_kreis_max_series);
    regierungsbezirk_info(&mut reg, snap);
    funding(&mut reg, snap);
    size_classes(&mut reg, snap);
    ozg_processes(&mut reg, snap);
    ozg_per_gemeinde(&mut reg, snap);
    accounts(&mut reg, snap);
    super::onlinedienste::families(&mut reg, snap);
    data_info(&mut reg, snap);
    reg
}

/// Per Kreis: administrations, Lotsen (by kind and programme), population, names.
fn lotsen_per_kreis(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let admins: Family<KreisKind, Gauge> = family(
        reg,
        "digitalatlas_administrations",
        &help(Figure::Administrations, "per Kreis and kind"),
    );
    let with: Family<KreisKindProgramme, Gauge> = family(
        reg,
        "digitalatlas_administrations_with_lotsen",
        "Administrations with at least one Digitallotse of the programme",
    );
    let with_any: Family<KreisKind, Gauge> = family(
        reg,
        "digitalatlas_administrations_with_any_lotse",
        &help(Figure::AdministrationsWithLotse, "per Kreis and kind"),
    );
    let lotsen: Family<KreisKindProgramme, Gauge> = family(
        reg,
        "digitalatlas_lotsen",
        "Digitallotsen (distinct pseudonymous participants) who completed the programme",
    );
    let lotsen_any: Family<KreisKind, Gauge> = family(
        reg,
        "digitalatlas_lotsen_any_programme",
        &help(Figure::Lotsen, "per Kreis and kind of administration"),
    );
    for &u in raw.kreise.iter() {
        let unit = &raw.units[u];
        let uf = &f.units[u];
        let kreis = unit.key.clone();
        for kind in AdminKind::ALL {
            if uf.administrations[kind] == 0 {
                continue; // a Stadtkreis has no Landratsamt
            }
            let kk = KreisKind {
                kreis: kreis.clone(),
                kind: kind.as_str(),
            };
            admins
                .get_or_create(&kk)
                .set(uf.administrations[kind].into());
            with_any
                .get_or_create(&kk)
                .set(uf.with_lotsen[kind].any.into());
            lotsen_any
                .get_or_create(&kk)
                .set(uf.lotsen[kind].any.into());
            for p in Programme::ALL {
                let l = KreisKindProgramme {
                    kreis: kreis.clone(),
                    kind: kind.as_str(),
                    programme: p.as_str(),
                };
                with.get_or_create(&l).set(uf.with_lotsen[kind][p].into());
                lotsen.get_or_create(&l).set(uf.lotsen[kind][p].into());
            }
        }
    }
    kreis_names(reg, snap);
}

/// Per Kreis: population, name, type and Regierungsbezirk.
fn kreis_names(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let population: Family<KreisLabel, Gauge> = family(
        reg,
        "digitalatlas_population",
        "Population of the Kreis (Gemeinden, 31.12.2024)",
    );
    let kreis_info: Family<KreisInfo, Gauge> = family(
        reg,
        "digitalatlas_kreis_info",
        "Names and types of the Kreise (value always 1)",
    );
    let via_verband: Family<KreisLabel, Gauge> = family(
        reg,
        "digitalatlas_gemeinden_via_verband",
        &help(Figure::GemeindenViaVerband, "per Kreis"),
    );
    for &u in raw.kreise.iter() {
        let unit = &raw.units[u];
        let kreis = unit.key.clone();
        population
            .get_or_create(&KreisLabel {
                kreis: kreis.clone(),
            })
            .set(unit.population);
        via_verband
            .get_or_create(&KreisLabel {
                kreis: kreis.clone(),
            })
            .set(snap.current.units[u].gemeinden_via_verband.into());
        kreis_info
            .get_or_create(&KreisInfo {
                kreis: kreis.clone(),
                name: unit.name.clone(),
                kreis_type: unit.kind.clone(),
                regierungsbezirk: unit.regierungsbezirk().to_string(),
            })
            .set(1);
    }
}

/// Per Kreis and process: the Gemeinden with it active (only the processes that fit within
/// `ozg_per_kreis_max_series`).
fn ozg_per_kreis(reg: &mut Registry, snap: &Snapshot, ozg_per_kreis_max_series: usize) {
    let raw = &snap.raw;
    let f = &snap.current;
    let per_process: Vec<u32> = f.processes.iter().map(|p| p.gemeinden).collect();
    let per_kreis = per_kreis_processes(&per_process, raw.kreise.len(), ozg_per_kreis_max_series);
    let ozg_kreis: Family<KreisProcess, Gauge> = family(
        reg,
        "digitalatlas_ozg_gemeinden_with_process",
        "Gemeinden of the Kreis with the process active",
    );
    for (pos, &u) in raw.kreise.iter().enumerate() {
        let kreis = &raw.units[u].key;
        for (p, process) in raw.processes.iter().enumerate() {
            if !per_kreis[p] {
                continue;
            }
            ozg_kreis
                .get_or_create(&KreisProcess {
                    kreis: kreis.clone(),
                    process: process.id.clone(),
                })
                .set(f.processes[p].gemeinden_by_kreis[pos].into());
        }
    }
}

/// Names of the Regierungsbezirke.
fn regierungsbezirk_info(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let rb_info: Family<RbInfo, Gauge> = family(
        reg,
        "digitalatlas_regierungsbezirk_info",
        "Names of the Regierungsbezirke (value always 1)",
    );
    for u in raw
        .units
        .iter()
        .filter(|u| u.level == UnitLevel::Regierungsbezirk)
    {
        rb_info
            .get_or_create(&RbInfo {
                regierungsbezirk: u.key.clone(),
                name: u.name.clone(),
            })
            .set(1);
    }
}

/// The vouchers paid, per programme (all Länder of the registry together).
fn funding(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let total = UnitFigures::total_of(raw, &f.units);
    let funding: Family<ProgrammeLabel, FloatGauge> = family(
        reg,
        "digitalatlas_funding_euros",
        "Sum of the training vouchers paid, in euros",
    );
    for p in Programme::ALL {
        let cents = total.funding_cents.get(p);
        funding
            .get_or_create(&ProgrammeLabel {
                programme: p.as_str(),
            })
            .set(cents as f64 / 100.0);
    }
}

/// Gemeinden per size class, and those with a Lotse.
fn size_classes(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let sc_admins: Family<SizeClassLabel, Gauge> = family(
        reg,
        "digitalatlas_size_class_gemeinden",
        &help(Figure::Gemeinden, "per population size class"),
    );
    let sc_with: Family<SizeClassLabel, Gauge> = family(
        reg,
        "digitalatlas_size_class_gemeinden_with_any_lotse",
        &help(Figure::GemeindenWithLotse, "per population size class"),
    );
    for sc in SizeClass::ALL {
        if let Some(i) = raw.unit_index(UnitLevel::Groessenklasse, sc.key()) {
            let l = SizeClassLabel {
                size_class: sc.key(),
            };
            sc_admins
                .get_or_create(&l)
                .set(f.units[i].administrations_of(None).into());
            sc_with
                .get_or_create(&l)
                .set(f.units[i].with_lotse(None, None).into());
        }
    }
}

/// Per process: Gemeinden, population and Landratsämter with it active, its names; per art:
/// flächendeckend and in at least one Kommune.
fn ozg_processes(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let ozg_pop: Family<ProcessLabel, Gauge> = family(
        reg,
        "digitalatlas_ozg_population_with_process",
        "Population of the Gemeinden with the process active",
    );
    let ozg_gemeinden: Family<ProcessLabel, Gauge> = family(
        reg,
        "digitalatlas_ozg_land_gemeinden_with_process",
        "Gemeinden of the Land with the process active (every process, also where the per-Kreis family is bounded)",
    );
    let ozg_lra: Family<ProcessLabel, Gauge> = family(
        reg,
        "digitalatlas_ozg_landratsaemter_with_process",
        "Landratsämter with the process active",
    );
    let process_info: Family<ProcessInfo, Gauge> = family(
        reg,
        "digitalatlas_process_info",
        "Names, kind and LeiKa key of the service-bw processes (value always 1)",
    );
    for (p, process) in raw.processes.iter().enumerate() {
        let l = ProcessLabel {
            process: process.id.clone(),
        };
        ozg_pop.get_or_create(&l).set(f.processes[p].population);
        ozg_gemeinden
            .get_or_create(&l)
            .set(f.processes[p].gemeinden.into());
        ozg_lra
            .get_or_create(&l)
            .set(f.processes[p].landratsaemter.into());
        process_info
            .get_or_create(&ProcessInfo {
                process: process.id.clone(),
                name: process.name.clone(),
                art: process.art.as_str(),
                leika: process.leika.clone().unwrap_or_default(),
            })
            .set(1);
    }
    let flaechendeckend: Family<ArtLabel, Gauge> = family(
        reg,
        "digitalatlas_ozg_processes_flaechendeckend",
        "Processes active in every Gemeinde of the Land (100 percent)",
    );
    let at_least_one: Family<ArtLabel, Gauge> = family(
        reg,
        "digitalatlas_ozg_processes_in_at_least_one_kommune",
        "Processes active in at least one Gemeinde",
    );
    for art in [Art::Standard, Art::Universal] {
        let l = ArtLabel { art: art.as_str() };
        flaechendeckend
            .get_or_create(&l)
            .set(f.processes_flaechendeckend[art as usize].into());
        at_least_one
            .get_or_create(&l)
            .set(f.processes_in_at_least_one[art as usize].into());
    }
}

/// Per Gemeinde: active processes by art, and its name and Kreis.
fn ozg_per_gemeinde(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let per_gemeinde: Family<AgsArt, Gauge> = family(
        reg,
        "digitalatlas_ozg_processes_active",
        "Processes active in the Gemeinde, by kind",
    );
    let gemeinde_info: Family<GemeindeInfo, Gauge> = family(
        reg,
        "digitalatlas_gemeinde_info",
        "Names and Kreis of the Gemeinden (value always 1)",
    );
    for (i, a) in raw.admins.iter().enumerate() {
        if a.kind != AdminKind::Gemeinde {
            continue;
        }
        let ozg = f.admin_ozg[i];
        for (art, n) in [
            (Art::Standard, ozg.standard),
            (Art::Universal, ozg.universal),
        ] {
            per_gemeinde
                .get_or_create(&AgsArt {
                    ags: a.id.clone(),
                    art: art.as_str(),
                })
                .set(n.into());
        }
        gemeinde_info
            .get_or_create(&GemeindeInfo {
                ags: a.id.clone(),
                name: a.name.clone(),
                kreis: raw.units[raw.kreise[a.kreis]].key.clone(),
            })
            .set(1);
    }
}

/// service-bw accounts: the Land per type, and per Kreis where per-Kommune counts exist.
fn accounts(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let f = &snap.current;
    let accounts: Family<AccountType, Gauge> = family(
        reg,
        "digitalatlas_servicebw_accounts",
        "service-bw user accounts at the latest Stichtag",
    );
    for a in &f.accounts {
        accounts
            .get_or_create(&AccountType {
                account_type: a.account_type.clone(),
            })
            .set(a.count);
    }

    // Kreise × 2 account types: bounded by the registry (Germany 400 × 2).
    let accounts_by_kreis: Family<KreisAccountType, Gauge> = family(
        reg,
        "digitalatlas_servicebw_accounts_by_kreis",
        "service-bw user accounts of the Kreis' administrations at the latest Stichtag with \
         per-Kommune counts",
    );
    if f.admin_accounts_date.iter().any(Option::is_some) {
        for &u in raw.kreise.iter() {
            for (k, t) in crate::model::ACCOUNT_TYPES.iter().enumerate() {
                if f.admin_accounts_date[k].is_none() {
                    continue;
                }
                accounts_by_kreis
                    .get_or_create(&KreisAccountType {
                        kreis: raw.units[u].key.clone(),
                        account_type: t.to_string(),
                    })
                    .set(f.units[u].accounts[k]);
            }
        }
    }
}

/// Version, demo flag and the last import per dataset.
fn data_info(reg: &mut Registry, snap: &Snapshot) {
    let raw = &snap.raw;
    let build_info: Family<VersionLabel, Gauge> = family(
        reg,
        "digitalatlas_build_info",
        "Version of the running digitalatlas (value always 1)",
    );
    build_info
        .get_or_create(&VersionLabel {
            version: env!("CARGO_PKG_VERSION"),
        })
        .set(1);
    gauge(
        reg,
        "digitalatlas_demo_data",
        "1 when the figures come from synthetic demo data (Demodaten), else 0",
        if raw.demo { 1.0 } else { 0.0 },
    );
    let last_import: Family<DatasetLabel, FloatGauge> = family(
        reg,
        "digitalatlas_last_import_timestamp_seconds",
        "When the dataset was last imported (Unix time)",
    );
    for (dataset, ts) in &raw.last_imports {
        last_import
            .get_or_create(&DatasetLabel {
                dataset: dataset.clone(),
            })
            .set(*ts as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_per_kreis_family_keeps_the_most_active_processes_that_fit() {
        // Baden-Württemberg: 44 Kreise × 30 processes fit.
        assert_eq!(per_kreis_processes(&[0; 30], 44, 50_000), vec![true; 30]);
        // 3 Kreise, room for 7 series: the 2 processes in the most Gemeinden, ties by order.
        assert_eq!(
            per_kreis_processes(&[5, 9, 0, 9, 1], 3, 7),
            vec![false, true, false, true, false]
        );
        assert_eq!(
            per_kreis_processes(&[5, 5, 5], 3, 7),
            vec![true, true, false]
        );
        // Germany: 400 Kreise × 600 processes, bounded at 50,000 series: 125 processes.
        let many: Vec<u32> = (0..600).collect();
        let kept = per_kreis_processes(&many, 400, 50_000);
        assert_eq!(kept.iter().filter(|&&k| k).count(), 125);
        assert!(kept[599] && !kept[474]);
    }
}
