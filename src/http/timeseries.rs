//! `GET /api/v1/timeseries?metric=…&level=…&key=…&from=…&to=…&step=month`: one row per step end
//! (month, quarter or year; the last one is `to`) with the chosen figures as columns, computed
//! from the as-of figures of the snapshot. Without `key`, one row per unit and date (long format).

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use super::coverage::CoverageRow;
use super::params::{dynamic_table, filter, given, parse_date, parse_level, ApiQuery};
use super::AppState;
use crate::coverage::raw::UnitLevel;
use crate::error::ApiError;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/timeseries", get(timeseries))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct Params {
    /// Comma-separated figures: any numeric column of `/api/v1/coverage` (default
    /// `administrations_with_lotse`), or `konten_<kontotyp>` (Land level only).
    metric: Option<String>,
    /// land (default), regierungsbezirk, kreis, gemeinde or groessenklasse.
    #[param(pattern = "^(land|regierungsbezirk|kreis|gemeinde|groessenklasse)?$")]
    level: Option<String>,
    /// The unit's key; without it (or `.*`), every unit of the level (long format).
    key: Option<String>,
    /// First day (YYYY-MM-DD), default 2018-11-01 (Projektstart).
    #[param(format = Date)]
    from: Option<String>,
    /// Last day (YYYY-MM-DD), default today.
    #[param(format = Date)]
    to: Option<String>,
    /// month (default), quarter or year.
    #[param(pattern = "^(month|quarter|year)?$")]
    step: Option<String>,
    /// json (default) or csv.
    #[param(pattern = "^(json|csv)?$")]
    format: Option<String>,
}

/// The first day of the programme; the default start of every series.
/// Most dates × units one request may ask for.
const MAX_CELLS: usize = 500_000;
/// Most dates in one series.
const MAX_DATES: usize = crate::model::calendar::MAX_STEPS;

/// Numeric columns of `/api/v1/coverage` that make a series.
pub(super) const METRICS: [&str; 27] = [
    "population",
    "administrations",
    "gemeinden",
    "landratsaemter",
    "administrations_with_lotse",
    "administrations_with_basis",
    "administrations_with_aufbau",
    "gemeinden_with_lotse",
    "gemeinden_with_basis",
    "gemeinden_with_aufbau",
    "landratsaemter_with_lotse",
    "landratsaemter_with_basis",
    "landratsaemter_with_aufbau",
    "share_with_lotse",
    "lotsen",
    "lotsen_basis",
    "lotsen_aufbau",
    "lotsen_gemeinden",
    "lotsen_landratsaemter",
    "funding_basis_euros",
    "funding_aufbau_euros",
    "population_with_lotse",
    "gemeinden_with_process",
    "standard_processes_avg",
    "administrations_without_lotse",
    "accounts_buerger",
    "accounts_organisation",
];

pub(super) use crate::model::calendar::{step_ends, PROJECT_START};

#[utoipa::path(get, path = "/api/v1/timeseries", params(Params), tag = "coverage",
    responses((status = 200, description = "Rows of `date` (and `key`, `name` without a key) plus one column per metric", content((Vec<Object> = "application/json"), (String = "text/csv"))),
              (status = 400, description = "Bad parameter", body = super::openapi::ErrorBody),
              (status = 404, description = "Unknown unit", body = super::openapi::ErrorBody)))]
