//! The Steckbrief's comparison on a Gemeinde's page (and a Landratsamt's on its Kreis' page):
//! its ranks in the Kreis and the Land, its peer group's average and spread, and "Was
//! vergleichbare Gemeinden schon anbieten" — the engine's `Figures::steckbrief`, formatted.

use std::fmt::Write;

use super::html::{esc, num, pct, table};
use super::Links;
use crate::charts::ChartId;
use crate::coverage::snapshot::Snapshot;
use crate::coverage::steckbrief::{Rank, Steckbrief};
use crate::format::decimal;
use crate::model::AdminKind;

/// The words for what an administration is compared with: Gemeinden, or for a Landratsamt the
/// other Landratsämter (Kreisverwaltungen outside the Länder with Landratsämter).
struct Peers {
    /// After "von": "Gemeinden", "Landratsämtern".
    dative: String,
    /// "Gemeinden", "Landratsämter".
    plural: String,
    /// "vergleichbare Gemeinden", "andere Landratsämter".
    others: String,
}

impl Peers {
    fn of(snap: &Snapshot, admin: usize) -> Peers {
        if snap.raw.admins[admin].kind == AdminKind::Gemeinde {
            return Peers {
                dative: "Gemeinden".into(),
                plural: "Gemeinden".into(),
                others: "vergleichbare Gemeinden".into(),
            };
        }
        let plural = snap.raw.registry.territory().kreis_administrations();
        let dative = if plural.ends_with('r') {
            format!("{plural}n")
        } else {
            plural.to_string()
        };
        Peers {
            dative,
            plural: plural.to_string(),
            others: format!("andere {plural}"),
        }
    }
}

fn place(r: Rank, of_what: &str) -> String {
    format!(
        "Platz {} von {} {of_what}",
        num(r.position.into()),
        num(r.of.into())
    )
}

/// The section "Im Vergleich" and the talking points, for administration `admin`.
pub(super) fn comparison(snap: &Snapshot, links: &Links, admin: usize) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let s: Steckbrief = f.steckbrief(raw, admin);
    let name = &raw.admins[admin].name;
    let words = Peers::of(snap, admin);
    let mut b = String::from("<h2 id=\"vergleich\">Im Vergleich</h2><ul class=\"vergleich\">");
    let _ = write!(
        b,
        "<li id=\"rang\">Aktive Standardprozesse ({}): {}",
        s.standard,
        s.rank_kreis
            .map(|r| format!("{} im Kreis, ", place(r, "Gemeinden")))
            .unwrap_or_default(),
    );
    let _ = write!(b, "{} im Land</li>", place(s.rank_land, &words.dative));
    // Onlinedienste are counted for Gemeinden (a Landratsamt's are its Gemeinden's).
    let gemeinde = raw.admins[admin].kind == AdminKind::Gemeinde;
    if let (Some(n), Some(land), true) = (s.services, s.services_rank_land, gemeinde) {
        let _ = write!(
            b,
            "<li>Onlinedienste ({n}): {}{} im Land</li>",
            s.services_rank_kreis
                .map(|r| format!("{} im Kreis, ", place(r, "Gemeinden")))
                .unwrap_or_default(),
            place(land, &words.dative)
        );
    }
    if let (Some(day), [buerger, organisation]) =
        (f.admin_accounts_date[0], f.admin_accounts[admin])
    {
        let _ = write!(
            b,
            "<li id=\"konten\">{}: {} Bürgerkonten, {} Organisationskonten (Stichtag {})</li>",
            esc(&raw.registry.territory().localize("service-bw-Konten")),
            num(buerger),
            num(organisation),
            day.format("%d.%m.%Y")
        );
    }
    let peers = &s.peers;
    match peers.standard {
        Some(spread) => {
            let _ = write!(
                b,
                "<li id=\"vergleichsgruppe\">Vergleichsgruppe: {} {} ({}). Sie haben im \
                 Schnitt <strong>{}</strong> aktive Standardprozesse (Median {}, Spanne {} bis {}); \
                 {} steht auf {}.</li>",
                num(peers.members.len() as i64),
                esc(&words.plural),
                esc(&peers.describe()),
                decimal(spread.mean),
                decimal(spread.median),
                spread.min,
                spread.max,
                esc(name),
                place(peers.rank, "").trim_end()
            );
        }
        None => {
            let _ = write!(b, "<li>Keine {} im Land.</li>", esc(&words.others));
        }
    }
    b.push_str("</ul>");
    b.push_str(&talking_points(snap, &s, &words));
    b.push_str(&history_and_place(snap, links, admin));
    b.push_str(&verband(snap, links, &s));
    if gemeinde {
        b.push_str(&embeds(links, &raw.admins[admin].id, name));
    }
    b.push_str(&downloads(links, &raw.admins[admin].id));
    b
}

