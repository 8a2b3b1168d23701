//! Wall-clock helpers, in one place so that timestamps have one format everywhere.

/// The current UTC time as RFC 3339 with seconds, e.g. `2026-11-22T20:41:00Z`.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
