/**
 * The object-level half of the JSON report's contract (`docs/report.schema.json`): one object's
 * report, its findings and their samples. Re-exported by types.ts, where the bucket and report
 * levels are.
 */

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