/// The Steckbrief as a workbook and as JSON (server only).
fn downloads(links: &Links, id: &str) -> String {
    let Some(href) = links.steckbrief(id) else {
        return String::new();
    };
    format!(
        "<p class=\"nur-bildschirm\"><a href=\"{}\">Steckbrief als Excel-Arbeitsmappe</a> · <a href=\"{}\">als JSON</a></p>",
        esc(&format!("{href}{}format=xlsx", if href.contains('?') { '&' } else { '?' })),
        esc(&href)
    )
}

/// "Was vergleichbare Gemeinden schon anbieten": the processes at least half of the peers have
/// switched on and this one has not, most common first.
fn talking_points(snap: &Snapshot, s: &Steckbrief, words: &Peers) -> String {
    let raw = &snap.raw;
    let n = s.peers.members.len();
    let mut b = format!(
        "<h2 id=\"vorschlaege\">Was {} schon anbieten</h2>",
        esc(&words.others)
    );
    if s.suggestions.is_empty() {
        let _ = write!(
            b,
            "<p>Nichts: Jeder Prozess, den mindestens die Hälfte der Vergleichsgruppe ({}) \
             freigeschaltet hat, ist hier schon freigeschaltet.</p>",
            esc(&words.plural)
        );
        return b;
    }
    let rows: Vec<Vec<String>> = s
        .suggestions
        .iter()
        .map(|t| {
            let p = &raw.processes[t.process];
            vec![
                esc(&p.name),
                p.art.as_str().to_string(),
                format!("{} von {}", num(t.peers_with.into()), num(n as i64)),
                pct(f64::from(t.peers_with) / n.max(1) as f64),
            ]
        })
        .collect();
    let caption = format!(
        "Prozesse, die mindestens die Hälfte der Vergleichsgruppe ({}) freigeschaltet hat, diese \
         Verwaltung aber nicht (häufigste zuerst)",
        words.plural
    );
    b.push_str(&table(
        &caption,
        &[
            ("Prozess", false, None),
            ("Art", false, None),
            ("Vergleichsgruppe mit Prozess", true, None),
            ("Anteil", true, None),
        ],
        &rows,
    ));
    b
}

/// "Auf der eigenen Website zeigen": the badge, and the code for the card and the badge.
fn embeds(links: &Links, ags: &str, name: &str) -> String {
    let Some((card, badge)) = links.embeds(ags) else {
        return String::new();
    };
    let iframe = format!(
        "<iframe src=\"{card}\" width=\"380\" height=\"140\" title=\"{name} im digitalatlas\" \
         style=\"border:0\"></iframe>"
    );
    let img = format!("<img src=\"{badge}\" alt=\"{name}: Digitallotse und Onlinedienste\">");
    format!(
        "<section class=\"nur-bildschirm\"><h2 id=\"einbetten\">Auf der eigenen Website zeigen</h2><p>Die Gemeinde kann ihren Stand \
         auf der eigenen Website zeigen, als Karte in einem Rahmen oder als Abzeichen; beide \
         aktualisieren sich mit jedem Datenstand. Vor den Pfad gehört die Adresse dieses \
         Dienstes, wie sie in der Adresszeile steht.</p><p><img src=\"{}\" alt=\"Abzeichen: \
         {} – Digitallotse und Onlinedienste\"></p><p>Als Karte (iframe):</p><pre><code>{}</code></pre>\
         <p>Als Abzeichen:</p><pre><code>{}</code></pre></section>",
        esc(&badge),
        esc(name),
        esc(&iframe),
        esc(&img)
    )
}

