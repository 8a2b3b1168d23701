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
            },
            Dataset::Aktivierungen => StorageSpec {
                table: "activations",
                key: &["administration_id", "process_id", "activated_on"],
                values: &[("deactivated_on", ColType::OptText)],
            },
            Dataset::Konten => StorageSpec {
                table: "servicebw_accounts",
                key: &["reference_date", "account_type", "scope"],
                values: &[("count", ColType::Int)],
            },
        }
    }
}
