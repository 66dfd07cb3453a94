import { hitsInText } from "../rules/kinds/index.js";
import type { Rule } from "../rules/types.js";

/**
 * The one place where identifiers are masked before anything is written. Findings are built
 * masked already; this pass catches identifiers that hide elsewhere: object keys
 * (`export_185057800608491.csv`), error messages echoing a key, bucket names.
 */
export type Redactor = (text: string) => string;

export function createRedactor(rules: Rule[]): Redactor {
  const identifierRules = rules.filter((r) => r.spec.category === "national-id");
  return (text) => {
    // A NIR has at least 13 digits (12 and a Corsican 2A/2B): most strings are skipped cheaply.
    if (!/[0-9]/.test(text) || text.replace(/[^0-9]/g, "").length < 12) return text;
    const hits = identifierRules.flatMap((r) => hitsInText(r, text)).filter((h) => h.masked !== undefined);
    if (hits.length === 0) return text;
    // Hits are byte offsets in the UTF-8 form of the text.
    let bytes = Buffer.from(text, "utf8").toString("latin1");
    for (const h of hits.sort((a, b) => b.offset - a.offset)) {
      const mask = Buffer.from(h.masked as string, "utf8").toString("latin1");
      bytes = bytes.slice(0, h.offset) + mask + bytes.slice(h.offset + h.length);
    }
    return Buffer.from(bytes, "latin1").toString("utf8");
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
