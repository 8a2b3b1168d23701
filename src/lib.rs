//! digitalatlas: which Kommunen in Baden-Württemberg have trained Kommunale Digitallotsen and which
//! OZG online services they have switched on in service-bw. See ARCHITECTURE.md for the map.

// What is `pub` is the library's API for the binary, the tests, the benches and the fuzz targets;
// everything else is `pub(crate)` or private.
#![warn(unreachable_pub, missing_debug_implementations)]

pub mod auth;
mod boundaries;
pub mod charts;
pub mod cli;
pub mod config;
pub mod coverage;
pub mod demo;
mod export;
pub mod fetch;
mod format;
pub mod http;
pub mod import;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod page;
mod rebuild;
pub mod registry;
pub mod report;
pub mod server;
pub mod store;
