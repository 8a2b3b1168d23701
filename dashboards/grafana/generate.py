#!/usr/bin/env python3
"""Writes the Grafana dashboards of digitalatlas (dashboards/grafana/dashboards/*.json).

The JSON files are committed; edit this script and run it again (python3 generate.py) rather than
editing them by hand (`--check` only compares). Checked by scripts/test: Grafana's dashboard schema (from @grafana/schema),
every PromQL expression against a real Prometheus, every Infinity URL against the live API.
"""

import json
import argparse
import pathlib
import re
import sys

import display

PROM = {"type": "prometheus", "uid": "digitalatlas-prometheus"}
API = {"type": "yesoreyeram-infinity-datasource", "uid": "digitalatlas-api"}
OUT = pathlib.Path(__file__).parent / "dashboards"

# Where browsers reach this service, written into the map layers' GeoJSON URLs as an absolute
# URL when the dashboards are generated (`--api-url`). Grafana fetches a GeoJSON layer's
# `config.src` and a lookup layer's `gazetteer` as given, without template interpolation before
# Grafana 12 (see the README's table), so a dashboard variable there leaves the maps empty.
DEFAULT_API_URL = "http://127.0.0.1:8080"
API_URL = DEFAULT_API_URL
DEFAULT_PROMETHEUS_URL = "http://127.0.0.1:9090"
# The datasource provisioning file, written with the same URL as the map layers (`--api-url`):
# the Infinity datasource's URL and its `allowedHosts` (without which every Infinity panel fails
# with "requested URL not allowed") cannot drift from the dashboards.
PROVISIONING = pathlib.Path(__file__).parent / "provisioning" / "datasources"


def base_url(url, what):
    """An http(s) base URL without trailing slashes (`https://host/` and `https://host` alike)."""
    url = url.strip().rstrip("/")
    if not (url.startswith("http://") or url.startswith("https://")) or "?" in url or "#" in url:
        sys.exit(f"{what}: {url!r} is not an http or https base URL (no query, no fragment)")
    return url


def datasources_yaml(api_url, prometheus_url):
    """Grafana's datasource provisioning for the two datasources the dashboards name by uid."""
    return f"""# Grafana datasource provisioning for digitalatlas, written by dashboards/grafana/generate.py
# (--api-url, --prometheus-url): copy it into Grafana's provisioning directory (e.g.
# /etc/grafana/provisioning/datasources/). The dashboards refer to the datasources by these uids.
apiVersion: 1

datasources:
  - name: digitalatlas Prometheus
    uid: digitalatlas-prometheus
    type: prometheus
    access: proxy
    url: {prometheus_url}
    isDefault: false
    jsonData:
      timeInterval: 60s

  # The JSON/CSV API, read with the Infinity datasource plugin (yesoreyeram-infinity-datasource;
  # install it with `grafana cli plugins install yesoreyeram-infinity-datasource`). The panels use
  # relative URLs such as /api/v1/coverage?level=kreis, resolved against this base URL, and
  # Infinity only requests URLs under its allowed hosts: both are the --api-url.
  - name: digitalatlas API
    uid: digitalatlas-api
    type: yesoreyeram-infinity-datasource
    access: proxy
    url: {api_url}
    jsonData:
      allowedHosts:
        - {api_url}
"""

# The label names of every metric family, from the golden file of the metric contract
# (tests/golden/metrics.txt, checked against the service by tests/golden.rs).
GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "tests" / "golden" / "metrics.txt"
LABELS = {
    line.split(" ", 1)[0]: [l for l in line.rsplit("{", 1)[1].rstrip("}\n").split(",") if l]
    for line in GOLDEN.read_text(encoding="utf-8").splitlines()
}

# The figure catalogue of the service (`digitalatlas figures --json`, checked against the binary
# by tests/golden.rs): each figure's name, German header, kind and classes, defined once there.
FIGURES = display.FIGURES


def band_rules(figure):
    """The map layer's style rules of a share figure: one per class of the catalogue."""
    bands = FIGURES[figure]["bands"]
    assert len(bands) == len(display.SHARE_COLORS), f"{figure}: {len(bands)} classes"
    return [("coverage_class", "eq", b["key"], c) for b, c in zip(bands, display.SHARE_COLORS)]


def one(metric, selector=""):
    """One series per label set of `metric`, however many replicas Prometheus scrapes.

    Every replica of the service reports the same figures; `max by` the metric's own labels
    drops `instance` (and any other target label) so that sums do not double and joins find
    exactly one match per key."""
    labels = LABELS[metric]
    sel = "{" + selector + "}" if selector else ""
    return f"max by ({', '.join(labels)}) ({metric}{sel})"


# Restricts a series that carries a `kreis` label to the chosen Regierungsbezirk and Kreis.
IN_AREA = " * on (kreis) group_left () " + one(
    "digitalatlas_kreis_info", 'regierungsbezirk=~"$regierungsbezirk", kreis=~"$kreis"')


