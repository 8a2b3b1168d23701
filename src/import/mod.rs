//! Imports: file bytes -> table -> validated records -> one transaction. Import never computes
//! figures; it writes records, logs the import, and the caller asks for a new snapshot.

mod cells;
pub mod dataset;
pub mod fields;
pub mod input;
pub mod onlinedienste;
mod stage;
pub mod table;
mod xlsx_guard;

use std::fmt;

use indicatif::ProgressBar;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use dataset::{Dataset, Issue};
pub use input::Input;
use stage::{Issues, Merge, Unique};
use table::FileFormat;

use crate::store::imports::{Counts, Provenance};
use crate::store::{Store, StoreError};

/// Size limits of one import; past them the file is refused before anything is parsed or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
    /// How long an import waits for another one (in any process) to finish before it is
    /// refused as busy.
    pub wait: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_rows: 2_000_000,
            wait: std::time::Duration::from_secs(60),
        }
    }
}

/// One delivered file.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub dataset: Dataset,
    /// File name or other label used in messages and the log.
    pub source_name: String,
    pub input: Input<'a>,
    /// Content-Type or file name, if known.
    pub format_hint: Option<String>,
    pub dry_run: bool,
    /// Token name, or `cli`.
    pub actor: String,
    /// The Datenstand of a delivery whose rows do not name one (`--stichtag`; Onlinedienste
    /// only); without it, the day of the import.
    pub stichtag: Option<chrono::NaiveDate>,
}

/// What a successful import did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub dataset: Dataset,
    pub source_name: String,
    pub format: &'static str,
    pub encoding: &'static str,
    pub checksum: String,
    pub dry_run: bool,
    pub counts: Counts,
    /// Rows left out on purpose: Onlinedienste of regions outside the registry.
    pub skipped: u64,
    pub warnings: Vec<String>,
    /// Milliseconds spent reading, validating and writing.
    pub timings_ms: Timings,
    /// The import-log id of this import (0 for a dry run).
    pub log_id: i64,
    /// The validated records, sorted by natural key, when the file was small enough to hold
    /// them (one batch): a snapshot can take them over without reading the table again.
    #[serde(skip)]
    pub records: Option<std::sync::Arc<Vec<dataset::Record>>>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Reading the file, with validation running beside it on a second thread (wall time).
    pub read: f64,
    /// Validating, sorting and spilling the batches (their thread's busy time, within `read`).
    pub validate: f64,
    /// Merging the runs and writing (or, for a dry run, comparing).
    pub write: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {} rows from {} ({}, {}): {} inserted, {} updated, {} unchanged{}",
            if self.dry_run {
                "dry run, nothing written: "
            } else {
                ""
            },
            self.dataset,
            self.counts.total,
            self.source_name,
            self.format,
            self.encoding,
            self.counts.inserted,
            self.counts.updated,
            self.counts.unchanged,
            if self.warnings.is_empty() {
                String::new()
            } else {
                format!(", {} warning(s)", self.warnings.len())
            }
        )
    }
}

/// At most this many issues are listed in a report; the total is always given.
pub const MAX_LISTED_ISSUES: usize = 1000;

/// A value quoted in a report is cut after this many characters.
pub const MAX_QUOTED_CHARS: usize = 120;

/// Why a file was refused: every problem found, each with line, column, value and reason.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub file: String,
    pub dataset: Dataset,
    pub issue_count: usize,
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} problem(s), nothing was imported:",
            self.file, self.issue_count
        )?;
        for i in &self.issues {
            writeln!(
                f,
                "{}:{}: column {}, value {:?}: {}",
                self.file, i.line, i.column, i.value, i.reason
            )?;
        }
        if self.issue_count > self.issues.len() {
            writeln!(f, "… and {} more", self.issue_count - self.issues.len())?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {size} bytes exceed the limit of {limit} bytes")]
    TooLarge {
        file: String,
        size: usize,
        limit: usize,
    },
    /// The file is not a readable table (encoding, syntax, archive, limits while reading).
    #[error("{0}")]
    Unreadable(Box<Report>),
    /// The table was read, but rows or columns are invalid.
    #[error("{0}")]
    Invalid(Box<Report>),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The values of [`ImportError::reason`].
pub use crate::model::FAILURE_REASONS;

impl ImportError {
    /// The `reason` label of `digitalatlas_import_failures_total` and the failure log.
    pub fn reason(&self) -> &'static str {
        match self {
            ImportError::TooLarge { .. } => "too_large",
            ImportError::Unreadable(_) => "unreadable",
            ImportError::Invalid(_) => "invalid",
            ImportError::Store(e) if e.is_retryable() => "busy",
            ImportError::Store(_) => "database",
        }
    }

    /// True when trying again later can succeed (another import held the lock, the database
    /// did not answer): HTTP 503 with `Retry-After`, CLI exit code 75 (EX_TEMPFAIL).
    pub fn is_retryable(&self) -> bool {
        matches!(self, ImportError::Store(e) if e.is_retryable())
    }

    /// A one-line summary for the failure log.
    fn summary(&self) -> String {
        match self {
            ImportError::Unreadable(r) | ImportError::Invalid(r) => {
                let first = r
                    .issues
                    .first()
                    .map(|i| format!(": line {} {}: {}", i.line, i.column, i.reason))
                    .unwrap_or_default();
                format!("{} problem(s){first}", r.issue_count)
            }
            other => other.to_string(),
        }
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Store(StoreError::Sqlx(e))
    }
}

