import { ExpandLimitError } from "./limits.js";
import type { Source } from "./types.js";

/** Ranged reads of one object or buffer: how zip central directories, Parquet footers and PDF xrefs are reached. */
export interface RandomAccess {
  size: number;
  /** The bytes of [offset, offset + length), streamed. Fails as the provider read fails. */
  read(offset: number, length: number): AsyncIterable<Uint8Array>;
}

/** Formats that need random access, found inside another archive, are buffered up to this. */
export const MAX_BUFFERED = 64 * 1024 * 1024;

/** Reads a range whole. */
export async function readRange(source: RandomAccess, offset: number, length: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source.read(offset, length)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Buffers a stream (an archive entry) up to {@link MAX_BUFFERED}, for a format that needs random access. */
export async function bufferAll(bytes: AsyncIterable<Uint8Array>, format: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of bytes) {
    size += chunk.byteLength;
    if (size > MAX_BUFFERED)
      throw new ExpandLimitError(`nested-${format}-limit: a ${format} inside an archive over ${MAX_BUFFERED} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Random access over a buffer. */
export function bufferAccess(buffer: Buffer): RandomAccess {
  return {
    size: buffer.length,
    async *read(offset, length) {
      yield buffer.subarray(offset, offset + length);
    },
  };
}

/**
 * Random access to what an extractor was given: the object's own ranged reads (its planned
 * stream is then closed unread), or, for what lies inside an archive, the stream buffered up to
 * {@link MAX_BUFFERED} (past it, ExpandLimitError).
 */
export async function randomAccessTo(source: Source, format: string): Promise<RandomAccess> {
  if (!source.ranges) return bufferAccess(await bufferAll(source.stream, format));
  await source.close();
  return source.ranges;
}
