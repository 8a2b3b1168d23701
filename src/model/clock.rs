//! The wall clock, in one place: today's date, Unix seconds and RFC 3339 timestamps, so that
//! every layer reads the time the same way and timestamps have one format everywhere.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;

/// Today in UTC: the day a snapshot's current figures are for.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Seconds since the Unix epoch, as a float (0 if the clock is before 1970).
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The current UTC time as RFC 3339 with seconds, e.g. `2026-11-22T20:41:00Z`.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Nanoseconds since the Unix epoch (0 if the clock is before 1970), e.g. to seed an id.
pub fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
