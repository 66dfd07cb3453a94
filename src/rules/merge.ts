import { DistinctCounter } from "./distinct.js";
import type { BlockResult, ObjectDetection, RuleFinding } from "./finding.js";
import { SEVERITIES } from "./schema.js";

/** Merges block results in order: the first samples win, counts add up, hash sets unite. */
export class DetectionMerger {
  private readonly findings = new Map<string, RuleFinding>();
  private readonly persons = new DistinctCounter();
  private readonly categories: Record<string, number> = {};
  private patientRecords = 0;

  constructor(private readonly maxSamples = 3) {}

  add(r: BlockResult): void {
    this.patientRecords += r.patientRecords;
    this.persons.addAll(r.persons);
    for (const [c, n] of Object.entries(r.categories)) this.categories[c] = (this.categories[c] ?? 0) + n;
    for (const b of r.findings) {
      const f = this.findings.get(b.ruleId);
      if (!f) {
        const distinctHashes = new DistinctCounter();
        distinctHashes.addAll(b.distinctHashes);
        this.findings.set(b.ruleId, { ...b, distinctHashes });
        continue;
      }
      f.count += b.count;
      f.distinctHashes.addAll(b.distinctHashes);
      if (b.confidence > f.confidence) {
        f.confidence = b.confidence;
        f.reasons = b.reasons;
      }
      for (const [g, n] of Object.entries(b.groups ?? {})) f.groups = { ...f.groups, [g]: (f.groups?.[g] ?? 0) + n };
      f.samples.push(...b.samples.slice(0, Math.max(0, this.maxSamples - f.samples.length)));
    }
  }

  /** Findings in a reader's order: most severe first, then most frequent; groups and categories by count. */
  finish(): ObjectDetection {
    const findings = [...this.findings.values()];
    for (const f of findings) {
      f.distinct = f.distinctHashes.size;
      if (f.groups) f.groups = byCount(f.groups);
    }
    const rank = (f: RuleFinding) => SEVERITIES.indexOf(f.severity as (typeof SEVERITIES)[number]);
    findings.sort((a, b) => rank(a) - rank(b) || b.count - a.count || a.ruleId.localeCompare(b.ruleId));
    return {
      findings,
      patientRecords: this.patientRecords,
      persons: this.persons,
      categories: byCount(this.categories),
    };
  }
}

/** Counts, highest first (then by name): a stable order whatever order the blocks were tallied in. */
function byCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}
