//! Where each dataset's records are stored: the table, and the column lists of its typed record
//! (`model::rows`, the one home of the column names and their order). The table names of the
//! import tables live here, nowhere else.

pub(super) use crate::model::rows::ColType;
use crate::model::rows::{
    AccountCount, Activation, DatasetRecord, Onlinedienst, ProcessRecord, Qualification,
};
use crate::model::Dataset;

#[derive(Debug, Clone, Copy)]
pub struct StorageSpec {
    pub table: &'static str,
    /// Natural-key columns (all TEXT).
    pub key: &'static [&'static str],
    pub values: &'static [(&'static str, ColType)],
    /// Columns that must name a row of a key table, checked by the import as sets (see
    /// `references.rs`) where the schema has no foreign key for them.
    pub references: &'static [Reference],
}

/// A column (index in record order) whose values must be keys of another table.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub column: usize,
    /// The column's name, for the error.
    pub name: &'static str,
    pub table: &'static str,
    pub key: &'static str,
}

impl StorageSpec {
    /// Every column in record order: the key columns, then the value columns.
    pub fn columns(&self) -> Vec<&'static str> {
        self.key
            .iter()
            .copied()
            .chain(self.values.iter().map(|(n, _)| *n))
            .collect()
    }
}

impl StorageSpec {
    /// The spec of a typed record's table.
    const fn of<R: DatasetRecord>(table: &'static str, references: &'static [Reference]) -> Self {
        StorageSpec {
            table,
            key: R::KEY,
            values: R::VALUES,
            references,
        }
    }
}

impl Dataset {
    /// Where the records go: table, natural-key columns, value columns (cells in that order).
    pub fn storage(self) -> StorageSpec {
        match self {
            // A foreign key in the schema (a small table).
            Dataset::Qualifikationen => StorageSpec::of::<Qualification>("qualifications", &[]),
            Dataset::Prozesse => StorageSpec::of::<ProcessRecord>("processes", &[]),
            // Foreign keys until migration 4; millions of rows, checked as sets.
            Dataset::Aktivierungen => StorageSpec::of::<Activation>(
                "activations",
                &[
                    Reference {
                        column: 0,
                        name: Activation::ADMINISTRATION_ID,
                        table: "administrations",
                        key: "id",
                    },
                    Reference {
                        column: 1,
                        name: Activation::PROCESS_ID,
                        table: "processes",
                        key: ProcessRecord::PROCESS_ID,
                    },
                ],
            ),
            Dataset::Konten => StorageSpec::of::<AccountCount>("servicebw_accounts", &[]),
            Dataset::Onlinedienste => StorageSpec::of::<Onlinedienst>("onlinedienste", &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_column_at_their_index() {
        for d in Dataset::ALL {
            let spec = d.storage();
            for r in spec.references {
                assert_eq!(spec.columns()[r.column], r.name, "{d:?}");
            }
        }
    }
}
