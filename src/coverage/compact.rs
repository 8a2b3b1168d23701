//! The activations in compact form, for the store to keep beside the records and to hand back at
//! start-up instead of millions of rows: dense administration and process indexes and day
//! numbers, each field the varint of its zigzagged difference to the row before, in parts of
//! about [`PART_BYTES`] that decode alone. What the indexes point at is the reader's business
//! (see `rebuild`'s key); decoding checks every index and date and the row count, so bytes made
//! for other data or damaged ones are refused, never turned into figures.

use chrono::NaiveDate;

use super::raw::Activation;

/// The encoding's version: part of every key, so a part written by another version is rebuilt.
pub const FORMAT: u32 = 1;

/// A part ends after the row that takes it past this size.
pub const PART_BYTES: usize = 4 << 20;

/// Why stored bytes were not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The state a part's rows are differences to; every part starts from zero.
#[derive(Debug, Default, Clone, Copy)]
struct Previous {
    admin: i64,
    process: i64,
    from: i64,
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn day(d: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

fn encode_row(out: &mut Vec<u8>, prev: &mut Previous, a: &Activation) {
    let (admin, process, from) = (i64::from(a.admin), i64::from(a.process), day(a.from));
    put(out, zigzag(admin - prev.admin));
    put(out, zigzag(process - prev.process));
    put(out, zigzag(from - prev.from));
    // 0: still active; else the zigzagged days from switching on to off, plus one.
    put(out, a.until.map_or(0, |u| zigzag(day(u) - from) + 1));
    *prev = Previous {
        admin,
        process,
        from,
    };
}

/// The activations as parts of (rows, bytes), in their order.
pub fn encode(activations: &[Activation]) -> impl Iterator<Item = (usize, Vec<u8>)> + '_ {
    let mut rest = activations;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(PART_BYTES.min(rest.len() * 8) + 32);
        let mut prev = Previous::default();
        let mut rows = 0;
        while rows < rest.len() && out.len() < PART_BYTES {
            encode_row(&mut out, &mut prev, &rest[rows]);
            rows += 1;
        }
        rest = &rest[rows..];
        Some((rows, out))
    })
}

/// Reads one part's bytes.
struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Result<u64, Refused> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(Refused(format!("a number cut off at byte {}", self.at)));
            };
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Refused(format!("a number too long at byte {}", self.at)))
    }

    fn signed(&mut self) -> Result<i64, Refused> {
        self.varint().map(unzigzag)
    }
}

fn index(value: i64, below: usize, what: &str) -> Result<u32, Refused> {
    u32::try_from(value)
        .ok()
        .filter(|&v| (v as usize) < below)
        .ok_or_else(|| Refused(format!("{what} index {value} of {below}")))
}

fn date(days: i64) -> Result<NaiveDate, Refused> {
    i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| Refused(format!("day number {days}")))
}

/// Appends one part's `rows` activations to `out`, each index checked against the number of
/// administrations and processes; refused unless the bytes hold exactly `rows` rows.
pub fn decode(
    bytes: &[u8],
    rows: usize,
    admins: usize,
    processes: usize,
    out: &mut Vec<Activation>,
) -> Result<(), Refused> {
    let mut cursor = Cursor { bytes, at: 0 };
    let mut prev = Previous::default();
    for _ in 0..rows {
        let admin = prev.admin.wrapping_add(cursor.signed()?);
        let process = prev.process.wrapping_add(cursor.signed()?);
        let from = prev.from.wrapping_add(cursor.signed()?);
        let until = match cursor.varint()? {
            0 => None,
            v => Some(date(from.wrapping_add(unzigzag(v - 1)))?),
        };
        out.push(Activation {
            admin: index(admin, admins, "administration")?,
            process: index(process, processes, "process")?,
            from: date(from)?,
            until,
        });
        prev = Previous {
            admin,
            process,
            from,
        };
    }
    if cursor.at != bytes.len() {
        return Err(Refused(format!(
            "{} bytes after the part's {rows} rows",
            bytes.len() - cursor.at
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sample() -> Vec<Activation> {
        let mut rows = Vec::new();
        for i in 0..50_000u32 {
            rows.push(Activation {
                admin: i / 7 % 1_100,
                process: (i * 13) % 600,
                from: d("2018-01-01") + chrono::Days::new(u64::from(i % 3_000)),
                until: (i % 5 == 0).then(|| d("2025-06-30") - chrono::Days::new(u64::from(i % 9))),
            });
        }
        rows
    }

    fn roundtrip(rows: &[Activation]) -> Vec<Activation> {
        let mut out = Vec::new();
        for (n, bytes) in encode(rows) {
            decode(&bytes, n, 1_100, 600, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn activations_come_back_as_they_went_in_in_several_parts() {
        let rows = sample();
        let parts: Vec<_> = encode(&rows).collect();
        let back = roundtrip(&rows);
        assert_eq!(back.len(), rows.len());
        for (a, b) in rows.iter().zip(&back) {
            assert_eq!(
                (a.admin, a.process, a.from, a.until),
                (b.admin, b.process, b.from, b.until)
            );
        }
        assert_eq!(parts.iter().map(|p| p.0).sum::<usize>(), rows.len());
        // Sorted by key, a row takes a few bytes; an off date before the on date survives too.
        let odd = [Activation {
            admin: 3,
            process: 2,
            from: d("2024-05-01"),
            until: Some(d("2024-04-01")),
        }];
        assert_eq!(roundtrip(&odd)[0].until, Some(d("2024-04-01")));
        assert!(encode(&[]).next().is_none());
    }

    #[test]
    fn parts_end_near_their_size_and_decode_alone() {
        let rows: Vec<Activation> = (0..2_000_000u32)
            .map(|i| Activation {
                admin: i % 1_100,
                process: i % 600,
                from: d("2019-01-01"),
                until: None,
            })
            .collect();
        let parts: Vec<_> = encode(&rows).collect();
        assert!(parts.len() >= 2, "{} parts", parts.len());
        assert!(parts.iter().all(|(_, b)| b.len() <= PART_BYTES + 40));
        let (n, last) = parts.last().unwrap();
        let mut out = Vec::new();
        decode(last, *n, 1_100, 600, &mut out).unwrap();
        assert_eq!(out.last().unwrap().admin, rows.last().unwrap().admin);
    }

    #[test]
    fn bytes_for_other_data_or_damaged_are_refused() {
        let rows = sample();
        let (n, bytes) = encode(&rows).next().unwrap();
        let mut out = Vec::new();
        // Fewer administrations than the indexes need: another registry.
        assert!(decode(&bytes, n, 10, 600, &mut out).is_err());
        out.clear();
        assert!(decode(&bytes, n, 1_100, 10, &mut out).is_err());
        out.clear();
        // Cut off, one row more or less than stated, trailing bytes.
        assert!(decode(&bytes[..bytes.len() - 1], n, 1_100, 600, &mut out).is_err());
        out.clear();
        assert!(decode(&bytes, n + 1, 1_100, 600, &mut out).is_err());
        out.clear();
        assert!(decode(&bytes, n - 1, 1_100, 600, &mut out).is_err());
        out.clear();
        assert!(decode(&[0xff; 12], 1, 1_100, 600, &mut out).is_err());
        out.clear();
        // A day number far outside the calendar.
        let mut far = Vec::new();
        for v in [0, 0, zigzag(i64::MAX / 2), 0] {
            put(&mut far, v);
        }
        assert!(decode(&far, 1, 1_100, 600, &mut out).is_err());
    }
}
