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
 * What may sit between two characters of a written NIR: one to three of space, tab, dot, dash,
 * underscore, plus, NBSP, narrow, thin, figure or ideographic space, soft hyphen, zero-width
 * space, raw or percent-encoded once or twice (`pathToFileURL` encodes a `%20` already in a
 * folder's name as `%2520`).
 */
const ONE_SEP = String.raw`(?:[ \t.\-_+\u00a0\u00ad\u2007\u2009\u200b\u202f\u3000]|%(?:25)?(?:20|2[bBdDeE]|5[fF]|09)|%(?:25)?[cC]2%(?:25)?[aA][0dD]|%(?:25)?[eE]2%(?:25)?80%(?:25)?[aA][fF])`;
const SEP = `(?:${ONE_SEP}){1,3}`;
/** A maximal run of NIR characters (digits, and the A/B of Corsican départements) with separators. */
const RUN = new RegExp(`[0-9](?:(?:${SEP})?[0-9ABab])*`, "g");
/** The characters of a run that count: separators dropped, encoded or not. */
const NON_NIR = new RegExp(ONE_SEP, "g");
/** Sex digits a NIR may start with (3, 4, 7, 8: persons being registered). */
const SEX = new Set(["1", "2", "3", "4", "7", "8"]);
/** Digits of other scripts that read as a NIR to a human: fullwidth, Arabic-Indic, extended Arabic-Indic. */
const OTHER_DIGITS = /[\uff10-\uff19\uff21\uff22\uff41\uff42\u0660-\u0669\u06f0-\u06f9]/g;

/**
 * Masks every run that could hold a NIR body: 13 characters starting with a sex digit, digits
 * only except a `2A`/`2B` at positions 6–7, whatever follows (a key, more digits, a dot). The
 * whole run is masked, separators included, keeping its first and last character. Fullwidth
 * and Arabic-Indic digits count as digits (each is one UTF-16 unit, so positions line up).
 */
export function redactIdentifiers(text: string): string {
  const scan = mayHoldRun(text);
  if (scan === NONE) return text;
  const folded = scan === OTHER ? text.replace(OTHER_DIGITS, foldDigit) : text;
  let out = "";
  let last = 0;
  for (const m of folded.matchAll(RUN)) {
    const chars = m[0].replace(NON_NIR, "");
    if (!(chars.length >= 13 && holdsBody(chars.toUpperCase())) && !holdsLiteralPercent(m[0])) continue;
    out += `${text.slice(last, m.index)}${chars[0]}${"•".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
    last = m.index + m[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

function foldDigit(c: string): string {
  const code = c.charCodeAt(0);
  if (code >= 0xff10 && code <= 0xff19) return String(code - 0xff10);
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  return code === 0xff21 || code === 0xff41 ? "A" : "B";
}

/** The redactor every output uses; rules are not needed: redaction does not depend on them. */
export function createRedactor(): Redactor {
  return redactIdentifiers;
}

/**
 * A `%` may also be a plain character next to a NIR (`0%2053…`, `taux 5%185…`): read as an
 * escape, `%20` eats the NIR's first two digits and the body is gone. So the run is read a
 * second way, `%` as a break and the escapes' hex as characters.
 */
function holdsLiteralPercent(run: string): boolean {
  if (!run.includes("%")) return false;
  for (const part of run.split("%")) {
    const chars = part.replace(NON_NIR, "");
    if (chars.length >= 13 && holdsBody(chars.toUpperCase())) return true;
  }
  return false;
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

const NONE = 0;
const ASCII = 1;
const OTHER = 2;

/**
 * A cheap test first, one loop and no allocation: most strings (keys, messages, property names)
 * hold fewer than 12 digits of any script and are returned as they are. Says whether digits of
 * other scripts must be folded first.
 */
function mayHoldRun(text: string): typeof NONE | typeof ASCII | typeof OTHER {
  let digits = 0;
  let other = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 0x0660) {
      const digit = (c >= 0xff10 && c <= 0xff19) || (c >= 0x0660 && c <= 0x0669) || (c >= 0x06f0 && c <= 0x06f9);
      if (digit) digits++;
      // A fullwidth A or B, the Corsican département of a NIR written in fullwidth.
      if (digit || c === 0xff21 || c === 0xff22 || c === 0xff41 || c === 0xff42) other = true;
    }
  }
  if (digits < 12) return NONE;
  return other ? OTHER : ASCII;
}

/**
 * Fields that hold our own hashes: a finding's `id` (SHA-256 of redacted names) and a sample's
 * `fingerprint` (keyed HMAC). Hex often holds 13 digits in a row by chance; masking it would
 * break baselines and SARIF fingerprints and hide nothing.
 */
const HASH_FIELDS = new Set(["id", "fingerprint"]);
const HEX = /^[0-9a-f]+$/;
/**
 * A version id is the storage's own (an S3 version id, a GCS generation in microseconds, an
 * Azure timestamp), never a name: masking a 16-digit generation would hide which version holds
 * the finding. It is kept in `versionId` and in the `?versionId=` of a URL.
 */
const VERSION_QUERY = /\?versionId=[^?#]*$/;

/**
 * Marks a value whose strings were all redacted already (the report's object list, redacted
 * object by object as the scan went): {@link redactDeep} keeps it as it is. A symbol rather
 * than a class test, so that redaction imports none of the types it is applied to.
 */
export const REDACTED: unique symbol = Symbol("reliquat.redacted");

/**
 * Returns a copy of `value` with every string, property names included, passed through
 * `redact`. A value marked {@link REDACTED} is kept as it is.
 */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === "string") return redact(value) as T;
  if (value && typeof value === "object" && REDACTED in value) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[redactName(k, redact)] = typeof v === "string" ? redactField(k, v, redact) : redactDeep(v, redact);
    return out as T;
  }
  return value;
}

/** Property names repeat in every object: the verdict of the default redactor is remembered. */
const names = new Map<string, string>();
function redactName(name: string, redact: Redactor): string {
  if (redact !== redactIdentifiers) return redact(name);
  let safe = names.get(name);
  if (safe === undefined) {
    safe = redact(name);
    // Names taken from the data (a column, a JSON key) need not repeat: keep the cache bounded.
    if (names.size < 10_000) names.set(name, safe);
  }
  return safe;
}

function redactField(key: string, value: string, redact: Redactor): string {
  if (HASH_FIELDS.has(key) && HEX.test(value)) return value;
  if (key === "versionId") return value;
  const version = key === "url" ? VERSION_QUERY.exec(value) : null;
  return version ? redact(value.slice(0, version.index)) + version[0] : redact(value);
}
