//! What a column of a served table is: its name (JSON key, CSV header, `metric` parameter), its
//! German header, how its values are written and shown, what it means, and, for a share, its
//! classes. Each column is declared once: the unit figures in `coverage::figure`, the identity
//! columns every table shares here, the rest beside the row type that has them.

/// How a column is written: text, a key (text that keeps its leading zeros), a whole number, a
/// decimal number, a share (0..1, shown as percent), euros, yes/no or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Key,
    Integer,
    Decimal,
    Share,
    Euro,
    YesNo,
    Date,
}

/// A declared column.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Column {
    /// The name in JSON, CSV and query parameters (a contract).
    pub name: &'static str,
    /// The German column header of spreadsheets (XLSX, csv-de).
    pub header: &'static str,
    pub kind: ColumnKind,
    /// What it means, in English, for the OpenAPI document and the guide.
    pub description: &'static str,
}

impl Column {
    pub const fn new(
        name: &'static str,
        header: &'static str,
        kind: ColumnKind,
        description: &'static str,
    ) -> Column {
        Column {
            name,
            header,
            kind,
            description,
        }
    }
}

/// One class of a share: its key (a map layer's `coverage_class`), its German legend label and
/// its upper bound (exclusive; the first class holds exactly 0).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Band {
    pub key: &'static str,
    pub label: &'static str,
    /// The share the class ends below (0..1; the last class takes the rest, up to 1).
    pub below: f64,
}

/// The classes a share is drawn and styled by (maps, GeoJSON `coverage_class`, Grafana rules):
/// none at all, then quarters.
pub const SHARE_BANDS: [Band; 5] = [
    Band {
        key: "0",
        label: "0 %",
        below: f64::MIN_POSITIVE,
    },
    Band {
        key: "1-24",
        label: "1–24 %",
        below: 0.25,
    },
    Band {
        key: "25-49",
        label: "25–49 %",
        below: 0.5,
    },
    Band {
        key: "50-74",
        label: "50–74 %",
        below: 0.75,
    },
    Band {
        key: "75-100",
        label: "75–100 %",
        below: f64::INFINITY,
    },
];

/// The index of the class of `share` in `bands` (the last one for anything above).
pub fn band_of(bands: &[Band], share: f64) -> usize {
    bands
        .iter()
        .position(|b| share < b.below)
        .unwrap_or(bands.len().saturating_sub(1))
}

/// The identity columns the tables share, declared once.
pub mod common {
    use super::{Column, ColumnKind::*};

    pub const LEVEL: Column = Column::new(
        "level",
        "Ebene",
        Text,
        "land, regierungsbezirk, kreis, gemeinde, verband or groessenklasse",
    );
    pub const KEY: Column = Column::new(
        "key",
        "Schlüssel",
        Key,
        "The unit's key: AGS (Gemeinde), 9-digit ARS (Verband), Kreis key, Regierungsbezirk key, Land key or size class",
    );
    pub const NAME: Column = Column::new("name", "Name", Text, "The official name");
    /// An Onlinedienst's LeiKa key and name (the federal export's).
    pub const LEIKA_KEY: Column =
        Column::new("leika_key", "LeiKa-Schlüssel", Key, "14-digit LeiKa key");
    pub const LEIKA_NAME: Column = Column::new(
        "leika_name",
        "Leistung",
        Text,
        "The LeiKa name of the service",
    );
    pub const KIND: Column = Column::new(
        "kind",
        "Art",
        Text,
        "The kind of region (Stadtkreis, Landkreis, Große Kreisstadt, Stadt, Gemeinde, Gemeindeverwaltungsverband, …)",
    );
    pub const PARENT: Column = Column::new(
        "parent",
        "Übergeordnet",
        Key,
        "The key of the region it lies in (empty for the Land)",
    );
    pub const AS_OF: Column = Column::new(
        "as_of",
        "Stichtag",
        Date,
        "The day the figures are computed for (YYYY-MM-DD)",
    );
    pub const DATE: Column = Column::new("date", "Datum", Date, "The step's day (YYYY-MM-DD)");
    pub const DEMO: Column = Column::new(
        "demo",
        "Demodaten",
        YesNo,
        "Whether the figures come from the synthetic demo dataset",
    );
    pub const POPULATION: Column = Column::new("population", "Einwohner", Integer, "Population");
    pub const ART: Column = Column::new(
        "art",
        "Art",
        Text,
        "The administration's kind: gemeinde or landratsamt",
    );
    pub const VERWALTUNG: Column = Column::new(
        "verwaltung",
        "Verwaltung (AGS oder Kreisschlüssel)",
        Key,
        "The administration: a Gemeinde's AGS or a Landratsamt's 5-digit Kreis key",
    );
    pub const KREIS: Column = Column::new("kreis", "Kreisschlüssel", Key, "The Kreis key");
    pub const KREIS_NAME: Column = Column::new("kreis_name", "Kreis", Text, "The Kreis' name");
    pub const REGIERUNGSBEZIRK: Column = Column::new(
        "regierungsbezirk",
        "Regierungsbezirk",
        Key,
        "The Regierungsbezirk key",
    );
    pub const LOTSE: Column = Column::new(
        "lotse",
        "Digitallotse",
        Text,
        "The administration's Digitallotsen: keine, basis or aufbau",
    );
    pub const STANDARD_ACTIVE: Column = Column::new(
        "standard_active",
        "Aktive Standardprozesse",
        Integer,
        "Active Standardprozesse of the administration",
    );
    pub const UNIVERSAL_ACTIVE: Column = Column::new(
        "universal_active",
        "Aktive Universalprozesse",
        Integer,
        "Active Universalprozesse of the administration",
    );
    /// The population of an administration: its Gemeinde's, or its Kreis' for a Landratsamt.
    pub const ADMIN_POPULATION: Column = Column::new(
        "population",
        "Einwohner",
        Integer,
        "The Gemeinde's population, or the Kreis' for a Landratsamt",
    );

    /// An administration with its region and its state, the columns the outreach list and the
    /// process matrix share.
    pub const ADMINISTRATION: [Column; 10] = [
        VERWALTUNG,
        NAME,
        ART,
        KREIS,
        KREIS_NAME,
        REGIERUNGSBEZIRK,
        ADMIN_POPULATION,
        LOTSE,
        STANDARD_ACTIVE,
        UNIVERSAL_ACTIVE,
    ];

    pub const GROESSENKLASSE: Column =
        Column::new("groessenklasse", "Größenklasse", Key, "The size class' key");
    pub const GROESSENKLASSE_NAME: Column = Column::new(
        "groessenklasse_name",
        "Größenklasse (Einwohner)",
        Text,
        "The size class by population",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_fall_into_one_class() {
        let key = |s: f64| SHARE_BANDS[band_of(&SHARE_BANDS, s)].key;
        assert_eq!(key(0.0), "0");
        assert_eq!(key(0.01), "1-24");
        assert_eq!(key(0.25), "25-49");
        assert_eq!(key(0.5), "50-74");
        assert_eq!(key(0.7499), "50-74");
        assert_eq!(key(1.0), "75-100");
    }
}