/// Imports run one at a time per process, so that the diff against stored rows stays true.
static IMPORT_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn report(req: &Request<'_>, issues: Issues, warnings: Vec<String>) -> ImportError {
    let (issues, count) = issues.into_sorted();
    ImportError::Invalid(report_of(req, issues, count, warnings))
}

fn report_of(
    req: &Request<'_>,
    mut issues: Vec<Issue>,
    issue_count: usize,
    warnings: Vec<String>,
) -> Box<Report> {
    issues.truncate(MAX_LISTED_ISSUES);
    for issue in &mut issues {
        // A hostile cell can be megabytes long; the report quotes its start.
        if let Some((cut, _)) = issue.value.char_indices().nth(MAX_QUOTED_CHARS) {
            issue.value.truncate(cut);
            issue.value.push('…');
        }
    }
    Box::new(Report {
        file: req.source_name.clone(),
        dataset: req.dataset,
        issue_count,
        issues,
        warnings,
    })
}

/// Runs CPU-heavy work (parsing, validation) off the async workers when the runtime has other
/// workers to take over, so that `/healthz` and `/metrics` stay fast during a large import.
fn offload<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// A random id for the failure log (unique across processes without coordination).
fn failure_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = crate::model::clock::unix_nanos();
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    hex(&h.finalize()[..16])
}

/// Reads, validates and (unless a dry run) writes one file. All rows or none. A refusal or
/// failure is recorded in the failure log (dry runs excepted: they only ask).
pub async fn run(
    store: &Store,
    req: &Request<'_>,
    limits: Limits,
    progress: &ProgressBar,
) -> Result<Summary, ImportError> {
    let result = run_unlogged(store, req, limits, progress).await;
    if let Err(e) = &result {
        if !req.dry_run {
            record_refusal(store, req, e).await;
        }
    }
    result
}

/// Records a refused or failed import in the failure log (also one refused before [`run`]
/// could see it, such as an HTTP body over the limit).
pub async fn record_refusal(store: &Store, req: &Request<'_>, error: &ImportError) {
    store
        .record_failure(&crate::store::imports::Failure {
            id: failure_id(),
            dataset: req.dataset.as_str().into(),
            source_name: req.source_name.clone(),
            actor: req.actor.clone(),
            reason: error.reason().into(),
            message: error.summary(),
            failed_at: crate::model::clock::now_rfc3339(),
        })
        .await;
}

/// The report of a file that cannot be read as a table.
fn unreadable(req: &Request<'_>, line: u64, reason: String) -> ImportError {
    ImportError::Unreadable(report_of(
        req,
        vec![Issue {
            line,
            column: String::new(),
            value: String::new(),
            reason,
        }],
        1,
        vec![],
    ))
}

/// A temporary file of the import could not be written or read back.
fn spill_failed(e: std::io::Error) -> ImportError {
    ImportError::Store(StoreError::Sqlx(sqlx::Error::Io(e)))
}

/// The file's size, refused above the limit, and its format (from the hint or the content).
fn size_and_format(req: &Request<'_>, limits: Limits) -> Result<(u64, FileFormat), ImportError> {
    let io = |e: std::io::Error| unreadable(req, 0, format!("cannot read the file: {e}"));
    let size = req.input.len().map_err(io)?;
    if size > limits.max_bytes as u64 {
        return Err(ImportError::TooLarge {
            file: req.source_name.clone(),
            size: size as usize,
            limit: limits.max_bytes,
        });
    }
    let head = req.input.head(4096).map_err(io)?;
    Ok((size, FileFormat::detect(req.format_hint.as_deref(), &head)))
}

