//! `GET /api/v1/timeseries?metric=…&level=…&key=…&from=…&to=…&step=month`: one row per step end
//! (month, quarter or year; the last one is `to`) with the chosen figures as columns, computed
//! from the as-of figures of the snapshot. Without `key`, one row per unit and date (long format).

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use super::params::DynColumn;
use super::params::{dynamic_table, filter, given, ApiQuery, Download};
use super::query::{Day, Format, Level, Step};
use super::AppState;
use crate::coverage::figure::Figure;
use crate::coverage::figures::AccountFigure;
use crate::coverage::raw::UnitLevel;
use crate::coverage::Snapshot;
use crate::http::error::ApiError;
use crate::model::calendar::project_start;
use crate::model::column::{common, ColumnKind};
use chrono::NaiveDate;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/timeseries", get(timeseries))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// Comma-separated figures: any numeric column of `/api/v1/coverage` (default
    /// `administrations_with_lotse`), or `konten_<kontotyp>` (Land level only).
    metric: Option<String>,
    /// land (default), regierungsbezirk, kreis, gemeinde or groessenklasse.
    #[param(inline)]
    level: Option<Level>,
    /// The unit's key; without it (or `.*`), every unit of the level (long format).
    key: Option<String>,
    /// First day (YYYY-MM-DD), default 2018-11-01 (Projektstart).
    #[param(inline)]
    from: Option<Day>,
    /// Last day (YYYY-MM-DD), default today.
    #[param(inline)]
    to: Option<Day>,
    /// month (default), quarter or year.
    #[param(inline)]
    step: Option<Step>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<Format>,
}

/// Most dates × units one request may ask for.
const MAX_CELLS: usize = 500_000;
/// Most dates in one series.
const MAX_DATES: usize = crate::model::calendar::MAX_STEPS;

/// One column of a series: a unit figure, or (Land level) the accounts of a type.
#[derive(Debug, Clone, PartialEq)]
enum Metric {
    Figure(Figure),
    Accounts(String),
}

impl Metric {
    fn name(&self) -> String {
        match self {
            Metric::Figure(f) => f.name().to_string(),
            Metric::Accounts(t) => format!("konten_{t}"),
        }
    }

    /// The column of the metric: a figure's declared one, or the accounts of a type.
    fn column(&self) -> DynColumn {
        match self {
            Metric::Figure(f) => DynColumn::from(&f.column()),
            Metric::Accounts(t) => DynColumn {
                name: self.name(),
                header: match t.as_str() {
                    "buerger" => Figure::AccountsBuerger.column().header.to_string(),
                    "organisation" => Figure::AccountsOrganisation.column().header.to_string(),
                    other => format!("service-bw-Konten ({other})"),
                },
                kind: ColumnKind::Integer,
            },
        }
    }
}

/// The `metric` list, each checked against the level and the imported account types.
fn parse_metrics(
    text: Option<&str>,
    level: UnitLevel,
    snap: &Snapshot,
) -> Result<Vec<Metric>, ApiError> {
    let names: Vec<&str> = text
        .unwrap_or("administrations_with_lotse")
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    if names.is_empty() {
        return Err(ApiError::BadRequest("metric is empty".into()));
    }
    names
        .into_iter()
        .map(|m| match m.strip_prefix("konten_") {
            Some(_) if level != UnitLevel::Land => Err(ApiError::BadRequest(format!(
                "metric {m:?} exists at level land only"
            ))),
            Some(t) if !snap.raw.accounts.iter().any(|a| a.account_type == t) => {
                Err(ApiError::BadRequest(format!(
                    "metric {m:?}: no accounts of type {t:?} were imported"
                )))
            }
            Some(t) => Ok(Metric::Accounts(t.to_string())),
            None => Figure::parse(m).map(Metric::Figure).ok_or_else(|| {
                let all: Vec<&str> = Figure::ALL.iter().map(|f| f.name()).collect();
                ApiError::BadRequest(format!(
                    "unknown metric {m:?}: use {} or konten_<kontotyp>",
                    all.join(", ")
                ))
            }),
        })
        .collect()
}

use crate::model::calendar::step_ends;

