// What a reader sees in every panel, computed with Grafana's own data library (@grafana/data,
// Apache-2.0; Grafana's core stays out). Reads a JSON list of panels on stdin —
// {title, type, fieldConfig, options, transformations, targets} where each target carries the
// data the panel's datasource returned: {kind: "prometheus", refId, legend, format, result} (an
// instant vector from Prometheus' HTTP API) or {kind: "infinity", refId, columns, format, rows}
// (the API's rows) — frames it the way the datasource does, runs the panel's transformations,
// applies its field config (with Grafana's defaults for what the panel leaves out) and prints
// per panel what is on screen:
//   fields   the display names of the first frame's fields (a table's headers, in order)
//   rows     a table's first rows as displayed: [{text, color}] per field
//   values   a stat, gauge, bar gauge or pie chart's values: [{name, text, color}]
//   legend   a time series or bar chart's series names
//   axes     a time series' axis per series: {name: "auto" | "left" | "right" | "hidden"}
//   buckets  a histogram's bars: [{from, to, count}]
//   bars     a bar chart's bars: [{name (the x value), series, text, color}]
// Colours are the theme's (dark theme hex) with a family name (red, orange, yellow, green, blue,
// purple, grey) for the contracts.
import { createRequire } from "module";

// @grafana/data formats numbers in the browser's locale (`toLocaleString`, `Intl.NumberFormat`);
// the readers are German. tests/dashboards.rs also starts node with LANG=de_DE.UTF-8, which is
// what sets Intl's default locale here.
globalThis.navigator = { language: "de-DE", languages: ["de-DE"] };
const require = createRequire(import.meta.url);
const {
  toDataFrame, transformDataFrame, getFieldDisplayName, standardTransformersRegistry,
  standardTransformers, applyFieldOverrides, getFieldDisplayValues, createTheme,
  FieldConfigOptionsRegistry, FieldType, buildHistogram,
} = require("@grafana/data");
const { firstValueFrom } = require("rxjs");
// Transformations look at `window` (a dashboard outside Scenes); set after loading, so that the
// libraries loaded with @grafana/data do not take this for a browser.
globalThis.window = {};

const theme = createTheme({ colors: { mode: "dark" } });

// The transformations Grafana registers at start-up (`standardTransformers`, some under two
// names: each id once; Grafana 12+ loads each lazily, hence the function).
const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
standardTransformersRegistry.setInit(() =>
  [...byId.values()].map((t) => ({ id: t.id, name: t.name, transformation: () => t,
                                   description: t.description, editor: () => null })));

// What Grafana puts into a panel's field config where the panel JSON says nothing (the standard
// options' default values: thresholds green, red from 80, for every panel type with the
// thresholds option; colour by thresholds unless the panel plugin prefers the classic palette,
// as the time series, bar chart and pie chart do).
const DEFAULT_THRESHOLDS = { mode: "absolute", steps: [{ value: -Infinity, color: "green" },
                                                       { value: 80, color: "red" }] };
const PALETTE_PANELS = new Set(["timeseries", "barchart", "piechart"]);

// The field config items Grafana registers (standard options and each plugin's custom options):
// here each takes its value as written (`process` = identity), which is what the standard
// items do for the options our dashboards use (unit, decimals, min, max, displayName, colour,
// thresholds, mappings, links, custom.*).
const STANDARD = ["unit", "decimals", "min", "max", "displayName", "noValue", "thresholds",
                  "mappings", "color", "links", "filterable"];
function registryFor(fieldConfig) {
  const custom = new Set(Object.keys(fieldConfig.defaults?.custom || {}));
  for (const o of fieldConfig.overrides || []) {
    for (const p of o.properties || []) {
      if (p.id.startsWith("custom.")) custom.add(p.id.slice(7));
    }
  }
  const item = (id, path, isCustom) => ({
    id, path, isCustom, name: id, process: (v) => v, shouldApply: () => true,
    override: () => null, editor: () => null,
  });
  const reg = new FieldConfigOptionsRegistry(() => [
    ...STANDARD.map((id) => item(id, id, false)),
    ...[...custom].map((k) => item(`custom.${k}`, k, true)),
  ]);
  return reg;
}

// Go's sort.Strings: byte order of the UTF-8 text (equal to code point order).
const goSorted = (keys) => [...keys].sort((a, b) => {
  const x = [...a].map((c) => c.codePointAt(0)), y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
});

