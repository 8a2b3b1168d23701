//! Past days' active cells from sorted event lists: activations ordered by the day they start
//! and by the day they end, swept forward once over the days of a time series, instead of
//! scanning every activation for every day.

use chrono::{Datelike, NaiveDate};

use super::counts::{ByKind, ByProgramme};
use super::figures::{add_lotse_count, lotse_tuples, LotseKey, OzgCounts};
use super::raw::RawData;

/// Activation events by day: the cells (administration × process, row-major) whose activations
/// start, and those whose activations end, on each day, as counting sorts over day numbers
/// (linear in the activations; a sweep then reads them in order and never the activations).
#[derive(Debug)]
pub(super) struct Events {
    starts: ByDay,
    ends: ByDay,
    /// The day each distinct Lotse first counts in a unit, kind and programme, by day.
    lotse_firsts: Vec<(NaiveDate, LotseKey)>,
}

/// Cells grouped by day: those of day `first + i` are `cells[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Default)]
struct ByDay {
    first: i32,
    offsets: Vec<u32>,
    cells: Vec<u32>,
}

fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

impl ByDay {
    /// `events` (day number, cell) grouped by day.
    fn of(events: impl Iterator<Item = (i32, u32)> + Clone) -> ByDay {
        let Some((first, last)) = events.clone().fold(None, |range, (d, _)| match range {
            None => Some((d, d)),
            Some((lo, hi)) => Some((d.min(lo), d.max(hi))),
        }) else {
            return ByDay::default();
        };
        let mut offsets = vec![0u32; (last - first) as usize + 2];
        for (d, _) in events.clone() {
            offsets[(d - first) as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next = offsets.clone();
        let mut cells = vec![0u32; offsets[offsets.len() - 1] as usize];
        for (d, cell) in events {
            let slot = &mut next[(d - first) as usize];
            cells[*slot as usize] = cell;
            *slot += 1;
        }
        ByDay {
            first,
            offsets,
            cells,
        }
    }

    /// The end (exclusive) in `cells` of the events on or before day number `d`.
    fn end_of(&self, d: i32) -> usize {
        if self.offsets.is_empty() || d < self.first {
            return 0;
        }
        let i = ((d - self.first) as usize + 1).min(self.offsets.len() - 1);
        self.offsets[i] as usize
    }
}

impl Events {
    pub(super) fn of(raw: &RawData) -> Events {
        let n_proc = raw.processes.len() as u32;
        let cell = |a: &crate::coverage::raw::Activation| a.admin * n_proc + a.process;
        let acts = &raw.activations;
        let mut firsts = lotse_tuples(raw, |_| true);
        firsts.sort_unstable_by_key(|&(day, key)| (key, day));
        firsts.dedup_by_key(|t| t.1);
        firsts.sort_unstable();
        Events {
            starts: ByDay::of(acts.iter().map(|a| (day_number(a.from), cell(a)))),
            ends: ByDay::of(
                acts.iter()
                    .filter_map(|a| a.until.map(|u| (day_number(u), cell(a)))),
            ),
            lotse_firsts: firsts,
        }
    }
}

/// Walks forward over days, keeping per cell the number of activations running and the OZG
/// counts of the cells that run; each step touches only the cells that change.
#[derive(Debug)]
pub(super) struct Sweep<'a> {
    raw: &'a RawData,
    events: &'a Events,
    running: Vec<u8>,
    counts: OzgCounts,
    /// Distinct Lotsen per unit so far.
    lotsen: Vec<ByKind<ByProgramme<u32>>>,
    next_start: usize,
    next_end: usize,
    next_lotse: usize,
}

impl<'a> Sweep<'a> {
    pub(super) fn new(raw: &'a RawData, events: &'a Events) -> Sweep<'a> {
        Sweep {
            raw,
            events,
            running: vec![0; raw.admins.len() * raw.processes.len()],
            counts: OzgCounts::new(raw),
            lotsen: vec![ByKind::default(); raw.units.len()],
            next_start: 0,
            next_end: 0,
            next_lotse: 0,
        }
    }

    /// Moves to the end of `day` (as `Activation::active_on`: started on or before it, not
    /// ended on or before it). Days must not decrease from call to call. `None` if more than
    /// 255 activations of one cell overlap (then the caller scans instead; a cell is one
    /// administration and process, so one byte per cell suffices for real data).
    pub(super) fn advance(&mut self, day: NaiveDate) -> Option<()> {
        let d = day_number(day);
        let n_proc = self.raw.processes.len();
        let events = self.events;
        let until = events.starts.end_of(d).max(self.next_start);
        for &c in &events.starts.cells[self.next_start..until] {
            let c = c as usize;
            self.running[c] = self.running[c].checked_add(1)?;
            if self.running[c] == 1 {
                self.counts.switch(self.raw, c / n_proc, c % n_proc, true);
            }
            self.next_start += 1;
        }
        let until = events.ends.end_of(d).max(self.next_end);
        for &c in &events.ends.cells[self.next_end..until] {
            let c = c as usize;
            if self.running[c] > 0 {
                self.running[c] -= 1;
                if self.running[c] == 0 {
                    self.counts.switch(self.raw, c / n_proc, c % n_proc, false);
                }
            }
        }
        self.next_end = until;
        while let Some(&(first, key)) = self.events.lotse_firsts.get(self.next_lotse) {
            if first > day {
                break;
            }
            add_lotse_count(&mut self.lotsen[key.0 as usize], key, 1);
            self.next_lotse += 1;
        }
        Some(())
    }

    /// Distinct Lotsen per unit at the day of the last [`Sweep::advance`].
    pub(super) fn lotsen(&self) -> &[ByKind<ByProgramme<u32>>] {
        &self.lotsen
    }

    /// The OZG counts at the day of the last [`Sweep::advance`].
    pub(super) fn counts(&self) -> &OzgCounts {
        &self.counts
    }

    /// The active cells at the day of the last [`Sweep::advance`].
    #[cfg(test)]
    pub(super) fn active(&self) -> Vec<bool> {
        self.running.iter().map(|&n| n > 0).collect()
    }
}
