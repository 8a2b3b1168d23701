//! The current snapshot: raw data plus today's figures, built off the request path and swapped in
//! atomically. Readers load an `Arc` and never block or see a half-built state.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use chrono::NaiveDate;

use super::figures::{compute, day_units, AccountFigure, Figures, UnitFigures};
use super::raw::RawData;
use super::sweep::{Events, Sweep};

/// An immutable view of all figures. Views that encode something expensive (metrics text) keep it
/// next to the snapshot they encoded, so each snapshot is encoded once.
#[derive(Debug)]
pub struct Snapshot {
    /// Increases with every rebuild, so that a reader can tell snapshots apart.
    pub generation: u64,
    /// Increases only when the figures can differ from the previous snapshot's (new records or a
    /// new day). Encoded views (metrics, GeoJSON, charts) are cached per data version, so the
    /// periodic refresh without new data encodes nothing again.
    pub data_version: u64,
    pub raw: Arc<RawData>,
    pub current: Figures,
    /// When it was built (Unix seconds) and how long that took.
    pub built_at: f64,
    pub build_duration: Duration,
    /// Unit figures of past days (time series), computed on first use and kept with the snapshot.
    history: Mutex<HashMap<NaiveDate, Arc<DayFigures>>>,
    /// The latest date of any record: from then on the figures no longer change.
    horizon: NaiveDate,
}

/// The per-unit figures and account counts of one day.
#[derive(Debug)]
pub struct DayFigures {
    pub as_of: NaiveDate,
    /// By unit index; a kept day holds no Gemeinden and Verbände (see `cut`).
    units: Vec<UnitFigures>,
    /// The unit indices cut out of `units` (Gemeinden and Verbände: first index, count), if any.
    cut: Option<(usize, usize)>,
    pub accounts: Vec<AccountFigure>,
}

impl DayFigures {
    fn new(as_of: NaiveDate, units: Vec<UnitFigures>, accounts: Vec<AccountFigure>) -> Self {
        DayFigures {
            as_of,
            units,
            cut: None,
            accounts,
        }
    }

    /// The figures of unit `u`; `None` for a Gemeinde or Verband of a day kept without them (ask
    /// [`Snapshot::days_figures_of_gemeinden`] for those).
    pub fn unit(&self, u: usize) -> Option<&UnitFigures> {
        match self.cut {
            Some((start, len)) if u >= start + len => self.units.get(u - len),
            Some((start, _)) if u >= start => None,
            _ => self.units.get(u),
        }
    }

    /// The figures of the whole registry (all Länder together).
    pub fn total(&self, raw: &RawData) -> UnitFigures {
        UnitFigures::sum(raw.laender().filter_map(|i| self.unit(i)))
    }

    /// Whether every unit is held (a Gemeinde's figures too).
    fn has_gemeinden(&self) -> bool {
        self.cut.is_none()
    }

    /// The same day without the Gemeinden and Verbände (one range of units), for keeping a large
    /// registry's days.
    fn without_gemeinden(&self, raw: &RawData) -> DayFigures {
        let local = |u: &super::raw::Unit| u.level.is_local();
        let start = raw.units.iter().position(local).unwrap_or(raw.units.len());
        let len = raw.units[start..].iter().take_while(|u| local(u)).count();
        let mut units = self.units[..start].to_vec();
        units.extend_from_slice(&self.units[(start + len).min(self.units.len())..]);
        DayFigures {
            as_of: self.as_of,
            units,
            cut: Some((start, len)),
            accounts: self.accounts.clone(),
        }
    }
}

/// Past days kept per snapshot (monthly points of about 40 years) …
const HISTORY_DAYS: usize = 480;
/// … within this many bytes of unit figures. A day is kept without its Gemeinden and Verbände (which only a
/// time series of Gemeinden asks for; it computes its days per request by the same sweep):
/// Baden-Württemberg 53 units, 9 kB a day instead of 196 kB; Germany 439 units, 72 kB instead
/// of 1.8 MB. Days beyond the bound are computed per request and not kept.
const HISTORY_BYTES: usize = 24 << 20;

impl Snapshot {
    /// Builds a snapshot from raw data as of `today`.
    pub fn build(generation: u64, raw: RawData, today: NaiveDate) -> Snapshot {
        let t = Instant::now();
        let current = compute(&raw, today);
        let horizon = raw
            .qualifications
            .iter()
            .map(|q| q.completed_on)
            .chain(
                raw.activations
                    .iter()
                    .flat_map(|a| std::iter::once(a.from).chain(a.until)),
            )
            .chain(raw.accounts.iter().map(|a| a.date))
            .max()
            .unwrap_or(today);
        Snapshot {
            generation,
            data_version: generation,
            raw: Arc::new(raw),
            current,
            built_at: unix_now(),
            build_duration: t.elapsed(),
            history: Mutex::new(HashMap::new()),
            horizon,
        }
    }

