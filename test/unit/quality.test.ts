import { describe, expect, it } from "vitest";
import { benchQuality, benchStructuredQuality, documentHits } from "../../bench/quality.js";
import { loadRules } from "../../src/rules/load.js";
import { invoiceCorpus, type LabelledDoc } from "../corpus/quality-corpus.js";

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

const rules = await loadRules();

/** Every hit of every rule in one document, with its category and byte span in the document. */
const hitsOf = (doc: LabelledDoc) => documentHits(doc.bytes, rules);

describe("invoices and payment exports: financial, never health nor a NIR", () => {
  it("finds every valid IBAN and card in their columns, and no near-miss (check digits, Luhn, SIRET, EAN, order numbers)", async () => {
    const s = { tp: 0, fp: 0, fn: 0, other: 0 };
    for (const doc of invoiceCorpus(40)) {
      const hits = await hitsOf(doc);
      const overlaps = (a: { offset: number; length: number }, b: { offset: number; length: number }) =>
        a.offset < b.offset + b.length && b.offset < a.offset + a.length;
      const planted = doc.planted.filter((p) => p.label === "financial");
      const financial = hits.filter((h) => h.category === "financial");
      for (const p of planted)
        if (financial.some((h) => overlaps(h, p))) s.tp++;
        else s.fn++;
      for (const h of financial) if (!planted.some((p) => overlaps(h, p))) s.fp++;
      s.other += hits.filter((h) => ["national-id", "health", "identity", "contact"].includes(h.category)).length;
    }
    expect(s.tp).toBeGreaterThan(500);
    expect(s).toMatchObject({ fp: 0, fn: 0, other: 0 });
  });
});
