import { Readable } from "node:stream";
import { extract as tarExtract } from "tar-stream";
import { CorruptError, type ExpandCounters, ExpandLimitError, type ExpandLimits, gunzip } from "./gzip.js";
import { SNIFF_BYTES, sniffUnsupported, type Unsupported } from "./sniff.js";
import { isZip, type RandomAccess, zipEntries, zipFromRanges, zipFromStream } from "./zip.js";

/** One text to scan inside an object: the object itself, or an entry of an archive in it. */
export interface Document {
  /** Path inside the object (`backup.tar.gz!/exports/patients.csv` style, without the object). */
  path?: string;
  bytes: AsyncIterable<Uint8Array>;
}

/** Formats found while opening an object, outermost first (`gzip`, `tar`). */
export interface Opened {
  documents: AsyncIterable<Document>;
  formats(): string[];
  counters: ExpandCounters;
  /** Formats met without an extractor (`pdf`, `image/png`), with how many documents had each. */
  unsupported: Map<string, { count: number; scanRaw: boolean }>;
}

const isGzip = (h: Uint8Array) => h[0] === 0x1f && h[1] === 0x8b && h[2] === 0x08;
const isTar = (h: Uint8Array) => h.length >= 262 && Buffer.from(h.subarray(257, 262)).toString("latin1") === "ustar";

/** How a zip object itself (not one nested in another archive) may be read. */
export interface ZipAccess {
  /** Ranged reads of the whole object: the central directory is read from the tail. */
  ranges: RandomAccess;
  /** Compressed bytes of entries to read (the sample size), or Infinity for every entry. */
  budget: number;
}

/**
 * Opens an object by magic bytes, recursively: gzip is expanded, tar and zip entries become
 * documents, anything else is one document. Limits on size, ratio, entries and depth hold across
 * levels. With `zip`, a zip object is read through ranged reads (its central directory first)
 * instead of the stream, which is then closed.
 */
export function openObject(source: AsyncIterable<Uint8Array>, limits: ExpandLimits, zip?: ZipAccess): Opened {
  const formats: string[] = [];
  const counters: ExpandCounters = { compressed: 0, expanded: 0, entries: 0 };
  const unsupported = new Map<string, { count: number; scanRaw: boolean }>();
  const note = (u: Unsupported) => {
    const seen = unsupported.get(u.type) ?? { count: 0, scanRaw: u.scanRaw };
    seen.count++;
    unsupported.set(u.type, seen);
  };

  async function* open(bytes: AsyncIterable<Uint8Array>, depth: number, path?: string): AsyncIterable<Document> {
    const { head, stream, close } = await peek(bytes, SNIFF_BYTES);
    if (head.length === 0) return;
    if (isZip(head)) {
      if (depth >= limits.maxDepth)
        throw new ExpandLimitError(`depth-limit: more than ${limits.maxDepth} nested levels`);
      if (!formats.includes("zip")) formats.push("zip");
      let file: Awaited<ReturnType<typeof zipFromStream>>;
      if (depth === 0 && zip) {
        await close();
        file = await zipFromRanges(zip.ranges);
      } else file = await zipFromStream(stream);
      for await (const entry of zipEntries(file, limits, counters, depth === 0 && zip ? zip.budget : Infinity)) {
        yield* open(entry.bytes, depth + 1, path ? `${path}/${entry.name}` : entry.name);
      }
      return;
    }
    if (isGzip(head) || isTar(head)) {
      if (depth >= limits.maxDepth)
        throw new ExpandLimitError(`depth-limit: more than ${limits.maxDepth} nested levels`);
      const format = isGzip(head) ? "gzip" : "tar";
      if (!formats.includes(format)) formats.push(format);
      if (format === "gzip") yield* open(gunzip(stream, limits, counters), depth + 1, path);
      else yield* tarEntries(stream, depth, path);
      return;
    }
    const other = await sniffUnsupported(head);
    if (other) {
      note(other);
      if (!other.scanRaw) {
        await close();
        return;
      }
    }
    yield { path, bytes: stream };
  }

  async function* tarEntries(bytes: AsyncIterable<Uint8Array>, depth: number, path?: string): AsyncIterable<Document> {
    const extractor = tarExtract();
    const input = Readable.from(bytes);
    input.on("error", (error) => extractor.destroy(error));
    input.pipe(extractor);
    try {
      for await (const entry of extractor) {
        if (entry.header.type !== "file") {
          entry.resume();
          continue;
        }
        if (++counters.entries > limits.maxEntries) {
          throw new ExpandLimitError(`entry-limit: more than ${limits.maxEntries} archive entries`);
        }
        const inner = path ? `${path}/${entry.header.name}` : entry.header.name;
        yield* open(corruptAs("tar", entry as AsyncIterable<Uint8Array>), depth + 1, inner);
        entry.resume(); // whatever the scan did not read, so that the next entry can start
      }
    } catch (error) {
      if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
      throw new CorruptError(`corrupt tar: ${(error as Error).message}`, { cause: error });
    } finally {
      input.destroy();
      extractor.destroy();
    }
  }

  return { documents: open(source, 0), formats: () => formats, counters, unsupported };
}

/** Re-throws a stream's errors as CorruptError: a cut archive fails inside an entry's bytes. */
async function* corruptAs(format: string, bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* bytes;
  } catch (error) {
    if (error instanceof ExpandLimitError || error instanceof CorruptError) throw error;
    throw new CorruptError(`corrupt ${format}: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads at least `size` bytes (or all there is), and gives them back with the whole stream. */
async function peek(
  source: AsyncIterable<Uint8Array>,
  size: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array>; close(): Promise<unknown> }> {
  const it = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    taken.push(r.value);
    length += r.value.byteLength;
  }
  const head = taken.length === 1 ? (taken[0] as Uint8Array) : Buffer.concat(taken);
  async function* stream(): AsyncIterable<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  // close() ends the source (an HTTP read) when the stream will not be read.
  return { head, stream: stream(), close: async () => it.return?.() };
}
