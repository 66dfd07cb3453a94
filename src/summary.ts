import type { Level } from "./config/schema.js";
import type { BucketReport, ReportSummary, TargetError } from "./report/types.js";

/** Totals over all buckets; `complete` is false as soon as anything failed. */
export function summarize(
  buckets: BucketReport[],
  errors: TargetError[],
  levelOf: (score: number) => Level,
): ReportSummary {
  const sum = (pick: (b: BucketReport) => number) => buckets.reduce((n, b) => n + pick(b), 0);
  const internal = errors.filter((e) => e.internal).length;
  return {
    buckets: buckets.length,
    listed: sum((b) => b.coverage.listed),
    scanned: sum((b) => b.coverage.scanned),
    partial: sum((b) => b.coverage.partial),
    skipped: sum((b) => b.coverage.skipped),
    findings: sum((b) => b.totals.findings),
    highestLevel: levelOf(Math.max(0, ...buckets.map((b) => b.exposure.score))),
    complete: errors.length === 0 && buckets.every((b) => b.coverage.complete),
    ...(internal > 0 ? { internalErrors: internal } : {}),
  };
}
