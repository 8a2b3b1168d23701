//! The pages of the web upload (`/verwaltung`): sign in with an import token, upload a file, read
//! the check's report, import, read the import log. No JavaScript; every form carries the
//! session's CSRF token.

use std::fmt::Write;

use super::html::{esc, num, page, table};

const FOOTER: &str =
    "<p>Digitalatlas · Verwaltung: Dateien einspielen. Digitallotsen als Anzahlen, \
                      nie mit Namen.</p>";

/// The sign-in form (`message`: why the last attempt failed, or that the session ended).
pub fn login(csrf: &str, message: Option<&str>, demo: bool) -> String {
    let mut b = String::new();
    if let Some(m) = message {
        let _ = write!(b, "<p class=\"fehler\" role=\"alert\">{}</p>", esc(m));
    }
    let _ = write!(
        b,
        "<p>Zum Einspielen von Dateien mit dem Import-Token anmelden, das der Betrieb vergeben \
         hat. Der Token bleibt auf dem Server; der Browser erhält nur ein Sitzungs-Cookie.</p>\
         <form method=\"post\" action=\"/verwaltung/anmelden\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <p><label for=\"token\">Import-Token</label><br>\
         <input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">Anmelden</button></p></form>",
        esc(csrf)
    );
    page("Verwaltung: Anmelden", "/", demo, &b, FOOTER)
}

/// The upload form for the datasets the token may write.
pub fn upload(actor: &str, datasets: &[(&str, &str)], csrf: &str, demo: bool) -> String {
    let mut b = String::new();
    let _ = write!(
        b,
        "<p>Angemeldet als <strong>{}</strong>. \
         <a href=\"/verwaltung/importe\">Importprotokoll</a></p>\
         <form method=\"post\" action=\"/verwaltung/abmelden\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <button type=\"submit\">Abmelden</button></form>\
         <h2>Datei prüfen und einspielen</h2>\
         <p>Die Datei (CSV aus Excel, JSON oder XLSX) wird zuerst nur geprüft: Sie sehen jede \
         fehlerhafte Zeile mit Spalte, Wert und Grund und was sich ändern würde. Übernommen wird \
         erst mit „Importieren“, und dann ganz oder gar nicht.</p>\
         <form method=\"post\" action=\"/verwaltung/pruefen\" enctype=\"multipart/form-data\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><label for=\"dataset\">Datenart</label><br><select id=\"dataset\" name=\"dataset\">",
        esc(actor),
        csrf = esc(csrf)
    );
    for (value, label) in datasets {
        let _ = write!(
            b,
            "<option value=\"{}\">{}</option>",
            esc(value),
            esc(label)
        );
    }
    b.push_str(
        "</select></p><p><label for=\"datei\">Datei</label><br>\
         <input type=\"file\" id=\"datei\" name=\"datei\" required></p>\
         <p><button type=\"submit\">Prüfen</button></p></form>",
    );
    page("Verwaltung: Dateien einspielen", "/", demo, &b, FOOTER)
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct Checked<'a> {
    pub file: &'a str,
    pub dataset: &'a str,
    /// Rows, new, changed, unchanged (when the file is valid).
    pub counts: Option<[i64; 4]>,
    /// (line, column, value, reason) of every problem.
    pub issues: Vec<[String; 4]>,
    pub warnings: &'a [String],
    /// The pending upload to import (valid files only).
    pub upload: Option<&'a str>,
    pub csrf: &'a str,
}

/// The report of a check: the problems as a table, or the summary and "Importieren".
pub fn checked(c: &Checked<'_>, demo: bool) -> String {
    let mut b = format!(
        "<p><a href=\"/verwaltung\">Zurück zum Hochladen</a></p><h2>Prüfung von {} ({})</h2>",
        esc(c.file),
        esc(c.dataset)
    );
    if !c.issues.is_empty() {
        let _ = write!(
            b,
            "<p class=\"fehler\" role=\"alert\">{} Problem(e) gefunden – es wurde nichts \
             übernommen. Bitte die Datei korrigieren und erneut hochladen.</p>",
            num(c.issues.len() as i64)
        );
        let rows: Vec<Vec<String>> = c
            .issues
            .iter()
            .map(|i| i.iter().map(|v| esc(v)).collect())
            .collect();
        b.push_str(&table(
            "Probleme der Datei",
            &[
                ("Zeile", true, None),
                ("Spalte", false, None),
                ("Wert", false, None),
                ("Grund", false, None),
            ],
            &rows,
        ));
    }
    if let Some([rows, new, changed, same]) = c.counts {
        let _ = write!(
            b,
            "<ul class=\"kennzahlen\" id=\"pruefung\">\
             <li><strong id=\"p-zeilen\">{}</strong>Zeilen</li>\
             <li><strong id=\"p-neu\">{}</strong>neu</li>\
             <li><strong id=\"p-geaendert\">{}</strong>geändert</li>\
             <li><strong id=\"p-unveraendert\">{}</strong>unverändert</li></ul>",
            num(rows),
            num(new),
            num(changed),
            num(same)
        );
    }
    if !c.warnings.is_empty() {
        b.push_str("<h3>Hinweise</h3><ul>");
        for w in c.warnings {
            let _ = write!(b, "<li>{}</li>", esc(w));
        }
        b.push_str("</ul>");
    }
    if let Some(upload) = c.upload {
        let _ = write!(
            b,
            "<form method=\"post\" action=\"/verwaltung/importieren\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <input type=\"hidden\" name=\"upload\" value=\"{}\">\
             <p><button type=\"submit\" id=\"importieren\">Importieren</button></p></form>",
            esc(c.csrf),
            esc(upload)
        );
    }
    page("Verwaltung: Prüfung", "/", demo, &b, FOOTER)
}

/// The import log: (when, dataset, file, who, status, rows, new, changed, unchanged or message).
pub fn log(rows: &[Vec<String>], demo: bool) -> String {
    let mut b = String::from("<p><a href=\"/verwaltung\">Weitere Datei einspielen</a></p>");
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|v| esc(v)).collect())
        .collect();
    b.push_str(&table(
        "Importprotokoll, neueste zuerst",
        &[
            ("Zeitpunkt", false, None),
            ("Datenart", false, None),
            ("Datei", false, None),
            ("Von", false, None),
            ("Ergebnis", false, None),
            ("Zeilen", true, None),
            ("neu", true, None),
            ("geändert", true, None),
            ("unverändert", true, None),
        ],
        &rows,
    ));
    page("Verwaltung: Importprotokoll", "/", demo, &b, FOOTER)
}

/// A short message page (refused form, too many attempts, too large file).
pub fn message(title: &str, text: &str, demo: bool) -> String {
    let b = format!(
        "<p class=\"fehler\" role=\"alert\">{}</p><p><a href=\"/verwaltung\">Zur Verwaltung</a></p>",
        esc(text)
    );
    page(title, "/", demo, &b, FOOTER)
}
