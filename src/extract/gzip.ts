import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** Limits on what a compressed object may expand to. */
export interface ExpandLimits {
  /** Most bytes one object may expand to. Default 1 GiB. */
  maxExpandedBytes: number;
  /** Most expanded bytes per compressed byte before a bomb is suspected. Default 100. */
  maxRatio: number;
}

export const DEFAULT_EXPAND_LIMITS: ExpandLimits = { maxExpandedBytes: 1024 ** 3, maxRatio: 100 };

/** A limit was reached: the object is partial for this reason, and the scan goes on. */
export class ExpandLimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ExpandLimitError";
  }
}

/** The bytes are not a valid gzip stream (or it ends early). */
export class CorruptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CorruptError";
  }
}

/** What the sniffing step found and did. */
export interface Unwrapped {
  /** The bytes to scan: the object itself, or what it expands to. */
  bytes: AsyncIterable<Uint8Array>;
  /** `gzip` when the object was decompressed. */
  format(): string | undefined;
  /** Expanded bytes so far (0 when not compressed). */
  expanded(): number;
}

const isGzip = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;

/**
 * Sniffs the first chunk by magic bytes; a gzip stream is expanded on the fly (node:zlib),
 * never whole in memory, and stops with ExpandLimitError past the size or ratio limit.
 */
export function unwrap(source: AsyncIterable<Uint8Array>, limits: ExpandLimits = DEFAULT_EXPAND_LIMITS): Unwrapped {
  let format: string | undefined;
  let expanded = 0;
  let compressed = 0;
  async function* bytes(): AsyncIterable<Uint8Array> {
    const it = source[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    const rest = (async function* () {
      yield first.value;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    })();
    if (!isGzip(first.value)) {
      yield* rest;
      return;
    }
    format = "gzip";
    const counted = (async function* () {
      for await (const chunk of rest) {
        compressed += chunk.byteLength;
        yield chunk;
      }
    })();
    const input = Readable.from(counted);
    const gunzip = createGunzip();
    input.on("error", (error) => gunzip.destroy(error));
    input.pipe(gunzip);
    try {
      for await (const out of gunzip as AsyncIterable<Buffer>) {
        expanded += out.byteLength;
        if (expanded > limits.maxExpandedBytes) {
          throw new ExpandLimitError(`expansion limit: more than ${limits.maxExpandedBytes} bytes expanded`);
        }
        // A small slack, so that a tiny but legitimate archive is not called a bomb.
        if (expanded > limits.maxRatio * compressed + 1024 * 1024) {
          throw new ExpandLimitError(`bomb-suspected: expands more than ${limits.maxRatio}:1`);
        }
        yield out;
      }
    } catch (error) {
      if (error instanceof ExpandLimitError) throw error;
      if ((error as NodeJS.ErrnoException).code?.startsWith("Z_")) {
        throw new CorruptError(`corrupt gzip: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    } finally {
      input.destroy();
      gunzip.destroy();
    }
  }
  return { bytes: bytes(), format: () => format, expanded: () => expanded };
}
