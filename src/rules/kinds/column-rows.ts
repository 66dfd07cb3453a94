/** Rows and fields as a column rule walks them: where a CSV's records begin, a cell's text, HL7 segments. */
import type { TextBlock } from "../../extract/text-blocks.js";
import { type Layout, normalizeHeader, splitFields } from "../layout.js";
import { decodeExcerpt } from "../types.js";

/**
 * The header row is not a record ("nom" under nom is no one's name): where records begin in a
 * document's first block, after its first line that is not blank nor a comment when that line
 * holds the header (extractors may give rows only). Kept out of the row loop: with this test
 * inside it, Node 20's optimised loop (V8 11.3) ran 1,000 times slower from its fifth call on a
 * 16 MB block (216 s instead of 0.1 s; Node 24 does not).
 */
export function afterHeaderRow(block: TextBlock, layout: Layout & { kind: "delimited" }, column: number): number {
  const text = block.text;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf("\n", start);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(start, lineEnd).replace(/\r$/, "");
    if (line.trim() !== "" && !line.startsWith("#") && !line.startsWith("--")) {
      const cell = (splitFields(line, layout.delimiter)[column] ?? "").trim();
      return normalizeHeader(decodeExcerpt(cell, block.encoding)) === layout.headers[column] ? lineEnd + 1 : 0;
    }
    start = lineEnd + 1;
  }
  return 0;
}

/** Column `c`'s cell on the current line, trimmed: from the split of a quoted line, else from its bounds. */
export function cellText(
  text: string,
  from: Int32Array,
  to: Int32Array,
  c: number,
  quoted: string[] | undefined,
): string {
  return (quoted ? (quoted[c] ?? "") : text.slice(from[c] as number, to[c] as number)).trim();
}

/** HL7 v2 segments of a block (they end with CR, LF or both), with their offsets. */
export function* segments(text: string): Generator<{ index: number; line: string }> {
  const re = /[^\r\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) yield { index: m.index, line: m[0] };
}
