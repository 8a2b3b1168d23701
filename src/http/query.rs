//! Typed query parameters. Every value a parameter may take is a Rust type, parsed once by serde
//! when the request arrives (a bad value is a JSON 400 naming it), and documented in the OpenAPI
//! document by the same type: the pattern is built from the type's values, so the document cannot
//! drift from the code. Empty values mean "not given", as they did when the parameters were text.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use crate::coverage::UnitLevel;
use crate::model::calendar::iso_date;
use crate::model::{Art, KeyError, KreisKey, RbKey};

/// A string schema with a pattern, as every typed parameter is documented.
fn string_schema(pattern: String) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .into()
}

/// Parses a trimmed query value with `parse`; the error message names the parameter's values.
fn from_text<'de, D: Deserializer<'de>, T>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    let text = <Cow<'de, str>>::deserialize(d)?;
    parse(text.trim()).map_err(serde::de::Error::custom)
}

/// A parameter with a fixed set of values: the enum, its text per value, what an empty value
/// means, serde and the OpenAPI schema `^(a|b|c)?$` (values in the order given). `default X`
/// names the listed value an empty one means; `empty X` adds a value `X` that only an empty (or
/// absent) parameter has.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident, $param:literal, default $default:ident,
     { $($variant:ident = $text:literal),+ $(,)? }) => {
        choice!(@enum $(#[$meta])* $name, $param, $default, [], { $($variant = $text),+ });
    };
    ($(#[$meta:meta])* $name:ident, $param:literal, empty $empty:ident,
     { $($variant:ident = $text:literal),+ $(,)? }) => {
        choice!(@enum $(#[$meta])* $name, $param, $empty, [$empty], { $($variant = $text),+ });
    };
    (@enum $(#[$meta:meta])* $name:ident, $param:literal, $default:ident, [$($extra:ident)?],
     { $($variant:ident = $text:literal),+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum $name {
            $($extra,)?
            $($variant),+
        }

        impl Default for $name {
            fn default() -> $name {
                $name::$default
            }
        }

        impl $name {
            /// The values a request may name, with their text.
            const VALUES: &'static [($name, &'static str)] = &[$(($name::$variant, $text)),+];

            pub(crate) fn parse(text: &str) -> Result<$name, String> {
                if text.is_empty() {
                    return Ok($name::default());
                }
                $name::VALUES
                    .iter()
                    .find(|(_, t)| *t == text)
                    .map(|(v, _)| *v)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::VALUES.iter().map(|(_, t)| *t).collect();
                        format!("unknown {} {text:?}: use {}", $param, names.join(", "))
                    })
            }

            fn pattern() -> String {
                let names: Vec<&str> = $name::VALUES.iter().map(|(_, t)| *t).collect();
                format!("^({})?$", names.join("|"))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                from_text(d, $name::parse)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                string_schema($name::pattern())
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

choice!(
    /// `format`: JSON (default), CSV (for programs), XLSX or German CSV (for Excel).
    TableFormat, "format", default Json, {
        Json = "json",
        Csv = "csv",
        Xlsx = "xlsx",
        CsvDe = "csv-de",
    }
);

choice!(
    /// `format` of a chart: PNG (default) or SVG.
    ImageFormat, "format", default Png, { Png = "png", Svg = "svg" }
);

impl ImageFormat {
    pub(crate) fn format(self) -> crate::charts::Encoding {
        match self {
            ImageFormat::Png => crate::charts::Encoding::Png,
            ImageFormat::Svg => crate::charts::Encoding::Svg,
        }
    }
}

choice!(
    /// `level` of `/api/v1/coverage` and `/api/v1/timeseries` (default: the Land).
    Level, "level", default Land, {
        Land = "land",
        Regierungsbezirk = "regierungsbezirk",
        Kreis = "kreis",
        Gemeinde = "gemeinde",
        Verband = "verband",
        Groessenklasse = "groessenklasse",
    }
);

impl Level {
    pub(crate) fn unit_level(self) -> UnitLevel {
        match self {
            Level::Land => UnitLevel::Land,
            Level::Regierungsbezirk => UnitLevel::Regierungsbezirk,
            Level::Kreis => UnitLevel::Kreis,
            Level::Gemeinde => UnitLevel::Gemeinde,
            Level::Verband => UnitLevel::Verband,
            Level::Groessenklasse => UnitLevel::Groessenklasse,
        }
    }
}

choice!(
    /// `level` of `/api/v1/regions` (default: the Gemeinden).
    RegionLevel, "level", default Gemeinde, {
        Land = "land",
        Regierungsbezirk = "regierungsbezirk",
        Kreis = "kreis",
        Gemeinde = "gemeinde",
    }
);

impl RegionLevel {
    pub(crate) fn level(self) -> crate::registry::Level {
        use crate::registry::Level;
        match self {
            RegionLevel::Land => Level::Land,
            RegionLevel::Regierungsbezirk => Level::Regierungsbezirk,
            RegionLevel::Kreis => Level::Kreis,
            RegionLevel::Gemeinde => Level::Gemeinde,
        }
    }
}

choice!(
    /// `step` of a time series (default: month ends).
    Step, "step", default Month, { Month = "month", Quarter = "quarter", Year = "year" }
);

impl Step {
    /// Months per step.
    pub(crate) fn months(self) -> u32 {
        match self {
            Step::Month => 1,
            Step::Quarter => 3,
            Step::Year => 12,
        }
    }
}

choice!(
    /// `art` of `/api/v1/ozg/…`: both arts (default), Standard- or Universalprozesse.
    ArtFilter, "art", empty Any, { Standard = "standard", Universal = "universal" }
);

impl ArtFilter {
    /// The process art it selects, `None` for both.
    pub(crate) fn art(self) -> Option<Art> {
        match self {
            ArtFilter::Any => None,
            ArtFilter::Standard => Some(Art::Standard),
            ArtFilter::Universal => Some(Art::Universal),
        }
    }
}

choice!(
    /// `art` of `/api/v1/outreach`: both kinds (default), only Gemeinden or only Landratsämter.
    KindFilter, "art", empty Any, { Gemeinde = "gemeinde", Landratsamt = "landratsamt" }
);

choice!(
    /// `verband` of `/api/v1/outreach`: every administration lacking it (default, each marked
    /// `ueber_verband`), or without the Gemeinden reachable through a Verband partner's Lotse.
    VerbandFilter, "verband", default Alle, { Alle = "alle", OhneErreichbare = "ohne-erreichbare" }
);

impl KindFilter {
    /// Whether an administration of `kind` is selected.
    pub(crate) fn selects(self, kind: crate::model::AdminKind) -> bool {
        use crate::model::AdminKind;
        match self {
            KindFilter::Any => true,
            KindFilter::Gemeinde => kind == AdminKind::Gemeinde,
            KindFilter::Landratsamt => kind == AdminKind::Landratsamt,
        }
    }
}

choice!(
    /// `view` of `/api/v1/analysis/lotsen-ozg`: within size classes (default) or around the
    /// first Lotse.
    AnalysisView, "view", default Groessenklassen, {
        Groessenklassen = "groessenklassen",
        VorherNachher = "vorher-nachher",
    }
);

choice!(
    /// `level` of `/api/v1/onlinedienste/flaechendeckung`: the areas a service's reach is
    /// measured in (default: the Kreise).
    AreaLevel, "level", default Kreis, {
        Kreis = "kreis",
        Regierungsbezirk = "regierungsbezirk",
        Land = "land",
    }
);

impl AreaLevel {
    pub(crate) fn unit_level(self) -> UnitLevel {
        match self {
            AreaLevel::Kreis => UnitLevel::Kreis,
            AreaLevel::Regierungsbezirk => UnitLevel::Regierungsbezirk,
            AreaLevel::Land => UnitLevel::Land,
        }
    }
}

choice!(
    /// `status` of an Onlinedienst's link: every one (empty), `ok` or `nicht_ok` (`nicht ok`).
    LinkStatus, "status", empty Any, {
        Ok = "ok",
        NichtOk = "nicht_ok",
        NichtOkText = "nicht ok",
    }
);

impl LinkStatus {
    /// Whether a link with `online_ok` passes.
    pub(crate) fn admits(self, online_ok: bool) -> bool {
        match self {
            LinkStatus::Any => true,
            LinkStatus::Ok => online_ok,
            LinkStatus::NichtOk | LinkStatus::NichtOkText => !online_ok,
        }
    }
}

choice!(
    /// `reach` of a service in an area by the atlas' rule: any (empty), `flaechendeckend` or
    /// `mindestens_eine`.
    ReachFilter, "reach", empty Any, {
        Flaechendeckend = "flaechendeckend",
        MindestensEine = "mindestens_eine",
    }
);

impl ReachFilter {
    pub(crate) fn admits(self, reach: crate::model::Reach) -> bool {
        use crate::model::Reach;
        match self {
            ReachFilter::Any => true,
            ReachFilter::Flaechendeckend => reach == Reach::Flaechendeckend,
            ReachFilter::MindestensEine => reach == Reach::MindestensEine,
        }
    }
}

/// `ozg_id`: one OZG-Leistung (its number, up to 6 digits), or empty for all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct OzgId(pub(crate) Option<String>);

impl OzgId {
    pub(crate) fn parse(text: &str) -> Result<OzgId, String> {
        match text {
            "" => Ok(OzgId(None)),
            k if k.len() <= 6 && k.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(OzgId(Some(k.to_string())))
            }
            other => Err(format!(
                "{other:?} is not an OZG-ID (a number of up to 6 digits)"
            )),
        }
    }

    pub(crate) fn admits(&self, id: Option<&str>) -> bool {
        self.0.as_deref().is_none_or(|k| Some(k) == id)
    }
}

impl<'de> Deserialize<'de> for OzgId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OzgId, D::Error> {
        from_text(d, OzgId::parse)
    }
}

impl utoipa::PartialSchema for OzgId {
    fn schema() -> RefOr<Schema> {
        string_schema("^([0-9]{1,6})?$".to_string())
    }
}

impl utoipa::ToSchema for OzgId {}

/// `themenfeld`: one Themenfeld of the OZG catalogue (e.g. `Familie & Kind`), or empty for all.
/// The document lists the shipped catalogue's; a registry with another catalogue is checked by
/// the handler against its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Themenfeld(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for Themenfeld {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Themenfeld, D::Error> {
        from_text(d, |t| {
            Ok(Themenfeld((!t.is_empty()).then(|| t.to_string())))
        })
    }
}

impl utoipa::PartialSchema for Themenfeld {
    fn schema() -> RefOr<Schema> {
        let escape = |t: &str| {
            t.chars()
                .flat_map(|c| {
                    let special = "\\^$.|?*+()[]{}".contains(c);
                    special.then_some('\\').into_iter().chain([c])
                })
                .collect::<String>()
        };
        let names: Vec<String> = crate::registry::reference::shipped_themenfelder()
            .into_iter()
            .map(escape)
            .collect();
        string_schema(format!("^({})?$", names.join("|")))
    }
}

impl utoipa::ToSchema for Themenfeld {}

/// `leika`: one 14-digit LeiKa key, or empty for all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Leika(pub(crate) Option<String>);

impl Leika {
    pub(crate) fn parse(text: &str) -> Result<Leika, String> {
        match text {
            "" => Ok(Leika(None)),
            k if k.len() == 14 && k.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Leika(Some(k.to_string())))
            }
            other => Err(format!("{other:?} is not a 14-digit LeiKa key")),
        }
    }

    pub(crate) fn admits(&self, key: &str) -> bool {
        self.0.as_deref().is_none_or(|k| k == key)
    }
}

