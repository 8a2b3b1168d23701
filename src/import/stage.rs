//! A delivery in bounded memory: rows are validated in batches as they are read, each batch's
//! records are sorted by natural key and, unless it is the last, spilled to an anonymous
//! temporary file (a "run"). The runs are merged in key order, which finds every repeated key
//! without holding the file, and hands the records to the store already sorted.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};
use std::sync::Arc;

use indicatif::ProgressBar;

use super::dataset::{self, Columns, Context, Dataset, Issue, Record};
use super::table::{Row, RowSink};
use crate::model::{Cell, RecordStream, StreamStopped};

/// Rows validated (and records sorted) at a time; a batch's rows and records are what an import
/// holds in memory besides the current write batch.
pub(super) const BATCH_ROWS: usize = 100_000;

/// And at most about this many bytes of them (a row's text and about 48 bytes per cell of its
/// record): wide rows (an Onlinedienste export has 16 columns) make smaller batches, so that the
/// batches in flight stay within the memory bound.
pub(super) const BATCH_BYTES: usize = 24 << 20;

/// What a row costs in memory while it is staged, roughly.
fn staged_bytes(row: &Row) -> usize {
    row.cells.as_slice().len() + row.cells.len() * 48
}

/// At most this many warnings are kept; the rest are counted.
const MAX_WARNINGS: usize = 100;

/// The first issues of a file by line, and how many there were in all.
#[derive(Debug, Default)]
pub(super) struct Issues {
    kept: Vec<Issue>,
    pub(super) count: usize,
}

impl Issues {
    pub(super) fn push(&mut self, issue: Issue) {
        self.count += 1;
        self.kept.push(issue);
        if self.kept.len() >= 2 * super::MAX_LISTED_ISSUES {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.kept.sort_by_key(|i| i.line);
        self.kept.truncate(super::MAX_LISTED_ISSUES);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The kept issues by line, and the total.
    pub(super) fn into_sorted(mut self) -> (Vec<Issue>, usize) {
        self.trim();
        (self.kept, self.count)
    }
}

/// What validating a file's batches produced: the runs in file order, the issues and
/// warnings, and the count of valid records.
#[derive(Debug, Default)]
pub(super) struct Staged {
    pub(super) runs: Vec<Run>,
    pub(super) issues: Issues,
    pub(super) warnings: Vec<String>,
    more_warnings: usize,
    /// Valid records seen so far.
    pub(super) records: u64,
    /// Rows left out on purpose (see `dataset::Validated::skipped`).
    pub(super) skipped: u64,
    /// A temporary file could not be written (the import fails as a database-side error).
    pub(super) spill_error: Option<io::Error>,
    /// Milliseconds spent validating.
    pub(super) validate_ms: f64,
}

impl Staged {
    fn warn(&mut self, warnings: Vec<String>) {
        for w in warnings {
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(w);
            } else {
                self.more_warnings += 1;
            }
        }
    }

    /// Validates one batch and keeps its records as a run (spilled unless `last`).
    fn take(&mut self, batch: &[Row], cols: &Columns, last: bool, with: &Validation<'_>) {
        let t = std::time::Instant::now();
        let mut v = dataset::validate_batch(with.dataset, batch, cols, with.ctx);
        with.progress
            .set_position(with.consumed.load(AtomicOrdering::Relaxed));
        for issue in v.issues {
            self.issues.push(issue);
        }
        self.warn(v.warnings);
        self.records += v.records.len() as u64;
        self.skipped += v.skipped;
        v.records
            .sort_unstable_by(|a, b| a.key.cmp(&b.key).then(a.line.cmp(&b.line)));
        self.validate_ms += t.elapsed().as_secs_f64() * 1e3;
        if last {
            self.runs.push(Run::Memory(Arc::new(v.records)));
            return;
        }
        match Run::spill(&v.records) {
            Ok(run) => self.runs.push(run),
            Err(e) => self.spill_error = Some(e),
        }
    }

    /// Appends what a later part of the file produced.
    fn append(&mut self, later: Staged) {
        self.runs.extend(later.runs);
        // Issues the later part counted but no longer kept still count.
        let dropped = later.issues.count - later.issues.kept.len();
        for issue in later.issues.kept {
            self.issues.push(issue);
        }
        self.issues.count += dropped;
        self.warn(later.warnings);
        self.more_warnings += later.more_warnings;
        self.records += later.records;
        self.skipped += later.skipped;
        self.spill_error = self.spill_error.take().or(later.spill_error);
        self.validate_ms += later.validate_ms;
    }

    /// Closes the warning list.
    fn finish(&mut self) {
        if self.more_warnings > 0 {
            self.warnings
                .push(format!("… and {} more warning(s)", self.more_warnings));
            self.more_warnings = 0;
        }
    }
}

/// What a batch is validated against, and where progress goes.
#[derive(Debug, Clone)]
struct Validation<'c> {
    dataset: Dataset,
    ctx: &'c Context,
    progress: ProgressBar,
    /// Bytes of the file read so far.
    consumed: Arc<AtomicU64>,
}

