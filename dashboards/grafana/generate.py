#!/usr/bin/env python3
"""Writes the Grafana dashboards of digitalatlas (dashboards/grafana/dashboards/*.json).

The JSON files are committed; edit this script and run it again (python3 generate.py) rather than
editing them by hand (`--check` only compares). Checked by scripts/test: Grafana's dashboard schema (from @grafana/schema),
every PromQL expression against a real Prometheus, every Infinity URL against the live API.
"""

import json
import argparse
import pathlib
import sys

PROM = {"type": "prometheus", "uid": "digitalatlas-prometheus"}
API = {"type": "yesoreyeram-infinity-datasource", "uid": "digitalatlas-api"}
OUT = pathlib.Path(__file__).parent / "dashboards"

# History panels (Infinity time series of month ends since the Projektstart, November 2018)
# show their own range: from 1 January ten years back, which covers November 2018 until 2028.
HISTORY = "now-10y/y"

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
FIGURES = {
    f["name"]: f
    for f in json.loads((pathlib.Path(__file__).parent / "figures.json").read_text(encoding="utf-8"))["figures"]
}

# A colour per class of a share (from none to three quarters and more), the Kreis map's rules.
SHARE_COLORS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]


def band_rules(figure):
    """The map layer's style rules of a share figure: one per class of the catalogue."""
    bands = FIGURES[figure]["bands"]
    assert len(bands) == len(SHARE_COLORS), f"{figure}: {len(bands)} classes"
    return [("coverage_class", "eq", b["key"], c) for b, c in zip(bands, SHARE_COLORS)]


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
    def __init__(self, uid, title, description, tags):
        self.uid, self.title, self.description, self.tags = uid, title, description, tags
        self.panels, self.variables = [], []
        self.x = self.y = self.row_h = 0

    def place(self, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def panel(self, kind, title, description, targets, w, h, options=None, defaults=None,
              overrides=None, transformations=None, datasource=None, time_from=None):
        p = {
            "id": len(self.panels) + 1,
            "type": kind,
            "title": title,
            "description": description,
            "gridPos": self.place(w, h),
            "datasource": datasource or targets[0]["datasource"],
            "targets": targets,
            "fieldConfig": {"defaults": defaults or {}, "overrides": overrides or []},
            "options": options or {},
        }
        transformations = list(transformations or [])
        order = table_order(kind, targets)
        if order:
            # Infinity's backend frames a table's fields in sorted key order (infinity-libs,
            # gframer `sliceToFrame`: the rows pass through Go maps); Grafana's "organize"
            # transformation puts them back in the declared order (fields it does not name
            # follow, in their order).
            transformations.insert(0, {"id": "organize", "options": {
                "indexByName": {name: i for i, name in enumerate(order)},
                "excludeByName": {}, "renameByName": {}}})
        if transformations:
            p["transformations"] = transformations
        if time_from:
            # The panel's own relative time range (`timeFrom`, e.g. `now-2y/y` in
            # @grafana/schema), whatever the dashboard's time picker says.
            p["timeFrom"] = time_from
        self.panels.append(p)
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
            "time": {"from": "now-7d", "to": "now"},
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


# The first columns of Infinity tables without declared columns (the matrix' fixed columns, API
# contract of /api/v1/ozg/matrix), in the order a reader should see them.
TABLE_FIRST = {
    "/api/v1/ozg/matrix": ["name", "verwaltung", "art", "kreis_name", "kreis", "regierungsbezirk",
                           "population", "lotse", "standard_active", "universal_active",
                           "accounts_buerger", "accounts_organisation"],
}


def table_order(kind, targets):
    """The declared field order of an Infinity table panel (its columns' texts), or None."""
    t = targets[0]
    if kind != "table" or t["datasource"] != API:
        return None
    if t["columns"]:
        return [c["text"] for c in t["columns"]]
    return TABLE_FIRST.get(t["url"].split("?")[0])


def infinity(url, columns, fmt="table", ref="A"):
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
        "columns": [{"selector": s, "text": t, "type": ty} for s, t, ty in columns],
        "filters": [],
    }


def thresholds(*steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in steps]}


LOTSE_COLORS = [
    ("keine", "#d7d7d7", "kein Lotse"),
    ("basis", "#6baed6", "Basisqualifizierung"),
    ("aufbau", "#08519c", "mit Aufbauschulung"),
]


def geojson_layer(name, src, rules, opacity=0.8):
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
            "style": {"color": {"fixed": "#bbbbbb"}, "opacity": 0.4},
        },
        "opacity": 1,
        "tooltip": True,
    }


def geomap_options(layers):
    return {
        "view": {"id": "coords", "lat": 48.66, "lon": 9.0, "zoom": 7},
        "controls": {"showZoom": True, "mouseWheelZoom": False, "showAttribution": True},
        "basemap": {"type": "default", "name": "Basiskarte"},
        "layers": layers,
        "tooltip": {"mode": "details"},
    }


