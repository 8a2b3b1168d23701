//! Days: the project start, ISO dates as stored, the ends of monthly/quarterly/yearly steps
//! (today's date is the wall clock's, `model::clock`).

use chrono::{Datelike, Days, Months, NaiveDate};

/// The Projektstart of the Digitallotsen programme: where time series and the progress chart begin.
pub const PROJECT_START: &str = "2018-11-01";

/// [`PROJECT_START`] as a day.
pub fn project_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 11, 1).unwrap_or_default()
}

/// Most step ends [`step_ends`] returns beyond which a series is refused (one more than this).
pub const MAX_STEPS: usize = 600;

/// A date as the import and the store write it (ISO `YYYY-MM-DD`), parsed by hand because it runs for every
/// record on every rebuild.
pub fn iso_date(value: &str) -> Option<NaiveDate> {
    let b = value.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// The ends of the steps from `from` to `to`: the last day of each month (quarter, year), `to`
/// for the last one. Stops after [`MAX_STEPS`] + 1 ends, so that a caller can refuse a range
/// that is too long without building it.
pub fn step_ends(from: NaiveDate, to: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let Some(mut start) = NaiveDate::from_ymd_opt(from.year(), from.month(), 1) else {
        return out;
    };
    if months > 1 {
        let m0 = (start.month0() / months) * months;
        start = NaiveDate::from_ymd_opt(start.year(), m0 + 1, 1).unwrap_or(start);
    }
    while start <= to && out.len() <= MAX_STEPS {
        let Some(next) = start.checked_add_months(Months::new(months)) else {
            break;
        };
        let end = next - Days::new(1);
        out.push(end.min(to));
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        iso_date(s).unwrap()
    }

    #[test]
    fn iso_dates_are_strict() {
        assert_eq!(iso_date("2021-06-30"), NaiveDate::from_ymd_opt(2021, 6, 30));
        for bad in ["2021-6-30", "2021-02-30", "20210630", "2021-06-3x", ""] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        assert_eq!(project_start(), d(PROJECT_START));
    }

    #[test]
    fn step_ends_close_months_quarters_and_years() {
        assert_eq!(
            step_ends(d("2021-01-15"), d("2021-03-10"), 1),
            [d("2021-01-31"), d("2021-02-28"), d("2021-03-10")]
        );
        assert_eq!(
            step_ends(d("2021-02-15"), d("2021-12-31"), 3),
            [
                d("2021-03-31"),
                d("2021-06-30"),
                d("2021-09-30"),
                d("2021-12-31")
            ]
        );
        assert_eq!(step_ends(d("2020-05-01"), d("2021-02-01"), 12).len(), 2);
        assert_eq!(
            step_ends(d("1900-01-01"), d("2100-01-01"), 1).len(),
            MAX_STEPS + 1
        );
    }
}
