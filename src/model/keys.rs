//! Official region keys as types. A key is parsed once at the edge (file, URL) and can only hold a
//! valid value, so the inside of the program never re-validates strings.

use std::fmt;

/// Why a string is not a valid key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what}: {reason}")]
pub struct KeyError {
    pub what: &'static str,
    pub value: String,
    pub reason: &'static str,
}

fn digits(value: &str, len: usize, what: &'static str) -> Result<String, KeyError> {
    let v = value.trim();
    if v.len() != len {
        return Err(KeyError {
            what,
            value: value.to_string(),
            reason: match len {
                2 => "expected 2 digits",
                3 => "expected 3 digits",
                5 => "expected 5 digits",
                8 => "expected 8 digits",
                _ => "expected 12 digits",
            },
        });
    }
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KeyError {
            what,
            value: value.to_string(),
            reason: "only digits are allowed",
        });
    }
    Ok(v.to_string())
}

macro_rules! key_type {
    ($(#[$doc:meta])* $name:ident, $len:expr, $what:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub const LEN: usize = $len;

            pub fn parse(value: &str) -> Result<Self, KeyError> {
                digits(value, $len, $what).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = KeyError;
            fn from_str(s: &str) -> Result<Self, KeyError> {
                Self::parse(s)
            }
        }
    };
}

key_type!(
    /// 2-digit Land key, e.g. `08` for Baden-Württemberg.
    LandKey, 2, "Land key"
);
key_type!(
    /// 3-digit Regierungsbezirk key, e.g. `081` (Stuttgart).
    RbKey, 3, "Regierungsbezirk key"
);
key_type!(
    /// 5-digit Kreis key (Kreis-AGS = Kreis-ARS), e.g. `08111`.
    KreisKey, 5, "Kreis key"
);
key_type!(
    /// 8-digit Amtlicher Gemeindeschlüssel, e.g. `08111000`.
    Ags, 8, "AGS"
);
key_type!(
    /// 12-digit Amtlicher Regionalschlüssel of a Gemeinde, e.g. `081110000000`.
    Ars, 12, "ARS"
);

impl Ags {
    /// Parses an AGS as spreadsheets deliver it: Excel drops the leading zero of a numeric cell,
    /// so a 7-digit value is the AGS of a Land below 10 (`8111000` means `08111000`).
    pub fn parse_lenient(value: &str) -> Result<Self, KeyError> {
        let v = value.trim();
        if v.len() == 7 && v.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("0{v}"));
        }
        Self::parse(v)
    }

    pub fn kreis(&self) -> KreisKey {
        KreisKey(self.0[..5].to_string())
    }
}

impl KreisKey {
    /// Like [`Ags::parse_lenient`]: `8111` means `08111`.
    pub fn parse_lenient(value: &str) -> Result<Self, KeyError> {
        let v = value.trim();
        if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
            return Self::parse(&format!("0{v}"));
        }
        Self::parse(v)
    }

    pub fn regierungsbezirk(&self) -> RbKey {
        RbKey(self.0[..3].to_string())
    }
}

impl Ars {
    /// The AGS contained in the ARS: Land, RB and Kreis (5 digits) plus the Gemeinde number (3).
    pub fn ags(&self) -> Ags {
        Ags(format!("{}{}", &self.0[..5], &self.0[9..]))
    }
}

/// Any key a user may type to address a region: its length tells the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKey {
    Land(LandKey),
    Regierungsbezirk(RbKey),
    Kreis(KreisKey),
    Gemeinde(Ags),
    GemeindeArs(Ars),
}

impl RegionKey {
    pub fn parse(value: &str) -> Result<Self, KeyError> {
        let v = value.trim();
        match v.len() {
            2 => LandKey::parse(v).map(Self::Land),
            3 => RbKey::parse(v).map(Self::Regierungsbezirk),
            5 => KreisKey::parse(v).map(Self::Kreis),
            8 => Ags::parse(v).map(Self::Gemeinde),
            12 => Ars::parse(v).map(Self::GemeindeArs),
            _ => Err(KeyError {
                what: "region key",
                value: value.to_string(),
                reason: "expected an AGS (8 digits), a Kreis key (5), an ARS (12), a Regierungsbezirk (3) or Land key (2)",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_keys() {
        assert_eq!(Ags::parse("08111000").unwrap().as_str(), "08111000");
        assert_eq!(Ags::parse(" 08111000 ").unwrap().kreis().as_str(), "08111");
        assert_eq!(
            KreisKey::parse("08115")
                .unwrap()
                .regierungsbezirk()
                .as_str(),
            "081"
        );
        assert_eq!(
            Ars::parse("081150003003").unwrap().ags().as_str(),
            "08115003"
        );
    }

    #[test]
    fn rejects_malformed_keys() {
        assert!(Ags::parse("0811100").is_err());
        assert!(Ags::parse("0811100x").is_err());
        assert!(KreisKey::parse("081111").is_err());
        assert!(RegionKey::parse("1234").is_err());
        assert!(RegionKey::parse("abcdefgh").is_err());
    }

    #[test]
    fn restores_leading_zero_lost_by_excel() {
        assert_eq!(Ags::parse_lenient("8111000").unwrap().as_str(), "08111000");
        assert_eq!(KreisKey::parse_lenient("8111").unwrap().as_str(), "08111");
        assert!(Ags::parse_lenient("811100").is_err());
    }

    #[test]
    fn region_key_by_length() {
        assert!(matches!(
            RegionKey::parse("08111000"),
            Ok(RegionKey::Gemeinde(_))
        ));
        assert!(matches!(RegionKey::parse("08111"), Ok(RegionKey::Kreis(_))));
        assert!(matches!(
            RegionKey::parse("081110000000"),
            Ok(RegionKey::GemeindeArs(_))
        ));
    }
}