/// Writes (or, for a dry run, compares) the staged runs merged in key order, in one
/// transaction. `Ok(Err(()))`: the store found a repeated key, which the caller reports.
async fn write_runs(
    store: &Store,
    req: &Request<'_>,
    limits: Limits,
    runs: &[stage::Run],
    provenance: &Provenance,
    progress: &ProgressBar,
) -> Result<Result<(Counts, i64), ()>, ImportError> {
    let mut unique = Unique::new(Merge::new(runs).map_err(spill_failed)?, progress.clone());
    let applied = store
        .apply_import(
            req.dataset,
            &mut unique,
            provenance,
            req.dry_run,
            limits.wait,
        )
        .await?;
    match applied {
        Some(written) => Ok(Ok(written)),
        None => match unique.read_error.take() {
            Some(e) => Err(spill_failed(e)),
            None => Ok(Err(())),
        },
    }
}

/// This process' import lock, waited for at most `limits.wait`.
async fn in_process_lock(
    limits: Limits,
) -> Result<tokio::sync::MutexGuard<'static, ()>, StoreError> {
    tokio::time::timeout(limits.wait, IMPORT_LOCK.lock())
        .await
        .map_err(|_| StoreError::Busy {
            waited_s: limits.wait.as_secs(),
        })
}

/// The warning that says how many rows were left out on purpose.
fn note_skipped(warnings: &mut Vec<String>, skipped: u64) {
    if skipped > 0 {
        warnings.push(format!(
            "{skipped} row(s) of regions outside the registry left out (another Land, or a \
             Gemeinde merged since the registry's Gebietsstand)"
        ));
    }
}

/// Reads the file and validates, sorts and spills its records (`stage.rs`), on this thread.
fn read_and_stage(
    req: &Request<'_>,
    ctx: &crate::model::KnownKeys,
    format: FileFormat,
    utf8: bool,
    limits: Limits,
    progress: &ProgressBar,
) -> (Result<&'static str, table::ReadError>, stage::Staged) {
    let consumed = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    stage::stage(
        req.dataset,
        ctx,
        progress.clone(),
        consumed.clone(),
        |stager| table::read_into(format, &req.input, utf8, limits.max_rows, &consumed, stager),
    )
}

async fn run_unlogged(
    store: &Store,
    req: &Request<'_>,
    limits: Limits,
    progress: &ProgressBar,
) -> Result<Summary, ImportError> {
    let io = |e: std::io::Error| unreadable(req, 0, format!("cannot read the file: {e}"));
    let (size, format) = size_and_format(req, limits)?;
    let mut timings = Timings::default();
    let started = std::time::Instant::now();
    progress.set_message(format!("reading {}", req.source_name));
    progress.set_length(size);
    let scan = offload(|| req.input.scan()).map_err(io)?;

    let _guard = in_process_lock(limits).await?;
    let mut ctx = store.import_context().await?;
    ctx.stichtag = req.stichtag;
    let (read, staged) = offload(|| read_and_stage(req, &ctx, format, scan.utf8, limits, progress));
    timings.validate = staged.validate_ms;
    timings.read = started.elapsed().as_secs_f64() * 1e3;
    let encoding = read.map_err(|e| unreadable(req, e.line, e.reason))?;
    let stage::Staged {
        runs,
        mut issues,
        mut warnings,
        records: valid,
        skipped,
        spill_error,
        ..
    } = staged;
    note_skipped(&mut warnings, skipped);
    if let Some(e) = spill_error {
        return Err(spill_failed(e));
    }
    if !issues.is_empty() {
        offload(|| stage::duplicates(req.dataset, &runs, &mut issues)).map_err(spill_failed)?;
        return Err(report(req, issues, warnings));
    }
    let since = std::time::Instant::now();
    progress.set_message(if req.dry_run { "comparing" } else { "writing" });
    progress.set_length(valid);
    progress.set_position(0);
    let provenance = Provenance {
        source_name: req.source_name.clone(),
        checksum: scan.checksum.clone(),
        actor: req.actor.clone(),
    };
    let (counts, log_id) = match write_runs(store, req, limits, &runs, &provenance, progress)
        .await?
    {
        Ok(written) => written,
        Err(()) => {
            offload(|| stage::duplicates(req.dataset, &runs, &mut issues)).map_err(spill_failed)?;
            return Err(report(req, issues, warnings));
        }
    };
    timings.write = since.elapsed().as_secs_f64() * 1e3;
    progress.finish_and_clear();
    let records = match runs.as_slice() {
        [stage::Run::Memory(records)] => Some(records.clone()),
        [] => Some(Default::default()),
        _ => None,
    };
    Ok(Summary {
        dataset: req.dataset,
        source_name: req.source_name.clone(),
        format: format.name(),
        encoding,
        checksum: scan.checksum,
        dry_run: req.dry_run,
        counts,
        skipped,
        log_id,
        warnings,
        timings_ms: timings,
        records,
    })
}

pub use crate::format::hex;
