import { describe, expect, it } from "vitest";
import { benchQuality } from "../../bench/quality.js";

describe("quality on the labelled corpus (npm run bench:quality)", () => {
  it("reaches 100% NIR precision and at least 99.5% NIR recall, with no health false positive", async () => {
    const { rows } = await benchQuality(120);
    const nir = rows.find((r) => r.label === "nir");
    const health = rows.find((r) => r.label === "health");
    expect(nir?.tp).toBeGreaterThan(500);
    expect(nir?.precision).toBe(1);
    expect(nir?.recall).toBeGreaterThanOrEqual(0.995);
    expect(health?.precision).toBe(1);
    expect(health?.recall).toBeGreaterThanOrEqual(0.99);
  });
});
