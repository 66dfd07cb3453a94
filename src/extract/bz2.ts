import { Duplex, PassThrough } from "node:stream";
import unbzip2 from "unbzip2-stream";
import { expandStream } from "./gzip.js";
import type { Extractor } from "./types.js";

/** `BZh1`–`BZh9`, then the block magic (π in BCD). */
const isBz2 = (h: Uint8Array) =>
  h[0] === 0x42 &&
  h[1] === 0x5a &&
  h[2] === 0x68 &&
  (h[3] as number) >= 0x31 &&
  (h[3] as number) <= 0x39 &&
  h[4] === 0x31 &&
  h[5] === 0x41;

/** bzip2 by `unbzip2-stream` (pure JS, streaming): one document, expanded on the fly. */
export const bz2Extractor: Extractor = {
  format: "bz2",
  container: true,
  detect: isBz2,
  async *extract(source, ctx) {
    yield {
      path: source.path,
      bytes: expandStream(source.stream, bunzip2(), "bz2", ctx.limits, ctx.counters),
    };
  },
};

/** unbzip2-stream is a classic `through` stream, not async-iterable: give it a modern readable side. */
function bunzip2(): Duplex {
  const inner = unbzip2();
  const readable = new PassThrough();
  inner.on("error", (error: Error) => readable.destroy(error));
  inner.pipe(readable);
  return Duplex.from({ writable: inner as unknown as NodeJS.WritableStream, readable });
}
