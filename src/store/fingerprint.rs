//! 128-bit fingerprints of a row's value cells, so that the diff of a delivery against a page of
//! the stored table holds 16 bytes per stored row's values instead of the values themselves.
//! Two different value lists share a fingerprint with probability about 2⁻¹²⁸.

use std::hash::Hasher;

use super::batch::Cell;

/// Two independent 64-bit SipHashes (fixed keys, so fingerprints are stable within a process).
#[derive(Default)]
pub(super) struct Fingerprint {
    a: std::collections::hash_map::DefaultHasher,
    b: std::collections::hash_map::DefaultHasher,
}

impl Fingerprint {
    pub(super) fn new() -> Fingerprint {
        let mut f = Fingerprint::default();
        f.b.write_u8(0x5a);
        f
    }

    fn bytes(&mut self, v: &[u8]) {
        self.a.write(v);
        self.b.write(v);
    }

    fn tagged(&mut self, tag: u8, v: &[u8]) {
        self.bytes(&[tag]);
        self.bytes(&(v.len() as u64).to_le_bytes());
        self.bytes(v);
    }

    /// Adds one cell; the encoding is injective (kind tag, length, content).
    pub(super) fn cell(&mut self, c: CellRef<'_>) {
        match c {
            CellRef::Text(v) => self.tagged(1, v.as_bytes()),
            CellRef::OptText(None) => self.bytes(&[2, 0]),
            CellRef::OptText(Some(v)) => self.tagged(3, v.as_bytes()),
            CellRef::Int(v) => self.tagged(4, &v.to_le_bytes()),
            CellRef::Float(v) => self.tagged(5, &v.to_bits().to_le_bytes()),
        }
    }

    pub(super) fn finish(&self) -> u128 {
        (u128::from(self.a.finish()) << 64) | u128::from(self.b.finish())
    }
}

/// A cell's value, borrowed from a [`Cell`] or from a stored row being read.
#[derive(Debug, Clone, Copy)]
pub(super) enum CellRef<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    Float(f64),
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(c: &'a Cell) -> Self {
        match c {
            Cell::Text(v) => CellRef::Text(v),
            Cell::OptText(v) => CellRef::OptText(v.as_deref()),
            Cell::Int(v) => CellRef::Int(*v),
            Cell::Float(v) => CellRef::Float(*v),
        }
    }
}

/// The fingerprint of a list of value cells.
pub(super) fn of_cells<'a>(cells: impl IntoIterator<Item = CellRef<'a>>) -> u128 {
    let mut f = Fingerprint::new();
    for c in cells {
        f.cell(c);
    }
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_cells_equal_fingerprints_and_kinds_and_boundaries_count() {
        let cells = [Cell::Text("a".into()), Cell::OptText(None), Cell::Int(3)];
        assert_eq!(
            of_cells(cells.iter().map(CellRef::from)),
            of_cells([CellRef::Text("a"), CellRef::OptText(None), CellRef::Int(3)])
        );
        assert_ne!(
            of_cells([CellRef::Text("ab"), CellRef::Text("")]),
            of_cells([CellRef::Text("a"), CellRef::Text("b")])
        );
        assert_ne!(
            of_cells([CellRef::OptText(None)]),
            of_cells([CellRef::OptText(Some(""))])
        );
        assert_ne!(
            of_cells([CellRef::Text("")]),
            of_cells([CellRef::OptText(Some(""))])
        );
    }
}
