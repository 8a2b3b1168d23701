//! The figure catalogue: every figure of a unit declared once, with the name it has in every view
//! (the column of `/api/v1/coverage`, its CSV and GeoJSON property, the `metric` of
//! `/api/v1/timeseries`), its German header, its kind (count, share, euros, …), its meaning and,
//! for a share, its classes. The formulas of derived figures (shares, averages, euros) are
//! methods of `UnitFigures`; `Figure::of` picks them. Views format, they do not compute.

use super::figures::UnitFigures;
use super::raw::Unit;
use crate::model::column::{Band, Column, ColumnKind, SHARE_BANDS};
use crate::model::{AdminKind, Programme};

/// A figure's value: a count (an integer in JSON) or a measure (a float).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FigureValue {
    Count(i64),
    Measure(f64),
}

impl FigureValue {
    pub fn as_f64(self) -> f64 {
        match self {
            FigureValue::Count(v) => v as f64,
            FigureValue::Measure(v) => v,
        }
    }

    pub fn to_json(self) -> serde_json::Value {
        match self {
            FigureValue::Count(v) => v.into(),
            FigureValue::Measure(v) => v.into(),
        }
    }
}

macro_rules! figures {
    ($( $variant:ident = $name:literal, $kind:ident, $header:literal, $description:literal; )+) => {
        /// A figure of one unit as of one day.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Figure { $( #[doc = $description] $variant ),+ }

        impl Figure {
            /// Every figure, in the order of the coverage columns.
            pub const ALL: &'static [Figure] = &[$(Figure::$variant),+];

            /// The figure's column: name in JSON, CSV and the `metric` parameter, German
            /// header, kind and description.
            pub const fn column(self) -> Column {
                match self { $(Figure::$variant => Column::new($name, $header, ColumnKind::$kind, $description)),+ }
            }
        }
    };
}

