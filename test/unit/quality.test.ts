import { describe, expect, it } from "vitest";
import { benchQuality, benchStructuredQuality } from "../../bench/quality.js";

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

describe("quality on structured formats, by person (FHIR, NDJSON, CDA, SQL, HPRIM, xlsx, docx, PDF, Parquet, zip, gzip)", () => {
  it("finds every planted person and nothing else", async () => {
    const { rows, misses } = await benchStructuredQuality(44);
    const nir = rows[0];
    expect(nir?.tp).toBeGreaterThan(150);
    expect(misses).toEqual([]);
    expect(nir?.precision).toBe(1);
    expect(nir?.recall).toBe(1);
  });
});
