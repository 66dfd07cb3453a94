import type { ByteEncoding } from "../extract/text-blocks.js";
import { spellTerm, trieSource, wordEnd, wordStart } from "./byte-regex.js";
import { decodeExcerpt, perEncoding } from "./types.js";

/** Words looked for within `window` bytes either side of a match. */
export interface ContextMatcher {
  /**
   * The first word found around `[offset, offset + length)`, decoded for a reason line, or
   * undefined. With `sameLine`, the window stops at line ends (a row's neighbours are other records).
   */
  find(text: string, offset: number, length: number, enc: ByteEncoding, sameLine?: boolean): string | undefined;
  /** Whether any of the words occurs anywhere in `text` (a prefilter for rules that require context). */
  anywhere(text: string, enc: ByteEncoding): boolean;
}

export function contextMatcher(words: string[], window: number): ContextMatcher {
  const regex = perEncoding(
    (enc) =>
      new RegExp(
        `${wordStart(enc)}(?:${trieSource(
          words.map((w) => spellTerm(w)),
          enc,
        )})${wordEnd(enc)}`,
        "g",
      ),
  );
  return {
    anywhere(text, enc) {
      const re = regex(enc);
      re.lastIndex = 0;
      return re.test(text);
    },
    find(text, offset, length, enc, sameLine = false) {
      const re = regex(enc);
      let from = Math.max(0, offset - window);
      let to = Math.min(text.length, offset + length + window);
      if (sameLine) {
        from = Math.max(from, text.lastIndexOf("\n", offset) + 1);
        const end = text.indexOf("\n", offset + length);
        if (end !== -1) to = Math.min(to, end);
      }
      // A slice, so that a miss scans the window only, not the rest of the block.
      const excerpt = text.slice(from, to);
      const start = offset - from;
      re.lastIndex = 0;
      for (let m = re.exec(excerpt); m !== null; m = re.exec(excerpt)) {
        // The match itself is not its own context ("matricule 123" yes, a word inside the value no).
        if (m.index + m[0].length <= start || m.index >= start + length) return decodeExcerpt(m[0], enc);
      }
      return undefined;
    },
  };
}
