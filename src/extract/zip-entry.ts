import type { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import type { Entry, ZipFile } from "yauzl";
import { CorruptError, checkExpansion, type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./limits.js";
import { type RandomAccess, readRange } from "./random-access.js";

const LOCAL_HEADER = 0x04034b50;

/**
 * The expanded bytes of one zip entry, checked against the CRC-32 of the central directory once
 * read whole. A local header whose signature is damaged but whose file name still matches the
 * central directory's is read past (the data start is in it), and `onNote` tells it; any other
 * bad header or data is CorruptError naming the entry. Past the size or ratio limit,
 * ExpandLimitError.
 */
export async function* readEntry(
  zip: ZipFile,
  ranges: RandomAccess,
  entry: Entry,
  limits: ExpandLimits,
  counters: ExpandCounters,
  onNote: (note: string) => void,
): AsyncIterable<Uint8Array> {
  const name = `'${entry.fileName}'`;
  const corrupt = (error: unknown) =>
    new CorruptError(`corrupt zip entry ${name}: ${(error as Error).message}`, { cause: error });
  const stream = await open(zip, entry).catch(async (error: Error) => {
    if (!/invalid local file header signature/.test(error.message)) throw corrupt(error);
    const start = await dataStartPastDamage(ranges, entry);
    if (start === undefined) throw corrupt(error);
    onNote(`zip: entry ${name} has a damaged local header; read by its central directory record`);
    return lowLevel(zip, entry, start).catch((e: Error) => {
      throw corrupt(e);
    });
  });
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      counters.expanded += chunk.byteLength;
      checkExpansion(counters, limits);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
    throw corrupt(error);
  } finally {
    stream.destroy();
  }
  if (crc !== entry.crc32) throw corrupt(new Error("CRC-32 mismatch"));
}

function open(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
  );
}

function lowLevel(zip: ZipFile, entry: Entry, start: number): Promise<Readable> {
  if (entry.isEncrypted()) return Promise.reject(new Error("entry is encrypted"));
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    return Promise.reject(new Error(`unsupported compression method: ${entry.compressionMethod}`));
  return new Promise((resolve, reject) =>
    zip.openReadStreamLowLevel(
      start,
      entry.compressedSize,
      0,
      entry.compressedSize,
      entry.compressionMethod === 8,
      entry.uncompressedSize,
      (error, s) => (error ? reject(error) : resolve(s)),
    ),
  );
}

/**
 * Where an entry's data starts when its local header's signature is damaged: only when the
 * header still names the same file as the central directory (then its lengths are trusted).
 */
async function dataStartPastDamage(ranges: RandomAccess, entry: Entry): Promise<number | undefined> {
  const at = entry.relativeOffsetOfLocalHeader;
  const header = await readRange(ranges, at, 30 + entry.fileNameLength).catch(() => undefined);
  if (!header || header.length < 30 + entry.fileNameLength || header.readUInt32LE(0) === LOCAL_HEADER) return;
  if (header.readUInt16LE(26) !== entry.fileNameLength) return;
  if (!header.subarray(30).equals(entry.fileNameRaw)) return;
  const start = at + 30 + entry.fileNameLength + header.readUInt16LE(28);
  return start + entry.compressedSize <= ranges.size ? start : undefined;
}
