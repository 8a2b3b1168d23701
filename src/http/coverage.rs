//! `GET /api/v1/coverage?level=…[&as_of=DATE][&format=csv]`: one flat row per unit with the
//! engine's figures (Grafana's Infinity datasource reads it as a table), today's or as of a date.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::params::{kreis_index, table, ApiQuery, Download};
use super::query::{AllOr, Day, KreisFilter, Level, TableFormat};
use super::{AppState, Routes};

use crate::coverage::figure::{Figure, FigureValue};
use crate::coverage::figures::UnitFigures;
use crate::coverage::raw::{RawData, Unit, UnitLevel};

use crate::http::error::ApiError;
use crate::model::column::{common, Column};

pub(super) fn router() -> Routes {
    Routes::new().route("/api/v1/coverage", get(coverage))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct Params {
    /// land (default), regierungsbezirk, kreis, gemeinde, verband (Gemeindeverwaltungsverbände
    /// and vereinbarte Verwaltungsgemeinschaften of two or more Gemeinden) or groessenklasse.
    #[param(inline)]
    level: Option<Level>,
    /// Figures as of this day (YYYY-MM-DD), default today.
    #[param(inline)]
    as_of: Option<Day>,
    /// Only what lies in this Kreis or contains it (5-digit key; `.*` or empty: all): its
    /// Gemeinden at level gemeinde, its Verbände at level verband, the Kreis at level kreis,
    /// its Regierungsbezirk and Land; no size class.
    #[param(inline)]
    kreis: Option<KreisFilter>,
    /// json (default), csv (for programs), xlsx (Excel workbook) or csv-de (German CSV: `;`,
    /// decimal comma, German headers, UTF-8 with BOM).
    #[param(inline)]
    format: Option<TableFormat>,
}

/// One unit's figures as a flat row: the identity columns, then every figure of the catalogue
/// (`Figure::ALL`, in its order). The JSON, CSV, csv-de and XLSX of `/api/v1/coverage`, the
/// GeoJSON properties and the OpenAPI schema are all written from `CoverageRow::columns`.
#[derive(Debug, Clone)]
pub(super) struct CoverageRow {
    pub level: &'static str,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub parent: String,
    pub as_of: String,
    pub demo: bool,
    /// The value of each figure of `Figure::ALL`, in that order.
    figures: Vec<FigureValue>,
}

/// The columns before the figures.
const IDENTITY: [Column; 7] = [
    common::LEVEL,
    common::KEY,
    common::NAME,
    common::KIND,
    common::PARENT,
    common::AS_OF,
    common::DEMO,
];

#[utoipa::path(get, path = "/api/v1/coverage", params(Params), tag = "coverage",
    responses((status = 200, description = "One row per unit of the level", content((Vec<CoverageRow> = "application/json"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, description = "Bad parameter", body = super::error::ErrorBody),
              (status = 404, description = "Unknown Kreis", body = super::error::ErrorBody)))]
pub(super) async fn coverage(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let level = p.level.unwrap_or_default().unit_level();
    let snap = state.coverage.snapshot();
    let day = p.as_of.and_then(|d| d.0).unwrap_or(snap.current.as_of);
    let figures = snap.as_of(day);
    let raw = &snap.raw;
    let kreis = match p.kreis.clone().unwrap_or_default() {
        AllOr::All => None,
        AllOr::One(key) => {
            let pos = kreis_index(raw, &key)?;
            Some((key, raw.units[raw.kreise[pos]].parent.clone()))
        }
    };
    // The units that lie in the Kreis or contain it; size classes span the Land and do not.
    let in_kreis = |u: &Unit| {
        kreis.as_ref().is_none_or(|(k, rb)| match u.level {
            UnitLevel::Gemeinde | UnitLevel::Verband => u.parent.as_deref() == Some(k.as_str()),
            UnitLevel::Kreis => u.key == k.as_str(),
            UnitLevel::Regierungsbezirk => rb.as_deref() == Some(u.key.as_str()),
            UnitLevel::Land => k.as_str().starts_with(u.key.as_str()),
            UnitLevel::Groessenklasse => false,
        })
    };
    let rows = raw
        .units
        .iter()
        .zip(&figures.units)
        .filter(|(u, _)| u.level == level && in_kreis(u))
        .map(|(u, f)| CoverageRow::of(raw, u, f, figures.as_of))
        .collect::<Vec<_>>();
    let name = match &kreis {
        Some((k, _)) => format!("abdeckung-{}-{k}", level.as_str()),
        None => format!("abdeckung-{}", level.as_str()),
    };
    let download = Download::of(name, &snap, figures.as_of, "/api/v1/coverage");
    table(
        rows,
        &CoverageRow::columns(),
        p.format.unwrap_or_default(),
        &download,
    )
}

impl CoverageRow {
    /// The row of one unit from its figures.
    pub(super) fn of(
        raw: &RawData,
        u: &Unit,
        f: &UnitFigures,
        as_of: chrono::NaiveDate,
    ) -> CoverageRow {
        CoverageRow {
            level: u.level.as_str(),
            key: u.key.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
            parent: u.parent.clone().unwrap_or_default(),
            as_of: as_of.format("%Y-%m-%d").to_string(),
            demo: raw.demo,
            figures: Figure::ALL.iter().map(|fig| fig.of(u, f)).collect(),
        }
    }

    /// Every column of the row, in order.
    pub(super) fn columns() -> Vec<Column> {
        IDENTITY
            .into_iter()
            .chain(Figure::ALL.iter().map(|f| f.column()))
            .collect()
    }

    /// The value of one figure.
    pub(super) fn value(&self, figure: Figure) -> FigureValue {
        let i = Figure::ALL
            .iter()
            .position(|f| *f == figure)
            .expect("every figure is in Figure::ALL");
        self.figures[i]
    }
}

impl Serialize for CoverageRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(IDENTITY.len() + self.figures.len()))?;
        m.serialize_entry(common::LEVEL.name, self.level)?;
        m.serialize_entry(common::KEY.name, &self.key)?;
        m.serialize_entry(common::NAME.name, &self.name)?;
        m.serialize_entry(common::KIND.name, &self.kind)?;
        m.serialize_entry(common::PARENT.name, &self.parent)?;
        m.serialize_entry(common::AS_OF.name, &self.as_of)?;
        m.serialize_entry(common::DEMO.name, &self.demo)?;
        for (figure, value) in Figure::ALL.iter().zip(&self.figures) {
            match *value {
                FigureValue::Count(v) => m.serialize_entry(figure.name(), &v)?,
                FigureValue::Measure(v) => m.serialize_entry(figure.name(), &v)?,
            }
        }
        m.end()
    }
}

impl utoipa::PartialSchema for CoverageRow {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        super::schema::object_of(
            "One unit's figures as a flat row; the names are the column names of the JSON and CSV.",
            &CoverageRow::columns(),
        )
    }
}

impl utoipa::ToSchema for CoverageRow {
    fn name() -> std::borrow::Cow<'static, str> {
        "CoverageRow".into()
    }
}
