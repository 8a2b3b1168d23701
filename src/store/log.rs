//! The rows of the import log and the failure log, and what an import writes besides its
//! records: the types both import paths (`imports.rs`, `copy.rs`) and their shared steps use.

use serde::Serialize;

/// Row counts of one import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// One row of the import log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub dataset: String,
    pub source_name: String,
    pub checksum: String,
    pub rows_total: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub actor: String,
    pub imported_at: String,
}

/// A refused or failed import (nothing was written).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Random hex, unique across processes.
    pub id: String,
    pub dataset: String,
    pub source_name: String,
    pub actor: String,
    /// `too_large`, `unreadable`, `invalid`, `busy` or `database`.
    pub reason: String,
    pub message: String,
    pub failed_at: String,
}

/// What an import writes besides the records.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub source_name: String,
    pub checksum: String,
    pub actor: String,
}
