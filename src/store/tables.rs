//! Where each dataset's records are stored: table, natural-key columns and value columns.
//! The SQL names of the import tables live here, nowhere else.

use crate::model::Dataset;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    OptText,
    Int,
}

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

impl Dataset {
    /// Where the records go: table, natural-key columns, value columns (cells in that order).
    pub fn storage(self) -> StorageSpec {
        match self {
            Dataset::Qualifikationen => StorageSpec {
                table: "qualifications",
                key: &["participant_id", "course", "completed_on"],
                values: &[
                    ("administration_id", ColType::Text),
                    ("programme", ColType::Text),
                    ("provider", ColType::Text),
                    ("seminar_days", ColType::Int),
                    ("voucher_cents", ColType::Int),
                ],
                // A foreign key in the schema (a small table).
                references: &[],
            },
            Dataset::Prozesse => StorageSpec {
                table: "processes",
                key: &["process_id"],
                values: &[
                    ("name", ColType::Text),
                    ("art", ColType::Text),
                    ("leika_key", ColType::OptText),
                    ("ozg_id", ColType::OptText),
                    ("themenfeld", ColType::OptText),
                ],
                references: &[],
            },
            Dataset::Aktivierungen => StorageSpec {
                table: "activations",
                key: &["administration_id", "process_id", "activated_on"],
                values: &[("deactivated_on", ColType::OptText)],
                // Foreign keys until migration 4; millions of rows, checked as sets.
                references: &[
                    Reference {
                        column: 0,
                        name: "administration_id",
                        table: "administrations",
                        key: "id",
                    },
                    Reference {
                        column: 1,
                        name: "process_id",
                        table: "processes",
                        key: "process_id",
                    },
                ],
            },
            Dataset::Konten => StorageSpec {
                table: "servicebw_accounts",
                key: &["reference_date", "account_type", "scope"],
                values: &[("count", ColType::Int)],
                references: &[],
            },
        }
    }
}
