import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXPAND_LIMITS } from "../../src/extract/limits.js";
import { createDistinctHasher, createFingerprinter } from "../../src/rules/fingerprint.js";
import { ByteBudget } from "../../src/sample/plan.js";
import { scanObject } from "../../src/scan-object.js";
import { Suppressor } from "../../src/suppress/suppressor.js";
import { rules } from "../helpers/detect.js";
import { memory, mutated } from "./fuzz-seeds.js";

describe("extraction never throws past the object boundary (property)", () => {
  it("gives every random or mutated object exactly one coverage status", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 4096 }), mutated), async (bytes) => {
        const { provider, ref } = memory(bytes);
        const ctx = {
          provider,
          rules,
          hashers: { fingerprint: createFingerprinter("k"), distinct: createDistinctHasher(1) },
          suppressor: new Suppressor((s) => s),
          budget: new ByteBudget(0),
          plan: { exhaustive: true, sampleBytes: 1 << 20 },
          objectTimeoutMs: 2_000,
          expandLimits: DEFAULT_EXPAND_LIMITS,
          signal: new AbortController().signal,
        };
        const { report } = await scanObject(ref, ctx);
        expect(["scanned", "partial", "skipped"]).toContain(report.coverage);
        if (report.coverage !== "scanned") expect(report.reason).toBeTruthy();
        // Zip, PDF and Parquet are read again through ranged reads (tail, central directory or footer, then the rest).
        expect(report.bytesRead).toBeLessThanOrEqual(
          /^(zip|pdf|parquet)/.test(report.format ?? "") ? 3 * bytes.length + 1024 : bytes.length,
        );
      }),
      { numRuns: 600 },
    );
  });
});