/// Its history (one chart: Lotsen and active processes since November 2018) and, for a
/// Gemeinde, where it lies: its Kreis' map with it outlined, every Gemeinde linked. (A
/// Landratsamt's section is on its Kreis' page, beside the Kreis' own maps and progress.)
fn history_and_place(snap: &Snapshot, links: &Links, admin: usize) -> String {
    let raw = &snap.raw;
    let a = &raw.admins[admin];
    let kreis = &raw.units[raw.kreise[a.kreis]];
    let gemeinde = a.kind == AdminKind::Gemeinde;
    let mut b = if gemeinde {
        String::from("<h2 id=\"verlauf\">Entwicklung</h2>")
    } else {
        format!("<h2 id=\"verlauf\">Entwicklung: {}</h2>", esc(&a.name))
    };
    b.push_str(&super::figure(
        links,
        &ChartId::History(a.id.clone()),
        &format!(
            "Stufendiagramm: aktive Standardprozesse, aktive Universalprozesse und \
             Digitallotsen von {} seit November 2018, Stand am Monatsende",
            a.name
        ),
    ));
    if gemeinde && crate::boundaries::cover(&raw.registry) {
        b.push_str("<h2 id=\"lage\">Lage im Kreis</h2>");
        b.push_str(&super::maps::clickable_with(
            snap,
            links,
            &super::kreis_map(&kreis.key),
            &format!(
                "Karte der Gemeinden im {}, {} rot umrandet: grau ohne Digitallotse, \
                 hellblau mit Basisqualifizierung, dunkelblau mit Aufbauschulung",
                kreis.name, a.name
            ),
            Some(&a.id),
        ));
    }
    b
}

/// Its Verwaltungsverband: the members, their Lotsen and active Standardprozesse, and whether it
/// is reachable through a partner's Lotse.
fn verband(snap: &Snapshot, links: &Links, s: &Steckbrief) -> String {
    let raw = &snap.raw;
    let f = &snap.current;
    let Some(v) = &s.verband else {
        return String::new();
    };
    let a = &raw.registry.associations()[v.association];
    let mut b = format!(
        "<h2 id=\"verband\">Verwaltungsverband</h2><p>Gehört zum Verband <a href=\"{}\">„{}“</a> \
         ({}, {} Gemeinden).",
        esc(&links.verband(&a.verband_ars)),
        esc(&a.name),
        esc(&a.kind),
        v.members.len()
    );
    if v.reachable {
        b.push_str(
            " <strong id=\"ueber-verband\">Ohne eigenen Digitallotsen, aber über den Verband \
             erreichbar:</strong> eine Partnergemeinde hat einen.",
        );
    }
    b.push_str("</p>");
    let rows: Vec<Vec<String>> = v
        .members
        .iter()
        .map(|&i| {
            let m = &raw.admins[i];
            vec![
                super::admin_link(links, m),
                crate::coverage::figures::lotse_words(crate::coverage::figures::lotse_class(
                    f.admin_lotsen[i],
                ))
                .to_string(),
                f.admin_ozg[i].standard.to_string(),
            ]
        })
        .collect();
    b.push_str(&table(
        "Die Gemeinden des Verbands",
        &[
            ("Gemeinde", false, None),
            ("Digitallotse", false, None),
            ("aktive Standardprozesse", true, None),
        ],
        &rows,
    ));
    b
}
