//! Field parsers for what spreadsheets deliver: German and ISO dates, decimal commas, integers that
//! Excel wrote as `3.0`. Each returns a reason a clerk can act on.

use chrono::{Datelike, NaiveDate};

use crate::model::rows::IsoDate;

/// `2019-07-24`, `24.07.2019` or `24.7.2019`, optionally followed by a midnight time as Excel writes
/// it (`24.07.2019 00:00`). Returns the ISO form.
pub fn date(value: &str) -> Result<IsoDate, String> {
    let v = value.trim();
    let v = match v.split_once(' ').or_else(|| v.split_once('T')) {
        Some((d, time)) if is_time(time) => d,
        Some(_) => {
            return Err("not a date; use YYYY-MM-DD or TT.MM.JJJJ (a time may follow)".into())
        }
        None => v,
    };
    // Parsed by hand: chrono's format-string parser cost a third of a large import's validation.
    let (y, m, d) = if v.contains('.') {
        let mut parts = v.splitn(3, '.');
        let (d, m, y) = (parts.next(), parts.next(), parts.next());
        (y, m, d)
    } else {
        let mut parts = v.splitn(3, '-');
        (parts.next(), parts.next(), parts.next())
    };
    let number = |part: Option<&str>, min: usize, max: usize| {
        part.filter(|p| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let parsed = match (number(y, 4, 4), number(m, 1, 2), number(d, 1, 2)) {
        (Some(y), Some(m), Some(d)) => NaiveDate::from_ymd_opt(y as i32, m, d),
        _ => None,
    };
    match parsed {
        Some(date) if (1990..=2100).contains(&date.year()) => Ok(IsoDate::of(date)),
        Some(_) => Err("date out of range (1990–2100)".into()),
        None => Err("not a date; use YYYY-MM-DD or TT.MM.JJJJ".into()),
    }
}

/// A time of day as spreadsheets append it to a date: `0:00`, `00:00:00`, `00:00:00.000`, with
/// an optional `Z`.
fn is_time(value: &str) -> bool {
    let v = value.trim().strip_suffix('Z').unwrap_or(value.trim());
    let (hms, frac) = v.split_once('.').unwrap_or((v, "0"));
    let mut parts = hms.split(':');
    let field = |p: Option<&str>, max: u32, len: std::ops::RangeInclusive<usize>| {
        p.filter(|p| len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|n| n <= max)
    };
    let (h, m, sec) = (parts.next(), parts.next(), parts.next());
    field(h, 23, 1..=2)
        && field(m, 59, 2..=2)
        && (sec.is_none() || field(sec, 59, 2..=2))
        && parts.next().is_none()
        && !frac.is_empty()
        && frac.len() <= 9
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (sec.is_some() || frac == "0")
}

/// A non-negative integer; `3`, `3.0` and `3,0` are all 3.
pub fn count(value: &str) -> Result<i64, String> {
    let v = value.trim();
    if v.starts_with('-') {
        return Err("negative number".into());
    }
    let digits = v
        .strip_suffix(".0")
        .or_else(|| v.strip_suffix(",0"))
        .or_else(|| v.strip_suffix(".00"))
        .or_else(|| v.strip_suffix(",00"))
        .unwrap_or(v);
    // Swiss thousands separators (`1'000`) are dropped; what remains must be digits only, so
    // that no sign can hide behind them (found by fuzzing: `'-'2` was read as -2).
    let plain: String = digits.chars().filter(|c| *c != '\'').collect();
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a whole number".into());
    }
    plain
        .parse::<i64>()
        .map_err(|_| "number too large".to_string())
}

/// A non-negative euro amount in cents: `100,00`, `100.00`, `1.234,56`, `1,234.56`, `150`,
/// `1.234`. Strict: a decimal separator is the last `.` or `,` followed by one or two digits; any
/// other separator groups thousands (three digits each, one kind of separator, not the decimal
/// one). `.`, `,`, `1.2.3` or `,50` are refused, never read as some number.
pub fn euro_cents(value: &str) -> Result<i64, String> {
    const NOT: &str = "not an amount; use e.g. 100,00 or 100.00";
    let v = value
        .trim()
        .trim_end_matches('€')
        .trim_end_matches("EUR")
        .trim();
    if v.starts_with('-') {
        return Err("negative number".into());
    }
    if v.is_empty()
        || !v
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(NOT.into());
    }
    let is_sep = |c: char| c == '.' || c == ',';
    let (whole, frac, decimal) = match v.rfind(is_sep) {
        Some(i) if (1..=2).contains(&(v.len() - i - 1)) => {
            (&v[..i], &v[i + 1..], v[i..].chars().next())
        }
        Some(i) if v.len() - i - 1 == 3 => (v, "", None), // thousands separator: 1.234
        Some(i) if v.len() - i - 1 > 3 => return Err("more than two decimal places".into()),
        Some(_) => return Err(NOT.into()),
        None => (v, "", None),
    };
    if whole.is_empty() || whole.starts_with(is_sep) {
        return Err(NOT.into());
    }
    // The whole part: plain digits, or 1–3 digits then groups of `S` + three digits.
    let mut groups = whole.split(is_sep);
    let first = groups.next().unwrap_or("");
    let seps: Vec<char> = whole.chars().filter(|c| is_sep(*c)).collect();
    let grouped_ok = seps.is_empty()
        || ((1..=3).contains(&first.len())
            && seps.iter().all(|c| *c == seps[0])
            && Some(seps[0]) != decimal
            && groups.all(|g| g.len() == 3));
    if !grouped_ok {
        return Err(NOT.into());
    }
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    let whole: i64 = whole.parse().map_err(|_| "amount too large".to_string())?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| NOT)? * 10,
        _ => frac.parse::<i64>().map_err(|_| NOT)?,
    };
    whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac))
        .ok_or_else(|| "amount too large".to_string())
}

