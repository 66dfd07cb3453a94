/**
 * The state's sealing of distinct-person hashes: one cipher each way serves a whole run, so
 * blobs must open in any order, on another instance with the same key, and never with another key.
 */
import { describe, expect, it } from "vitest";
import { DistinctCounter } from "../../src/rules/distinct.js";
import { StateKeys } from "../../src/state/keys.js";

const counter = (values: number[], exactLimit?: number) => {
  const c = new DistinctCounter(exactLimit);
  for (const v of values) c.add(v);
  return c;
};
const values = (c: DistinctCounter) => [...(c.export() as { values: Float64Array }).values].sort((a, b) => a - b);

describe("StateKeys.seal and open", () => {
  const sets = [[1], [2 ** 52 + 7, 3, 99], [], Array.from({ length: 40 }, (_, i) => i * 1_000_003 + 5)];

  it("opens blobs in any order, on this instance and on a new one with the same key", () => {
    const keys = new StateKeys("k1");
    const blobs = sets.map((s) => keys.seal(counter(s)));
    const again = new StateKeys("k1");
    for (const i of [3, 0, 2, 1]) {
      const want = [...new Set(sets[i])].sort((a, b) => a - b);
      expect(values(keys.open(blobs[i] as Buffer))).toEqual(want);
      expect(values(again.open(blobs[i] as Buffer))).toEqual(want);
    }
    // Sealing is deterministic: the same set gives the same bytes whatever was sealed before.
    expect(keys.seal(counter(sets[1] as number[]))).toEqual(blobs[1]);
  });

  it("refuses a blob sealed with another key, and a damaged one", () => {
    const blob = new StateKeys("k1").seal(counter([5, 6]));
    expect(() => new StateKeys("k2").open(blob)).toThrow(/another key/);
    expect(() => new StateKeys("k1").open(blob.subarray(0, blob.length - 3))).toThrow(/damaged/);
  });

  it("keeps a sketch as it is", () => {
    const big = counter(
      Array.from({ length: 300 }, (_, i) => i * 7919 + 1),
      100,
    );
    const saved = big.export();
    expect("sketch" in saved).toBe(true);
    const opened = new StateKeys("k1").open(new StateKeys("k1").seal(big), 100);
    expect(opened.size).toBe(big.size);
  });
});
