//! One administration's history for its Steckbrief: its Lotsen and its active processes at each
//! of a list of days, counted from its own records as `compute` counts them for that day
//! (distinct participants by programme; a process is active when one of its activations is).

use chrono::NaiveDate;

use super::counts::ByProgramme;
use super::raw::{Art, RawData};

/// The administration on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPoint {
    pub date: NaiveDate,
    /// Distinct Lotsen qualified by then, by programme (`any`: all of them).
    pub lotsen: ByProgramme<u32>,
    /// Active Standardprozesse and Universalprozesse.
    pub standard: u32,
    pub universal: u32,
}

/// The history of administration `admin` at each of `days` (in the order given).
pub fn history(raw: &RawData, admin: usize, days: &[NaiveDate]) -> Vec<HistoryPoint> {
    let admin = admin as u32;
    let mut courses: Vec<_> = raw
        .qualifications
        .iter()
        .filter(|q| q.admin == admin)
        .map(|q| (q.participant, q.programme, q.completed_on))
        .collect();
    courses.sort_unstable();
    let activations: Vec<_> = raw
        .activations
        .iter()
        .filter(|a| a.admin == admin)
        .collect();
    let mut processes: Vec<u32> = Vec::new();
    days.iter()
        .map(|&day| {
            let mut lotsen = ByProgramme::default();
            let done = courses.iter().filter(|c| c.2 <= day);
            let mut last: Option<u32> = None;
            let mut seen: Vec<(u32, super::raw::Programme)> = Vec::new();
            for &(participant, programme, _) in done {
                if !seen.contains(&(participant, programme)) {
                    seen.push((participant, programme));
                    *lotsen.get_mut(Some(programme)) += 1;
                }
                if last != Some(participant) {
                    last = Some(participant);
                    lotsen.any += 1;
                }
            }
            processes.clear();
            processes.extend(
                activations
                    .iter()
                    .filter(|a| a.active_on(day))
                    .map(|a| a.process),
            );
            processes.sort_unstable();
            processes.dedup();
            let of = |art: Art| {
                processes
                    .iter()
                    .filter(|&&p| raw.processes[p as usize].art == art)
                    .count() as u32
            };
            HistoryPoint {
                date: day,
                lotsen,
                standard: of(Art::Standard),
                universal: of(Art::Universal),
            }
        })
        .collect()
}