impl<'de> Deserialize<'de> for Leika {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Leika, D::Error> {
        from_text(d, Leika::parse)
    }
}

impl utoipa::PartialSchema for Leika {
    fn schema() -> RefOr<Schema> {
        string_schema("^([0-9]{14})?$".to_string())
    }
}

impl utoipa::ToSchema for Leika {}

choice!(
    /// `header` of the process matrix: process ids (default) or names as column names.
    Header, "header", default Id, { Id = "id", Name = "name" }
);

/// A key parameter of fixed length that also accepts Grafana's "All" (`.*`, `*`, `all`,
/// `$__all`) and empty for "no filter".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum AllOr<K> {
    #[default]
    All,
    One(K),
}

/// The region keys a filter can hold.
pub(crate) trait FilterKey: Sized + fmt::Display {
    const DIGITS: usize;
    fn parse_key(text: &str) -> Result<Self, KeyError>;
}

impl FilterKey for KreisKey {
    const DIGITS: usize = 5;
    fn parse_key(text: &str) -> Result<Self, KeyError> {
        KreisKey::parse(text)
    }
}

impl FilterKey for RbKey {
    const DIGITS: usize = 3;
    fn parse_key(text: &str) -> Result<Self, KeyError> {
        RbKey::parse(text)
    }
}

