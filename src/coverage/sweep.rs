//! Past days' active cells from sorted event lists: activations ordered by the day they start
//! and by the day they end, swept forward once over the days of a time series, instead of
//! scanning every activation for every day.

use chrono::{Datelike, NaiveDate};

use super::raw::RawData;

/// The activations' indices ordered by start day and, for those that end, by end day (counting
/// sorts over day numbers: linear in the activations).
#[derive(Debug)]
pub(super) struct Events {
    starts: Vec<u32>,
    ends: Vec<u32>,
}

fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// The indices of `days` (one optional day per activation) ordered by day.
fn ordered(days: impl Iterator<Item = Option<i32>> + Clone) -> Vec<u32> {
    let (Some(min), Some(max)) = (days.clone().flatten().min(), days.clone().flatten().max())
    else {
        return Vec::new();
    };
    let mut at = vec![0u32; (max - min) as usize + 2];
    for d in days.clone().flatten() {
        at[(d - min) as usize + 1] += 1;
    }
    for i in 1..at.len() {
        at[i] += at[i - 1];
    }
    let mut out = vec![0u32; at[at.len() - 1] as usize];
    for (i, d) in days.enumerate() {
        if let Some(d) = d {
            let slot = &mut at[(d - min) as usize];
            out[*slot as usize] = i as u32;
            *slot += 1;
        }
    }
    out
}

impl Events {
    pub(super) fn of(raw: &RawData) -> Events {
        let acts = &raw.activations;
        Events {
            starts: ordered(acts.iter().map(|a| Some(day_number(a.from)))),
            ends: ordered(acts.iter().map(|a| a.until.map(day_number))),
        }
    }
}

/// Walks forward over days, keeping per cell the number of activations running.
#[derive(Debug)]
pub(super) struct Sweep<'a> {
    raw: &'a RawData,
    events: &'a Events,
    running: Vec<u16>,
    next_start: usize,
    next_end: usize,
}

impl<'a> Sweep<'a> {
    pub(super) fn new(raw: &'a RawData, events: &'a Events) -> Sweep<'a> {
        Sweep {
            raw,
            events,
            running: vec![0; raw.admins.len() * raw.processes.len()],
            next_start: 0,
            next_end: 0,
        }
    }

    fn cell(&self, i: u32) -> usize {
        let a = &self.raw.activations[i as usize];
        a.admin as usize * self.raw.processes.len() + a.process as usize
    }

    /// The cells active at the end of `day` (as `Activation::active_on`): started on or before
    /// it, not ended on or before it. Days must not decrease from call to call. `None` if more
    /// than 65,535 activations of one cell overlap (then the caller scans instead).
    pub(super) fn active_on(&mut self, day: NaiveDate) -> Option<Vec<bool>> {
        let d = day_number(day);
        while let Some(&i) = self.events.starts.get(self.next_start) {
            if day_number(self.raw.activations[i as usize].from) > d {
                break;
            }
            let c = self.cell(i);
            self.running[c] = self.running[c].checked_add(1)?;
            self.next_start += 1;
        }
        while let Some(&i) = self.events.ends.get(self.next_end) {
            match self.raw.activations[i as usize].until {
                Some(u) if day_number(u) <= d => {}
                _ => break,
            }
            let c = self.cell(i);
            self.running[c] = self.running[c].saturating_sub(1);
            self.next_end += 1;
        }
        Some(self.running.iter().map(|&n| n > 0).collect())
    }
}
