//! Prometheus exposition: the snapshot's families (encoded once per snapshot) plus the live
//! self-metrics of the HTTP server, in OpenMetrics 1.0.0 or the classic text format 0.0.4.

pub mod families;
mod gzip;
mod onlinedienste;
pub mod process;
mod register;
mod scrape;

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use bytes::Bytes;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::coverage::Snapshot;

pub const OPENMETRICS_CONTENT_TYPE: &str =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// One snapshot's families in OpenMetrics, without the `# EOF` terminator, and on first use in
/// the text format 0.0.4 (Prometheus negotiates OpenMetrics, so a server scraped only by it
/// never holds the second copy: 6.8 MB at Germany's size) and each deflated once for gzip
/// scrapes.
#[derive(Debug)]
pub struct Encoded {
    pub data_version: u64,
    pub openmetrics: Bytes,
    text: std::sync::OnceLock<Bytes>,
    /// [OpenMetrics, text] deflated (see `gzip.rs`).
    gzip: [std::sync::OnceLock<gzip::Prefix>; 2],
}

impl Encoded {
    /// Bytes held: both expositions and the deflated prefixes made so far.
    pub fn heap_bytes(&self) -> usize {
        self.openmetrics.len()
            + self.text.get().map_or(0, Bytes::len)
            + self
                .gzip
                .iter()
                .filter_map(std::sync::OnceLock::get)
                .map(gzip::Prefix::heap_bytes)
                .sum::<usize>()
    }

    fn gzip_prefix(&self, openmetrics: bool) -> &gzip::Prefix {
        let (slot, data) = if openmetrics {
            (&self.gzip[0], &self.openmetrics)
        } else {
            (&self.gzip[1], self.text())
        };
        slot.get_or_init(|| gzip::Prefix::of(data))
    }

    /// The families in the text format 0.0.4, converted on first use.
    pub fn text(&self) -> &Bytes {
        self.text.get_or_init(|| {
            let om = std::str::from_utf8(&self.openmetrics).unwrap_or_default();
            Bytes::from(to_text_004(om))
        })
    }
}

/// Encodes a snapshot's families.
pub fn encode_snapshot(snap: &Snapshot, ozg_per_kreis_max_series: usize) -> Encoded {
    let reg = families::registry(snap, ozg_per_kreis_max_series);
    let mut om = String::with_capacity(256 * 1024);
    // Writing into a String cannot fail; the encoder refusing a family would be a bug here.
    if let Err(e) = prometheus_client::encoding::text::encode_registry(&mut om, &reg) {
        tracing::error!(error = %e, "metrics encoding failed; the exposition is incomplete");
    }
    Encoded {
        data_version: snap.data_version,
        text: std::sync::OnceLock::new(),
        openmetrics: Bytes::from(om),
        gzip: Default::default(),
    }
}

/// Rewrites OpenMetrics text (as prometheus-client writes it) into the text format 0.0.4: no
/// `# UNIT` or `# EOF` lines, and counter families named by their `_total` sample.
pub fn to_text_004(openmetrics: &str) -> String {
    let counters: Vec<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        let rewritten = ["# HELP ", "# TYPE "].iter().find_map(|prefix| {
            let rest = line.strip_prefix(prefix)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(&name)
                .then(|| format!("{prefix}{name}_total {tail}"))
        });
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteStatus {
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChartLabel {
    pub chart: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FailureLabels {
    pub dataset: String,
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabel {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabel {
    pub cache: String,
}

/// The caches `digitalatlas_cache_bytes` accounts for.
pub const CACHES: [&str; 6] = [
    "boundaries",
    "charts",
    "geojson",
    "history",
    "metrics",
    "sqlite",
];

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.5, 12))
}

/// Live metrics of the server itself, encoded on every scrape (small and bounded: one series per
/// route template and status).
pub struct SelfMetrics {
    registry: Registry,
    requests: Family<RouteStatus, Counter>,
    durations: Family<RouteLabel, Histogram, fn() -> Histogram>,
    chart_renders: Family<ChartLabel, Histogram, fn() -> Histogram>,
    import_failures: Family<FailureLabels, Counter>,
    cache_bytes: Family<CacheLabel, Gauge>,
    cache: ArcSwapOption<Encoded>,
    /// The last whole expositions, for scrapes in quick succession.
    scrapes: scrape::ScrapeCache,
    ozg_per_kreis_max_series: usize,
}

impl std::fmt::Debug for SelfMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SelfMetrics")
    }
}

