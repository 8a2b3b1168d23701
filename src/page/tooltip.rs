//! What a map's tooltip shows of a region: the few properties a reader looks at, named and
//! written as the pages write them (`properties=tooltip` of the GeoJSON layers, which Grafana's
//! map panels show on hover). Counts a map is coloured by stay numbers.

use serde_json::{Map, Value};

use crate::coverage::figure::Figure;
use crate::coverage::figures::{lotse_class, lotse_words};
use crate::coverage::raw::UnitLevel;
use crate::coverage::snapshot::Snapshot;
use crate::format::{num, pct};

/// The tooltip properties of unit `u` (a Gemeinde with its administration `admin`, a Kreis or a
/// Land).
pub fn properties(snap: &Snapshot, u: usize, admin: Option<usize>) -> Map<String, Value> {
    let (raw, f) = (&snap.raw, &snap.current);
    let unit = &raw.units[u];
    let figures = &f.units[u];
    let mut props = Map::new();
    let mut put = |k: &str, v: Value| {
        props.insert(k.to_string(), v);
    };
    match (unit.level, admin) {
        (UnitLevel::Gemeinde, Some(i)) => {
            let kreis = &raw.units[raw.kreise[raw.admins[i].kreis]];
            put("Gemeinde", unit.name.clone().into());
            put("Kreis", kreis.name.clone().into());
            put(
                Figure::Population.column().header,
                num(unit.population).into(),
            );
            put(
                "Digitallotse",
                lotse_words(lotse_class(f.admin_lotsen[i])).into(),
            );
            put("Aktive Standardprozesse", f.admin_ozg[i].standard.into());
            put("Aktive Universalprozesse", f.admin_ozg[i].universal.into());
        }
        (level, _) => {
            let name = match level {
                UnitLevel::Land => "Land",
                UnitLevel::Kreis => "Kreis",
                _ => "Gebiet",
            };
            let value = |figure: Figure| figure.of(unit, figures).as_f64();
            put(name, unit.name.clone().into());
            put(
                Figure::Population.column().header,
                num(unit.population).into(),
            );
            put(
                Figure::AdministrationsWithLotse.column().header,
                format!(
                    "{} von {}",
                    num(value(Figure::AdministrationsWithLotse) as i64),
                    num(value(Figure::Administrations) as i64)
                )
                .into(),
            );
            put(
                Figure::ShareWithLotse.column().header,
                pct(value(Figure::ShareWithLotse)).into(),
            );
        }
    }
    props
}
