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
      let from = Math.max(0, offset - window);
      let to = Math.min(text.length, offset + length + window);
      if (sameLine) {
        from = Math.max(from, text.lastIndexOf("\n", offset) + 1);
        const end = text.indexOf("\n", offset + length);
        if (end !== -1) to = Math.min(to, end);
      }
      // The first match starting in the window: matches come in pairs, sorted by start.
      let lo = 0;
      let hi = found.length / 2;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((found[mid * 2] as number) < from) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo * 2; k < found.length; k += 2) {
        const start = found[k] as number;
        const end = found[k + 1] as number;
        if (start >= to) break;
        if (end > to) continue;
        // The match itself is not its own context ("matricule 123" yes, a word inside the value no).
        if (end <= offset || start >= offset + length) return decodeExcerpt(text.slice(start, end), enc);
      }
      return undefined;
    },
  };
}
