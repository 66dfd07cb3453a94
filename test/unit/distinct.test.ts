import { describe, expect, it } from "vitest";
import { DistinctCounter, SKETCH_ERROR_95 } from "../../src/rules/distinct.js";
import { createDistinctHasher } from "../../src/rules/fingerprint.js";

const hash = createDistinctHasher(7);
/** The hash of person `i`, as the engine makes it from a NIR. */
const person = (i: number) => hash(String(100000000000000 + i));

describe("distinct counting in bounded memory", () => {
  it("counts exactly up to its limit, duplicates once", () => {
    const c = new DistinctCounter(1000);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 1000; i++) c.add(person(i));
    expect(c.exact).toBe(true);
    expect(c.size).toBe(1000);
    expect(new Set(c.values()).size).toBe(1000);
  });

  it("switches to the sketch past its limit and stays within its stated error", () => {
    for (const n of [5_000, 50_000, 400_000]) {
      const c = new DistinctCounter(1000);
      for (let i = 0; i < n; i++) c.add(person(i));
      for (let i = 0; i < n; i += 3) c.add(person(i)); // repeats change nothing
      expect(c.exact).toBe(false);
      expect(Math.abs(c.size - n) / n).toBeLessThan(SKETCH_ERROR_95);
    }
  });

  it("merges exact and sketched counters as a union", () => {
    const a = new DistinctCounter(10_000);
    const b = new DistinctCounter(1000);
    for (let i = 0; i < 8000; i++) a.add(person(i));
    for (let i = 4000; i < 60_000; i++) b.add(person(i));
    a.addAll(b);
    expect(a.exact).toBe(false);
    expect(Math.abs(a.size - 60_000) / 60_000).toBeLessThan(SKETCH_ERROR_95);
    const c = new DistinctCounter();
    c.addAll([person(1), person(2), person(1)]);
    c.addAll(new DistinctCounter());
    expect(c.size).toBe(2);
  });

  it("holds 20 million distinct persons, past V8's 2^24 Set limit, within the error and in bounded memory", () => {
    const before = process.memoryUsage().rss;
    const c = new DistinctCounter();
    const n = 20_000_000;
    for (let i = 0; i < n; i++) c.add(person(i));
    expect(c.exact).toBe(false);
    expect(Math.abs(c.size - n) / n).toBeLessThan(SKETCH_ERROR_95);
    // The exact table (32 MiB at most, 48 while it grows) was dropped for a 16 KiB sketch.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
