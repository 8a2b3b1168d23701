//! The kinds the figures are broken down by: administration kind, qualification programme,
//! process art, Gemeinde size class and service-bw account type.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AdminKind {
    Gemeinde = 0,
    Landratsamt = 1,
}

impl AdminKind {
    pub const ALL: [AdminKind; 2] = [AdminKind::Gemeinde, AdminKind::Landratsamt];
    pub fn as_str(self) -> &'static str {
        match self {
            AdminKind::Gemeinde => "gemeinde",
            AdminKind::Landratsamt => "landratsamt",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Programme {
    Basis = 0,
    Aufbau = 1,
}

impl Programme {
    pub const ALL: [Programme; 2] = [Programme::Basis, Programme::Aufbau];
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::Basis => "basis",
            Programme::Aufbau => "aufbau",
        }
    }
    pub fn parse(v: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|p| p.as_str() == v)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Art {
    Standard,
    Universal,
}

impl Art {
    pub fn as_str(self) -> &'static str {
        match self {
            Art::Standard => "standard",
            Art::Universal => "universal",
        }
    }

    pub fn parse(v: &str) -> Option<Art> {
        [Art::Standard, Art::Universal]
            .into_iter()
            .find(|a| a.as_str() == v)
    }
}

/// Population size classes of Gemeinden, as German statistics use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SizeClass {
    Under5k = 0,
    From5kTo20k = 1,
    From20kTo100k = 2,
    From100k = 3,
}

impl SizeClass {
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Under5k,
        SizeClass::From5kTo20k,
        SizeClass::From20kTo100k,
        SizeClass::From100k,
    ];
    pub fn of(population: i64) -> SizeClass {
        match population {
            p if p < 5_000 => SizeClass::Under5k,
            p if p < 20_000 => SizeClass::From5kTo20k,
            p if p < 100_000 => SizeClass::From20kTo100k,
            _ => SizeClass::From100k,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            SizeClass::Under5k => "unter-5000",
            SizeClass::From5kTo20k => "5000-20000",
            SizeClass::From20kTo100k => "20000-100000",
            SizeClass::From100k => "ab-100000",
        }
    }
    /// A short label for charts, e.g. "unter 5.000".
    pub fn short_label(self) -> &'static str {
        match self {
            SizeClass::Under5k => "unter 5.000",
            SizeClass::From5kTo20k => "5.000–20.000",
            SizeClass::From20kTo100k => "20.000–100.000",
            SizeClass::From100k => "ab 100.000",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SizeClass::Under5k => "unter 5.000 Einwohner",
            SizeClass::From5kTo20k => "5.000 bis unter 20.000 Einwohner",
            SizeClass::From20kTo100k => "20.000 bis unter 100.000 Einwohner",
            SizeClass::From100k => "100.000 Einwohner und mehr",
        }
    }
}

/// The account types the schema allows, in the order of `UnitFigures::accounts`.
pub const ACCOUNT_TYPES: [&str; 2] = ["buerger", "organisation"];

/// How far an Onlinedienst reaches, as the federal dashboard classifies it
/// (`art_flaechendeckung`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flaechendeckung {
    Bundesweit,
    Landesweit,
    Kreisweit,
    InMindestensEinerKommune,
    NichtBeruecksichtigt,
}

impl Flaechendeckung {
    pub const ALL: [Flaechendeckung; 5] = [
        Flaechendeckung::Bundesweit,
        Flaechendeckung::Landesweit,
        Flaechendeckung::Kreisweit,
        Flaechendeckung::InMindestensEinerKommune,
        Flaechendeckung::NichtBeruecksichtigt,
    ];

