//! A Kommune's Steckbrief: where it stands among the administrations of its Kreis and its Land,
//! its peer group (the Gemeinden of its Land in the same size class and of the same Gemeindetyp;
//! for a Landratsamt the other Landratsämter of its Land) with the peers' average and spread,
//! and what at least half of its peers already offer but it does not, most common first: the
//! adviser's talking points. Computed here once; the API, the page and the workbook show it.

use super::figures::Figures;
use super::raw::{AdminKind, RawData, SizeClass, UnitLevel};

/// A place in a ranking: 1 = most; administrations with the same value share a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rank {
    pub position: u32,
    pub of: u32,
}

impl Rank {
    /// `value`'s place among `values` (which include it): one more than those above it.
    fn among(value: u32, values: impl Iterator<Item = u32>) -> Rank {
        let (mut above, mut of) = (0, 0);
        for v in values {
            of += 1;
            above += u32::from(v > value);
        }
        Rank {
            position: above + 1,
            of,
        }
    }
}

/// How the peer group was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerRule {
    /// The Gemeinden of its Land in its size class and of its Gemeindetyp.
    SizeClassAndType,
    /// Its Gemeindetyp has no other Gemeinde in its size class: the size class alone.
    SizeClassOnly,
    /// A Landratsamt: the other Landratsämter of its Land.
    Landratsaemter,
}

impl PeerRule {
    pub fn as_str(self) -> &'static str {
        match self {
            PeerRule::SizeClassAndType => "groessenklasse_und_gemeindetyp",
            PeerRule::SizeClassOnly => "groessenklasse",
            PeerRule::Landratsaemter => "landratsaemter",
        }
    }
}

/// Average and spread of a figure over a group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Spread {
    pub mean: f64,
    pub median: f64,
    pub min: u32,
    pub max: u32,
}

impl Spread {
    fn of(mut values: Vec<u32>) -> Option<Spread> {
        values.sort_unstable();
        let n = values.len();
        let (&min, &max) = (values.first()?, values.last()?);
        let median = if n % 2 == 1 {
            f64::from(values[n / 2])
        } else {
            (f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0
        };
        let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / n as f64;
        Some(Spread {
            mean,
            median,
            min,
            max,
        })
    }
}

/// The administrations it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Peers {
    pub rule: PeerRule,
    /// The size class of a Gemeinde (None for a Landratsamt).
    pub size_class: Option<SizeClass>,
    /// Its Gemeindetyp as the registry names it ("Stadt", "Große Kreisstadt", …).
    pub kind: String,
    /// Administration indexes, without itself.
    pub members: Vec<usize>,
    /// Active Standardprozesse of the members (None without members).
    pub standard: Option<Spread>,
    /// Its place by active Standardprozesse among the members and itself.
    pub rank: Rank,
}

impl Peers {
    /// The group in words: "Große Kreisstadt, Größenklasse 20.000 bis unter 100.000 Einwohner".
    pub fn describe(&self) -> String {
        let class = self.size_class.map(|c| c.label()).unwrap_or_default();
        match self.rule {
            PeerRule::SizeClassAndType => format!("{}, Größenklasse {class}", self.kind),
            PeerRule::SizeClassOnly => format!("alle Gemeinden der Größenklasse {class}"),
            PeerRule::Landratsaemter => "die anderen Landratsämter des Landes".to_string(),
        }
    }
}

/// A process at least half of the peers have switched on and it has not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    pub process: usize,
    /// Peers that have it switched on.
    pub peers_with: u32,
}

/// Its Gemeindeverband (of two or more Gemeinden) and how the members stand.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbandState {
    /// Index into `Registry::associations`.
    pub association: usize,
    /// The member administrations, itself included, in registry order.
    pub members: Vec<usize>,
    /// It has no Lotse of its own, but a partner has one.
    pub reachable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Steckbrief {
    pub admin: usize,
    pub standard: u32,
    pub universal: u32,
    /// Onlinedienste available to it (own and from above) where the federal export was imported.
    pub services: Option<u32>,
    /// By active Standardprozesse among the Gemeinden of its Kreis (None for a Landratsamt).
    pub rank_kreis: Option<Rank>,
    /// Among the administrations of its kind in its Land.
    pub rank_land: Rank,
    /// By Onlinedienste, where imported.
    pub services_rank_kreis: Option<Rank>,
    pub services_rank_land: Option<Rank>,
    pub peers: Peers,
    /// Most common among the peers first, then by process name.
    pub suggestions: Vec<Suggestion>,
    /// Its Verband, if it belongs to one of two or more Gemeinden.
    pub verband: Option<VerbandState>,
}

/// The Land unit an administration counts in.
fn land_of(raw: &RawData, admin: usize) -> Option<usize> {
    let units = &raw.admins[admin].units;
    units
        .iter()
        .copied()
        .find(|&u| raw.units[u].level == UnitLevel::Land)
}

/// The Gemeindetyp of a Gemeinde ("" for a Landratsamt).
fn gemeindetyp(raw: &RawData, admin: usize) -> &str {
    raw.admins[admin]
        .units
        .iter()
        .map(|&u| &raw.units[u])
        .find(|u| u.level == UnitLevel::Gemeinde)
        .map_or("", |u| u.kind.as_str())
}

