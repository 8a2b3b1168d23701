// What a reader sees in the Infinity table panels, computed with Grafana's own data library
// (@grafana/data, Apache-2.0; Grafana's core stays out). Reads a JSON list of panels on stdin —
// {title, columns, transformations, rows} with `rows` the API's answer — builds each frame the
// way Infinity's backend parser does (grafana/infinity-libs, gframer `sliceToFrame`: the rows
// decoded into Go maps, so the fields come in sorted key order, named by the column's alias, or
// by the JSON key without columns), runs the panel's transformations through @grafana/data and
// prints [{title, fields: [display name…]}].
import { createRequire } from "module";

// @grafana/data reads the browser's language; the readers are German.
globalThis.navigator = { language: "de-DE", languages: ["de-DE"] };
const require = createRequire(import.meta.url);
const { toDataFrame, transformDataFrame, getFieldDisplayName, standardTransformersRegistry,
        standardTransformers } = require("@grafana/data");
const { firstValueFrom } = require("rxjs");
// Transformations look at `window` (a dashboard outside Scenes); set after loading, so that the
// libraries loaded with @grafana/data do not take this for a browser.
globalThis.window = {};

// The transformations Grafana registers at start-up (`standardTransformers`, some under two
// names: each id once; Grafana 12+ loads each lazily, hence the function).
const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
standardTransformersRegistry.setInit(() =>
  [...byId.values()].map((t) => ({ id: t.id, name: t.name, transformation: () => t,
                                   description: t.description, editor: () => null })));

// Go's sort.Strings: byte order of the UTF-8 text (equal to code point order).
const goSorted = (keys) => [...keys].sort((a, b) => {
  const x = [...a].map((c) => c.codePointAt(0)), y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
});

function infinityFrame(rows, columns) {
  const records = columns.length
    ? rows.map((r) => Object.fromEntries(columns.map((c) => [c.text || c.selector, r[c.selector]])))
    : rows;
  const keys = goSorted(new Set(records.flatMap((r) => Object.keys(r))));
  return toDataFrame({
    refId: "A",
    fields: keys.map((k) => ({ name: k, values: records.map((r) => r[k] ?? null) })),
  });
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const panel of JSON.parse(input)) {
  const frame = infinityFrame(panel.rows, panel.columns || []);
  const frames = await firstValueFrom(transformDataFrame(panel.transformations || [], [frame]));
  out.push({
    title: panel.title,
    fields: frames[0].fields.map((f) => getFieldDisplayName(f, frames[0], frames)),
  });
}
process.stdout.write(JSON.stringify(out));
