import type { CompiledRule } from "../rules/load.js";

/**
 * The one place where identifiers are masked before anything is written. Findings are built
 * masked already; this pass catches identifiers that hide elsewhere: object keys
 * (`export_185057800608491.csv`), error messages echoing a key, bucket names.
 */
export type Redactor = (text: string) => string;

export function createRedactor(rules: CompiledRule[]): Redactor {
  const compiled = rules.map((r) => ({ regex: new RegExp(r.regex.source, r.regex.flags), validator: r.validator }));
  return (text) => {
    let out = text;
    for (const { regex, validator } of compiled) {
      out = out.replace(regex, (match) => {
        const value = validator.normalize(match);
        return validator.validate(value).valid ? validator.mask(value) : match;
      });
    }
    return out;
  };
}

/** Returns a copy of `value` with every string passed through `redact`. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redact);
    return out as T;
  }
  return value;
}
