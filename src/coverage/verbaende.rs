//! The Gemeindeverbände (Gemeindeverwaltungsverbände, vereinbarte Verwaltungsgemeinschaften) as
//! the engine uses them: per administration its Verband, per Verband its member
//! administrations; only Verbände of two or more Gemeinden (a verbandsfreie Gemeinde is its own
//! and has no partner). A Gemeinde without a Lotse of its own whose Verband partner has one is
//! "über den Verband erreichbar".

use std::collections::BTreeMap;

use super::counts::LotseFlags;
use crate::model::AdminKind;
use crate::registry::Registry;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verbaende {
    /// Per administration (as `RawData::admins`): its Verband, an index into
    /// `Registry::associations`.
    pub of_admin: Vec<Option<u32>>,
    /// Per Verband: its member administrations, in registry order.
    pub members: BTreeMap<u32, Vec<u32>>,
}

impl Verbaende {
    /// The Verbände of the administrations (id and kind, in their order), from the registry's
    /// Gemeinde → Verband table.
    pub fn of<'a>(
        registry: &Registry,
        admins: impl ExactSizeIterator<Item = (&'a str, AdminKind)>,
    ) -> Verbaende {
        let count = admins.len();
        let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (i, (id, kind)) in admins.enumerate() {
            if kind != AdminKind::Gemeinde {
                continue;
            }
            let verband = registry.verband_of(id).map(|(v, _)| v as u32);
            if let Some(v) = verband {
                members.entry(v).or_default().push(i as u32);
            }
        }
        members.retain(|_, m| m.len() >= 2);
        let mut of_admin = vec![None; count];
        for (&v, m) in &members {
            for &i in m {
                of_admin[i as usize] = Some(v);
            }
        }
        Verbaende { of_admin, members }
    }

    /// The other members of `admin`'s Verband (none without one).
    pub fn partners(&self, admin: usize) -> impl Iterator<Item = usize> + '_ {
        let members = self
            .of_admin
            .get(admin)
            .copied()
            .flatten()
            .and_then(|v| self.members.get(&v));
        members
            .into_iter()
            .flatten()
            .map(|&j| j as usize)
            .filter(move |&j| j != admin)
    }

    /// Whether `admin` has no Lotse of its own but a partner in its Verband has one.
    pub fn reachable(&self, lotsen: &[LotseFlags], admin: usize) -> bool {
        !lotsen[admin].any() && self.partners(admin).any(|j| lotsen[j].any())
    }
}
