/**
 * Trees of byte sets (parse.ts) → deterministic automata over byte classes: one unanchored
 * automaton for every search of a rule set, whose states say which searches may end at this
 * byte, and one anchored automaton per search, run backwards from an end to find the starts.
 * Thompson construction, then subset construction; states with outputs are numbered last so
 * that the run-time loop tests one bound per byte.
 */
import type { Node } from "./parse.js";

/** Too many states for a table that loads fast: the caller keeps regexes instead. */
export class AutomatonTooLarge extends Error {}

const MAX_NFA = 400_000;
const MAX_DFA = 40_000;

/** The 256 bytes split into classes that every set of every tree either contains or not. */
export function byteClasses(trees: Node[]): { classes: Uint8Array; width: number } {
  let classes = new Uint8Array(256);
  let width = 1;
  const visit = (n: Node) => {
    if (n.k === "set") {
      const split = new Map<number, number>();
      const next = new Uint8Array(256);
      for (let b = 0; b < 256; b++) {
        const key = (classes[b] as number) * 2 + (n.set[b] as number);
        let c = split.get(key);
        if (c === undefined) {
          c = split.size;
          split.set(key, c);
        }
        next[b] = c;
      }
      classes = next;
      width = split.size;
    } else if (n.k === "cat" || n.k === "alt") n.xs.forEach(visit);
    else if (n.k === "rep") visit(n.x);
  };
  trees.forEach(visit);
  return { classes, width };
}

/** An NFA with one labelled edge or a list of ε-edges per node. */
class Nfa {
  readonly eps: number[][] = [];
  readonly label: (Uint8Array | undefined)[] = []; // classes crossed, by class id
  readonly to: number[] = [];
  readonly accept: number[] = []; // search id, or -1

  constructor(
    private readonly classes: Uint8Array,
    private readonly width: number,
  ) {}

  node(): number {
    if (this.eps.length >= MAX_NFA) throw new AutomatonTooLarge(`more than ${MAX_NFA} NFA nodes`);
    this.eps.push([]);
    this.label.push(undefined);
    this.to.push(-1);
    this.accept.push(-1);
    return this.eps.length - 1;
  }

  /** Adds `n` after `from`; returns the node where it ends. */
  build(n: Node, from: number): number {
    switch (n.k) {
      case "eps":
        return from;
      case "set": {
        const s = this.node();
        const e = this.node();
        const label = new Uint8Array(this.width);
        for (let b = 0; b < 256; b++) if (n.set[b]) label[this.classes[b] as number] = 1;
        this.label[s] = label;
        this.to[s] = e;
        (this.eps[from] as number[]).push(s);
        return e;
      }
      case "cat":
        return n.xs.reduce((at, x) => this.build(x, at), from);
      case "alt": {
        const end = this.node();
        for (const x of n.xs) (this.eps[this.build(x, from)] as number[]).push(end);
        return end;
      }
      case "rep": {
        let at = from;
        for (let k = 0; k < n.min; k++) at = this.build(n.x, at);
        if (n.max < 0) {
          const loop = this.node();
          (this.eps[at] as number[]).push(loop);
          (this.eps[this.build(n.x, loop)] as number[]).push(loop);
          return loop;
        }
        const end = this.node();
        for (let k = n.min; k < n.max; k++) {
          (this.eps[at] as number[]).push(end);
          at = this.build(n.x, at);
        }
        (this.eps[at] as number[]).push(end);
        return end;
      }
    }
  }
}

/** A deterministic automaton over byte classes, with premultiplied state offsets (state × width). */
export interface Dfa {
  classes: Uint8Array;
  width: number;
  /** next = table[state + classes[byte]]; the start is 0. */
  table: Int32Array;
  /** The same next states as state indices (not premultiplied), when loaded from a stored file: see cache.ts. */
  next?: Uint16Array | Int32Array;
  /** States at or above this offset have outputs. */
  firstOutput: number;
  /** Per state index (offset / width), the searches that end there. */
  outputs: number[][];
}

/**
 * Subset construction. `unanchored`: a match may start at any byte (the start set is added at
 * every step) and the automaton never dies. Anchored: the empty set is a dead state, with no
 * output, numbered like any other.
 */
