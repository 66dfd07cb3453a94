/**
 * Part of `npm run build`: dist/prebuilt.json, the shipped YAML files parsed (see src/yaml-data.ts),
 * and dist/automata/, the built-in rule packs' automata for each encoding (see src/rules/automaton/cache.ts).
 * The automata are compiled by the built modules in dist/, whose code their keys hash.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../src/package-root.js";
import type * as Cache from "../src/rules/automaton/cache.js";
import { COMPILER_HASH } from "../src/rules/automaton/cache.js";
import type * as Load from "../src/rules/load.js";
import { buildPrebuilt } from "../src/yaml-data.js";

const built = (module: string) => import(pathToFileURL(path.join(PACKAGE_ROOT, "dist", module)).href);

await writeFile(path.join(PACKAGE_ROOT, "dist", "prebuilt.json"), `${JSON.stringify(await buildPrebuilt())}\n`);
// The compiler's source hash first (this script runs from the sources): the built cache module
// reads it when imported, so that its keys are the ones a run from the sources computes.
const shipped = path.join(PACKAGE_ROOT, "dist", "automata");
await rm(shipped, { recursive: true, force: true });
await mkdir(shipped, { recursive: true });
await writeFile(path.join(shipped, "compiler.sha256"), `${COMPILER_HASH}\n`);
const { automatonKey, SHIPPED_AUTOMATA, compileAndSerialize } = (await built(
  "rules/automaton/cache.js",
)) as typeof Cache;
const { loadRules } = (await built("rules/load.js")) as typeof Load;
const rules = await loadRules();
for (const enc of ["utf-8", "windows-1252"] as const) {
  const sources = rules.flatMap((r) => r.searches(enc));
  await writeFile(path.join(SHIPPED_AUTOMATA, automatonKey(sources)), compileAndSerialize(sources));
}
