import { findExtractor } from "./index.js";
import { type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./limits.js";
import type { RandomAccess } from "./random-access.js";
import { SNIFF_BYTES, sniffUnsupported, type Unsupported } from "./sniff.js";
import type { Document, ExtractContext } from "./types.js";

/** What opening an object found, once its documents were read. */
export interface Opened {
  documents: AsyncIterable<Document>;
  /** Formats met, outermost first (`gzip`, `tar`, `json`). */
  formats(): string[];
  counters: ExpandCounters;
  /** Formats met without an extractor (`7z`, `image/png`), with how many documents had each. */
  unsupported: Map<string, { count: number; scanRaw: boolean }>;
  /** Why the object was read in part on purpose or could only be in part (sampling, a missing sheet). */
  partial: string[];
  /** True once an extractor left the planned read for ranged reads (a zip's central directory, a PDF, a Parquet footer): the plan's head no longer tells what was read. */
  usedRanges(): boolean;
}

/** How the object itself (not an entry of an archive in it) may be read. */
export interface ObjectAccess {
  /** The object's key: its extension is the last hint for a text format the first bytes did not name. */
  name?: string;
  /** Ranged reads of the whole object: zip central directories, Parquet footers. */
  ranges: RandomAccess;
  /** Compressed bytes to read from a zip or Parquet object (the sample size), or Infinity. */
  budget: number;
  signal: AbortSignal;
}

/**
 * Opens an object by its first bytes, recursively, through the extractor registry: archives
 * and compressed streams are opened again one level deeper; structured formats give text with
 * a layout; anything else is one text document. Limits on size, ratio, entries and depth hold
 * across levels.
 */
export function openObject(source: AsyncIterable<Uint8Array>, limits: ExpandLimits, access: ObjectAccess): Opened {
  const formats: string[] = [];
  const partial: string[] = [];
  const counters: ExpandCounters = { compressed: 0, expanded: 0, entries: 0 };
  let rangesUsed = false;
  const unsupported = new Map<string, { count: number; scanRaw: boolean }>();
  const note = (u: Unsupported) => {
    const seen = unsupported.get(u.type) ?? { count: 0, scanRaw: u.scanRaw };
    seen.count++;
    unsupported.set(u.type, seen);
  };
  const format = (name: string) => {
    if (!formats.includes(name)) formats.push(name);
  };
  const ctx: ExtractContext = {
    limits,
    counters,
    budget: access.budget,
    signal: access.signal,
    partial: (reason) => partial.push(reason),
    format,
  };

  async function* open(bytes: AsyncIterable<Uint8Array>, depth: number, path?: string): AsyncIterable<Document> {
    const { head, stream, close } = await peek(bytes, SNIFF_BYTES);
    if (head.length === 0) return;
    // Detection looks at the first 4,100 bytes only: a read's first chunk can be 256 KiB, and
    // every text format's detector would otherwise decode all of it for each object.
    const extractor = findExtractor(head.subarray(0, SNIFF_BYTES), path ?? access.name);
    if (extractor) {
      if (extractor.container && depth >= limits.maxDepth)
        throw new ExpandLimitError(`depth-limit: more than ${limits.maxDepth} nested levels`);
      format(extractor.format);
      const closeForRanges = () => {
        rangesUsed = true;
        return close();
      };
      const source =
        depth === 0
          ? { head, stream, close: closeForRanges, path, ranges: access.ranges }
          : { head, stream, close, path };
      for await (const doc of extractor.extract(source, ctx)) {
        if (doc.layout || !extractor.container) yield doc;
        else yield* open(doc.bytes, depth + 1, doc.path);
      }
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

  return {
    documents: open(source, 0),
    formats: () => formats,
    counters,
    unsupported,
    partial,
    usedRanges: () => rangesUsed,
  };
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