impl FilterKey for crate::registry::LandKey {
    const DIGITS: usize = 2;
    fn parse_key(text: &str) -> Result<Self, KeyError> {
        crate::registry::LandKey::parse(text)
    }
}

impl<K: FilterKey> AllOr<K> {
    pub(crate) fn parse(text: &str) -> Result<AllOr<K>, String> {
        match text {
            "" | ".*" | "*" | "all" | "$__all" => Ok(AllOr::All),
            key => K::parse_key(key).map(AllOr::One).map_err(|e| e.to_string()),
        }
    }

    pub(crate) fn one(&self) -> Option<&K> {
        match self {
            AllOr::All => None,
            AllOr::One(k) => Some(k),
        }
    }
}

impl<'de, K: FilterKey> Deserialize<'de> for AllOr<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AllOr<K>, D::Error> {
        from_text(d, AllOr::parse)
    }
}

/// `kreis`: one Kreis (5-digit key) or all.
pub(crate) type KreisFilter = AllOr<KreisKey>;
/// `regierungsbezirk`: one Regierungsbezirk (3-digit key) or all.
pub(crate) type RbFilter = AllOr<RbKey>;
/// `land`: one Land (2-digit key) of an atlas of Germany, or all.
pub(crate) type LandFilter = AllOr<crate::registry::LandKey>;

