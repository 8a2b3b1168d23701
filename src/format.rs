//! Text for people and for checksums, shared by every layer: German number formatting and hex.
//! Depends on nothing in the crate.

/// 1234567 -> "1.234.567" (German grouping).
pub fn num(v: i64) -> String {
    let s = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// 0.4567 -> "45,7 %".
pub fn pct(v: f64) -> String {
    format!("{} %", decimal(v * 100.0))
}

/// 9.04 -> "9,0": one decimal, with a decimal comma.
pub(crate) fn decimal(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_numbers_and_hex() {
        assert_eq!(num(11_245_898), "11.245.898");
        assert_eq!(num(999), "999");
        assert_eq!(num(-1_000), "-1.000");
        assert_eq!(pct(0.4567), "45,7 %");
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
