//! The outreach list: the administrations that still lack a Lotse, an Aufbau-qualified Lotse or a
//! process, largest first. One ranking for the API, the page and the report.

use super::figures::Figures;
use super::raw::{Admin, RawData};
use crate::model::AdminKind;

/// What an administration lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lack {
    /// No Digitallotse of any programme.
    Lotse,
    /// No Lotse with an Aufbauschulung.
    Aufbau,
    /// The process (index into `RawData::processes`) is not active.
    Process(usize),
}

/// The people an administration serves: a Gemeinde's population, or for a Landratsamt its
/// Kreis' population (its Gemeinden count with their own).
pub fn served_population(raw: &RawData, admin: &Admin) -> i64 {
    match admin.kind {
        AdminKind::Gemeinde => admin.population,
        AdminKind::Landratsamt => raw.units[raw.kreise[admin.kreis]].population,
    }
}

impl Figures {
    /// Does administration `i` lack it?
    pub fn lacks(&self, raw: &RawData, i: usize, lack: Lack) -> bool {
        match lack {
            Lack::Lotse => !self.admin_lotsen[i].any(),
            Lack::Aufbau => !self.admin_lotsen[i].aufbau,
            Lack::Process(p) => !self.is_active(raw, i, p),
        }
    }

    /// The administrations (indexes into `RawData::admins`) that `in_area` selects and that lack
    /// it, largest served population first, then by id.
    pub fn outreach(
        &self,
        raw: &RawData,
        lack: Lack,
        in_area: impl Fn(&Admin) -> bool,
    ) -> Vec<usize> {
        let mut list: Vec<(i64, usize)> = raw
            .admins
            .iter()
            .enumerate()
            .filter(|&(i, a)| in_area(a) && self.lacks(raw, i, lack))
            .map(|(i, a)| (served_population(raw, a), i))
            .collect();
        list.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| raw.admins[a.1].id.cmp(&raw.admins[b.1].id))
        });
        list.into_iter().map(|(_, i)| i).collect()
    }
}
