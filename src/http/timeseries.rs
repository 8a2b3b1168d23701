//! `GET /api/v1/timeseries?metric=…&level=…&key=…&from=…&to=…&step=month`: one row per step end
//! (month, quarter or year; the last one is `to`) with the chosen figures as columns, computed
//! from the as-of figures of the snapshot. Without `key`, one row per unit and date (long format).

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

use super::params::DynColumn;
use super::params::{ApiQuery, Download, RowWriter};
use super::query::{
    Day, KreisFilter, Level, SeriesMetric, SeriesMetrics, Step, TableFormat, UnitKeyFilter,
};
use super::{AppState, Routes};
use crate::coverage::figure::Figure;
use crate::coverage::figures::AccountFigure;
use crate::coverage::raw::UnitLevel;
use crate::coverage::Snapshot;
use crate::http::error::ApiError;
use crate::model::calendar::project_start;
use crate::model::column::{common, ColumnKind};
use chrono::NaiveDate;

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/timeseries", get(timeseries))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// Comma-separated figures: any numeric column of `/api/v1/coverage` (default
    /// `administrations_with_lotse`), or `konten_<kontotyp>` (Land level only).
    #[param(inline)]
    metric: Option<SeriesMetrics>,
    /// land (default), regierungsbezirk, kreis, gemeinde, verband or groessenklasse.
    #[param(inline)]
    level: Option<Level>,
    /// The unit's key; without it (or `.*`), every unit of the level (long format).
    #[param(inline)]
    key: Option<UnitKeyFilter>,
    /// Without a key: only what lies in this Kreis or contains it (5-digit key; `.*` or empty:
    /// all): its Gemeinden at level gemeinde, the Kreis at level kreis, its Regierungsbezirk and
    /// Land; still one row per unit and date (Grafana's Kreis filter).
    #[param(inline)]
    kreis: Option<KreisFilter>,
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
    format: Option<TableFormat>,
}

/// Most dates × units one request may ask for.
const MAX_CELLS: usize = 500_000;
/// Most dates in one series.
const MAX_DATES: usize = crate::model::calendar::MAX_STEPS;

/// The column of a series' metric: a figure's declared one, or the accounts of a type.
fn column(metric: &SeriesMetric) -> DynColumn {
    match metric {
        SeriesMetric::Figure(f) => DynColumn::from(&f.column()),
        SeriesMetric::Accounts(t) => DynColumn {
            name: metric.name(),
            header: match t.as_str() {
                "buerger" => Figure::AccountsBuerger.column().header.to_string(),
                "organisation" => Figure::AccountsOrganisation.column().header.to_string(),
                other => format!("service-bw-Konten ({other})"),
            },
            kind: ColumnKind::Integer,
        },
    }
}

/// The `metric` list (default `administrations_with_lotse`), the accounts checked against the
/// level and the imported account types.
fn checked_metrics(
    metrics: Option<&SeriesMetrics>,
    level: UnitLevel,
    snap: &Snapshot,
) -> Result<Vec<SeriesMetric>, ApiError> {
    let metrics = match metrics {
        Some(m) if !m.0.is_empty() => m.0.clone(),
        _ => vec![SeriesMetric::Figure(Figure::AdministrationsWithLotse)],
    };
    for m in &metrics {
        if let SeriesMetric::Accounts(t) = m {
            if level != UnitLevel::Land {
                return Err(ApiError::BadRequest(format!(
                    "metric {:?} exists at level land only",
                    m.name()
                )));
            }
            if !snap.raw.accounts.iter().any(|a| &a.account_type == t) {
                return Err(ApiError::BadRequest(format!(
                    "metric {:?}: no accounts of type {t:?} were imported",
                    m.name()
                )));
            }
        }
    }
    Ok(metrics)
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
    // At most `max_heavy` series are computed at once. JSON and CSV are written as the rows
    // are made (a long-format series has up to MAX_CELLS rows; Germany's 1,203 Verbände
    // 116,000); a spreadsheet collects them.
    let answer = state.pools.heavy(move || {
        let columns = plan.columns();
        let mut out = RowWriter::new(&columns, format)?;
        plan.write(&snap, &columns, &mut out)?;
        out.finish(&columns, format, &download)
    });
    answer.await.unwrap_or_else(Ok)
}

/// What a request asks for, checked against the limits: the units, the step ends, the columns.
struct Plan {
    units: Vec<usize>,
    dates: Vec<NaiveDate>,
    metrics: Vec<SeriesMetric>,
    /// Without a key: one row per unit and date, with the unit's key and name.
    long: bool,
}

impl Plan {
    fn of(p: &Params, snap: &Snapshot) -> Result<Plan, ApiError> {
        let level = p.level.unwrap_or_default().unit_level();
        let metrics = checked_metrics(p.metric.as_ref(), level, snap)?;
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
        let key = match &p.key {
            Some(UnitKeyFilter::One(k)) => Some(k.as_str()),
            _ => None,
        };
        let kreis = p.kreis.as_ref().and_then(|k| k.one());
        // The Kreis, the units it lies in (Regierungsbezirk, Land) and its Gemeinden, as the
        // Kreis filter of `/api/v1/coverage`.
        let mut containing: Vec<&str> = Vec::new();
        if let Some(k) = kreis {
            let i = super::params::kreis_index(&snap.raw, k)?;
            let mut unit = Some(&snap.raw.units[snap.raw.kreise[i]]);
            while let Some(u) = unit {
                containing.push(u.key.as_str());
                unit = u.parent.as_deref().and_then(|parent| {
                    snap.raw
                        .units
                        .iter()
                        .find(|p| p.key == parent && p.level != u.level)
                });
            }
        }
        let in_kreis = |u: &crate::coverage::raw::Unit| {
            kreis.is_none_or(|k| {
                containing.contains(&u.key.as_str()) || u.parent.as_deref() == Some(k.as_str())
            })
        };
        let units: Vec<usize> = snap
            .raw
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.level == level && key.is_none_or(|k| u.key == k) && in_kreis(u))
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
        columns.extend(self.metrics.iter().map(column));
        columns
    }

    /// The rows into `out`, from the snapshot's figures of each step end (past days from one
    /// forward sweep, one day at a time).
    fn write(
        &self,
        snap: &Snapshot,
        columns: &[DynColumn],
        out: &mut RowWriter,
    ) -> Result<(), ApiError> {
        let mut failed = None;
        let local = self
            .units
            .iter()
            .any(|&u| snap.raw.units[u].level.is_local());
        snap.visit_days(&self.dates, local, |day, f| {
            let date = day.format("%Y-%m-%d").to_string();
            for &u in &self.units {
                let unit = &snap.raw.units[u];
                let mut row = Vec::with_capacity(3 + self.metrics.len());
                row.push(Value::from(date.as_str()));
                if self.long {
                    row.push(Value::from(unit.key.as_str()));
                    row.push(Value::from(unit.name.as_str()));
                }
                for m in &self.metrics {
                    row.push(match m {
                        SeriesMetric::Figure(figure) => f
                            .unit(u)
                            .map_or(Value::Null, |uf| figure.of(unit, uf).to_json()),
                        SeriesMetric::Accounts(t) => account_count(&f.accounts, t),
                    });
                }
                if failed.is_none() {
                    failed = out.push(columns, row).err();
                }
            }
        });
        failed.map_or(Ok(()), Err)
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
