//! Finding a region the way people type it: case, accents and umlauts folded (ü = ue = u,
//! ß = ss), `St.` = `Sankt`, a prefix or a small typo is enough, Kreise and Regierungsbezirke as
//! well as Gemeinden, and any official key (AGS, ARS, Kreis or Regierungsbezirk key). Best
//! matches first.

use super::raw::{RawData, UnitLevel};
use crate::model::RegionKey;

/// One region found, with how well it matched (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into `RawData::units`.
    pub unit: usize,
    pub score: u32,
}

/// The score of a match by key, by the whole name, by a name's beginning, a word's beginning,
/// inside a name, and with one or two typos.
const BY_KEY: u32 = 1000;
const WHOLE: u32 = 900;
const PREFIX: u32 = 800;
const WORD: u32 = 700;
const INSIDE: u32 = 500;
const TYPO: u32 = 400;

/// Text as compared: lower case, umlauts and `ue`/`oe`/`ae` as their base vowel, `ß` as `ss`,
/// accents dropped, `st.`/`st` as `sankt`, everything else between words one blank.
pub fn fold(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match c {
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => plain.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => plain.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => plain.push('u'),
            'é' | 'è' | 'ê' | 'ë' => plain.push('e'),
            'í' | 'ì' | 'î' | 'ï' => plain.push('i'),
            'ç' => plain.push('c'),
            'ñ' => plain.push('n'),
            'ý' | 'ÿ' => plain.push('y'),
            'ß' => plain.push_str("ss"),
            c if c.is_alphanumeric() => plain.push(c),
            _ => plain.push(' '),
        }
    }
    let words: Vec<String> = plain
        .split_whitespace()
        .map(|w| {
            let w = w.replace("ae", "a").replace("oe", "o").replace("ue", "u");
            if w == "st" {
                "sankt".to_string()
            } else {
                w
            }
        })
        .collect();
    words.join(" ")
}

/// The names a unit is found by, folded: its name, the part before a comma ("Böblingen, Stadt"
/// is "Böblingen"), and a Kreis without "Landkreis".
fn names(name: &str) -> Vec<String> {
    let mut out = vec![fold(name)];
    if let Some((short, _)) = name.split_once(',') {
        out.push(fold(short));
    }
    if let Some(rest) = name.strip_prefix("Landkreis ") {
        out.push(fold(rest));
    }
    if let Some(rest) = name.strip_prefix("Regierungsbezirk ") {
        out.push(fold(rest));
    }
    out
}

/// How well `query` (folded) matches one of `names`; 0 for not at all.
fn score_name(query: &str, names: &[String]) -> u32 {
    let mut best = 0;
    for name in names {
        let s = if name == query {
            WHOLE
        } else if name.starts_with(query) {
            PREFIX
        } else if name.split(' ').any(|w| w.starts_with(query)) {
            WORD
        } else if query.len() >= 3 && name.contains(query) {
            INSIDE
        } else {
            typo_score(query, name)
        };
        best = best.max(s);
    }
    best
}

/// One typo in a query of 4 or more letters, two in one of 8 or more, against the whole name or
/// one of its words or the name's beginning of the query's length.
fn typo_score(query: &str, name: &str) -> u32 {
    let n = query.chars().count();
    let allowed = match n {
        0..=3 => return 0,
        4..=7 => 1,
        _ => 2,
    };
    let head: String = name.chars().take(n).collect();
    let d = std::iter::once(name)
        .chain(name.split(' '))
        .chain(std::iter::once(head.as_str()))
        .map(|candidate| strsim::levenshtein(query, candidate))
        .min()
        .unwrap_or(usize::MAX);
    if d <= allowed {
        TYPO - 50 * d as u32
    } else {
        0
    }
}