pub(super) async fn timeseries(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let level = parse_level(given(&p.level))?;
    let snap = state.coverage.snapshot();
    let metrics: Vec<String> = given(&p.metric)
        .unwrap_or("administrations_with_lotse")
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    if metrics.is_empty() {
        return Err(ApiError::BadRequest("metric is empty".into()));
    }
    for m in &metrics {
        let account = m.strip_prefix("konten_");
        match account {
            Some(_) if level != UnitLevel::Land => {
                return Err(ApiError::BadRequest(format!(
                    "metric {m:?} exists at level land only"
                )))
            }
            Some(t) if !snap.raw.accounts.iter().any(|a| a.account_type == t) => {
                return Err(ApiError::BadRequest(format!(
                    "metric {m:?}: no accounts of type {t:?} were imported"
                )))
            }
            Some(_) => {}
            None if METRICS.contains(&m.as_str()) => {}
            None => {
                return Err(ApiError::BadRequest(format!(
                    "unknown metric {m:?}: use {} or konten_<kontotyp>",
                    METRICS.join(", ")
                )))
            }
        }
    }
    let today = snap.current.as_of;
    let to = match given(&p.to) {
        Some(v) => parse_date("to", v)?,
        None => today,
    };
    // Without `from`, from the Projektstart (or `to`, if that is earlier).
    let from = match given(&p.from) {
        Some(v) => parse_date("from", v)?,
        None => parse_date("from", PROJECT_START)?.min(to),
    };
    if from > to {
        return Err(ApiError::BadRequest(format!(
            "from {from} is after to {to}"
        )));
    }
    let months = match given(&p.step).unwrap_or("month") {
        "month" => 1,
        "quarter" => 3,
        "year" => 12,
        s => {
            return Err(ApiError::BadRequest(format!(
                "unknown step {s:?}: use month, quarter or year"
            )))
        }
    };
    let dates = step_ends(from, to, months);
    if dates.len() > MAX_DATES {
        return Err(ApiError::BadRequest(format!(
            "{} to {} has more than {MAX_DATES} steps: choose a shorter range or a longer step",
            from, to
        )));
    }
    let units: Vec<usize> = snap
        .raw
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.level == level)
        .filter(|(_, u)| filter(&p.key).is_none_or(|k| u.key == k))
        .map(|(i, _)| i)
        .collect();
    if let (Some(k), true) = (filter(&p.key), units.is_empty()) {
        return Err(ApiError::NotFound(format!(
            "no unit with key {k:?} at level {}",
            level.as_str()
        )));
    }
    if units.len() * dates.len() > MAX_CELLS {
        return Err(ApiError::BadRequest(format!(
            "{} units × {} dates is too much for one request: give a key or a longer step",
            units.len(),
            dates.len()
        )));
    }
    let long = filter(&p.key).is_none();
    let format = p.format.clone();
    // At most `max_heavy` series are computed at once (a long-format series holds up to
    // MAX_CELLS rows while it is built).
    let rows = state.pools.heavy(move || {
        let mut rows = Vec::with_capacity(units.len() * dates.len());
        for (&day, f) in dates.iter().zip(snap.days_figures(&dates)) {
            for &u in &units {
                let unit = &snap.raw.units[u];
                let row = serde_json::to_value(CoverageRow::of(&snap.raw, unit, &f.units[u], day))
                    .unwrap_or(Value::Null);
                let mut out = vec![Value::from(day.format("%Y-%m-%d").to_string())];
                if long {
                    out.push(Value::from(unit.key.clone()));
                    out.push(Value::from(unit.name.clone()));
                }
                for m in &metrics {
                    out.push(metric_value(&row, &f.accounts, m));
                }
                rows.push(out);
            }
        }
        (rows, metrics)
    });
    let (rows, metrics) = match rows.await {
        Ok(rows) => rows,
        Err(busy) => return Ok(busy),
    };
    let mut columns = vec!["date".to_string()];
    if long {
        columns.push("key".into());
        columns.push("name".into());
    }
    columns.extend(metrics);
    dynamic_table(&columns, rows, format.as_deref())
}

fn metric_value(
    row: &Value,
    accounts: &[crate::coverage::figures::AccountFigure],
    m: &str,
) -> Value {
    if let Some(t) = m.strip_prefix("konten_") {
        return accounts
            .iter()
            .find(|a| a.account_type == t)
            .map(|a| Value::from(a.count))
            .unwrap_or(Value::from(0));
    }
    row.get(m).cloned().unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn steps_end_at_month_ends_and_at_to() {
        let e = step_ends(d("2019-01-15"), d("2019-03-10"), 1);
        assert_eq!(e, vec![d("2019-01-31"), d("2019-02-28"), d("2019-03-10")]);
        let q = step_ends(d("2019-02-01"), d("2019-12-31"), 3);
        assert_eq!(
            q,
            vec![
                d("2019-03-31"),
                d("2019-06-30"),
                d("2019-09-30"),
                d("2019-12-31")
            ]
        );
        assert_eq!(
            step_ends(d("2020-01-01"), d("2020-01-01"), 12),
            vec![d("2020-01-01")]
        );
    }
}
