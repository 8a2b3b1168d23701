//! The exposition gzip-compressed for a scrape without compressing it anew (Prometheus asks for
//! gzip on every scrape): the snapshot's families, the bulk and the same for a data version, are
//! deflated once and kept, ending in a sync flush (byte-aligned, not final); each scrape appends
//! its live families (a few kB) as stored deflate blocks (RFC 1951 §3.2.4: no compressor to set
//! up per scrape, the last block final), and the gzip trailer's CRC-32 is combined from the two
//! parts. The result is one ordinary gzip member (RFC 1952).

use std::io::Write;

use bytes::Bytes;
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};

/// The gzip header: deflate, no flags, no time, no extra flags, OS unknown.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// The deflated data part of an exposition, open for more.
#[derive(Debug)]
pub(super) struct Prefix {
    deflated: Vec<u8>,
    crc: Crc,
    len: usize,
}

impl Prefix {
    /// Bytes held.
    pub(super) fn heap_bytes(&self) -> usize {
        self.deflated.capacity()
    }

    /// Deflates `data`, ending in a sync flush.
    pub(super) fn of(data: &[u8]) -> Prefix {
        let mut enc =
            DeflateEncoder::new(Vec::with_capacity(data.len() / 4), Compression::default());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(data);
        let _ = enc.flush();
        let mut crc = Crc::new();
        crc.update(data);
        Prefix {
            deflated: enc.get_ref().clone(),
            crc,
            len: data.len(),
        }
    }

    /// The gzip member of this prefix followed by `live`.
    pub(super) fn gzip_with(&self, live: &[u8]) -> Bytes {
        let tail = stored_blocks(live);
        let mut crc = Crc::new();
        crc.combine(&self.crc);
        let mut live_crc = Crc::new();
        live_crc.update(live);
        crc.combine(&live_crc);
        let size = (self.len + live.len()) as u32; // ISIZE: the length modulo 2^32
        let mut out = Vec::with_capacity(HEADER.len() + self.deflated.len() + tail.len() + 8);
        out.extend_from_slice(&HEADER);
        out.extend_from_slice(&self.deflated);
        out.extend_from_slice(&tail);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        Bytes::from(out)
    }
}

/// `data` as stored (uncompressed) deflate blocks of at most 65,535 bytes, the last one final.
fn stored_blocks(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / 65_535 + 1));
    let mut chunks = data.chunks(65_535).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]); // an empty final block
    }
    while let Some(chunk) = chunks.next() {
        let len = chunk.len() as u16;
        out.push(u8::from(chunks.peek().is_none())); // BFINAL; BTYPE 00 = stored
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_kept_part_and_a_fresh_tail_make_one_gzip_member_of_both() {
        let bulk: String = (0..20_000)
            .map(|i| format!("digitalatlas_x{{kreis=\"{:05}\"}} {i}\n", i % 44))
            .collect();
        let prefix = Prefix::of(bulk.as_bytes());
        let long = "x".repeat(150_000); // three stored blocks
        for live in ["", "up 1\n# EOF\n", long.as_str()] {
            let gz = prefix.gzip_with(live.as_bytes());
            let mut out = String::new();
            // A single-member decoder: no second member is needed or read.
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut out)
                .unwrap();
            assert!(
                out == format!("{bulk}{live}"),
                "the decompressed text differs"
            );
            assert!(
                gz.len() < bulk.len() / 5 + live.len() + 20,
                "{} bytes",
                gz.len()
            );
        }
    }
}