fn filter_schema<K: FilterKey>() -> RefOr<Schema> {
    string_schema(format!(
        "^([0-9]{{{}}}|\\.\\*|\\*|all|\\$__all)?$",
        K::DIGITS
    ))
}

impl utoipa::PartialSchema for KreisFilter {
    fn schema() -> RefOr<Schema> {
        filter_schema::<KreisKey>()
    }
}

impl utoipa::ToSchema for KreisFilter {}

impl utoipa::PartialSchema for RbFilter {
    fn schema() -> RefOr<Schema> {
        filter_schema::<RbKey>()
    }
}

impl utoipa::ToSchema for RbFilter {}

/// A key parameter without "All": one key, or empty for none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OneKey<K>(pub(crate) Option<K>);

impl<'de, K: FilterKey> Deserialize<'de> for OneKey<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OneKey<K>, D::Error> {
        from_text(d, |text| match text {
            "" => Ok(OneKey(None)),
            key => K::parse_key(key)
                .map(|k| OneKey(Some(k)))
                .map_err(|e| e.to_string()),
        })
    }
}

/// `kreis` of `/api/v1/regions`: a 5-digit key.
pub(crate) type OneKreis = OneKey<KreisKey>;
/// `regierungsbezirk` of `/api/v1/regions`: a 3-digit key.
pub(crate) type OneRb = OneKey<RbKey>;

impl utoipa::PartialSchema for OneKreis {
    fn schema() -> RefOr<Schema> {
        string_schema(format!("^[0-9]{{{}}}$", KreisKey::DIGITS))
    }
}

impl utoipa::ToSchema for OneKreis {}

impl utoipa::PartialSchema for OneRb {
    fn schema() -> RefOr<Schema> {
        string_schema(format!("^[0-9]{{{}}}$", RbKey::DIGITS))
    }
}

impl utoipa::ToSchema for OneRb {}

/// A calendar day `YYYY-MM-DD` (empty: not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day(pub(crate) Option<NaiveDate>);

impl Day {
    pub(crate) fn parse(text: &str) -> Result<Day, String> {
        if text.is_empty() {
            return Ok(Day(None));
        }
        // Any calendar day with a four-digit year (before the first record every figure is 0).
        iso_date(text)
            .filter(|d| chrono::Datelike::year(d) >= 1)
            .map(|d| Day(Some(d)))
            .ok_or_else(|| format!("{text:?} is not a date (YYYY-MM-DD)"))
    }
}

impl utoipa::PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Day {}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        from_text(d, Day::parse)
    }
}

/// `missing` of `/api/v1/outreach`: a Lotse (default), an Aufbau-qualified Lotse, or a process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Missing {
    #[default]
    Lotse,
    Aufbau,
    Process(String),
}

