import type { Level } from "../config/schema.js";
import type { BucketPosture } from "../providers/types.js";
import type { RuleInfo } from "../rules/catalog.js";
import type { Evidence } from "./evidence.js";
import type { ObjectList } from "./object-list.js";

// An object's report, its findings and their samples: the object-level half of the contract.
export type { CoverageStatus, FindingSample, ObjectFinding, ObjectReport, SampleLocation } from "./object-report.js";

/** The JSON report: a stable contract, published as `docs/report.schema.json`. */
export interface Report {
  schemaVersion: 1;
  tool: { name: "reliquat"; version: string };
  startedAt: string;
  finishedAt: string;
  parameters: ScanParameters;
  summary: ReportSummary;
  /** Targets that could not be scanned at all, with the reason. */
  errors: TargetError[];
  /** The rules that ran, for SARIF rule metadata and legends. */
  rules: RuleInfo[];
  /** What a baseline or the allowlist suppressed; absent when neither was used. */
  suppressed?: SuppressionSummary;
  /** Sorted by `exposure.score`, highest first. */
  buckets: BucketReport[];
  /** With `--evidence`: the Article 33 facts per bucket holding personal data. */
  evidence?: Evidence;
  /**
   * Set when the scan was stopped (SIGINT, SIGTERM) before its end: the report holds what was
   * finished; objects in flight are not reported, and buckets not reached are absent.
   */
  interrupted?: true;
  /** With a state store: what changed since the buckets were last scanned. */
  changes?: Changes;
}

/** What changed since the last run on the same state file, per bucket scanned this time. */
export interface Changes {
  /** When the earliest run compared with started; absent when no bucket had been scanned before. */
  since?: string;
  counts: { newFindings: number; resolvedFindings: number; removedObjects: number };
  /** Findings (a rule in an object) not there last time, most severe buckets first; at most 1,000. */
  newFindings: FindingChange[];
  /** Findings there last time and gone now (an object fixed, or removed); at most 1,000. */
  resolvedFindings: FindingChange[];
  /** Objects listed last time and not now (URLs, redacted); at most 1,000. */
  removedObjects: string[];
  /** Buckets whose level moved, those that went up first. */
  levelChanges: { bucket: string; from: Level; to: Level }[];
  /** Set when a list was cut at 1,000 entries: the counts are whole. */
  truncated?: true;
}

export interface FindingChange {
  id: string;
  /** The object's URL, redacted. */
  url: string;
  ruleId: string;
  count: number;
}

export interface ScanParameters {
  targets: string[];
  exhaustive: boolean;
  sampleBytes: number;
  maxObjects: number;
  maxBytes: number;
  concurrency: number;
  /** Rule packs as `name@digest` (first 12 hex digits of the pack file's SHA-256). */
  rulePacks: string[];
  /** `--migration-date`: data untouched since then counts as left over. */
  migrationDate?: string;
  /** The score-weights override file, when one was given. */
  scoreWeights?: string;
}

export interface SuppressionSummary {
  /** Findings suppressed because the baseline holds their fingerprint. */
  baseline: number;
  /** Findings suppressed by allowlist entries. */
  allowlist: number;
  /** Baseline entries that matched nothing in this scan (fixed, or not scanned this time). */
  staleBaseline: string[];
}

export interface ReportSummary {
  buckets: number;
  listed: number;
  scanned: number;
  partial: number;
  skipped: number;
  /** Valid identifier occurrences in all buckets. */
  findings: number;
  /** Highest bucket level. */
  highestLevel: Level;
  /** False when a target, a listing or an object read failed. Sampling by design keeps it true. */
  complete: boolean;
  /** Internal errors (defects of Reliquat, not of the storage); present when there is one. */
  internalErrors?: number;
}

export interface TargetError {
  target: string;
  message: string;
  /** A defect of Reliquat rather than of the target (a bug, a resource limit): the exit code is 3 even with `--allow-partial`. */
  internal?: true;
}

export interface ExposureFactor {
  name: string;
  points: number;
  /** Most points the factor can give (absent on the cap line). */
  max?: number;
  /** The facts behind the points, `; `-separated. */
  detail: string;
}

export interface BucketReport {
  url: string;
  provider: string;
  name: string;
  exposure: { score: number; level: Level; factors: ExposureFactor[] };
  posture: BucketPosture;
  coverage: BucketCoverage;
  totals: BucketTotals;
  newestModified?: string;
  oldestModified?: string;
  /** Every object's report (or only those with findings, with `--findings-only`), sorted by key. */
  objects: ObjectList;
}

export interface BucketTotals {
  /** National-identifier occurrences. */
  findings: number;
  distinctPersons: number;
  /**
   * Present when `distinctPersons` is a HyperLogLog estimate (past 2,097,152 persons in a
   * bucket): its relative error at 95% confidence (0.016). Absent when the count is exact.
   */
  distinctPersonsError?: number;
  patientRecords: number;
  /** Objects with a national identifier. */
  objectsWithFindings: number;
  /** Objects with any finding (health terms included). */
  objectsWithAnyFinding: number;
  /** Matches per category over the bucket. */
  categories: Record<string, number>;
  /** Matches per sub-category (health groups such as `pathology-sensitive`, `blood-group`). */
  groups: Record<string, number>;
  bytesRead: number;
  /**
   * Extrapolation to what was not read (the rest of sampled objects, objects not read), with a
   * 95% confidence interval on distinct persons. Equal to the counts when everything was read.
   */
  estimate: {
    distinctPersons: number;
    distinctPersonsLow: number;
    distinctPersonsHigh: number;
    patientRecords: number;
    basis: string;
  };
}

export interface BucketCoverage {
  listed: number;
  scanned: number;
  partial: number;
  skipped: number;
  /** False when the listing or an object read failed. */
  complete: boolean;
  /** Set when `maxObjects` stopped the listing: objects beyond it were not listed. */
  truncated?: string;
  /** Listing and posture errors, one line each. */
  errors: string[];
  /** With a state store: objects unchanged since an earlier run, reported without reading them again. */
  carriedForward?: number;
}
