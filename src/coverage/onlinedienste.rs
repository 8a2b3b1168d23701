//! The Onlinedienste of the federal dashboard's export as the engine keeps them: per region
//! (the registry key an ARS names, or the Bund) its deliveries by Datenstand, so that the
//! services available to a Gemeinde on any day are its own and those offered from above —
//! Gemeindeverband, Kreis, Regierungsbezirk, Land, Bund — each from the latest Datenstand of
//! that region on or before the day. A service missing from a region's next delivery has ended.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::rows::Flaechendeckung;

pub use crate::model::rows::{region_key, BUND};

/// One Onlinedienst of one delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub leika: String,
    pub name: String,
    pub url: String,
    pub online_ok: bool,
    pub flaechendeckung: Flaechendeckung,
}

/// The services of every region by Datenstand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Onlinedienste {
    /// Region key -> (Datenstand, services), sorted by Datenstand.
    by_region: HashMap<String, Vec<(NaiveDate, Vec<Service>)>>,
}

/// Where a service available to a Gemeinde comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Gemeinde,
    Gemeindeverband,
    Kreis,
    Regierungsbezirk,
    Land,
    Bund,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Gemeinde => "gemeinde",
            Origin::Gemeindeverband => "gemeindeverband",
            Origin::Kreis => "kreis",
            Origin::Regierungsbezirk => "regierungsbezirk",
            Origin::Land => "land",
            Origin::Bund => "bund",
        }
    }

    /// What a reader sees: who offers it.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Gemeinde => "Gemeinde",
            Origin::Gemeindeverband => "Gemeindeverband",
            Origin::Kreis => "Kreis",
            Origin::Regierungsbezirk => "Regierungsbezirk",
            Origin::Land => "Land",
            Origin::Bund => "Bund",
        }
    }
}

impl Onlinedienste {
    /// Adds one stored service of region `key`.
    pub fn add(&mut self, key: &str, snapshot: NaiveDate, service: Service) {
        let deliveries = self.by_region.entry(key.to_string()).or_default();
        match deliveries.binary_search_by(|(d, _)| d.cmp(&snapshot)) {
            Ok(i) => deliveries[i].1.push(service),
            Err(i) => deliveries.insert(i, (snapshot, vec![service])),
        }
    }

    /// The newest Datenstand of any region (`None` without Onlinedienste).
    pub fn newest_datenstand(&self) -> Option<NaiveDate> {
        self.by_region
            .values()
            .filter_map(|d| d.last().map(|(day, _)| *day))
            .max()
    }

    /// Whether no Onlinedienste were imported.
    pub fn is_empty(&self) -> bool {
        self.by_region.is_empty()
    }

    /// The services of region `key` on `day`: its latest delivery on or before the day.
    pub fn of_region(&self, key: &str, day: NaiveDate) -> Option<(NaiveDate, &[Service])> {
        let deliveries = self.by_region.get(key)?;
        let upto = deliveries.partition_point(|(d, _)| *d <= day);
        upto.checked_sub(1)
            .map(|i| (deliveries[i].0, deliveries[i].1.as_slice()))
    }

    /// Every service available to the Gemeinde with 12-digit `ars` on `day`, with where it
    /// comes from and that region's Datenstand: its own, then from above.
    pub fn available(&self, ars: &str, day: NaiveDate) -> Vec<(Origin, NaiveDate, &Service)> {
        let mut chain = vec![(Origin::Gemeinde, ars)];
        if ars.len() == 12 {
            chain.extend([
                (Origin::Gemeindeverband, &ars[..9]),
                (Origin::Kreis, &ars[..5]),
                (Origin::Regierungsbezirk, &ars[..3]),
                (Origin::Land, &ars[..2]),
            ]);
        }
        chain.push((Origin::Bund, BUND));
        let mut out = Vec::new();
        for (origin, key) in chain {
            if let Some((snapshot, services)) = self.of_region(key, day) {
                out.extend(services.iter().map(|s| (origin, snapshot, s)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn service(leika: &str) -> Service {
        Service {
            leika: leika.into(),
            name: leika.into(),
            url: String::new(),
            online_ok: true,
            flaechendeckung: Flaechendeckung::Kreisweit,
        }
    }

    #[test]
    fn a_gemeinde_has_its_own_services_and_those_from_above_each_at_its_latest_datenstand() {
        let mut o = Onlinedienste::default();
        o.add("081150003003", d("2026-11-01"), service("own-old"));
        o.add("081150003003", d("2026-12-01"), service("own-new"));
        o.add("08115", d("2026-11-01"), service("kreis"));
        o.add(BUND, d("2026-12-01"), service("bund"));
        let names = |day: &str| -> Vec<(Origin, String)> {
            o.available("081150003003", d(day))
                .into_iter()
                .map(|(origin, _, s)| (origin, s.leika.clone()))
                .collect()
        };
        assert!(names("2026-10-31").is_empty());
        assert_eq!(
            names("2026-11-15"),
            [
                (Origin::Gemeinde, "own-old".into()),
                (Origin::Kreis, "kreis".into())
            ]
        );
        // The next delivery replaces the Gemeinde's own services: own-old has ended.
        assert_eq!(
            names("2026-12-06"),
            [
                (Origin::Gemeinde, "own-new".into()),
                (Origin::Kreis, "kreis".into()),
                (Origin::Bund, "bund".into())
            ]
        );
    }
}
