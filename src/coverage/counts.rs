//! Named breakdowns of a count: by kind of administration (and all kinds), by programme (and any
//! programme). They replace index arrays: `with_lotsen.gemeinde.aufbau`, not `[0][1]`.

use std::ops::{Add, AddAssign, Index};

use crate::model::{AdminKind, Programme};

/// A value per kind of administration, and for all kinds together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByKind<T> {
    pub gemeinde: T,
    pub landratsamt: T,
    pub all: T,
}

impl<T> ByKind<T> {
    /// The value of a kind, or of all kinds for `None`.
    pub fn get(&self, kind: Option<AdminKind>) -> &T {
        match kind {
            Some(AdminKind::Gemeinde) => &self.gemeinde,
            Some(AdminKind::Landratsamt) => &self.landratsamt,
            None => &self.all,
        }
    }

    pub fn get_mut(&mut self, kind: Option<AdminKind>) -> &mut T {
        match kind {
            Some(AdminKind::Gemeinde) => &mut self.gemeinde,
            Some(AdminKind::Landratsamt) => &mut self.landratsamt,
            None => &mut self.all,
        }
    }
}

/// A value per programme, and for any programme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByProgramme<T> {
    pub basis: T,
    pub aufbau: T,
    pub any: T,
}

impl<T> ByProgramme<T> {
    /// The value of a programme, or of any programme for `None`.
    pub fn get(&self, programme: Option<Programme>) -> &T {
        match programme {
            Some(Programme::Basis) => &self.basis,
            Some(Programme::Aufbau) => &self.aufbau,
            None => &self.any,
        }
    }

    pub fn get_mut(&mut self, programme: Option<Programme>) -> &mut T {
        match programme {
            Some(Programme::Basis) => &mut self.basis,
            Some(Programme::Aufbau) => &mut self.aufbau,
            None => &mut self.any,
        }
    }
}

/// Euro cents per programme (there is no "any": the two add up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Funding {
    pub basis: i64,
    pub aufbau: i64,
}

impl Funding {
    pub fn get(&self, programme: Programme) -> i64 {
        match programme {
            Programme::Basis => self.basis,
            Programme::Aufbau => self.aufbau,
        }
    }

    pub fn add(&mut self, programme: Programme, cents: i64) {
        match programme {
            Programme::Basis => self.basis += cents,
            Programme::Aufbau => self.aufbau += cents,
        }
    }
}

/// Which Lotsen an administration has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LotseFlags {
    pub basis: bool,
    pub aufbau: bool,
}

impl LotseFlags {
    pub fn any(self) -> bool {
        self.basis || self.aufbau
    }

    pub fn has(self, programme: Programme) -> bool {
        match programme {
            Programme::Basis => self.basis,
            Programme::Aufbau => self.aufbau,
        }
    }

    pub fn set(&mut self, programme: Programme) {
        match programme {
            Programme::Basis => self.basis = true,
            Programme::Aufbau => self.aufbau = true,
        }
    }
}

impl<T: AddAssign + Copy> AddAssign for ByKind<T> {
    fn add_assign(&mut self, o: Self) {
        self.gemeinde += o.gemeinde;
        self.landratsamt += o.landratsamt;
        self.all += o.all;
    }
}

impl<T: AddAssign + Copy> AddAssign for ByProgramme<T> {
    fn add_assign(&mut self, o: Self) {
        self.basis += o.basis;
        self.aufbau += o.aufbau;
        self.any += o.any;
    }
}

impl Add for Funding {
    type Output = Funding;
    fn add(self, o: Funding) -> Funding {
        Funding {
            basis: self.basis + o.basis,
            aufbau: self.aufbau + o.aufbau,
        }
    }
}

/// Selects "all kinds" of a [`ByKind`] by index: `administrations[ALL_KINDS]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllKinds;
/// Selects "any programme" of a [`ByProgramme`] by index: `lotsen[ALL_KINDS][ANY]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyProgramme;

/// All kinds of administration together.
pub const ALL_KINDS: AllKinds = AllKinds;
/// Any programme.
pub const ANY: AnyProgramme = AnyProgramme;

impl<T> Index<AllKinds> for ByKind<T> {
    type Output = T;
    fn index(&self, _: AllKinds) -> &T {
        &self.all
    }
}

impl<T> Index<AdminKind> for ByKind<T> {
    type Output = T;
    fn index(&self, kind: AdminKind) -> &T {
        self.get(Some(kind))
    }
}

impl<T> Index<AnyProgramme> for ByProgramme<T> {
    type Output = T;
    fn index(&self, _: AnyProgramme) -> &T {
        &self.any
    }
}

impl<T> Index<Programme> for ByProgramme<T> {
    type Output = T;
    fn index(&self, programme: Programme) -> &T {
        self.get(Some(programme))
    }
}
