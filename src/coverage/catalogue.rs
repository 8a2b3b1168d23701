//! The figure catalogue as people and tools read it: where each figure comes from and where it
//! shows ([`Provenance`]), as JSON (`digitalatlas figures --json`, what
//! `dashboards/grafana/generate.py` reads) and as the Markdown table of ARCHITECTURE.md
//! (`digitalatlas figures`). The declarations themselves are in `figure.rs`.

use super::figure::Figure;

/// The catalogue as JSON (`digitalatlas figures --json`): each figure's column and classes, in
/// the order of the coverage columns, and the Lotse classes with their words.
/// `dashboards/grafana/generate.py` reads it.
pub fn catalogue_json() -> serde_json::Value {
    let figures: Vec<serde_json::Value> = Figure::ALL
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f.column()).unwrap_or_default();
            v["bands"] = serde_json::to_value(f.bands()).unwrap_or_default();
            v["provenance"] = serde_json::to_value(f.provenance()).unwrap_or_default();
            v
        })
        .collect();
    let lotse: Vec<serde_json::Value> = super::figures::LOTSE_CLASSES
        .iter()
        .map(|(key, words)| serde_json::json!({ "key": key, "label": words }))
        .collect();
    serde_json::json!({ "figures": figures, "lotse_classes": lotse })
}

/// Where a figure comes from and where else it shows besides `/api/v1/coverage` (all formats),
/// the GeoJSON properties and `/api/v1/timeseries?metric=`: the import columns it is computed
/// from, its metric families, its place on the pages and its Grafana panels. Checked against the
/// metric contract, the panel contracts and the pages by `tests/golden.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Provenance {
    /// `dataset.column`s (or the registry) it is computed from.
    pub source: &'static str,
    /// Metric families that carry it (per Kreis or size class; a share as the ratio of two).
    pub metrics: &'static [&'static str],
    /// Element ids of the pages that show it.
    pub page: &'static [&'static str],
    /// Titles of the Grafana panels that show it.
    pub panels: &'static [&'static str],
}

const QUALIFIED: &str = "qualifikationen.verwaltung, .abschluss";
const BY_PROGRAMME: &str = "qualifikationen.verwaltung, .programm, .abschluss";
const LOTSEN: &str = "qualifikationen.teilnehmer_id, .verwaltung, .abschluss";
const LOTSEN_BY_PROGRAMME: &str =
    "qualifikationen.teilnehmer_id, .verwaltung, .programm, .abschluss";
const REGISTRY: &str = "registry (gemeinden.csv, kreise.csv)";

impl Figure {
    /// Where the figure comes from and where it shows (see [`Provenance`]); a figure without
    /// an entry below comes from nowhere else and shows only where every unit figure shows.
    pub fn provenance(self) -> Provenance {
        administration_provenance(self)
            .or_else(|| lotsen_provenance(self))
            .or_else(|| services_provenance(self))
            .unwrap_or(Provenance {
                source: "—",
                metrics: &[],
                page: &[],
                panels: &[],
            })
    }
}

fn p(
    source: &'static str,
    metrics: &'static [&'static str],
    page: &'static [&'static str],
    panels: &'static [&'static str],
) -> Option<Provenance> {
    Some(Provenance {
        source,
        metrics,
        page,
        panels,
    })
}

/// The registry's figures and the administrations with a Lotse.
fn administration_provenance(figure: Figure) -> Option<Provenance> {
    use Figure::*;
    match figure {
        Population => p(REGISTRY, &["digitalatlas_population"], &[], &[]),
        Administrations => p(
            REGISTRY,
            &["digitalatlas_administrations"],
            &["kz-verwaltungen"],
            &["Zielerreichung"],
        ),
        Gemeinden | Landratsaemter => p(REGISTRY, &["digitalatlas_administrations"], &[], &[]),
        AdministrationsWithLotse => p(
            QUALIFIED,
            &["digitalatlas_administrations_with_any_lotse"],
            &["kz-verwaltungen", "kreise"],
            &[
                "Verwaltungen mit Digitallotse",
                "Fortschritt zum Ziel (Land)",
            ],
        ),
        AdministrationsWithoutLotse => p(
            QUALIFIED,
            &[],
            &["ansprechliste"],
            &["Nach Regierungsbezirk (Land)"],
        ),
        GemeindenWithLotse => p(
            QUALIFIED,
            &["digitalatlas_administrations_with_any_lotse"],
            &["kz-gemeinden"],
            &["Fortschritt zum Ziel (Land)"],
        ),
        LandratsaemterWithLotse => p(
            QUALIFIED,
            &["digitalatlas_administrations_with_any_lotse"],
            &[],
            &["Fortschritt zum Ziel (Land)"],
        ),
        AdministrationsWithBasis
        | AdministrationsWithAufbau
        | GemeindenWithBasis
        | GemeindenWithAufbau
        | LandratsaemterWithBasis
        | LandratsaemterWithAufbau => p(
            BY_PROGRAMME,
            &["digitalatlas_administrations_with_lotsen"],
            &[],
            &[],
        ),
        ShareWithLotse => p(
            QUALIFIED,
            &[
                "digitalatlas_administrations_with_any_lotse",
                "digitalatlas_administrations",
            ],
            &["kreise"],
            &["Zielerreichung", "Nach Kreis"],
        ),
        ShareGemeindenWithLotse => p(
            QUALIFIED,
            &[
                "digitalatlas_size_class_gemeinden_with_any_lotse",
                "digitalatlas_size_class_gemeinden",
            ],
            &[],
            &["Nach Größenklasse (Land)"],
        ),
        _ => None,
    }
}

