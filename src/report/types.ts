import type { Level } from "../config/schema.js";
import type { BucketPosture } from "../providers/types.js";
import type { RuleInfo } from "../rules/catalog.js";
import type { Evidence } from "./evidence.js";
import type { ObjectList } from "./object-list.js";

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

export type CoverageStatus = "scanned" | "partial" | "skipped";

export interface ObjectReport {
  url: string;
  key: string;
  /** A noncurrent version (scanned with `--include-versions`): a copy that survives a deletion or an overwrite. */
  versionId?: string;
  size: number;
  lastModified?: string;
  coverage: CoverageStatus;
  /** Why partial or skipped, e.g. `head 1 MiB of 3.2 GiB` or `read-error: access denied`. */
  reason?: string;
  /** True when the reason is a failure rather than a choice (sampling, limits). */
  error?: boolean;
  /** Bytes transferred from storage; a zip read through its central directory may transfer some twice. */
  bytesRead: number;
  /** Set when the object was opened: `gzip`, `tar`, `gzip+tar`; with what it expanded to. */
  format?: string;
  expandedBytes?: number;
  /** Archive entries scanned. */
  entries?: number;
  encoding?: string;
  /** Records (row, paragraph) holding both an identity signal and a health term. */
  patientRecords: number;
  /** Distinct persons by national identifier. */
  distinctPersons: number;
  /** Matches per category (`national-id`, `health`, `identity`…). */
  categories: Record<string, number>;
  findings: ObjectFinding[];
  /** With a state store: the object was unchanged since `readAt`, and its earlier result is reported unread. */
  carriedForward?: true;
  /** When a carried-forward result was read (ISO 8601). */
  readAt?: string;
}

/**
 * A rule's findings in one object, as published. Declared here, field by field, rather than
 * derived from the engine's types: a change in the engine cannot change the JSON without a
 * change to this contract (scan-object.ts copies each field by name).
 */
export interface ObjectFinding {
  /**
   * Stable id: SHA-256 of provider, redacted bucket name, redacted key and rule, never of a value. SARIF's
   * partialFingerprints and baselines use it.
   */
  id: string;
  ruleId: string;
  category: string;
  severity: string;
  count: number;
  /** Distinct values (identifiers) or distinct terms (health); 0 for other values (dates). */
  distinct: number;
  /** Highest confidence among occurrences, 0–1. */
  confidence: number;
  /** Why that confidence, e.g. "key valid", "header 'num_secu'": the most confident occurrence's reasons (each sample has its own). */
  reasons: string[];
  /** Matches per sub-category (dictionary groups, blood groups…). */
  groups?: Record<string, number>;
  /** The first occurrences (three by default): identifiers masked, never the value; health terms as written. */
  samples: FindingSample[];
}

/** One shown occurrence: masked, fingerprinted (keyed HMAC), located, with its own reasons. */
export interface FindingSample {
  /** An identifier masked (at most 4 characters visible); a health term as written (a term is not an identifier). */
  masked: string;
  fingerprint: string;
  location: SampleLocation;
  /**
   * Why this occurrence counts: its own reasons, which may differ from the finding's best.
   * Absent from a result carried forward from a state written before samples had them.
   */
  reasons?: string[];
}

/**
 * Where a sample was found. Never contains the value. `line` and `offset` point into the object
 * (or the archive entry) as stored; they are absent where an extractor rewrote the text (JSON,
 * XML, SQL, sheets, PDF pages, docx, Parquet, HPRIM headers), where `path` and `field` say where.
 */
export interface SampleLocation {
  /** 1-based line. */
  line?: number;
  /** Byte offset in the object, or in the archive entry (in the transcoded stream for UTF-16). */
  offset?: number;
  /** Path inside the object: an archive entry, a sheet, a table, a page (`backup.zip/export.xlsx#sheet:Patients`). */
  path?: string;
  /** Where in the record: a column, a cell, a JSON or XML path, an HL7 field (`PID-3`). */
  field?: string;
}
