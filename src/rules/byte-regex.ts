/**
 * Builds regex sources that run on byte strings (see extract/text-blocks.ts), once per
 * encoding. Terms match accent- and case-insensitively by default: `diabete` matches
 * "diabète", "DIABÈTE" and "Diabete", whether the bytes are Windows-1252 or UTF-8.
 * Dictionaries compile into one trie-shaped alternation: one pass, and at each position the
 * regex engine follows one branch (measured 2× faster than a flat alternation of 150 terms).
 */
import type { ByteEncoding } from "../extract/text-blocks.js";

const ACCENTS: Record<string, string> = {
  a: "àâäáã",
  c: "ç",
  e: "éèêë",
  i: "îïíì",
  n: "ñ",
  o: "ôöóò",
  u: "ùûüú",
  y: "ÿý",
};

/** The byte-string form of one character in an encoding (Windows-1252 covers French letters and œ). */
function bytesOf(ch: string, enc: ByteEncoding): string {
  if (enc === "utf-8") return Buffer.from(ch, "utf8").toString("latin1");
  const cp1252: Record<string, string> = { œ: "\x9c", Œ: "\x8c", "’": "\x92", "€": "\x80" };
  return cp1252[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch : "");
}

const escapeRegex = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
const hex = (s: string) => [...s].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");

/** A regex alternative matching any of `chars` (each one character) in `enc`. */
export function charsSource(chars: string[], enc: ByteEncoding): string {
  const single: string[] = [];
  const multi: string[] = [];
  for (const ch of new Set(chars)) {
    const b = bytesOf(ch, enc);
    if (b.length === 1) single.push(b);
    else if (b.length > 1) multi.push(b);
  }
  const cls =
    single.length === 0
      ? ""
      : single.length === 1
        ? escapeOne(single[0] as string)
        : `[${single.map(escapeOne).join("")}]`;
  // UTF-8 sequences sharing a lead byte become one class: \xc3[\xa9\xa8…] rather than an alternation.
  const byPrefix = new Map<string, string[]>();
  for (const b of multi) byPrefix.set(b.slice(0, -1), [...(byPrefix.get(b.slice(0, -1)) ?? []), b.slice(-1)]);
  const grouped = [...byPrefix].map(
    ([prefix, lasts]) => hex(prefix) + (lasts.length === 1 ? hex(lasts[0] as string) : `[${lasts.map(hex).join("")}]`),
  );
  const alts = [...(cls ? [cls] : []), ...grouped];
  return alts.length === 1 ? (alts[0] as string) : `(?:${alts.join("|")})`;
}

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code > 0x7e ? hex(c) : escapeRegex(c);
}

/**
 * Lower-cases a term (unless case-sensitive) and normalises œ and curly apostrophes, keeping
 * its accents: an accented letter then matches every accent of its base letter, a plain
 * letter matches itself. "diabète" matches "diabete", "DIABÈTE" and "diabète"; a term written
 * without its accents does not match the accented spelling, so packs spell terms correctly.
 * Why not fold every letter: the regex grows with each class, and past about 20,000 characters
 * V8 ran the dictionary 15× slower (measured on 190 terms).
 */
