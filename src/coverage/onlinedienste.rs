//! The Onlinedienste of the federal dashboard's export as the engine keeps them: per region
//! (the registry key an ARS names, or the Bund) its deliveries by Datenstand, so that the
//! services available to a Gemeinde on any day are its own and those offered from above —
//! Gemeindeverband, Kreis, Regierungsbezirk, Land, Bund — each from the latest Datenstand of
//! that region on or before the day. A service missing from a region's next delivery has ended.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::rows::Flaechendeckung;

pub use crate::model::rows::{region_key, BUND};

/// A LeiKa service as the export names it, kept once however many rows offer it.
#[derive(Debug, Clone, PartialEq)]
struct Leistung {
    key: Box<str>,
    name: Box<str>,
}

/// One region's delivery at one Datenstand, column by column (a Germany-sized export has
/// millions of rows: about 13 bytes each besides the end of its address).
#[derive(Debug, Clone, Default, PartialEq)]
struct Delivery {
    day: NaiveDate,
    /// Index into `Onlinedienste::leistungen`.
    leistung: Vec<u32>,
    /// The class of Flächendeckung (its index in `Flaechendeckung::ALL`), and `OK` when the
    /// link worked.
    flags: Vec<u8>,
    /// The address: a shared prefix (up to its last `/`, index into `Onlinedienste::prefixes`)
    /// and the rest, `url_rest[end of the previous row .. url_end]`.
    url_prefix: Vec<u32>,
    url_end: Vec<u32>,
    url_rest: String,
}

const OK: u8 = 0x80;

/// One Onlinedienst of one delivery, as views read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Service<'a> {
    /// Tells the stored rows apart (one row, however many Gemeinden it is available to).
    pub id: u64,
    pub leika: &'a str,
    pub name: &'a str,
    url_prefix: &'a str,
    url_rest: &'a str,
    pub online_ok: bool,
    pub flaechendeckung: Flaechendeckung,
}

impl Service<'_> {
    /// The address as delivered.
    pub fn url(&self) -> String {
        format!("{}{}", self.url_prefix, self.url_rest)
    }
}

/// What one stored row says, for [`Onlinedienste::add`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub leika: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub online_ok: bool,
    pub flaechendeckung: Flaechendeckung,
}

/// The services of every region by Datenstand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Onlinedienste {
    leistungen: Vec<Leistung>,
    leistung_idx: HashMap<Box<str>, u32>,
    prefixes: Vec<Box<str>>,
    prefix_idx: HashMap<Box<str>, u32>,
    /// Region key -> its number (in the order regions came: the high part of a
    /// [`Service::id`]) and its deliveries, sorted by Datenstand.
    by_region: HashMap<Box<str>, (u32, Vec<Delivery>)>,
    /// Every Datenstand of any region, sorted, each once.
    days: Vec<NaiveDate>,
}

/// The index of `text` in `list`, added when new.
fn intern(list: &mut Vec<Box<str>>, idx: &mut HashMap<Box<str>, u32>, text: &str) -> u32 {
    if let Some(&i) = idx.get(text) {
        return i;
    }
    let i = list.len() as u32;
    list.push(text.into());
    idx.insert(text.into(), i);
    i
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
    /// Adds one stored row of region `key` at Datenstand `snapshot`.
    pub fn add(&mut self, key: &str, snapshot: NaiveDate, row: Row<'_>) {
        let leistung = match self.leistung_idx.get(row.leika) {
            Some(&i) => i,
            None => {
                let i = self.leistungen.len() as u32;
                self.leistungen.push(Leistung {
                    key: row.leika.into(),
                    name: row.name.into(),
                });
                self.leistung_idx.insert(row.leika.into(), i);
                i
            }
        };
        let cut = row.url.rfind('/').map_or(0, |i| i + 1);
        let prefix = intern(&mut self.prefixes, &mut self.prefix_idx, &row.url[..cut]);
        let next = self.by_region.len() as u32;
        let (_, deliveries) = self
            .by_region
            .entry(key.into())
            .or_insert_with(|| (next, Vec::new()));
        let at = match deliveries.binary_search_by(|d| d.day.cmp(&snapshot)) {
            Ok(i) => i,
            Err(i) => {
                deliveries.insert(
                    i,
                    Delivery {
                        day: snapshot,
                        ..Delivery::default()
                    },
                );
                i
            }
        };
        if let Err(i) = self.days.binary_search(&snapshot) {
            self.days.insert(i, snapshot);
        }
        let d = &mut deliveries[at];
        let class = Flaechendeckung::ALL
            .iter()
            .position(|f| *f == row.flaechendeckung)
            .unwrap_or(0) as u8;
        d.leistung.push(leistung);
        d.flags.push(class | if row.online_ok { OK } else { 0 });
        d.url_prefix.push(prefix);
        d.url_rest.push_str(&row.url[cut..]);
        d.url_end.push(d.url_rest.len() as u32);
    }

    /// Gives back the room the columns grew into (after the last row was added).
    pub fn shrink_to_fit(&mut self) {
        for d in self.by_region.values_mut().flat_map(|(_, d)| d) {
            d.leistung.shrink_to_fit();
            d.flags.shrink_to_fit();
            d.url_prefix.shrink_to_fit();
            d.url_end.shrink_to_fit();
            d.url_rest.shrink_to_fit();
        }
    }

    /// The newest Datenstand of any region (`None` without Onlinedienste).
    pub fn newest_datenstand(&self) -> Option<NaiveDate> {
        self.days.last().copied()
    }

    /// The newest Datenstand on or before `day`: two days with the same one see the same
    /// deliveries (no region's next one falls between them).
    pub fn state_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        let upto = self.days.partition_point(|d| *d <= day);
        upto.checked_sub(1).map(|i| self.days[i])
    }

    /// Whether no Onlinedienste were imported.
    pub fn is_empty(&self) -> bool {
        self.by_region.is_empty()
    }

    /// The services of region `key` on `day`: its latest delivery on or before the day.
    pub fn of_region(&self, key: &str, day: NaiveDate) -> Option<(NaiveDate, Vec<Service<'_>>)> {
        let (region, deliveries) = self.by_region.get(key)?;
        let region = u64::from(*region);
        let upto = deliveries.partition_point(|d| d.day <= day);
        let i = upto.checked_sub(1)?;
        let d = &deliveries[i];
        let mut start = 0usize;
        let services = (0..d.leistung.len())
            .map(|r| {
                let end = d.url_end[r] as usize;
                let l = &self.leistungen[d.leistung[r] as usize];
                let flags = d.flags[r];
                let s = Service {
                    id: (region << 40) | ((i as u64) << 32) | r as u64,
                    leika: &l.key,
                    name: &l.name,
                    url_prefix: &self.prefixes[d.url_prefix[r] as usize],
                    url_rest: &d.url_rest[start..end],
                    online_ok: flags & OK != 0,
                    flaechendeckung: Flaechendeckung::ALL[usize::from(flags & 0x07) % 5],
                };
                start = end;
                s
            })
            .collect();
        Some((d.day, services))
    }

    /// Every service available to the Gemeinde with 12-digit `ars` on `day`, with where it
    /// comes from and that region's Datenstand: its own, then from above.
    pub fn available(&self, ars: &str, day: NaiveDate) -> Vec<(Origin, NaiveDate, Service<'_>)> {
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
                out.extend(services.into_iter().map(|s| (origin, snapshot, s)));
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

    fn service(leika: &str) -> Row<'_> {
        Row {
            leika,
            name: leika,
            url: "https://x.de/a/b",
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
                .map(|(origin, _, s)| (origin, s.leika.to_string()))
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