    /// The same records as of another `day` (a Stichtag): shares the raw data, computes that
    /// day's figures. Used for pages and charts of a past day; not cached.
    pub fn at(&self, day: NaiveDate) -> Snapshot {
        let t = Instant::now();
        Snapshot {
            generation: self.generation,
            data_version: self.data_version,
            raw: self.raw.clone(),
            current: compute(&self.raw, day),
            built_at: self.built_at,
            build_duration: t.elapsed(),
            history: Mutex::new(HashMap::new()),
            horizon: self.horizon,
        }
    }

    /// Takes over `previous`'s data version and computed past days when both hold the same
    /// records (the same import log ids) as of the same day; otherwise starts a new data version.
    fn continue_from(&mut self, previous: &Snapshot) {
        let same = self.raw.import_ids == previous.raw.import_ids
            && self.current.as_of == previous.current.as_of;
        if !same {
            self.data_version = previous.data_version + 1;
            return;
        }
        self.data_version = previous.data_version;
        if let (Ok(mut mine), Ok(theirs)) = (self.history.lock(), previous.history.lock()) {
            mine.clone_from(&theirs);
        }
    }

    /// Bytes of the past days kept.
    pub fn history_bytes(&self) -> usize {
        self.history.lock().map_or(0, |h| {
            h.values()
                .map(|d| d.units.len() * size_of::<UnitFigures>() + size_of::<DayFigures>())
                .sum()
        })
    }

    /// The unit figures of a day, from the cache or computed (and cached, up to a bound).
    /// Days after the last record share one computation (their figures are equal).
    pub fn day_figures(&self, day: NaiveDate) -> Arc<DayFigures> {
        let day = self.computed_day(day);
        let cached = self.history.lock().ok().and_then(|h| h.get(&day).cloned());
        if let Some(f) = cached {
            return f;
        }
        self.keep_day(&self.as_of(day))
    }

    /// Caches a computed day's unit figures (up to a bound) and returns them.
    fn keep_day(&self, figures: &Figures) -> Arc<DayFigures> {
        self.keep(DayFigures::new(
            figures.as_of,
            figures.units.clone(),
            figures.accounts.clone(),
        ))
    }

    /// Caches a computed day without its Gemeinden and returns it whole.
    fn keep(&self, day: DayFigures) -> Arc<DayFigures> {
        let f = Arc::new(day);
        // A day already kept stays: a series of Gemeinden or Verbände computes its days again
        // and would otherwise replace every kept day, allocating anew amid its sweep.
        let kept = self.history.lock().is_ok_and(|h| h.contains_key(&f.as_of));
        if kept {
            return f;
        }
        let size = |d: &DayFigures| d.units.len() * size_of::<UnitFigures>();
        let kept = Arc::new(f.without_gemeinden(&self.raw));
        if let Ok(mut h) = self.history.lock() {
            if h.len() < HISTORY_DAYS && (h.len() + 1) * size(&kept) <= HISTORY_BYTES {
                h.entry(kept.as_of).or_insert(kept);
            }
        }
        f
    }

    /// The day whose computation `day` shares. From the last record's day on nothing changes
    /// (deactivations count from their day), so those days share today's figures, or the last
    /// record's day's when records lie in the future.
    fn computed_day(&self, day: NaiveDate) -> NaiveDate {
        if day < self.horizon {
            day
        } else if self.current.as_of >= self.horizon {
            self.current.as_of
        } else {
            self.horizon
        }
    }

    /// The figures of `days` (a time series): the days not yet cached from one forward sweep over
    /// the sorted activation events, the others from the cache. Gemeinden may be left out of a
    /// large registry's days (see [`DayFigures::unit`]).
    pub fn days_figures(&self, days: &[NaiveDate]) -> Vec<Arc<DayFigures>> {
        self.days_figures_with(days, false)
    }

    /// The same, every day with its Gemeinden (a time series of Gemeinden).
    pub fn days_figures_of_gemeinden(&self, days: &[NaiveDate]) -> Vec<Arc<DayFigures>> {
        self.days_figures_with(days, true)
    }

    fn days_figures_with(&self, days: &[NaiveDate], gemeinden: bool) -> Vec<Arc<DayFigures>> {
        let mut out = Vec::with_capacity(days.len());
        self.visit_days(days, gemeinden, |_, f| out.push(f.clone()));
        out
    }

