//! Registering families and single gauges, for every group of the metric contract.

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::coverage::figure::Figure;

pub(super) type FloatGauge = Gauge<f64, AtomicU64>;

/// The HELP of a family that carries a catalogue figure: the figure's meaning and how the family
/// breaks it down (one text for the API, the OpenAPI document and the metric).
pub(super) fn help(figure: Figure, by: &str) -> String {
    format!("{}, {by}", figure.column().description)
}

pub(super) fn family<L, M>(reg: &mut Registry, name: &str, help: &str) -> Family<L, M>
where
    L: Clone + std::hash::Hash + Eq + EncodeLabelSet + std::fmt::Debug + Send + Sync + 'static,
    M: prometheus_client::metrics::TypedMetric
        + prometheus_client::encoding::EncodeMetric
        + Default
        + std::fmt::Debug
        + Send
        + Sync
        + 'static,
{
    let f = Family::<L, M>::default();
    reg.register(name, help, f.clone());
    f
}

pub(super) fn gauge(reg: &mut Registry, name: &str, help: &str, value: f64) {
    let g = FloatGauge::default();
    g.set(value);
    reg.register(name, help, g);
}
