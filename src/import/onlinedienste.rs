//! One row of the federal dashboard's Onlinedienste export (`onlinedienste`) into a typed
//! record: the 12-digit ARS of a Gemeinde, Gemeindeverband, Kreis, Regierungsbezirk, Land or the
//! Bund (`000000000000`), the 14-digit LeiKa key, the link's status, the class of
//! Flächendeckung, the Datenstand. A row of a region outside the registry is left out (and
//! counted), not refused: the federal export of a Land lists the Bund's and its neighbours'
//! services too.

use csv::StringRecord;

use super::cells::{field, one_of, Columns, Issue};
use super::fields;
use crate::model::rows::{DatasetRecord, Flaechendeckung, IsoDate, Onlinedienst};
use crate::model::{KnownKeys as Context, Record};

/// What became of a row.
#[derive(Debug)]
pub enum Row {
    Valid(Record),
    /// Its problems are in the issues.
    Invalid,
    /// A region the registry does not know (another Land, a Gemeinde merged away).
    OutsideRegistry,
}

pub use crate::model::rows::BUND;

/// The registry key a 12-digit ARS names (see [`crate::model::rows::region_key`]); `None`
/// outside the registry. The Bund is always known.
pub fn registry_key<'a>(ars: &'a str, ctx: &Context) -> Option<&'a str> {
    let key = crate::model::rows::region_key(ars, |a| ctx.ars.contains(a));
    (key == BUND || ctx.ars.contains(key)).then_some(key)
}

fn digits(value: &str, n: usize, what: &str) -> Result<String, String> {
    let v = value.trim();
    if v.len() == n && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err(format!("{what} has {n} digits"))
    }
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn ozg_id(v: &str) -> Result<Option<String>, String> {
    let v = v.trim();
    match v {
        "" => Ok(None),
        _ if v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v.to_string())),
        _ => Err("an OZG-ID is a number of up to 6 digits".to_string()),
    }
}

/// `ok` or `nicht ok`: whether the link worked.
fn online_status(v: &str) -> Result<bool, String> {
    one_of(
        v,
        &[("ok", true), ("nicht_ok", false)],
        "online_status",
        Onlinedienst::status_text,
    )
}

fn aktiv(v: &str) -> Result<Option<bool>, String> {
    match v.trim() {
        "" => Ok(None),
        "ja" => Ok(Some(true)),
        "nein" => Ok(Some(false)),
        _ => Err("aktiv is ja, nein or empty".to_string()),
    }
}

fn class(v: &str) -> Result<Flaechendeckung, String> {
    Flaechendeckung::parse(v.trim()).ok_or_else(|| {
        let all: Vec<&str> = Flaechendeckung::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown class; use one of: {}", all.join(", "))
    })
}

fn optional_date(v: &str) -> Result<Option<IsoDate>, String> {
    match v.trim() {
        "" => Ok(None),
        v => fields::date(v).map(Some),
    }
}

/// Validates one row.
pub fn validate(
    line: u64,
    cells: &StringRecord,
    cols: &Columns,
    ctx: &Context,
    issues: &mut Vec<Issue>,
) -> Row {
    let before = issues.len();
    let leika = field(line, cells, cols, "leika_key", issues, |v| {
        digits(v, 14, "a LeiKa key")
    });
    let ars = field(line, cells, cols, "ars", issues, |v| {
        digits(v, 12, "an ARS (amtlicher Regionalschlüssel)")
    });
    let leika_name = field(line, cells, cols, "leika_name", issues, fields::text);
    let ozg_id = field(line, cells, cols, "ozgid", issues, ozg_id);
    let online_ok = field(line, cells, cols, "online_status", issues, online_status);
    let aktiv = field(line, cells, cols, "aktiv", issues, aktiv);
    let flaechendeckung = field(line, cells, cols, "art_flaechendeckung", issues, class);
    let date = optional_date;
    let snapshot = field(line, cells, cols, "datenstand_pvog_import", issues, date);
    let export_datum = field(line, cells, cols, "export_datum", issues, date);
    if issues.len() > before {
        return Row::Invalid;
    }
    let (Some(leika), Some(ars), Some(leika_name), Some(ozg_id)) = (leika, ars, leika_name, ozg_id)
    else {
        return Row::Invalid;
    };
    let (Some(online_ok), Some(aktiv), Some(flaechendeckung)) = (online_ok, aktiv, flaechendeckung)
    else {
        return Row::Invalid;
    };
    let (Some(snapshot), Some(export_datum)) = (snapshot, export_datum) else {
        return Row::Invalid;
    };
    if registry_key(&ars, ctx).is_none() {
        return Row::OutsideRegistry;
    }
    let text = |name: &str| optional(cols.get(cells, name));
    let record = Onlinedienst {
        // The Datenstand of the delivery, else the import's Stichtag, else its day.
        snapshot: snapshot.unwrap_or_else(|| {
            IsoDate::of(ctx.stichtag.unwrap_or_else(crate::model::clock::today))
        }),
        ars,
        leika,
        url: cols.get(cells, "url").trim().to_string(),
        leika_name,
        leika_bezeichnung: text("leika_bezeichnung"),
        ars_name: text("ars_name"),
        ozg_id,
        ozg_bezeichnung: text("ozg_bezeichnung"),
        online_ok,
        aktiv,
        flaechendeckung,
        begruendung: text("begruendung_nicht_beruecksichtigt"),
        export_datum,
    };
    Row::Valid(record.into_record(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ars_names_the_region_the_registry_knows() {
        let mut ctx = Context::default();
        for key in [
            "08",
            "081",
            "08115",
            "081150003003",
            "081110000000",
            "08111",
        ] {
            ctx.ars.insert(key.to_string());
        }
        assert_eq!(registry_key(BUND, &ctx), Some(BUND));
        assert_eq!(registry_key("080000000000", &ctx), Some("08"));
        assert_eq!(registry_key("081000000000", &ctx), Some("081"));
        assert_eq!(registry_key("081150000000", &ctx), Some("08115"));
        assert_eq!(registry_key("081150003003", &ctx), Some("081150003003"));
        // A kreisfreie Stadt: the Gemeinde's ARS is the Kreis' padded; the Gemeinde wins.
        assert_eq!(registry_key("081110000000", &ctx), Some("081110000000"));
        assert_eq!(registry_key("091620000000", &ctx), None);
        assert_eq!(registry_key("081159999999", &ctx), None);
    }
}