// Infinity's backend parser (grafana/infinity-libs, gframer `sliceToFrame`): the rows decoded
// into Go maps, so the fields come in sorted key order, named by the column's alias (or by the
// JSON key without columns); a `timestamp` column becomes a time field.
function infinityFrames(t) {
  const columns = t.columns || [];
  const records = columns.length
    ? t.rows.map((r) => Object.fromEntries(columns.map((c) => [c.text || c.selector, r[c.selector]])))
    : t.rows;
  const declared = Object.fromEntries(columns.map((c) => [c.text || c.selector, c.type]));
  const keys = goSorted(new Set(records.flatMap((r) => Object.keys(r))));
  // A column's type as declared, else as the JSON values have it.
  const typeOf = (k) => {
    const ty = declared[k] ?? typeof records.map((r) => r[k]).find((v) => v != null);
    return { timestamp: FieldType.time, string: FieldType.string, number: FieldType.number,
             boolean: FieldType.boolean }[ty] ?? FieldType.other;
  };
  return [toDataFrame({
    refId: t.refId,
    fields: keys.map((k) => ({
      name: k,
      type: typeOf(k),
      values: records.map((r) => (typeOf(k) === FieldType.time ? Date.parse(r[k]) : r[k] ?? null)),
    })),
  })];
}

// Grafana's Prometheus datasource (pkg/promlib): an instant query in the time series format
// gives a frame per series (a Time and a Value field carrying the labels, its display name the
// legend with `{{label}}` filled, none for "__auto"); in the table format one frame with Time,
// each label (sorted) and "Value" ("Value #A" when the panel has several queries).
function prometheusFrames(t, several) {
  const legend = (labels) => (t.legend && t.legend !== "__auto"
    ? t.legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, l) => labels[l] ?? "") : undefined);
  const series = t.result.map((s) => {
    const { __name__, ...labels } = s.metric;
    return { labels, time: s.value[0] * 1000, value: Number(s.value[1]) };
  });
  if (t.format === "table") {
    const names = goSorted(new Set(series.flatMap((s) => Object.keys(s.labels))));
    return [toDataFrame({
      refId: t.refId,
      fields: [
        { name: "Time", type: FieldType.time, values: series.map((s) => s.time) },
        ...names.map((n) => ({ name: n, type: FieldType.string,
                               values: series.map((s) => s.labels[n] ?? "") })),
        { name: several ? `Value #${t.refId}` : "Value", type: FieldType.number,
          values: series.map((s) => s.value) },
      ],
    })];
  }
  return series.map((s) => toDataFrame({
    refId: t.refId,
    fields: [
      { name: "Time", type: FieldType.time, values: [s.time] },
      { name: "Value", type: FieldType.number, labels: s.labels, values: [s.value],
        config: legend(s.labels) === undefined ? {} : { displayNameFromDS: legend(s.labels) } },
    ],
  }));
}

// A colour's family by its hue, for contracts that say "not red".
function family(color) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color || "");
  if (!m) return color === "transparent" ? "none" : "other";
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16) / 255);
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  if (d < 0.12) return "grey";
  let h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h = (h * 60 + 360) % 360;
  if (h < 15 || h >= 335) return "red";
  if (h < 40) return "orange";
  if (h < 65) return "yellow";
  if (h < 170) return "green";
  if (h < 260) return "blue";
  return "purple";
}

// Grafana's template service for what a panel's field config names: `${__field.labels.X}` and
// `${__field.name}` from the field in the scoped variables' data context (what
// applyFieldOverrides puts there; Grafana's core resolves the same macros from it).
function replaceVariables(value, scopedVars) {
  const field = scopedVars?.__dataContext?.value?.field;
  return String(value)
    .replace(/\$\{__field\.labels\.(\w+)\}/g, (_, l) => field?.labels?.[l] ?? "")
    .replace(/\$\{__field\.name\}/g, () => field?.name ?? "");
}

const shown = (d) => ({
  text: `${d.prefix ?? ""}${d.text}${d.suffix ?? ""}`,
  color: d.color,
  family: family(d.color),
});