class Board:
    def __init__(self, uid, title, description, tags, time=None):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.time = time or {"from": "now-7d", "to": "now"}
        self.panels, self.variables = [], []
        self.contracts = {}
        self.x = self.y = self.row_h = 0

    def new_row(self):
        """The next panel starts a row of its own."""
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0

    def place(self, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def panel(self, kind, title, description, targets, w, h, options=None, defaults=None,
              overrides=None, transformations=None, datasource=None,
              contract=None, shows=None, links=None):
        """A panel with its contracts: `contract`, what its queries must answer (see CONTRACTS_DOC),
        and `shows`, what a reader sees (see SHOWS_DOC); both written to contracts.json."""
        assert contract and shows is not None, f"{title}: a panel states its contracts"
        columns = [c for t in targets for c in t.pop("_columns", [])]
        p = {
            "id": len(self.panels) + 1,
            "type": kind,
            "title": title,
            "description": description,
            "gridPos": self.place(w, h),
            "datasource": datasource or (targets[0]["datasource"] if targets else None),
            "targets": targets,
            "fieldConfig": {"defaults": defaults or {},
                            "overrides": column_overrides(columns) + (overrides or [])},
            "options": options or {},
        }
        if links:
            p["links"] = links
        if p["datasource"] is None:
            del p["datasource"], p["targets"]
        transformations = (table_transformations(kind, targets, columns) if targets else []) \
            + list(transformations or [])
        if transformations:
            p["transformations"] = transformations
        self.panels.append(p)
        self.contracts[title] = {"data": contract, "shows": shows}
        return p

    def area_variables(self):
        # The dropdowns show names and use keys: `query_result` lists one series per unit
        # (`max by` its key and name, so also with several replicas), and the regex's named
        # groups `text` and `value` (Grafana 7.4+) take the name and the key out of each line.
        # Lookaheads, so that the order in which the labels are printed does not matter.
        def names(key, metric, selector=""):
            sel = "{" + selector + "}" if selector else ""
            return {
                "query": f"query_result(max by ({key}, name) ({metric}{sel}))",
                "regex": f'/^(?=.*\\b{key}="(?<value>[^"]+)")(?=.*\\bname="(?<text>[^"]+)")/',
            }
        self.variables += [
            {
                "name": "regierungsbezirk",
                "label": "Regierungsbezirk",
                "type": "query",
                "datasource": PROM,
                **names("regierungsbezirk", "digitalatlas_regierungsbezirk_info"),
                "refresh": 1,
                "includeAll": True,
                "allValue": ".*",
                "multi": False,
                "sort": 1,
                "current": {"text": "All", "value": "$__all"},
            },
            {
                "name": "kreis",
                "label": "Kreis",
                "type": "query",
                "datasource": PROM,
                **names("kreis", "digitalatlas_kreis_info", 'regierungsbezirk=~"$regierungsbezirk"'),
                "refresh": 2,
                "includeAll": True,
                "allValue": ".*",
                "multi": False,
                "sort": 1,
                "current": {"text": "All", "value": "$__all"},
            },
        ]

    def process_variable(self):
        """A dropdown of the processes (names shown, ids used), for the "wer hat / wem fehlt"
        tables."""
        self.variables.append({
            "name": "process",
            "label": "Prozess",
            "type": "query",
            "datasource": PROM,
            "query": "query_result(max by (process, name) (digitalatlas_process_info))",
            "regex": '/^(?=.*\\bprocess="(?<value>[^"]+)")(?=.*\\bname="(?<text>[^"]+)")/',
            "refresh": 1,
            "includeAll": False,
            "multi": False,
            "sort": 1,
        })

    def json(self):
        return {
            "uid": self.uid,
            "title": self.title,
            "description": self.description,
            "tags": ["digitalatlas"] + self.tags,
            "editable": True,
            "graphTooltip": 1,
            "schemaVersion": 39,
            "version": 1,
            "refresh": "5m",
            "time": self.time,
            "timezone": "browser",
            "templating": {"list": self.variables},
            "annotations": {"list": []},
            "links": [
                {
                    "title": "digitalatlas-Dashboards",
                    "type": "dashboards",
                    "tags": ["digitalatlas"],
                    "asDropdown": True,
                    "icon": "external link",
                    "includeVars": True,
                    "keepTime": True,
                    "targetBlank": False,
                    "tooltip": "",
                }
            ],
            "panels": self.panels,
        }


def prom(expr, legend="", instant=False, fmt="time_series", ref="A"):
    t = {"refId": ref, "datasource": PROM, "expr": expr, "legendFormat": legend or "__auto"}
    if instant:
        t.update({"instant": True, "range": False, "format": fmt})
    return t


# The first columns of the matrix (API contract of /api/v1/ozg/matrix), in the order and words
# a reader should see them; every further column is a process.
MATRIX_FIRST = [
    ("name", "Verwaltung", "text"), ("verwaltung", "AGS", "text"), ("art", "Art", "words:art"),
    ("kreis_name", "Kreis", "text"), ("regierungsbezirk", "Regierungsbezirk (Schlüssel)", "text"),
    ("population", FIGURES["population"]["header"], "integer"),
    ("lotse", "Digitallotse", "words:lotse"),
    ("standard_active", "aktive Standardprozesse", "integer"),
    ("universal_active", "aktive Universalprozesse", "integer"),
    ("accounts_buerger", FIGURES["accounts_buerger"]["header"], "integer"),
    ("accounts_organisation", FIGURES["accounts_organisation"]["header"], "integer"),
    ("kreis", "Kreisschlüssel", "text"),
]


def column(selector, text, ty, kind=None):
    """An Infinity column and how it is shown: the kind (see display.py) given, or the figure's
    of the catalogue when the selector names one, else as it comes."""
    if kind is None:
        kind = {"share": "share", "integer": "integer", "decimal": "decimal", "euro": "euro"}.get(
            FIGURES.get(selector, {}).get("kind"), "text" if ty == "string" else "integer")
    return {"selector": selector, "text": text, "type": ty, "kind": kind}


def column_overrides(columns):
    """Each column's unit, colours and words, by its header."""
    return [display.override(c["text"], display.field_config(
        c["kind"], c["selector"] if c["selector"] in FIGURES else None))
        for c in columns if c["kind"] != "text"]


def table_transformations(kind, targets, columns):
    """Shares multiplied by 100 (shown in percent) and, for a table, the declared column order.

    Infinity's backend frames a table's fields in sorted key order (infinity-libs, gframer
    `sliceToFrame`: the rows pass through Go maps); Grafana's "organize" transformation puts them
    back in the declared order (fields it does not name follow, in their order), drops the
    fractions."""
    shares = [c["text"] for c in columns if c["kind"] == "share"]
    order = [c["text"] for c in columns] if kind == "table" else []
    renames = {}
    if kind == "table" and targets[0]["datasource"] == API and not targets[0]["columns"]:
        path = targets[0]["url"].split("?")[0]
        assert path == "/api/v1/ozg/matrix", path
        order = [key for key, _, _ in MATRIX_FIRST]
        renames = {key: text for key, text, _ in MATRIX_FIRST}
    if not (shares or order):
        return []
    organize = {
        "indexByName": {n: i for i, n in enumerate(order)},
        "excludeByName": {display.fraction_of(n): True for n in shares},
        "renameByName": renames,
    }
    return display.percent_transformations(shares) + [{"id": "organize", "options": organize}]


def infinity(url, columns, fmt="table", ref="A"):
    cols = [column(*c) for c in columns]
    return {
        "refId": ref,
        "datasource": API,
        "type": "json",
        "source": "url",
        "parser": "backend",
        "format": fmt,
        "url": url,
        "url_options": {"method": "GET", "data": ""},
        "root_selector": "",
        # A share comes under another name and is shown in percent under its own (see
        # table_transformations).
        "columns": [{"selector": c["selector"], "type": c["type"],
                     "text": display.fraction_of(c["text"]) if c["kind"] == "share" else c["text"],
                     # The API's days are YYYY-MM-DD (a Go layout for Infinity's parser).
                     **({"timestampFormat": "2006-01-02"} if c["type"] == "timestamp" else {})}
                    for c in cols],
        "filters": [],
        "_columns": cols,
    }


def thresholds(*steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in steps]}


def renames(mapping):
    """Overrides that give series named by a key (a legend such as `{{art}}`) their words."""
    return [display.override(key, {"displayName": text}) for key, text in mapping.items()]


def series_colors(mapping):
    """Overrides that give named series a fixed colour."""
    return [display.override(name, display.fixed(color)) for name, color in mapping.items()]


# The words and colours of the Lotse classes on the maps (the pages' colours, display.py).
LOTSE_CLASSES = [(key, display.LOTSE_COLORS[key], text) for key, text in display.WORDS["lotse"].items()]

# Attribution of the boundaries, required by the BKG's licence (dl-de/by-2-0); the service's own
# words (src/boundaries/mod.rs, ATTRIBUTION).
BOUNDARIES = "Grenzen: © GeoBasis-DE / BKG (2017), Daten verändert"


def geojson_layer(name, src, rules, opacity=0.8, outline=False):
    """A GeoJSON layer: features coloured by the first matching rule; an outline layer draws
    only the borders (fill opacity 0: Grafana strokes with the colour, fills with its opacity)."""
    return {
        "type": "geojson",
        "name": name,
        "config": {
            "src": src,
            # First matching rule wins (checkFeatureMatchesStyleRule: eq compares as text,
            # gte/lte as numbers when the value is a number).
            "rules": [
                {
                    "check": {"property": prop, "operation": op, "value": value},
                    "style": {"color": {"fixed": color}, "opacity": opacity},
                }
                for prop, op, value, color in rules
            ],
            "style": ({"color": {"fixed": "#222222"}, "opacity": 0, "lineWidth": 1.5} if outline
                      else {"color": {"fixed": "#bbbbbb"}, "opacity": 0.4}),
        },
        "opacity": 1,
        "tooltip": not outline,
    }


def geomap_options(layers):
    return {
        "view": {"id": "coords", "lat": 48.66, "lon": 9.0, "zoom": 7},
        "controls": {"showZoom": True, "mouseWheelZoom": False, "showAttribution": True},
        "basemap": {"type": "default", "name": "Basiskarte"},
        "layers": layers,
        "tooltip": {"mode": "details"},
    }


def map_legend(b, title, entries, note, h=14):
    """A legend beside a map (Grafana's GeoJSON layer draws none): each colour with its words,
    what the map shows, and the boundaries' attribution."""
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'margin-right:6px;vertical-align:middle;border:1px solid #888"></span>{t}</div>'
        for c, t in entries)
    b.panel("text", title, "Was die Farben der Karte bedeuten.",
            [], 4, h, {"mode": "html", "content": f"{rows}<p style=\"margin-top:8px\">{note}</p>"
                        f"<p><small>{BOUNDARIES}</small></p>"},
            contract="text", shows={"html": [t for _, t in entries] + [BOUNDARIES]})


def count_words(rules, none="keiner"):
    """The legend words of rules on a count, highest class first: `>= 18`, `>= 12`, …, `= 0`
    read "18 und mehr", "12–17", …, "keiner" (read off the rules, not written again)."""
    words, above = [], None
    for _, op, value, _ in rules:
        if op == "eq":
            words.append(none)
        elif above is None:
            words.append(f"{value} und mehr")
        else:
            words.append(f"{value}–{above - 1}" if above - 1 > value else f"{value}")
        above = value if op == "gte" else above
    return words


def gemeinde_map(b, title, description, rules, legend_title, legend_words, note, h=14):
    """A map of the Land's Gemeinden coloured by `rules` (no query: the layers load the GeoJSON
    themselves), the Kreise outlined above, on a row of its own with its legend beside it: each
    rule's colour with its words."""
    assert len(rules) == len(legend_words), title
    b.new_row()
    b.panel("geomap", title, description + " " + BOUNDARIES + ".", [], 20, h, geomap_options([
        geojson_layer("Gemeinden", API_URL + GEMEINDEN_LAYER, rules),
        geojson_layer("Kreise", API_URL + KREISE_LAYER, [], outline=True),
    ]), contract="layers", shows={"map": "legend_beside"})
    map_legend(b, legend_title, [(color, words) for (_, _, _, color), words in zip(rules, legend_words)],
               note, h)


def demo_panel(b, w=24):
    """A banner that says whether the figures are synthetic demo data."""
    b.panel("stat", "Datengrundlage",
            "Zeigt „Demodaten“, wenn der Dienst synthetische Demodaten statt amtlicher Meldungen enthält.",
            [prom(one("digitalatlas_demo_data"), "Daten", True)], w, 3,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background", "textMode": "value"},
            {"color": {"mode": "thresholds"},
             "thresholds": thresholds(("green", None)),
             "mappings": [{"type": "value", "options": {
                "0": {"text": "amtliche Meldungen", "color": "green", "index": 0},
                "1": {"text": "Demodaten (synthetisch, nicht amtlich)", "color": "orange", "index": 1}}}]},
            contract="one", shows={"text": "words", "colors": ["green", "orange"]})