impl Missing {
    pub(crate) fn parse(text: &str) -> Result<Missing, String> {
        match text {
            "" | "lotse" => Ok(Missing::Lotse),
            "aufbau" => Ok(Missing::Aufbau),
            other => match other.strip_prefix("process:") {
                Some(id) if !id.trim().is_empty() => Ok(Missing::Process(id.trim().to_string())),
                _ => Err(format!(
                    "unknown missing {other:?}: use lotse, aufbau or process:ID"
                )),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Missing {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Missing, D::Error> {
        from_text(d, Missing::parse)
    }
}

impl utoipa::PartialSchema for Missing {
    fn schema() -> RefOr<Schema> {
        string_schema("^(lotse|aufbau|process:.+)?$".into())
    }
}

impl utoipa::ToSchema for Missing {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_their_values_and_empty_as_default() {
        assert_eq!(TableFormat::parse(""), Ok(TableFormat::Json));
        assert_eq!(TableFormat::parse("csv"), Ok(TableFormat::Csv));
        assert!(TableFormat::parse("xml").unwrap_err().contains("json, csv"));
        assert_eq!(
            Level::parse("kreis").map(Level::unit_level),
            Ok(UnitLevel::Kreis)
        );
        assert_eq!(Step::parse("year").map(Step::months), Ok(12));
        assert_eq!(ArtFilter::parse("").map(ArtFilter::art), Ok(None));
        assert_eq!(
            Level::pattern(),
            "^(land|regierungsbezirk|kreis|gemeinde|verband|groessenklasse)?$"
        );
    }

    #[test]
    fn filters_take_grafanas_all_and_keys() {
        for all in ["", ".*", "*", "all", "$__all"] {
            assert_eq!(AllOr::<KreisKey>::parse(all), Ok(AllOr::All));
        }
        let one = AllOr::<KreisKey>::parse("08115").unwrap();
        assert_eq!(one.one().map(|k| k.as_str()), Some("08115"));
        assert!(AllOr::<KreisKey>::parse("0811").is_err());
        assert!(AllOr::<RbKey>::parse("08115").is_err());
    }

    #[test]
    fn days_and_missing() {
        assert_eq!(Day::parse(""), Ok(Day(None)));
        assert!(Day::parse("2019-02-30").is_err());
        assert!(Day::parse("2019-2-3").is_err());
        assert_eq!(
            Missing::parse("process:S1"),
            Ok(Missing::Process("S1".into()))
        );
        assert!(Missing::parse("geld").is_err());
        assert!(Missing::parse("process:").is_err());
    }
}

/// `sort` of the Land page: the order of its Kreis table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sort(pub(crate) crate::page::KreisSort);

impl<'de> Deserialize<'de> for Sort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sort, D::Error> {
        from_text(d, |t| crate::page::KreisSort::parse(t).map(Sort))
    }
}

/// `metric` of a map: lotsen (default), standardprozesse or process:ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MapMetricParam(pub(crate) crate::charts::catalog::MapMetric);

impl<'de> Deserialize<'de> for MapMetricParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MapMetricParam, D::Error> {
        from_text(d, |t| {
            crate::charts::catalog::MapMetric::parse(t)
                .map(MapMetricParam)
                .ok_or_else(|| {
                    format!("unknown metric {t:?}: use lotsen, standardprozesse or process:ID")
                })
        })
    }
}

/// A yes/no switch (`dry_run`): empty, `true`, `1` or `yes` is yes; `false`, `0` or `no` is
/// no; anything else is refused (never silently no).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Switch(pub(crate) bool);

impl Switch {
    pub(crate) fn parse(text: &str) -> Result<Switch, String> {
        match text {
            "" | "true" | "1" | "yes" => Ok(Switch(true)),
            "false" | "0" | "no" => Ok(Switch(false)),
            other => Err(format!(
                "{other:?} is neither yes (true, 1, yes, or empty) nor no (false, 0, no)"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Switch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Switch, D::Error> {
        from_text(d, Switch::parse)
    }
}

impl utoipa::PartialSchema for Switch {
    fn schema() -> RefOr<Schema> {
        string_schema("^(true|1|yes|false|0|no)?$".to_string())
    }
}

impl utoipa::ToSchema for Switch {}

/// One name of the `metric` list of `/api/v1/timeseries`: a unit figure of the catalogue, or
/// the service-bw accounts of a type (`konten_<kontotyp>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SeriesMetric {
    Figure(crate::coverage::figure::Figure),
    Accounts(String),
}

impl SeriesMetric {
    pub(crate) fn name(&self) -> String {
        match self {
            SeriesMetric::Figure(f) => f.name().to_string(),
            SeriesMetric::Accounts(t) => format!("konten_{t}"),
        }
    }

    fn parse(text: &str) -> Result<SeriesMetric, String> {
        use crate::coverage::figure::Figure;
        match text.strip_prefix("konten_") {
            Some(t)
                if !t.is_empty()
                    && t.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') =>
            {
                Ok(SeriesMetric::Accounts(t.to_string()))
            }
            _ => Figure::parse(text)
                .map(SeriesMetric::Figure)
                .ok_or_else(|| {
                    let all: Vec<&str> = Figure::ALL.iter().map(|f| f.name()).collect();
                    format!(
                        "unknown metric {text:?}: use {} or konten_<kontotyp>",
                        all.join(", ")
                    )
                }),
        }
    }
}

/// `metric` of `/api/v1/timeseries`: comma-separated names (empty: the default).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SeriesMetrics(pub(crate) Vec<SeriesMetric>);

impl SeriesMetrics {
    pub(crate) fn parse(text: &str) -> Result<SeriesMetrics, String> {
        text.split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(SeriesMetric::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(SeriesMetrics)
    }
}

impl<'de> Deserialize<'de> for SeriesMetrics {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SeriesMetrics, D::Error> {
        from_text(d, SeriesMetrics::parse)
    }
}

impl utoipa::PartialSchema for SeriesMetrics {
    fn schema() -> RefOr<Schema> {
        let names: Vec<&str> = crate::coverage::figure::Figure::ALL
            .iter()
            .map(|f| f.name())
            .collect();
        let one = format!("({}|konten_[a-z0-9_]+)", names.join("|"));
        string_schema(format!("^({one}(,{one})*)?$"))
    }
}

impl utoipa::ToSchema for SeriesMetrics {}

/// `key` of `/api/v1/timeseries`: one unit's key at the level (digits, or a size class such
/// as `unter-5000`), or all (`.*`, `*`, `all`, `$__all`, empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum UnitKeyFilter {
    #[default]
    All,
    One(String),
}

impl UnitKeyFilter {
    pub(crate) fn parse(text: &str) -> Result<UnitKeyFilter, String> {
        match text {
            "" | ".*" | "*" | "all" | "$__all" => Ok(UnitKeyFilter::All),
            key if key.len() <= 16
                && key
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || c == '-') =>
            {
                Ok(UnitKeyFilter::One(key.to_string()))
            }
            other => Err(format!(
                "{other:?} is no unit key: digits (AGS, Kreis, Regierungsbezirk, Land) or a size class"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for UnitKeyFilter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UnitKeyFilter, D::Error> {
        from_text(d, UnitKeyFilter::parse)
    }
}

impl utoipa::PartialSchema for UnitKeyFilter {
    fn schema() -> RefOr<Schema> {
        string_schema("^([0-9a-z-]{1,16}|\\.\\*|\\*|all|\\$__all)?$".to_string())
    }
}

impl utoipa::ToSchema for UnitKeyFilter {}

#[cfg(test)]
mod typed_tests {
    use super::*;

    #[test]
    fn switches_and_series_metrics_refuse_what_they_do_not_know() {
        assert_eq!(Switch::parse(""), Ok(Switch(true)));
        assert_eq!(Switch::parse("no"), Ok(Switch(false)));
        assert!(Switch::parse("maybe").unwrap_err().contains("maybe"));
        let m = SeriesMetrics::parse("lotsen, konten_buerger").unwrap();
        assert_eq!(m.0.len(), 2);
        assert_eq!(m.0[1].name(), "konten_buerger");
        assert!(SeriesMetrics::parse("lotsen,nope").is_err());
        assert!(SeriesMetrics::parse("konten_").is_err());
        assert_eq!(UnitKeyFilter::parse(".*"), Ok(UnitKeyFilter::All));
        assert!(UnitKeyFilter::parse("08;drop").is_err());
    }
}
