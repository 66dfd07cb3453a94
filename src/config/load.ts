import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { ConfigError } from "./errors.js";
import { type Config, configSchema } from "./schema.js";

/** Strings that read environment variables, by config path (`s3.maxAttempts`): where they sit and which variables. */
export type EnvOrigins = Map<string, { path: (string | number)[]; vars: string[] }>;

/** Reads, interpolates and validates a YAML config file; `undefined` gives the defaults. */
export async function loadConfig(
  file?: string,
  env: NodeJS.ProcessEnv = process.env,
  profile?: string,
): Promise<Config> {
  if (!file) {
    if (profile) throw new ConfigError(`--profile ${profile} needs a config file (-c FILE) with profiles:`);
    return parseConfig({}, "(defaults)");
  }
  const text = await readFile(file, "utf8").catch((cause) => {
    throw new ConfigError(`cannot read config "${file}": ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  });
  // Loaded for a config file only: a run on defaults and flags never pays for the YAML parser.
  const { isMap, isScalar, LineCounter, parseDocument } = await import("yaml");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const bad = doc.errors[0];
  if (bad) throw new ConfigError(`${file}: not valid YAML: ${bad.message}`, { cause: bad });
  const data = withProfile((doc.toJS() ?? {}) as Record<string, unknown>, profile, file);
  const origins: EnvOrigins = new Map();
  const interpolated = interpolate(data, env, file, origins);
  const lineOf: LineOf = (path, key) => {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const node =
      key !== undefined && isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && p.key.value === key)?.key
        : doc.getIn(path, true);
    const at = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    return at === undefined ? undefined : lines.linePos(at).line;
  };
  return parseConfig(coerceFromEnv(interpolated, origins, file), file, origins, lineOf);
}

/**
 * The config with `profiles.NAME` merged over it (`--profile NAME`): its keys replace the top
 * level's, the provider sections (`s3`, `azure`, `gcs`, `smtp`) key by key. Without a profile,
 * `profiles` is only set aside.
 */
function withProfile(
  data: Record<string, unknown>,
  profile: string | undefined,
  file: string,
): Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return data;
  const { profiles, ...base } = data;
  if (!profile) return base;
  const all = (profiles ?? {}) as Record<string, unknown>;
  const chosen = all[profile];
  if (typeof chosen !== "object" || chosen === null || Array.isArray(chosen)) {
    const known = Object.keys(all);
    throw new ConfigError(
      `${file}: no profile "${profile}" under profiles:${known.length > 0 ? ` (known: ${known.join(", ")})` : " (none defined)"}`,
    );
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(chosen)) {
    const under = merged[key];
    const nested = ["s3", "azure", "gcs", "smtp"].includes(key) && typeof under === "object" && under !== null;
    merged[key] = nested ? { ...(under as object), ...(value as object) } : value;
  }
  return merged;
}

/** The line of the value at `path`, or of the key `key` in the mapping at `path`. */
type LineOf = (path: PropertyKey[], key?: string) => number | undefined;

/**
 * Validates a plain object against the schema. Every wrong field is named at once, one line
 * each, with its line in the file (when `lineOf` knows it), the variables it came from (when
 * `origins` holds it), and a did-you-mean for an unknown key. Throws {@link ConfigError}.
 */
export function parseConfig(data: unknown, file: string, origins: EnvOrigins = new Map(), lineOf?: LineOf): Config {
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems: string[] = [];
  for (const issue of parsed.error.issues) {
    const at = (line: number | undefined) => (line === undefined ? "" : ` (line ${line})`);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const field = [...issue.path, key].join(".");
        const near = closest(key, knownKeys(configSchema, issue.path));
        const hint = near ? `: did you mean "${near}"?` : "";
        problems.push(`${file}: field "${field}": unknown key${hint}${at(lineOf?.(issue.path, key))}`);
      }
      continue;
    }
    const field = issue.path.join(".") || "(root)";
    const from = origins.get(field);
    const source = from ? ` (from ${variables(from.vars)})` : "";
    problems.push(`${file}: field "${field}"${source}: ${issue.message}${at(lineOf?.(issue.path))}`);
  }
  throw new ConfigError(problems.join("\n"));
}

/** The keys the schema knows in the object at `path`. */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  const def = fieldAt(schema, path);
  return def?.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** The known key nearest `key` (case aside, at most a third of its letters off), if any. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d <= Math.max(1, Math.floor(k.length / 3)) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] as number;
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string; an unset variable without default is
 * an error. With `origins`, records the path of each string that used a variable.
 */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  file: string,
  origins?: EnvOrigins,
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") {
    const used: string[] = [];
    const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      used.push(name);
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${file}: environment variable ${name} is not set`);
    });
    if (used.length > 0) origins?.set(path.join("."), { path, vars: used });
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, file, origins, [...path, i]));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, file, origins, [...path, k])]),
    );
  }
  return value;
}

/**
 * Environment variables are strings: where one fed a number or a boolean field
 * (`concurrency: ${CONC}`), the interpolated text is read as that type. A string the user
 * typed (`concurrency: "16"`) is not touched and stays an error. Throws {@link ConfigError}
 * naming the file, the field and the variable when the text is no number or boolean.
 */
export function coerceFromEnv(data: unknown, origins: EnvOrigins, file: string): unknown {
  for (const [field, { path, vars }] of origins) {
    const kind = expectedKind(configSchema, path);
    if (!kind) continue;
    // The path was recorded while walking `data`: every step exists and holds an object or an array.
    const parent = path.slice(0, -1).reduce((node, k) => (node as Record<string | number, unknown>)[k], data) as Record<
      string | number,
      unknown
    >;
    const last = path.at(-1) as string | number;
    const text = String(parent[last]).trim();
    const value = kind === "number" ? toNumber(text) : toBoolean(text);
    if (value === undefined) {
      const wanted = kind === "number" ? "a number" : "a boolean (true, false, 1 or 0)";
      throw new ConfigError(`${file}: field "${field}" (from ${variables(vars)}): "${text}" is not ${wanted}`);
    }
    parent[last] = value;
  }
  return data;
}

const variables = (vars: string[]) => vars.map((v) => `\${${v}}`).join(", ");

/** Decimal notation only: `0x10`, `""` or `Infinity` are not numbers a config means. */
function toNumber(text: string): number | undefined {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : undefined;
}

function toBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return t === "true" || t === "1" ? true : t === "false" || t === "0" ? false : undefined;
}

/** The scalar type the schema wants at `path`, through defaults, optionals, objects and arrays. */
function expectedKind(schema: z.ZodType, path: (string | number)[]): "number" | "boolean" | undefined {
  const type = fieldAt(schema, path)?.type;
  return type === "number" || type === "boolean" ? type : undefined;
}

interface FieldDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}

/** The schema's definition at `path` (object keys, array indexes), defaults and optionals unwrapped. */
function fieldAt(schema: z.ZodType, path: PropertyKey[]): FieldDef | undefined {
  const def = schema.def as unknown as FieldDef;
  if ((def.type === "default" || def.type === "optional" || def.type === "nullable") && def.innerType)
    return fieldAt(def.innerType, path);
  const [head, ...rest] = path;
  if (head === undefined) return def;
  if (def.type === "object") {
    const child = typeof head === "string" ? def.shape?.[head] : undefined;
    return child ? fieldAt(child, rest) : undefined;
  }
  if (def.type === "array" && def.element && typeof head === "number") return fieldAt(def.element, rest);
  return undefined;
}
