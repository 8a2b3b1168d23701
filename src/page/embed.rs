//! What a Kommune can show on its own website: a small HTML card for an `iframe`
//! (`/einbetten/gemeinde/{ags}`) and a badge as SVG (`/badge/gemeinde/{ags}.svg`), each with its
//! Lotse state and active services at the Datenstand, the source, and a link back to its page.

use std::fmt::Write;

use super::html::{esc, num};
use super::Links;
use crate::coverage::figures::lotse_class;
use crate::coverage::snapshot::Snapshot;
use crate::model::AdminKind;

/// What the card and the badge say of one Gemeinde.
struct Facts {
    name: String,
    /// keine, basis or aufbau.
    class: &'static str,
    standard: u32,
    services: Option<u32>,
    as_of: String,
    demo: bool,
}

fn facts(snap: &Snapshot, ags: &str) -> Option<Facts> {
    let raw = &snap.raw;
    let f = &snap.current;
    let &i = raw.admin_idx.get(ags)?;
    let i = i as usize;
    let a = &raw.admins[i];
    if a.kind != AdminKind::Gemeinde {
        return None;
    }
    Some(Facts {
        name: a.name.clone(),
        class: lotse_class(f.admin_lotsen[i]),
        standard: f.admin_ozg[i].standard,
        services: f
            .services
            .as_of
            .map(|_| f.services.admins.get(i).map_or(0, |s| s.total)),
        as_of: f.as_of.format("%d.%m.%Y").to_string(),
        demo: raw.demo,
    })
}

impl Facts {
    /// "Digitallotse: mit Aufbauschulung", in the pages' words.
    fn lotse(&self) -> String {
        format!(
            "Digitallotse: {}",
            crate::coverage::figures::lotse_words(self.class)
        )
    }

    /// "10 aktive Standardprozesse · 13 Onlinedienste".
    fn services_line(&self) -> String {
        let mut s = format!("{} aktive Standardprozesse", num(self.standard.into()));
        if let Some(n) = self.services {
            let _ = write!(s, " · {} Onlinedienste", num(n.into()));
        }
        s
    }

    fn source(&self) -> String {
        let demo = if self.demo { " (Demodaten)" } else { "" };
        format!("Stand {} · Quelle: digitalatlas{demo}", self.as_of)
    }
}

const CARD_STYLE: &str = "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
color:#1a1a1a}.karte{border:1px solid #08519c;border-radius:6px;padding:.5rem .75rem;\
max-width:22rem;font-size:.9rem;line-height:1.35}.karte a{color:#08519c;font-weight:bold}\
.karte p{margin:.2rem 0}.quelle{font-size:.75rem;color:#555}";

/// The card for an `iframe`: links open in a new tab, never inside the frame.
pub fn card(snap: &Snapshot, links: &Links, ags: &str) -> Option<String> {
    let f = facts(snap, ags)?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>{name} im \
         digitalatlas</title><style>{CARD_STYLE}</style></head><body><div class=\"karte\">\
         <p><a href=\"{href}\" target=\"_blank\" rel=\"noopener\">{name}</a></p><p>{lotse}</p>\
         <p>{services}</p><p class=\"quelle\">{source}</p></div></body></html>",
        name = esc(&f.name),
        href = esc(&links.gemeinde(ags)),
        lotse = esc(&f.lotse()),
        services = esc(&f.services_line()),
        source = esc(&f.source()),
    );
    Some(b)
}

/// How wide `text` is at `size` px, measured in the charts' embedded font (each line is then
/// fitted to exactly that width with `textLength`, so every viewer's font fills the same box).
fn text_width(text: &str, size: f64) -> u32 {
    crate::charts::fonts();
    crate::charts::text_width(text, size, plotters::style::FontStyle::Normal).ceil() as u32
}

/// The badge: the Gemeinde's name over its Lotse state and services, the Datenstand and source;
/// the whole badge links to its page.
pub fn badge(snap: &Snapshot, links: &Links, ags: &str) -> Option<String> {
    let f = facts(snap, ags)?;
    let lines = [
        (f.name.clone(), "bold", 12.0),
        (f.lotse(), "normal", 11.0),
        (f.services_line(), "normal", 11.0),
        (f.source(), "normal", 9.0),
    ];
    let width = lines
        .iter()
        .map(|(t, _, size)| text_width(t, *size))
        .max()
        .unwrap_or(100)
        + 16;
    let height = 74;
    let title = format!(
        "{}: {}, {}. {}",
        f.name,
        f.lotse(),
        f.services_line(),
        f.source()
    );
    let color = if f.class == "keine" {
        "#737373"
    } else {
        "#08519c"
    };
    let mut b = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>\
         <a href=\"{href}\" target=\"_blank\"><rect x=\"0.5\" y=\"0.5\" width=\"{w1}\" \
         height=\"{h1}\" rx=\"5\" fill=\"#fff\" stroke=\"{color}\"/><rect x=\"0.5\" y=\"0.5\" \
         width=\"5\" height=\"{h1}\" rx=\"2\" fill=\"{color}\"/>\
         <g font-family=\"DejaVu Sans,Verdana,Geneva,sans-serif\" fill=\"#1a1a1a\">",
        t = esc(&title),
        href = esc(&links.gemeinde(ags)),
        w1 = width - 1,
        h1 = height - 1,
    );
    for (i, (text, weight, size)) in lines.iter().enumerate() {
        let y = [17, 34, 50, 66][i];
        let fitted = text_width(text, *size);
        let _ = write!(
            b,
            "<text x=\"12\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" \
             textLength=\"{fitted}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
            esc(text)
        );
    }
    b.push_str("</g></a></svg>");
    Some(b)
}
