//! The typed record of each dataset, as import validates it and the store writes it: fields
//! with their types (keys, `Programme`, `Art`, ISO dates, cents), parsed once at the edge, and
//! each record's one column list (the stored column names, the natural key first) beside the
//! one function that lays its fields out in that order. The store takes the table name from
//! `store/tables.rs` and everything else from here.

pub use super::kinds::Flaechendeckung;
use super::record::{join_key, Cell, Record};
use super::{Art, Dataset, Programme};

/// How a stored value column is typed (the natural-key columns are all text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    OptText,
    Int,
}

/// A validated ISO date (`YYYY-MM-DD`), kept as its text: dates are stored and compared as
/// that text, and a record's key holds it as is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(String);

impl IsoDate {
    /// `Some` for a real calendar day written `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<IsoDate> {
        super::calendar::iso_date(text).map(|_| IsoDate(text.to_string()))
    }

    /// The ISO text of a day.
    pub fn of(day: chrono::NaiveDate) -> IsoDate {
        use chrono::Datelike;
        use std::fmt::Write;
        // By hand: chrono's format strings cost a visible share of a large import.
        let mut out = String::with_capacity(10);
        let _ = write!(out, "{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
        IsoDate(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A dataset's typed record and how it is stored.
pub trait DatasetRecord: Sized {
    const DATASET: Dataset;
    /// The natural key's columns, in key order.
    const KEY: &'static [&'static str];
    /// The value columns, in the order of [`DatasetRecord::into_values`].
    const VALUES: &'static [(&'static str, ColType)];

    /// The natural key, joined.
    fn key(&self) -> String;
    /// The values in the order of [`DatasetRecord::VALUES`].
    fn into_values(self) -> Vec<Cell>;

    /// The record as the import pipeline sorts, spills and hands it to the store.
    fn into_record(self, line: u64) -> Record {
        let key = self.key();
        Record {
            line,
            key,
            values: self.into_values(),
        }
    }
}

/// `qualifikationen`: one completed course of one Lotse (a pseudonymous participant id).
#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    pub participant: String,
    pub course: String,
    pub completed_on: IsoDate,
    /// AGS of a Gemeinde or Kreis key of a Landratsamt.
    pub administration: String,
    pub programme: Programme,
    pub provider: String,
    pub seminar_days: i64,
    pub voucher_cents: i64,
}

impl Qualification {
    pub const PARTICIPANT_ID: &'static str = "participant_id";
    pub const COURSE: &'static str = "course";
    pub const COMPLETED_ON: &'static str = "completed_on";
    pub const ADMINISTRATION_ID: &'static str = "administration_id";
    pub const PROGRAMME: &'static str = "programme";
    pub const PROVIDER: &'static str = "provider";
    pub const SEMINAR_DAYS: &'static str = "seminar_days";
    pub const VOUCHER_CENTS: &'static str = "voucher_cents";
}

impl DatasetRecord for Qualification {
    const DATASET: Dataset = Dataset::Qualifikationen;
    const KEY: &'static [&'static str] = &[Self::PARTICIPANT_ID, Self::COURSE, Self::COMPLETED_ON];
    const VALUES: &'static [(&'static str, ColType)] = &[
        (Self::ADMINISTRATION_ID, ColType::Text),
        (Self::PROGRAMME, ColType::Text),
        (Self::PROVIDER, ColType::Text),
        (Self::SEMINAR_DAYS, ColType::Int),
        (Self::VOUCHER_CENTS, ColType::Int),
    ];

    fn key(&self) -> String {
        join_key(&[&self.participant, &self.course, self.completed_on.as_str()])
    }

    fn into_values(self) -> Vec<Cell> {
        vec![
            self.administration.into(),
            self.programme.as_str().into(),
            self.provider.into(),
            self.seminar_days.into(),
            self.voucher_cents.into(),
        ]
    }
}

/// `prozesse`: one service-bw process of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessRecord {
    pub id: String,
    pub name: String,
    pub art: Art,
    /// 14-digit LeiKa key.
    pub leika: Option<String>,
    pub ozg_id: Option<String>,
    pub themenfeld: Option<String>,
    pub reifegrad: Option<super::kinds::Reifegrad>,
}

impl ProcessRecord {
    pub const PROCESS_ID: &'static str = "process_id";
    pub const NAME: &'static str = "name";
    pub const ART: &'static str = "art";
    pub const LEIKA_KEY: &'static str = "leika_key";
    pub const OZG_ID: &'static str = "ozg_id";
    pub const THEMENFELD: &'static str = "themenfeld";
    pub const REIFEGRAD: &'static str = "reifegrad";
    pub const REIFEGRAD_MODELL: &'static str = "reifegrad_modell";
}

