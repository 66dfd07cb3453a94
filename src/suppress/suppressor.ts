import { createHash } from "node:crypto";
import type { ObjectRef } from "../providers/types.js";
import type { Redactor } from "../redact.js";
import type { SuppressionSummary } from "../report/types.js";
import { DistinctCounter } from "../rules/distinct.js";
import type { ObjectDetection } from "../rules/finding.js";
import { type AllowEntry, allows } from "./allowlist.js";
import type { Baseline } from "./baseline.js";

/** What suppression removed from one object: the baseline entries it matched, and counts. */
export interface Suppressed {
  baselineIds: string[];
  baseline: number;
  allowlist: number;
}

/**
 * Finding ids and suppression. A finding's id is the SHA-256 of provider, bucket, key, rule
 * (and version, for noncurrent versions), never of the value; the bucket name and the key are
 * redacted first, so that an id cannot be brute-forced back to an identifier written in a
 * bucket or key name (a NIR has only about 10^13 values). Suppressed findings leave the
 * object's counts too.
 */
export class Suppressor {
  private readonly baseline: Map<string, string>;
  private readonly seen = new Set<string>();
  private readonly counts = { baseline: 0, allowlist: 0 };
  /** Whether a baseline or an allowlist is in use (the report then carries `suppressed`). */
  readonly active: boolean;

  constructor(
    private readonly redact: Redactor,
    private readonly allowlist: AllowEntry[] = [],
    baseline?: Baseline,
  ) {
    this.baseline = new Map((baseline?.entries ?? []).map((e) => [e.id, `${e.object} (${e.rule})`]));
    this.active = baseline !== undefined || allowlist.length > 0;
  }

  /** The stable id of a rule's findings in one object. */
  id(obj: ObjectRef, ruleId: string): string {
    const parts = [obj.bucket.provider, this.redact(obj.bucket.name), this.redact(obj.key), ruleId];
    // Ids of current objects must not change (baselines hold them): the version is appended only when set.
    if (obj.versionId) parts.push(obj.versionId);
    return createHash("sha256").update(parts.join("\0")).digest("hex");
  }

  /**
   * What decides suppression, as a digest: a state store re-reads objects when it changes, as
   * their stored findings were filtered with the old one.
   */
  digest(): string {
    const ids = [...this.baseline.keys()].sort();
    return createHash("sha256")
      .update(JSON.stringify([ids, this.allowlist]))
      .digest("hex");
  }

  /**
   * Removes suppressed findings from `detection` (in place) and recomputes its counts. Returns
   * what it suppressed, so that an object carried forward by a state store counts again.
   */
  apply(obj: ObjectRef, detection: ObjectDetection): Suppressed {
    const done: Suppressed = { baselineIds: [], baseline: 0, allowlist: 0 };
    if (!this.active) return done;
    const kept = detection.findings.filter((f) => {
      const id = this.id(obj, f.ruleId);
      if (this.baseline.has(id)) {
        done.baselineIds.push(id);
        done.baseline += f.count;
        return false;
      }
      if (this.allowlist.some((e) => allows(e, obj.bucket.url, obj.bucket.name, obj.key, f.ruleId))) {
        done.allowlist += f.count;
        return false;
      }
      return true;
    });
    this.replay(done);
    if (kept.length === detection.findings.length) return done;
    const categories: Record<string, number> = {};
    const persons = new DistinctCounter();
    for (const f of kept) {
      categories[f.category] = (categories[f.category] ?? 0) + f.count;
      if (f.category === "national-id") persons.addAll(f.distinctHashes);
    }
    const identity = kept.some((f) => f.category === "national-id" || f.category === "identity");
    const health = kept.some((f) => f.category === "health");
    Object.assign(detection, {
      findings: kept,
      categories,
      persons,
      patientRecords: identity && health ? detection.patientRecords : 0,
    });
    return done;
  }

  /** Counts what an earlier run suppressed in an object carried forward unread. */
  replay(done: Suppressed): void {
    for (const id of done.baselineIds) this.seen.add(id);
    this.counts.baseline += done.baseline;
    this.counts.allowlist += done.allowlist;
  }

  /** Totals for the report; stale entries are baseline entries no finding matched. */
  summary(): SuppressionSummary {
    const stale = [...this.baseline].filter(([id]) => !this.seen.has(id)).map(([, what]) => what);
    return { ...this.counts, staleBaseline: stale };
  }
}
