import type { ByteEncoding } from "../extract/text-blocks.js";
import { spellTerm, trieSource, wordEnd, wordStart } from "./byte-regex.js";
import { decodeExcerpt, perEncoding } from "./types.js";

/** Words looked for within `window` bytes either side of a match. */
export interface ContextMatcher {
  /** The first word found around `[offset, offset + length)`, decoded for a reason line, or undefined. */
  find(text: string, offset: number, length: number, enc: ByteEncoding): string | undefined;
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
    find(text, offset, length, enc) {
      const re = regex(enc);
      const from = Math.max(0, offset - window);
      // A slice, so that a miss scans the window only, not the rest of the block.
      const excerpt = text.slice(from, Math.min(text.length, offset + length + window));
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