/// The Lotsen, the vouchers, the processes and the accounts.
fn lotsen_provenance(figure: Figure) -> Option<Provenance> {
    use Figure::*;
    match figure {
        Lotsen => p(
            LOTSEN,
            &["digitalatlas_lotsen_any_programme"],
            &["kz-lotsen", "kreise"],
            &["Digitallotsen"],
        ),
        LotsenBasis | LotsenAufbau => p(
            LOTSEN_BY_PROGRAMME,
            &["digitalatlas_lotsen"],
            &["kz-lotsen"],
            &["Basis und Aufbau"],
        ),
        LotsenGemeinden | LotsenLandratsaemter => {
            p(LOTSEN, &["digitalatlas_lotsen_any_programme"], &[], &[])
        }
        GemeindenViaVerband => p(
            "qualifikationen.verwaltung, .abschluss; registry (Gemeindeverbände)",
            &["digitalatlas_gemeinden_via_verband"],
            &["kz-verband"],
            &[],
        ),
        FundingBasisEuros | FundingAufbauEuros => p(
            "qualifikationen.programm, .abschluss, .foerderung_eur",
            &["digitalatlas_funding_euros"],
            &[],
            &["Förderung (Bildungsgutscheine, Land)"],
        ),
        PopulationWithLotse => p(
            "registry (gemeinden.csv population), qualifikationen.verwaltung, .abschluss",
            &[],
            &[],
            &[],
        ),
        GemeindenWithProcess => p(
            "aktivierungen.verwaltung, .aktiviert_am, .deaktiviert_am",
            &[],
            &[],
            &[],
        ),
        StandardProcessesAvg => p(
            "aktivierungen.verwaltung, .prozess_id, .aktiviert_am, .deaktiviert_am; prozesse.art",
            &[],
            &[],
            &[],
        ),
        AccountsBuerger | AccountsOrganisation => p(
            "konten.stichtag, .kontotyp, .verwaltung, .anzahl",
            &["digitalatlas_servicebw_accounts_by_kreis"],
            &[],
            &["Konten je Kreis"],
        ),
        AccountsBuergerPer1000 => p(
            "konten.stichtag, .kontotyp, .verwaltung, .anzahl; registry (population)",
            &[],
            &[],
            &[
                "Konten je 1.000 Einwohner und Kreis",
                "Bürgerkonten je 1.000 Einwohner im Zeitverlauf",
            ],
        ),
        _ => None,
    }
}

const SERVICES: &str = "onlinedienste.ars, .leika_key, .datenstand_pvog_import; registry (ARS)";

/// The federal Onlinedienste.
fn services_provenance(figure: Figure) -> Option<Provenance> {
    use Figure::*;
    match figure {
        Onlinedienste | OnlinediensteFlaechendeckend => {
            p(SERVICES, &["digitalatlas_onlinedienste_services"], &[], &[])
        }
        OnlinediensteEigene => p(SERVICES, &[], &["onlinedienste"], &[]),
        OnlinediensteAvg => p(
            SERVICES,
            &["digitalatlas_onlinedienste_per_gemeinde"],
            &["flaechendeckung"],
            &["Onlinedienste je Gemeinde (Durchschnitt) je Kreis"],
        ),
        OnlinediensteLinksNichtOk => p(
            "onlinedienste.ars, .leika_key, .url, .online_status, .datenstand_pvog_import",
            &["digitalatlas_onlinedienste_links_not_ok"],
            &["links-nicht-ok", "onlinedienste"],
            &["Nicht erreichbare Links je Kreis"],
        ),
        _ => None,
    }
}

/// The catalogue as a Markdown table (`digitalatlas figures`; ARCHITECTURE.md's figure
/// catalogue is this table, checked by `tests/golden.rs`).
pub fn catalogue_markdown() -> String {
    let mut s = String::from(
        "| figure (JSON/CSV column) | German header | kind | computed from | metric | page | panel |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let list = |items: &[&str], quote: bool| {
        if items.is_empty() {
            return "—".to_string();
        }
        let items: Vec<String> = items
            .iter()
            .map(|i| {
                if quote {
                    format!("`{i}`")
                } else {
                    format!("\"{i}\"")
                }
            })
            .collect();
        items.join(", ")
    };
    for f in Figure::ALL {
        let (c, p) = (f.column(), f.provenance());
        let kind = serde_json::to_value(c.kind).unwrap_or_default();
        let page: Vec<String> = p.page.iter().map(|id| format!("#{id}")).collect();
        let page: Vec<&str> = page.iter().map(String::as_str).collect();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            c.name,
            c.header,
            kind.as_str().unwrap_or_default(),
            p.source,
            list(p.metrics, true),
            list(&page, true),
            list(p.panels, false),
        ));
    }
    s
}
