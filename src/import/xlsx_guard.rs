//! What an XLSX archive is allowed to expand to, checked before calamine reads a byte of it.
//! An XLSX file is a zip archive; a small one can declare (or really hold) gigabytes of XML.
//! Every entry is inflated once into a counting sink, so that neither a lying header nor a
//! real zip bomb gets past the limit, and nothing is kept in memory while counting.

use std::io::{Read, Seek};

/// The largest decompressed size accepted for an XLSX file of `compressed` bytes: a generous
/// multiple of the file (real workbooks compress 5 to 15 times) plus a constant for small files.
pub(super) fn max_inflated(compressed: usize) -> u64 {
    (compressed as u64).saturating_mul(40) + 32 * 1024 * 1024
}

/// Most entries in an archive (a workbook has a dozen or two).
const MAX_ENTRIES: usize = 10_000;

/// Refuses archives that are unreadable, have too many entries, or inflate beyond
/// [`max_inflated`].
pub(super) fn check(file: impl Read + Seek, len: u64) -> Result<(), String> {
    let limit = max_inflated(len as usize);
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("not a readable XLSX workbook (zip archive): {e}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "the XLSX archive has {} entries (at most {MAX_ENTRIES})",
            archive.len()
        ));
    }
    let declared: u64 = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    let too_big = |size: u64| {
        format!(
            "the XLSX archive expands to more than {size} bytes (at most {limit} for a file of \
             {len} bytes); this is not a plain workbook"
        )
    };
    if declared > limit {
        return Err(too_big(declared));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("unreadable entry {i} of the XLSX archive: {e}"))?;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
                    return Err(format!(
                        "unreadable entry {name:?} of the XLSX archive: {e}"
                    ));
                }
            };
            total += n as u64;
            if total > limit {
                return Err(too_big(total));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    fn check(bytes: &[u8]) -> Result<(), String> {
        super::check(Cursor::new(bytes), bytes.len() as u64)
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            w.start_file(
                *name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn refuses_archives_that_inflate_too_far() {
        let big = vec![b'a'; 40 * 1024 * 1024];
        let bomb = zip_of(&[("xl/sharedStrings.xml", &big)]);
        let err = check(&bomb).unwrap_err();
        assert!(err.contains("expands to more than"), "{err}");
        assert!(check(&zip_of(&[("a", b"small")])).is_ok());
        assert!(check(b"PK\x03\x04 not really").is_err());
    }
}