def datenstand_panel(b, datasets, w=4):
    """The Datenstand: the newest import of the datasets the dashboard shows, as a day."""
    sel = 'dataset=~"' + "|".join(datasets) + '"'
    b.panel("stat", "Datenstand",
            "Tag des letzten Imports der Daten, die dieses Dashboard zeigt "
            f"({', '.join(datasets)}); bei Demodaten der Start des Dienstes.",
            [prom("max(" + one("digitalatlas_last_import_timestamp_seconds", sel) + ") * 1000",
                  "Datenstand", True)], w, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "none"},
            {**display.unit("date"), **display.fixed(display.NEUTRAL)},
            contract="one", shows={"text": "date"})


# Figures as of the time picker's end (Grafana 7.1+: `${__to:date:…}` formats the range's end).
AS_OF = "as_of=${__to:date:YYYY-MM-DD}"
# The figure dashboards open on the whole history: from the Projektstart (November 2018) until
# now; the history panels follow the picker, the figures take its end as their Stichtag.
FIGURE_TIME = {"from": "2018-11-01T00:00:00.000Z", "to": "now"}


def integer(color=None):
    return display.field_config("integer", color=color)


def steckbrief_link(field, key_field="AGS"):
    """A data link from a table row to the administration's page (a Gemeinde's own, a
    Landratsamt's Kreis page: /steckbrief/{key} sends each to its page)."""
    return display.override(field, {"links": [{
        "title": "Steckbrief öffnen", "targetBlank": True,
        "url": API_URL + "/steckbrief/${__data.fields[\"" + key_field + "\"]}"}]})


def kreis_link(name_field, key_field):
    return display.override(name_field, {"links": [{
        "title": "Kreisseite öffnen", "targetBlank": True,
        "url": API_URL + "/kreis/${__data.fields[\"" + key_field + "\"]}"}]})


def xlsx_link(path):
    """A panel link to the same figures as an Excel workbook (the filters and the Stichtag on
    screen)."""
    sep = "&" if "?" in path else "?"
    # A panel link (Grafana reads title, url, targetBlank; @grafana/schema types panel links as
    # dashboard links, hence the other fields).
    return [{"title": "Als Excel-Arbeitsmappe", "targetBlank": True, "type": "link",
             "url": API_URL + path + sep + "format=xlsx&" + AS_OF, "asDropdown": False,
             "icon": "doc", "includeVars": False, "keepTime": False, "tags": [], "tooltip": ""}]


TABLE = {"showHeader": True, "cellHeight": "sm"}
# Tables let the reader filter every column (a funnel in the header, Grafana 7.0+).
FILTERABLE = {"custom": {"filterable": True}}


