import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { SARIF_LIMITS, sarifReporter } from "../../src/report/sarif.js";
import type { BucketReport, ObjectReport } from "../../src/report/types.js";
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

  it("writes every artifactLocation.uri as an RFC 3986 URI that new URL() parses and that decodes back to the redacted key", () => {
    const keys = [
      "with space.csv",
      "a#b.csv",
      "100%.csv",
      "100%25.csv",
      "q?x=1&y=2.csv",
      "dossier médical/été 2021.csv",
      "emoji😀.txt",
      "a//b",
      '[x]{y}|z^`<>".csv',
      "back\\slash.csv",
      "ctl\x1b[2J\x07.txt",
      "export-1•••••••••••••1.csv",
      "plus+semi;colon:at@!$'()*,=.csv",
      "\u202eexe.txt",
    ];
    const at = (b: BucketReport) => ({ ...b, exposure: { score: 70, level: "high" as const, factors: [] } });
    const buckets = [
      at(bucket({ url: "s3://leftovers", objects: keys.map((k, i) => objectAt("s3://leftovers", k, i)) })),
      at(
        bucket({
          url: "s3://export-1•••••••••••••1",
          objects: [objectAt("s3://export-1•••••••••••••1", "k.csv", 100)],
        }),
      ),
      at(
        bucket({
          url: pathToFileURL("/tmp/dossier 2021/ex#port%").href,
          provider: "fs",
          objects: keys.map((k, i) => objectAt(pathToFileURL("/tmp/dossier 2021/ex#port%").href, k, 200 + i)),
        }),
      ),
      at(
        bucket({
          url: "s3://versions",
          objects: [{ ...objectAt("s3://versions", "v.csv", 300), versionId: "3/L4kq+tU=" }],
        }),
      ),
    ];
    const r = report(buckets);
    r.rules = [{ id: "fr-nir", name: "NIR", pack: "fr", category: "national-id", severity: "high" }];
    const log = JSON.parse(render(r));
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const byId = new Map(buckets.flatMap((b) => [...b.objects].map((o) => [o.findings[0]?.id, { b, o }] as const)));
    const results = log.runs[0].results as {
      partialFingerprints: Record<string, string>;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
    }[];
    expect(results).toHaveLength(4 + 2 * keys.length + 2);
    for (const result of results) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
      expect(uri).toMatch(/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/);
      const url = new URL(uri);
      expect(url.hash).toBe("");
      const found = byId.get(result.partialFingerprints["reliquatFinding/v1"]);
      if (!found) {
        // A bucket result: its URI decodes to the bucket URL (a folder's URL comes percent-encoded already).
        expect(buckets.map((b) => decodeURIComponent(b.url))).toContain(decodeURIComponent(uri));
        continue;
      }
      const base = new URL(found.b.url.replace(/•/g, encodeURIComponent("•")));
      expect(decodeURIComponent(url.host)).toBe(decodeURIComponent(base.host));
      expect(decodeURIComponent(url.pathname)).toBe(`${decodeURIComponent(base.pathname)}/${found.o.key}`);
      expect(url.searchParams.get("versionId")).toBe(found.o.versionId ?? null);
    }
  });

  it("encodes a dot segment of a key, so that it does not read as a parent folder", () => {
    const r = report([
      {
        ...bucket({ url: "s3://b", objects: [objectAt("s3://b", "../x/./y", 1)] }),
        exposure: { score: 0, level: "none", factors: [] },
      },
    ]);
    const uri = JSON.parse(render(r)).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toBe("s3://b/%2E%2E/x/%2E/y");
    expect(decodeURIComponent(uri.slice("s3://b/".length))).toBe("../x/./y");
  });
});

/** An object of `bucketUrl` with one NIR finding whose id is `n` in hex. */
function objectAt(bucketUrl: string, key: string, n: number): ObjectReport {
  return {
    ...manyFindings(1, 2)[0],
    url: `${bucketUrl}/${key}`,
    key,
    findings: [
      {
        ...(manyFindings(1, 2)[0]?.findings[1] as ObjectReport["findings"][number]),
        id: n.toString(16).padStart(64, "0"),
      },
    ],
  } as ObjectReport;
}
