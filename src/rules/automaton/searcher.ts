/**
 * Every search of a rule set in one pass over a block's bytes, with the same matches as each
 * search's own global regex loop (`exec` from `lastIndex`, leftmost first, no overlap).
 *
 * How: one unanchored automaton over all the searches, look-arounds dropped, reports every byte
 * where some search may end (a superset). For a search that is asked for, each such end is
 * walked back through that search's reversed automaton to its possible starts; the starts are
 * sorted and the search's own sticky regex is tried at each start not covered by the previous
 * match. A regex loop would try every position; any position where it can match is among those
 * starts, and the others fail, so the two find the same matches. The regex keeps the last word
 * on look-arounds, lazy quantifiers and alternation order.
 */
import { AutomatonTooLarge, buildDfa, byteClasses, type Dfa } from "./compile.js";
import { leadingPart, loosen } from "./looser.js";
import { matchesEmpty, type Node, parseRegex, reverseTree, UnsupportedPattern } from "./parse.js";
import { matchesFrom, Scratch, walkBack } from "./walk.js";
import { createRunner, type Runner } from "./wasm/runner.js";

/** A regex source for byte strings, as a rule declares it. */
export interface SearchSource {
  source: string;
  /** "g" or "gi". */
  flags: string;
  /**
   * The automaton reads only the search's leading bytes (a label: `IBAN`), the regex the rest:
   * for a search whose value part would take the shared automaton past its limit. At least 3
   * leading bytes in every alternative, or the search runs as its own regex.
   */
  prefix?: boolean;
}

/** Matches of one search in one block: start and end byte offsets, in pairs, in order. */
export type MatchList = Int32Array;

/** A block's searches, answered on demand and then kept. */
export interface BlockSearch {
  /** The matches of search `id`. Never throws. */
  matches(id: number): MatchList;
  /** Bytes read walking back from ends so far, for all searches (bounded: see WALK_BUDGET_PER_BYTE). */
  walked(): number;
}

/** Why a search is not in the automaton (it then runs as its own regex). */
export interface Fallback {
  id: number;
  reason: string;
}

export interface Searcher {
  /** The searches of one block: `text` one char per byte, `bytes` the same bytes when at hand (saves encoding them). */
  search(text: string, bytes?: Uint8Array): BlockSearch;
  readonly fallbacks: readonly Fallback[];
  readonly states: number;
  /** "wasm" or "ts": which loop runs the automaton (none when every search is a regex). */
  readonly loop: string | undefined;
}

const EMPTY = new Int32Array(0);
/** A search whose own forward automaton has more states than this is loosened. */
const LOOSEN_ABOVE = 2000;
/** Bytes the backward walks of one search may read per byte of the block before the regex takes over. */
const WALK_BUDGET_PER_BYTE = 8;

/** What compiling a list of searches gives: plain data, so that it can be cached (cache.ts). */
export interface CompiledSearches {
  /** Per search: its index among the automaton's searches, or -1 when it runs as its regex. */
  slot: number[];
  forward?: Dfa;
  /** Per automaton search, its reversed anchored automaton. */
  reverse: (Dfa & { dead: number })[];
  fallbacks: Fallback[];
}

/** Builds the automata for `sources` (tens to hundreds of milliseconds: see cache.ts). Never throws for a valid regex. */
export function compileSearches(sources: readonly SearchSource[]): CompiledSearches {
  const fallbacks: Fallback[] = [];
  const trees: (Node | undefined)[] = sources.map((s, id) => {
    try {
      const parsed = parseRegex(s.source, s.flags);
      if (matchesEmpty(parsed)) throw new UnsupportedPattern("can match the empty string");
      if (!s.prefix) return parsed;
      // Every match starts with a match of its leading part: the walk back from that part's end
      // finds the match's start, and the regex reads the rest from there.
      const tree = leadingPart(parsed);
      if (!tree) throw new UnsupportedPattern("prefix: fewer than 3 leading bytes");
      return tree;
    } catch (error) {
      if (!(error instanceof UnsupportedPattern)) throw error;
      fallbacks.push({ id, reason: error.message });
      return undefined;
    }
  });
  let inAutomaton = trees.flatMap((t, id) => (t ? [id] : []));
  let forward: Dfa | undefined;
  let reverse: (Dfa & { dead: number })[] = [];
  if (inAutomaton.length > 0) {
    const used = inAutomaton.map((id) => trees[id] as Node);
    const { classes, width } = byteClasses(used.flatMap((t) => [t, loosen(t)]));
    try {
      // A search whose own automaton is large gets a looser one forward (see loosen()).
      const forwardTrees = used.map((t) => {
        try {
          buildDfa([t], classes, width, true, LOOSEN_ABOVE);
          return t;
        } catch (error) {
          if (error instanceof AutomatonTooLarge) return loosen(t);
          throw error;
        }
      });
      forward = buildDfa(forwardTrees, classes, width, true);
      reverse = used.map((t) => buildDfa([reverseTree(t)], classes, width, false));
    } catch (error) {
      if (!(error instanceof AutomatonTooLarge)) throw error;
      for (const id of inAutomaton) fallbacks.push({ id, reason: error.message });
      inAutomaton = [];
      forward = undefined;
      reverse = [];
    }
  }
  const slot = sources.map(() => -1);
  inAutomaton.forEach((id, k) => {
    slot[id] = k;
  });
  return { slot, forward, reverse, fallbacks: fallbacks.sort((x, y) => x.id - y.id) };
}

