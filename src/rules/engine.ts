import type { DistinctHasher, Fingerprinter } from "./fingerprint.js";
import type { CompiledRule } from "./load.js";
import { OverlapScanner } from "./overlap-scanner.js";

/** Where a sample was found. Never contains the value. */
export interface SampleLocation {
  /** 1-based line in the decoded text. */
  line: number;
  /** Character offset in the decoded text. */
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
  /** Valid occurrences. */
  count: number;
  /** Distinct values, counted by fingerprint. */
  distinct: number;
  /** Highest confidence among occurrences, 0–1. */
  confidence: number;
  /** Why that confidence, e.g. "key valid". */
  reasons: string[];
  /** The first `maxSamples` (default 3) occurrences. */
  samples: FindingSample[];
  /** In-memory hashes of the distinct values, for per-bucket counting; dropped before reporting. */
  distinctHashes: Set<number>;
}

/** Detection over one object's text, fed piece by piece. */
export interface ObjectDetector {
  push(text: string): void;
  /** Settles the end of the text and returns one finding per rule that matched. */
  finish(): RuleFinding[];
}

/** Keyed HMAC for the samples shown; fast in-memory hash for distinct counting. */
export interface Hashers {
  fingerprint: Fingerprinter;
  distinct: DistinctHasher;
}

export function createObjectDetector(rules: CompiledRule[], hashers: Hashers, maxSamples = 3): ObjectDetector {
  const findings = new Map<string, RuleFinding>();
  const scanners = rules.map((rule) => {
    // Each object gets its own regex so that concurrent objects do not share lastIndex.
    const regex = new RegExp(rule.regex.source, rule.regex.flags);
    return new OverlapScanner(regex, (m) => {
      const value = rule.validator.normalize(m.text);
      const verdict = rule.validator.validate(value);
      if (!verdict.valid) return;
      let f = findings.get(rule.spec.id);
      if (!f) {
        f = {
          ruleId: rule.spec.id,
          category: rule.spec.category,
          severity: rule.spec.severity,
          count: 0,
          distinct: 0,
          confidence: 0,
          reasons: [],
          samples: [],
          distinctHashes: new Set(),
        };
        findings.set(rule.spec.id, f);
      }
      f.count++;
      f.distinctHashes.add(hashers.distinct(value));
      if (verdict.confidence > f.confidence) {
        f.confidence = verdict.confidence;
        f.reasons = verdict.reasons;
      }
      if (f.samples.length < maxSamples) {
        f.samples.push({
          masked: rule.validator.mask(value),
          fingerprint: hashers.fingerprint(rule.spec.id, value),
          location: { line: m.line, offset: m.offset },
        });
      }
    });
  });
  return {
    push: (text) => {
      for (const s of scanners) s.push(text);
    },
    finish: () => {
      for (const s of scanners) s.finish();
      for (const f of findings.values()) f.distinct = f.distinctHashes.size;
      return [...findings.values()];
    },
  };
}