impl DatasetRecord for ProcessRecord {
    const DATASET: Dataset = Dataset::Prozesse;
    const KEY: &'static [&'static str] = &[Self::PROCESS_ID];
    const VALUES: &'static [(&'static str, ColType)] = &[
        (Self::NAME, ColType::Text),
        (Self::ART, ColType::Text),
        (Self::LEIKA_KEY, ColType::OptText),
        (Self::OZG_ID, ColType::OptText),
        (Self::THEMENFELD, ColType::OptText),
        (Self::REIFEGRAD, ColType::OptText),
        (Self::REIFEGRAD_MODELL, ColType::OptText),
    ];

    fn key(&self) -> String {
        self.id.clone()
    }

    fn into_values(self) -> Vec<Cell> {
        vec![
            self.name.into(),
            self.art.as_str().into(),
            self.leika.into(),
            self.ozg_id.into(),
            self.themenfeld.into(),
            self.reifegrad.map(|r| r.level.to_string()).into(),
            self.reifegrad.map(|r| r.modell.as_str().to_string()).into(),
        ]
    }
}

/// `aktivierungen`: one process switched on in one administration from a day (until a day).
#[derive(Debug, Clone, PartialEq)]
pub struct Activation {
    pub administration: String,
    pub process: String,
    pub activated_on: IsoDate,
    pub deactivated_on: Option<IsoDate>,
}

impl Activation {
    pub const ADMINISTRATION_ID: &'static str = "administration_id";
    pub const PROCESS_ID: &'static str = "process_id";
    pub const ACTIVATED_ON: &'static str = "activated_on";
    pub const DEACTIVATED_ON: &'static str = "deactivated_on";
}

/// An activation read from an import's record, borrowing its text (no allocation: an import
/// applied in memory may hold millions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivationRef<'r> {
    pub administration: &'r str,
    pub process: &'r str,
    pub activated_on: chrono::NaiveDate,
    pub deactivated_on: Option<chrono::NaiveDate>,
}

impl Activation {
    /// The activation an import's record holds (`None` for a record of another shape).
    pub fn of_record(record: &Record) -> Option<ActivationRef<'_>> {
        use super::calendar::iso_date;
        let mut parts = record.key_parts();
        let (administration, process, activated_on) = (parts.next()?, parts.next()?, parts.next()?);
        let deactivated_on = match record.values.as_slice() {
            [Cell::OptText(None)] => None,
            [Cell::OptText(Some(d))] => Some(iso_date(d)?),
            _ => return None,
        };
        Some(ActivationRef {
            administration,
            process,
            activated_on: iso_date(activated_on)?,
            deactivated_on,
        })
    }
}

impl DatasetRecord for Activation {
    const DATASET: Dataset = Dataset::Aktivierungen;
    const KEY: &'static [&'static str] = &[
        Self::ADMINISTRATION_ID,
        Self::PROCESS_ID,
        Self::ACTIVATED_ON,
    ];
    const VALUES: &'static [(&'static str, ColType)] = &[(Self::DEACTIVATED_ON, ColType::OptText)];

    fn key(&self) -> String {
        join_key(&[
            &self.administration,
            &self.process,
            self.activated_on.as_str(),
        ])
    }

    fn into_values(self) -> Vec<Cell> {
        vec![self.deactivated_on.map(|d| d.0).into()]
    }
}

/// `konten`: the service-bw accounts of a type at a Stichtag, Land-wide (empty scope) or of
/// one administration.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountCount {
    pub reference_date: IsoDate,
    /// `buerger` or `organisation` (see [`super::ACCOUNT_TYPES`]).
    pub account_type: String,
    /// The administration, or empty for a Land-wide count.
    pub scope: String,
    pub count: i64,
}

impl AccountCount {
    pub const REFERENCE_DATE: &'static str = "reference_date";
    pub const ACCOUNT_TYPE: &'static str = "account_type";
    pub const SCOPE: &'static str = "scope";
    pub const COUNT: &'static str = "count";
}

impl DatasetRecord for AccountCount {
    const DATASET: Dataset = Dataset::Konten;
    const KEY: &'static [&'static str] = &[Self::REFERENCE_DATE, Self::ACCOUNT_TYPE, Self::SCOPE];
    const VALUES: &'static [(&'static str, ColType)] = &[(Self::COUNT, ColType::Int)];

    fn key(&self) -> String {
        join_key(&[
            self.reference_date.as_str(),
            &self.account_type,
            &self.scope,
        ])
    }

    fn into_values(self) -> Vec<Cell> {
        vec![self.count.into()]
    }
}