/// An identifier: letters, digits and `._-/:`, at most 64 characters. Blanks are refused, which
/// also keeps "Vorname Nachname" out of an id column.
pub fn identifier(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("empty".into());
    }
    if v.chars().count() > 64 {
        return Err("longer than 64 characters".into());
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/:".contains(c))
    {
        return Err("only letters, digits and . _ - / : are allowed (no blanks)".into());
    }
    Ok(v.to_string())
}

/// Non-empty free text, at most 300 characters.
pub fn text(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("empty".into());
    }
    if v.chars().count() > 300 {
        return Err("longer than 300 characters".into());
    }
    if v.chars().any(char::is_control) {
        // A line break typed into a spreadsheet cell (Alt+Enter) or a tab becomes a blank; other
        // control characters have no business in a name.
        if v.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err("contains control characters".into());
        }
        return Ok(v.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    Ok(v.to_string())
}

/// Optional free text: empty means absent.
pub fn optional_text(value: &str) -> Result<Option<String>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        text(value).map(Some)
    }
}

/// A header name in canonical form: lower case, blanks and dashes as `_`, umlauts transcribed.
pub fn header(value: &str) -> String {
    value
        .trim()
        .to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let date_text = |v: &str| date(v).map(|d| d.as_str().to_string());
        assert_eq!(date_text("2019-07-24").unwrap(), "2019-07-24");
        assert_eq!(date_text("24.07.2019").unwrap(), "2019-07-24");
        assert_eq!(date_text("4.7.2019").unwrap(), "2019-07-04");
        assert_eq!(date_text("24.07.2019 00:00").unwrap(), "2019-07-24");
        assert!(date("31.02.2019").is_err());
        assert!(date("2019/07/24").is_err());
        assert!(date("24.07.1890").is_err());
        assert!(date("24.07.19").is_err());
        assert!(date("2019-7-4").is_ok());
        assert!(date("+2019-07-04").is_err());
        assert!(date("").is_err());
        assert!(date("2019-07-24 garbage").is_err());
        assert!(date("24.07.2019 25:00").is_err());
        assert_eq!(date_text("2019-07-24T00:00:00.000Z").unwrap(), "2019-07-24");
        assert_eq!(date_text("24.07.2019 0:00").unwrap(), "2019-07-24");
        assert_eq!(date_text("24.07.2019 00:00:00").unwrap(), "2019-07-24");
    }

    #[test]
    fn amounts() {
        assert_eq!(euro_cents("100,00").unwrap(), 10_000);
        assert_eq!(euro_cents("100.00").unwrap(), 10_000);
        assert_eq!(euro_cents("300").unwrap(), 30_000);
        assert_eq!(euro_cents("49,5").unwrap(), 4_950);
        assert_eq!(euro_cents("1.234,56").unwrap(), 123_456);
        assert_eq!(euro_cents("1,234.56").unwrap(), 123_456);
        assert_eq!(euro_cents("1.234").unwrap(), 123_400);
        assert_eq!(euro_cents("100,00 €").unwrap(), 10_000);
        assert_eq!(euro_cents("-5").unwrap_err(), "negative number");
        assert!(euro_cents("1,2345").is_err());
        assert!(euro_cents("abc").is_err());
        for bad in [
            ".",
            ",",
            "1.2.3",
            ",50",
            "1.234.5",
            "1,234,56",
            "12.34.567",
            "1..2",
            "1.23,4.5",
        ] {
            assert!(euro_cents(bad).is_err(), "{bad}");
        }
        assert_eq!(euro_cents("1.234.567,89").unwrap(), 123_456_789);
        assert_eq!(euro_cents("1,234,567").unwrap(), 123_456_700);
        assert_eq!(euro_cents("0,5").unwrap(), 50);
    }

    #[test]
    fn counts() {
        assert_eq!(count("3").unwrap(), 3);
        assert_eq!(count("3,0").unwrap(), 3);
        assert_eq!(count("-1").unwrap_err(), "negative number");
        assert!(count("3,5").is_err());
        assert_eq!(count("1'000").unwrap(), 1000);
        for bad in ["'-'2", "+5", "'", "", "1 000", "٣"] {
            assert!(count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_folds_line_breaks_and_refuses_control_characters() {
        assert_eq!(text(" Kurs\r\n 2019\tA ").unwrap(), "Kurs 2019 A");
        assert!(text("Kurs\u{1f}A").is_err());
    }

    #[test]
    fn identifiers_refuse_names() {
        assert!(identifier("08111000-BV-0001").is_ok());
        assert!(identifier("Max Mustermann").is_err());
        assert!(identifier("").is_err());
    }

    #[test]
    fn headers_are_canonical() {
        assert_eq!(header(" Förderung EUR "), "foerderung_eur");
        assert_eq!(header("Teilnehmer-ID"), "teilnehmer_id");
    }
}
