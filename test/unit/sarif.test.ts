import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync, gzipSync } from "node:zlib";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { SARIF_LIMITS, sarifReporter } from "../../src/report/sarif.js";
import type { ObjectReport } from "../../src/report/types.js";
import { goldenReport } from "../helpers/golden.js";
import { bucket, report, totals } from "../helpers/report.js";

// The OASIS SARIF 2.1.0 schema (final release candidate rtm.5, identical in content), as shipped by Microsoft's SARIF SDK.
const schemaFile = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
// The schema's `language` pattern is not valid in unicode mode: compile patterns as plain RegExps.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
const render = (r: Parameters<typeof sarifReporter.render>[0]) =>
  sarifReporter.render(r, { color: false, failOn: "high" });

function manyFindings(objects: number, perObject: number): ObjectReport[] {
  return Array.from({ length: objects }, (_, i) => ({
    url: `s3://big/obj-${i}.csv`,
    key: `obj-${i}.csv`,
    size: 100,
    coverage: "scanned" as const,
    bytesRead: 100,
    patientRecords: 0,
    distinctPersons: 1,
    categories: { "national-id": 1 },
    findings: Array.from({ length: perObject }, (_, j) => ({
      id: (i * perObject + j).toString(16).padStart(64, "0"),
      ruleId: j % 2 ? "fr-nir" : "fr-health-terms",
      category: j % 2 ? "national-id" : "health",
      severity: j % 2 ? "high" : "low",
      count: 1,
      distinct: 1,
      confidence: 0.9,
      reasons: ["key valid"],
      samples: [],
    })),
  }));
}

describe("SARIF 2.1.0", () => {
  it("validates against the SARIF 2.1.0 JSON schema, with rule metadata and no snippet", async () => {
    const text = render(await goldenReport("sarif"));
    const log = JSON.parse(text);
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain("fr-nir");
    expect(run.results.length).toBeGreaterThan(3);
    for (const r of run.results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\/golden\//);
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{64}$/);
      expect(r.locations[0].physicalLocation.region?.snippet).toBeUndefined();
    }
    expect(text).not.toMatch(/"snippet"/);
  });

  it("maps severities to levels: a NIR is an error, a health term a note", async () => {
    const results = JSON.parse(render(await goldenReport("sarif"))).runs[0].results as {
      ruleId: string;
      level: string;
    }[];
    expect(results.find((r) => r.ruleId === "fr-nir")?.level).toBe("error");
    expect(results.find((r) => r.ruleId === "fr-health-terms")?.level).toBe("note");
  });

  it("stays under GitHub's 25,000-result limit, keeping the most severe and saying so", () => {
    const big = report([bucket({ url: "s3://big", totals: totals({}), objects: manyFindings(3000, 10) })]);
    big.rules = [
      { id: "fr-nir", name: "NIR", pack: "fr", category: "national-id", severity: "high" },
      { id: "fr-health-terms", name: "terms", pack: "fr", category: "health", severity: "low" },
    ];
    const log = JSON.parse(render(big));
    const run = log.runs[0];
    expect(run.results).toHaveLength(SARIF_LIMITS.results);
    expect(run.results.filter((r: { level: string }) => r.level === "error")).toHaveLength(15_000);
    expect(run.invocations[0].toolExecutionNotifications.at(-1).message.text).toMatch(/truncated: 25000 of 30000 kept/);
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("stays under 10 MB gzipped by halving the results until it fits", () => {
    // Random reasons make each result large and incompressible: 24,000 of them exceed 10 MB gzipped.
    const objects = manyFindings(2400, 10);
    for (const o of objects) for (const f of o.findings) f.reasons = [randomBytes(600).toString("hex")];
    const text = render(report([bucket({ url: "s3://big", objects })]));
    expect(gzipSync(text).byteLength).toBeLessThanOrEqual(SARIF_LIMITS.gzippedBytes);
    expect(gunzipSync(gzipSync(text)).toString()).toBe(text);
    const run = JSON.parse(text).runs[0];
    expect(run.results.length).toBeLessThan(24_000);
    expect(run.invocations[0].toolExecutionNotifications.at(-1).message.text).toMatch(/truncated/);
  });
});
