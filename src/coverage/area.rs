//! The coverage of every process within an area (the Land, a Regierungsbezirk, some Kreise): how
//! many of the area's Gemeinden and people have it, and whether it is flächendeckend there. The
//! API's process list, the Gemeinde page and the charts ask this, and only this.

use super::figures::{ratio, Figures};
use super::raw::{Admin, RawData};
use crate::model::AdminKind;

/// One process within an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProcessInArea {
    pub gemeinden_active: u32,
    pub gemeinden_total: u32,
    pub population_active: i64,
    pub population_total: i64,
    pub landratsaemter_active: u32,
}

impl ProcessInArea {
    /// Share of the area's Gemeinden with the process active, 0..1.
    pub fn share_gemeinden(&self) -> f64 {
        ratio(self.gemeinden_active as f64, self.gemeinden_total as f64)
    }

    /// Share of the area's population living in a Gemeinde with the process active, 0..1.
    pub fn share_population(&self) -> f64 {
        ratio(self.population_active as f64, self.population_total as f64)
    }

    /// Active in every Gemeinde of the area (and the area has one).
    pub fn flaechendeckend(&self) -> bool {
        self.gemeinden_total > 0 && self.gemeinden_active == self.gemeinden_total
    }
}

impl Figures {
    /// Every process (in the order of `RawData::processes`) within the administrations that
    /// `in_area` selects.
    pub fn processes_in(
        &self,
        raw: &RawData,
        in_area: impl Fn(&Admin) -> bool,
    ) -> Vec<ProcessInArea> {
        let mut out = vec![ProcessInArea::default(); raw.processes.len()];
        for (i, a) in raw.admins.iter().enumerate().filter(|(_, a)| in_area(a)) {
            let gemeinde = a.kind == AdminKind::Gemeinde;
            for (p, entry) in out.iter_mut().enumerate() {
                let active = self.is_active(raw, i, p);
                if gemeinde {
                    entry.gemeinden_total += 1;
                    entry.population_total += a.population;
                    if active {
                        entry.gemeinden_active += 1;
                        entry.population_active += a.population;
                    }
                } else if active {
                    entry.landratsaemter_active += 1;
                }
            }
        }
        out
    }
}
