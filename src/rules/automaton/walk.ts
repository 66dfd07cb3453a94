/**
 * The run-time half of a search's confirmation (see searcher.ts): walking back from each end
 * through the search's reversed automaton to its possible starts, then the search's own sticky
 * regex at each start not covered by the previous match. Reused scratch arrays, no allocation
 * per end or per start.
 */
import type { Dfa } from "./compile.js";

const EMPTY = new Int32Array(0);

/** A growable Int32Array: push returns the new length (kept by the caller, not here). */
export class Scratch {
  array = new Int32Array(1024);
  push(n: number, a: number, b?: number): number {
    if (n + 2 > this.array.length) {
      const grown = new Int32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[n++] = a;
    if (b !== undefined) this.array[n++] = b;
    return n;
  }
}

/**
 * The possible starts of matches ending at `ends` (increasing), sorted, as a view of `out`'s
 * array (valid until `out` is used again), and the bytes read; undefined once more than
 * `budget` bytes were read (the caller's regex then scans instead). Never throws.
 */
export function walkBack(
  ends: Int32Array,
  dfa: Dfa & { dead: number },
  input: Uint8Array,
  budget: number,
  out: Scratch,
): { starts: Int32Array; walked: number } | undefined {
  const { table, classes, dead, firstOutput: accepting } = dfa;
  let found = 0;
  let walked = 0;
  // One walk finds its starts in decreasing order and is reversed in place; walks from
  // increasing ends then mostly give increasing starts: sort only when they do not.
  let sorted = true;
  for (const end of ends) {
    const first = found;
    let s = 0;
    for (let j = end - 1; j >= 0; j--) {
      s = table[s + (classes[input[j] as number] as number)] as number;
      if (s === dead) break;
      if (s >= accepting) found = out.push(found, j);
      if (++walked > budget) return undefined;
    }
    const starts = out.array;
    for (let a = first, b = found - 1; a < b; a++, b--) {
      const t = starts[a] as number;
      starts[a] = starts[b] as number;
      starts[b] = t;
    }
    if (first > 0 && first < found && (starts[first] as number) < (starts[first - 1] as number)) sorted = false;
  }
  const starts = out.array.subarray(0, found);
  if (!sorted) starts.sort();
  return { starts, walked };
}

/** The matches of sticky `re` in `text` from `starts` (sorted), leftmost first, none overlapping. Never throws. */
export function matchesFrom(starts: Int32Array, re: RegExp, text: string, out: Scratch): Int32Array {
  let n = 0;
  let covered = 0;
  let last = -1;
  for (const start of starts) {
    if (start < covered || start === last) continue;
    last = start;
    re.lastIndex = start;
    // test(), not exec(): the end is lastIndex, and no match array is made (a third faster).
    if (!re.test(text)) continue;
    n = out.push(n, start, re.lastIndex);
    covered = re.lastIndex;
  }
  return n === 0 ? EMPTY : out.array.slice(0, n);
}
