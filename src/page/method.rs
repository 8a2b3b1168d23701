//! `/methodik`: how every figure is counted — the words the pages use, every figure of the
//! catalogue (its German name, its column in the API, its unit, what it is computed from) and
//! each source with its Datenstand and licence. The figures come from the catalogue
//! (`coverage::figure`), so the page lists a new figure without being edited.

use std::fmt::Write;

use super::html::{esc, table};
use super::{footer, Links};
use crate::coverage::figure::Figure;
use crate::coverage::snapshot::Snapshot;
use crate::model::column::ColumnKind;

/// The words of the pages, each with an anchor the pages link to.
const TERMS: [(&str, &str, &str); 10] = [
    ("verwaltungen", "Verwaltungen",
     "Die Stellen, die Digitallotsen ausbilden lassen können: jede Gemeinde und jedes Landratsamt \
      (in Ländern ohne Landratsämter die Kreisverwaltung). Ein Stadtkreis (eine kreisfreie Stadt) \
      zählt nur als Gemeinde. Das Ziel ist mindestens ein Lotse in jeder Verwaltung."),
    ("digitallotse", "Digitallotse",
     "Eine Person mit abgeschlossener Basisqualifizierung (drei Seminartage) oder \
      Aufbauschulung, gezählt als pseudonyme Teilnehmernummer, nie mit Namen. Eine Verwaltung \
      „hat einen Lotsen“, sobald eine ihrer Teilnehmenden am Stichtag einen Kurs abgeschlossen hat."),
    ("anteil", "Anteil",
     "Ein Teil von einem Ganzen, zwischen 0 und 100 %: etwa Verwaltungen mit Digitallotse geteilt \
      durch alle Verwaltungen des Gebiets. Karten teilen Anteile in fünf Stufen (0 %, unter 25 %, \
      25–49 %, 50–74 %, 75–100 %)."),
    ("prozesse", "Aktive Prozesse",
     "Ein service-bw-Prozess (Standard- oder Universalprozess) ist in einer Verwaltung am Stichtag \
      aktiv, wenn er an diesem Tag oder davor freigeschaltet und noch nicht abgeschaltet wurde."),
    ("flaechendeckend", "Flächendeckend",
     "Ein Prozess oder Onlinedienst ist in einem Gebiet flächendeckend, wenn ihn jede Gemeinde des \
      Gebiets anbietet oder er ihr von oben (Verband, Kreis, Land, Bund) zur Verfügung steht. \
      Die Abdeckung zählt Gemeinden und ihre Einwohner."),
    ("stichtag", "Stichtag",
     "Alle Zahlen einer Seite gelten zum Ende eines Tages: heute, oder dem gewählten Stichtag \
      (as_of). Was an diesem Tag geschah, zählt mit."),
    ("datenstand", "Datenstand",
     "Der Tag, bis zu dem die eingelesenen Daten reichen; bei den Onlinediensten der Tag der \
      jüngsten Lieferung des Bundes."),
    ("groessenklassen", "Größenklassen",
     "Gemeinden nach Einwohnern: unter 5.000, 5.000 bis unter 20.000, 20.000 bis unter 100.000, \
      100.000 und mehr."),
    ("vergleichsgruppe", "Vergleichsgruppe (Steckbrief)",
     "Die Gemeinden desselben Landes in derselben Größenklasse und mit demselben Gemeindetyp \
      (Gemeinde, Stadt, Große Kreisstadt, Stadtkreis); gibt es keine solche, alle Gemeinden der \
      Größenklasse. Ein Landratsamt vergleicht sich mit den anderen Landratsämtern. Rang 1 hat \
      die meisten aktiven Standardprozesse; gleiche Werte teilen sich einen Platz."),
    ("demodaten", "Demodaten",
     "Ein mit --demo gestarteter Dienst zeigt synthetisch erzeugte Zahlen über dem echten \
      Gemeindeverzeichnis, keine amtlichen Einzeldaten; nur die Summen Baden-Württembergs treffen \
      die veröffentlichten Stände. Jede Seite, jede Karte und jeder Download sagt es dann."),
];

fn unit(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Integer => "Anzahl",
        ColumnKind::Decimal => "Durchschnitt",
        ColumnKind::Share => "Anteil (0–100 %)",
        ColumnKind::Euro => "Euro",
        ColumnKind::YesNo => "ja/nein",
        ColumnKind::Date => "Datum",
        ColumnKind::Key => "Schlüssel",
        ColumnKind::Text => "Text",
    }
}

