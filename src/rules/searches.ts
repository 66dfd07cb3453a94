/**
 * Every rule's searches in one searcher per rule set and encoding, built on first use: a rule's
 * i-th search is the searcher's `offset + i`.
 */
import type { ByteEncoding } from "../extract/text-blocks.js";
import { loadOrCompile } from "./automaton/cache.js";
import { createSearcher, type Searcher, type SearchSource } from "./automaton/searcher.js";
import type { Rule } from "./types.js";

export interface RuleSearches {
  searcher: Searcher;
  /** Per rule, the index of its first search. */
  offsets: number[];
}

/** `regex` runs each search as its own regex: the engine before the automaton, kept as the reference. */
export type SearchEngine = "automaton" | "regex";

const built = new WeakMap<readonly Rule[], Map<string, RuleSearches>>();

/** The searcher of `rules` for `enc`. Throws only what a rule's own compile would have thrown at load. */
export function ruleSearches(
  rules: readonly Rule[],
  enc: ByteEncoding,
  engine: SearchEngine = "automaton",
): RuleSearches {
  let byEncoding = built.get(rules);
  if (!byEncoding) {
    byEncoding = new Map();
    built.set(rules, byEncoding);
  }
  const key = `${engine}:${enc}`;
  let found = byEncoding.get(key);
  if (!found) {
    const offsets: number[] = [];
    const sources: SearchSource[] = [];
    for (const r of rules) {
      offsets.push(sources.length);
      sources.push(...r.searches(enc));
    }
    const searcher = createSearcher(sources, engine === "automaton" ? loadOrCompile(sources) : undefined);
    found = { searcher, offsets };
    byEncoding.set(key, found);
  }
  return found;
}
