//! Which part of Germany an atlas covers (`--land`): one Land (Baden-Württemberg by default) or
//! all of Germany, each with its registry edition so that a database holds exactly one.

use std::fmt;

use super::reference::EDITION;

/// The Länder of the shipped Germany-wide registry, by key (Destatis GV100AD).
pub const LAENDER: [(&str, &str); 16] = [
    ("01", "Schleswig-Holstein"),
    ("02", "Hamburg"),
    ("03", "Niedersachsen"),
    ("04", "Bremen"),
    ("05", "Nordrhein-Westfalen"),
    ("06", "Hessen"),
    ("07", "Rheinland-Pfalz"),
    ("08", "Baden-Württemberg"),
    ("09", "Bayern"),
    ("10", "Saarland"),
    ("11", "Berlin"),
    ("12", "Brandenburg"),
    ("13", "Mecklenburg-Vorpommern"),
    ("14", "Sachsen"),
    ("15", "Sachsen-Anhalt"),
    ("16", "Thüringen"),
];

/// The Länder whose Landkreise call their administration "Landratsamt" (their Landkreisordnungen:
/// Baden-Württemberg, Bayern, Sachsen, Thüringen); elsewhere it is the "Kreisverwaltung".
const LANDRATSAMT_LAENDER: [&str; 4] = ["08", "09", "14", "16"];

/// Whether a Kreis of this kind (`kreis_typ` of the registry) has an administration of its own
/// besides its Gemeinden: a Landkreis, a Kreis (Nordrhein-Westfalen, Schleswig-Holstein), the
/// Regionalverband Saarbrücken. A Stadtkreis or kreisfreie Stadt is administered by its city.
pub fn has_kreis_administration(kind: &str) -> bool {
    matches!(kind, "Landkreis" | "Kreis" | "Regionalverband")
}

/// Whether a Kreis of this kind is a city that is its own Kreis (no Kreis administration).
pub fn is_kreisfreie_stadt(kind: &str) -> bool {
    matches!(kind, "Stadtkreis" | "Kreisfreie Stadt")
}

/// What the administration of a Landkreis is called in the Land of this key.
pub fn kreis_administration(key: &str) -> &'static str {
    if LANDRATSAMT_LAENDER.iter().any(|l| key.starts_with(l)) {
        "Landratsamt"
    } else {
        "Kreisverwaltung"
    }
}

/// The name of a Kreis' administration: "Landratsamt Böblingen", "Landratsamt Rems-Murr-Kreis",
/// "Kreisverwaltung Borken" (Kreis Borken), "Kreisverwaltung Region Hannover".
pub fn kreis_administration_name(key: &str, kreis_name: &str) -> String {
    let short = kreis_name
        .strip_prefix("Landkreis ")
        .or_else(|| kreis_name.strip_prefix("Kreis "))
        .unwrap_or(kreis_name);
    format!("{} {short}", kreis_administration(key))
}

/// The atlas' territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Territory {
    /// One Land, by its index in [`LAENDER`].
    Land(usize),
    /// All 16 Länder, with the Land as the level above the Regierungsbezirk.
    Germany,
}

/// A `--land` value that names no territory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--land {0:?}: expected a Land key 01 to 16 (e.g. 08 for Baden-Württemberg, 09 for Bayern) or \"all\" for Germany")]
pub struct TerritoryError(pub String);

impl Territory {
    /// Baden-Württemberg: the default, with the registry and boundaries it always had.
    pub const BADEN_WUERTTEMBERG: Territory = Territory::Land(7);

