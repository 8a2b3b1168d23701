//! Where a delivered file's bytes come from: memory (an HTTP body) or a file on disk (the CLI),
//! read in a streaming way so that a large file is never held whole. A first pass takes the
//! checksum and tells UTF-8 from Windows-1252; the second pass reads the rows.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The bytes of one delivered file.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
}

/// What the first pass over a file found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// SHA-256 of the file, in hex.
    pub checksum: String,
    /// The whole file (after an optional BOM) is valid UTF-8.
    pub utf8: bool,
}

/// Read buffer of a file input.
const BUFFER: usize = 256 * 1024;

/// A reader that can also seek (XLSX archives are read from their end).
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

impl Input<'_> {
    /// The file's size in bytes.
    pub fn len(&self) -> io::Result<u64> {
        match self {
            Input::Bytes(b) => Ok(b.len() as u64),
            Input::File(p) => Ok(std::fs::metadata(p)?.len()),
        }
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }

    /// The file from its start.
    pub fn open(&self) -> io::Result<Box<dyn BufRead + Send + '_>> {
        Ok(match self {
            Input::Bytes(b) => Box::new(*b),
            Input::File(p) => Box::new(BufReader::with_capacity(BUFFER, File::open(p)?)),
        })
    }

    /// The file from its start, seekable.
    pub fn open_seekable(&self) -> io::Result<Box<dyn ReadSeek + '_>> {
        Ok(match self {
            Input::Bytes(b) => Box::new(io::Cursor::new(*b)),
            Input::File(p) => Box::new(BufReader::with_capacity(BUFFER, File::open(p)?)),
        })
    }

    /// Up to `n` bytes from the start (to recognise the format).
    pub fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(n);
        self.open()?.take(n as u64).read_to_end(&mut out)?;
        Ok(out)
    }

    /// The first pass: checksum and encoding, in bounded memory.
    pub fn scan(&self) -> io::Result<Scan> {
        let mut reader = self.open()?;
        let mut sha = Sha256::new();
        let mut utf8 = Utf8Check::default();
        let mut first = true;
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            sha.update(buf);
            let text = if first {
                first = false;
                buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf)
            } else {
                buf
            };
            utf8.feed(text);
            let n = buf.len();
            reader.consume(n);
        }
        Ok(Scan {
            checksum: super::hex(&sha.finalize()),
            utf8: utf8.finish(),
        })
    }
}

/// UTF-8 validity over chunks: a sequence cut at a chunk's end is completed by the next chunk.
#[derive(Default)]
struct Utf8Check {
    carry: Vec<u8>,
    bad: bool,
}

impl Utf8Check {
    fn feed(&mut self, mut chunk: &[u8]) {
        if self.bad {
            return;
        }
        // Complete a character cut at the previous chunk's end, one byte at a time.
        while !self.carry.is_empty() {
            let Some((&b, rest)) = chunk.split_first() else {
                return;
            };
            self.carry.push(b);
            chunk = rest;
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_none() => {}
                Err(_) => {
                    self.bad = true;
                    return;
                }
            }
        }
        match std::str::from_utf8(chunk) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.carry = chunk[e.valid_up_to()..].to_vec(),
            Err(_) => self.bad = true,
        }
    }

    fn finish(self) -> bool {
        !self.bad && self.carry.is_empty()
    }
}

/// Text for the CSV reader: Windows-1252 decoded to UTF-8 where the scan said so, a leading BOM
/// dropped, and every CR before an LF removed (the csv crate reports the start line of a record
/// after a CRLF one line early; with plain LF the line numbers in reports are exact).
pub(super) struct CsvText<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// Decoded bytes not yet handed out.
    out: Vec<u8>,
    pos: usize,
    /// A CR at the end of the last chunk, waiting to see whether an LF follows.
    pending_cr: bool,
    /// The first bytes, held until a BOM can be told apart.
    prefix: Vec<u8>,
    started: bool,
    done: bool,
}