    /// Hands the figures of each of `days` to `visit`, in order, one day at a time: cached days
    /// from the cache, the others from one forward sweep over the sorted activation events (each
    /// day costs the cells that change since the previous one, not a scan) while the days
    /// increase, else computed alone. With `gemeinden` every day has its Gemeinden; only one such
    /// day is held at a time (a series of every Gemeinde over eight years held them all: 60 MB
    /// at Baden-Württemberg's size).
    pub fn visit_days(
        &self,
        days: &[NaiveDate],
        gemeinden: bool,
        mut visit: impl FnMut(NaiveDate, &Arc<DayFigures>),
    ) {
        let t = Instant::now();
        let events = std::cell::OnceCell::new();
        let mut sweep: Option<Sweep<'_>> = None;
        // Too many overlapping activations of one cell for the sweep: every later day scans.
        let mut sweep_failed = false;
        let mut services = None;
        let mut swept_to: Option<NaiveDate> = None;
        let mut last: Option<(NaiveDate, Arc<DayFigures>)> = None;
        let mut computed = 0;
        for &day in days {
            let d = self.computed_day(day);
            if let Some((_, f)) = last.as_ref().filter(|(ld, _)| *ld == d) {
                visit(day, f);
                continue;
            }
            let cached = match self.history.lock() {
                Ok(h) => h
                    .get(&d)
                    .filter(|f| !gemeinden || f.has_gemeinden())
                    .cloned(),
                Err(_) => None,
            };
            let f = match cached {
                Some(f) => f,
                None if d == self.current.as_of => self.keep_day(&self.current),
                None => {
                    computed += 1;
                    let mut swept = None;
                    if !sweep_failed && swept_to.is_none_or(|s| d > s) {
                        let s = sweep.get_or_insert_with(|| {
                            Sweep::new(&self.raw, events.get_or_init(|| Events::of(&self.raw)))
                        });
                        if s.advance(d).is_some() {
                            swept_to = Some(d);
                            let (units, accounts) =
                                day_units(&self.raw, d, s.counts(), s.lotsen(), &mut services);
                            swept = Some(self.keep(DayFigures::new(d, units, accounts)));
                        } else {
                            sweep_failed = true;
                            sweep = None;
                        }
                    }
                    swept.unwrap_or_else(|| self.keep_day(&compute(&self.raw, d)))
                }
            };
            visit(day, &f);
            last = Some((d, f));
        }
        if computed > 0 {
            tracing::debug!(
                days = computed,
                ms = t.elapsed().as_secs_f64() * 1e3,
                "past days computed"
            );
        }
    }

    /// Figures as of a day: today's without copying, any other day computed from the same raw data.
    pub fn as_of(&self, day: NaiveDate) -> Cow<'_, Figures> {
        if day == self.current.as_of {
            Cow::Borrowed(&self.current)
        } else {
            Cow::Owned(compute(&self.raw, day))
        }
    }
}

pub use crate::model::clock::{today, unix_now};

/// Holds the current snapshot and replaces it after data changes.
pub struct Coverage {
    current: ArcSwap<Snapshot>,
    /// Serialises rebuilds so that an older build never replaces a newer one.
    rebuild_lock: tokio::sync::Mutex<()>,
    /// Where the store's compact copy of the activations stands (see `rebuild::persist`).
    pub persisted: Arc<Persisted>,
}

/// The store's compact copy of the activations as this process knows it: the key last written
/// or found (the lock is held while writing), and the newest snapshot generation that asked
/// for a write (an older one that comes later gives way).
#[derive(Debug, Default)]
pub struct Persisted {
    pub key: tokio::sync::Mutex<Option<String>>,
    pub newest: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Coverage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coverage")
            .field("generation", &self.current.load().generation)
            .finish()
    }
}

impl Coverage {
    /// Holds a given snapshot (e.g. one built as of a past day, for a report).
    pub fn from_snapshot(snap: Snapshot) -> Coverage {
        Coverage {
            current: ArcSwap::from_pointee(snap),
            rebuild_lock: tokio::sync::Mutex::new(()),
            persisted: Arc::default(),
        }
    }

    /// The current snapshot; cheap, never blocks.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Serialises rebuilds: the holder of the guard is the only one to build and swap.
    pub async fn lock_rebuild(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.rebuild_lock.lock().await
    }

    /// Builds a snapshot of `raw` as of today that continues `old` and makes it the current one;
    /// the caller holds [`Coverage::lock_rebuild`].
    pub fn swap(&self, old: &Snapshot, raw: RawData, started: Instant) -> Arc<Snapshot> {
        let mut snap = Snapshot::build(old.generation + 1, raw, today());
        snap.continue_from(old);
        snap.build_duration = started.elapsed();
        let snap = Arc::new(snap);
        self.current.store(snap.clone());
        tracing::debug!(
            generation = snap.generation,
            data_version = snap.data_version,
            ms = snap.build_duration.as_secs_f64() * 1e3,
            "snapshot rebuilt"
        );
        snap
    }
}
