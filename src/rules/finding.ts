/**
 * What detection finds, in the shapes the engine hands on: per block (BlockResult, plain data a
 * worker can send back) and per object (ObjectDetection). The published shape is report/types.ts.
 */
import type { DistinctCounter } from "./distinct.js";
import type { DistinctHasher, Fingerprinter } from "./fingerprint.js";

/** Where a sample was found. Never contains the value. */
export interface SampleLocation {
  /** 1-based line in the object or archive entry; absent when an extractor rewrote the text (TextBlock.rewritten). */
  line?: number;
  /** Byte offset in the object, or in the archive entry (in the transcoded stream for UTF-16); absent like `line`. */
  offset?: number;
  /** Path inside the object: an archive entry, a sheet, a table, a page (`backup.zip/export.xlsx#sheet:Patients`). */
  path?: string;
  /** Where in the record: a column, a cell, a JSON or XML path, an HL7 field (`PID-3`). */
  field?: string;
}

/** One shown occurrence: masked, fingerprinted, located, with the reasons of its own confidence. */
export interface FindingSample {
  /** An identifier masked (at most 4 characters visible); a health term as written (a term is not an identifier). */
  masked: string;
  fingerprint: string;
  location: SampleLocation;
  /** Why this occurrence counts ("key valid", "header 'num_secu'"): its own, not the finding's best. */
  reasons: string[];
}

/** All occurrences of one rule in one object. */
export interface RuleFinding {
  ruleId: string;
  category: string;
  severity: string;
  count: number;
  /** Distinct values (identifiers) or distinct terms (health); 0 for other values (dates). */
  distinct: number;
  /** Highest confidence among occurrences, 0–1. */
  confidence: number;
  /** Why that confidence, e.g. "key valid", "header 'num_secu'". */
  reasons: string[];
  /** Matches per sub-category (dictionary groups, blood groups…). */
  groups?: Record<string, number>;
  /** The first `maxSamples` (default 3) occurrences: identifiers masked, health terms as written. */
  samples: FindingSample[];
  /** In-memory hashes of the distinct values; dropped before reporting. */
  distinctHashes: DistinctCounter;
}

/** What one object holds, once every block was seen. */
export interface ObjectDetection {
  findings: RuleFinding[];
  /** Records (row, paragraph) where an identity signal and a health term appear together. */
  patientRecords: number;
  /** In-memory hashes of distinct persons (national identifiers). */
  persons: DistinctCounter;
  /** Matches per category. */
  categories: Record<string, number>;
}

/** Keyed HMAC for the samples shown; fast in-memory hash for distinct counting. */
export interface Hashers {
  fingerprint: Fingerprinter;
  distinct: DistinctHasher;
}

/** What one block holds: plain data, so that a worker thread can send it back. */
export interface BlockResult {
  findings: (Omit<RuleFinding, "distinctHashes"> & { distinctHashes: number[] })[];
  patientRecords: number;
  persons: number[];
  categories: Record<string, number>;
}
