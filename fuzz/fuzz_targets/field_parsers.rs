//! The field parsers on any text: dates, counts, amounts, identifiers, free text, headers, keys.
//! A result that parses must be in canonical form (a date is `YYYY-MM-DD`, an amount is not
//! negative).
#![no_main]

use digitalatlas::import::fields;
use digitalatlas::registry::{Ags, KreisKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(d) = fields::date(text) {
        let d = d.as_str();
        assert_eq!(d.len(), 10, "{text:?} -> {d:?}");
        assert_eq!(
            fields::date(d).map(|again| again.as_str().to_string()),
            Ok(d.to_string())
        );
    }
    if let Ok(c) = fields::euro_cents(text) {
        assert!(c >= 0, "{text:?} -> {c}");
    }
    if let Ok(n) = fields::count(text) {
        assert!(n >= 0, "{text:?} -> {n}");
    }
    let _ = fields::identifier(text);
    let _ = fields::text(text);
    let _ = fields::optional_text(text);
    let _ = fields::header(text);
    let _ = Ags::parse(text);
    let _ = KreisKey::parse(text);
    let _ = digitalatlas::http::params::spreadsheet_safe(text);
});
