//! Every figure of a unit by the name it has in every view: the column of `/api/v1/coverage` and
//! its CSV, the `metric` of `/api/v1/timeseries`. The formulas of derived figures (shares,
//! averages, euros) are methods of `UnitFigures`; this is the catalogue that names them.

use super::figures::UnitFigures;
use super::raw::Unit;
use crate::model::{AdminKind, Programme};

/// A figure's value: a count (an integer in JSON) or a measure (a float).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FigureValue {
    Count(i64),
    Measure(f64),
}

impl FigureValue {
    pub fn to_json(self) -> serde_json::Value {
        match self {
            FigureValue::Count(v) => v.into(),
            FigureValue::Measure(v) => v.into(),
        }
    }
}

macro_rules! figures {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ),+ $(,)?) => {
        /// A figure of one unit as of one day.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Figure { $( $(#[$doc])* $variant ),+ }

        impl Figure {
            /// Every figure, in the order of the coverage columns.
            pub const ALL: &'static [Figure] = &[$(Figure::$variant),+];

            /// The name in JSON, CSV and the `metric` parameter.
            pub fn name(self) -> &'static str {
                match self { $(Figure::$variant => $name),+ }
            }
        }
    };
}

figures! {
    Population = "population",
    Administrations = "administrations",
    Gemeinden = "gemeinden",
    Landratsaemter = "landratsaemter",
    AdministrationsWithLotse = "administrations_with_lotse",
    AdministrationsWithBasis = "administrations_with_basis",
    AdministrationsWithAufbau = "administrations_with_aufbau",
    GemeindenWithLotse = "gemeinden_with_lotse",
    GemeindenWithBasis = "gemeinden_with_basis",
    GemeindenWithAufbau = "gemeinden_with_aufbau",
    LandratsaemterWithLotse = "landratsaemter_with_lotse",
    LandratsaemterWithBasis = "landratsaemter_with_basis",
    LandratsaemterWithAufbau = "landratsaemter_with_aufbau",
    /// Share of administrations with a Lotse, 0..1.
    ShareWithLotse = "share_with_lotse",
    Lotsen = "lotsen",
    LotsenBasis = "lotsen_basis",
    LotsenAufbau = "lotsen_aufbau",
    LotsenGemeinden = "lotsen_gemeinden",
    LotsenLandratsaemter = "lotsen_landratsaemter",
    FundingBasisEuros = "funding_basis_euros",
    FundingAufbauEuros = "funding_aufbau_euros",
    PopulationWithLotse = "population_with_lotse",
    GemeindenWithProcess = "gemeinden_with_process",
    /// Average number of active Standardprozesse per Gemeinde.
    StandardProcessesAvg = "standard_processes_avg",
    /// Administrations still without a Lotse (the outreach count).
    AdministrationsWithoutLotse = "administrations_without_lotse",
    AccountsBuerger = "accounts_buerger",
    AccountsOrganisation = "accounts_organisation",
}

impl Figure {
    pub fn parse(name: &str) -> Option<Figure> {
        Figure::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The figure of `unit` from its figures `f`.
    pub fn of(self, unit: &Unit, f: &UnitFigures) -> FigureValue {
        use FigureValue::{Count, Measure};
        let g = Some(AdminKind::Gemeinde);
        let l = Some(AdminKind::Landratsamt);
        let (basis, aufbau) = (Some(Programme::Basis), Some(Programme::Aufbau));
        let n = |v: u32| Count(i64::from(v));
        match self {
            Figure::Population => Count(unit.population),
            Figure::Administrations => n(f.administrations_of(None)),
            Figure::Gemeinden => n(f.administrations_of(g)),
            Figure::Landratsaemter => n(f.administrations_of(l)),
            Figure::AdministrationsWithLotse => n(f.with_lotse(None, None)),
            Figure::AdministrationsWithBasis => n(f.with_lotse(None, basis)),
            Figure::AdministrationsWithAufbau => n(f.with_lotse(None, aufbau)),
            Figure::GemeindenWithLotse => n(f.with_lotse(g, None)),
            Figure::GemeindenWithBasis => n(f.with_lotse(g, basis)),
            Figure::GemeindenWithAufbau => n(f.with_lotse(g, aufbau)),
            Figure::LandratsaemterWithLotse => n(f.with_lotse(l, None)),
            Figure::LandratsaemterWithBasis => n(f.with_lotse(l, basis)),
            Figure::LandratsaemterWithAufbau => n(f.with_lotse(l, aufbau)),
            Figure::ShareWithLotse => Measure(f.share_with_lotse()),
            Figure::Lotsen => n(f.lotsen_of(None, None)),
            Figure::LotsenBasis => n(f.lotsen_of(None, basis)),
            Figure::LotsenAufbau => n(f.lotsen_of(None, aufbau)),
            Figure::LotsenGemeinden => n(f.lotsen_of(g, None)),
            Figure::LotsenLandratsaemter => n(f.lotsen_of(l, None)),
            Figure::FundingBasisEuros => Measure(f.funding_euros(Programme::Basis)),
            Figure::FundingAufbauEuros => Measure(f.funding_euros(Programme::Aufbau)),
            Figure::PopulationWithLotse => Count(f.population_with_lotse),
            Figure::GemeindenWithProcess => n(f.gemeinden_with_process),
            Figure::StandardProcessesAvg => Measure(f.standard_processes_avg()),
            Figure::AdministrationsWithoutLotse => n(f.without_lotse()),
            Figure::AccountsBuerger => Count(f.accounts[0]),
            Figure::AccountsOrganisation => Count(f.accounts[1]),
        }
    }
}
