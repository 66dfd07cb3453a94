import { emptyTotals } from "../../src/aggregate.js";
import { ObjectList } from "../../src/report/object-list.js";
import type { BucketReport, BucketTotals, ObjectReport, Report } from "../../src/report/types.js";

/** A bucket report with sensible empty defaults, for unit tests of scoring and exit codes. */
export function bucket(
  overrides: Omit<Partial<BucketReport>, "objects"> & { url: string; objects?: ObjectReport[] | ObjectList },
): BucketReport {
  return {
    provider: "s3",
    name: overrides.url.replace(/^s3:\/\//, ""),
    exposure: { score: 0, level: "none", factors: [] },
    posture: { publicRead: false, publicList: false, notes: [] },
    coverage: { listed: 1, scanned: 1, partial: 0, skipped: 0, complete: true, errors: [] },
    totals: totals({}),
    ...overrides,
    objects:
      overrides.objects instanceof ObjectList
        ? overrides.objects
        : ObjectList.of(overrides.url, overrides.objects ?? []),
  };
}

export function totals(overrides: Partial<BucketTotals>): BucketTotals {
  return { ...emptyTotals(), bytesRead: 10, ...overrides };
}

export function report(buckets: BucketReport[], complete = true): Report {
  return {
    schemaVersion: 1,
    tool: { name: "reliquat", version: "0.0.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    parameters: {
      targets: [],
      exhaustive: false,
      sampleBytes: 1,
      maxObjects: 0,
      maxBytes: 0,
      concurrency: 1,
      rulePacks: [],
    },
    summary: {
      buckets: buckets.length,
      listed: 0,
      scanned: 0,
      partial: 0,
      skipped: 0,
      findings: 0,
      highestLevel: "none",
      complete,
    },
    errors: [],
    rules: [],
    buckets,
  };
}
