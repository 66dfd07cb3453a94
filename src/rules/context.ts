import type { ByteEncoding } from "../extract/text-blocks.js";
import type { MatchList, SearchSource } from "./automaton/searcher.js";
import { spellTerm, trieSource, wordEnd, wordStart } from "./byte-regex.js";
import { decodeExcerpt, perEncoding } from "./types.js";

/** Words looked for within `window` bytes either side of a match. */
export interface ContextMatcher {
  /** The search that finds the words in a whole block (one of the rule's searches). */
  search(enc: ByteEncoding): SearchSource;
  /**
   * The first word of `found` (the block's matches of {@link search}) lying within the window
   * around `[offset, offset + length)` and not overlapping it, decoded for a reason line, or
   * undefined. Word boundaries are those of the whole block, not of the window: the "EAN" of
   * "JEAN" is never a word. With `sameLine`, the window stops at line ends (a row's neighbours
   * are other records).
   */
  find(
    found: MatchList,
    text: string,
    offset: number,
    length: number,
    enc: ByteEncoding,
    sameLine?: boolean,
  ): string | undefined;
}

export function contextMatcher(words: string[], window: number): ContextMatcher {
  const search = perEncoding((enc) => ({
    source: `${wordStart(enc)}(?:${trieSource(
      words.map((w) => spellTerm(w)),
      enc,
    )})${wordEnd(enc)}`,
    flags: "g",
  }));
  return {
    search,
    find(found, text, offset, length, enc, sameLine = false) {
      const k = nearestInWindow(found, text, offset, length, window, sameLine);
      return k < 0 ? undefined : decodeExcerpt(text.slice(found[k], found[k + 1]), enc);
    },
  };
}

/**
 * The index in `pairs` (start/end pairs sorted by start) of the first pair lying within `window`
 * bytes of `[offset, offset + length)` and not overlapping it, or -1: the match itself is not its
 * own context ("matricule 123" yes, a word inside the value no). With `sameLine`, the window
 * stops at line ends.
 */
export function nearestInWindow(
  pairs: ArrayLike<number>,
  text: string,
  offset: number,
  length: number,
  window: number,
  sameLine: boolean,
): number {
  let from = Math.max(0, offset - window);
  let to = Math.min(text.length, offset + length + window);
  if (sameLine) {
    from = Math.max(from, text.lastIndexOf("\n", offset) + 1);
    const end = text.indexOf("\n", offset + length);
    if (end !== -1) to = Math.min(to, end);
  }
  let lo = 0;
  let hi = pairs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pairs[mid * 2] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo * 2; k < pairs.length; k += 2) {
    const start = pairs[k] as number;
    const end = pairs[k + 1] as number;
    if (start >= to) break;
    if (end <= to && (end <= offset || start >= offset + length)) return k;
  }
  return -1;
}