impl<R: BufRead> CsvText<R> {
    pub(super) fn new(inner: R, windows_1252: bool) -> CsvText<R> {
        CsvText {
            inner,
            decoder: windows_1252
                .then(|| encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling()),
            out: Vec::new(),
            pos: 0,
            pending_cr: false,
            prefix: Vec::new(),
            started: false,
            done: false,
        }
    }

    /// Decodes the next chunk of the input into `out`.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.done {
            let buf = self.inner.fill_buf()?;
            let n = buf.len();
            let owned;
            let chunk: &[u8] = if self.started {
                buf
            } else {
                // The first three bytes decide about a BOM, however the input is chunked.
                self.prefix.extend_from_slice(buf);
                if self.prefix.len() < 3 && n != 0 {
                    self.inner.consume(n);
                    continue;
                }
                self.started = true;
                owned = std::mem::take(&mut self.prefix);
                owned.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&owned)
            };
            let mut text = Vec::with_capacity(chunk.len() + 4);
            if self.pending_cr {
                text.push(b'\r');
                self.pending_cr = false;
            }
            match &mut self.decoder {
                Some(d) => {
                    let mut s = String::with_capacity(
                        d.max_utf8_buffer_length(chunk.len())
                            .unwrap_or(chunk.len() * 3),
                    );
                    let _ = d.decode_to_string(chunk, &mut s, n == 0);
                    text.extend_from_slice(s.as_bytes());
                }
                None => text.extend_from_slice(chunk),
            }
            self.inner.consume(n);
            if n == 0 {
                self.done = true;
            } else if text.last() == Some(&b'\r') {
                text.pop();
                self.pending_cr = true;
            }
            if !text.contains(&b'\r') {
                self.out = text;
                continue;
            }
            // Drop each CR that precedes an LF.
            let mut i = 0;
            while i < text.len() {
                if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    continue;
                }
                self.out.push(text[i]);
                i += 1;
            }
        }
        Ok(())
    }
}

impl<R: BufRead> Read for CsvText<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Counts the bytes read, for the progress bar.
pub(super) struct Counted<R> {
    pub(super) inner: R,
    pub(super) bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.bytes
            .fetch_add(amt as u64, std::sync::atomic::Ordering::Relaxed);
        self.inner.consume(amt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8_in_chunks(bytes: &[u8], size: usize) -> bool {
        let mut c = Utf8Check::default();
        for chunk in bytes.chunks(size) {
            c.feed(chunk);
        }
        c.finish()
    }

    #[test]
    fn utf8_check_agrees_with_std_at_every_chunk_size() {
        let cases: [&[u8]; 6] = [
            "Böblingen ß € 𝄞".as_bytes(),
            b"B\xf6blingen",
            b"ok \xe2\x82",
            b"\xe2\x82\xac\xe2\x82\xac",
            b"\xf0\x9d\x84\x9e x",
            b"\xc3(",
        ];
        for case in cases {
            let expected = std::str::from_utf8(case).is_ok();
            for size in 1..=case.len() {
                assert_eq!(utf8_in_chunks(case, size), expected, "{case:?} by {size}");
            }
        }
    }

    fn text(bytes: &[u8], w1252: bool, chunk: usize) -> String {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.1).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let reader = BufReader::with_capacity(chunk, Chunks(bytes, chunk));
        let mut out = String::new();
        CsvText::new(reader, w1252)
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn csv_text_decodes_strips_bom_and_crlf_at_every_chunk_size() {
        let bytes = b"\xEF\xBB\xBFa;b\r\n1;\r\r\n";
        for size in 1..=bytes.len() {
            assert_eq!(text(bytes, false, size), "a;b\n1;\r\n", "by {size}");
        }
        let bytes = b"a;B\xf6\r\n\x80\r";
        for size in 1..=bytes.len() {
            assert_eq!(text(bytes, true, size), "a;Bö\n€\r", "by {size}");
        }
    }
}
