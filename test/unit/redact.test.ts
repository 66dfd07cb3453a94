import { describe, expect, it } from "vitest";
import { createRedactor, redactDeep } from "../../src/report/redact.js";
import { loadRules } from "../../src/rules/load.js";

const redact = createRedactor(await loadRules());

describe("redaction before reporting", () => {
  it("masks a valid NIR hidden in an object key", () => {
    expect(redact("exports/patient_185057800608491.csv")).toBe("exports/patient_1•••••••••••••1.csv");
  });

  it("masks the spaced form in an error message", () => {
    expect(redact('reading "1 85 05 78 006 084 91.txt" failed')).not.toContain("85 05 78");
  });

  it("leaves numbers that are not valid NIRs alone", () => {
    expect(redact("facture 185057800608492 / siret 73282932000074")).toBe(
      "facture 185057800608492 / siret 73282932000074",
    );
  });

  it("walks every string of a nested report", () => {
    const out = redactDeep({ a: ["x 185057800608491"], b: { c: 3, d: "185057800608491" } }, redact);
    expect(JSON.stringify(out)).not.toContain("185057800608491");
    expect(out.b.c).toBe(3);
  });
});
