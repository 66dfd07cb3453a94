/**
 * Reads a JavaScript regex source (non-Unicode mode, run on byte strings: one char per byte)
 * into a tree of byte sets. Zero-width assertions (look-arounds, `^`, `$`, `\b`) become empty:
 * the tree then matches a superset of the regex's matches, which is all the automaton needs,
 * since every candidate is confirmed by the regex itself (see searcher.ts).
 *
 * Each atom's byte set is computed by asking V8 which of the 256 bytes the atom matches with
 * the regex's own flags, so classes, escapes and case folding (`i` maps é to É in Latin-1)
 * follow the engine exactly rather than a re-implementation of them.
 */

/** A regex feature the automaton cannot express (back-references): the search stays a regex. */
export class UnsupportedPattern extends Error {}

export type Node =
  | { k: "set"; set: Uint8Array }
  | { k: "cat"; xs: Node[] }
  | { k: "alt"; xs: Node[] }
  | { k: "rep"; x: Node; min: number; max: number }
  | { k: "eps" };

const EPS: Node = { k: "eps" };
const atomCache = new Map<string, Uint8Array>();

/** The bytes one atom (a char, an escape, a class, `.`) matches under `flags`. */
function atomSet(source: string, flags: string): Uint8Array {
  const key = `${flags}\0${source}`;
  let set = atomCache.get(key);
  if (!set) {
    const re = new RegExp(`^(?:${source})$`, flags.replace(/[gy]/g, ""));
    set = new Uint8Array(256);
    for (let b = 0; b < 256; b++) set[b] = re.test(String.fromCharCode(b)) ? 1 : 0;
    atomCache.set(key, set);
  }
  return set;
}

/** Parses `source` with `flags` ("g", "gi"…). Throws {@link UnsupportedPattern} on back-references. */
export function parseRegex(source: string, flags: string): Node {
  let i = 0;
  const atom = (src: string): Node => ({ k: "set", set: atomSet(src, flags) });

  const alternation = (): Node => {
    const xs = [sequence()];
    while (source[i] === "|") {
      i++;
      xs.push(sequence());
    }
    return xs.length === 1 ? (xs[0] as Node) : { k: "alt", xs };
  };
  const sequence = (): Node => {
    const xs: Node[] = [];
    while (i < source.length && source[i] !== "|" && source[i] !== ")") xs.push(quantified(term()));
    return xs.length === 1 ? (xs[0] as Node) : { k: "cat", xs };
  };
  const quantified = (x: Node): Node => {
    for (;;) {
      const c = source[i];
      let min: number;
      let max: number;
      if (c === "*" || c === "+" || c === "?") {
        i++;
        [min, max] = c === "*" ? [0, -1] : c === "+" ? [1, -1] : [0, 1];
      } else {
        const m = c === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i)) : null;
        if (!m) return x;
        i += m[0].length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
      }
      if (source[i] === "?") i++; // lazy: the same language
      x = { k: "rep", x, min, max };
    }
  };
  const term = (): Node => {
    const c = source[i] as string;
    if (c === "(") {
      i++;
      let assertion = false;
      if (source.startsWith("?:", i)) i += 2;
      else if (/^\?<?[=!]/.test(source.slice(i, i + 3))) {
        assertion = true;
        i += source[i + 1] === "<" ? 3 : 2;
      } else if (source.startsWith("?<", i)) i = source.indexOf(">", i) + 1;
      const inner = alternation();
      if (source[i] !== ")") throw new UnsupportedPattern(`unbalanced group at ${i}`);
      i++;
      return assertion ? EPS : inner;
    }
    if (c === "^" || c === "$") {
      i++;
      return EPS;
    }
    if (c === "[") {
      let j = i + 1;
      if (source[j] === "^") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      if (j >= source.length) throw new UnsupportedPattern("unterminated class");
      const src = source.slice(i, j + 1);
      i = j + 1;
      return atom(src);
    }
    if (c === "\\") {
      const n = source[i + 1] ?? "";
      if (/[1-9]/.test(n) || (n === "k" && source[i + 2] === "<")) throw new UnsupportedPattern("back-reference");
      if (n === "b" || n === "B") {
        i += 2;
        return EPS;
      }
      const len = n === "x" ? 4 : n === "u" ? 6 : n === "c" ? 3 : 2;
      const src = source.slice(i, i + len);
      i += len;
      return atom(src);
    }
    i++;
    return atom(c === "." ? "." : /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);
  };

  const tree = alternation();
  if (i !== source.length) throw new UnsupportedPattern(`unexpected "${source[i]}" at ${i}`);
  return tree;
}

/** The same tree read right to left: its matches are the reversed strings. */
export function reverseTree(node: Node): Node {
  switch (node.k) {
    case "cat":
      return { k: "cat", xs: node.xs.map(reverseTree).reverse() };
    case "alt":
      return { k: "alt", xs: node.xs.map(reverseTree) };
    case "rep":
      return { ...node, x: reverseTree(node.x) };
    default:
      return node;
  }
}

/** Whether the tree can match the empty string (such a search stays a regex: it may match everywhere). */
export function matchesEmpty(node: Node): boolean {
  switch (node.k) {
    case "eps":
      return true;
    case "set":
      return false;
    case "cat":
      return node.xs.every(matchesEmpty);
    case "alt":
      return node.xs.some(matchesEmpty);
    case "rep":
      return node.min === 0 || matchesEmpty(node.x);
  }
}
