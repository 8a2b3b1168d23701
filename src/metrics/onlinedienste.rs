//! The families of the federal Onlinedienste: per Kreis and per Land, per class of reach;
//! never a series per Gemeinde × service (bounded: Kreise × 2 + Länder × 6 + 3 + …).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::register::{family, gauge, help, FloatGauge};
use crate::coverage::figure::Figure;
use crate::coverage::raw::UnitLevel;
use crate::coverage::Snapshot;
use crate::model::{AdminKind, Reach};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisReach {
    kreis: String,
    reach: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LandReachSource {
    land: String,
    reach: &'static str,
    source: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KreisLabel {
    kreis: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LevelLabel {
    level: &'static str,
}

/// Registers the Onlinedienste families of the snapshot's day.
pub(super) fn families(reg: &mut Registry, snap: &Snapshot) {
    per_kreis(reg, snap);
    per_land(reg, snap);
    disagreements(reg, snap);
    let newest = snap.raw.onlinedienste.newest_datenstand();
    gauge(
        reg,
        "digitalatlas_onlinedienste_datenstand_timestamp_seconds",
        "Newest Datenstand of the imported Onlinedienste (Unix time, 0 without any)",
        newest.map_or(0.0, |d| {
            d.and_hms_opt(0, 0, 0)
                .map_or(0.0, |t| t.and_utc().timestamp() as f64)
        }),
    );
}

/// Per Kreis: services by reach (our rule), broken links, services per Gemeinde.
fn per_kreis(reg: &mut Registry, snap: &Snapshot) {
    let (raw, f) = (&snap.raw, &snap.current);
    let services: Family<KreisReach, Gauge> = family(
        reg,
        "digitalatlas_onlinedienste_services",
        "Distinct Onlinedienste (LeiKa services) available in every Gemeinde of the Kreis (reach flaechendeckend) or in some but not all (mindestens_eine), by the atlas' own rule",
    );
    let broken: Family<KreisLabel, Gauge> = family(
        reg,
        "digitalatlas_onlinedienste_links_not_ok",
        &help(Figure::OnlinediensteLinksNichtOk, "per Kreis"),
    );
    let avg: Family<KreisLabel, FloatGauge> = family(
        reg,
        "digitalatlas_onlinedienste_per_gemeinde",
        &help(Figure::OnlinediensteAvg, "per Kreis"),
    );
    for &u in raw.kreise.iter() {
        let (kreis, s) = (raw.units[u].key.clone(), &f.units[u].services);
        for (reach, n) in [
            (Reach::Flaechendeckend, s.flaechendeckend),
            (Reach::MindestensEine, s.available - s.flaechendeckend),
        ] {
            let labels = KreisReach {
                kreis: kreis.clone(),
                reach: reach.as_str(),
            };
            services.get_or_create(&labels).set(n.into());
        }
        let k = KreisLabel { kreis };
        broken.get_or_create(&k).set(s.links_broken.into());
        avg.get_or_create(&k).set(f.units[u].services_avg());
    }
}

/// Per Land: services by reach, by the atlas' rule and by the export's claim.
fn per_land(reg: &mut Registry, snap: &Snapshot) {
    let (raw, f) = (&snap.raw, &snap.current);
    let land: Family<LandReachSource, Gauge> = family(
        reg,
        "digitalatlas_onlinedienste_land_services",
        "Distinct Onlinedienste of the Land by reach: source=atlas by the atlas' rule (every Gemeinde, at least one), source=bund by the federal export's art_flaechendeckung",
    );
    for (u, unit) in raw.units.iter().enumerate() {
        if unit.level != UnitLevel::Land {
            continue;
        }
        let all = f.units[u].administrations_of(Some(AdminKind::Gemeinde));
        let mut counts = [[0i64; 2]; 2];
        for a in f.services.of_area(u) {
            let slot = |r: Reach| match r {
                Reach::Flaechendeckend => Some(0),
                Reach::MindestensEine => Some(1),
                Reach::Keine => None,
            };
            if let Some(i) = slot(a.reach(all)) {
                counts[0][i] += 1;
            }
            if let Some(i) = a.source.and_then(slot) {
                counts[1][i] += 1;
            }
        }
        for (s, source) in ["atlas", "bund"].into_iter().enumerate() {
            for (r, reach) in [Reach::Flaechendeckend, Reach::MindestensEine]
                .into_iter()
                .enumerate()
            {
                let labels = LandReachSource {
                    land: unit.key.clone(),
                    reach: reach.as_str(),
                    source,
                };
                land.get_or_create(&labels).set(counts[s][r]);
            }
        }
    }
}

/// Per level: (service, area) pairs where the atlas' rule and the export disagree.
fn disagreements(reg: &mut Registry, snap: &Snapshot) {
    let (raw, f) = (&snap.raw, &snap.current);
    let family: Family<LevelLabel, Gauge> = family(
        reg,
        "digitalatlas_onlinedienste_disagreements",
        "Pairs of Onlinedienst and area (Kreis, Regierungsbezirk, Land) whose reach by the atlas' rule differs from the federal export's art_flaechendeckung",
    );
    for level in [
        UnitLevel::Land,
        UnitLevel::Regierungsbezirk,
        UnitLevel::Kreis,
    ] {
        let mut n = 0;
        for (u, unit) in raw.units.iter().enumerate() {
            if unit.level == level {
                let all = f.units[u].administrations_of(Some(AdminKind::Gemeinde));
                n += f
                    .services
                    .of_area(u)
                    .iter()
                    .filter(|a| a.disagrees(all))
                    .count();
            }
        }
        family
            .get_or_create(&LevelLabel {
                level: level.as_str(),
            })
            .set(n as i64);
    }
}
