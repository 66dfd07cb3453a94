import unbzip2 from "unbzip2-stream";
import { CorruptError, checkExpansion } from "./limits.js";
import type { ExtractContext, Extractor } from "./types.js";

/** `BZh1`–`BZh9`, then the block magic (π in BCD). */
const isBz2 = (h: Uint8Array) =>
  h[0] === 0x42 &&
  h[1] === 0x5a &&
  h[2] === 0x68 &&
  (h[3] as number) >= 0x31 &&
  (h[3] as number) <= 0x39 &&
  h[4] === 0x31 &&
  h[5] === 0x41;

/**
 * What unbzip2-stream 1.4's messages mean (lib/bzip2.js), in plain words: most of its
 * messages are jokes (`meow i'm a kitty, that's an error`) and must not reach a report.
 */
const REASONS: [RegExp, string][] = [
  [/crc32 do not match/, "data error (CRC mismatch)"],
  [/eek not valid bzip data/, "bad block header"],
  [/unsupported obsolete version/, "unsupported randomised block (bzip2 0.9)"],
  [/Initial position larger|I'm a monkey/, "data error (block origin out of range)"],
  [/^another error$/, "data error (bad number of Huffman tables)"],
  [/^meh$|meow i'm a kitty/, "data error (bad Huffman selectors)"],
  [/whoops another error/, "data error (bad Huffman selector)"],
  [/I gave up a while ago/, "data error (bad Huffman code lengths)"],
  [/rawr i'm a dinosaur|moo i'm a cow/, "data error (bad Huffman code)"],
  [/^Boom\.$|I can't think of anything/, "data error (block longer than its declared size)"],
];
/** A stream header where another stream should start: bytes after the last one are not bz2. */
const TRAILING = /No magic number found|Not a BZIP archive/;

/**
 * bzip2 by `unbzip2-stream` (pure JS, streaming): one document, expanded on the fly. Errors
 * become plain reasons (`corrupt bz2: data error (CRC mismatch)`); a stream cut short is
 * `corrupt bz2: unexpected end of data` (as a sampled head is); bytes after the last stream
 * that are not one leave the object partial, as `bzip2 -d` ignores them with a warning.
 */
export const bz2Extractor: Extractor = {
  format: "bz2",
  container: true,
  detect: isBz2,
  async *extract(source, ctx) {
    yield { path: source.path, bytes: bunzip2(source.stream, ctx) };
  },
};

async function* bunzip2(source: AsyncIterable<Uint8Array>, ctx: ExtractContext): AsyncIterable<Uint8Array> {
  const decoder = unbzip2();
  let out: Buffer[] = [];
  let failure: Error | undefined;
  // A `through` stream decodes in write() and emits what it decoded before returning.
  decoder.on("data", (block: Buffer) => out.push(block));
  decoder.on("error", (error: Error) => {
    failure ??= error;
  });
  const settle = function* (ended: boolean) {
    const blocks = out;
    out = [];
    for (const block of blocks) {
      ctx.counters.expanded += block.byteLength;
      checkExpansion(ctx.counters, ctx.limits);
      yield block;
    }
    if (!failure) return;
    if (TRAILING.test(failure.message)) {
      ctx.partial("bz2: trailing garbage after the last stream (ignored)");
      return true;
    }
    throw new CorruptError(`corrupt bz2: ${reason(failure, ended)}`, { cause: failure });
  };
  for await (const chunk of source) {
    ctx.counters.compressed += chunk.byteLength;
    decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (yield* settle(false)) return;
  }
  decoder.end();
  yield* settle(true);
}

function reason(error: Error, ended: boolean): string {
  const known = REASONS.find(([pattern]) => pattern.test(error.message));
  if (known) return known[1];
  // The bit reader runs past the last buffer (a TypeError) when the data stops mid-block.
  if (/ended prematurely/.test(error.message) || (ended && error instanceof TypeError)) return "unexpected end of data";
  return `data error (${error.message})`;
}
