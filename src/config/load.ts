import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { z } from "zod";
import { ConfigError } from "./errors.js";
import { type Config, configSchema } from "./schema.js";

/** Strings that read environment variables, by config path (`s3.maxAttempts`): where they sit and which variables. */
export type EnvOrigins = Map<string, { path: (string | number)[]; vars: string[] }>;

/** Reads, interpolates and validates a YAML config file; `undefined` gives the defaults. */
export async function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  if (!file) return parseConfig({}, "(defaults)");
  const text = await readFile(file, "utf8").catch((cause) => {
    throw new ConfigError(`cannot read config "${file}": ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  });
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (cause) {
    throw new ConfigError(`${file}: not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const origins: EnvOrigins = new Map();
  const interpolated = interpolate(data, env, file, origins);
  return parseConfig(coerceFromEnv(interpolated, origins, file), file, origins);
}

/**
 * Validates a plain object against the schema, naming the first wrong field, and the variables
 * it came from when `origins` holds it. Throws {@link ConfigError}.
 */
export function parseConfig(data: unknown, file: string, origins: EnvOrigins = new Map()): Config {
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  const from = origins.get(field);
  const source = from ? ` (from ${variables(from.vars)})` : "";
  throw new ConfigError(`${file}: field "${field}"${source}: ${issue?.message}`);
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
  const def = schema.def as unknown as {
    type: string;
    innerType?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    element?: z.ZodType;
  };
  if ((def.type === "default" || def.type === "optional" || def.type === "nullable") && def.innerType)
    return expectedKind(def.innerType, path);
  const [head, ...rest] = path;
  if (head === undefined) return def.type === "number" || def.type === "boolean" ? def.type : undefined;
  if (def.type === "object") {
    const child = typeof head === "string" ? def.shape?.[head] : undefined;
    return child ? expectedKind(child, rest) : undefined;
  }
  if (def.type === "array" && def.element && typeof head === "number") return expectedKind(def.element, rest);
  return undefined;
}
