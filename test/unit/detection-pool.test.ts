/**
 * Detection worker threads that die: the block a worker died on fails (its object ends
 * partial), the blocks queued behind it are detected by its replacement, and the pool goes on.
 * Real threads, killed from outside and run out of memory under their own heap limit.
 */
import { describe, expect, it } from "vitest";
import { type TextBlock, textBlocks } from "../../src/extract/text-blocks.js";
import { detectBlock } from "../../src/rules/engine.js";
import type { BlockResult } from "../../src/rules/finding.js";
import { createDistinctHasher, createFingerprinter } from "../../src/rules/fingerprint.js";
import { sniffLayout } from "../../src/rules/layout.js";
import { BUILTIN_RULES_DIR } from "../../src/rules/load.js";
import { DetectionPool } from "../../src/rules/pool.js";
import { rules } from "../helpers/scan.js";

const NIR = "185057800608491";
const init = { ruleDirs: [BUILTIN_RULES_DIR], fingerprintKey: "k", distinctSeed: 7 };
const hashers = { fingerprint: createFingerprinter("k"), distinct: createDistinctHasher(7) };
const layout = sniffLayout("nom;nir;commentaire\nMartin;1;x\n", (b) => b);

async function blockOf(text: string) {
  async function* one() {
    yield Buffer.from(text);
  }
  for await (const b of textBlocks(one(), { blockSize: 16 * 1024 * 1024 }).blocks) return b;
  throw new Error("no block");
}
const lab = (n: number) => `nom;nir;commentaire\n${`Martin;${NIR};grossesse\n`.repeat(n)}`;

describe("a detection worker that dies", () => {
  it("terminated from outside: fails the block it held, its replacement detects the ones queued behind", async () => {
    const pool = new DetectionPool(1, init);
    try {
      const blocks = await Promise.all([blockOf(lab(100)), blockOf(lab(200)), blockOf(lab(300))]);
      const [b100, ...rest] = blocks;
      if (!b100) throw new Error("no block");
      const runner = pool.runner();
      const results = blocks.map((b) =>
        runner(b, layout).then(
          (r) => r,
          (e: Error) => e,
        ),
      );
      const [first] = pool.threads();
      await first?.terminate();
      const [died, ...queued] = await Promise.all(results);
      expect(died).toBeInstanceOf(Error);
      expect((died as Error).message).toMatch(/^\[reliquat:detect\] worker exited with code \d+$/);
      for (const [i, r] of queued.entries())
        expect((r as BlockResult).findings).toEqual(detectBlock(rules, hashers, rest[i] as TextBlock, layout).findings);
      expect(pool.threads()).toHaveLength(1);
      expect(pool.threads()[0]).not.toBe(first);
      const after = await runner(b100, layout);
      expect(after.findings).toEqual(detectBlock(rules, hashers, b100, layout).findings);
      expect(after.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(100);
    } finally {
      await pool.close();
    }
  });

  it("out of memory under its heap limit: fails that block with the reason, and the pool goes on", async () => {
    const pool = new DetectionPool(1, init, { maxOldGenerationSizeMb: 64 });
    try {
      const runner = pool.runner();
      const small = await blockOf(lab(10));
      expect((await runner(small, layout)).findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(10);
      // One 16 MiB block of about 460,000 NIRs: its hits alone need more than the 64 MB heap.
      const huge = await blockOf(lab(2_000_000));
      const died = await runner(huge, layout).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(died?.message).toMatch(/^\[reliquat:detect\] worker died: .*memory/i);
      expect((await runner(small, layout)).findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(10);
    } finally {
      await pool.close();
    }
  });
});
