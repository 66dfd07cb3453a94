import { Readable } from "node:stream";
import yauzl, { type Entry, RandomAccessReader, type ZipFile } from "yauzl";
import { CorruptError, countEntry } from "./limits.js";
import { officeFormats } from "./office.js";
import { type RandomAccess, randomAccessTo, readRange } from "./random-access.js";
import type { Document, ExtractContext, Extractor } from "./types.js";
import { readEntry } from "./zip-entry.js";

export const isZip = (h: Uint8Array) =>
  h[0] === 0x50 && h[1] === 0x4b && (h[2] === 0x03 || h[2] === 0x05) && (h[3] === 0x04 || h[3] === 0x06);

/** An open zip: its file entries by name, and a way to expand one. */
export interface ZipArchive {
  entries: Map<string, Entry>;
  /**
   * The expanded bytes of one entry; counts towards the object's entry, size and ratio limits
   * (ExpandLimitError). A bad local header or bad data is CorruptError naming the entry: the
   * other entries can still be read.
   */
  read(entry: Entry): AsyncIterable<Uint8Array>;
}

/**
 * Zip by yauzl. The object itself is read through ranged reads (the central directory at the
 * tail, then entries on demand); a zip inside another archive is buffered. Office files (xlsx,
 * docx) are zips too: their parts are read by the matching reader in `office.ts`.
 */
export const zipExtractor: Extractor = {
  format: "zip",
  container: true,
  detect: isZip,
  async *extract(source, ctx) {
    const ranges = await randomAccessTo(source, "zip");
    const file = await zipFromRanges(ranges);
    // Sampling limits the object itself; an entry of another archive is read whole.
    const budget = source.ranges ? ctx.budget : Number.POSITIVE_INFINITY;
    try {
      const entries = await listEntries(file);
      const archive: ZipArchive = {
        entries: new Map(entries.map((e) => [e.fileName, e])),
        read: (entry) => {
          countEntry(ctx.counters, ctx.limits);
          ctx.counters.compressed += entry.compressedSize;
          return readEntry(file, ranges, entry, ctx.limits, ctx.counters, ctx.partial);
        },
      };
      const office = officeFormats.find((f) => f.detect(archive.entries));
      if (office) {
        ctx.format(office.format);
        yield* office.read(archive, ctx, budget, source.path);
        return;
      }
      yield* plainEntries(archive, entries, ctx, budget, source.path);
    } finally {
      file.close();
    }
  },
};

/** Every file entry, in central-directory order, until `budget` compressed bytes were read (sampling). */
async function* plainEntries(
  archive: ZipArchive,
  entries: Entry[],
  ctx: ExtractContext,
  budget: number,
  parent?: string,
): AsyncIterable<Document> {
  let spent = 0;
  let read = 0;
  for (const entry of entries) {
    if (spent >= budget) break;
    read++;
    spent += entry.compressedSize;
    yield { path: parent ? `${parent}/${entry.fileName}` : entry.fileName, bytes: archive.read(entry) };
  }
  if (read < entries.length)
    ctx.partial(`zip: central directory and ${read} of ${entries.length} entries read (sampling)`);
}

class RangeReader extends RandomAccessReader {
  constructor(private readonly source: RandomAccess) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.source.read(start, end - start));
  }
}

/** Opens a zip over ranged reads: the central directory at the tail first, then entries on demand. */
function zipFromRanges(source: RandomAccess): Promise<ZipFile> {
  return open((cb) =>
    yauzl.fromRandomAccessReader(new RangeReader(source), source.size, { lazyEntries: true, autoClose: false }, cb),
  );
}

function open(start: (cb: (error: Error | null, zip: ZipFile) => void) => void): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    start((error, zip) =>
      error ? reject(new CorruptError(`corrupt zip: ${error.message}`, { cause: error })) : resolve(zip),
    ),
  );
}

/** The file entries of the central directory (metadata only; directories left out). */
async function listEntries(zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (let entry = await next(zip); entry; entry = await next(zip))
    if (!entry.fileName.endsWith("/")) entries.push(entry);
  return entries;
}

function next(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (done: () => void) => {
      zip.removeAllListeners("entry").removeAllListeners("end").removeAllListeners("error");
      done();
    };
    zip.once("entry", (e: Entry) => settle(() => resolve(e)));
    zip.once("end", () => settle(() => resolve(undefined)));
    zip.once("error", (error: Error) =>
      settle(() => reject(new CorruptError(`corrupt zip: ${error.message}`, { cause: error }))),
    );
    zip.readEntry();
  });
}

/**
 * Tail searched for the end-of-central-directory record (22 bytes, then a comment): one small
 * ranged read per binary object of no known format. A damaged zip with a comment over 1,002
 * bytes is not found, and is read as before.
 */
const EOCD_SEARCH = 1024;

/**
 * Whether an object ends with a zip's end-of-central-directory record whose comment length
 * matches what follows it and whose directory lies inside the object (as yauzl requires):
 * a zip whose first local header is damaged still has one. Reads the tail through `ranges`
 * unless `head` is the whole object. Fails as the read fails.
 */
export async function endsWithZipDirectory(head: Uint8Array, ranges: RandomAccess): Promise<boolean> {
  const size = ranges.size;
  const from = Math.max(0, size - EOCD_SEARCH);
  const tail =
    head.length >= size
      ? Buffer.from(head.buffer, head.byteOffset + from, size - from)
      : await readRange(ranges, from, size - from);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50 || tail.readUInt16LE(i + 20) !== tail.length - i - 22) continue;
    const directorySize = tail.readUInt32LE(i + 12);
    const directoryOffset = tail.readUInt32LE(i + 16);
    return directoryOffset === 0xffffffff || directoryOffset + directorySize <= from + i;
  }
  return false;
}
