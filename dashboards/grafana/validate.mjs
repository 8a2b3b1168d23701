// Validates every dashboard in ./dashboards against Grafana's dashboard schema: a JSON Schema
// generated (ts-json-schema-generator) from the TypeScript type `Dashboard` of the
// @grafana/schema package, checked with ajv. Exit code 1 on any violation.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve("@grafana/schema/package.json"));
const types = join(pkg, "dist/types/raw/dashboard/x/types.gen.d.ts");
const schema = createGenerator({ path: types, type: "Dashboard", skipTypeCheck: true }).createSchema("Dashboard");
writeFileSync(join(here, "node_modules/.dashboard.schema.json"), JSON.stringify(schema, null, 1));

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const version = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version;
let failed = 0;
const files = readdirSync(join(here, "dashboards")).filter((f) => f.endsWith(".json"));
if (files.length === 0) {
  console.error("no dashboards found");
  process.exit(1);
}
for (const f of files) {
  const dashboard = JSON.parse(readFileSync(join(here, "dashboards", f), "utf8"));
  if (validate(dashboard)) {
    console.log(`ok   ${f} (${dashboard.panels.length} panels) against @grafana/schema ${version}`);
  } else {
    failed++;
    console.error(`FAIL ${f}`);
    for (const e of validate.errors) console.error(`  ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(failed ? 1 : 0);
