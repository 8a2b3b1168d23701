//! The bottom layer: the words every other layer speaks. Datasets and their typed records, the
//! kinds of administration, programme, process and size class, the region key newtypes, the
//! calendar (project start, step ends, ISO dates) and the published milestones.
//!
//! Depends on nothing in the crate. Knows no SQL, no HTTP, no file format.

pub mod calendar;
pub mod clock;
pub mod column;
pub mod dataset;
pub mod keys;
pub mod kinds;
pub mod published;
pub mod record;
pub mod rows;

pub use dataset::{Dataset, FAILURE_REASONS};
pub use keys::{Ags, Ars, KeyError, KreisKey, LandKey, RbKey, RegionKey};
pub use kinds::{
    AdminKind, Art, Flaechendeckung, Programme, Reach, Reifegrad, ReifegradModell, SizeClass,
    ACCOUNT_TYPES,
};
pub use record::{
    join_key, push_key_part, split_key, Cell, KnownKeys, LastImport, OnlinedienstRef, Process,
    Record, RecordSink, RecordStream, SliceStream, StreamStopped,
};