async function render(panel) {
  // Only transformations of Grafana's data library can be checked here (the others live in
  // Grafana's core): a panel that uses another one fails.
  for (const t of panel.transformations || []) {
    if (!byId.has(t.id)) throw new Error(`transformation ${t.id} is not in @grafana/data`);
  }
  const several = panel.targets.length > 1;
  let frames = panel.targets.flatMap((t) =>
    t.kind === "prometheus" ? prometheusFrames(t, several) : infinityFrames(t));
  frames = await firstValueFrom(transformDataFrame(panel.transformations || [], frames));
  const given = panel.fieldConfig || { defaults: {}, overrides: [] };
  const defaults = {
    thresholds: DEFAULT_THRESHOLDS,
    ...(PALETTE_PANELS.has(panel.type) ? { color: { mode: "palette-classic" } } : {}),
    ...given.defaults,
  };
  const fieldConfig = { defaults, overrides: given.overrides || [] };
  frames = applyFieldOverrides({
    data: frames, fieldConfig, replaceVariables, theme, timeZone: "browser",
    fieldConfigRegistry: registryFor(fieldConfig),
  });
  const out = { title: panel.title };
  const first = frames[0];
  if (first) {
    out.fields = first.fields.map((f) => getFieldDisplayName(f, first, frames));
  }
  if (panel.type === "table" && first) {
    const n = Math.min(first.length, 3);
    // A cell shows its colour only with a coloured cell type (Grafana's table: "auto" cells
    // are plain text).
    const coloured = (f) => ["color-background", "color-text", "gauge"].includes(
      f.config.custom?.cellOptions?.type);
    out.rows = [...Array(n).keys()].map((i) => first.fields.map((f) => {
      const cell = shown(f.display(f.values[i]));
      return coloured(f) ? cell : { ...cell, color: null, family: "none" };
    }));
  }
  if (["stat", "gauge", "bargauge", "piechart"].includes(panel.type)) {
    const values = getFieldDisplayValues({
      data: frames, fieldConfig, reduceOptions: panel.options?.reduceOptions || {},
      replaceVariables, theme, timeZone: "browser",
    });
    out.values = values.map((v) => ({ name: v.display.title ?? v.name, ...shown(v.display) }));
  }
  if (panel.type === "histogram") {
    // The histogram panel's own computation (@grafana/data `buildHistogram`, what its
    // "histogram" transformation runs) with the panel's bucket options.
    const h = buildHistogram(frames, { bucketSize: panel.options?.bucketSize,
                                       bucketOffset: panel.options?.bucketOffset,
                                       combine: panel.options?.combine }, theme);
    out.buckets = h ? h.xMin.values.map((x, i) => ({
      from: x, to: h.xMax.values[i], count: h.counts.reduce((s, c) => s + (c.values[i] ?? 0), 0),
    })) : [];
  }
  if (panel.type === "barchart" && first) {
    // A bar per row of each number field, named by the x field's value.
    const x = first.fields.find((f) => getFieldDisplayName(f, first, frames) === panel.options?.xField);
    out.bars = first.fields.filter((f) => f.type === FieldType.number).flatMap((f) =>
      f.values.map((v, i) => ({ name: x ? String(x.values[i]) : String(i),
                                series: getFieldDisplayName(f, first, frames), ...shown(f.display(v)) })));
  }
  if (["timeseries", "barchart"].includes(panel.type)) {
    out.legend = frames.flatMap((f) => f.fields
      .filter((x) => x.type === FieldType.number)
      .map((x) => getFieldDisplayName(x, f, frames)));
    out.axes = Object.fromEntries(frames.flatMap((f) => f.fields
      .filter((x) => x.type === FieldType.number)
      .map((x) => [getFieldDisplayName(x, f, frames), x.config.custom?.axisPlacement ?? "auto"])));
    out.values = frames.flatMap((f) => f.fields
      .filter((x) => x.type === FieldType.number)
      .map((x) => ({ name: getFieldDisplayName(x, f, frames),
                     ...shown(x.display(x.values[x.values.length - 1])) })));
  }
  return out;
}

// Decoded once as a whole: a chunk boundary may fall inside a character.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const out = [];
for (const panel of JSON.parse(Buffer.concat(chunks).toString("utf8"))) {
  try {
    out.push(await render(panel));
  } catch (e) {
    out.push({ title: panel.title, error: String(e?.stack || e) });
  }
}
process.stdout.write(JSON.stringify(out));