/// `onlinedienste`: one Onlinedienst (a LeiKa service with its URL) available for one
/// Gebietskörperschaft (12-digit ARS; the Bund is `000000000000`) at a Datenstand, as the
/// federal "Dashboard Digitale Verwaltung" exports it from the PVOG.
#[derive(Debug, Clone, PartialEq)]
pub struct Onlinedienst {
    /// The Datenstand of the delivery (`datenstand_pvog_import`, else the import's day).
    pub snapshot: IsoDate,
    pub ars: String,
    /// 14-digit LeiKa key.
    pub leika: String,
    /// The service's address (may be empty; shown as a link only for http and https).
    pub url: String,
    pub leika_name: String,
    pub leika_bezeichnung: Option<String>,
    pub ars_name: Option<String>,
    pub ozg_id: Option<String>,
    pub ozg_bezeichnung: Option<String>,
    /// `online_status`: whether the link worked when the PVOG was read.
    pub online_ok: bool,
    /// `aktiv`: `ja`, `nein` or not given.
    pub aktiv: Option<bool>,
    pub flaechendeckung: Flaechendeckung,
    pub begruendung: Option<String>,
    pub export_datum: Option<IsoDate>,
}

/// The ARS of the Bund, the key its services are kept under.
pub const BUND: &str = "000000000000";

/// The key a 12-digit ARS is kept under: a Gemeinde's own ARS (`is_gemeinde`: the registry
/// knows it as one; a kreisfreie Stadt's ARS is also its Kreis' padded with zeros), else the
/// region it names by its zeros — Land 2 digits, Regierungsbezirk 3, Kreis 5,
/// Gemeindeverband 9 — or the Bund.
pub fn region_key(ars: &str, is_gemeinde: impl Fn(&str) -> bool) -> &str {
    if ars == BUND || is_gemeinde(ars) {
        return ars;
    }
    [2, 3, 5, 9]
        .into_iter()
        .find(|&n| ars.len() > n && ars[n..].bytes().all(|b| b == b'0'))
        .map_or(ars, |n| &ars[..n])
}

/// Whose data the Onlinedienste are: in every download, page and map that shows them.
pub const ONLINEDIENSTE_SOURCE: &str = "Onlinedienste: Dashboard Digitale Verwaltung, \
    Bundesministerium des Innern (aus dem Portalverbund-Online-Gateway, PVOG)";

/// An Onlinedienst's address where it is one a browser should open (http or https), trimmed;
/// `None` for anything else (`javascript:`, `ftp:`, text). The one rule for API rows and pages.
pub fn web_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https")).then_some(url)
}

impl Onlinedienst {
    /// The export's `online_status` text: `ok` or `nicht ok`.
    pub const fn status_text(ok: bool) -> &'static str {
        if ok {
            "ok"
        } else {
            "nicht ok"
        }
    }

    pub const SNAPSHOT_DATE: &'static str = "snapshot_date";
    pub const ARS: &'static str = "ars";
    pub const LEIKA_KEY: &'static str = "leika_key";
    pub const URL: &'static str = "url";
    pub const LEIKA_NAME: &'static str = "leika_name";
    pub const LEIKA_BEZEICHNUNG: &'static str = "leika_bezeichnung";
    pub const ARS_NAME: &'static str = "ars_name";
    pub const OZG_ID: &'static str = "ozg_id";
    pub const OZG_BEZEICHNUNG: &'static str = "ozg_bezeichnung";
    pub const ONLINE_STATUS: &'static str = "online_status";
    pub const AKTIV: &'static str = "aktiv";
    pub const ART_FLAECHENDECKUNG: &'static str = "art_flaechendeckung";
    pub const BEGRUENDUNG: &'static str = "begruendung_nicht_beruecksichtigt";
    pub const EXPORT_DATUM: &'static str = "export_datum";
}

