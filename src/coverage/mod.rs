//! The coverage engine: every figure computed once per data change from the stored records, held in
//! an immutable snapshot that is swapped atomically. Knows nothing of HTTP.

pub mod analysis;
pub mod area;
pub mod catalogue;
pub mod changes;
pub mod compact;
pub mod counts;
pub mod figure;
pub mod figures;
pub mod history;
pub mod onlinedienste;
pub mod outreach;
pub mod raw;
pub mod search;
pub mod services;
pub mod snapshot;
pub mod steckbrief;
mod sweep;
pub mod verbaende;

pub use figures::{compute, Figures, ProcessFigures, UnitFigures, ALL_KINDS, ANY};
pub use raw::{RawData, UnitLevel};
pub use snapshot::{Coverage, Snapshot};

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;

    use super::counts::{ByKind, ByProgramme, Funding};
    use super::raw::{AdminKind, Art, Process, Programme, Records, SizeClass};
    use super::*;
    use crate::registry::{Level, Region, Registry};

    fn kinds(gemeinde: u32, landratsamt: u32, all: u32) -> ByKind<u32> {
        ByKind {
            gemeinde,
            landratsamt,
            all,
        }
    }

    fn progs(basis: u32, aufbau: u32, any: u32) -> ByProgramme<u32> {
        ByProgramme { basis, aufbau, any }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn region(ags: &str, level: Level, kind: &str, parent: Option<&str>, pop: i64) -> Region {
        Region {
            ars: ags.into(),
            ags: ags.into(),
            name: format!("R{ags}"),
            name_short: format!("R{ags}"),
            level,
            kind: kind.into(),
            parent: parent.map(Into::into),
            kreis: (ags.len() >= 5).then(|| ags[..5].to_string()),
            regierungsbezirk: (ags.len() >= 3).then(|| ags[..3].to_string()),
            population: pop,
            area_km2: 1.0,
        }
    }

    /// Land 08 > RB 081 > Stadtkreis 08111 (Gemeinde 08111000, 600,000 people) and Landkreis 08115
    /// (Gemeinden 08115003 with 50,000 and 08115010 with 3,000 people; Landratsamt 08115).
    fn raw() -> RawData {
        RawData::build(Arc::new(registry()), records())
    }

    fn registry() -> Registry {
        Registry::new(
            vec![
                region("08", Level::Land, "Land", None, 653_000),
                region(
                    "081",
                    Level::Regierungsbezirk,
                    "Regierungsbezirk",
                    Some("08"),
                    653_000,
                ),
                region("08111", Level::Kreis, "Stadtkreis", Some("081"), 600_000),
                region("08115", Level::Kreis, "Landkreis", Some("081"), 53_000),
                region(
                    "08111000",
                    Level::Gemeinde,
                    "Stadtkreis",
                    Some("08111"),
                    600_000,
                ),
                region(
                    "08115003",
                    Level::Gemeinde,
                    "Große Kreisstadt",
                    Some("08115"),
                    50_000,
                ),
                region(
                    "08115010",
                    Level::Gemeinde,
                    "Gemeinde",
                    Some("08115"),
                    3_000,
                ),
            ],
            None,
        )
        .with_associations(
            vec![crate::registry::reference::Association {
                verband_ars: "081155001".into(),
                name: "GVV Test".into(),
                kind: "Gemeindeverwaltungsverband".into(),
                seat: "Böblingen".into(),
                kreis: "08115".into(),
            }],
            ["08115003", "08115010"].map(|g| (g.to_string(), "081155001".to_string())),
        )
    }

    /// The records of the test registry: four administrations, three processes, five courses,
    /// six activations, four account counts.
    fn records() -> Records {
        let s = |v: &str| v.to_string();
        let process = |id: &str, art| Process {
            art,
            ..Process::new(id)
        };
        Records {
            administrations: vec![
                (s("08111000"), AdminKind::Gemeinde),
                (s("08115003"), AdminKind::Gemeinde),
                (s("08115010"), AdminKind::Gemeinde),
                (s("08115"), AdminKind::Landratsamt),
            ],
            processes: vec![
                process("S1", Art::Standard),
                process("S2", Art::Standard),
                process("U1", Art::Universal),
            ],
            qualifications: vec![
                (
                    s("P1"),
                    s("08111000"),
                    Programme::Basis,
                    d("2019-01-10"),
                    30_000,
                ),
                (
                    s("P2"),
                    s("08111000"),
                    Programme::Basis,
                    d("2019-06-01"),
                    30_000,
                ),
                (
                    s("P2"),
                    s("08111000"),
                    Programme::Aufbau,
                    d("2021-03-01"),
                    10_000,
                ),
                (
                    s("P3"),
                    s("08115"),
                    Programme::Basis,
                    d("2020-01-01"),
                    30_000,
                ),
                (
                    s("P4"),
                    s("08115003"),
                    Programme::Aufbau,
                    d("2022-01-01"),
                    5_000,
                ),
            ],
            activations: vec![
                (s("08111000"), s("S1"), d("2020-01-01"), None),
                (s("08115003"), s("S1"), d("2020-06-01"), None),
                (
                    s("08115010"),
                    s("S1"),
                    d("2020-06-01"),
                    Some(d("2021-01-01")),
                ),
                (s("08115010"), s("S1"), d("2021-06-01"), None),
                (s("08111000"), s("U1"), d("2021-01-01"), None),
                (s("08115"), s("S2"), d("2021-01-01"), None),
            ],
            accounts: vec![
                (d("2020-12-31"), s("buerger"), s(""), 100),
                (d("2021-12-31"), s("buerger"), s(""), 150),
                (d("2021-12-31"), s("organisation"), s("08111000"), 7),
                (d("2021-12-31"), s("organisation"), s("08115003"), 3),
            ],
            last_imports: vec![],
            demo: false,
        }
    }

    fn unit<'a>(raw: &RawData, f: &'a Figures, level: UnitLevel, key: &str) -> &'a UnitFigures {
        &f.units[raw.unit_index(level, key).unwrap()]
    }

    #[test]
    fn lotsen_figures_by_hand() {
        let raw = raw();
        let f = compute(&raw, d("2022-12-31"));
        let land = unit(&raw, &f, UnitLevel::Land, "08");
        // Targets: 3 Gemeinden + 1 Landratsamt.
        assert_eq!(land.administrations, kinds(3, 1, 4));
        // With a Lotse: Gemeinden basis {08111000}, aufbau {08111000, 08115003}, any both;
        // the Landratsamt has a basis Lotse.
        assert_eq!(land.with_lotsen[AdminKind::Gemeinde], progs(1, 2, 2));
        assert_eq!(land.with_lotsen[AdminKind::Landratsamt], progs(1, 0, 1));
        assert_eq!(land.with_lotsen[ALL_KINDS], progs(2, 2, 3));
        // Distinct Lotsen: Gemeinden basis {P1,P2}, aufbau {P2,P4}, any {P1,P2,P4}; LRA {P3}.
        assert_eq!(land.lotsen[AdminKind::Gemeinde], progs(2, 2, 3));
        assert_eq!(land.lotsen[AdminKind::Landratsamt], progs(1, 0, 1));
        assert_eq!(land.lotsen[ALL_KINDS], progs(3, 2, 4));
        assert_eq!(
            land.funding_cents,
            Funding {
                basis: 90_000,
                aufbau: 15_000
            }
        );
        assert_eq!(land.population_with_lotse, 650_000);
        assert!((land.share_with_lotse() - 0.75).abs() < 1e-12);

        let lk = unit(&raw, &f, UnitLevel::Kreis, "08115");
        assert_eq!(lk.administrations, kinds(2, 1, 3));
        assert_eq!(lk.with_lotsen[ALL_KINDS], progs(1, 1, 2));
        assert_eq!(lk.lotsen[ALL_KINDS], progs(1, 1, 2));

        let small = unit(
            &raw,
            &f,
            UnitLevel::Groessenklasse,
            SizeClass::Under5k.key(),
        );
        assert_eq!(small.administrations, kinds(1, 0, 1));
        assert_eq!(small.with_lotsen[ALL_KINDS][ANY], 0);
        let big = unit(
            &raw,
            &f,
            UnitLevel::Groessenklasse,
            SizeClass::From100k.key(),
        );
        assert_eq!(big.lotsen[ALL_KINDS], progs(2, 1, 2));

        // The Verband of 08115003 (Aufbau, P4) and 08115010 (none): its two Gemeinden, one
        // with a Lotse, the other reachable through it; the Landratsamt is not a member.
        let verband = unit(&raw, &f, UnitLevel::Verband, "081155001");
        assert_eq!(verband.administrations, kinds(2, 0, 2));
        assert_eq!(verband.with_lotsen[ALL_KINDS], progs(0, 1, 1));
        assert_eq!(verband.gemeinden_via_verband, 1);
        assert_eq!(verband.population_with_lotse, 50_000);
        let u = raw.unit_index(UnitLevel::Verband, "081155001").unwrap();
        assert_eq!(raw.units[u].population, 53_000);
        assert_eq!(raw.units[u].parent.as_deref(), Some("08115"));
    }

    /// More overlapping activations of one cell than the sweep counts (255): the days are
    /// scanned instead, and equal what `compute` makes of them.
    #[test]
    fn a_cell_with_very_many_overlapping_activations_is_scanned() {
        use crate::model::RecordSink as _;
        let mut raw = raw();
        let mut sink = raw.sink();
        let start = d("2020-01-01");
        for i in 0..300 {
            let from = start + chrono::Days::new(i);
            sink.activation("08115010", "S2", from, Some(d("2022-01-01")));
        }
        let snap = Snapshot::build(1, raw, d("2022-06-30"));
        let days = crate::model::calendar::step_ends(d("2019-11-01"), d("2022-06-30"), 1);
        for (day, f) in days.iter().zip(snap.days_figures_of_gemeinden(&days)) {
            let expected = compute(&snap.raw, *day);
            for u in 0..snap.raw.units.len() {
                assert_eq!(f.unit(u), Some(&expected.units[u]), "{day} unit {u}");
            }
        }
    }

    /// An administration's history counts what `compute` counts on each day: its active
    /// processes by art, its Lotsen (a Gemeinde's are its own unit's) and their programmes.
    #[test]
    fn a_history_is_what_each_day_computes() {
        let raw = raw();
        let days = crate::model::calendar::step_ends(d("2018-11-01"), d("2022-06-30"), 1);
        for admin in 0..raw.admins.len() {
            let points = history::history(&raw, admin, &days);
            assert_eq!(points.len(), days.len());
            for p in points {
                let f = compute(&raw, p.date);
                let (ozg, flags) = (f.admin_ozg[admin], f.admin_lotsen[admin]);
                assert_eq!((p.standard, p.universal), (ozg.standard, ozg.universal));
                assert_eq!(p.lotsen.any > 0, flags.any(), "{}", p.date);
                assert_eq!(p.lotsen.aufbau > 0, flags.has(Programme::Aufbau));
                let a = &raw.admins[admin];
                if a.kind == AdminKind::Gemeinde {
                    let own = unit(&raw, &f, UnitLevel::Gemeinde, &a.id);
                    assert_eq!(p.lotsen, own.lotsen[ALL_KINDS], "{} {}", a.id, p.date);
                }
            }
        }
        // By hand: 08111000 on 2021-03-31 has P1 (Basis) and P2 (Basis, then Aufbau), S1 and U1.
        let stuttgart = raw.admin_idx["08111000"] as usize;
        let p = history::history(&raw, stuttgart, &[d("2021-03-31")])[0];
        assert_eq!(p.lotsen, progs(2, 1, 2));
        assert_eq!((p.standard, p.universal), (1, 1));
    }

    #[test]
    fn as_of_counts_only_what_was_done_by_then() {
        let raw = raw();
        let f = compute(&raw, d("2020-12-31"));
        let land = unit(&raw, &f, UnitLevel::Land, "08");
        assert_eq!(land.with_lotsen[ALL_KINDS], progs(2, 0, 2));
        assert_eq!(land.lotsen[ALL_KINDS], progs(3, 0, 3));
        assert_eq!(
            land.funding_cents,
            Funding {
                basis: 90_000,
                aufbau: 0
            }
        );
        let f = compute(&raw, d("2019-01-09"));
        assert_eq!(
            unit(&raw, &f, UnitLevel::Land, "08").lotsen[ALL_KINDS],
            progs(0, 0, 0)
        );
        // The completion day itself counts.
        let f = compute(&raw, d("2019-01-10"));
        assert_eq!(
            unit(&raw, &f, UnitLevel::Land, "08").lotsen[ALL_KINDS],
            progs(1, 0, 1)
        );
    }

    #[test]
    fn the_forward_sweep_finds_the_active_cells_of_every_day() {
        let raw = raw();
        let events = sweep::Events::of(&raw);
        let mut sweep = sweep::Sweep::new(&raw, &events);
        let mut day = d("2019-12-30");
        while day <= d("2021-07-02") {
            sweep.advance(day).unwrap();
            assert_eq!(sweep.active(), figures::active_on(&raw, day), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_time_series_swept_forward_equals_one_day_at_a_time() {
        let days: Vec<NaiveDate> = [
            "2019-01-09",
            "2019-01-10",
            "2020-12-31",
            "2019-01-10",
            "2021-06-30",
            "2030-01-31",
            "2030-02-28",
        ]
        .map(d)
        .to_vec();
        let snap = Snapshot::build(1, raw(), d("2030-03-15"));
        let series = snap.days_figures_of_gemeinden(&days);
        assert_eq!(series.len(), days.len());
        for (day, f) in days.iter().zip(&series) {
            let held: Vec<UnitFigures> = (0..snap.raw.units.len())
                .map(|u| f.unit(u).cloned().unwrap_or_default())
                .collect();
            assert_eq!(held, compute(&snap.raw, *day).units, "{day}");
        }
        // Days after the last record share one computation; a second call is served from the
        // cache, which keeps the days without their Gemeinden; asked for those, it computes
        // them again, equal to the first.
        assert!(Arc::ptr_eq(&series[5], &series[6]));
        let again = snap.days_figures(&days);
        let third = snap.days_figures(&days);
        assert!(again.iter().zip(&third).all(|(a, b)| Arc::ptr_eq(a, b)));
        let gemeinde = snap
            .raw
            .units
            .iter()
            .position(|u| u.level == UnitLevel::Gemeinde)
            .unwrap();
        assert!(again[2].unit(gemeinde).is_none() && again[2].unit(0).is_some());
        let verband = snap.raw.unit_index(UnitLevel::Verband, "081155001");
        assert!(again[2].unit(verband.unwrap()).is_none());
        for ((day, f), first) in days.iter().zip(&again).zip(&series) {
            let not_gemeinde = |&u: &usize| !snap.raw.units[u].level.is_local();
            for u in (0..snap.raw.units.len()).filter(not_gemeinde) {
                assert_eq!(f.unit(u), first.unit(u), "{day} unit {u}");
            }
        }
        let with_gemeinden = snap.days_figures_of_gemeinden(&days);
        for ((day, f), first) in days.iter().zip(&with_gemeinden).zip(&series) {
            for u in 0..snap.raw.units.len() {
                assert_eq!(f.unit(u), first.unit(u), "{day} unit {u}");
            }
        }
    }

    #[test]
    fn ozg_figures_and_flaechendeckend_by_hand() {
        let raw = raw();
        let s1 = 0;
        let u1 = 2;
        // 2020-12-31: S1 active in all three Gemeinden (08115010 until 2021-01-01).
        let f = compute(&raw, d("2020-12-31"));
        assert_eq!(f.processes[s1].gemeinden, 3);
        assert_eq!(f.processes[s1].population, 653_000);
        assert!(f.processes[s1].flaechendeckend);
        assert_eq!(f.processes_flaechendeckend, [1, 0]);
        // 2021-03-01: switched off in 08115010 -> 2 of 3 Gemeinden, no longer flächendeckend.
        let f = compute(&raw, d("2021-03-01"));
        assert_eq!(f.processes[s1].gemeinden, 2);
        assert!(!f.processes[s1].flaechendeckend);
        assert_eq!(f.processes_flaechendeckend, [0, 0]);
        assert_eq!(f.processes_in_at_least_one, [1, 1]);
        let k = raw
            .kreise
            .iter()
            .position(|&u| raw.units[u].key == "08115")
            .unwrap();
        assert_eq!(f.processes[s1].gemeinden_by_kreis[k], 1);
        // S2 is active only in the Landratsamt: it counts there, not as a Gemeinde.
        assert_eq!(f.processes[1].gemeinden, 0);
        assert_eq!(f.processes[1].landratsaemter, 1);
        // 2021-06-01: back on.
        let f = compute(&raw, d("2021-06-01"));
        assert!(f.processes[s1].flaechendeckend);
        assert_eq!(f.processes[u1].gemeinden, 1);
        let stuttgart = raw.admins.iter().position(|a| a.id == "08111000").unwrap();
        assert_eq!(f.admin_ozg[stuttgart].standard, 1);
        assert_eq!(f.admin_ozg[stuttgart].universal, 1);
        assert!(f.is_active(&raw, stuttgart, u1));
        let land = unit(&raw, &f, UnitLevel::Land, "08");
        assert_eq!(land.gemeinden_with_process, 3);
        assert_eq!(land.standard_processes_active, 3);
        assert_eq!(land.universal_processes_active, 1);
    }

    #[test]
    fn accounts_take_the_latest_stichtag() {
        let raw = raw();
        let f = compute(&raw, d("2021-06-30"));
        assert_eq!(f.accounts.len(), 1);
        assert_eq!(
            (f.accounts[0].account_type.as_str(), f.accounts[0].count),
            ("buerger", 100)
        );
        let f = compute(&raw, d("2022-01-01"));
        let get = |t: &str| {
            f.accounts
                .iter()
                .find(|a| a.account_type == t)
                .unwrap()
                .count
        };
        assert_eq!(get("buerger"), 150);
        // No Land-wide row: the per-administration counts add up.
        assert_eq!(get("organisation"), 10);
    }

    #[test]
    fn lotsen_and_ozg_compared_by_hand() {
        use super::analysis::{before_after, by_group};
        let raw = raw();
        let f = compute(&raw, d("2022-12-31"));
        let rows = by_group(&raw, &f);
        // 4 size classes and all sizes, 3 groups each.
        assert_eq!(rows.len(), 15);
        let all = |group: usize| rows[4 * 3 + group];
        // keine: 08115010 (3,000 people, S1 active again since 2021-06-01; 1 of 2 standard).
        assert_eq!((all(0).gemeinden, all(0).population), (1, 3_000));
        assert_eq!(all(0).standard_active_avg, 1.0);
        assert_eq!(all(0).population_share_online, 0.5);
        // basis: nobody (08111000 has taken Aufbau since).
        assert_eq!(all(1).gemeinden, 0);
        assert_eq!(all(1).standard_active_avg, 0.0);
        // aufbau: 08111000 and 08115003, S1 each: 1.0 on average, half of the people's.
        assert_eq!((all(2).gemeinden, all(2).population), (2, 650_000));
        assert_eq!(all(2).standard_active_avg, 1.0);
        assert!((all(2).population_share_online - 0.5).abs() < 1e-12);
        // Within size classes: the small one has only the Gemeinde without Lotse.
        let small = &rows[SizeClass::Under5k as usize * 3..SizeClass::Under5k as usize * 3 + 3];
        assert_eq!(
            small.iter().map(|r| r.gemeinden).collect::<Vec<_>>(),
            [1, 0, 0]
        );

        // Around the first Lotse: only 08111000 (2019-01-10) has 12 months after it by then
        // (08115003's first Lotse is of 2022-01-01): nothing before, S1 on 2020-01-01 after.
        let ba = before_after(&raw, d("2022-12-31"));
        let total = ba[4];
        assert_eq!(total.gemeinden, 1);
        assert_eq!(total.activations_before_avg, 0.0);
        assert_eq!(total.activations_after_avg, 1.0);
        assert_eq!(ba[SizeClass::From100k as usize].gemeinden, 1);
        // A day before the year is complete, nobody counts.
        assert_eq!(before_after(&raw, d("2020-01-09"))[4].gemeinden, 0);
    }
}
