/**
 * The extraction seam: one Extractor per format. Adding a format is one file plus one line in
 * the registry (`index.ts`).
 */
import type { Layout } from "./layout.js";
import type { ExpandCounters, ExpandLimits } from "./limits.js";
import type { RandomAccess } from "./random-access.js";

/** One text to scan inside an object: the object itself, an archive entry, a sheet, a page, a table. */
export interface Document {
  /** Path inside the object (`exports/patients.csv`, `export.xlsx#sheet:Patients`), never the object's key. */
  path?: string;
  bytes: AsyncIterable<Uint8Array>;
  /**
   * Set when an extractor wrote the text itself (flattened JSON, sheet rows as TSV): its layout,
   * so that it is not sniffed. Such a document is final: it is never opened again.
   */
  layout?: Layout;
  /** Bytes carried inside another document (a base64 payload): opened again like an archive entry. */
  embedded?: boolean;
}

/** What an extractor is given: the first bytes, the whole stream, and ranged reads when there are some. */
export interface Source {
  /** At least the first 4,100 bytes (or all there are): enough for every magic number. */
  head: Uint8Array;
  /** The whole stream, head included. Read it, or close it. */
  stream: AsyncIterable<Uint8Array>;
  /** Ends the stream without reading it (an HTTP read), when ranged reads replace it. */
  close(): Promise<unknown>;
  /** Ranged reads of the object itself; undefined for what is inside an archive. */
  ranges?: RandomAccess;
  /** Path inside the object; undefined for the object itself. */
  path?: string;
}

/** Shared by every level of one object. */
export interface ExtractContext {
  limits: ExpandLimits;
  /** Counters across levels, so that the size, ratio and entry limits hold for the whole object. */
  counters: ExpandCounters;
  /** Compressed bytes that a zip or Parquet object may read when sampling; Infinity for a full read. */
  budget: number;
  /** Records that the object was read short on purpose or in part (`parquet: footer and 1 of 8 row groups read (sampling)`). */
  partial(reason: string): void;
  /** Records a format found on the way (`xlsx` inside a `zip`), for the report's `format`. */
  format(name: string): void;
  /** Aborted when the object's time is up or the scan is cancelled. */
  signal: AbortSignal;
}

export interface Extractor {
  /** Name in the report's `format` (`gzip`, `json`, `parquet`). */
  readonly format: string;
  /** Archives and compressed streams: the documents they give are opened again, one level deeper. */
  readonly container: boolean;
  /** Whether the first 4,100 bytes are this format. Content decides; an extension never does alone. */
  detect(head: Uint8Array): boolean;
  /**
   * Text formats whose extractor loses nothing on other text only: extensions (`.hpr`) that name
   * this format when the first bytes said nothing (an HPRIM file whose first 4 KiB hold no end
   * mark). Never consulted for binary data.
   */
  readonly extensions?: readonly string[];
  /**
   * The documents inside `source`. Throws CorruptError on bad or cut bytes (documents given
   * before stay scanned; in an archive, a bad entry ends only itself and the caller reads the
   * next, see damage.ts) and ExpandLimitError past a limit. Stops reading when the consumer
   * stops iterating; cancellation comes through `ctx.signal` and the source's own reads.
   */
  extract(source: Source, ctx: ExtractContext): AsyncIterable<Document>;
}