impl Default for SelfMetrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RouteStatus, Counter>::default();
        registry.register(
            "digitalatlas_http_requests",
            "HTTP requests by route template and status",
            requests.clone(),
        );
        let durations = Family::<RouteLabel, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "digitalatlas_http_request_duration_seconds",
            "HTTP request latency by route template",
            durations.clone(),
        );
        let chart_renders =
            Family::<ChartLabel, Histogram, fn() -> Histogram>::new_with_constructor(
                latency_histogram as fn() -> Histogram,
            );
        registry.register(
            "digitalatlas_chart_render_seconds",
            "Time to render a chart or map image (cached per snapshot afterwards)",
            chart_renders.clone(),
        );
        let import_failures = Family::<FailureLabels, Counter>::default();
        // Every dataset × reason from 0, so that `increase()` sees the first failure.
        for dataset in crate::model::Dataset::ALL {
            for reason in crate::model::FAILURE_REASONS {
                let _ = import_failures.get_or_create(&FailureLabels {
                    dataset: dataset.as_str().to_string(),
                    reason: reason.to_string(),
                });
            }
        }
        registry.register(
            "digitalatlas_import_failures",
            "Imports over HTTP that were refused or failed (nothing written), by dataset and \
             reason: too_large, unreadable, invalid, busy, database",
            import_failures.clone(),
        );
        let cache_bytes = Family::<CacheLabel, Gauge>::default();
        for cache in CACHES {
            let _ = cache_bytes.get_or_create(&CacheLabel {
                cache: cache.to_string(),
            });
        }
        registry.register(
            "digitalatlas_cache_bytes",
            "Bytes held by each cache at the scrape: boundaries (parsed geometries), charts \
             (rendered images), geojson (encoded layers), history (past days' figures), metrics \
             (the encoded exposition), sqlite (SQLite's heap: page caches, schemas, statements)",
            cache_bytes.clone(),
        );
        SelfMetrics {
            registry,
            requests,
            durations,
            chart_renders,
            import_failures,
            cache_bytes,
            cache: ArcSwapOption::empty(),
            scrapes: scrape::ScrapeCache::default(),
            ozg_per_kreis_max_series: families::OZG_PER_KREIS_MAX_SERIES,
        }
    }
}

impl SelfMetrics {
    /// Self-metrics whose per-Kreis process family holds at most `ozg_per_kreis_max_series`.
    pub fn with_ozg_per_kreis_max_series(ozg_per_kreis_max_series: usize) -> SelfMetrics {
        SelfMetrics {
            ozg_per_kreis_max_series,
            ..SelfMetrics::default()
        }
    }

