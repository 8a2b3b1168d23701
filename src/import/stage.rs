//! A delivery in bounded memory: rows are validated in batches as they are read, each batch's
//! records are sorted by natural key and, unless it is the last, spilled to an anonymous
//! temporary file (a "run"). The runs are merged in key order, which finds every repeated key
//! without holding the file, and hands the records to the store already sorted.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::Arc;

use indicatif::ProgressBar;

use super::dataset::{self, Columns, Context, Dataset, Issue, Record};
use super::table::{Row, RowSink};
use crate::model::{Cell, RecordStream, StreamStopped};

/// Rows validated (and records sorted) at a time; a batch's rows and records are what an import
/// holds in memory besides the current write batch.
pub(super) const BATCH_ROWS: usize = 100_000;

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

/// Validates rows as they are read; see the module documentation.
pub(super) struct Stager<'c> {
    dataset: Dataset,
    ctx: &'c Context,
    cols: Option<Columns>,
    batch: Vec<Row>,
    pub(super) runs: Vec<Run>,
    pub(super) issues: Issues,
    pub(super) warnings: Vec<String>,
    more_warnings: usize,
    /// Valid records seen so far.
    pub(super) records: u64,
    /// A temporary file could not be written (the import fails as a database-side error).
    pub(super) spill_error: Option<io::Error>,
    /// Milliseconds spent validating.
    pub(super) validate_ms: f64,
    progress: ProgressBar,
    /// Bytes of the file read so far.
    consumed: Arc<AtomicU64>,
}

impl<'c> Stager<'c> {
    pub(super) fn new(
        dataset: Dataset,
        ctx: &'c Context,
        progress: ProgressBar,
        consumed: Arc<AtomicU64>,
    ) -> Stager<'c> {
        Stager {
            dataset,
            ctx,
            cols: None,
            batch: Vec::new(),
            runs: Vec::new(),
            issues: Issues::default(),
            warnings: Vec::new(),
            more_warnings: 0,
            records: 0,
            spill_error: None,
            validate_ms: 0.0,
            progress,
            consumed,
        }
    }

    /// Validates what is left; call after the last row.
    pub(super) fn finish(&mut self) {
        self.flush(true);
        if self.more_warnings > 0 {
            self.warnings
                .push(format!("… and {} more warning(s)", self.more_warnings));
            self.more_warnings = 0;
        }
    }

    fn warn(&mut self, warnings: Vec<String>) {
        for w in warnings {
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(w);
            } else {
                self.more_warnings += 1;
            }
        }
    }

    /// Validates the current batch and keeps its records as a run (spilled unless `last`).
    fn flush(&mut self, last: bool) {
        let Some(cols) = &self.cols else { return };
        if self.batch.is_empty() {
            return;
        }
        let t = std::time::Instant::now();
        let mut v = dataset::validate_batch(self.dataset, &self.batch, cols, self.ctx);
        self.batch.clear();
        self.progress
            .set_position(self.consumed.load(AtomicOrdering::Relaxed));
        for issue in v.issues {
            self.issues.push(issue);
        }
        self.warn(v.warnings);
        self.records += v.records.len() as u64;
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
}

impl RowSink for Stager<'_> {
    fn headers(&mut self, headers: Vec<String>) -> ControlFlow<()> {
        let (cols, v) = dataset::header(self.dataset, &headers);
        for issue in v.issues {
            self.issues.push(issue);
        }
        self.warn(v.warnings);
        self.cols = cols;
        if self.cols.is_some() {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }

    fn row(&mut self, row: Row) -> ControlFlow<()> {
        self.batch.push(row);
        if self.batch.len() >= BATCH_ROWS {
            self.flush(false);
            if self.spill_error.is_some() {
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
