//! The Atom feed of the changes (RFC 4287): one entry per month for the Land or a Kreis, newest
//! first, that an association subscribes to; each entry sums the month and lists the
//! administrations that changed, and links to `/aenderungen` for that month.

use std::fmt::Write;

use super::html::{esc, num};
use crate::coverage::changes::Changes;
use crate::coverage::snapshot::Snapshot;

/// What the feed is about and where it lives.
#[derive(Debug, Clone)]
pub struct FeedTarget {
    /// The Land's or the Kreis' name.
    pub area: String,
    /// The feed's own absolute URL.
    pub self_url: String,
    /// The absolute URL of `/aenderungen` (a span's `von`, `bis` and the Kreis are appended).
    pub page_url: String,
    /// The Kreis key, if the feed is a Kreis'.
    pub kreis: Option<String>,
}

impl FeedTarget {
    /// `land` or the Kreis key: part of every id.
    fn scope(&self) -> &str {
        self.kreis.as_deref().unwrap_or("land")
    }

    /// The page of one month.
    fn month_url(&self, c: &Changes) -> String {
        let kreis = self
            .kreis
            .as_ref()
            .map(|k| format!("&kreis={k}"))
            .unwrap_or_default();
        format!("{}?von={}&bis={}{kreis}", self.page_url, c.from, c.to)
    }
}

const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn month_name(c: &Changes) -> String {
    use chrono::Datelike;
    let m = c.to;
    format!("{} {}", MONTHS[m.month0() as usize], m.year())
}

/// "3 neue Digitallotsen, 1 Prozess freigeschaltet, …" (only what happened).
fn summary(c: &Changes) -> String {
    let t = c.totals();
    let parts: Vec<String> = [
        (t.lotsen_new, "neuer Digitallotse", "neue Digitallotsen"),
        (t.aufbau_new, "neue Aufbauschulung", "neue Aufbauschulungen"),
        (
            t.switched_on,
            "Prozess freigeschaltet",
            "Prozesse freigeschaltet",
        ),
        (
            t.switched_off,
            "Prozess abgeschaltet",
            "Prozesse abgeschaltet",
        ),
        (t.services_new, "Onlinedienst neu", "Onlinedienste neu"),
        (
            t.services_gone,
            "Onlinedienst weggefallen",
            "Onlinedienste weggefallen",
        ),
        (
            t.services_broken,
            "Onlinedienst mit gestörtem Link",
            "Onlinedienste mit gestörtem Link",
        ),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{} {}", num((*n).into()), if *n == 1 { one } else { many }))
    .collect();
    if parts.is_empty() {
        return "Keine Änderungen.".to_string();
    }
    let admins = t.administrations;
    format!(
        "{} (in {} {}).",
        parts.join(", "),
        num(admins.into()),
        if admins == 1 {
            "Verwaltung"
        } else {
            "Verwaltungen"
        }
    )
}

/// The month's administrations as an HTML list (escaped again as the entry's content).
fn content(snap: &Snapshot, c: &Changes) -> String {
    let raw = &snap.raw;
    let mut b = format!("<p>{}</p>", esc(&summary(c)));
    if c.admins.is_empty() {
        return b;
    }
    b.push_str("<ul>");
    for a in c.admins.iter().take(50) {
        let mut what = Vec::new();
        if a.lotsen_new > 0 {
            what.push(format!("{} neue Lotsen", a.lotsen_new));
        }
        if a.aufbau_new > 0 {
            what.push(format!("{} Aufbauschulungen", a.aufbau_new));
        }
        for (ps, verb) in [
            (&a.switched_on, "freigeschaltet"),
            (&a.switched_off, "abgeschaltet"),
        ] {
            if !ps.is_empty() {
                let names: Vec<&str> = ps.iter().map(|&p| raw.processes[p].name.as_str()).collect();
                what.push(format!("{verb}: {}", names.join(", ")));
            }
        }
        if a.services_new + a.services_gone + a.services_broken > 0 {
            what.push(format!(
                "Onlinedienste +{} / −{} / gestört {}",
                a.services_new, a.services_gone, a.services_broken
            ));
        }
        let _ = write!(
            b,
            "<li>{}: {}</li>",
            esc(&raw.admins[a.admin].name),
            esc(&what.join("; "))
        );
    }
    if c.admins.len() > 50 {
        let _ = write!(b, "<li>… und {} weitere</li>", c.admins.len() - 50);
    }
    b.push_str("</ul>");
    b
}

/// The feed of `months` (newest first); `updated` of an entry is the end of its span.
pub fn atom(snap: &Snapshot, target: &FeedTarget, months: &[Changes]) -> String {
    let stamp = |c: &Changes| format!("{}T23:59:59Z", c.to);
    let updated = months
        .first()
        .map(stamp)
        .unwrap_or_else(|| format!("{}T00:00:00Z", snap.current.as_of));
    let demo = if snap.raw.demo { " (Demodaten)" } else { "" };
    let mut b = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" \
         xml:lang=\"de\"><id>tag:digitalatlas,2026:aenderungen/{scope}</id><title>Was hat sich \
         geändert: {area}{demo}</title><subtitle>Digitallotsen, service-bw-Prozesse und \
         Onlinedienste, ein Eintrag je Monat</subtitle><updated>{updated}</updated><author>\
         <name>digitalatlas</name></author><link rel=\"self\" type=\"application/atom+xml\" \
         href=\"{self_url}\"/><generator>digitalatlas</generator><rights>Quellen und \
         Lizenzen: siehe die Fußzeile der verlinkten Seiten</rights>",
        scope = esc(target.scope()),
        area = esc(&target.area),
        self_url = esc(&target.self_url),
    );
    for c in months {
        use chrono::Datelike;
        let _ = write!(
            b,
            "<entry><id>tag:digitalatlas,2026:aenderungen/{scope}/{y:04}-{m:02}</id><title>{title}\
             </title><updated>{updated}</updated><link rel=\"alternate\" type=\"text/html\" \
             href=\"{href}\"/><summary>{summary}</summary><content type=\"html\">{content}</content>\
             </entry>",
            scope = esc(target.scope()),
            y = c.to.year(),
            m = c.to.month(),
            title = esc(&format!("{}: {}", month_name(c), target.area)),
            updated = stamp(c),
            href = esc(&target.month_url(c)),
            summary = esc(&summary(c)),
            content = esc(&content(snap, c)),
        );
    }
    b.push_str("</feed>\n");
    b
}
