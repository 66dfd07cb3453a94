import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rules } from "../helpers/detect.js";
import { scanInMemory } from "../helpers/memory.js";
import { mutated } from "./fuzz-seeds.js";

describe("extraction never throws past the object boundary (property)", () => {
  it("gives every random or mutated object exactly one coverage status", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 4096 }), mutated), async (bytes) => {
        const { report } = await scanInMemory(bytes, rules, { objectTimeoutMs: 2_000 });
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
