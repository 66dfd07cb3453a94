import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT, packagePath } from "./package-root.js";

/**
 * The YAML files shipped with Reliquat (rule packs, score weights), parsed at build time into
 * `dist/prebuilt.json` (`scripts/write-prebuilt.ts`): the `yaml` module and the parse cost about
 * 70 ms at start-up (measured), more than the rest of a one-file scan. An entry is used only when
 * the file's text still has the hash it was built from, so an edited file is parsed as it is.
 */
export interface Prebuilt {
  [relativePath: string]: { sha256: string; data: unknown };
}

const PREBUILT = packagePath("dist", "prebuilt.json");
let prebuilt: Prebuilt | undefined;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The file's path as `prebuilt.json` keys it (`rules/fr-nir.yaml`), with `/` on every platform. */
export const prebuiltKey = (file: string) => path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");

/**
 * The data of a YAML text read from `file`. Throws the `yaml` module's error on bad YAML (the
 * caller names the file); never throws for a missing or stale `prebuilt.json` (it parses).
 */
export async function yamlData(text: string, file: string, table?: Prebuilt): Promise<unknown> {
  const entry = (table ?? shipped())[prebuiltKey(file)];
  if (entry && entry.sha256 === sha256(text)) return entry.data;
  const { parse } = await import("yaml");
  return parse(text);
}

/** What `npm run build` writes to `dist/prebuilt.json`: every shipped YAML file, parsed, with its text's hash. */
export async function buildPrebuilt(): Promise<Prebuilt> {
  const { parse } = await import("yaml");
  const rules = path.join(PACKAGE_ROOT, "rules");
  const files = (await readdir(rules)).filter((n) => /\.ya?ml$/.test(n)).map((n) => path.join(rules, n));
  files.push(path.join(PACKAGE_ROOT, "score", "exposure-weights.yaml"));
  const out: Prebuilt = {};
  for (const file of files.sort()) {
    const text = await readFile(file, "utf8");
    out[prebuiltKey(file)] = { sha256: sha256(text), data: parse(text) };
  }
  return out;
}

function shipped(): Prebuilt {
  prebuilt ??= readPrebuilt();
  return prebuilt;
}

function readPrebuilt(): Prebuilt {
  try {
    return JSON.parse(readFileSync(PREBUILT, "utf8")) as Prebuilt;
  } catch {
    return {};
  }
}