export function spellTerm(term: string, caseSensitive = false): string {
  const t = term.replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/[’`]/g, "'");
  return caseSensitive ? t : t.toLowerCase();
}

/** The variants a spelled character matches. */
function variants(ch: string, caseSensitive: boolean): string[] {
  if (ch === " ") return [" ", "\u00a0", "\u202f", "-"];
  if (ch === "'") return ["'", "’"];
  if (ch === "-") return ["-", " ", "\u00a0"];
  const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const lowerBase = base.toLowerCase();
  const isUpper = ch !== ch.toLowerCase();
  if (base === ch) return caseSensitive ? [ch] : [ch.toLowerCase(), ch.toUpperCase()];
  const accented = [...(ACCENTS[lowerBase] ?? "")];
  const upper = accented.map((a) => a.toUpperCase());
  if (caseSensitive) return isUpper ? [base, ...upper] : [base, ...accented];
  return [lowerBase, lowerBase.toUpperCase(), ...accented, ...upper];
}

/**
 * One spelled character's source, remembered: a trie of the vocabulary has thousands of edges
 * over a few dozen characters, and building each class again (Unicode folding, encoding) took
 * about 100 ms of every scan's start-up.
 */
function charSource(ch: string, enc: ByteEncoding, caseSensitive: boolean): string {
  const key = `${enc}${caseSensitive ? "1" : "0"}${ch}`;
  let source = charSources.get(key);
  if (source === undefined) {
    source = charsSource(variants(ch, caseSensitive), enc);
    charSources.set(key, source);
  }
  return source;
}
const charSources = new Map<string, string>();

/** One spelled term (see spellTerm) as a regex source for `enc`. */
export function termSource(spelled: string, enc: ByteEncoding, caseSensitive = false): string {
  return [...spelled].map((ch) => charSource(ch, enc, caseSensitive)).join("");
}

interface TrieNode {
  end: boolean;
  next: Map<string, TrieNode>;
}

/**
 * A trie-shaped alternation of spelled terms. A term spelled with "oe" also matches the "œ" that
 * text writes for it ("œsophage", "fœtus", "cœliaque"): spellTerm folds œ to oe, and without this
 * the ligature, one character, matched neither letter.
 */
export function trieSource(spelled: string[], enc: ByteEncoding, caseSensitive = false): string {
  const root: TrieNode = { end: false, next: new Map() };
  const ligatured = caseSensitive ? [] : spelled.filter((t) => t.includes("oe")).map((t) => t.replaceAll("oe", "œ"));
  for (const term of [...spelled, ...ligatured]) {
    let node = root;
    for (const ch of term) {
      let child = node.next.get(ch);
      if (!child) {
        child = { end: false, next: new Map() };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    if (node.next.size === 0) return "";
    // Longest first at each branch, so "hépatite C" wins over "hépatite".
    const alts = [...node.next].map(([ch, child]) => charSource(ch, enc, caseSensitive) + emit(child));
    const body = alts.length === 1 ? (alts[0] as string) : `(?:${alts.join("|")})`;
    return node.end ? `(?:${body})?` : body;
  };
  return emit(root);
}

/**
 * Not preceded by a letter or digit (in `enc`), nor by `_` when `underscore`: acronyms take `_`
 * as part of a word, so that the `TS` of the CDA datatype `IVL_TS` is not a word.
 */
export function wordStart(enc: ByteEncoding, underscore = false): string {
  const u = underscore ? "_" : "";
  return enc === "utf-8"
    ? `(?<![A-Za-z0-9${u}]|[\\xc3\\xc5][\\x80-\\xbf])`
    : `(?<![A-Za-z0-9${u}\\xc0-\\xff\\x8a\\x8c\\x8e\\x9a\\x9c\\x9e\\x9f])`;
}

/** Not followed by a letter or digit (in `enc`), nor by `_` when `underscore`. */
export function wordEnd(enc: ByteEncoding, underscore = false): string {
  const u = underscore ? "_" : "";
  return enc === "utf-8"
    ? `(?![A-Za-z0-9${u}]|[\\xc3\\xc5][\\x80-\\xbf])`
    : `(?![A-Za-z0-9${u}\\xc0-\\xff\\x8a\\x8c\\x8e\\x9a\\x9c\\x9e\\x9f])`;
}

/**
 * Expands the macros of a YAML pattern for `enc`: `{sep}` (one separator: space, dot, dash,
 * NBSP, narrow NBSP), `{sp}` (one or more spaces), `{fold:mot clé}` (a folded term),
 * `{<}` and `{>}` (word start and end). The rest of the pattern must be ASCII.
 */
export function expandPattern(pattern: string, enc: ByteEncoding): string {
  const out = pattern.replace(/\{(sep|sp|<|>|fold:[^}]+)\}/g, (_, macro: string) => {
    // Each macro is one atom, so that a quantifier after it ({sep}?, {sp}?) applies to all of it.
    if (macro === "sep") return `(?:${charsSource([" ", ".", "-", "\u00a0", "\u202f"], enc)})`;
    if (macro === "sp") return `(?:(?:${charsSource([" ", "\u00a0", "\u202f", "\t"], enc)})+)`;
    if (macro === "<") return wordStart(enc);
    if (macro === ">") return wordEnd(enc);
    return `(?:${termSource(spellTerm(macro.slice(5)), enc)})`;
  });
  const nonAscii = /[^\x00-\x7f]/.exec(out.replace(/\\x[0-9a-f]{2}/gi, ""));
  if (nonAscii) throw new Error(`non-ASCII character "${nonAscii[0]}" in a pattern: use {fold:…} or {sep}`);
  return out;
}
