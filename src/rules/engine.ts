import type { TextBlock } from "../extract/text-blocks.js";
import type { DistinctHasher, Fingerprinter } from "./fingerprint.js";
import { type Layout, sniffLayout } from "./layout.js";
import { RecordTracker } from "./records.js";
import { decodeExcerpt, type Hit, type Rule } from "./types.js";

/** Where a sample was found. Never contains the value. */
export interface SampleLocation {
  /** 1-based line. */
  line: number;
  /** Byte offset in the object (in the transcoded stream for UTF-16). */
  offset: number;
}

/** One shown occurrence: masked, fingerprinted, located. */
export interface FindingSample {
  masked: string;
  fingerprint: string;
  location: SampleLocation;
}

/** All occurrences of one rule in one object. */
export interface RuleFinding {
  ruleId: string;
  category: string;
  severity: string;
  count: number;
  /** Distinct values (identifiers) or distinct terms (dictionaries). */
  distinct: number;
  /** Highest confidence among occurrences, 0–1. */
  confidence: number;
  /** Why that confidence, e.g. "key valid", "header 'num_secu'". */
  reasons: string[];
  /** Matches per sub-category (dictionary groups, blood groups…). */
  groups?: Record<string, number>;
  /** The first `maxSamples` (default 3) occurrences, identifiers only. */
  samples: FindingSample[];
  /** In-memory hashes of the distinct values; dropped before reporting. */
  distinctHashes: Set<number>;
}

/** What one object holds, once every block was seen. */
export interface ObjectDetection {
  findings: RuleFinding[];
  /** Records (row, paragraph) where an identity signal and a health term appear together. */
  patientRecords: number;
  /** In-memory hashes of distinct persons (national identifiers). */
  persons: Set<number>;
  /** Matches per category. */
  categories: Record<string, number>;
}

/** Keyed HMAC for the samples shown; fast in-memory hash for distinct counting. */
export interface Hashers {
  fingerprint: Fingerprinter;
  distinct: DistinctHasher;
}

/** Detection over one object's blocks, in order. */
export interface ObjectDetector {
  push(block: TextBlock): void;
  finish(): ObjectDetection;
}

export function createObjectDetector(rules: Rule[], hashers: Hashers, maxSamples = 3): ObjectDetector {
  const findings = new Map<string, RuleFinding>();
  const persons = new Set<number>();
  const categories: Record<string, number> = {};
  let layout: Layout | undefined;
  let records: RecordTracker | undefined;

  const record = (hit: Hit, line: number, block: TextBlock) => {
    let f = findings.get(hit.ruleId);
    if (!f) {
      f = {
        ruleId: hit.ruleId,
        category: hit.category,
        severity: hit.severity,
        count: 0,
        distinct: 0,
        confidence: 0,
        reasons: [],
        samples: [],
        distinctHashes: new Set(),
      };
      findings.set(hit.ruleId, f);
    }
    f.count++;
    categories[hit.category] = (categories[hit.category] ?? 0) + 1;
    if (hit.group) f.groups = { ...f.groups, [hit.group]: (f.groups?.[hit.group] ?? 0) + 1 };
    if (hit.confidence > f.confidence) {
      f.confidence = hit.confidence;
      f.reasons = hit.reasons;
    }
    if (hit.person !== undefined) {
      const h = hashers.distinct(hit.person);
      f.distinctHashes.add(h);
      if (hit.category === "national-id") persons.add(h);
      if (f.samples.length < maxSamples) {
        f.samples.push({
          masked: hit.masked ?? "",
          fingerprint: hashers.fingerprint(hit.ruleId, hit.person),
          location: { line, offset: block.byteOffset + hit.offset },
        });
      }
    } else {
      f.distinctHashes.add(
        hashers.distinct(
          decodeExcerpt(block.text.slice(hit.offset, hit.offset + hit.length), block.encoding).toLowerCase(),
        ),
      );
    }
  };

  return {
    push(block) {
      if (!layout) {
        layout = sniffLayout(block.text.slice(0, 64 * 1024), (b) => decodeExcerpt(b, block.encoding));
        records = new RecordTracker(layout.kind === "delimited" ? "line" : "paragraph");
      }
      const hits: Hit[] = [];
      for (const rule of rules) rule.scan(block, layout, (h) => hits.push(h));
      records?.startBlock(block);
      if (hits.length === 0) return;
      hits.sort((a, b) => a.offset - b.offset || b.confidence - a.confidence);
      let lastIdentityOffset = -1;
      for (const hit of hits) {
        // One identifier, one hit: a column rule and a pattern rule may both see the same NIR.
        if (hit.person !== undefined) {
          if (hit.offset === lastIdentityOffset) continue;
          lastIdentityOffset = hit.offset;
        }
        const line = (records as RecordTracker).advance(hit.offset, hit.category);
        record(hit, line, block);
      }
    },
    finish() {
      const patientRecords = records?.finish() ?? 0;
      for (const f of findings.values()) f.distinct = f.distinctHashes.size;
      return { findings: [...findings.values()], patientRecords, persons, categories };
    },
  };
}
