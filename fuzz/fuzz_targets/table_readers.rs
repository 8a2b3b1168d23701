//! Any bytes as CSV, JSON or XLSX (the first byte picks the format, as an upload's declared
//! type would), then validated as each dataset: an error is fine, a panic or an allocation past
//! libFuzzer's `-malloc_limit_mb` is a finding.
#![no_main]

use digitalatlas::import::dataset::{validate, Context, Dataset};
use digitalatlas::import::table::{read, FileFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => FileFormat::Csv,
        1 => FileFormat::Json,
        2 => FileFormat::Xlsx,
        _ => FileFormat::detect(None, bytes),
    };
    if let Ok(table) = read(format, bytes, 10_000) {
        let ctx = Context::default();
        let dataset = Dataset::ALL[(selector as usize / 4) % Dataset::ALL.len()];
        let _ = validate(dataset, &table, &ctx);
    }
});
