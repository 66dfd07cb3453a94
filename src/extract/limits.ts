/** Limits and counters shared by every extractor of one object, and the two errors that stop one. */

/** Limits on what an object may expand to, inside archives and compressed streams. */
export interface ExpandLimits {
  /** Most bytes one object may expand to. Default 1 GiB. */
  maxExpandedBytes: number;
  /** Most expanded bytes per compressed byte before a bomb is suspected. Default 100. */
  maxRatio: number;
  /** Most entries in one archive. Default 10,000. */
  maxEntries: number;
  /** Most levels of archives and compressed streams inside each other. Default 5. */
  maxDepth: number;
}

export const DEFAULT_EXPAND_LIMITS: ExpandLimits = {
  maxExpandedBytes: 1024 ** 3,
  maxRatio: 100,
  maxEntries: 10_000,
  maxDepth: 5,
};

/** A limit was reached: the object is partial for this reason, and the scan goes on. */
export class ExpandLimitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "ExpandLimitError";
  }
}

/** The bytes are not a valid stream of their format (or it ends early). */
export class CorruptError extends Error {
  /** Each damage met, in order, when several documents of one object were bad (see damage.ts). */
  readonly parts?: string[];

  constructor(message: string, options?: { cause?: unknown; parts?: string[] }) {
    super(message, options);
    this.name = "CorruptError";
    if (options?.parts) this.parts = options.parts;
  }
}

/** Counters shared by every level of one object, so that limits hold across nesting. */
export interface ExpandCounters {
  compressed: number;
  expanded: number;
  entries: number;
}

/** Throws ExpandLimitError once `counters` pass the size or ratio limit. */
export function checkExpansion(counters: ExpandCounters, limits: ExpandLimits): void {
  if (counters.expanded > limits.maxExpandedBytes) {
    throw new ExpandLimitError(`expansion limit: more than ${limits.maxExpandedBytes} bytes expanded`);
  }
  // A small slack, so that a tiny but legitimate archive is not called a bomb.
  if (counters.expanded > limits.maxRatio * counters.compressed + 1024 * 1024) {
    throw new ExpandLimitError(`bomb-suspected: expands more than ${limits.maxRatio}:1`);
  }
}

/** Counts one more archive entry; past the limit, ExpandLimitError. */
export function countEntry(counters: ExpandCounters, limits: ExpandLimits): void {
  if (++counters.entries > limits.maxEntries)
    throw new ExpandLimitError(`entry-limit: more than ${limits.maxEntries} archive entries`);
}