/// The regions matching `query`, best first; among equal matches a Gemeinde before its Kreis
/// before the Regierungsbezirk ("Tübingen" is first the city), then by population and name. At
/// most `limit`. Size classes are not regions and are never found.
pub fn search(raw: &RawData, query: &str, limit: usize) -> Vec<Hit> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = Vec::new();
    if query.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(unit) = by_key(raw, query) {
            hits.push(Hit {
                unit,
                score: BY_KEY,
            });
        }
    }
    let folded = fold(query);
    if !folded.is_empty() {
        for (i, u) in raw.units.iter().enumerate() {
            if u.level == UnitLevel::Groessenklasse || hits.iter().any(|h| h.unit == i) {
                continue;
            }
            let score = score_name(&folded, &names(&u.name));
            if score > 0 {
                hits.push(Hit { unit: i, score });
            }
        }
    }
    hits.sort_by(|a, b| {
        let (ua, ub) = (&raw.units[a.unit], &raw.units[b.unit]);
        let rank = |level: UnitLevel| match level {
            UnitLevel::Gemeinde => 0,
            UnitLevel::Kreis => 1,
            UnitLevel::Verband => 2,
            UnitLevel::Regierungsbezirk => 3,
            _ => 4,
        };
        b.score
            .cmp(&a.score)
            .then(rank(ua.level).cmp(&rank(ub.level)))
            .then(ub.population.cmp(&ua.population))
            .then(ua.name.cmp(&ub.name))
    });
    hits.truncate(limit);
    hits
}

/// The unit of an official key of any level (AGS with or without leading zero, ARS, Kreis,
/// Regierungsbezirk or Land key).
fn by_key(raw: &RawData, digits: &str) -> Option<usize> {
    let padded;
    let digits = if digits.len() == 7 || digits.len() == 11 || digits.len() == 4 {
        // A leading zero lost in a spreadsheet.
        padded = format!("0{digits}");
        padded.as_str()
    } else {
        digits
    };
    let key = RegionKey::parse(digits).ok()?;
    let region = raw.registry.get(&key)?;
    raw.units
        .iter()
        .position(|u| u.key == region.ags && u.level != UnitLevel::Groessenklasse)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::registry::reference::ReferenceData;
    use crate::registry::Registry;

    fn raw() -> RawData {
        let data = ReferenceData::embedded();
        RawData::index(Arc::new(Registry::new(data.regions, None)), Vec::new())
    }

    fn first(raw: &RawData, q: &str) -> (UnitLevel, String) {
        let hits = search(raw, q, 10);
        let u = &raw.units[hits
            .first()
            .unwrap_or_else(|| panic!("nothing for {q:?}"))
            .unit];
        (u.level, u.name.clone())
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold("Tübingen, Universitätsstadt"),
            "tubingen universitatsstadt"
        );
        assert_eq!(fold("Tuebingen"), "tubingen");
        assert_eq!(fold("St. Blasien"), "sankt blasien");
        assert_eq!(fold("Großbottwar"), "grossbottwar");
        assert_eq!(fold("  Bad   Urach "), "bad urach");
    }

    #[test]
    fn people_find_what_they_type() {
        let raw = raw();
        let gemeinde = |name: &str| (UnitLevel::Gemeinde, name.to_string());
        assert_eq!(first(&raw, "Tuebingen").1, "Tübingen, Universitätsstadt");
        assert_eq!(first(&raw, "tübingen").1, "Tübingen, Universitätsstadt");
        assert_eq!(first(&raw, "boblingen"), gemeinde("Böblingen, Stadt"));
        assert_eq!(first(&raw, "Sankt Blasien"), gemeinde("St. Blasien, Stadt"));
        assert_eq!(first(&raw, "st blasien"), gemeinde("St. Blasien, Stadt"));
        assert_eq!(
            first(&raw, "Ortenaukreis"),
            (UnitLevel::Kreis, "Ortenaukreis".into())
        );
        assert_eq!(first(&raw, "08111000").1, "Stuttgart, Landeshauptstadt");
        assert_eq!(first(&raw, "8111000").1, "Stuttgart, Landeshauptstadt");
        assert_eq!(first(&raw, "081110000000").1, "Stuttgart, Landeshauptstadt");
        assert_eq!(first(&raw, "08115").0, UnitLevel::Kreis);
        assert_eq!(first(&raw, "083").0, UnitLevel::Regierungsbezirk);
        assert_eq!(first(&raw, "Freiburg").0, UnitLevel::Regierungsbezirk);
        // A typo, and a prefix.
        assert_eq!(first(&raw, "Stutgart").1, "Stuttgart, Landeshauptstadt");
        assert_eq!(first(&raw, "Heidelb").1, "Heidelberg, Stadt");
        assert!(search(&raw, "xyzxyz", 10).is_empty());
        assert!(search(&raw, "", 10).is_empty());
    }
}