/// A full batch on its way to the validating thread.
type Batch = (Vec<Row>, Arc<Columns>);

/// Collects rows as they are read into batches, which a second thread validates, sorts and
/// spills while the next batch is read (at most one batch waits between them).
pub(super) struct Stager<'c> {
    with: Validation<'c>,
    cols: Option<Arc<Columns>>,
    batch: Vec<Row>,
    /// [`staged_bytes`] of the rows in `batch`.
    batch_bytes: usize,
    to_validator: Option<std::sync::mpsc::SyncSender<Batch>>,
    /// Set by the validating thread when a run could not be spilled: reading stops.
    stopped: Arc<AtomicBool>,
    /// The header's issues and warnings, then the last batch's.
    staged: Staged,
}

/// Reads a file with `read` (which feeds the stager) while a second thread validates the full
/// batches; the last batch is validated at the end and kept in memory. Returns what `read`
/// returned and everything validation produced, in file order.
pub(super) fn stage<R>(
    dataset: Dataset,
    ctx: &Context,
    progress: ProgressBar,
    consumed: Arc<AtomicU64>,
    read: impl FnOnce(&mut Stager<'_>) -> R,
) -> (R, Staged) {
    let with = Validation {
        dataset,
        ctx,
        progress,
        consumed,
    };
    std::thread::scope(|scope| {
        let (to_validator, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
        let stopped = Arc::new(AtomicBool::new(false));
        let validator = scope.spawn({
            let (with, stopped) = (with.clone(), stopped.clone());
            move || {
                let mut staged = Staged::default();
                for (batch, cols) in batches {
                    staged.take(&batch, &cols, false, &with);
                    if staged.spill_error.is_some() {
                        stopped.store(true, AtomicOrdering::Relaxed);
                        break;
                    }
                }
                staged
            }
        });
        let mut stager = Stager {
            with,
            cols: None,
            batch: Vec::new(),
            batch_bytes: 0,
            to_validator: Some(to_validator),
            stopped,
            staged: Staged::default(),
        };
        let result = read(&mut stager);
        // The validator ends when the channel closes.
        stager.to_validator = None;
        let from_validator = validator
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let mut staged = std::mem::take(&mut stager.staged);
        staged.append(from_validator);
        if let Some(cols) = &stager.cols {
            if !stager.batch.is_empty() && staged.spill_error.is_none() {
                let batch = std::mem::take(&mut stager.batch);
                staged.take(&batch, cols, true, &stager.with);
            }
        }
        staged.finish();
        (result, staged)
    })
}

impl RowSink for Stager<'_> {
    fn headers(&mut self, headers: Vec<String>) -> ControlFlow<()> {
        let (cols, v) = dataset::header(self.with.dataset, &headers);
        for issue in v.issues {
            self.staged.issues.push(issue);
        }
        self.staged.warn(v.warnings);
        self.cols = cols.map(Arc::new);
        if self.cols.is_some() {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }

    fn row(&mut self, row: Row) -> ControlFlow<()> {
        self.batch_bytes += staged_bytes(&row);
        self.batch.push(row);
        if self.batch.len() >= BATCH_ROWS || self.batch_bytes >= BATCH_BYTES {
            self.batch_bytes = 0;
            let (Some(cols), Some(to_validator)) = (&self.cols, &self.to_validator) else {
                return ControlFlow::Break(());
            };
            let room = self.batch.len();
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(room));
            if self.stopped.load(AtomicOrdering::Relaxed)
                || to_validator.send((batch, cols.clone())).is_err()
            {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// One batch's records sorted by (key, line): in memory (the last batch) or in a temporary file.
#[derive(Debug)]
pub(super) enum Run {
    Memory(Arc<Vec<Record>>),
    File(File),
}

impl Run {
    fn spill(records: &[Record]) -> io::Result<Run> {
        let mut w = BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?);
        for r in records {
            encode(&mut w, r)?;
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        Ok(Run::File(file))
    }

    /// A cursor at the run's start.
    fn cursor(&self) -> io::Result<Cursor> {
        Ok(match self {
            Run::Memory(records) => Cursor::Memory(records.clone(), 0),
            Run::File(f) => {
                let mut f = f.try_clone()?;
                f.rewind()?;
                Cursor::File(BufReader::with_capacity(64 * 1024, f))
            }
        })
    }
}

enum Cursor {
    Memory(Arc<Vec<Record>>, usize),
    File(BufReader<File>),
}

impl Cursor {
    fn next(&mut self) -> io::Result<Option<Record>> {
        match self {
            Cursor::Memory(records, i) => {
                let r = records.get(*i).cloned();
                *i += 1;
                Ok(r)
            }
            Cursor::File(f) => decode(f),
        }
    }
}

// The run file format: per record its line (u64), key (u32 length + bytes), number of cells (u8)
// and each cell (tag u8: 0 text, 1 empty optional text, 2 optional text, 3 integer, 4 float).

fn put_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    let len = u32::try_from(s.len()).map_err(|_| io::Error::other("value too long"))?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn encode(w: &mut impl Write, r: &Record) -> io::Result<()> {
    w.write_all(&r.line.to_le_bytes())?;
    put_str(w, &r.key)?;
    w.write_all(&[r.values.len() as u8])?;
    for c in &r.values {
        match c {
            Cell::Text(s) => {
                w.write_all(&[0])?;
                put_str(w, s)?;
            }
            Cell::OptText(None) => w.write_all(&[1])?,
            Cell::OptText(Some(s)) => {
                w.write_all(&[2])?;
                put_str(w, s)?;
            }
            Cell::Int(v) => {
                w.write_all(&[3])?;
                w.write_all(&v.to_le_bytes())?;
            }
            Cell::Float(v) => {
                w.write_all(&[4])?;
                w.write_all(&v.to_le_bytes())?;
            }
        }
    }
    Ok(())
}

fn get<const N: usize>(r: &mut impl Read) -> io::Result<[u8; N]> {
    let mut b = [0u8; N];
    r.read_exact(&mut b)?;
    Ok(b)
}

fn get_str(r: &mut impl Read) -> io::Result<String> {
    let len = u32::from_le_bytes(get(r)?) as usize;
    let mut b = vec![0u8; len];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(io::Error::other)
}

fn decode(r: &mut impl Read) -> io::Result<Option<Record>> {
    let mut line = [0u8; 8];
    match r.read_exact(&mut line) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let key = get_str(r)?;
    let [n] = get::<1>(r)?;
    let mut values = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let [tag] = get::<1>(r)?;
        values.push(match tag {
            0 => Cell::Text(get_str(r)?),
            1 => Cell::OptText(None),
            2 => Cell::OptText(Some(get_str(r)?)),
            3 => Cell::Int(i64::from_le_bytes(get(r)?)),
            4 => Cell::Float(f64::from_le_bytes(get(r)?)),
            _ => return Err(io::Error::other("corrupt run file")),
        });
    }
    Ok(Some(Record {
        line: u64::from_le_bytes(line),
        key,
        values,
    }))
}

/// A run's next record, ordered by (key, line) and then by run, for the merge heap.
struct Head(Record, usize);

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0.key.as_str(), self.0.line, self.1).cmp(&(
            other.0.key.as_str(),
            other.0.line,
            other.1,
        ))
    }
}

/// All runs' records in (key, line) order.
pub(super) struct Merge {
    cursors: Vec<Cursor>,
    heap: BinaryHeap<Reverse<Head>>,
}

impl Merge {
    pub(super) fn new(runs: &[Run]) -> io::Result<Merge> {
        let mut cursors = runs
            .iter()
            .map(Run::cursor)
            .collect::<io::Result<Vec<_>>>()?;
        let mut heap = BinaryHeap::with_capacity(cursors.len());
        for (i, c) in cursors.iter_mut().enumerate() {
            if let Some(r) = c.next()? {
                heap.push(Reverse(Head(r, i)));
            }
        }
        Ok(Merge { cursors, heap })
    }

    pub(super) fn next(&mut self) -> io::Result<Option<Record>> {
        let Some(Reverse(Head(record, i))) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(r) = self.cursors[i].next()? {
            self.heap.push(Reverse(Head(r, i)));
        }
        Ok(Some(record))
    }
}

/// The merged records for the store, stopping at the first repeated key or unreadable run.
pub(super) struct Unique {
    merge: Merge,
    last: Option<String>,
    /// Set when a run could not be read back (else a stop means a repeated key).
    pub(super) read_error: Option<io::Error>,
    handed: u64,
    progress: ProgressBar,
}

impl Unique {
    pub(super) fn new(merge: Merge, progress: ProgressBar) -> Unique {
        Unique {
            merge,
            last: None,
            read_error: None,
            handed: 0,
            progress,
        }
    }
}

impl RecordStream for Unique {
    fn next_record(&mut self) -> Result<Option<Record>, StreamStopped> {
        let r = match self.merge.next() {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(None),
            Err(e) => {
                self.read_error = Some(e);
                return Err(StreamStopped);
            }
        };
        if self.last.as_ref().is_some_and(|k| *k == r.key) {
            return Err(StreamStopped);
        }
        match &mut self.last {
            Some(k) => k.clone_from(&r.key),
            None => self.last = Some(r.key.clone()),
        }
        self.handed += 1;
        if self.handed.is_multiple_of(10_000) {
            self.progress.set_position(self.handed);
        }
        Ok(Some(r))
    }
}

/// Every repeated key of the runs as an issue pointing back at the key's first line.
pub(super) fn duplicates(dataset: Dataset, runs: &[Run], issues: &mut Issues) -> io::Result<()> {
    let mut merge = Merge::new(runs)?;
    let mut first: Option<(String, u64)> = None;
    while let Some(r) = merge.next()? {
        match &first {
            Some((key, line)) if *key == r.key => {
                issues.push(dataset::duplicate(dataset, &r, *line))
            }
            _ => first = Some((r.key, r.line)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, line: u64) -> Record {
        Record {
            line,
            key: key.into(),
            values: vec![
                Cell::Text("t".into()),
                Cell::OptText(None),
                Cell::OptText(Some("ö".into())),
                Cell::Int(-3),
                Cell::Float(0.5),
            ],
        }
    }

    #[test]
    fn runs_round_trip_and_merge_in_key_then_line_order() {
        let a = Run::spill(&[record("a", 5), record("c", 1)]).unwrap();
        let b = Run::spill(&[record("a", 2), record("b", 9)]).unwrap();
        let c = Run::Memory(Arc::new(vec![record("d", 3)]));
        let mut m = Merge::new(&[a, b, c]).unwrap();
        let mut got = Vec::new();
        while let Some(r) = m.next().unwrap() {
            assert_eq!(r.values, record("", 0).values);
            got.push((r.key, r.line));
        }
        let want = [("a", 2), ("a", 5), ("b", 9), ("c", 1), ("d", 3)];
        assert_eq!(got, want.map(|(k, l)| (k.to_string(), l)));
    }

    #[test]
    fn unique_stops_at_a_repeated_key_and_duplicates_lists_them_all() {
        let runs = [
            Run::spill(&[record("a", 5), record("b", 1)]).unwrap(),
            Run::Memory(Arc::new(vec![
                record("a", 2),
                record("b", 7),
                record("b", 8),
            ])),
        ];
        let mut u = Unique::new(Merge::new(&runs).unwrap(), ProgressBar::hidden());
        assert_eq!(u.next_record().unwrap().unwrap().line, 2);
        assert!(u.next_record().is_err());
        let mut issues = Issues::default();
        duplicates(Dataset::Prozesse, &runs, &mut issues).unwrap();
        let (kept, count) = issues.into_sorted();
        assert_eq!(count, 3);
        let lines: Vec<u64> = kept.iter().map(|i| i.line).collect();
        assert_eq!(lines, [5, 7, 8]);
        assert!(kept[0].reason.contains("first on line 2"), "{:?}", kept[0]);
        assert!(kept[1].reason.contains("first on line 1"), "{:?}", kept[1]);
    }

    #[test]
    fn issues_keep_the_first_lines_and_count_all() {
        let mut issues = Issues::default();
        for line in (0..5000u64).rev() {
            issues.push(Issue {
                line,
                column: String::new(),
                value: String::new(),
                reason: String::new(),
            });
        }
        let (kept, count) = issues.into_sorted();
        assert_eq!(count, 5000);
        assert_eq!(kept.len(), super::super::MAX_LISTED_ISSUES);
        assert_eq!(kept[0].line, 0);
        assert_eq!(kept.last().unwrap().line, 999);
    }
}