// The one declaration of each unit figure: name, kind, German header, meaning. Its value is
// `Figure::of` below; its classes (shares) `Figure::bands`. Appended figures keep the columns
// before them where they were.
figures! {
    Population = "population", Integer, "Einwohner", "Population";
    Administrations = "administrations", Integer, "Verwaltungen",
        "Administrations that can train Digitallotsen (Gemeinden and Landratsämter), the target";
    Gemeinden = "gemeinden", Integer, "Gemeinden", "Gemeinden";
    Landratsaemter = "landratsaemter", Integer, "Landratsämter",
        "Landratsämter (a Stadtkreis has none)";
    AdministrationsWithLotse = "administrations_with_lotse", Integer,
        "Verwaltungen mit Digitallotse", "Administrations with at least one Digitallotse";
    AdministrationsWithoutLotse = "administrations_without_lotse", Integer,
        "Verwaltungen ohne Digitallotse",
        "Administrations still without a Lotse (the outreach count)";
    AdministrationsWithBasis = "administrations_with_basis", Integer,
        "Verwaltungen mit Basisqualifizierung",
        "Administrations with a Lotse who completed the Basisqualifizierung";
    AdministrationsWithAufbau = "administrations_with_aufbau", Integer,
        "Verwaltungen mit Aufbauschulung",
        "Administrations with a Lotse who took an Aufbauschulung";
    GemeindenWithLotse = "gemeinden_with_lotse", Integer, "Gemeinden mit Digitallotse",
        "Gemeinden with at least one Digitallotse";
    GemeindenWithBasis = "gemeinden_with_basis", Integer, "Gemeinden mit Basisqualifizierung",
        "Gemeinden with a Lotse who completed the Basisqualifizierung";
    GemeindenWithAufbau = "gemeinden_with_aufbau", Integer, "Gemeinden mit Aufbauschulung",
        "Gemeinden with a Lotse who took an Aufbauschulung";
    LandratsaemterWithLotse = "landratsaemter_with_lotse", Integer,
        "Landratsämter mit Digitallotse", "Landratsämter with at least one Digitallotse";
    LandratsaemterWithBasis = "landratsaemter_with_basis", Integer,
        "Landratsämter mit Basisqualifizierung",
        "Landratsämter with a Lotse who completed the Basisqualifizierung";
    LandratsaemterWithAufbau = "landratsaemter_with_aufbau", Integer,
        "Landratsämter mit Aufbauschulung",
        "Landratsämter with a Lotse who took an Aufbauschulung";
    ShareWithLotse = "share_with_lotse", Share, "Anteil mit Digitallotse",
        "Share of administrations (Gemeinden and Landratsämter) with a Lotse, 0..1";
    Lotsen = "lotsen", Integer, "Digitallotsen",
        "Digitallotsen: distinct participants with a completed course";
    LotsenBasis = "lotsen_basis", Integer, "Digitallotsen Basisqualifizierung",
        "Digitallotsen who completed the Basisqualifizierung";
    LotsenAufbau = "lotsen_aufbau", Integer, "Digitallotsen Aufbauschulung",
        "Digitallotsen who took an Aufbauschulung";
    LotsenGemeinden = "lotsen_gemeinden", Integer, "Digitallotsen der Gemeinden",
        "Digitallotsen of the Gemeinden";
    LotsenLandratsaemter = "lotsen_landratsaemter", Integer, "Digitallotsen der Landratsämter",
        "Digitallotsen of the Landratsämter";
    FundingBasisEuros = "funding_basis_euros", Euro, "Förderung Basisqualifizierung (EUR)",
        "Vouchers of the Basisqualifizierung in euros (100 EUR per seminar day)";
    FundingAufbauEuros = "funding_aufbau_euros", Euro, "Förderung Aufbauschulung (EUR)",
        "Vouchers of the Aufbauschulungen in euros (at most 50 EUR per seminar day)";
    PopulationWithLotse = "population_with_lotse", Integer,
        "Einwohner in Gemeinden mit Digitallotse",
        "Population of the Gemeinden with a Lotse";
    GemeindenWithProcess = "gemeinden_with_process", Integer,
        "Gemeinden mit mindestens einem Onlinedienst",
        "Gemeinden with at least one active service-bw process";
    StandardProcessesAvg = "standard_processes_avg", Decimal,
        "Aktive Standardprozesse je Gemeinde (Durchschnitt)",
        "Average number of active Standardprozesse per Gemeinde";
    AccountsBuerger = "accounts_buerger", Integer, "Bürgerkonten",
        "service-bw accounts of citizens in the unit's administrations, at the latest Stichtag with per-Kommune counts on or before as_of (0 without one)";
    AccountsOrganisation = "accounts_organisation", Integer, "Organisationskonten",
        "The same for organisation accounts";
    ShareGemeindenWithLotse = "share_gemeinden_with_lotse", Share,
        "Anteil der Gemeinden mit Digitallotse",
        "Share of Gemeinden with a Lotse, 0..1 (without the Landratsämter)";
    Onlinedienste = "onlinedienste", Integer, "Onlinedienste (verfügbar)",
        "Distinct LeiKa services of the federal dashboard's export available online in at least one of the unit's Gemeinden, offered by the Gemeinde or from above (Gemeindeverband, Kreis, Land, Bund)";
    OnlinediensteFlaechendeckend = "onlinedienste_flaechendeckend", Integer,
        "Onlinedienste flächendeckend",
        "Distinct LeiKa services available in every Gemeinde of the unit (our rule, not the export's class)";
    OnlinediensteEigene = "onlinedienste_eigene", Integer, "Eigene Onlinedienste",
        "Distinct LeiKa services a Gemeinde of the unit offers itself";
    OnlinediensteAvg = "onlinedienste_je_gemeinde", Decimal,
        "Onlinedienste je Gemeinde (Durchschnitt)",
        "Average number of distinct LeiKa services available per Gemeinde";
    OnlinediensteLinksNichtOk = "onlinedienste_links_nicht_ok", Integer,
        "Links nicht erreichbar",
        "Distinct Onlinedienst links available to the unit's Gemeinden whose online_status is nicht ok";
    GemeindenViaVerband = "gemeinden_via_verband", Integer,
        "Gemeinden über den Verband erreichbar",
        "Gemeinden without a Lotse of their own whose Gemeindeverwaltungsverband or vereinbarte Verwaltungsgemeinschaft has one in another member Gemeinde";
    AccountsBuergerPer1000 = "accounts_buerger_per_1000", Decimal,
        "Bürgerkonten je 1.000 Einwohner",
        "service-bw accounts of citizens per 1,000 inhabitants (accounts_buerger / population × 1,000), comparable between large and small units";
}

impl Figure {
    pub fn parse(name: &str) -> Option<Figure> {
        Figure::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The name in JSON, CSV and the `metric` parameter.
    pub const fn name(self) -> &'static str {
        self.column().name
    }

    /// The classes maps and map layers show a share in; none for other figures.
    pub fn bands(self) -> Option<&'static [Band]> {
        (self.column().kind == ColumnKind::Share).then_some(&SHARE_BANDS[..])
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
            Figure::ShareGemeindenWithLotse => Measure(f.share_gemeinden_with_lotse()),
            Figure::Onlinedienste => n(f.services.available),
            Figure::OnlinediensteFlaechendeckend => n(f.services.flaechendeckend),
            Figure::OnlinediensteEigene => n(f.services.own),
            Figure::OnlinediensteAvg => Measure(f.services_avg()),
            Figure::OnlinediensteLinksNichtOk => n(f.services.links_broken),
            Figure::GemeindenViaVerband => n(f.gemeinden_via_verband),
            Figure::AccountsBuergerPer1000 => Measure(f.accounts_buerger_per_1000(unit.population)),
        }
    }
}