def ozg_board():
    b = Board(
        "digitalatlas-ozg",
        "OZG – Übersicht Prozesse Konten",
        "Welche Kommune hat welchen Onlinedienst auf service-bw freigeschaltet, und wie viele "
        "Nutzerkonten gibt es (Nachbau der internen Übersicht des Innenministeriums). Stichtag "
        "der Zahlen: das Ende des gewählten Zeitraums.",
        ["ozg", "service-bw"], FIGURE_TIME,
    )
    b.area_variables()
    b.process_variable()
    demo_panel(b, 20)
    datenstand_panel(b, ["aktivierungen", "konten"])
    stat = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"}
    b.panel("stat", "Standardprozesse flächendeckend (Land)",
            "Standardprozesse, die in jeder Gemeinde aktiv sind (100 %, nicht 99 %).",
            [prom(one("digitalatlas_ozg_processes_flaechendeckend", 'art="standard"'), "Standard", True)],
            6, 4, stat, integer(), contract="one", shows={"text": "integer", "colors": ["blue"]})
    b.panel("stat", "Prozesse in mindestens einer Kommune (Land)",
            "Standard- und Universalprozesse, die mindestens eine Gemeinde freigeschaltet hat.",
            [prom(one("digitalatlas_ozg_processes_in_at_least_one_kommune"), "{{art}}", True)],
            6, 4, stat, integer(),
            renames({"standard": "Standardprozesse", "universal": "Universalprozesse"}),
            contract="per_art", shows={"text": "integer", "colors": ["blue"],
                                       "names": ["Standardprozesse", "Universalprozesse"]})
    b.panel("stat", "Bürgerkonten (Land)",
            "service-bw-Konten von Bürgerinnen und Bürgern zum letzten Stichtag.",
            [prom(one("digitalatlas_servicebw_accounts", 'account_type="buerger"'), "Bürgerkonten", True)],
            6, 4, stat, integer(), contract="one", shows={"text": "integer", "colors": ["blue"]})
    b.panel("stat", "Organisationskonten (Land)",
            "service-bw-Konten von Unternehmen und Organisationen zum letzten Stichtag.",
            [prom(one("digitalatlas_servicebw_accounts", 'account_type="organisation"'),
                  "Organisationskonten", True)],
            6, 4, stat, integer(), contract="one", shows={"text": "integer", "colors": ["blue"]})
    bars = {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}
    b.panel("bargauge", "Kommunen je Prozess",
            "Wie viele Gemeinden im gewählten Gebiet den Prozess freigeschaltet haben; die "
            "meisten oben.",
            [prom("sort_desc(sum by (process) (" + one("digitalatlas_ozg_gemeinden_with_process") + IN_AREA
                  + ") * on (process) group_left (name) " + one("digitalatlas_process_info") + ")",
                  "{{name}}", True)],
            12, 14, bars, {"min": 0, **integer()},
            contract="per_process", shows={"text": "integer", "colors": ["blue"], "names": "words"})
    b.panel("bargauge", "Konten je Kreis",
            "service-bw-Konten (Bürger- und Organisationskonten zusammen) der Verwaltungen je Kreis "
            "zum letzten Stichtag mit Zahlen je Kommune; die meisten oben.",
            [prom("sort_desc(sum by (kreis, name) ("
                  + one("digitalatlas_servicebw_accounts_by_kreis")
                  + " * on (kreis) group_left (name) "
                  + one("digitalatlas_kreis_info",
                        'regierungsbezirk=~"$regierungsbezirk", kreis=~"$kreis"') + "))",
                  "{{name}}", True)],
            12, 14, bars, {"min": 0, **integer()},
            contract="per_kreis_equals:accounts_buerger+accounts_organisation",
            shows={"text": "integer", "colors": ["blue"], "names": "words"})
    b.panel("table", "Prozesse: Aktivierungen und Bevölkerungsanteil",
            "Der Katalog mit dem OZG-Themenfeld, der Zahl der Gemeinden, die den Prozess anbieten, "
            "und dem Anteil der Bevölkerung, der ihn online nutzen kann; nach Themenfeld sortiert "
            "(ein Klick auf eine Spalte sortiert anders, der Trichter filtert).",
            [infinity("/api/v1/ozg/processes?kreis=$kreis&regierungsbezirk=$regierungsbezirk&" + AS_OF,
                      [("process_id", "ID", "string"), ("name", "Prozess", "string"),
                       ("themenfeld", "Themenfeld", "string"),
                       ("art", "Art", "string", "words:art"),
                       ("gemeinden_active", "Gemeinden", "number"),
                       ("share_gemeinden", "Anteil Gemeinden", "number", "share"),
                       ("share_population", "Anteil Bevölkerung", "number", "share"),
                       ("flaechendeckend", "flächendeckend", "boolean", "words:ja_nein")])],
            12, 14, {**TABLE, "sortBy": [{"displayName": "Themenfeld", "desc": False}]}, FILTERABLE,
            [display.override(n, {"custom.cellOptions": {"type": "gauge", "mode": "basic"}})
             for n in ("Anteil Gemeinden", "Anteil Bevölkerung")],
            links=xlsx_link("/api/v1/ozg/processes?kreis=${kreis}&regierungsbezirk=${regierungsbezirk}"),
            contract="rows",
            shows={"columns": ["ID", "Prozess", "Themenfeld", "Art", "Gemeinden", "Anteil Gemeinden"],
                   "cells": {"Art": "words", "Gemeinden": "integer", "Anteil Gemeinden": "percent",
                             "Anteil Bevölkerung": "percent", "flächendeckend": "words"}})
    # The matrix' process columns (1 = switched on) shown as ✓ / –, whatever their names.
    b.panel("table", "Kommune × Prozess",
            "Die zentrale Tabelle: je Verwaltung (Gemeinde oder Landratsamt) ihre Digitallotsen, "
            "ihre service-bw-Konten und für jeden Prozess (Spalten mit dem Prozessnamen) ✓ = "
            "freigeschaltet, – = nicht. Filter über Regierungsbezirk und Kreis und in jeder Spalte; "
            "ein Klick auf den Namen öffnet den Steckbrief.",
            [infinity("/api/v1/ozg/matrix?kreis=$kreis&regierungsbezirk=$regierungsbezirk&header=name&"
                      + AS_OF, [])],
            24, 14, TABLE, FILTERABLE,
            # The process columns are the ones not among the first (a regex with a negative
            # lookahead: Grafana's "Fields with name matching regex"): ✓ / – on green. Not in the
            # defaults: an override's empty mapping list does not clear the defaults' mappings
            # (Grafana merges arrays), so a count of 1 or 0 would read ✓ or –.
            overrides=[display.override(text, display.field_config(kind))
                       for _, text, kind in MATRIX_FIRST if kind != "text"]
            + [{"matcher": {"id": "byRegexp", "options": "/^(?!(?:" + "|".join(
                re.escape(text) for _, text, _ in MATRIX_FIRST) + ")$)/"},
                "properties": [
                    {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                    {"id": "mappings", "value": [{"type": "value", "options": {
                        "0": {"text": "–", "color": "transparent", "index": 0},
                        "1": {"text": "✓", "color": "green", "index": 1}}}]}]}]
            + [steckbrief_link("Verwaltung"), kreis_link("Kreis", "Kreisschlüssel")],
            links=xlsx_link("/api/v1/ozg/matrix?kreis=${kreis}&regierungsbezirk=${regierungsbezirk}"
                            "&header=name"),
            contract="administrations",
            shows={"columns": [text for _, text, _ in MATRIX_FIRST],
                   "cells": {"Art": "words", "Digitallotse": "words", "Einwohner": "integer",
                             "Bürgerkonten": "integer", "process": "check"}})
    process = "„${process:text}“"
    b.panel("table", f"Wer bietet {process} an?",
            "Die Verwaltungen im gewählten Gebiet, die den Prozess (Auswahl oben) freigeschaltet "
            "haben, mit ihrem Lotsenstand.",
            [infinity("/api/v1/ozg/matrix?kreis=$kreis&regierungsbezirk=$regierungsbezirk"
                      "&with_process=$process&" + AS_OF,
                      [("name", "Verwaltung", "string"), ("art", "Art", "string", "words:art"),
                       ("kreis_name", "Kreis", "string"),
                       ("population", FIGURES["population"]["header"], "number"),
                       ("lotse", "Digitallotse", "string", "words:lotse"),
                       ("standard_active", "aktive Standardprozesse", "number", "integer"),
                       ("verwaltung", "AGS", "string")])],
            12, 12, TABLE, FILTERABLE, [steckbrief_link("Verwaltung")],
            contract="rows", shows={"columns": ["Verwaltung", "Art", "Kreis", "Einwohner"],
                                    "cells": {"Art": "words", "Einwohner": "integer",
                                              "Digitallotse": "words"}})
    b.panel("table", f"Wem fehlt {process}?",
            "Die Verwaltungen im gewählten Gebiet ohne den Prozess (Auswahl oben), die größten "
            "zuerst.",
            [infinity("/api/v1/outreach?missing=process:$process&kreis=$kreis"
                      "&regierungsbezirk=$regierungsbezirk&limit=500&" + AS_OF,
                      [("rank", "Rang", "number", "integer"), ("name", "Verwaltung", "string"),
                       ("art", "Art", "string", "words:art"), ("kreis_name", "Kreis", "string"),
                       ("population", FIGURES["population"]["header"], "number"),
                       ("lotse", "Digitallotse", "string", "words:lotse"),
                       ("verwaltung", "AGS", "string")])],
            12, 12, TABLE, FILTERABLE, [steckbrief_link("Verwaltung")],
            links=xlsx_link("/api/v1/outreach?missing=process:${process}&kreis=${kreis}"
                            "&regierungsbezirk=${regierungsbezirk}"),
            contract="rows", shows={"columns": ["Rang", "Verwaltung", "Art", "Kreis", "Einwohner"],
                                    "cells": {"Rang": "integer", "Art": "words",
                                              "Einwohner": "integer", "Digitallotse": "words"}})
    # Grafana's histogram (its "histogram" transformation, @grafana/data) over one value per
    # Gemeinde: every count from the lowest to the highest gets its bar, also where no Gemeinde
    # has it (PromQL's count_values only returns counts that occur).
    b.panel("histogram", "Gemeinden nach Zahl aktiver Standardprozesse",
            "Wie viele Gemeinden 0, 1, 2, … Standardprozesse freigeschaltet haben (auch Zahlen, "
            "die keine Gemeinde hat).",
            [prom("(" + one("digitalatlas_ozg_processes_active", 'art="standard"')
                  + " * on (ags) group_left (kreis) " + one("digitalatlas_gemeinde_info") + ")"
                  + IN_AREA, "{{ags}}", True, "table")],
            12, 9, {"bucketSize": 1, "bucketOffset": 0, "combine": True,
                    "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"fillOpacity": 80}, **display.fixed(display.NEUTRAL)},
            transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True}}}],
            contract="gemeinden", shows={"buckets": "every_count"})
    b.panel("bargauge", "Flächendeckend vs. in mindestens einer Kommune (Land)",
            "Prozesse, die überall aktiv sind, neben denen, die irgendwo aktiv sind.",
            [prom(one("digitalatlas_ozg_processes_flaechendeckend"), "flächendeckend ({{art}})", True, ref="A"),
             prom(one("digitalatlas_ozg_processes_in_at_least_one_kommune"),
                  "in mind. einer Kommune ({{art}})", True, ref="B")],
            12, 9, {"orientation": "horizontal", "displayMode": "gradient",
                    "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"min": 0, **integer()},
            renames({f"{what} ({art})": f"{words}: {art_words}"
                     for what, words in (("flächendeckend", "flächendeckend"),
                                         ("in mind. einer Kommune", "in mind. einer Kommune"))
                     for art, art_words in (("standard", "Standardprozesse"),
                                            ("universal", "Universalprozesse"))}),
            contract="per_art", shows={"text": "integer", "colors": ["blue"], "names": "words"})
    konten = [("konten_buerger", "Bürgerkonten", "number"),
              ("konten_organisation", "Organisationskonten", "number")]
    b.panel("timeseries", "service-bw-Konten im Zeitverlauf (Land)",
            "Bürger- und Organisationskonten je Monatsende seit Projektstart (aus den importierten "
            "Stichtagen, unabhängig davon, seit wann Prometheus abfragt); Organisationskonten auf "
            "der rechten Achse.",
            [infinity("/api/v1/timeseries?metric=konten_buerger,konten_organisation&step=month",
                      [("date", "Monat", "timestamp", "text")] + konten, fmt="timeseries")],
            12, 9, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"drawStyle": "line", "lineWidth": 2}, **integer(),
             "color": {"mode": "palette-classic"}},
            [display.override("Organisationskonten", {"custom.axisPlacement": "right"})],
            contract="history", shows={"legend": ["Bürgerkonten", "Organisationskonten"],
                                       "text": "integer", "axes": {"Organisationskonten": "right"}})
    b.panel("table", "Konten je 1.000 Einwohner und Kreis",
            "service-bw-Konten der Verwaltungen je Kreis zum Stichtag, die Bürgerkonten auch je "
            "1.000 Einwohner (vergleicht große und kleine Kreise); ein Klick auf den Kreis öffnet "
            "seine Seite. Folgt der Kreis-Auswahl.",
            [infinity("/api/v1/coverage?level=kreis&kreis=$kreis&" + AS_OF,
                      [("name", "Kreis", "string"),
                       ("accounts_buerger_per_1000", FIGURES["accounts_buerger_per_1000"]["header"], "number"),
                       ("accounts_buerger", FIGURES["accounts_buerger"]["header"], "number"),
                       ("accounts_organisation", FIGURES["accounts_organisation"]["header"], "number"),
                       ("population", FIGURES["population"]["header"], "number"),
                       ("key", "Kreisschlüssel", "string")])],
            12, 10, {**TABLE, "sortBy": [{"displayName": FIGURES["accounts_buerger_per_1000"]["header"],
                                          "desc": True}]},
            FILTERABLE, [kreis_link("Kreis", "Kreisschlüssel")],
            links=xlsx_link("/api/v1/coverage?level=kreis&kreis=${kreis}"),
            contract="per_kreis_rows",
            shows={"columns": ["Kreis", "Bürgerkonten je 1.000 Einwohner", "Bürgerkonten"],
                   "cells": {"Bürgerkonten je 1.000 Einwohner": "decimal", "Bürgerkonten": "integer",
                             "Einwohner": "integer"}})
    b.panel("timeseries", "Bürgerkonten je 1.000 Einwohner im Zeitverlauf",
            "Je Kreis (oben gewählt: einer oder alle) die Bürgerkonten je 1.000 Einwohner je "
            "Monatsende seit Projektstart.",
            [infinity("/api/v1/timeseries?metric=accounts_buerger_per_1000&level=kreis&kreis=$kreis"
                      "&step=month",
                      [("date", "Monat", "timestamp", "text"), ("name", "Kreis", "string"),
                       ("accounts_buerger_per_1000", FIGURES["accounts_buerger_per_1000"]["header"],
                        "number")], fmt="timeseries")],
            12, 10, {"legend": {"showLegend": True, "displayMode": "list", "placement": "right"}},
            {"custom": {"drawStyle": "line", "lineWidth": 1}, **display.unit("decimal"),
             "color": {"mode": "palette-classic"}},
            # Long rows (one per Kreis and month) into a column per Kreis ("Grouping to matrix",
            # @grafana/data; the month stays a time field).
            transformations=[{"id": "groupingToMatrix", "options": {
                "columnField": "Kreis", "rowField": "Monat",
                "valueField": FIGURES["accounts_buerger_per_1000"]["header"]}}],
            contract="history", shows={"legend": "words", "text": "decimal"})
    gemeinde_map(b, "Aktive Standardprozesse je Gemeinde (Land)",
                 "Jede Gemeinde eingefärbt nach der Zahl ihrer aktiven Standardprozesse (Legende "
                 "daneben); die Tabelle „Kommune × Prozess“ folgt den Filtern.",
                 STANDARD_RULES, "Legende: aktive Standardprozesse",
                 count_words(STANDARD_RULES, "keiner (weißer Fleck)"),
                 "Aktive Standardprozesse je Gemeinde, schwarz umrandet die Kreise. Zeigt immer das "
                 "ganze Land und den heutigen Stand; nach einem Import mit „Aktualisieren“ des "
                 "Browsers neu laden.")
    gemeinde_map(b, "Aktive Universalprozesse je Gemeinde (Land)",
                 "Jede Gemeinde eingefärbt nach der Zahl ihrer aktiven Universalprozesse (Legende "
                 "daneben).",
                 UNIVERSAL_RULES, "Legende: aktive Universalprozesse",
                 count_words(UNIVERSAL_RULES),
                 "Aktive Universalprozesse je Gemeinde, schwarz umrandet die Kreise. Zeigt immer das "
                 "ganze Land und den heutigen Stand; nach einem Import den Browser neu laden.")
    return b