#[utoipa::path(get, path = "/api/v1/timeseries", params(Params), tag = "coverage",
    responses((status = 200, description = "Rows of `date` (and `key`, `name` without a key) plus one column per metric", content((Vec<Object> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown unit", body = super::error::ErrorBody)))]
pub(super) async fn timeseries(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let snap = state.coverage.snapshot();
    let plan = Plan::of(&p, &snap)?;
    let format = p.format.unwrap_or_default();
    let to = plan.dates.last().copied().unwrap_or(snap.current.as_of);
    let download = Download::of("zeitreihe", &snap, to, "/api/v1/timeseries");
    // At most `max_heavy` series are computed at once (a long-format series holds up to
    // MAX_CELLS rows while it is built).
    let rows = state.pools.heavy(move || {
        let rows = plan.rows(&snap);
        (rows, plan)
    });
    let (rows, plan) = match rows.await {
        Ok(rows) => rows,
        Err(busy) => return Ok(busy),
    };
    dynamic_table(&plan.columns(), rows, format, &download)
}

/// What a request asks for, checked against the limits: the units, the step ends, the columns.
struct Plan {
    units: Vec<usize>,
    dates: Vec<NaiveDate>,
    metrics: Vec<Metric>,
    /// Without a key: one row per unit and date, with the unit's key and name.
    long: bool,
}

impl Plan {
    fn of(p: &Params, snap: &Snapshot) -> Result<Plan, ApiError> {
        let level = p.level.unwrap_or_default().unit_level();
        let metrics = parse_metrics(given(&p.metric), level, snap)?;
        let to = p.to.and_then(|d| d.0).unwrap_or(snap.current.as_of);
        // Without `from`, from the Projektstart (or `to`, if that is earlier).
        let from = p.from.and_then(|d| d.0).unwrap_or(project_start().min(to));
        if from > to {
            return Err(ApiError::BadRequest(format!(
                "from {from} is after to {to}"
            )));
        }
        let dates = step_ends(from, to, p.step.unwrap_or_default().months());
        if dates.len() > MAX_DATES {
            return Err(ApiError::BadRequest(format!(
                "{from} to {to} has more than {MAX_DATES} steps: choose a shorter range or a longer step"
            )));
        }
        let key = filter(&p.key);
        let units: Vec<usize> = snap
            .raw
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.level == level && key.is_none_or(|k| u.key == k))
            .map(|(i, _)| i)
            .collect();
        if let (Some(k), true) = (key, units.is_empty()) {
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
        Ok(Plan {
            units,
            dates,
            metrics,
            long: key.is_none(),
        })
    }

    fn columns(&self) -> Vec<DynColumn> {
        let mut columns = vec![DynColumn::from(&common::DATE)];
        if self.long {
            columns.push(DynColumn::from(&common::KEY));
            columns.push(DynColumn::from(&common::NAME));
        }
        columns.extend(self.metrics.iter().map(Metric::column));
        columns
    }

    /// The rows, from the snapshot's figures of each step end (past days from one forward sweep).
    fn rows(&self, snap: &Snapshot) -> Vec<Vec<Value>> {
        let mut rows = Vec::with_capacity(self.units.len() * self.dates.len());
        for (&day, f) in self.dates.iter().zip(snap.days_figures(&self.dates)) {
            for &u in &self.units {
                let unit = &snap.raw.units[u];
                let mut out = vec![Value::from(day.format("%Y-%m-%d").to_string())];
                if self.long {
                    out.push(Value::from(unit.key.clone()));
                    out.push(Value::from(unit.name.clone()));
                }
                for m in &self.metrics {
                    out.push(match m {
                        Metric::Figure(figure) => figure.of(unit, &f.units[u]).to_json(),
                        Metric::Accounts(t) => account_count(&f.accounts, t),
                    });
                }
                rows.push(out);
            }
        }
        rows
    }
}

/// The Land's account count of a type on a day (0 before the first Stichtag).
fn account_count(accounts: &[AccountFigure], account_type: &str) -> Value {
    let count = accounts
        .iter()
        .find(|a| a.account_type == account_type)
        .map_or(0, |a| a.count);
    Value::from(count)
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