def demo_panel(b, w=24):
    """A banner that says whether the figures are synthetic demo data."""
    b.panel("stat", "Datengrundlage",
            "Zeigt „Demodaten“, wenn der Dienst synthetische Demodaten statt amtlicher Meldungen enthält.",
            [prom(one("digitalatlas_demo_data"), "Daten", True)], w, 3,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background", "textMode": "value"},
            {"mappings": [{"type": "value", "options": {
                "0": {"text": "amtliche Meldungen", "color": "green", "index": 0},
                "1": {"text": "Demodaten (synthetisch, nicht amtlich)", "color": "orange", "index": 1}}}]})


def ozg_board():
    b = Board(
        "digitalatlas-ozg",
        "OZG – Übersicht Prozesse Konten",
        "Welche Kommune hat welchen Onlinedienst auf service-bw freigeschaltet, und wie viele "
        "Nutzerkonten gibt es (Nachbau der internen Übersicht des Innenministeriums).",
        ["ozg", "service-bw"],
    )
    b.area_variables()
    demo_panel(b)
    b.panel("stat", "Standardprozesse flächendeckend (Land)",
            "Standardprozesse, die in jeder Gemeinde aktiv sind (100 %, nicht 99 %).",
            [prom(one("digitalatlas_ozg_processes_flaechendeckend", 'art="standard"'), "Standard", True)],
            6, 4, {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"})
    b.panel("stat", "Prozesse in mindestens einer Kommune (Land)",
            "Standard- und Universalprozesse, die mindestens eine Gemeinde freigeschaltet hat.",
            [prom(one("digitalatlas_ozg_processes_in_at_least_one_kommune"), "{{art}}", True)],
            6, 4, {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"})
    b.panel("stat", "Bürgerkonten (Land)",
            "service-bw-Konten von Bürgerinnen und Bürgern zum letzten Stichtag.",
            [prom(one("digitalatlas_servicebw_accounts", 'account_type="buerger"'), "Bürgerkonten", True)],
            6, 4, {"reduceOptions": {"calcs": ["lastNotNull"]}}, {"unit": "short"})
    b.panel("stat", "Organisationskonten (Land)",
            "service-bw-Konten von Unternehmen und Organisationen zum letzten Stichtag.",
            [prom(one("digitalatlas_servicebw_accounts", 'account_type="organisation"'), "Organisationskonten", True)],
            6, 4, {"reduceOptions": {"calcs": ["lastNotNull"]}}, {"unit": "short"})
    b.panel("bargauge", "Kommunen je Prozess",
            "Wie viele Gemeinden im gewählten Gebiet den Prozess freigeschaltet haben.",
            [prom("sort_desc(sum by (process) (" + one("digitalatlas_ozg_gemeinden_with_process") + IN_AREA
                  + ") * on (process) group_left (name) " + one("digitalatlas_process_info") + ")",
                  "{{name}}", True)],
            12, 14, {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                     "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"min": 0})
    b.panel("bargauge", "Konten je Kreis",
            "service-bw-Konten (Bürger- und Organisationskonten zusammen) der Verwaltungen je Kreis "
            "zum letzten Stichtag mit Zahlen je Kommune; die meisten oben.",
            [prom("sort_desc(sum by (kreis, name) ("
                  + one("digitalatlas_servicebw_accounts_by_kreis")
                  + " * on (kreis) group_left (name) "
                  + one("digitalatlas_kreis_info",
                        'regierungsbezirk=~"$regierungsbezirk", kreis=~"$kreis"') + "))",
                  "{{name}}", True)],
            12, 14, {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                     "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"min": 0, "unit": "short"})
    b.panel("table", "Prozesse: Aktivierungen und Bevölkerungsanteil",
            "Der Katalog mit der Zahl der Gemeinden, die den Prozess anbieten, und dem Anteil der "
            "Bevölkerung, der ihn online nutzen kann.",
            [infinity("/api/v1/ozg/processes?kreis=$kreis&regierungsbezirk=$regierungsbezirk",
                      [("process_id", "ID", "string"), ("name", "Prozess", "string"),
                       ("art", "Art", "string"), ("gemeinden_active", "Gemeinden", "number"),
                       ("share_gemeinden", "Anteil Gemeinden", "number"),
                       ("share_population", "Anteil Bevölkerung", "number"),
                       ("flaechendeckend", "flächendeckend", "boolean")])],
            12, 14, {"showHeader": True, "cellHeight": "sm"},
            overrides=[{"matcher": {"id": "byRegexp", "options": "Anteil.*"},
                        "properties": [{"id": "unit", "value": "percentunit"},
                                       {"id": "custom.cellOptions", "value": {"type": "gauge", "mode": "basic"}}]}])
    # The matrix' fixed columns (API contract, /api/v1/ozg/matrix); every other column is a
    # process (1 = switched on), shown as ✓ whatever its id looks like.
    fixed = ["verwaltung", "name", "art", "kreis", "kreis_name", "regierungsbezirk", "population",
             "lotse", "standard_active", "universal_active", "accounts_buerger",
             "accounts_organisation"]
    b.panel("table", "Kommune × Prozess",
            "Die zentrale Tabelle: je Verwaltung (Gemeinde oder Landratsamt) ihre Digitallotsen, "
            "ihre service-bw-Konten und für jeden Prozess (Spalten mit dem Prozessnamen) ✓ = "
            "freigeschaltet, – = nicht. Filter über Regierungsbezirk und Kreis.",
            [infinity("/api/v1/ozg/matrix?kreis=$kreis&regierungsbezirk=$regierungsbezirk&header=name", [])],
            24, 14, {"showHeader": True, "cellHeight": "sm"},
            {"custom": {"cellOptions": {"type": "color-background"}},
             "mappings": [{"type": "value", "options": {
                 "0": {"text": "–", "color": "transparent", "index": 0},
                 "1": {"text": "✓", "color": "green", "index": 1}}}]},
            overrides=[{"matcher": {"id": "byName", "options": col},
                        "properties": [{"id": "mappings", "value": []},
                                       {"id": "custom.cellOptions", "value": {"type": "auto"}}]}
                       for col in fixed])
    b.panel("barchart", "Gemeinden nach Zahl aktiver Standardprozesse",
            "Wie viele Gemeinden 0, 1, 2, … Standardprozesse freigeschaltet haben.",
            # Plain `count_values` aggregates every other label away: one series per number of
            # active processes (`without ()` would keep one series of 1 per Gemeinde).
            [prom('sort(count_values ("standardprozesse", ('
                  + one("digitalatlas_ozg_processes_active", 'art="standard"')
                  + " * on (ags) group_left (kreis) " + one("digitalatlas_gemeinde_info") + ")"
                  + IN_AREA + "))", "{{standardprozesse}}", True, "table")],
            12, 9, {"xField": "standardprozesse", "orientation": "vertical", "showValue": "auto",
                    "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom"}},
            transformations=[{"id": "convertFieldType", "options": {"conversions": [
                {"targetField": "standardprozesse", "destinationType": "number"}]}},
                {"id": "sortBy", "options": {"sort": [{"field": "standardprozesse"}]}},
                {"id": "organize", "options": {"excludeByName": {"Time": True}}}])
    b.panel("bargauge", "Flächendeckend vs. in mindestens einer Kommune (Land)",
            "Prozesse, die überall aktiv sind, neben denen, die irgendwo aktiv sind.",
            [prom(one("digitalatlas_ozg_processes_flaechendeckend"), "flächendeckend ({{art}})", True, ref="A"),
             prom(one("digitalatlas_ozg_processes_in_at_least_one_kommune"),
                  "in mind. einer Kommune ({{art}})", True, ref="B")],
            12, 9, {"orientation": "horizontal", "displayMode": "gradient",
                    "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}, {"min": 0})
    b.panel("timeseries", "service-bw-Konten im Zeitverlauf (Land)",
            "Bürger- und Organisationskonten je Monatsende seit Projektstart (aus den importierten "
            "Stichtagen, unabhängig davon, seit wann Prometheus abfragt).",
            [infinity("/api/v1/timeseries?metric=konten_buerger,konten_organisation&step=month",
                      [("date", "Monat", "timestamp"), ("konten_buerger", "Bürgerkonten", "number"),
                       ("konten_organisation", "Organisationskonten", "number")], fmt="timeseries")],
            12, 9, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"unit": "short", "custom": {"drawStyle": "line", "lineWidth": 2}}, time_from=HISTORY)
    b.panel("geomap", "Aktive Standardprozesse je Gemeinde (Land)",
            "Jede Gemeinde eingefärbt nach der Zahl ihrer aktiven Standardprozesse: dunkelgrün 18 "
            "und mehr, hellgrün 12–17, gelb 6–11, orange 1–5, rot keiner (weiße Flecken). Zeigt "
            "immer das ganze Land; die Tabelle „Kommune × Prozess“ folgt den Filtern.",
            [infinity("/api/v1/ozg/matrix?kreis=$kreis&regierungsbezirk=$regierungsbezirk&art=standard",
                      [("verwaltung", "AGS", "string"), ("name", "Gemeinde", "string"),
                       ("art", "Art", "string"), ("standard_active", "Standardprozesse", "number")])],
            12, 14, geomap_options([
                geojson_layer("Gemeinden", API_URL + "/api/v1/geo/gemeinden.geojson",
                              [("standard_active", "gte", 18, "#1a9850"),
                               ("standard_active", "gte", 12, "#91cf60"),
                               ("standard_active", "gte", 6, "#fee08b"),
                               ("standard_active", "gte", 1, "#fc8d59"),
                               ("standard_active", "eq", "0", "#d73027")]),
            ]))
    return b


def lotsen_board():
    b = Board(
        "digitalatlas-lotsen",
        "Kommunale Digitallotsen – Rollout",
        "Fortschritt der Qualifizierung zu Kommunalen Digitallotsen: Ziel ist mindestens ein Lotse "
        "in jeder der 1.101 Gemeinden und 35 Landkreise (1.136 Verwaltungen).",
        ["digitallotsen"],
    )
    b.area_variables()
    demo_panel(b)
    covered = "sum(" + one("digitalatlas_administrations_with_any_lotse") + IN_AREA + ")"
    total = "sum(" + one("digitalatlas_administrations") + IN_AREA + ")"
    b.panel("stat", "Verwaltungen mit Digitallotse",
            "Gemeinden und Landratsämter im gewählten Gebiet mit mindestens einem Lotsen.",
            [prom(covered, "mit Lotse", True)], 6, 5,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"})
    b.panel("gauge", "Zielerreichung",
            "Anteil der Verwaltungen mit Lotse; Ziel 100 % (1.136 im Land).",
            [prom(covered + " / " + total, "Anteil", True)], 6, 5,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "showThresholdMarkers": True},
            {"unit": "percentunit", "min": 0, "max": 1,
             "thresholds": thresholds(("red", None), ("orange", 0.5), ("green", 1))})
    b.panel("stat", "Digitallotsen",
            "Qualifizierte Personen (Pseudonyme, keine Namen) im gewählten Gebiet.",
            [prom("sum(" + one("digitalatlas_lotsen_any_programme") + IN_AREA + ")", "Lotsen", True)], 6, 5,
            {"reduceOptions": {"calcs": ["lastNotNull"]}})
    b.panel("stat", "Förderung (Bildungsgutscheine, Land)",
            "Ausgezahlte Gutscheine: 100 EUR je Seminartag Basis, höchstens 50 EUR je Tag Aufbau.",
            [prom(one("digitalatlas_funding_euros"), "{{programme}}", True)], 6, 5,
            {"reduceOptions": {"calcs": ["lastNotNull"]}}, {"unit": "currencyEUR"})
    b.panel("timeseries", "Fortschritt zum Ziel (Land)",
            "Verwaltungen mit Lotse je Monatsende seit Projektstart (November 2018), neben dem Ziel "
            "von 1.101 Gemeinden und 35 Landkreisen.",
            [infinity("/api/v1/timeseries?metric=administrations_with_lotse,gemeinden_with_lotse,"
                      "landratsaemter_with_lotse,administrations&level=land&step=month",
                      [("date", "Monat", "timestamp"),
                       ("administrations_with_lotse", "Verwaltungen mit Lotse", "number"),
                       ("gemeinden_with_lotse", "Gemeinden mit Lotse", "number"),
                       ("landratsaemter_with_lotse", "Landratsämter mit Lotse", "number"),
                       ("administrations", "Ziel (alle Verwaltungen)", "number")], fmt="timeseries")],
            16, 10, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"drawStyle": "line", "lineWidth": 2}},
            [{"matcher": {"id": "byName", "options": "Ziel (alle Verwaltungen)"},
              "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}},
                             {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}],
            time_from=HISTORY)
    b.panel("piechart", "Basis und Aufbau",
            "Lotsen mit Basisqualifizierung und mit Aufbauschulung im gewählten Gebiet.",
            [prom("sum by (programme) (" + one("digitalatlas_lotsen") + IN_AREA + ")", "{{programme}}", True)],
            8, 10, {"reduceOptions": {"calcs": ["lastNotNull"], "values": False},
                    "pieType": "donut", "legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}})
    b.panel("barchart", "Nach Regierungsbezirk (Land)",
            "Verwaltungen mit und ohne Lotse je Regierungsbezirk.",
            [infinity("/api/v1/coverage?level=regierungsbezirk",
                      [("name", "Regierungsbezirk", "string"),
                       ("administrations_with_lotse", "mit Lotse", "number"),
                       ("administrations_without_lotse", "ohne Lotse", "number")])],
            12, 9, {"xField": "Regierungsbezirk", "stacking": "normal", "orientation": "horizontal",
                    "legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}})
    b.panel("bargauge", "Nach Größenklasse (Land)",
            "Anteil der Gemeinden mit Lotse je Einwohnergrößenklasse.",
            [prom(one("digitalatlas_size_class_gemeinden_with_any_lotse") + " / "
                  + one("digitalatlas_size_class_gemeinden"), "{{size_class}}", True)],
            12, 9, {"orientation": "horizontal", "displayMode": "gradient",
                    "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"unit": "percentunit", "min": 0, "max": 1})
    b.panel("bargauge", "Nach Kreis",
            "Anteil der Verwaltungen mit Lotse je Kreis, aufsteigend: oben, wo am meisten fehlt.",
            [prom("sort((sum by (kreis) (" + one("digitalatlas_administrations_with_any_lotse") + ") / "
                  "sum by (kreis) (" + one("digitalatlas_administrations") + ")) * on (kreis) group_left (name) "
                  + one("digitalatlas_kreis_info", 'regierungsbezirk=~"$regierungsbezirk", kreis=~"$kreis"')
                  + ")", "{{name}}", True)],
            12, 16, {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
                     "reduceOptions": {"calcs": ["lastNotNull"], "values": False}},
            {"unit": "percentunit", "min": 0, "max": 1})
    b.panel("geomap", "Karte: Digitallotsen je Gemeinde und Kreis (Land)",
            "Gemeinden nach Lotsenstand (grau: kein Lotse, hellblau: Basis, dunkelblau: Aufbau), "
            "darüber die Kreise nach Anteil der Verwaltungen mit Lotse (rot: keiner, grün: drei "
            "Viertel und mehr).",
            [infinity("/api/v1/coverage?level=kreis",
                      [("key", "Kreis", "string"), ("name", "Name", "string"),
                       ("share_with_lotse", "Anteil mit Lotse", "number")])],
            12, 16, geomap_options([
                geojson_layer("Gemeinden", API_URL + "/api/v1/geo/gemeinden.geojson",
                              [("coverage_class", "eq", v, c) for v, c, _ in LOTSE_COLORS]),
                geojson_layer("Kreise", API_URL + "/api/v1/geo/kreise.geojson",
                              band_rules("share_with_lotse"), 0.25),
            ]))
    b.panel("table", "Ansprechliste: Verwaltungen ohne Lotse",
            "Gemeinden und Landratsämter ohne Digitallotse, die größten zuerst (für die "
            "Ansprache durch Gemeindetag, Städtetag und Landkreistag).",
            [infinity("/api/v1/outreach?missing=lotse&kreis=$kreis&regierungsbezirk=$regierungsbezirk&limit=200",
                      [("rank", "Rang", "number"), ("name", "Verwaltung", "string"),
                       ("art", "Art", "string"), ("kreis_name", "Kreis", "string"),
                       ("population", "Einwohner", "number"),
                       ("standard_active", "aktive Standardprozesse", "number")])],
            24, 12, {"showHeader": True, "cellHeight": "sm"})
    b.panel("table", "Wirken Digitallotsen? (Land)",
            "Schalten Gemeinden mit Digitallotse mehr Onlinedienste frei? Durchschnittlich aktive "
            "Standardprozesse je Gemeinde ohne Lotse, mit Basisqualifizierung und mit "
            "Aufbauschulung, innerhalb jeder Größenklasse. Ein Vergleich, kein Beweis: Gemeinden "
            "mit Lotse unterscheiden sich auch sonst.",
            [infinity("/api/v1/analysis/lotsen-ozg",
                      [("groessenklasse_name", "Größenklasse", "string"),
                       ("lotse", "Lotse", "string"),
                       ("gemeinden", "Gemeinden", "number"),
                       ("standard_active_avg", "aktive Standardprozesse (Ø)", "number"),
                       ("population_share_online", "Anteil online (Einwohner)", "number")])],
            24, 10, {"showHeader": True, "cellHeight": "sm"})
    return b


def ops_board():
    b = Board(
        "digitalatlas-ops",
        "digitalatlas – Betrieb",
        "Selbstmetriken des Dienstes: Abfragen, Anfragen, Latenzen, Alter des Datenstands, Importe.",
        ["betrieb"],
    )
    job = '{job="digitalatlas"}'
    b.panel("stat", "Erreichbar", "1, wenn Prometheus den Dienst zuletzt abfragen konnte.",
            [prom("up" + job, "{{instance}}", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background"},
            {"thresholds": thresholds(("red", None), ("green", 1))})
    b.panel("stat", "Alter des Datenstands",
            "Sekunden seit dem letzten Neuaufbau der Kennzahlen (spätestens nach jedem Import und "
            "jeder Aktualisierung).",
            [prom("time() - digitalatlas_snapshot_timestamp_seconds", "{{instance}}", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}},
            {"unit": "s", "thresholds": thresholds(("green", None), ("orange", 300), ("red", 3600))})
    b.panel("stat", "Demodaten", "1, wenn synthetische Demodaten geladen sind.",
            [prom(one("digitalatlas_demo_data"), "Demodaten", True)], 6, 4,
            {"reduceOptions": {"calcs": ["lastNotNull"]}},
            {"mappings": [{"type": "value", "options": {"0": {"text": "nein", "index": 0},
                                                         "1": {"text": "ja (Demodaten)", "index": 1}}}]})
    b.panel("stat", "Version", "Version des laufenden Dienstes.",
            [prom(one("digitalatlas_build_info"), "{{version}}", True)], 6, 4,
            # The value is always 1: show the series' name, which is the version label.
            {"reduceOptions": {"calcs": ["lastNotNull"], "values": False}, "textMode": "name",
             "colorMode": "none"},
            {"displayName": "${__field.labels.version}"})
    b.panel("timeseries", "Anfragen je Sekunde", "HTTP-Anfragen je Route.",
            [prom("sum by (route) (rate(digitalatlas_http_requests_total[$__rate_interval]))", "{{route}}")],
            12, 8, {}, {"unit": "reqps"})
    b.panel("timeseries", "Antworten nach Status", "HTTP-Antworten je Statuscode.",
            [prom("sum by (status) (rate(digitalatlas_http_requests_total[$__rate_interval]))", "{{status}}")],
            12, 8, {}, {"unit": "reqps"})
    b.panel("timeseries", "Latenz (95. Perzentil)", "Antwortzeit je Route, 95. Perzentil.",
            [prom("histogram_quantile(0.95, sum by (le, route) "
                  "(rate(digitalatlas_http_request_duration_seconds_bucket[$__rate_interval])))", "{{route}}")],
            12, 8, {}, {"unit": "s"})
    b.panel("timeseries", "Dauer der Abfrage durch Prometheus", "scrape_duration_seconds des Jobs.",
            [prom("scrape_duration_seconds" + job, "{{instance}}")], 12, 8, {}, {"unit": "s"})
    b.panel("timeseries", "Neuaufbau der Kennzahlen: Dauer",
            "Wie lange der letzte Neuaufbau der Kennzahlen dauerte, je Replikat.",
            [prom("digitalatlas_snapshot_build_duration_seconds", "{{instance}}")], 12, 8, {},
            {"unit": "s"})
    b.panel("timeseries", "Neuaufbau der Kennzahlen: Generation und Datenstand",
            "Generation (zählt jeden Neuaufbau) und Datenstand-Version (steigt nur, wenn neue Daten "
            "kamen oder ein neuer Tag begann), je Replikat; Zähler, keine Zeiten.",
            [prom("digitalatlas_snapshot_generation", "Generation {{instance}}"),
             prom("digitalatlas_snapshot_data_version", "Datenstand-Version {{instance}}", ref="B")],
            12, 8, {}, {"unit": "none", "decimals": 0})
    b.panel("table", "Letzte Importe", "Je Datensatz, wie lange der letzte Import her ist.",
            [prom("time() - " + one("digitalatlas_last_import_timestamp_seconds"), "{{dataset}}", True, "table")],
            12, 8, {"showHeader": True},
            {"unit": "s"}, transformations=[{"id": "organize", "options": {
                "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True}}}])
    return b

def onlinedienste_board():
    b = Board(
        "digitalatlas-onlinedienste",
        "Onlinedienste – Flächendeckung nach Bundes-Dashboard",
        "Die Onlinedienste, die das Dashboard Digitale Verwaltung des Bundes je Gebietskörperschaft "
        "im Portalverbund findet: wie viele, wo flächendeckend (vom Atlas selbst nachgerechnet, neben "
        "der Angabe des Bundes) und welche Links nicht erreichbar sind. Quelle: Dashboard Digitale "
        "Verwaltung, Bundesministerium des Innern (PVOG).",
        ["ozg", "onlinedienste"],
    )
    b.area_variables()
    demo_panel(b)
    stat = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value"}
    land = one("digitalatlas_onlinedienste_land_services", 'source="atlas"')
    b.panel("stat", "Onlinedienste in mindestens einer Gemeinde (Land)",
            "Verschiedene Leistungen (LeiKa), die in mindestens einer Gemeinde online verfügbar "
            "sind – eigenes Angebot oder eines von Kreis, Land oder Bund.",
            [prom("sum (" + land + ")", "Onlinedienste", True)], 6, 4, stat)
    b.panel("stat", "Onlinedienste flächendeckend (Land)",
            "Leistungen, die in jeder Gemeinde des Landes online verfügbar sind (vom Atlas "
            "nachgerechnet).",
            [prom(one("digitalatlas_onlinedienste_land_services",
                      'reach="flaechendeckend", source="atlas"'), "flächendeckend", True)], 6, 4, stat)
    b.panel("stat", "Abweichungen zur Angabe des Bundes (Land, je Kreis)",
            "Paare aus Leistung und Kreis, bei denen die Flächendeckung nach Atlas-Regel von der "
            "Angabe art_flaechendeckung des Bundes abweicht.",
            [prom(one("digitalatlas_onlinedienste_disagreements", 'level="kreis"'), "Abweichungen", True)],
            6, 4, stat)
    b.panel("stat", "Datenstand der Onlinedienste (Land)",
            "Der neueste Datenstand (Import aus dem Portalverbund) der importierten Onlinedienste.",
            [prom(one("digitalatlas_onlinedienste_datenstand_timestamp_seconds") + " * 1000",
                  "Datenstand", True)],
            6, 4, stat, {"unit": "dateTimeAsLocalNoDateIfToday"})

    def per_kreis(metric, selector=""):
        return ("sort_desc(" + one(metric, selector) + IN_AREA + " * on (kreis) group_left (name) "
                + one("digitalatlas_kreis_info") + ")")

    bars = {"orientation": "horizontal", "displayMode": "basic", "showUnfilled": True,
            "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}
    b.panel("bargauge", "Flächendeckende Onlinedienste je Kreis",
            "Leistungen, die in jeder Gemeinde des Kreises online verfügbar sind; die meisten oben.",
            [prom(per_kreis("digitalatlas_onlinedienste_services", 'reach="flaechendeckend"'),
                  "{{name}}", True)], 8, 14, bars, {"min": 0})
    b.panel("bargauge", "Onlinedienste je Gemeinde (Durchschnitt) je Kreis",
            "Wie viele verschiedene Leistungen eine Gemeinde des Kreises im Durchschnitt online "
            "anbietet oder von oben angeboten bekommt.",
            [prom(per_kreis("digitalatlas_onlinedienste_per_gemeinde"), "{{name}}", True)],
            8, 14, bars, {"min": 0, "decimals": 1})
    b.panel("bargauge", "Nicht erreichbare Links je Kreis",
            "Links von Onlinediensten für die Gemeinden des Kreises, die beim Abruf des "
            "Portalverbunds nicht funktionierten (je Link einmal gezählt).",
            [prom(per_kreis("digitalatlas_onlinedienste_links_not_ok"), "{{name}}", True)],
            8, 14, bars, {"min": 0})
    b.panel("bargauge", "Flächendeckung: Atlas und Bund (Land)",
            "Leistungen im Land nach Reichweite: nachgerechnet vom Atlas (jede Gemeinde / mindestens "
            "eine) und wie die Angabe art_flaechendeckung des Bundes sie einordnet.",
            [prom(one("digitalatlas_onlinedienste_land_services", 'source="atlas"'),
                  "Atlas: {{reach}}", True, ref="A"),
             prom(one("digitalatlas_onlinedienste_land_services", 'source="bund"'),
                  "Bund: {{reach}}", True, ref="B")],
            12, 8, {"orientation": "horizontal", "displayMode": "gradient",
                    "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}, {"min": 0})
    b.panel("timeseries", "Onlinedienste im Zeitverlauf (Land)",
            "Leistungen in mindestens einer Gemeinde und flächendeckend, je Monatsende (aus den "
            "importierten Datenständen).",
            [infinity("/api/v1/timeseries?metric=onlinedienste,onlinedienste_flaechendeckend&step=month",
                      [("date", "Monat", "timestamp"),
                       ("onlinedienste", FIGURES["onlinedienste"]["header"], "number"),
                       ("onlinedienste_flaechendeckend",
                        FIGURES["onlinedienste_flaechendeckend"]["header"], "number")],
                      fmt="timeseries")],
            12, 8, {"legend": {"showLegend": True, "displayMode": "list", "placement": "bottom"}},
            {"custom": {"drawStyle": "line", "lineWidth": 2}}, time_from=HISTORY)
    b.panel("table", "Flächendeckung je Onlinedienst und Kreis",
            "Je Leistung und Kreis: Gemeinden mit dem Dienst, Anteil, erreichte Einwohner, "
            "Flächendeckung nach Atlas und nach Bund, Abweichung. Filter über Regierungsbezirk "
            "und Kreis.",
            [infinity("/api/v1/onlinedienste/flaechendeckung?level=kreis&kreis=$kreis"
                      "&regierungsbezirk=$regierungsbezirk",
                      [("name", "Kreis", "string"), ("leika_name", "Leistung", "string"),
                       ("gemeinden", "Gemeinden", "number"),
                       ("anteil_gemeinden", "Anteil der Gemeinden", "number"),
                       ("einwohner", "Einwohner erreicht", "number"),
                       ("reach", "Flächendeckung (Atlas)", "string"),
                       ("reach_bund", "Flächendeckung (Bund)", "string"),
                       ("abweichung", "Abweichung", "boolean")])],
            24, 12, {"showHeader": True, "cellHeight": "sm",
                     "sortBy": [{"displayName": "Abweichung", "desc": True}]},
            overrides=[{"matcher": {"id": "byName", "options": "Anteil der Gemeinden"},
                        "properties": [{"id": "unit", "value": "percentunit"}]}])
    b.panel("table", "Nicht erreichbare Links: wen ansprechen",
            "Je Gemeinde die Onlinedienste, deren Link beim Abruf nicht funktionierte, mit dem "
            "Anbieter (Gemeinde, Kreis, Land oder Bund) und der Adresse.",
            [infinity("/api/v1/onlinedienste?kreis=$kreis&regierungsbezirk=$regierungsbezirk"
                      "&status=nicht_ok",
                      [("name", "Gemeinde", "string"), ("leika_name", "Leistung", "string"),
                       ("herkunft", "Angeboten von", "string"), ("url", "Onlinedienst", "string"),
                       ("datenstand", "Datenstand", "string")])],
            24, 10, {"showHeader": True, "cellHeight": "sm"})
    return b



# What each panel must show, checked by tests/dashboards.rs against a Prometheus that scraped
# two replicas (at least twice) and against the live API, for one Kreis and for "All". One word
# per panel, for every target of it:
#   one            exactly one series (a stat)
#   equals:COLUMN  one series equal to COLUMN of /api/v1/coverage for the area in scope
#   per_art, per_programme, per_reach, per_size_class, per_kreis, per_process, per_replica,
#   per_dataset    one series per kind (2), programme (2), reach (2: flächendeckend, mindestens
#                  eine), size class, Kreis in scope, process, scraped replica, imported dataset
#   histogram      at most 25 series that add up to the Gemeinden in scope
#   some           at least one series (rates and latencies per route or status)
#   rows           at least one row (Infinity tables)
#   administrations  one row per administration in scope
#   regierungsbezirke  one row per Regierungsbezirk
#   history        month ends from November 2018 on, and a `timeFrom` that shows them
CONTRACTS = {
    "Datengrundlage": "one",
    "Standardprozesse flächendeckend (Land)": "one",
    "Prozesse in mindestens einer Kommune (Land)": "per_art",
    "Bürgerkonten (Land)": "one",
    "Organisationskonten (Land)": "one",
    "Kommunen je Prozess": "per_process",
    "Konten je Kreis": "per_kreis_equals:accounts_buerger+accounts_organisation",
    "Prozesse: Aktivierungen und Bevölkerungsanteil": "rows",
    "Kommune × Prozess": "administrations",
    "Gemeinden nach Zahl aktiver Standardprozesse": "histogram",
    "Flächendeckend vs. in mindestens einer Kommune (Land)": "per_art",
    "service-bw-Konten im Zeitverlauf (Land)": "history",
    "Aktive Standardprozesse je Gemeinde (Land)": "administrations",
    "Verwaltungen mit Digitallotse": "equals:administrations_with_lotse",
    "Zielerreichung": "equals:share_with_lotse",
    "Digitallotsen": "equals:lotsen",
    "Förderung (Bildungsgutscheine, Land)": "per_programme",
    "Fortschritt zum Ziel (Land)": "history",
    "Basis und Aufbau": "per_programme",
    "Nach Regierungsbezirk (Land)": "regierungsbezirke",
    "Nach Größenklasse (Land)": "per_size_class_equals:share_gemeinden_with_lotse",
    "Nach Kreis": "per_kreis_equals:share_with_lotse",
    "Karte: Digitallotsen je Gemeinde und Kreis (Land)": "rows",
    "Ansprechliste: Verwaltungen ohne Lotse": "rows",
    "Wirken Digitallotsen? (Land)": "rows",
    "Erreichbar": "per_replica",
    "Alter des Datenstands": "per_replica",
    "Demodaten": "one",
    "Version": "one",
    "Anfragen je Sekunde": "some",
    "Antworten nach Status": "some",
    "Latenz (95. Perzentil)": "some",
    "Dauer der Abfrage durch Prometheus": "per_replica",
    "Neuaufbau der Kennzahlen: Dauer": "per_replica",
    "Neuaufbau der Kennzahlen: Generation und Datenstand": "per_replica",
    "Letzte Importe": "per_dataset",
    "Onlinedienste in mindestens einer Gemeinde (Land)": "one",
    "Onlinedienste flächendeckend (Land)": "one",
    "Abweichungen zur Angabe des Bundes (Land, je Kreis)": "one",
    "Datenstand der Onlinedienste (Land)": "one",
    "Flächendeckende Onlinedienste je Kreis": "per_kreis_equals:onlinedienste_flaechendeckend",
    "Onlinedienste je Gemeinde (Durchschnitt) je Kreis": "per_kreis_equals:onlinedienste_je_gemeinde",
    "Nicht erreichbare Links je Kreis": "per_kreis_equals:onlinedienste_links_nicht_ok",
    "Flächendeckung: Atlas und Bund (Land)": "per_reach",
    "Onlinedienste im Zeitverlauf (Land)": "history",
    "Flächendeckung je Onlinedienst und Kreis": "rows",
    "Nicht erreichbare Links: wen ansprechen": "rows",
}


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
    args.add_argument("--out", type=pathlib.Path, default=OUT,
                      help="directory to write the dashboards to (Grafana's provider path)")
    args.add_argument("--provisioning-out", type=pathlib.Path, default=PROVISIONING,
                      help="directory to write the datasource provisioning file to")
    opts = args.parse_args()
    API_URL = base_url(opts.api_url, "--api-url")
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
        titles = [p["title"] for p in b.panels]
        missing = [t for t in titles if t not in CONTRACTS]
        if missing:
            sys.exit(f"{b.uid}: panels without a contract in CONTRACTS: {missing}")
        contracts[b.uid] = {t: CONTRACTS[t] for t in titles}
    unused = set(CONTRACTS) - {t for c in contracts.values() for t in c}
    if unused:
        sys.exit(f"CONTRACTS of panels that do not exist: {sorted(unused)}")
    contracts_path = OUT.parent / "contracts.json"
    contracts_text = json.dumps(contracts, ensure_ascii=False, indent=2) + "\n"
    if check:
        if contracts_path.read_text(encoding="utf-8") != contracts_text:
            stale.append(str(contracts_path))
    else:
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