# The map layers: the features carry only what their tooltip shows, in German words (a map
# panel shows every property on hover), which the style rules read too.
GEMEINDEN_LAYER = "/api/v1/geo/gemeinden.geojson?properties=tooltip"
KREISE_LAYER = "/api/v1/geo/kreise.geojson?properties=tooltip"

# The OZG maps' classes: number of active Universalprozesse.
UNIVERSAL_RULES = [("Aktive Universalprozesse", "gte", 5, "#1a9850"),
                   ("Aktive Universalprozesse", "gte", 3, "#91cf60"),
                   ("Aktive Universalprozesse", "gte", 1, "#fee08b"),
                   ("Aktive Universalprozesse", "eq", "0", "#d73027")]
# The OZG map's classes: number of active Standardprozesse.
STANDARD_RULES = [("Aktive Standardprozesse", "gte", 18, "#1a9850"),
                   ("Aktive Standardprozesse", "gte", 12, "#91cf60"),
                   ("Aktive Standardprozesse", "gte", 6, "#fee08b"),
                   ("Aktive Standardprozesse", "gte", 1, "#fc8d59"),
                   ("Aktive Standardprozesse", "eq", "0", "#d73027")]


def lotsen_board():
    b = Board(
        "digitalatlas-lotsen",
        "Kommunale Digitallotsen – Rollout",
        "Fortschritt der Qualifizierung zu Kommunalen Digitallotsen: Ziel ist mindestens ein Lotse "
        "in jeder der 1.101 Gemeinden und 35 Landkreise (1.136 Verwaltungen).",
        ["digitallotsen"], FIGURE_TIME,
    )
    b.area_variables()
    demo_panel(b, 20)
    datenstand_panel(b, ["qualifikationen"])
    covered = "sum(" + one("digitalatlas_administrations_with_any_lotse") + IN_AREA + ")"
    total = "sum(" + one("digitalatlas_administrations") + IN_AREA + ")"
    stat = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"}
    b.panel("stat", "Verwaltungen mit Digitallotse",
            "Gemeinden und Landratsämter im gewählten Gebiet mit mindestens einem Lotsen.",
            [prom(covered, "mit Lotse", True)], 6, 5, stat, integer(),
            contract="equals:administrations_with_lotse", shows={"text": "integer", "colors": ["blue"]})
    b.panel("gauge", "Zielerreichung",
            "Anteil der Verwaltungen mit Lotse; Ziel 100 % (1.136 im Land). Farben wie auf den "
            "Karten: rot keiner, orange unter 25 %, gelb unter 50 %, hellgrün unter 75 %, grün ab 75 %.",
            [prom("100 * " + covered + " / " + total, "Anteil", True)], 6, 5,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "showThresholdMarkers": True},
            display.field_config("share", "share_with_lotse"),
            contract="equals:share_with_lotse*100",
            shows={"text": "percent", "colors": ["red", "orange", "yellow", "green"]})
    b.panel("stat", "Digitallotsen",
            "Qualifizierte Personen (Pseudonyme, keine Namen) im gewählten Gebiet.",
            [prom("sum(" + one("digitalatlas_lotsen_any_programme") + IN_AREA + ")", "Lotsen", True)], 6, 5,
            stat, integer(), contract="equals:lotsen", shows={"text": "integer", "colors": ["blue"]})
    b.panel("stat", "Förderung (Bildungsgutscheine, Land)",
            "Ausgezahlte Gutscheine: 100 EUR je Seminartag Basis, höchstens 50 EUR je Tag Aufbau.",
            [prom(one("digitalatlas_funding_euros"), "{{programme}}", True)], 6, 5, stat,
            {**display.unit("euro"), **display.fixed(display.NEUTRAL)},
            renames(display.WORDS["programme"]),
            contract="per_programme",
            shows={"text": "euro" if display.financial() else "integer", "colors": ["blue"],
                   "names": ["Aufbauschulung", "Basisqualifizierung"]})
    b.panel("timeseries", "Fortschritt zum Ziel (Land)",
            "Verwaltungen mit Lotse je Monatsende seit Projektstart (November 2018), neben dem Ziel "
            "von 1.101 Gemeinden und 35 Landkreisen.",
            [infinity("/api/v1/timeseries?metric=administrations_with_lotse,gemeinden_with_lotse,"
                      "landratsaemter_with_lotse,administrations&level=land&step=month",
                      [("date", "Monat", "timestamp", "text"),
                       ("administrations_with_lotse", "Verwaltungen mit Lotse", "number"),
                       ("gemeinden_with_lotse", "Gemeinden mit Lotse", "number"),
                       ("landratsaemter_with_lotse", "Landratsämter mit Lotse", "number"),
                       ("administrations", "Ziel (alle Verwaltungen)", "number")], fmt="timeseries")],
            16, 10, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"drawStyle": "line", "lineWidth": 2}, **integer(),
             "color": {"mode": "palette-classic"}},
            [{"matcher": {"id": "byName", "options": "Ziel (alle Verwaltungen)"},
              "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}},
                             {"id": "color", "value": {"mode": "fixed", "fixedColor": "#8e8e8e"}}]}],
            contract="history",
            shows={"legend": ["Verwaltungen mit Lotse", "Gemeinden mit Lotse", "Landratsämter mit Lotse",
                              "Ziel (alle Verwaltungen)"], "text": "integer"})
    b.panel("piechart", "Basis und Aufbau",
            "Lotsen mit Basisqualifizierung und mit Aufbauschulung im gewählten Gebiet.",
            [prom("sum by (programme) (" + one("digitalatlas_lotsen") + IN_AREA + ")", "{{programme}}", True)],
            8, 10, {"reduceOptions": {"calcs": ["lastNotNull"], "values": False},
                    "pieType": "donut", "legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            integer(),
            renames(display.WORDS["programme"])
            + series_colors({"Basisqualifizierung": display.LOTSE_COLORS["basis"],
                             "Aufbauschulung": display.LOTSE_COLORS["aufbau"]}),
            contract="per_programme",
            shows={"text": "integer", "colors": ["blue"],
                   "names": ["Aufbauschulung", "Basisqualifizierung"]})
    b.panel("barchart", "Nach Regierungsbezirk (Land)",
            "Verwaltungen mit und ohne Lotse je Regierungsbezirk.",
            [infinity("/api/v1/coverage?level=regierungsbezirk&" + AS_OF,
                      [("name", "Regierungsbezirk", "string"),
                       ("administrations_with_lotse", "mit Lotse", "number"),
                       ("administrations_without_lotse", "ohne Lotse", "number")])],
            12, 9, {"xField": "Regierungsbezirk", "stacking": "normal", "orientation": "horizontal",
                    "legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {**integer(), "color": {"mode": "palette-classic"}},
            series_colors({"mit Lotse": display.LOTSE_COLORS["aufbau"],
                           "ohne Lotse": display.LOTSE_COLORS["keine"]}),
            transformations=[{"id": "organize", "options": {"indexByName": {
                "Regierungsbezirk": 0, "mit Lotse": 1, "ohne Lotse": 2}}}],
            contract="regierungsbezirke", shows={"legend": ["mit Lotse", "ohne Lotse"], "text": "integer",
                                                 "colors": ["blue", "grey"]})
    bars = {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}
    share = FIGURES["share_gemeinden_with_lotse"]["header"]
    # A bar chart: its bars are named by the x field's values (a bar gauge over rows would name
    # every bar after the field, which "Add field from calculation" gives a display name).
    b.panel("barchart", "Nach Größenklasse (Land)",
            "Anteil der Gemeinden mit Lotse je Einwohnergrößenklasse, von klein nach groß; Farben "
            "wie auf den Karten.",
            [infinity("/api/v1/coverage?level=groessenklasse&" + AS_OF,
                      [("name", "Größenklasse", "string"),
                       ("share_gemeinden_with_lotse", share, "number")])],
            12, 9, {"xField": "Größenklasse", "orientation": "horizontal", "showValue": "always",
                    "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"}},
            display.field_config("share", "share_gemeinden_with_lotse"),
            contract="size_classes",
            shows={"text": "percent", "names": ["unter 5.000 Einwohner", "5.000 bis unter 20.000 Einwohner",
                                                "20.000 bis unter 100.000 Einwohner",
                                                "100.000 Einwohner und mehr"],
                   "colors": ["red", "orange", "yellow", "green"]})
    b.panel("bargauge", "Nach Kreis",
            "Anteil der Verwaltungen mit Lotse je Kreis, aufsteigend: oben, wo am meisten fehlt.",
            [prom("sort(100 * (sum by (kreis) (" + one("digitalatlas_administrations_with_any_lotse") + ") / "
                  "sum by (kreis) (" + one("digitalatlas_administrations") + ")) * on (kreis) group_left (name) "
                  + one("digitalatlas_kreis_info", 'regierungsbezirk=~"$regierungsbezirk", kreis=~"$kreis"')
                  + ")", "{{name}}", True)],
            12, 16, bars, display.field_config("share", "share_with_lotse"),
            contract="per_kreis_equals:share_with_lotse*100",
            shows={"text": "percent", "names": "words", "colors": ["red", "orange", "yellow", "green"]})
    gemeinde_map(b, "Karte: Digitallotsen je Gemeinde und Kreis (Land)",
                 "Gemeinden nach Lotsenstand (Legende daneben), darüber die Umrisse der Kreise.",
                 [("Digitallotse", "eq", t, c) for _, c, t in LOTSE_CLASSES], "Legende: Digitallotsen",
                 [t for _, _, t in LOTSE_CLASSES],
                 "Gemeinden nach ihrem Lotsenstand, schwarz umrandet die Kreise. Zeigt immer das "
                 "ganze Land und den heutigen Stand; nach einem Import den Browser neu laden.", h=16)
    b.panel("table", "Ansprechliste: Verwaltungen ohne Lotse",
            "Gemeinden und Landratsämter ohne Digitallotse, die größten zuerst (für die "
            "Ansprache durch Gemeindetag, Städtetag und Landkreistag); ein Klick auf den Namen "
            "öffnet den Steckbrief.",
            [infinity("/api/v1/outreach?missing=lotse&kreis=$kreis&regierungsbezirk=$regierungsbezirk"
                      "&limit=200&" + AS_OF,
                      [("rank", "Rang", "number", "integer"), ("name", "Verwaltung", "string"),
                       ("art", "Art", "string", "words:art"), ("kreis_name", "Kreis", "string"),
                       ("population", FIGURES["population"]["header"], "number"),
                       ("standard_active", "aktive Standardprozesse", "number", "integer"),
                       ("ueber_verband", "über den Verband erreichbar", "boolean", "words:ja_nein"),
                       ("verwaltung", "AGS", "string")])],
            24, 12, TABLE, FILTERABLE, [steckbrief_link("Verwaltung")],
            links=xlsx_link("/api/v1/outreach?missing=lotse&kreis=${kreis}"
                            "&regierungsbezirk=${regierungsbezirk}"),
            contract="rows",
            shows={"columns": ["Rang", "Verwaltung", "Art", "Kreis", "Einwohner"],
                   "cells": {"Rang": "integer", "Art": "words", "Einwohner": "integer",
                             "über den Verband erreichbar": "words"}})
    b.panel("table", "Wirken Digitallotsen? (Land)",
            "Schalten Gemeinden mit Digitallotse mehr Onlinedienste frei? Durchschnittlich aktive "
            "Standardprozesse je Gemeinde ohne Lotse, mit Basisqualifizierung und mit "
            "Aufbauschulung, innerhalb jeder Größenklasse. Ein Vergleich, kein Beweis: Gemeinden "
            "mit Lotse unterscheiden sich auch sonst.",
            [infinity("/api/v1/analysis/lotsen-ozg",
                      [("groessenklasse_name", "Größenklasse", "string"),
                       ("lotse", "Lotse", "string", "words:lotse"),
                       ("gemeinden", "Gemeinden", "number", "integer"),
                       ("standard_active_avg", "aktive Standardprozesse (Ø)", "number", "decimal"),
                       ("population_share_online", "Anteil online (Einwohner)", "number", "share")])],
            24, 10, TABLE, FILTERABLE,
            links=xlsx_link("/api/v1/analysis/lotsen-ozg"),
            contract="rows",
            shows={"columns": ["Größenklasse", "Lotse", "Gemeinden", "aktive Standardprozesse (Ø)",
                               "Anteil online (Einwohner)"],
                   "cells": {"Lotse": "words", "Gemeinden": "integer",
                             "aktive Standardprozesse (Ø)": "decimal",
                             "Anteil online (Einwohner)": "percent"}})
    return b


def onlinedienste_board():
    b = Board(
        "digitalatlas-onlinedienste",
        "Onlinedienste – Flächendeckung nach Bundes-Dashboard",
        "Die Onlinedienste, die das Dashboard Digitale Verwaltung des Bundes je Gebietskörperschaft "
        "im Portalverbund findet: wie viele, wo flächendeckend (vom Atlas selbst nachgerechnet, neben "
        "der Angabe des Bundes) und welche Links nicht erreichbar sind. Quelle: Dashboard Digitale "
        "Verwaltung, Bundesministerium des Innern (PVOG).",
        ["ozg", "onlinedienste"], FIGURE_TIME,
    )
    b.area_variables()
    demo_panel(b)
    stat = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"}
    land = one("digitalatlas_onlinedienste_land_services", 'source="atlas"')
    b.panel("stat", "Onlinedienste in mindestens einer Gemeinde (Land)",
            "Verschiedene Leistungen (LeiKa), die in mindestens einer Gemeinde online verfügbar "
            "sind – eigenes Angebot oder eines von Kreis, Land oder Bund.",
            [prom("sum (" + land + ")", "Onlinedienste", True)], 6, 4, stat, integer(),
            contract="one", shows={"text": "integer", "colors": ["blue"]})
    b.panel("stat", "Onlinedienste flächendeckend (Land)",
            "Leistungen, die in jeder Gemeinde des Landes online verfügbar sind (vom Atlas "
            "nachgerechnet).",
            [prom(one("digitalatlas_onlinedienste_land_services",
                      'reach="flaechendeckend", source="atlas"'), "flächendeckend", True)], 6, 4, stat,
            integer(), contract="one", shows={"text": "integer", "colors": ["blue"]})
    b.panel("stat", "Abweichungen zur Angabe des Bundes (Land, je Kreis)",
            "Paare aus Leistung und Kreis, bei denen die Flächendeckung nach Atlas-Regel von der "
            "Angabe art_flaechendeckung des Bundes abweicht (grün: keine, orange: welche).",
            [prom(one("digitalatlas_onlinedienste_disagreements", 'level="kreis"'), "Abweichungen", True)],
            6, 4, stat, integer("problem"),
            contract="one", shows={"text": "integer", "colors": ["green", "orange"]})
    b.panel("stat", "Datenstand der Onlinedienste (Land)",
            "Der neueste Datenstand (Import aus dem Portalverbund) der importierten Onlinedienste.",
            [prom(one("digitalatlas_onlinedienste_datenstand_timestamp_seconds") + " * 1000",
                  "Datenstand", True)],
            6, 4, {**stat, "colorMode": "none"}, {**display.unit("date"), **display.fixed(display.NEUTRAL)},
            contract="one", shows={"text": "date"})

    def per_kreis(metric, selector=""):
        return ("sort_desc(" + one(metric, selector) + IN_AREA + " * on (kreis) group_left (name) "
                + one("digitalatlas_kreis_info") + ")")

    bars = {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}
    b.panel("bargauge", "Flächendeckende Onlinedienste je Kreis",
            "Leistungen, die in jeder Gemeinde des Kreises online verfügbar sind; die meisten oben.",
            [prom(per_kreis("digitalatlas_onlinedienste_services", 'reach="flaechendeckend"'),
                  "{{name}}", True)], 8, 14, bars, {"min": 0, **integer()},
            contract="per_kreis_equals:onlinedienste_flaechendeckend",
            shows={"text": "integer", "colors": ["blue"], "names": "words"})
    b.panel("bargauge", "Onlinedienste je Gemeinde (Durchschnitt) je Kreis",
            "Wie viele verschiedene Leistungen eine Gemeinde des Kreises im Durchschnitt online "
            "anbietet oder von oben angeboten bekommt.",
            [prom(per_kreis("digitalatlas_onlinedienste_per_gemeinde"), "{{name}}", True)],
            8, 14, bars, {"min": 0, **display.field_config("decimal")},
            contract="per_kreis_equals:onlinedienste_je_gemeinde",
            shows={"text": "decimal", "colors": ["blue"], "names": "words"})
    b.panel("bargauge", "Nicht erreichbare Links je Kreis",
            "Links von Onlinediensten für die Gemeinden des Kreises, die beim Abruf des "
            "Portalverbunds nicht funktionierten (je Link einmal gezählt; grün: keiner).",
            [prom(per_kreis("digitalatlas_onlinedienste_links_not_ok"), "{{name}}", True)],
            8, 14, bars, {"min": 0, **integer("problem")},
            contract="per_kreis_equals:onlinedienste_links_nicht_ok",
            shows={"text": "integer", "colors": ["green", "orange"], "names": "words"})
    reach = display.WORDS["reach"]
    b.panel("bargauge", "Flächendeckung: Atlas und Bund (Land)",
            "Leistungen im Land nach Reichweite: nachgerechnet vom Atlas (jede Gemeinde / mindestens "
            "eine) und wie die Angabe art_flaechendeckung des Bundes sie einordnet.",
            [prom(one("digitalatlas_onlinedienste_land_services", 'source="atlas"'),
                  "Atlas: {{reach}}", True, ref="A"),
             prom(one("digitalatlas_onlinedienste_land_services", 'source="bund"'),
                  "Bund: {{reach}}", True, ref="B")],
            12, 8, {"orientation": "horizontal", "displayMode": "gradient",
                    "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"min": 0, **integer()},
            renames({f"{who}: {key}": f"{who}: {words}" for who in ("Atlas", "Bund")
                     for key, words in reach.items()}),
            contract="per_reach", shows={"text": "integer", "colors": ["blue"], "names": "words"})
    b.panel("timeseries", "Onlinedienste im Zeitverlauf (Land)",
            "Leistungen in mindestens einer Gemeinde und flächendeckend, je Monatsende (aus den "
            "importierten Datenständen).",
            [infinity("/api/v1/timeseries?metric=onlinedienste,onlinedienste_flaechendeckend&step=month",
                      [("date", "Monat", "timestamp", "text"),
                       ("onlinedienste", FIGURES["onlinedienste"]["header"], "number"),
                       ("onlinedienste_flaechendeckend",
                        FIGURES["onlinedienste_flaechendeckend"]["header"], "number")],
                      fmt="timeseries")],
            12, 8, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"drawStyle": "line", "lineWidth": 2}, **integer(),
             "color": {"mode": "palette-classic"}},
            contract="history",
            shows={"legend": [FIGURES["onlinedienste"]["header"],
                              FIGURES["onlinedienste_flaechendeckend"]["header"]], "text": "integer"})
    b.panel("table", "Flächendeckung je Onlinedienst und Kreis",
            "Je Leistung und Kreis: Gemeinden mit dem Dienst, Anteil, erreichte Einwohner, "
            "Flächendeckung nach Atlas und nach Bund, Abweichung. Filter über Regierungsbezirk "
            "und Kreis und in jeder Spalte.",
            [infinity("/api/v1/onlinedienste/flaechendeckung?level=kreis&kreis=$kreis"
                      "&regierungsbezirk=$regierungsbezirk",
                      [("name", "Kreis", "string"), ("leika_name", "Leistung", "string"),
                       ("gemeinden", "Gemeinden", "number", "integer"),
                       ("anteil_gemeinden", "Anteil der Gemeinden", "number", "share"),
                       ("einwohner", "Einwohner erreicht", "number", "integer"),
                       ("reach", "Flächendeckung (Atlas)", "string", "words:reach"),
                       ("reach_bund", "Flächendeckung (Bund)", "string", "words:reach"),
                       ("abweichung", "Abweichung", "boolean", "words:ja_nein"),
                       ("key", "Kreisschlüssel", "string")])],
            24, 12, {**TABLE, "sortBy": [{"displayName": "Abweichung", "desc": True}]}, FILTERABLE,
            [kreis_link("Kreis", "Kreisschlüssel")],
            links=xlsx_link("/api/v1/onlinedienste/flaechendeckung?level=kreis&kreis=${kreis}"
                            "&regierungsbezirk=${regierungsbezirk}"),
            contract="rows",
            shows={"columns": ["Kreis", "Leistung", "Gemeinden", "Anteil der Gemeinden"],
                   "cells": {"Gemeinden": "integer", "Anteil der Gemeinden": "percent",
                             "Einwohner erreicht": "integer", "Flächendeckung (Atlas)": "words",
                             "Flächendeckung (Bund)": "words", "Abweichung": "words"}})
    b.panel("table", "Nicht erreichbare Links: wen ansprechen",
            "Je Gemeinde die Onlinedienste, deren Link beim Abruf nicht funktionierte, mit dem "
            "Anbieter (Gemeinde, Kreis, Land oder Bund) und der Adresse.",
            [infinity("/api/v1/onlinedienste?kreis=$kreis&regierungsbezirk=$regierungsbezirk"
                      "&status=nicht_ok",
                      [("name", "Gemeinde", "string"), ("leika_name", "Leistung", "string"),
                       ("herkunft", "Angeboten von", "string", "words:herkunft"),
                       ("url", "Onlinedienst", "string"),
                       ("datenstand", "Datenstand", "timestamp", "date"), ("ags", "AGS", "string")])],
            24, 10, TABLE, FILTERABLE, [steckbrief_link("Gemeinde")],
            links=xlsx_link("/api/v1/onlinedienste?kreis=${kreis}&regierungsbezirk=${regierungsbezirk}"
                            "&status=nicht_ok"),
            contract="rows",
            shows={"columns": ["Gemeinde", "Leistung", "Angeboten von", "Onlinedienst"],
                   "cells": {"Angeboten von": "words", "Datenstand": "date"}})
    return b


