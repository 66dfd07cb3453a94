import type { BucketRef, ObjectRef } from "../providers/types.js";
import type { BucketReport, Changes, ObjectReport } from "../report/types.js";
import type { DistinctCounter } from "../rules/distinct.js";
import type { Suppressed } from "../suppress/suppressor.js";

/** An object's earlier result, carried forward without reading it. */
export interface Recalled {
  /** Its report as stored, with `carriedForward` and `readAt` set. */
  report: ObjectReport;
  persons: DistinctCounter;
  suppressed?: Suppressed;
}

/**
 * What an incremental scan remembers between runs (the state store). Calls come from one scan
 * at a time, in this order: `begin`, then per bucket `recall` / `remember` as objects are listed
 * and finished and `bucketDone`, then `finish` (or `interrupt`), then `close`. A database
 * failure throws; the scan then fails as an internal error. Nothing here is cancellable: each
 * call is short and synchronous.
 */
export interface ScanMemory {
  /** The seed of the distinct-person hash, stable across runs so that persons count once. */
  readonly distinctSeed: number;
  /** Starts a run; `params` is a digest of what decides an object's result (rules, limits, version). */
  begin(params: string, startedAt: Date): void;
  /** The earlier result of an object unchanged since (same revision, same `params`), or undefined. */
  recall(obj: ObjectRef): Recalled | undefined;
  /** Records a finished object (its redacted report); written in batches. Errors are not recorded: read again next time. */
  remember(obj: ObjectRef, report: ObjectReport, persons: DistinctCounter, suppressed?: Suppressed): void;
  /**
   * A bucket (or, with `prefix`, the part of it a target names) is done. Its changes are worked
   * out at `finish`, over every target that named the bucket: objects not listed leave the state
   * only when one target listed the whole bucket and none was cut short.
   */
  bucketDone(bucket: BucketRef, report: BucketReport, prefix?: string): void;
  /** Ends a run that went to its end: what changed (nothing for a checkpoint, which compares no runs). */
  finish(finishedAt: Date): Changes | undefined;
  /** Ends a run stopped early: what was finished is kept, so that the next run resumes from it. */
  interrupt(finishedAt: Date): void;
  close(): void;
}
