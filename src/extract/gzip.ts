import { type Duplex, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { CorruptError, checkExpansion, type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./limits.js";
import type { Extractor } from "./types.js";

/** gzip (and so `.tar.gz`): one document, expanded on the fly. */
export const gzipExtractor: Extractor = {
  format: "gzip",
  container: true,
  detect: (h) => h[0] === 0x1f && h[1] === 0x8b && h[2] === 0x08,
  async *extract(source, ctx) {
    yield { path: source.path, bytes: gunzip(source.stream, ctx.limits, ctx.counters) };
  },
};

/**
 * Expands a gzip stream on the fly with node:zlib, never whole in memory; stops with
 * ExpandLimitError past the size or ratio limit, and CorruptError on bad or cut data.
 */
export function gunzip(
  source: AsyncIterable<Uint8Array>,
  limits: ExpandLimits,
  counters: ExpandCounters,
): AsyncIterable<Uint8Array> {
  // 64 KiB output chunks rather than 16: a quarter of the async hops per expanded byte.
  return expandStream(source, createGunzip({ chunkSize: 64 * 1024 }), "gzip", limits, counters);
}

/**
 * Pipes `source` through a decompressing transform, counting compressed and expanded bytes
 * against the limits. Errors of the transform are CorruptError; errors of the source (a dead
 * server) pass as they are.
 */
export async function* expandStream(
  source: AsyncIterable<Uint8Array>,
  transform: Duplex,
  format: string,
  limits: ExpandLimits,
  counters: ExpandCounters,
): AsyncIterable<Uint8Array> {
  let ended = false;
  const counted = (async function* () {
    for await (const chunk of source) {
      counters.compressed += chunk.byteLength;
      yield chunk;
    }
    ended = true;
  })();
  const input = Readable.from(counted);
  let sourceError: unknown;
  input.on("error", (error) => {
    sourceError = error;
    transform.destroy(error);
  });
  input.pipe(transform);
  try {
    for await (const out of transform as AsyncIterable<Buffer>) {
      counters.expanded += out.byteLength;
      checkExpansion(counters, limits);
      yield out;
    }
  } catch (error) {
    if (error instanceof ExpandLimitError || error === sourceError) throw error;
    // A decoder that fails once all input was given was cut short (a sampled head, a truncated
    // file): say so, as zlib does, so that a sampled head is not called corrupt.
    const message = (error as Error).message;
    const cut = ended && !/unexpected end/i.test(message) ? "unexpected end of data: " : "";
    throw new CorruptError(`corrupt ${format}: ${cut}${message}`, { cause: error });
  } finally {
    input.destroy();
    transform.destroy();
  }
}