def ops_board():
    b = Board(
        "digitalatlas-ops",
        "digitalatlas – Betrieb",
        "Selbstmetriken des Dienstes: Abfragen, Anfragen, Latenzen, Alter des Datenstands, Importe.",
        ["betrieb"],
    )
    job = '{job="digitalatlas"}'
    b.panel("stat", "Erreichbar", "Ob Prometheus den Dienst zuletzt abfragen konnte, je Replikat.",
            [prom("up" + job, "{{instance}}", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background"},
            {"thresholds": thresholds(("red", None), ("green", 1)),
             "mappings": [{"type": "value", "options": {
                 "0": {"text": "nicht erreichbar", "color": "red", "index": 0},
                 "1": {"text": "erreichbar", "color": "green", "index": 1}}}]},
            contract="per_replica", shows={"text": "words", "colors": ["green"]})
    b.panel("stat", "Alter des Datenstands",
            "Sekunden seit dem letzten Neuaufbau der Kennzahlen (spätestens nach jedem Import und "
            "jeder Aktualisierung).",
            [prom("time() - digitalatlas_snapshot_timestamp_seconds", "{{instance}}", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}},
            {"unit": "s", "thresholds": thresholds(("green", None), ("orange", 300), ("red", 3600))},
            contract="per_replica", shows={"text": "text", "colors": ["green"]})
    b.panel("stat", "Demodaten", "Ob synthetische Demodaten geladen sind.",
            [prom(one("digitalatlas_demo_data"), "Demodaten", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}},
            {"thresholds": thresholds(("green", None)),
             "mappings": [{"type": "value", "options": {
                 "0": {"text": "nein", "color": "green", "index": 0},
                 "1": {"text": "ja (Demodaten)", "color": "orange", "index": 1}}}]},
            contract="one", shows={"text": "words", "colors": ["orange"]})
    b.panel("stat", "Version", "Version des laufenden Dienstes.",
            [prom(one("digitalatlas_build_info"), "{{version}}", True)], 6, 4,
            # The value is always 1: show the series' name, which is the version label.
            {"reduceOptions": {"calcs": ["lastNotNull"], "values": False}, "textMode": "name",
             "colorMode": "none"},
            {"displayName": "${__field.labels.version}"},
            contract="one", shows={"names": "version"})
    b.panel("timeseries", "Anfragen je Sekunde", "HTTP-Anfragen je Route.",
            [prom("sum by (route) (rate(digitalatlas_http_requests_total[$__rate_interval]))", "{{route}}")],
            12, 8, {}, {"unit": "reqps"}, contract="some", shows={"legend": "routes"})
    b.panel("timeseries", "Antworten nach Status", "HTTP-Antworten je Statuscode.",
            [prom("sum by (status) (rate(digitalatlas_http_requests_total[$__rate_interval]))", "{{status}}")],
            12, 8, {}, {"unit": "reqps"}, contract="some", shows={"legend": "statuses"})
    b.panel("timeseries", "Latenz (95. Perzentil)", "Antwortzeit je Route, 95. Perzentil.",
            [prom("histogram_quantile(0.95, sum by (le, route) "
                  "(rate(digitalatlas_http_request_duration_seconds_bucket[$__rate_interval])))", "{{route}}")],
            12, 8, {}, {"unit": "s"}, contract="some", shows={"legend": "routes"})
    b.panel("timeseries", "Dauer der Abfrage durch Prometheus", "scrape_duration_seconds des Jobs.",
            [prom("scrape_duration_seconds" + job, "{{instance}}")], 12, 8, {}, {"unit": "s"},
            contract="per_replica", shows={"legend": "instances"})
    b.panel("timeseries", "Neuaufbau der Kennzahlen: Dauer",
            "Wie lange der letzte Neuaufbau der Kennzahlen dauerte, je Replikat.",
            [prom("digitalatlas_snapshot_build_duration_seconds", "{{instance}}")], 12, 8, {},
            {"unit": "s"}, contract="per_replica", shows={"legend": "instances"})
    b.panel("timeseries", "Neuaufbau der Kennzahlen: Generation und Datenstand",
            "Generation (zählt jeden Neuaufbau) und Datenstand-Version (steigt nur, wenn neue Daten "
            "kamen oder ein neuer Tag begann), je Replikat; Zähler, keine Zeiten.",
            [prom("digitalatlas_snapshot_generation", "Generation {{instance}}"),
             prom("digitalatlas_snapshot_data_version", "Datenstand-Version {{instance}}", ref="B")],
            12, 8, {}, {"unit": "none", "decimals": 0}, contract="per_replica",
            shows={"legend": "instances"})
    b.panel("table", "Letzte Importe", "Je Datensatz, wie lange der letzte Import her ist.",
            [prom("time() - " + one("digitalatlas_last_import_timestamp_seconds"), "{{dataset}}", True, "table")],
            12, 8, {"showHeader": True},
            {"unit": "s"}, [display.override("dataset", {"displayName": "Datensatz"}),
                            display.override("Value", {"displayName": "vor"})],
            transformations=[{"id": "organize", "options": {
                "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True}}}],
            contract="per_dataset", shows={"columns": ["Datensatz", "vor"]})
    return b


# What each panel's queries must answer (`contract`), checked by tests/dashboards.rs against a
# Prometheus that scraped two replicas (at least twice) and against the live API, for one Kreis
# and for "All", for every target of the panel:
#   one            exactly one series (a stat)
#   equals:COLUMN[*100]  one series equal to COLUMN of /api/v1/coverage for the area in scope
#                  (a share in percent: times 100)
#   per_art, per_programme, per_reach, per_kreis, per_process, per_replica, per_dataset
#                  one series per kind (2), programme (2), reach (2: flächendeckend, mindestens
#                  eine), Kreis in scope, process, scraped replica, imported dataset
#   per_kreis_equals:A+B[*100]  one series per Kreis, each equal to its coverage row's A+B
#   gemeinden      one row per Gemeinde in scope (a histogram's values)
#   some           at least one series (rates and latencies per route or status)
#   rows           at least one row (Infinity tables)
#   administrations  one row per administration in scope
#   per_kreis_rows one row per Kreis in scope
#   regierungsbezirke, size_classes  one row per Regierungsbezirk, per size class
#   history        month ends from November 2018 on, within the dashboard's time range
#   text           no query (a legend beside a map)
#   layers         no query: the map's GeoJSON layers answer from the service, every feature
#                  matches a style rule
#
# What a reader sees (`shows`), computed by render.mjs with Grafana's own data library from the
# same answers (German locale) and checked by tests/dashboards.rs:
#   text     every value shown (stats, gauges, bars, the last point of each series) is of this
#            kind: integer 2.040.514, decimal 13,6, percent 41,9 %, euro 308.100 €, date
#            31.10.2026, words (a key in words, not `aufbau` or `true`), text (anything)
#   colors   the colour families values may have (blue for counts; the share classes; green /
#            orange for problem counts): never red for good news
#   names    the series' names: a list, or "words" (no raw keys)
#   columns  a table's first headers, in this order
#   cells    a table's first rows: the kind of each named column's text ("check": ✓ or –)
#   legend   a time series' or bar chart's series names (a list or "words")
#   axes     series drawn on the right axis
#   buckets  every_count: a histogram with a bar for every count from the lowest to the highest
#   html     words a text panel shows
#   map      legend_beside: a legend panel next to the map
SHOWS_DOC = "see the comment above"


def main():
    global API_URL
    args = argparse.ArgumentParser(description="Writes the digitalatlas Grafana dashboards.")
    args.add_argument("--check", action="store_true",
                      help="only check that the committed files are up to date")
    args.add_argument("--api-url", default=DEFAULT_API_URL,
                      help="where browsers reach digitalatlas (for the map layers), "
                           f"default {DEFAULT_API_URL}")
    args.add_argument("--prometheus-url", default=DEFAULT_PROMETHEUS_URL,
                      help=f"where Grafana reaches Prometheus, default {DEFAULT_PROMETHEUS_URL}")
    args.add_argument("--grafana-version", default="12.1",
                      help="the Grafana version the dashboards are for (10.4 or later; default "
                           "12.1: German units with symbols, see display.py)")
    args.add_argument("--out", type=pathlib.Path, default=OUT,
                      help="directory to write the dashboards to (Grafana's provider path)")
    args.add_argument("--provisioning-out", type=pathlib.Path, default=PROVISIONING,
                      help="directory to write the datasource provisioning file to")
    opts = args.parse_args()
    API_URL = base_url(opts.api_url, "--api-url")
    try:
        display.GRAFANA = tuple(int(x) for x in opts.grafana_version.split(".")[:2])
    except ValueError:
        sys.exit(f"--grafana-version: {opts.grafana_version!r} is not a version such as 11.6")
    if display.GRAFANA < (10, 4):
        sys.exit("--grafana-version: the dashboards need Grafana 10.4 or later")
    prometheus_url = base_url(opts.prometheus_url, "--prometheus-url")
    check, out = opts.check, opts.out
    out.mkdir(parents=True, exist_ok=True)
    stale = []
    datasources = opts.provisioning_out / "digitalatlas.yaml"
    datasources_text = datasources_yaml(API_URL, prometheus_url)
    if check:
        if not datasources.exists() or datasources.read_text(encoding="utf-8") != datasources_text:
            stale.append(str(datasources))
    else:
        opts.provisioning_out.mkdir(parents=True, exist_ok=True)
        datasources.write_text(datasources_text, encoding="utf-8")
        print(datasources)
    boards = (ozg_board(), lotsen_board(), onlinedienste_board(), ops_board())
    contracts = {}
    for b in boards:
        if len(b.contracts) != len(b.panels):
            sys.exit(f"{b.uid}: two panels with the same title")
        contracts[b.uid] = b.contracts
    # The panels' contracts, for tests/dashboards.rs: of the committed dashboards only (a
    # deployment's --out or --grafana-version leaves them alone).
    contracts_path = OUT.parent / "contracts.json"
    contracts_text = json.dumps(contracts, ensure_ascii=False, indent=2) + "\n"
    if check:
        if contracts_path.read_text(encoding="utf-8") != contracts_text:
            stale.append(str(contracts_path))
    elif out.resolve() == OUT.resolve():
        contracts_path.write_text(contracts_text, encoding="utf-8")
    for b in boards:
        path = out / f"{b.uid}.json"
        text = json.dumps(b.json(), ensure_ascii=False, indent=2) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(path)
    if stale:
        sys.exit("not generated from generate.py (run it): " + ", ".join(stale))


if __name__ == "__main__":
    main()
