import { describe, expect, it } from "vitest";
import { SampleEstimator } from "../../src/score/estimate.js";

/** Deterministic pseudo-random numbers (LCG), so that the test is reproducible. */
function lcg(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe("sampling estimate", () => {
  it("is exact with a zero-width interval when every object was read", () => {
    const e = new SampleEstimator();
    for (const v of [3, 0, 7, 1]) e.add(v);
    expect(e.estimate(4, 11)).toEqual({ value: 11, low: 11, high: 11 });
  });

  it("covers the true total in about 95% of random samples", () => {
    const rand = lcg(42);
    const population = Array.from({ length: 2000 }, () => (rand() < 0.3 ? Math.floor(rand() * 200) : 0));
    const truth = population.reduce((a, b) => a + b, 0);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const e = new SampleEstimator();
      const picked = new Set<number>();
      while (picked.size < 150) picked.add(Math.floor(rand() * population.length));
      for (const i of picked) e.add(population[i] ?? 0);
      const { low, high } = e.estimate(population.length, 0);
      if (low <= truth && truth <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(1);
  });

  it("never goes below what was observed for sure", () => {
    const e = new SampleEstimator();
    e.add(0);
    e.add(0);
    e.add(1);
    expect(e.estimate(10, 5).low).toBe(5);
  });
});
