//! The chart catalogue: every chart the service draws, its name under `/charts/`, its default
//! size and how it is built. The HTTP routes, the page and the report all name charts by it.

use super::catalog::{self, MapMetric};
use super::map::Layer;
use super::{render, ChartError, Encoding};
use crate::coverage::Snapshot;

/// One chart, with what selects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartId {
    /// Administrations with a Lotse and Lotsen over time, with the target and the forecast.
    Progress,
    /// Gemeinden per switched-on process.
    Processes,
    /// Share of administrations with a Lotse per Kreis.
    Kreise,
    /// Share of Gemeinden with a Lotse per size class.
    SizeClasses,
    /// The progress of one Kreis (5-digit key).
    KreisProgress(String),
    /// One administration's Lotsen and active processes over time (AGS, or a Landratsamt's
    /// Kreis key): the Steckbrief's chart.
    History(String),
    /// Active Standardprozesse without and with a Lotse, by size class.
    LotsenOzg,
    /// A choropleth of a layer by a metric, optionally zoomed to one Kreis (5-digit key).
    Map {
        layer: Layer,
        metric: MapMetric,
        kreis: Option<String>,
    },
}

impl ChartId {
    /// The charts with a name of their own under `/charts/{name}`.
    pub const NAMED: [ChartId; 5] = [
        ChartId::Progress,
        ChartId::Processes,
        ChartId::Kreise,
        ChartId::SizeClasses,
        ChartId::LotsenOzg,
    ];

    /// A map of the whole area by `metric`.
    pub fn map(layer: Layer, metric: MapMetric) -> ChartId {
        ChartId::Map {
            layer,
            metric,
            kreis: None,
        }
    }

    /// The name in URLs and in the render-time metric: `progress`, …, or `map`.
    pub fn name(&self) -> &'static str {
        match self {
            ChartId::Progress | ChartId::KreisProgress(_) => "progress",
            ChartId::Processes => "processes",
            ChartId::Kreise => "kreise",
            ChartId::SizeClasses => "size-classes",
            ChartId::LotsenOzg => "lotsen-ozg",
            ChartId::History(_) => "history",
            ChartId::Map { .. } => "map",
        }
    }

    /// The named chart of `name` (maps are `map/{layer}`, see the HTTP route).
    pub fn parse(name: &str) -> Option<ChartId> {
        ChartId::NAMED.into_iter().find(|c| c.name() == name)
    }

    /// Width and height when the request names none.
    pub fn default_size(&self) -> (u32, u32) {
        match self {
            ChartId::Progress | ChartId::KreisProgress(_) => (1100, 650),
            ChartId::Processes => (1000, 900),
            ChartId::Kreise => (1000, 1000),
            ChartId::SizeClasses => (900, 400),
            ChartId::LotsenOzg => (1000, 600),
            ChartId::History(_) => (1000, 450),
            // The Land is a little taller than wide.
            ChartId::Map { .. } => (1000, 1000),
        }
    }

    /// The size a page shows it at (a Kreis map smaller than the Land's).
    pub fn display_size(&self) -> (u32, u32) {
        match self {
            ChartId::Map { kreis: Some(_), .. } => (800, 800),
            other => other.default_size(),
        }
    }

    /// The path under `/charts/` with its query, e.g. `map/gemeinden?metric=standardprozesse`.
    pub fn path(&self) -> String {
        match self {
            ChartId::KreisProgress(key) => return format!("progress?kreis={key}"),
            ChartId::History(key) => return format!("history/{key}"),
            _ => {}
        }
        let ChartId::Map {
            layer,
            metric,
            kreis,
        } = self
        else {
            return self.name().to_string();
        };
        let mut query = Vec::new();
        if *metric != MapMetric::Lotsen {
            query.push(format!("metric={}", metric.as_param()));
        }
        // The focus: a Kreis (5 digits) or, in an atlas of Germany, a Land (2).
        match kreis {
            Some(k) if k.len() == 2 => query.push(format!("land={k}")),
            Some(k) => query.push(format!("kreis={k}")),
            None => {}
        }
        let mut path = format!("map/{}", layer.as_str());
        if !query.is_empty() {
            path.push('?');
            path.push_str(&query.join("&"));
        }
        path
    }

    /// How the report writes it: PNG, but a Steckbrief's history as SVG (a report holds one per
    /// Gemeinde: 1,101 in Baden-Württemberg, a sixth of the bytes of a PNG each).
    pub fn report_encoding(&self) -> Encoding {
        match self {
            ChartId::History(_) => Encoding::Svg,
            _ => Encoding::Png,
        }
    }

    /// The report's file name (without extension).
    pub fn file(&self) -> String {
        self.path().replace(['/', '?', '=', '&', ':'], "-")
    }

    /// Draws the chart of `snap`.
    pub fn render(
        &self,
        snap: &Snapshot,
        format: Encoding,
        size: (u32, u32),
    ) -> Result<Vec<u8>, ChartError> {
        match self {
            ChartId::Progress => render(format, size, &catalog::progress(snap)),
            ChartId::Processes => render(format, size, &catalog::processes(snap)),
            ChartId::Kreise => render(format, size, &catalog::kreise(snap)),
            ChartId::SizeClasses => render(format, size, &catalog::size_classes(snap)),
            ChartId::LotsenOzg => render(format, size, &catalog::lotsen_ozg(snap)),
            ChartId::KreisProgress(key) => {
                render(format, size, &catalog::kreis_progress(snap, key)?)
            }
            ChartId::History(id) => render(format, size, &catalog::history(snap, id)?),
            ChartId::Map {
                layer,
                metric,
                kreis,
            } => {
                let chart = catalog::map(snap, *layer, metric, kreis.as_deref())?;
                render(format, size, &chart)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_files() {
        assert_eq!(ChartId::Progress.path(), "progress");
        assert_eq!(ChartId::parse("size-classes"), Some(ChartId::SizeClasses));
        let map = ChartId::map(Layer::Gemeinden, MapMetric::Standardprozesse);
        assert_eq!(map.path(), "map/gemeinden?metric=standardprozesse");
        assert_eq!(map.file(), "map-gemeinden-metric-standardprozesse");
        let kreis = ChartId::Map {
            layer: Layer::Gemeinden,
            metric: MapMetric::Lotsen,
            kreis: Some("08115".into()),
        };
        assert_eq!(kreis.path(), "map/gemeinden?kreis=08115");
        assert_eq!(kreis.display_size(), (800, 800));
    }
}