impl Figures {
    /// The Steckbrief of administration `admin` on this snapshot's day.
    pub fn steckbrief(&self, raw: &RawData, admin: usize) -> Steckbrief {
        let a = &raw.admins[admin];
        let land = land_of(raw, admin);
        // Administrations of its kind in its Land.
        let fellows: Vec<usize> = (0..raw.admins.len())
            .filter(|&i| raw.admins[i].kind == a.kind && land_of(raw, i) == land)
            .collect();
        let in_kreis: Vec<usize> = fellows
            .iter()
            .copied()
            .filter(|&i| raw.admins[i].kreis == a.kreis)
            .collect();
        let standard = |i: usize| self.admin_ozg[i].standard;
        let imported = self.services.as_of.is_some();
        let services = |i: usize| self.services.admins.get(i).map_or(0, |s| s.total);
        let gemeinde = a.kind == AdminKind::Gemeinde;
        let rank = |of: &[usize], value: &dyn Fn(usize) -> u32| {
            Rank::among(value(admin), of.iter().map(|&i| value(i)))
        };
        let peers = self.peers(raw, admin, &fellows);
        Steckbrief {
            admin,
            standard: standard(admin),
            universal: self.admin_ozg[admin].universal,
            services: imported.then(|| services(admin)),
            rank_kreis: gemeinde.then(|| rank(&in_kreis, &standard)),
            rank_land: rank(&fellows, &standard),
            services_rank_kreis: (imported && gemeinde).then(|| rank(&in_kreis, &services)),
            services_rank_land: imported.then(|| rank(&fellows, &services)),
            suggestions: self.suggestions(raw, admin, &peers.members),
            peers,
            verband: self.verband_state(raw, admin),
        }
    }

    fn verband_state(&self, raw: &RawData, admin: usize) -> Option<VerbandState> {
        let v = raw.verbaende.of_admin.get(admin).copied().flatten()?;
        let members = raw.verbaende.members.get(&v)?;
        Some(VerbandState {
            association: v as usize,
            members: members.iter().map(|&i| i as usize).collect(),
            reachable: raw.verbaende.reachable(&self.admin_lotsen, admin),
        })
    }

    fn peers(&self, raw: &RawData, admin: usize, fellows: &[usize]) -> Peers {
        let a = &raw.admins[admin];
        let others = fellows.iter().copied().filter(|&i| i != admin);
        let (rule, size_class, kind, members) = if a.kind == AdminKind::Landratsamt {
            (PeerRule::Landratsaemter, None, "", others.collect())
        } else {
            let class = SizeClass::of(a.population);
            let kind = gemeindetyp(raw, admin);
            let same_class: Vec<usize> = others
                .filter(|&i| SizeClass::of(raw.admins[i].population) == class)
                .collect();
            let same_kind: Vec<usize> = same_class
                .iter()
                .copied()
                .filter(|&i| gemeindetyp(raw, i) == kind)
                .collect();
            if same_kind.is_empty() {
                (PeerRule::SizeClassOnly, Some(class), kind, same_class)
            } else {
                (PeerRule::SizeClassAndType, Some(class), kind, same_kind)
            }
        };
        let standard: Vec<u32> = members
            .iter()
            .map(|&i: &usize| self.admin_ozg[i].standard)
            .collect();
        let own = self.admin_ozg[admin].standard;
        Peers {
            rule,
            size_class,
            kind: kind.to_string(),
            rank: Rank::among(own, standard.iter().copied().chain([own])),
            standard: Spread::of(standard),
            members,
        }
    }

    fn suggestions(&self, raw: &RawData, admin: usize, peers: &[usize]) -> Vec<Suggestion> {
        let mut out: Vec<Suggestion> = (0..raw.processes.len())
            .filter(|&p| !self.is_active(raw, admin, p))
            .map(|p| Suggestion {
                process: p,
                peers_with: peers.iter().filter(|&&i| self.is_active(raw, i, p)).count() as u32,
            })
            .filter(|s| !peers.is_empty() && 2 * s.peers_with as usize >= peers.len())
            .collect();
        out.sort_by(|x, y| {
            y.peers_with.cmp(&x.peers_with).then_with(|| {
                raw.processes[x.process]
                    .name
                    .cmp(&raw.processes[y.process].name)
            })
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_place_and_the_next_one_counts_them() {
        let r = |v| Rank::among(v, [7, 9, 9, 3].into_iter());
        assert_eq!(r(9), Rank { position: 1, of: 4 });
        assert_eq!(r(7), Rank { position: 3, of: 4 });
        assert_eq!(r(3), Rank { position: 4, of: 4 });
    }

    #[test]
    fn spread_has_mean_median_and_range() {
        let s = Spread::of(vec![4, 1, 10, 5]).unwrap();
        assert_eq!((s.mean, s.median, s.min, s.max), (5.0, 4.5, 1, 10));
        assert_eq!(Spread::of(vec![3, 1, 2]).unwrap().median, 2.0);
        assert!(Spread::of(Vec::new()).is_none());
    }
}