/// The page.
pub fn page(snap: &Snapshot, links: &Links) -> String {
    let raw = &snap.raw;
    let territory = raw.registry.territory();
    let mut b = String::from(
        "<p>Wie jede Zahl dieses Atlas gezählt wird und woher sie kommt.</p><h2 id=\"begriffe\">Begriffe</h2><dl>",
    );
    for (id, term, text) in TERMS {
        let _ = write!(
            b,
            "<dt id=\"{id}\"><strong>{}</strong></dt><dd>{}</dd>",
            esc(term),
            esc(&territory.localize(text))
        );
    }
    b.push_str("</dl><h2 id=\"kennzahlen\">Kennzahlen</h2><p>Jede Kennzahl eines Gebiets, wie sie \
                die Seiten, die Downloads und die Schnittstelle (Spalte in /api/v1/coverage) nennen.</p>");
    let rows: Vec<Vec<String>> = Figure::ALL
        .iter()
        .map(|f| {
            let c = f.column();
            vec![
                format!(
                    "<span id=\"kz-{}\">{}</span>",
                    c.name,
                    esc(&territory.localize(c.header))
                ),
                format!("<code>{}</code>", c.name),
                unit(c.kind).to_string(),
                esc(f.provenance().source),
            ]
        })
        .collect();
    b.push_str(&table(
        "Kennzahlen: Name, Spalte, Einheit und Herkunft",
        &[
            ("Kennzahl", false, None),
            ("Spalte", false, None),
            ("Einheit", false, None),
            ("berechnet aus", false, None),
        ],
        &rows,
    ));
    b.push_str(&sources(snap));
    super::html::page(
        "Methodik und Quellen",
        &links.home(),
        raw.demo,
        &b,
        &footer(snap, links),
    )
}

/// Each source with its Datenstand and licence.
fn sources(snap: &Snapshot) -> String {
    let raw = &snap.raw;
    let imported = |dataset: &str| {
        raw.last_imports
            .iter()
            .find(|(d, _)| d == dataset)
            .and_then(|(_, at)| chrono::DateTime::from_timestamp(*at, 0))
            .map(|t| format!("zuletzt eingelesen am {}", t.format("%d.%m.%Y")))
            .unwrap_or_else(|| "noch nicht eingelesen".to_string())
    };
    let mut rows = vec![vec![
        "Gebiete und Einwohner".to_string(),
        raw.registry
            .edition
            .as_ref()
            .map(|e| {
                esc(&format!(
                    "{} (Gebietsstand {}, Einwohner {})",
                    e.source, e.gebietsstand, e.population_date
                ))
            })
            .unwrap_or_default(),
    ]];
    rows.push(vec![
        "Grenzen (Karten)".to_string(),
        esc(crate::boundaries::of(&raw.registry).attribution()),
    ]);
    // Whoever delivered the files: in Baden-Württemberg the Innenministerium; synthetic data
    // says so.
    let territory = raw.registry.territory();
    let supplier = if raw.demo {
        "Demodaten (synthetisch, nicht amtlich)"
    } else if territory == crate::registry::Territory::BADEN_WUERTTEMBERG {
        "Innenministerium Baden-Württemberg"
    } else {
        "die eingelesenen Dateien des Betreibers"
    };
    for (label, dataset) in [
        ("Digitallotsen (Qualifizierungen)", "qualifikationen"),
        ("service-bw-Prozesse und Freischaltungen", "aktivierungen"),
        ("service-bw-Konten", "konten"),
    ] {
        rows.push(vec![
            esc(&territory.localize(label)),
            esc(&format!("{supplier}, {}", imported(dataset))),
        ]);
    }
    let od = match raw.onlinedienste.newest_datenstand() {
        Some(d) => format!(
            "{}, Datenstand {}",
            crate::model::rows::ONLINEDIENSTE_SOURCE,
            d.format("%d.%m.%Y")
        ),
        None => "noch nicht eingelesen".to_string(),
    };
    rows.push(vec!["Onlinedienste".to_string(), esc(&od)]);
    let mut b = String::from("<h2 id=\"quellen\">Quellen</h2>");
    b.push_str(&table(
        "Quellen mit Datenstand und Lizenz",
        &[
            ("Daten", false, None),
            ("Quelle, Datenstand, Lizenz", false, None),
        ],
        &rows,
    ));
    b
}
