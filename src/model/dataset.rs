//! The datasets an import can deliver, and why an import can fail.

use serde::Serialize;

/// A dataset: one kind of file, one table, one `{dataset}` in the import URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dataset {
    Qualifikationen,
    Prozesse,
    Aktivierungen,
    Konten,
    /// The federal dashboard's open export of the Onlinedienste found in the PVOG, per ARS.
    Onlinedienste,
}

impl Dataset {
    pub const ALL: [Dataset; 5] = [
        Dataset::Qualifikationen,
        Dataset::Prozesse,
        Dataset::Aktivierungen,
        Dataset::Konten,
        Dataset::Onlinedienste,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dataset::Qualifikationen => "qualifikationen",
            Dataset::Prozesse => "prozesse",
            Dataset::Aktivierungen => "aktivierungen",
            Dataset::Konten => "konten",
            Dataset::Onlinedienste => "onlinedienste",
        }
    }

    /// The dataset of a name, case and surrounding space ignored.
    pub fn parse(value: &str) -> Option<Dataset> {
        let value = value.trim().to_ascii_lowercase();
        Dataset::ALL.into_iter().find(|d| d.as_str() == value)
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Dataset {
    type Err = String;

    fn from_str(s: &str) -> Result<Dataset, String> {
        Dataset::parse(s).ok_or_else(|| {
            let names: Vec<&str> = Dataset::ALL.iter().map(|d| d.as_str()).collect();
            format!("unknown dataset {s:?}; use one of {}", names.join(", "))
        })
    }
}

impl<'de> serde::Deserialize<'de> for Dataset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Dataset, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Why an import was refused or failed (the `reason` of the failure log and of
/// `digitalatlas_import_failures_total`).
pub const FAILURE_REASONS: [&str; 5] = ["too_large", "unreadable", "invalid", "busy", "database"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_ignore_case() {
        for d in Dataset::ALL {
            assert_eq!(Dataset::parse(d.as_str()), Some(d));
            assert_eq!(d.as_str().parse::<Dataset>(), Ok(d));
        }
        assert_eq!(Dataset::parse(" Konten "), Some(Dataset::Konten));
        assert!("lotsen"
            .parse::<Dataset>()
            .unwrap_err()
            .contains("qualifikationen"));
    }
}
