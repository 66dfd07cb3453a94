import { createHash } from "node:crypto";
import type { Config } from "./config/schema.js";
import type { BucketRef } from "./providers/types.js";
import type { ScoreWeights } from "./score/weights.js";
import type { Suppressor } from "./suppress/suppressor.js";
import { VERSION } from "./version.js";

/** What earlier targets of the scan covered, per bucket: its whole, or prefixes of it. */
export class TargetOverlap {
  private readonly scanned = new Map<string, string[]>();

  /**
   * Records that `prefix` of `bucket` is about to be scanned. Returns `all` when an earlier
   * target covered it already, else the prefixes inside it that earlier targets scanned.
   */
  claim(bucket: BucketRef, prefix: string): "all" | string[] {
    const id = `${bucket.provider}\0${bucket.name}`;
    const before = this.scanned.get(id) ?? [];
    if (before.some((p) => prefix.startsWith(p))) return "all";
    this.scanned.set(id, [...before, prefix]);
    return before.filter((p) => p.startsWith(prefix));
  }
}

/**
 * A digest of everything that decides an object's result: a state store reads an object again
 * when it changed since the object was read (new rules, other limits, another version).
 */
export function resultParameters(
  config: Config,
  rulePacks: string[],
  weights: ScoreWeights,
  suppressor: Suppressor,
): string {
  const decisive = {
    version: VERSION,
    rulePacks,
    weights,
    suppression: suppressor.digest(),
    exhaustive: config.exhaustive,
    sampleBytes: config.sampleBytes,
    includeVersions: config.includeVersions,
    expand: [config.maxExpandedBytes, config.maxExpansionRatio, config.maxArchiveEntries, config.maxArchiveDepth],
  };
  return createHash("sha256").update(JSON.stringify(decisive)).digest("hex").slice(0, 32);
}