    /// The text of the export.
    pub fn as_str(self) -> &'static str {
        match self {
            Flaechendeckung::Bundesweit => "bundesweit flächendeckend",
            Flaechendeckung::Landesweit => "landesweit flächendeckend",
            Flaechendeckung::Kreisweit => "kreisweit flächendeckend",
            Flaechendeckung::InMindestensEinerKommune => "in mind. einer Kommune verfügbar",
            Flaechendeckung::NichtBeruecksichtigt => "nicht in Auswertung berücksichtigt",
        }
    }

    pub fn parse(text: &str) -> Option<Flaechendeckung> {
        Flaechendeckung::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
    }

    /// What the class claims for an area that holds the row's region or lies within it: a
    /// Kreis (`kreis`) or a larger area (Regierungsbezirk, Land). `None`: not counted.
    pub fn implied(self, kreis: bool) -> Option<Reach> {
        match self {
            Flaechendeckung::Bundesweit | Flaechendeckung::Landesweit => {
                Some(Reach::Flaechendeckend)
            }
            Flaechendeckung::Kreisweit if kreis => Some(Reach::Flaechendeckend),
            Flaechendeckung::Kreisweit | Flaechendeckung::InMindestensEinerKommune => {
                Some(Reach::MindestensEine)
            }
            Flaechendeckung::NichtBeruecksichtigt => None,
        }
    }
}

/// How far a service reaches in an area, by the atlas' own rule: in every Gemeinde of the area
/// (*flächendeckend*), in at least one, or in none. Ordered from none to all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    Keine,
    MindestensEine,
    Flaechendeckend,
}

impl Reach {
    /// Widest first, as tables and legends list them.
    pub const ALL: [Reach; 3] = [Reach::Flaechendeckend, Reach::MindestensEine, Reach::Keine];

    /// The value in JSON, CSV and metric labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Flaechendeckend => "flaechendeckend",
            Reach::MindestensEine => "mindestens_eine",
            Reach::Keine => "keine",
        }
    }

    /// What a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Reach::Flaechendeckend => "flächendeckend",
            Reach::MindestensEine => "in mindestens einer Kommune",
            Reach::Keine => "keine",
        }
    }

    /// The reach of a service available in `covered` of an area's `all` Gemeinden.
    pub fn of(covered: u32, all: u32) -> Reach {
        match covered {
            0 => Reach::Keine,
            c if c >= all => Reach::Flaechendeckend,
            _ => Reach::MindestensEine,
        }
    }
}

/// The maturity model a process' level is measured in: the OZG Reifegradmodell 1.1 (levels 0–4)
/// or 2.0 (2025, levels 0–7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReifegradModell {
    V1_1,
    V2_0,
}

impl ReifegradModell {
    pub const ALL: [ReifegradModell; 2] = [ReifegradModell::V1_1, ReifegradModell::V2_0];

    pub fn as_str(self) -> &'static str {
        match self {
            ReifegradModell::V1_1 => "1.1",
            ReifegradModell::V2_0 => "2.0",
        }
    }

    pub fn parse(text: &str) -> Option<ReifegradModell> {
        ReifegradModell::ALL
            .into_iter()
            .find(|m| m.as_str() == text)
    }

    /// The highest level of the model.
    pub fn max_level(self) -> u8 {
        match self {
            ReifegradModell::V1_1 => 4,
            ReifegradModell::V2_0 => 7,
        }
    }
}

/// A process' maturity: its level in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reifegrad {
    pub modell: ReifegradModell,
    pub level: u8,
}

impl Reifegrad {
    /// `level` of `modell` (text as imported), if the level lies within the model.
    pub fn parse(level: &str, modell: &str) -> Result<Reifegrad, String> {
        let modell = ReifegradModell::parse(modell.trim())
            .ok_or_else(|| format!("reifegrad_modell {modell:?} is neither 1.1 nor 2.0"))?;
        let max = modell.max_level();
        match level.trim().parse::<u8>() {
            Ok(level) if level <= max => Ok(Reifegrad { modell, level }),
            _ => Err(format!(
                "a Reifegrad of model {} is a level from 0 to {max}",
                modell.as_str()
            )),
        }
    }

    /// What a reader sees: "3 (Modell 2.0)".
    pub fn label(self) -> String {
        format!("{} (Modell {})", self.level, self.modell.as_str())
    }
}