export function buildDfa(
  trees: Node[],
  classes: Uint8Array,
  width: number,
  unanchored: boolean,
  limit = MAX_DFA,
): Dfa & { dead: number } {
  const nfa = new Nfa(classes, width);
  const start = nfa.node();
  trees.forEach((t, id) => {
    const s = nfa.node();
    (nfa.eps[start] as number[]).push(s);
    nfa.accept[nfa.build(t, s)] = id;
  });
  const mark = new Int32Array(nfa.eps.length);
  let generation = 0;
  // An unanchored state always holds the start's closure (`base`): it is left out of the state's
  // key and its moves are computed once, which keeps the construction linear in the states.
  // The closure keeps only labelled and accepting nodes: two sets with the same of those behave alike.
  let base: number[] = [];
  const closure = (seeds: number[]): number[] => {
    generation++;
    for (const n of base) mark[n] = generation;
    const out: number[] = [];
    const stack = [...seeds];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      if (mark[n] === generation) continue;
      mark[n] = generation;
      if (nfa.label[n] || (nfa.accept[n] as number) >= 0) out.push(n);
      for (const e of nfa.eps[n] as number[]) if (mark[e] !== generation) stack.push(e);
    }
    return out.sort((a, b) => a - b);
  };
  const startSet = closure([start]);
  // The base is closed under ε and holds every node the start reaches; its marks stop the walk.
  if (unanchored) base = allReached(nfa, start);
  const moves = (set: number[]): number[][] => {
    const targets: number[][] = Array.from({ length: width }, () => []);
    for (const n of set) {
      const label = nfa.label[n];
      if (!label) continue;
      for (let c = 0; c < width; c++) if (label[c]) (targets[c] as number[]).push(nfa.to[n] as number);
    }
    return targets;
  };
  const baseMoves = unanchored ? moves(startSet) : undefined;
  const sets: number[][] = [];
  const ids = new Map<string, number>();
  const rows: Int32Array[] = [];
  const intern = (set: number[]): number => {
    const key = set.join(",");
    let id = ids.get(key);
    if (id === undefined) {
      if (sets.length >= limit) throw new AutomatonTooLarge(`more than ${limit} states`);
      id = sets.length;
      ids.set(key, id);
      sets.push(set);
    }
    return id;
  };
  intern(unanchored ? [] : startSet);
  for (let d = 0; d < sets.length; d++) {
    const targets = moves(sets[d] as number[]);
    const row = new Int32Array(width);
    for (let c = 0; c < width; c++) {
      const seeds = targets[c] as number[];
      if (baseMoves) for (const n of baseMoves[c] as number[]) seeds.push(n);
      row[c] = intern(closure(seeds));
    }
    rows.push(row);
  }
  // Renumber: states without outputs first, so that `state >= firstOutput` is the one test per byte.
  const outputsOf = sets.map((s) => s.map((n) => nfa.accept[n] as number).filter((a) => a >= 0));
  const order = sets.map((_, d) => d);
  order.sort((a, b) => Number((outputsOf[a] as number[]).length > 0) - Number((outputsOf[b] as number[]).length > 0));
  if (order[0] !== 0) throw new Error("the start state has outputs: a search matches the empty string");
  const index = new Int32Array(sets.length);
  order.forEach((d, i) => {
    index[d] = i;
  });
  const table = new Int32Array(sets.length * width);
  order.forEach((d, i) => {
    const row = rows[d] as Int32Array;
    for (let c = 0; c < width; c++) table[i * width + c] = (index[row[c] as number] as number) * width;
  });
  const firstOutputIndex = order.findIndex((d) => (outputsOf[d] as number[]).length > 0);
  const deadId = ids.get("");
  return {
    classes,
    width,
    table,
    firstOutput: (firstOutputIndex < 0 ? sets.length : firstOutputIndex) * width,
    outputs: order.map((d) => [...new Set(outputsOf[d] as number[])]),
    dead: deadId === undefined ? -1 : (index[deadId] as number) * width,
  };
}

/** Every node reachable from `from` through ε-edges, `from` included. */
function allReached(nfa: Nfa, from: number): number[] {
  const seen = new Set<number>([from]);
  const stack = [from];
  while (stack.length > 0)
    for (const e of nfa.eps[stack.pop() as number] as number[])
      if (!seen.has(e)) {
        seen.add(e);
        stack.push(e);
      }
  return [...seen];
}
