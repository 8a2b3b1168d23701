//! Minimal HTML building: escaping and the page shell (German, accessible, readable on a phone,
//! no JavaScript).

use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub use crate::format::{num, pct};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1a1a1a;line-height:1.45}\
header,main,footer{max-width:1100px;margin:0 auto;padding:0 1rem}\
header{border-bottom:3px solid #08519c;padding-top:.5rem}\
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin-top:2rem}\
.demo{background:#fff3cd;border:1px solid #e0b000;padding:.5rem 1rem;margin:1rem 0}\
.fehler{background:#fde8e8;border:2px solid #b30000;padding:.5rem 1rem;margin:1rem 0}.stichtag-hinweis{background:#e8f0fb;border:2px solid #08519c;padding:.5rem 1rem;margin:1rem 0}form.stichtag{margin:.5rem 0}\
.kennzahlen{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.75rem;padding:0;list-style:none}\
.kennzahlen li{border:1px solid #ccc;border-radius:6px;padding:.6rem}.kennzahlen strong{display:block;font-size:1.6rem;color:#08519c}\
img{max-width:100%;height:auto;border:1px solid #eee}figure{margin:1rem 0}figcaption{font-size:.85rem;color:#555}\
.karte-flaeche{position:relative;display:inline-block;max-width:100%}.karte-flaeche img{display:block}\
.karte-links{position:absolute;inset:0;width:100%;height:100%}.karte-links path{fill:transparent;fill-rule:evenodd}\
.karte-links a:hover path,.karte-links a:focus path{fill:rgba(0,0,0,.2);stroke:#000;stroke-width:3}.karte-links a:focus{outline:none}\
.karte-hier{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}.karte-hier path{fill:none;stroke:#c2255c;stroke-width:6;stroke-linejoin:round;fill-rule:evenodd}\
.tabelle{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.92rem}\
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}td.n,th.n{text-align:right}\
th a{color:inherit}nav a{margin-right:1rem}form{margin:1rem 0}input[type=search]{padding:.4rem;width:min(20rem,70vw)}\
footer{font-size:.85rem;color:#555;border-top:1px solid #ccc;margin-top:2rem;padding-bottom:2rem}\
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;padding:.5rem;font-size:.85rem}\
@media print{@page{size:A4;margin:12mm}body{font-size:10pt}header,main,footer{max-width:none;padding:0}\
form,nav,figcaption,.nur-bildschirm,.karte-links{display:none}a{color:inherit;text-decoration:none}\
figure,.karte-flaeche,img,tr,.kennzahlen li{break-inside:avoid}h2{break-after:avoid}thead{display:table-header-group}\
.tabelle{overflow:visible}img{max-height:230mm;width:auto;max-width:100%}.kennzahlen{grid-template-columns:repeat(3,1fr)}}";

/// The whole document around `body`.
pub fn page(title: &str, home: &str, demo: bool, body: &str, footer: &str) -> String {
    let mut s = String::with_capacity(body.len() + 4096);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\
         <header><nav aria-label=\"Hauptnavigation\"><a href=\"{home}\">digitalatlas</a></nav>\
         <h1>{t}</h1></header><main>",
        t = esc(title)
    );
    if demo {
        s.push_str(
            "<p class=\"demo\" role=\"note\"><strong>Demodaten:</strong> Diese Zahlen sind \
             synthetisch erzeugt, keine amtlichen Einzeldaten; nur die Summen \
             Baden-Württembergs treffen die veröffentlichten Stände.</p>",
        );
    }
    s.push_str(body);
    let _ = writeln!(s, "</main><footer>{footer}</footer></body></html>");
    s
}

/// A table with a caption, header cells (`(label, numeric, sort link)`) and rows of cells.
pub fn table(
    caption: &str,
    headers: &[(&str, bool, Option<String>)],
    rows: &[Vec<String>],
) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<div class=\"tabelle\"><table><caption>{}</caption><thead><tr>",
        esc(caption)
    );
    for (label, numeric, link) in headers {
        let class = if *numeric { " class=\"n\"" } else { "" };
        match link {
            Some(href) => {
                let _ = write!(
                    s,
                    "<th scope=\"col\"{class}><a href=\"{}\">{}</a></th>",
                    esc(href),
                    esc(label)
                );
            }
            None => {
                let _ = write!(s, "<th scope=\"col\"{class}>{}</th>", esc(label));
            }
        }
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for (i, cell) in r.iter().enumerate() {
            let numeric = headers.get(i).is_some_and(|h| h.1);
            if i == 0 {
                let _ = write!(s, "<th scope=\"row\">{cell}</th>");
            } else if numeric {
                let _ = write!(s, "<td class=\"n\">{cell}</td>");
            } else {
                let _ = write!(s, "<td>{cell}</td>");
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
