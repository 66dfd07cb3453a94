import { crc32, createInflateRaw } from "node:zlib";
import { ByteReader } from "./byte-reader.js";
import { CorruptError, checkExpansion, type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./limits.js";

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const RESERVED = 0xe0;
/** What feeding the inflater failed on: the source's own error, kept apart from the data's. */
class SourceFailure extends Error {
  constructor(readonly error: unknown) {
    super("source failed");
  }
}

/**
 * Expands a gzip stream member by member (RFC 1952), on the fly: each member's header and
 * trailer (CRC-32, size) are read here, its deflate data by node:zlib's raw inflater. node's
 * own Gunzip reads concatenated members too, but on trailing garbage it fails with `incorrect
 * header check` and drops what it had decoded from the same input chunk (measured: nothing
 * kept of a one-member file). Here every member is kept; bytes after the last one that are
 * not zeros (padding, which gzip ignores too) are reported through `onTrailing`
 * (`gzip: trailing garbage after 2 members (15 bytes ignored)`). Throws ExpandLimitError past
 * the size or ratio limit, CorruptError on bad or cut data (what came before stays given), and
 * the source's own error as it is.
 */
export async function* gunzipMembers(
  source: AsyncIterable<Uint8Array>,
  limits: ExpandLimits,
  counters: ExpandCounters,
  onTrailing: (reason: string) => void,
): AsyncIterable<Uint8Array> {
  const input = new ByteReader(source, (n) => {
    counters.compressed += n;
  });
  let members = 0;
  const where = () => (members > 0 ? ` (member ${members + 1})` : "");
  try {
    for (;;) {
      await skipHeader(input, where);
      let crc = 0;
      let size = 0;
      for await (const out of inflateMember(input, where)) {
        crc = crc32(out, crc);
        size += out.byteLength;
        counters.expanded += out.byteLength;
        checkExpansion(counters, limits);
        yield out;
      }
      const trailer = await input.exact(8);
      if (trailer.length < 8) throw new CorruptError(`corrupt gzip: unexpected end of file${where()}`);
      if (trailer.readUInt32LE(0) !== crc) throw new CorruptError(`corrupt gzip: incorrect data check${where()}`);
      if (trailer.readUInt32LE(4) !== size % 2 ** 32)
        throw new CorruptError(`corrupt gzip: incorrect length check${where()}`);
      members++;
      const next = await input.exact(2);
      if (next.length === 0) return;
      input.unshift(next);
      if (next[0] === 0x1f && next[1] === 0x8b) continue;
      const rest = await input.drain();
      if (!rest.zeros)
        onTrailing(
          `gzip: trailing garbage after ${members} member${members === 1 ? "" : "s"} (${rest.bytes} bytes ignored)`,
        );
      return;
    }
  } finally {
    await input.close();
  }
}

/** Reads past a member's header; CorruptError when it is not one. */
async function skipHeader(input: ByteReader, where: () => string): Promise<void> {
  const fixed = await input.exact(10);
  const cut = () => new CorruptError(`corrupt gzip: unexpected end of file${where()}`);
  if (fixed.length < 10) throw cut();
  if (fixed[0] !== 0x1f || fixed[1] !== 0x8b) throw new CorruptError(`corrupt gzip: incorrect header check${where()}`);
  if (fixed[2] !== 8) throw new CorruptError(`corrupt gzip: unknown compression method${where()}`);
  const flags = fixed[3] as number;
  if (flags & RESERVED) throw new CorruptError(`corrupt gzip: reserved header flags set${where()}`);
  if (flags & FEXTRA) {
    const length = await input.exact(2);
    if (length.length < 2) throw cut();
    const extra = length.readUInt16LE(0);
    if ((await input.exact(extra)).length < extra) throw cut();
  }
  if (flags & FNAME && !(await input.skipPastZero())) throw cut();
  if (flags & FCOMMENT && !(await input.skipPastZero())) throw cut();
  if (flags & FHCRC && (await input.exact(2)).length < 2) throw cut();
}

/**
 * The deflate data of one member, streamed. The raw inflater stops at the end of the deflate
 * stream and counts what it consumed (`bytesWritten`): the bytes of the last chunk past it are
 * given back to `input`, for the trailer and the next member.
 */
async function* inflateMember(input: ByteReader, where: () => string): AsyncIterable<Buffer> {
  const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
  let written = 0;
  const feeding = (async () => {
    for (;;) {
      const chunk = await input.chunk().catch((error: unknown) => {
        throw new SourceFailure(error);
      });
      if (!chunk) {
        inflater.end();
        return;
      }
      written += chunk.byteLength;
      await new Promise<void>((resolve, reject) => inflater.write(chunk, (e) => (e ? reject(e) : resolve())));
      const unread = written - inflater.bytesWritten;
      if (unread > 0) {
        input.unshift(chunk.subarray(chunk.byteLength - unread));
        return;
      }
    }
  })();
  // The inflater's own error comes through its output; a source error has to be passed on.
  feeding.catch((error: unknown) => {
    if (error instanceof SourceFailure) inflater.destroy(error);
  });
  try {
    for await (const out of inflater as AsyncIterable<Buffer>) yield out;
    await feeding;
  } catch (error) {
    if (error instanceof SourceFailure) throw error.error;
    if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
    throw new CorruptError(`corrupt gzip: ${(error as Error).message}${where()}`, { cause: error });
  } finally {
    inflater.destroy();
  }
}
