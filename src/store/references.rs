//! The references of imported records to the key tables (an activation's administration and
//! process), checked as sets inside the import transaction: the distinct values are collected
//! while the records stream past, and each key table is read once before the import log row is
//! written. Migration 4 dropped the per-row foreign keys of `activations` for this: on
//! PostgreSQL their triggers were about 80 % of an import's write. Validation checks the same
//! references earlier (against keys read before the transaction); this check holds under the
//! import lock, against what the transaction sees.

use std::collections::HashSet;

use super::tables::{Reference, StorageSpec};
use super::StoreError;
use crate::model::{Cell, Record, RecordStream, StreamStopped};

/// A [`RecordStream`] that notes the distinct values of the referencing columns as it passes.
pub(super) struct Referenced<'s> {
    inner: &'s mut dyn RecordStream,
    key_len: usize,
    refs: &'static [Reference],
    /// Per reference: the last value seen (records come sorted, so the leading key parts repeat
    /// in runs) and every distinct value.
    seen: Vec<(String, HashSet<String>)>,
}

impl<'s> Referenced<'s> {
    pub(super) fn new(spec: &StorageSpec, inner: &'s mut dyn RecordStream) -> Referenced<'s> {
        Referenced {
            inner,
            key_len: spec.key.len(),
            refs: spec.references,
            seen: spec
                .references
                .iter()
                .map(|_| (String::new(), HashSet::new()))
                .collect(),
        }
    }

    fn note(&mut self, record: &Record) {
        for (reference, (last, set)) in self.refs.iter().zip(&mut self.seen) {
            let value = if reference.column < self.key_len {
                record.key_parts().nth(reference.column)
            } else {
                match record.values.get(reference.column - self.key_len) {
                    Some(Cell::Text(v) | Cell::OptText(Some(v))) => Some(v.as_str()),
                    _ => None,
                }
            };
            let Some(value) = value else { continue };
            if value != last.as_str() {
                if !set.contains(value) {
                    set.insert(value.to_string());
                }
                last.clear();
                last.push_str(value);
            }
        }
    }

    /// One query per reference: every key of its table (`SELECT key FROM table`).
    pub(super) fn queries(&self) -> impl Iterator<Item = (usize, String)> + '_ {
        self.refs
            .iter()
            .enumerate()
            .map(|(i, r)| (i, format!("SELECT {} FROM {}", r.key, r.table)))
    }

    /// Fails when a value of reference `i` is missing from `stored`, the keys its query read
    /// (the smallest such value is named).
    pub(super) fn verify(&self, i: usize, stored: &HashSet<String>) -> Result<(), StoreError> {
        let (reference, (_, seen)) = (&self.refs[i], &self.seen[i]);
        match seen.iter().filter(|v| !stored.contains(*v)).min() {
            None => Ok(()),
            Some(value) => Err(StoreError::MissingReference {
                column: reference.name,
                table: reference.table,
                value: value.clone(),
            }),
        }
    }
}

impl RecordStream for Referenced<'_> {
    fn next_record(&mut self) -> Result<Option<Record>, StreamStopped> {
        let next = self.inner.next_record()?;
        if let Some(record) = &next {
            self.note(record);
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{join_key, Dataset, SliceStream};

    fn activation(admin: &str, process: &str) -> Record {
        Record {
            line: 2,
            key: join_key(&[admin, process, "2024-01-01"]),
            values: vec![Cell::OptText(None)],
        }
    }

    #[test]
    fn every_distinct_referenced_value_is_checked() {
        let spec = Dataset::Aktivierungen.storage();
        let records = [
            activation("08111000", "S1"),
            activation("08111000", "S2"),
            activation("08115", "S1"),
        ];
        let mut slice = SliceStream(records.iter());
        let mut refs = Referenced::new(&spec, &mut slice);
        while refs.next_record().unwrap().is_some() {}
        let queries: Vec<_> = refs.queries().collect();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].1, "SELECT process_id FROM processes");
        let stored = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
        refs.verify(0, &stored(&["08111000", "08115", "08116"]))
            .unwrap();
        let err = refs.verify(1, &stored(&["S1"])).unwrap_err();
        assert!(
            matches!(&err, StoreError::MissingReference { value, .. } if value == "S2"),
            "{err}"
        );
        assert!(err.to_string().contains("process_id"), "{err}");
    }
}