    pub fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        // A scrape's own count may lag by up to `scrape::MAX_AGE`; every other request shows.
        if route != "/metrics" {
            self.scrapes.changed();
        }
        self.requests
            .get_or_create(&RouteStatus {
                route: route.to_string(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabel {
                route: route.to_string(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// Sets what a cache holds (one of [`CACHES`]), read at each scrape.
    pub fn set_cache_bytes(&self, cache: &str, bytes: usize) {
        self.cache_bytes
            .get_or_create(&CacheLabel {
                cache: cache.to_string(),
            })
            .set(i64::try_from(bytes).unwrap_or(i64::MAX));
    }

    /// Bytes of the encoded exposition of the current data version and the kept whole ones.
    pub fn encoded_bytes(&self) -> usize {
        self.cache.load().as_ref().map_or(0, |e| e.heap_bytes()) + self.scrapes.heap_bytes()
    }

    pub fn import_failed(&self, dataset: &str, reason: &str) {
        self.scrapes.changed();
        self.import_failures
            .get_or_create(&FailureLabels {
                dataset: dataset.to_string(),
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn observe_chart(&self, chart: &str, elapsed: Duration) {
        self.scrapes.changed();
        self.chart_renders
            .get_or_create(&ChartLabel {
                chart: chart.to_string(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// The snapshot's encoded families, encoding them on first use of a new snapshot.
    pub fn encoded(&self, snap: &Snapshot) -> Arc<Encoded> {
        if let Some(e) = self.cache.load_full() {
            if e.data_version == snap.data_version {
                return e;
            }
        }
        let e = Arc::new(encode_snapshot(snap, self.ozg_per_kreis_max_series));
        // Keep the newest data version if another request raced us.
        self.cache.rcu(|old| match old {
            Some(o) if o.data_version > e.data_version => Some(o.clone()),
            _ => Some(e.clone()),
        });
        e
    }

    /// The families that change with every scrape (snapshot age, requests, the process), in
    /// the requested format, with OpenMetrics' `# EOF`.
    fn live(&self, snap: &Snapshot, openmetrics: bool) -> String {
        let mut live = String::with_capacity(4096);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode_registry(
            &mut live,
            &families::snapshot_registry(snap),
        );
        let _ = prometheus_client::encoding::text::encode_registry(&mut live, &self.registry);
        let _ = prometheus_client::encoding::text::encode_registry(&mut live, &process::registry());
        if openmetrics {
            live.push_str("# EOF\n");
            live
        } else {
            to_text_004(&live)
        }
    }

    /// The whole exposition for one scrape, in OpenMetrics or the text format, gzip-compressed
    /// or not; the last one again while nothing it shows has changed (see `scrape.rs`).
    /// `before` runs first when it is rendered anew (to set the cache sizes it shows).
    pub fn exposition(
        &self,
        snap: &Snapshot,
        openmetrics: bool,
        gzip: bool,
        before: impl FnOnce(),
    ) -> Exposition {
        self.scrapes
            .get_or_render(snap.data_version, openmetrics, gzip, || {
                before();
                let encoded = self.encoded(snap);
                let live = self.live(snap, openmetrics);
                if gzip {
                    let body = encoded.gzip_prefix(openmetrics).gzip_with(live.as_bytes());
                    Exposition {
                        head: body,
                        tail: Bytes::new(),
                        shared_head: false,
                    }
                } else {
                    // The snapshot's part is the encoded copy itself, not a copy of it.
                    let head = if openmetrics {
                        encoded.openmetrics.clone()
                    } else {
                        encoded.text().clone()
                    };
                    Exposition {
                        head,
                        tail: Bytes::from(live),
                        shared_head: true,
                    }
                }
            })
    }
}

/// One scrape's body in two parts: `head` then `tail` (the live families of a plain
/// exposition; empty for gzip, whose member is whole in `head`).
#[derive(Debug, Clone)]
pub struct Exposition {
    pub head: Bytes,
    pub tail: Bytes,
    /// `head` is the data version's encoded families, held by the encoding cache.
    shared_head: bool,
}

impl Exposition {
    /// Bytes this exposition holds beyond the encoding cache.
    fn own_bytes(&self) -> usize {
        self.tail.len() + if self.shared_head { 0 } else { self.head.len() }
    }

    /// The body as one piece (for the tests).
    #[cfg(test)]
    fn to_bytes(&self) -> Bytes {
        if self.tail.is_empty() {
            return self.head.clone();
        }
        let mut out = Vec::with_capacity(self.head.len() + self.tail.len());
        out.extend_from_slice(&self.head);
        out.extend_from_slice(&self.tail);
        Bytes::from(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_counters_to_text_004() {
        let om =
            "# HELP x_requests Requests.\n# TYPE x_requests counter\nx_requests_total{a=\"b\"} 3\n\
                  # HELP x_up Up.\n# TYPE x_up gauge\n# UNIT x_up seconds\nx_up 1\n# EOF\n";
        let text = to_text_004(om);
        assert_eq!(
            text,
            "# HELP x_requests_total Requests.\n# TYPE x_requests_total counter\n\
             x_requests_total{a=\"b\"} 3\n# HELP x_up Up.\n# TYPE x_up gauge\nx_up 1\n"
        );
    }
}
