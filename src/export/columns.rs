//! What each API column is called in German and how a spreadsheet shows it.

/// How a column is written: text (keys keep their leading zeros), a whole number, a decimal
/// number, a share (0..1, shown as percent), euros, or yes/no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    Text,
    Key,
    Integer,
    Decimal,
    Share,
    Euro,
    YesNo,
}

impl ColumnKind {
    /// The kind of an API column, by its name.
    pub(crate) fn of(column: &str) -> ColumnKind {
        match column {
            "key" | "verwaltung" | "kreis" | "regierungsbezirk" | "parent" | "ags" | "leika"
            | "process_id" | "prozess_id" => ColumnKind::Key,
            "demo" | "flaechendeckend" => ColumnKind::YesNo,
            c if c.starts_with("share_") || c.contains("_share_") => ColumnKind::Share,
            c if c.ends_with("_euros") => ColumnKind::Euro,
            c if c.ends_with("_avg") => ColumnKind::Decimal,
            "population" | "rank" | "administrations" | "gemeinden" | "landratsaemter"
            | "lotsen" => ColumnKind::Integer,
            c if c.starts_with("administrations_")
                || c.starts_with("gemeinden_")
                || c.starts_with("landratsaemter_")
                || c.starts_with("lotsen_")
                || c.starts_with("population_")
                || c.starts_with("accounts_")
                || c.starts_with("konten_")
                || c.ends_with("_active") =>
            {
                ColumnKind::Integer
            }
            _ => ColumnKind::Text,
        }
    }
}

/// The German header of an API column; an unknown column (e.g. a process id of the matrix) keeps
/// its name.
pub(crate) fn german_header(column: &str) -> String {
    let known = match column {
        "level" => "Ebene",
        "key" => "Schlüssel",
        "name" => "Name",
        "kind" => "Art",
        "parent" => "Übergeordnet",
        "as_of" => "Stichtag",
        "date" => "Datum",
        "demo" => "Demodaten",
        "population" => "Einwohner",
        "administrations" => "Verwaltungen",
        "gemeinden" => "Gemeinden",
        "landratsaemter" => "Landratsämter",
        "administrations_with_lotse" => "Verwaltungen mit Digitallotse",
        "administrations_without_lotse" => "Verwaltungen ohne Digitallotse",
        "administrations_with_basis" => "Verwaltungen mit Basisqualifizierung",
        "administrations_with_aufbau" => "Verwaltungen mit Aufbauschulung",
        "gemeinden_with_lotse" => "Gemeinden mit Digitallotse",
        "gemeinden_with_basis" => "Gemeinden mit Basisqualifizierung",
        "gemeinden_with_aufbau" => "Gemeinden mit Aufbauschulung",
        "landratsaemter_with_lotse" => "Landratsämter mit Digitallotse",
        "landratsaemter_with_basis" => "Landratsämter mit Basisqualifizierung",
        "landratsaemter_with_aufbau" => "Landratsämter mit Aufbauschulung",
        "share_with_lotse" => "Anteil mit Digitallotse",
        "lotsen" => "Digitallotsen",
        "lotsen_basis" => "Digitallotsen Basisqualifizierung",
        "lotsen_aufbau" => "Digitallotsen Aufbauschulung",
        "lotsen_gemeinden" => "Digitallotsen der Gemeinden",
        "lotsen_landratsaemter" => "Digitallotsen der Landratsämter",
        "funding_basis_euros" => "Förderung Basisqualifizierung (EUR)",
        "funding_aufbau_euros" => "Förderung Aufbauschulung (EUR)",
        "population_with_lotse" => "Einwohner in Gemeinden mit Digitallotse",
        "gemeinden_with_process" => "Gemeinden mit mindestens einem Onlinedienst",
        "standard_processes_avg" => "Aktive Standardprozesse je Gemeinde (Durchschnitt)",
        "accounts_buerger" => "Bürgerkonten",
        "accounts_organisation" => "Organisationskonten",
        "konten_buerger" => "Bürgerkonten",
        "konten_organisation" => "Organisationskonten",
        "rank" => "Rang",
        "verwaltung" => "Verwaltung (AGS oder Kreisschlüssel)",
        "art" => "Art",
        "kreis" => "Kreisschlüssel",
        "kreis_name" => "Kreis",
        "regierungsbezirk" => "Regierungsbezirk",
        "lotse" => "Digitallotse",
        "standard_active" => "Aktive Standardprozesse",
        "universal_active" => "Aktive Universalprozesse",
        "missing" => "Fehlt",
        "process_id" => "Prozess-ID",
        "leika" => "LeiKa-Schlüssel",
        "gemeinden_active" => "Gemeinden mit Prozess",
        "gemeinden_total" => "Gemeinden insgesamt",
        "share_gemeinden" => "Anteil der Gemeinden",
        "population_active" => "Einwohner mit Prozess",
        "population_total" => "Einwohner insgesamt",
        "share_population" => "Anteil der Einwohner",
        "landratsaemter_active" => "Landratsämter mit Prozess",
        "flaechendeckend" => "Flächendeckend",
        "groessenklasse" => "Größenklasse",
        "groessenklasse_name" => "Größenklasse (Einwohner)",
        "standard_active_avg" => "Aktive Standardprozesse je Gemeinde (Durchschnitt)",
        "population_share_online" => "Anteil online (nach Einwohnern gewichtet)",
        "activations_before_avg" => {
            "Freischaltungen in den 12 Monaten vor dem ersten Lotsen (Durchschnitt)"
        }
        "activations_after_avg" => {
            "Freischaltungen in den 12 Monaten ab dem ersten Lotsen (Durchschnitt)"
        }
        _ => return column.to_string(),
    };
    known.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_text_and_figures_become_numbers() {
        assert_eq!(ColumnKind::of("verwaltung"), ColumnKind::Key);
        assert_eq!(ColumnKind::of("key"), ColumnKind::Key);
        assert_eq!(ColumnKind::of("share_with_lotse"), ColumnKind::Share);
        assert_eq!(ColumnKind::of("funding_basis_euros"), ColumnKind::Euro);
        assert_eq!(
            ColumnKind::of("administrations_with_lotse"),
            ColumnKind::Integer
        );
        assert_eq!(
            ColumnKind::of("standard_processes_avg"),
            ColumnKind::Decimal
        );
        assert_eq!(ColumnKind::of("name"), ColumnKind::Text);
        assert_eq!(german_header("share_with_lotse"), "Anteil mit Digitallotse");
        assert_eq!(german_header("SP01"), "SP01");
    }
}
