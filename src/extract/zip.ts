import { Readable } from "node:stream";
import yauzl, { type Entry, RandomAccessReader, type ZipFile } from "yauzl";
import { CorruptError, checkExpansion, type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./gzip.js";

/** Ranged reads of one object: how a zip's central directory is read from its tail. */
export interface RandomAccess {
  size: number;
  read(offset: number, length: number): AsyncIterable<Uint8Array>;
}

/** Nested zips (inside a tar, a gzip or another zip) have no random access: they are buffered up to this. */
export const MAX_NESTED_ZIP = 64 * 1024 * 1024;

export const isZip = (h: Uint8Array) =>
  h[0] === 0x50 && h[1] === 0x4b && (h[2] === 0x03 || h[2] === 0x05) && (h[3] === 0x04 || h[3] === 0x06);

class RangeReader extends RandomAccessReader {
  constructor(private readonly source: RandomAccess) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.source.read(start, end - start));
  }
}

/** Opens a zip over ranged reads: the central directory at the tail first, then entries on demand. */
export function zipFromRanges(source: RandomAccess): Promise<ZipFile> {
  return open((cb) =>
    yauzl.fromRandomAccessReader(new RangeReader(source), source.size, { lazyEntries: true, autoClose: false }, cb),
  );
}

/** Opens a zip found inside another archive, buffered up to {@link MAX_NESTED_ZIP}. */
export async function zipFromStream(bytes: AsyncIterable<Uint8Array>): Promise<ZipFile> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of bytes) {
    size += chunk.byteLength;
    if (size > MAX_NESTED_ZIP)
      throw new ExpandLimitError(`nested-zip-limit: a zip inside an archive over ${MAX_NESTED_ZIP} bytes`);
    chunks.push(chunk);
  }
  return open((cb) => yauzl.fromBuffer(Buffer.concat(chunks), { lazyEntries: true }, cb));
}

function open(start: (cb: (error: Error | null, zip: ZipFile) => void) => void): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    start((error, zip) =>
      error ? reject(new CorruptError(`corrupt zip: ${error.message}`, { cause: error })) : resolve(zip),
    ),
  );
}

/**
 * The file entries of `zip`, in central-directory order, each as a stream of its expanded bytes.
 * Entries stop once `compressedBudget` compressed bytes were read (sampling); the entries left
 * are counted in `counters.entriesNotRead`. Size, ratio and entry limits hold across levels.
 */
export async function* zipEntries(
  zip: ZipFile,
  limits: ExpandLimits,
  counters: ExpandCounters,
  compressedBudget: number,
): AsyncIterable<{ name: string; bytes: AsyncIterable<Uint8Array> }> {
  let spent = 0;
  let seen = 0;
  let read = 0;
  try {
    for (let entry = await next(zip); entry; entry = await next(zip)) {
      if (entry.fileName.endsWith("/")) continue;
      seen++;
      if (spent >= compressedBudget) continue;
      if (++counters.entries > limits.maxEntries)
        throw new ExpandLimitError(`entry-limit: more than ${limits.maxEntries} archive entries`);
      read++;
      spent += entry.compressedSize;
      counters.compressed += entry.compressedSize;
      yield { name: entry.fileName, bytes: expand(zip, entry, limits, counters) };
    }
  } finally {
    counters.entriesNotRead = (counters.entriesNotRead ?? 0) + (seen - read);
    zip.close();
  }
}

async function* expand(zip: ZipFile, entry: Entry, limits: ExpandLimits, counters: ExpandCounters) {
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
  ).catch((error: Error) => {
    throw new CorruptError(`corrupt zip entry: ${error.message}`, { cause: error });
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      counters.expanded += chunk.byteLength;
      checkExpansion(counters, limits);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
    throw new CorruptError(`corrupt zip entry: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
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
