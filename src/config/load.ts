import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { ConfigError } from "./errors.js";
import { type Config, configSchema } from "./schema.js";

/** A configuration problem; the CLI turns it into exit code 2. */

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
  return parseConfig(interpolate(data, env, file), file);
}

/** Validates a plain object against the schema, naming the first wrong field. */
export function parseConfig(data: unknown, file: string): Config {
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`${file}: field "${issue?.path.join(".") || "(root)"}": ${issue?.message}`);
}

/** Replaces `${VAR}` and `${VAR:-default}` in every string; an unset variable without default is an error. */
export function interpolate(value: unknown, env: NodeJS.ProcessEnv, file: string): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${file}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, file));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, file)]));
  }
  return value;
}