impl DatasetRecord for Onlinedienst {
    const DATASET: Dataset = Dataset::Onlinedienste;
    const KEY: &'static [&'static str] =
        &[Self::SNAPSHOT_DATE, Self::ARS, Self::LEIKA_KEY, Self::URL];
    const VALUES: &'static [(&'static str, ColType)] = &[
        (Self::LEIKA_NAME, ColType::Text),
        (Self::LEIKA_BEZEICHNUNG, ColType::OptText),
        (Self::ARS_NAME, ColType::OptText),
        (Self::OZG_ID, ColType::OptText),
        (Self::OZG_BEZEICHNUNG, ColType::OptText),
        (Self::ONLINE_STATUS, ColType::Text),
        (Self::AKTIV, ColType::OptText),
        (Self::ART_FLAECHENDECKUNG, ColType::Text),
        (Self::BEGRUENDUNG, ColType::OptText),
        (Self::EXPORT_DATUM, ColType::OptText),
    ];

    fn key(&self) -> String {
        join_key(&[self.snapshot.as_str(), &self.ars, &self.leika, &self.url])
    }

    fn into_values(self) -> Vec<Cell> {
        let yes_no = |b: bool| if b { "ja" } else { "nein" }.to_string();
        vec![
            self.leika_name.into(),
            self.leika_bezeichnung.into(),
            self.ars_name.into(),
            self.ozg_id.into(),
            self.ozg_bezeichnung.into(),
            Self::status_text(self.online_ok).into(),
            self.aktiv.map(yes_no).into(),
            self.flaechendeckung.as_str().into(),
            self.begruendung.into(),
            self.export_datum.map(|d| d.0).into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(web_url(" https://x.de/a "), Some("https://x.de/a"));
        assert_eq!(web_url("HTTP://x.de"), Some("HTTP://x.de"));
        assert_eq!(web_url("javascript:alert(1)"), None);
        assert_eq!(web_url("javascript://%0aalert(1)"), None);
        assert_eq!(web_url("ftp://x.de"), None);
    }

    /// Each record's values come out in the order and with the types its column list says.
    fn laid_out_as_declared<R: DatasetRecord>(record: R) {
        let key_parts = record.key().split('\u{1f}').count();
        assert_eq!(key_parts, R::KEY.len(), "{:?}", R::DATASET);
        let values = record.into_values();
        assert_eq!(values.len(), R::VALUES.len(), "{:?}", R::DATASET);
        for (cell, (name, ty)) in values.iter().zip(R::VALUES) {
            let fits = matches!(
                (cell, ty),
                (Cell::Text(_), ColType::Text)
                    | (Cell::OptText(_), ColType::OptText)
                    | (Cell::Int(_), ColType::Int)
            );
            assert!(fits, "{:?}.{name}: {cell:?} is not {ty:?}", R::DATASET);
        }
    }

    #[test]
    fn an_ars_is_kept_under_the_region_it_names() {
        let gemeinde = |k: &str| ["081150003003", "081110000000"].contains(&k);
        assert_eq!(region_key("081150000000", gemeinde), "08115");
        assert_eq!(region_key("081000000000", gemeinde), "081");
        assert_eq!(region_key("080000000000", gemeinde), "08");
        assert_eq!(region_key("081155001000", gemeinde), "081155001");
        assert_eq!(region_key("081110000000", gemeinde), "081110000000");
        assert_eq!(region_key("081150003003", gemeinde), "081150003003");
        assert_eq!(region_key(BUND, gemeinde), BUND);
    }

    #[test]
    fn every_record_lays_its_fields_out_as_its_columns_say() {
        let day = IsoDate::parse("2021-06-30").unwrap();
        laid_out_as_declared(Qualification {
            participant: "08115003-BV00001".into(),
            course: "Basis 2021/06".into(),
            completed_on: day.clone(),
            administration: "08115003".into(),
            programme: Programme::Basis,
            provider: "Akademie".into(),
            seminar_days: 3,
            voucher_cents: 30_000,
        });
        laid_out_as_declared(ProcessRecord {
            id: "SP01".into(),
            name: "Wohnsitz".into(),
            art: Art::Standard,
            leika: None,
            ozg_id: Some("123".into()),
            themenfeld: None,
            reifegrad: Some(crate::model::Reifegrad {
                modell: crate::model::ReifegradModell::V2_0,
                level: 5,
            }),
        });
        let activation = Activation {
            administration: "08115003".into(),
            process: "SP01".into(),
            activated_on: day.clone(),
            deactivated_on: IsoDate::parse("2022-01-01"),
        };
        let record = activation.clone().into_record(1);
        let read = Activation::of_record(&record).unwrap();
        assert_eq!((read.administration, read.process), ("08115003", "SP01"));
        assert_eq!(
            read.deactivated_on,
            crate::model::calendar::iso_date("2022-01-01")
        );
        laid_out_as_declared(activation);
        laid_out_as_declared(AccountCount {
            reference_date: day,
            account_type: "buerger".into(),
            scope: String::new(),
            count: 7,
        });
        laid_out_as_declared(Onlinedienst {
            snapshot: IsoDate::parse("2026-11-01").unwrap(),
            ars: "081150003003".into(),
            leika: "99041006017000".into(),
            url: "https://example.org/hund".into(),
            leika_name: "Hundehaltung anmelden".into(),
            leika_bezeichnung: None,
            ars_name: Some("Böblingen".into()),
            ozg_id: Some("10000".into()),
            ozg_bezeichnung: None,
            online_ok: true,
            aktiv: Some(true),
            flaechendeckung: Flaechendeckung::Kreisweit,
            begruendung: None,
            export_datum: None,
        });
        assert!(IsoDate::parse("2021-02-30").is_none());
    }
}
