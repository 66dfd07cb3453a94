import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import { folderTree } from "../helpers/cli.js";
import { scanTargets } from "../helpers/scan.js";

const csv = patientCsv(seededRandom(11), 200).text;
const gz = gzipSync(Buffer.from(csv, "latin1"));

async function scanOne(files: Record<string, Buffer>, overrides = {}) {
  const dir = await folderTree(files);
  const report = await scanTargets([dir], { failOn: "never", ...overrides });
  return { report, objects: [...(report.buckets[0]?.objects ?? [])] };
}

describe("gzip objects", () => {
  it("expands a gzipped export on the fly and finds what it holds", async () => {
    const { objects } = await scanOne({ "dump/patients.csv.gz": gz });
    expect(objects[0]).toMatchObject({
      coverage: "scanned",
      format: "gzip",
      expandedBytes: Buffer.byteLength(csv, "latin1"),
    });
    expect(objects[0]?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(200);
    expect(objects[0]?.patientRecords).toBeGreaterThan(100);
  });

  it("recognises gzip by its magic bytes, whatever the name", async () => {
    const { objects } = await scanOne({ "export.dat": gz });
    expect(objects[0]?.format).toBe("gzip");
    expect(objects[0]?.distinctPersons).toBe(200);
  });

  it("reports a truncated gzip as partial with the reason, keeps what it read, and marks coverage incomplete", async () => {
    const { report, objects } = await scanOne({ "cut.csv.gz": gz.subarray(0, Math.floor(gz.length / 2)) });
    expect(objects[0]).toMatchObject({
      coverage: "partial",
      error: true,
      reason: expect.stringMatching(/^corrupt gzip: unexpected end of file/),
    });
    expect(objects[0]?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBeGreaterThan(20);
    expect(exitCodeFor(report, "never", false)).toBe(EXIT.incomplete);
  });

  it("stops a gzip bomb at the expansion ratio and goes on with the next object", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const { objects } = await scanOne({ "a-bomb.gz": bomb, "b-plain.csv": Buffer.from(csv, "latin1") });
    expect(bomb.length).toBeLessThan(200 * 1024);
    expect(objects[0]).toMatchObject({
      key: "a-bomb.gz",
      coverage: "partial",
      reason: expect.stringMatching(/^bomb-suspected: expands more than 100:1/),
    });
    expect(objects[0]?.expandedBytes).toBeLessThan(64 * 1024 * 1024);
    expect(objects[1]).toMatchObject({ key: "b-plain.csv", coverage: "scanned" });
  });

  it("stops at the expanded-size limit", async () => {
    const { objects } = await scanOne(
      { "big.gz": gzipSync(Buffer.from(csv.repeat(20))) },
      { maxExpandedBytes: 100_000 },
    );
    expect(objects[0]).toMatchObject({
      coverage: "partial",
      reason: expect.stringMatching(/^expansion limit: more than 100000 bytes/),
    });
  });

  it("reports bytes that start like gzip but are not gzip as corrupt, not as a crash", async () => {
    const { objects } = await scanOne({
      "fake.gz": Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.alloc(100, 7)]),
    });
    expect(objects[0]).toMatchObject({ error: true, reason: expect.stringMatching(/^corrupt gzip/) });
  });

  it("treats the end of a sampled head of a gzip as expected, not as corruption", async () => {
    const big = gzipSync(
      Buffer.from(Array.from({ length: 40 }, () => patientCsv(seededRandom(5), 500).text).join(""), "latin1"),
      { level: 1 },
    );
    const { objects } = await scanOne({ "big.csv.gz": big }, { sampleBytes: 64 * 1024 });
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(objects[0]).toMatchObject({
      coverage: "partial",
      reason: expect.stringMatching(/^head 64 KiB of .* \(gzip: .* expanded\)$/),
    });
    expect(objects[0]?.error).toBeUndefined();
  });
});
