import { describe, expect, it } from "vitest";
import { thousands } from "../../src/numbers.js";

describe("thousands", () => {
  it("writes what toLocaleString('en-US') writes, for integers and decimals of every length", () => {
    const values = [0, 7, 12, 999, 1000, 4658, 99_976, 100_000, 1_234_567, 491_840, 2 ** 53 - 1, -1234, 1234.5, 0.25];
    for (let d = 1; d <= 16; d++) values.push(Number("9".repeat(d)), 10 ** (d - 1));
    for (const n of values)
      expect(thousands(n), String(n)).toBe(n.toLocaleString("en-US", { maximumFractionDigits: 20 }));
  });
});
