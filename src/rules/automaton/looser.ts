/**
 * Trees that match more than a search, for the forward automaton when the exact one cannot be
 * held: numbers counted rather than tracked (loosen), or only the leading bytes (leadingPart).
 * Every match of the search is still reported; the regex confirms (see searcher.ts).
 */
import type { Node } from "./parse.js";

/** Digits, the separators and letters a number is written with (NIR 2A/2B, decimal marks). */
const NUMERIC = new Uint8Array(256);
for (const c of "0123456789 .,-/:\xa0\xc2\x80\xaf\xe2\t") NUMERIC[c.charCodeAt(0)] = 1;
for (const c of "ABab") NUMERIC[c.charCodeAt(0)] = 1;

/** Bytes that count in a number's length (digits, letters); the others are separators. */
const COUNTED = new Uint8Array(256);
for (let b = 0; b < 256; b++) COUNTED[b] = /[0-9A-Za-z]/.test(String.fromCharCode(b)) ? 1 : 0;

/** The bytes a tree can read, and the fewest counted bytes it must read. */
function shape(n: Node): { bytes: Uint8Array; min: number } {
  const bytes = new Uint8Array(256);
  const walk = (x: Node): number => {
    switch (x.k) {
      case "eps":
        return 0;
      case "set": {
        let counted = 0;
        for (let b = 0; b < 256; b++)
          if (x.set[b]) {
            bytes[b] = 1;
            counted |= COUNTED[b] as number;
          }
        return counted;
      }
      case "cat":
        return x.xs.reduce((sum, y) => sum + walk(y), 0);
      case "alt":
        return Math.min(...x.xs.map(walk));
      case "rep":
        return x.min * walk(x.x);
    }
  };
  const min = walk(n);
  return { bytes, min };
}

/**
 * A looser tree for the forward automaton when the exact one has too many states: each run of
 * numeric parts (digits with optional separators, where every possible start must be tracked
 * at once) becomes "at least as many digits, with any separators between them". It matches a
 * superset of the spans, so every true end is still reported; the exact reversed tree then
 * finds the starts. Counting digits only keeps phone numbers (10 digits) out of a NIR's run.
 */
export function loosen(node: Node): Node {
  if (node.k === "alt") return { k: "alt", xs: node.xs.map(loosen) };
  if (node.k !== "cat") return node;
  const flat: Node[] = [];
  const flatten = (x: Node) => (x.k === "cat" ? x.xs.forEach(flatten) : flat.push(x));
  flatten(node);
  const out: Node[] = [];
  let run: { bytes: Uint8Array; min: number; count: number } | undefined;
  const close = () => {
    if (run && run.count > 1) {
      const counted = run.bytes.map((v, b) => v & (COUNTED[b] as number));
      const separators = run.bytes.map((v, b) => v & (1 - (COUNTED[b] as number)));
      const gaps: Node = { k: "rep", x: { k: "set", set: separators }, min: 0, max: -1 };
      const digit: Node = { k: "cat", xs: [{ k: "set", set: counted }, gaps] };
      out.push({ k: "cat", xs: [gaps, { k: "rep", x: digit, min: run.min, max: -1 }] });
    }
    run = undefined;
  };
  for (const x of flat) {
    const s = shape(x);
    const numeric = s.bytes.some((v) => v === 1) && s.bytes.every((v, b) => v === 0 || NUMERIC[b] === 1);
    if (!numeric) {
      close();
      out.push(loosen(x));
      continue;
    }
    if (!run) run = { bytes: new Uint8Array(256), min: 0, count: 0 };
    for (let b = 0; b < 256; b++) if (s.bytes[b]) run.bytes[b] = 1;
    run.min += s.min;
    run.count++;
    if (run.count === 1)
      out.push(x); // replaced by the run if another numeric part follows
    else if (run.count === 2) out.pop();
  }
  close();
  return out.length === 1 ? (out[0] as Node) : { k: "cat", xs: out };
}

/**
 * The leading run of single bytes of a tree (`IBAN` of `IBAN\s*:?\s*[A-Z]{2}…`), each alternative
 * its own; zero-width parts are skipped. Undefined when some alternative starts with fewer than
 * `min` bytes: a short prefix would report an end almost everywhere.
 */
export function leadingPart(node: Node, min = 3): Node | undefined {
  if (node.k === "alt") {
    const xs = node.xs.map((x) => leadingPart(x, min));
    return xs.every((x) => x !== undefined) ? { k: "alt", xs: xs as Node[] } : undefined;
  }
  const xs = node.k === "cat" ? node.xs : [node];
  const out: Node[] = [];
  for (const x of xs) {
    if (x.k === "eps") continue;
    if (x.k !== "set") {
      // A group first (`(?:IBAN|RIB)`): its own leading part, and nothing after it.
      if (out.length === 0 && (x.k === "alt" || x.k === "cat")) return leadingPart(x, min);
      break;
    }
    out.push(x);
  }
  return out.length >= min ? { k: "cat", xs: out } : undefined;
}
