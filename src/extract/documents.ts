import { Damage } from "./damage.js";
import { hl7Payloads, isHl7, Payloads } from "./embedded.js";
import { findExtractor } from "./index.js";
import { countEntry, type ExpandCounters, ExpandLimitError, type ExpandLimits } from "./limits.js";
import { peek } from "./peek.js";
import type { RandomAccess } from "./random-access.js";
import { SNIFF_BYTES, sniffUnsupported, type Unsupported } from "./sniff.js";
import type { Document, ExtractContext } from "./types.js";
import { endsWithZipDirectory, zipExtractor } from "./zip.js";

/** What opening an object found, once its documents were read. */
export interface Opened {
  /**
   * The documents, in order. A document whose bytes go bad ends early, the next ones still
   * come, and the iteration then throws one CorruptError that tells every bad document (with
   * its path). Limits (ExpandLimitError), the source's errors and cancellation throw at once.
   */
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
 * across levels. Bad data in one document (a CorruptError) ends that document only: the
 * documents after it are still read, and `documents` then ends with one CorruptError that
 * tells all of it. An object whose first bytes are binary but no known format, and which ends
 * with a zip's central directory, is opened as a zip (a damaged first header).
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

  const damage = new Damage();

  async function* open(bytes: AsyncIterable<Uint8Array>, depth: number, path?: string): AsyncIterable<Document> {
    const { head, stream, close } = await peek(bytes, SNIFF_BYTES);
    if (head.length === 0) {
      // Nothing to scan, but a CorruptError met before the first byte is still told.
      for await (const _ of damage.guard(stream, path)) break;
      return;
    }
    // Detection looks at the first 4,100 bytes only: a read's first chunk can be 256 KiB, and
    // every text format's detector would otherwise decode all of it for each object.
    let extractor = findExtractor(head.subarray(0, SNIFF_BYTES), path ?? access.name);
    const other = extractor ? undefined : await sniffUnsupported(head);
    if (!extractor && !other && depth === 0 && (await zipByItsTail(head, access.ranges))) {
      ctx.partial("zip: the first bytes are not a zip header (damaged?); opened by its central directory");
      extractor = zipExtractor;
    }
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
        if (doc.embedded) yield* embedded(doc, depth);
        else if (doc.layout || !extractor.container) yield { ...doc, bytes: damage.guard(doc.bytes, doc.path) };
        else {
          // Bad data in one entry is told at the end; the entries after it are still read.
          try {
            yield* open(doc.bytes, depth + 1, doc.path);
          } catch (error) {
            damage.record(error, doc.path);
          }
        }
      }
      return;
    }
    if (other) {
      note(other);
      if (!other.scanRaw) {
        await close();
        return;
      }
    }
    if (!isHl7(head)) {
      yield { path, bytes: damage.guard(stream, path) };
      return;
    }
    // HL7 v2 is read as text; the documents its OBX-5 fields carry in base64 are opened after it.
    const payloads = new Payloads();
    yield { path, bytes: damage.guard(hl7Payloads(stream, payloads), path) };
    const carried = [...payloads.documents(path)];
    // Named only when it carries documents: the report's format then says what was opened.
    if (carried.length > 0) format("hl7");
    for (const doc of carried) yield* embedded(doc, depth);
    if (payloads.droppedReason) ctx.partial(payloads.droppedReason);
  }

  /**
   * A base64 payload, opened like an archive entry: it counts as one (the entry and depth
   * limits; an image in it makes the object partial, not skipped), and bad data in it ends only
   * itself. Its size is bounded by its carrier's (decoding shrinks) and MAX_PAYLOAD_BYTES.
   */
  async function* embedded(doc: Document, depth: number): AsyncIterable<Document> {
    if (depth + 1 > limits.maxDepth) {
      ctx.partial(`depth-limit: an embedded document past ${limits.maxDepth} levels not read`);
      return;
    }
    countEntry(counters, limits);
    try {
      yield* open(doc.bytes, depth + 1, doc.path);
    } catch (error) {
      damage.record(error, doc.path);
    }
  }

  async function* documents(): AsyncIterable<Document> {
    try {
      yield* open(source, 0);
    } catch (error) {
      damage.settle(error);
    }
    damage.settle();
  }

  return {
    documents: documents(),
    formats: () => formats,
    counters,
    unsupported,
    partial,
    usedRanges: () => rangesUsed,
  };
}

/** The first bytes hold no zip signature but binary data, and the object ends with a zip's central directory. */
async function zipByItsTail(head: Uint8Array, ranges: RandomAccess): Promise<boolean> {
  return head.subarray(0, 1024).includes(0) && (await endsWithZipDirectory(head, ranges));
}