    pub fn parse(value: &str) -> Result<Territory, TerritoryError> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("all") || v.eq_ignore_ascii_case("de") {
            return Ok(Territory::Germany);
        }
        LAENDER
            .iter()
            .position(|(key, _)| *key == v)
            .map(Territory::Land)
            .ok_or_else(|| TerritoryError(value.to_string()))
    }

    /// The Land key, or `None` for Germany.
    pub fn land_key(self) -> Option<&'static str> {
        match self {
            Territory::Land(i) => Some(LAENDER[i].0),
            Territory::Germany => None,
        }
    }

    /// The name users read: the Land's name, or "Deutschland".
    pub fn name(self) -> &'static str {
        match self {
            Territory::Land(i) => LAENDER[i].1,
            Territory::Germany => "Deutschland",
        }
    }

    /// The Kreis administrations together, as headings and sentences name them:
    /// "Landratsämter" where every Land of the territory says so, else "Kreisverwaltungen".
    pub fn kreis_administrations(self) -> &'static str {
        match self.land_key() {
            Some(l) if kreis_administration(l) == "Landratsamt" => "Landratsämter",
            _ => "Kreisverwaltungen",
        }
    }

    /// One Kreis administration, as a heading names it ("Landratsamt", "Kreisverwaltung").
    pub fn kreis_administration(self) -> &'static str {
        match self.land_key() {
            Some(l) => kreis_administration(l),
            None => "Kreisverwaltung",
        }
    }

    /// A German label as this territory reads it: the catalogue's "Landratsamt"/"Landratsämter"
    /// become "Kreisverwaltung"/"Kreisverwaltungen" where the Land (or Germany as a whole) names
    /// them so, and Baden-Württemberg's portal "service-bw" is "the Landesportal" elsewhere. Only
    /// words change; the figure and its name stay the catalogue's.
    pub fn localize(self, label: &str) -> std::borrow::Cow<'_, str> {
        let words = self.kreis_administration() != "Landratsamt" && label.contains("Landrats");
        let portal = self != Territory::BADEN_WUERTTEMBERG && label.contains("service-bw");
        if !words && !portal {
            return std::borrow::Cow::Borrowed(label);
        }
        let mut out = label.to_string();
        if words {
            out = out
                .replace("Landratsämter", "Kreisverwaltungen")
                .replace("Landratsamt", "Kreisverwaltung");
        }
        if portal {
            out = out
                .replace("auf service-bw", "im Landesportal")
                .replace("service-bw", "Landesportal");
        }
        std::borrow::Cow::Owned(out)
    }

    /// Whether a key (of any level) lies in the territory.
    pub fn contains(self, key: &str) -> bool {
        self.land_key().is_none_or(|land| key.starts_with(land))
    }

    /// The registry edition a database of this territory records. Baden-Württemberg keeps the
    /// edition name its databases always had.
    pub fn edition(self) -> String {
        match self {
            _ if self == Territory::BADEN_WUERTTEMBERG => EDITION.to_string(),
            Territory::Land(i) => format!("{EDITION} Land {}", LAENDER[i].0),
            Territory::Germany => format!("{EDITION} Deutschland"),
        }
    }

    /// The territory of a registry edition written by [`Territory::edition`], if it is one.
    pub fn of_edition(edition: &str) -> Option<Territory> {
        if edition == EDITION {
            return Some(Territory::BADEN_WUERTTEMBERG);
        }
        let rest = edition.strip_prefix(EDITION)?.trim();
        if rest == "Deutschland" {
            return Some(Territory::Germany);
        }
        Territory::parse(rest.strip_prefix("Land ")?).ok()
    }
}

impl Default for Territory {
    fn default() -> Self {
        Territory::BADEN_WUERTTEMBERG
    }
}

impl fmt::Display for Territory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.land_key().unwrap_or("all"))
    }
}

impl std::str::FromStr for Territory {
    type Err = TerritoryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Territory::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_land_keys_and_all() {
        assert_eq!(
            Territory::parse("08").unwrap(),
            Territory::BADEN_WUERTTEMBERG
        );
        assert_eq!(Territory::parse("09").unwrap().name(), "Bayern");
        assert_eq!(Territory::parse("all").unwrap(), Territory::Germany);
        let err = Territory::parse("17").unwrap_err().to_string();
        assert!(err.contains("\"17\"") && err.contains("01 to 16"), "{err}");
        assert!(Territory::parse("8").is_err());
    }

    #[test]
    fn edition_round_trips_and_baden_wuerttemberg_keeps_its_own() {
        assert_eq!(Territory::BADEN_WUERTTEMBERG.edition(), EDITION);
        for t in [Territory::Germany, Territory::Land(8), Territory::Land(0)] {
            assert_eq!(Territory::of_edition(&t.edition()), Some(t));
        }
        assert_eq!(Territory::of_edition("SYNTH_DE_3"), None);
    }

    #[test]
    fn each_land_names_its_kreis_administration() {
        assert_eq!(
            kreis_administration_name("08115", "Landkreis Böblingen"),
            "Landratsamt Böblingen"
        );
        assert_eq!(
            kreis_administration_name("09184", "Landkreis München"),
            "Landratsamt München"
        );
        assert_eq!(
            kreis_administration_name("05554", "Kreis Borken"),
            "Kreisverwaltung Borken"
        );
        assert_eq!(
            Territory::Germany.kreis_administrations(),
            "Kreisverwaltungen"
        );
        assert_eq!(
            Territory::BADEN_WUERTTEMBERG.kreis_administrations(),
            "Landratsämter"
        );
        assert!(has_kreis_administration("Kreis") && !has_kreis_administration("Kreisfreie Stadt"));
        let nrw = Territory::parse("05").unwrap();
        assert_eq!(
            nrw.localize("Landratsämter mit Digitallotse"),
            "Kreisverwaltungen mit Digitallotse"
        );
        assert_eq!(
            Territory::parse("09").unwrap().localize("Landratsämter"),
            "Landratsämter"
        );
    }

    #[test]
    fn contains_by_key_prefix() {
        let by = Territory::parse("09").unwrap();
        assert!(by.contains("09162000") && !by.contains("08111000"));
        assert!(Territory::Germany.contains("08111000"));
    }
}