/**
 * A searcher for `sources`, from `compiled` (compileSearches of the same sources); without it,
 * every search runs as its own regex (the reference the automaton is tested against).
 */
export function createSearcher(sources: readonly SearchSource[], compiled?: CompiledSearches): Searcher {
  const global = sources.map((s) => new RegExp(s.source, s.flags));
  const sticky = sources.map((s) => new RegExp(s.source, `${s.flags.replace("g", "")}y`));
  const forward = compiled?.forward;
  const reverse = compiled?.reverse ?? [];
  const slot = compiled?.slot ?? sources.map(() => -1);
  const fallbacks = compiled?.fallbacks ?? sources.map((_, id) => ({ id, reason: "automaton off" }));
  const inAutomaton = slot.filter((k) => k >= 0);
  // WebAssembly when its module loads, else the same loop in TypeScript (wasm/runner.ts).
  const runner = forward && createRunner(forward);
  // Per state, its one output, or -1: most states end one search (no loop per hit; 438 → 422 ms for
  // the forward pass and its dispatch on figure 3's file).
  const single = Int32Array.from(forward?.outputs ?? [], (o) => (o.length === 1 ? (o[0] as number) : -1));

  // Scratch arrays, reused by every block: each is filled and copied out within one synchronous
  // call (runForward, confirm), so no block sees another's. Growing number[]s per block made
  // the searcher a third of the scan's allocations (300 MB for 110 MB read on figure 2's folder).
  const pairHits = new Scratch();
  const startList = new Scratch();
  const matchList = new Scratch();

  const regexLoop = (id: number, text: string): MatchList => {
    const re = global[id] as RegExp;
    const out: number[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      out.push(m.index, m.index + m[0].length);
      if (m[0].length === 0) re.lastIndex++;
    }
    return out.length === 0 ? EMPTY : Int32Array.from(out);
  };

  return {
    fallbacks,
    states: forward ? forward.outputs.length : 0,
    loop: runner && (runner.fallback ? `ts (${runner.fallback})` : runner.engine),
    search(text, bytes) {
      const cache = new Map<number, MatchList>();
      let walked = 0;
      let ends: { at: Int32Array; from: Int32Array } | undefined;
      // The loop and the walks read bytes: typed-array loads beat charCodeAt (a fifth faster).
      let input = bytes;
      const blockBytes = () => {
        input ??= Buffer.from(text, "latin1");
        return input;
      };
      // Every search's ends in one array, grouped by search (a counting sort of the loop's
      // hits): one allocation per block, not an array per search grown push by push.
      const runForward = () => {
        const { width, outputs } = forward as Dfa;
        let n = 0;
        // The loop only reports (end, state); sorting hits out per search comes after.
        (runner as Runner).run(blockBytes(), (pairs) => {
          for (let h = 0; h < pairs.length; h += 2) {
            const end = pairs[h] as number;
            const state = (pairs[h + 1] as number) / width;
            const k = single[state] as number;
            if (k >= 0) n = pairHits.push(n, end, k);
            else for (const o of outputs[state] as number[]) n = pairHits.push(n, end, o);
          }
        });
        const hits = pairHits.array;
        const from = new Int32Array(inAutomaton.length + 1);
        for (let i = 1; i < n; i += 2) (from[(hits[i] as number) + 1] as number)++;
        for (let k = 1; k <= inAutomaton.length; k++) from[k] = (from[k] as number) + (from[k - 1] as number);
        const at = new Int32Array(n >> 1);
        const next = from.slice(0, inAutomaton.length);
        // In order of the loop's hits: each search's ends stay increasing.
        for (let i = 0; i < n; i += 2) at[(next[hits[i + 1] as number] as number)++] = hits[i] as number;
        return { at, from };
      };
      const confirm = (id: number, k: number): MatchList => {
        ends ??= runForward();
        const list = ends.at.subarray(ends.from[k], ends.from[k + 1]);
        if (list.length === 0) return EMPTY;
        // Hostile text (long runs a search can walk back through, before many ends) could make
        // the walks cost more than the regex's own scan: past that budget the regex scans instead.
        const budget = WALK_BUDGET_PER_BYTE * text.length + 65_536;
        const walk = walkBack(list, reverse[k] as Dfa & { dead: number }, blockBytes(), budget, startList);
        if (!walk) {
          walked += budget;
          return regexLoop(id, text);
        }
        walked += walk.walked;
        return matchesFrom(walk.starts, sticky[id] as RegExp, text, matchList);
      };
      return {
        walked: () => walked,
        matches(id) {
          let found = cache.get(id);
          if (!found) {
            const k = slot[id] ?? -1;
            found = k < 0 ? regexLoop(id, text) : confirm(id, k);
            cache.set(id, found);
          }
          return found;
        },
      };
    },
  };
}
