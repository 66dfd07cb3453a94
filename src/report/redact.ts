import { ObjectList } from "./object-list.js";

/**
 * The one place where identifiers are masked before anything is written. Findings are built
 * masked already; this pass catches identifiers that hide elsewhere: object keys
 * (`export_185057800608491.csv`), folder and bucket names, URLs built from them, error
 * messages echoing a key, paths given on the command line.
 *
 * Redaction is not detection. Detection asks "is this a NIR?" (key check, context words,
 * word boundaries); redaction asks "could this be one?" and masks whatever its neighbours:
 * glued to letters (`nir253072B07300470v2`), followed by `.2021`, next to "facture", with a
 * wrong key, spaced, dotted or percent-encoded (`2%2053%2007%202B…`).
 */
export type Redactor = (text: string) => string;

/**
 * One separator between two characters of a written NIR: space, dot, dash, underscore, plus,
 * NBSP, narrow NBSP, or their percent-encoded forms (`pathToFileURL`, query strings).
 */
const SEP = String.raw`(?:[ .\-_+\u00a0\u202f]|%(?:20|2[bB]|2[dD]|2[eE]|5[fF])|%[cC]2%[aA]0|%[eE]2%80%[aA][fF])`;
/** A maximal run of NIR characters (digits, and the A/B of Corsican départements) with single separators. */
const RUN = new RegExp(`[0-9](?:${SEP}?[0-9ABab])*`, "g");
/** The characters of a run that count: separators dropped, encoded or not. */
const NON_NIR = new RegExp(SEP, "g");
/** Sex digits a NIR may start with (3, 4, 7, 8: persons being registered). */
const SEX = new Set(["1", "2", "3", "4", "7", "8"]);

/**
 * Masks every run that could hold a NIR body: 13 characters starting with a sex digit, digits
 * only except a `2A`/`2B` at positions 6–7, whatever follows (a key, more digits, a dot). The
 * whole run is masked, separators included, keeping its first and last character.
 */
export function redactIdentifiers(text: string): string {
  if (!mayHoldRun(text)) return text;
  return text.replace(RUN, (run) => {
    const chars = run.replace(NON_NIR, "");
    if (chars.length < 13 || !holdsBody(chars.toUpperCase())) return run;
    return `${chars[0]}${"•".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  });
}

/** The redactor every output uses; rules are not needed: redaction does not depend on them. */
export function createRedactor(): Redactor {
  return redactIdentifiers;
}

/** Whether some 13-character window of `chars` could be a NIR body. */
function holdsBody(chars: string): boolean {
  for (let start = 0; start + 13 <= chars.length; start++) {
    if (!SEX.has(chars[start] as string)) continue;
    let ok = true;
    for (let i = 0; i < 13 && ok; i++) {
      const c = chars[start + i] as string;
      if (c >= "0" && c <= "9") continue;
      // Corsica: 2A or 2B in place of the département's two digits (positions 6-7).
      ok = i === 6 && (c === "A" || c === "B") && chars[start + 5] === "2";
    }
    if (ok) return true;
  }
  return false;
}

/** A cheap test first: most strings hold fewer than 12 digits and are returned as they are. */
function mayHoldRun(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 12) return true;
  }
  return false;
}

/**
 * Fields that hold our own hashes: a finding's `id` (SHA-256 of redacted names) and a sample's
 * `fingerprint` (keyed HMAC). Hex often holds 13 digits in a row by chance; masking it would
 * break baselines and SARIF fingerprints and hide nothing.
 */
const HASH_FIELDS = new Set(["id", "fingerprint"]);
const HEX = /^[0-9a-f]+$/;

/**
 * Returns a copy of `value` with every string, property names included, passed through
 * `redact`. An {@link ObjectList} is kept as it is: its objects were redacted as they completed.
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === "string") return redact(value) as T;
  if (value instanceof ObjectList) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[redact(k)] = HASH_FIELDS.has(k) && typeof v === "string" && HEX.test(v) ? v : redactDeep(v, redact);
    return out as T;
  }
  return value;
}
