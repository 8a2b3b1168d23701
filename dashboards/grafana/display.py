"""How the dashboards show a value to German readers: unit and decimals, colour, words for keys.

A figure's kind and classes come from the service's catalogue (figures.json, `digitalatlas
figures --json`); this module only decides how Grafana formats them. What a reader then sees is
computed with Grafana's own data library (render.mjs) and checked by tests/dashboards.rs against
each panel's `shows` contract.

Kinds a value can have here:
  integer  a count: 2.040.514 (unit `locale`: `toLocaleString` in the browser's language)
  decimal  an average: 13,6
  share    a share, sent as a fraction 0..1 and shown in percent: 41,9 %
  euro     an amount in euros: 308.100 €
  date     a day: 31.10.2026
  words:X  a key shown in words (WORDS[X]): `aufbau` → "mit Aufbauschulung", `true` → "ja"
  text     shown as it comes
"""

import json
import pathlib

# The Grafana version the dashboards are written for (generate.py --grafana-version). German
# number formatting with a unit symbol ("41,9 %", "308.100 €") needs the `currency:financial:`
# custom unit, which formats with the browser's `Intl.NumberFormat` (Grafana 12.1+, grafana/grafana
# PR #106604, `valueFormats.ts` → `fullCurrency`). Before that, the `percent` unit writes
# JavaScript's `toFixed` ("41.9%") and euros are shown as German numbers with "EUR" in the title.
GRAFANA = (12, 1)

# The service's figure catalogue: each figure's name, German header, kind and classes, and the
# Lotse classes with their words.
CATALOGUE = json.loads((pathlib.Path(__file__).parent / "figures.json").read_text(encoding="utf-8"))
FIGURES = {f["name"]: f for f in CATALOGUE["figures"]}

# A colour per class of a share (from none to three quarters and more): the pages' and maps'
# classes (the catalogue's `bands` of the share figures).
SHARE_COLORS = ["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"]
# Counts that are neither good nor bad news in themselves (accounts, Lotsen, processes).
NEUTRAL = "#3274d9"
# Counts of problems (links not reachable, disagreements): green at none, orange from one.
PROBLEM = "#ff9830"

# Keys of the API and the metrics in the words of the pages.
WORDS = {
    "ja_nein": {"true": "ja", "false": "nein"},
    "lotse": {c["key"]: c["label"] for c in CATALOGUE["lotse_classes"]},
    "art": {"gemeinde": "Gemeinde", "landratsamt": "Landratsamt", "standard": "Standardprozess",
            "universal": "Universalprozess"},
    "reach": {"flaechendeckend": "flächendeckend", "mindestens_eine": "in mindestens einer Gemeinde",
              "keine": "nirgends"},
    "herkunft": {"gemeinde": "Gemeinde", "gemeindeverband": "Gemeindeverband", "kreis": "Kreis",
                 "land": "Land", "bund": "Bund"},
    "programme": {"basis": "Basisqualifizierung", "aufbau": "Aufbauschulung"},
}
# Colours of the Lotse classes (the pages' map colours).
LOTSE_COLORS = {"keine": "#d7d7d7", "basis": "#6baed6", "aufbau": "#08519c"}


def financial():
    return tuple(GRAFANA) >= (12, 1)


def share_thresholds(figure):
    """Thresholds of a share figure in percent: one step per class of the catalogue."""
    bands = FIGURES[figure]["bands"]
    assert len(bands) == len(SHARE_COLORS), f"{figure}: {len(bands)} classes"
    steps, lower = [], None
    for band, color in zip(bands, SHARE_COLORS):
        steps.append({"color": color, "value": None if lower is None else lower * 100})
        lower = band["below"]
    return {"mode": "absolute", "steps": steps}


def fixed(color):
    return {"color": {"mode": "fixed", "fixedColor": color}}


def problem_colors():
    return {"color": {"mode": "thresholds"},
            "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None},
                                                         {"color": PROBLEM, "value": 1}]}}


def unit(kind):
    """Unit and decimals of a kind (see the module's docstring)."""
    if kind == "integer":
        return {"unit": "locale", "decimals": 0}
    if kind == "decimal":
        return {"unit": "locale", "decimals": 1}
    if kind == "share":
        return {"unit": "currency:financial: %:suffix" if financial() else "percent", "decimals": 1}
    if kind == "euro":
        return {"unit": "currency:financial: €:suffix" if financial() else "locale", "decimals": 0}
    if kind == "date":
        return {"unit": "time:DD.MM.YYYY"}
    if kind.startswith("words:") or kind == "text":
        return {}
    raise ValueError(f"unknown kind {kind}")


def mappings(words, colors=None):
    """Value mappings that show each key in words (and, given, in its colour)."""
    options = {}
    for i, (key, text) in enumerate(WORDS[words].items()):
        options[key] = {"text": text, "index": i}
        if colors and key in colors:
            options[key]["color"] = colors[key]
    return [{"type": "value", "options": options}]


def field_config(kind, figure=None, color=None):
    """A field's config: unit of its kind, colours (a share by its catalogue classes, a problem
    count green/orange, other counts neutral blue), words for keys."""
    config = unit(kind)
    if kind == "share":
        config.update({"color": {"mode": "thresholds"}, "min": 0, "max": 100,
                       "thresholds": share_thresholds(figure or "share_with_lotse")})
    elif color == "problem":
        config.update(problem_colors())
    elif kind.startswith("words:"):
        words = kind.split(":", 1)[1]
        config["mappings"] = mappings(words, LOTSE_COLORS if words == "lotse" else None)
    else:
        config.update(fixed(color or NEUTRAL))
    return config


def override(name, config):
    """A field override by display name setting each of `config`'s properties."""
    props = []
    for key, value in config.items():
        props.append({"id": key, "value": value})
    return {"matcher": {"id": "byName", "options": name}, "properties": props}


def fraction_of(name):
    """The name a share column has as it comes (a fraction 0..1), before
    percent_transformations adds it in percent under its own name."""
    return f"{name} (Anteil 0–1)"


def percent_transformations(names):
    """Adds each share in percent under its name (Grafana's "Add field from calculation", binary
    mode, operands as text: Grafana 7.2+, read by 11+ as `{fixed}`), from the fraction that
    came under fraction_of(name); the fractions are dropped afterwards (organize)."""
    return [{"id": "calculateField", "options": {
        "mode": "binary", "binary": {"left": fraction_of(n), "operator": "*", "right": "100"},
        "alias": n, "replaceFields": False}} for n in names]
