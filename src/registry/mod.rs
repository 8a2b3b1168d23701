//! The official regions of the Land: reference data shipped with the binary, the typed keys, and the
//! in-memory index the views use once the registry has been read back from the database.

mod germany;
pub mod reference;
pub mod territory;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use crate::model::keys::{Ags, Ars, KeyError, KreisKey, LandKey, RbKey, RegionKey};
pub use territory::Territory;

/// Level of a region in the administrative hierarchy.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Land,
    Regierungsbezirk,
    Kreis,
    Gemeinde,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Land,
        Level::Regierungsbezirk,
        Level::Kreis,
        Level::Gemeinde,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Regierungsbezirk => "regierungsbezirk",
            Level::Kreis => "kreis",
            Level::Gemeinde => "gemeinde",
        }
    }

    pub fn parse(value: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// One region as stored and served. `ars`/`ags` are the official keys of its level
/// (2, 3, 5 or 12 / 8 digits); `kreis` and `regierungsbezirk` name the units it lies in.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Region {
    pub ars: String,
    pub ags: String,
    pub name: String,
    pub name_short: String,
    pub level: Level,
    pub kind: String,
    pub parent: Option<String>,
    pub kreis: Option<String>,
    pub regierungsbezirk: Option<String>,
    pub population: i64,
    pub area_km2: f64,
}

/// The regions held in memory, indexed by every key a user may type.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    regions: Vec<Region>,
    by_key: HashMap<String, usize>,
    /// Its one Land, or Germany when it holds several (derived once from the regions).
    territory: Territory,
    pub edition: Option<Edition>,
    /// The shipped LeiKa catalogue with its OZG-Leistung and Themenfeld, by LeiKa key.
    pub leika: HashMap<String, LeikaEntry>,
    /// The Gemeindeverbände (Gemeindeverwaltungsverbände, vereinbarte
    /// Verwaltungsgemeinschaften; a verbandsfreie Gemeinde is its own), by `verband_ars`.
    associations: Vec<reference::Association>,
    /// Per region (as `regions`): its Gemeinde's association, an index into `associations`
    /// (`u32::MAX`: none).
    verband_of: Vec<u32>,
}

/// One LeiKa service of the shipped catalogue, joined to its OZG-Leistung.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeikaEntry {
    pub name: String,
    /// LeiKa-Typ 1–6 (who regulates and who executes), as the catalogue writes it.
    pub leika_type: String,
    pub ozg_id: Option<String>,
    pub ozg_name: Option<String>,
    pub themenfeld: Option<String>,
}

/// The reference edition recorded in the database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edition {
    pub edition: String,
    pub gebietsstand: String,
    pub population_date: String,
    pub source: String,
}

impl Registry {
    pub fn new(mut regions: Vec<Region>, edition: Option<Edition>) -> Self {
        regions.sort_by(|a, b| a.level.cmp(&b.level).then_with(|| a.ars.cmp(&b.ars)));
        let mut by_key = HashMap::with_capacity(regions.len() * 2);
        for (i, r) in regions.iter().enumerate() {
            by_key.insert(r.ars.clone(), i);
            by_key.insert(r.ags.clone(), i);
        }
        let territory = {
            let mut laender = regions.iter().filter(|r| r.level == Level::Land);
            match (laender.next(), laender.next()) {
                (Some(one), None) => Territory::parse(&one.ags).unwrap_or(Territory::Germany),
                (None, _) => Territory::default(),
                _ => Territory::Germany,
            }
        };
        Registry {
            regions,
            by_key,
            territory,
            edition,
            leika: HashMap::new(),
            associations: Vec::new(),
            verband_of: Vec::new(),
        }
    }

    /// The same, with the Gemeindeverbände and each Gemeinde's (12-digit ARS, `verband_ars`).
    pub fn with_associations(
        mut self,
        mut associations: Vec<reference::Association>,
        members: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        associations.sort_by(|a, b| a.verband_ars.cmp(&b.verband_ars));
        let index: HashMap<&str, u32> = associations
            .iter()
            .enumerate()
            .map(|(i, a)| (a.verband_ars.as_str(), i as u32))
            .collect();
        let mut verband_of = vec![u32::MAX; self.regions.len()];
        for (ars, verband) in members {
            if let (Some(&r), Some(&v)) = (self.by_key.get(&ars), index.get(verband.as_str())) {
                verband_of[r] = v;
            }
        }
        self.verband_of = verband_of;
        self.associations = associations;
        self
    }

    /// The Gemeindeverband of the Gemeinde with 12-digit `ars` (or AGS), with its index.
    pub fn verband_of(&self, ars: &str) -> Option<(usize, &reference::Association)> {
        let &r = self.by_key.get(ars)?;
        let v = *self.verband_of.get(r)?;
        (v != u32::MAX).then(|| (v as usize, &self.associations[v as usize]))
    }

    /// Every Gemeindeverband, by `verband_ars`.
    pub fn associations(&self) -> &[reference::Association] {
        &self.associations
    }

    /// The same, with the LeiKa catalogue.
    pub fn with_leika(mut self, leika: HashMap<String, LeikaEntry>) -> Self {
        self.leika = leika;
        self
    }

    pub fn all(&self) -> &[Region] {
        &self.regions
    }

    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    pub fn level(&self, level: Level) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(move |r| r.level == level)
    }

    pub fn get(&self, key: &RegionKey) -> Option<&Region> {
        let k = match key {
            RegionKey::Land(k) => k.as_str(),
            RegionKey::Regierungsbezirk(k) => k.as_str(),
            RegionKey::Kreis(k) => k.as_str(),
            RegionKey::Gemeinde(k) => k.as_str(),
            RegionKey::GemeindeArs(k) => k.as_str(),
        };
        self.by_key.get(k).map(|&i| &self.regions[i])
    }

    /// The region with this ARS as the registry keeps it (Land 2 digits, Regierungsbezirk 3,
    /// Kreis 5, Gemeinde 12) or AGS.
    pub fn by_ars(&self, ars: &str) -> Option<&Region> {
        self.by_key.get(ars).map(|&i| &self.regions[i])
    }

    /// The territory the registry spans: its one Land, or Germany when it holds several.
    pub fn territory(&self) -> Territory {
        self.territory
    }

    pub fn kreis(&self, key: &KreisKey) -> Option<&Region> {
        self.get(&RegionKey::Kreis(key.clone()))
    }
}
