import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import { tarOf } from "../helpers/archives.js";
import { scanFiles } from "../helpers/scan.js";

const csv = patientCsv(seededRandom(12), 100).text;

describe("tar archives", () => {
  it("scans every entry of a .tar.gz backup and says where each sample was found", async () => {
    const backup = gzipSync(
      await tarOf({ "export/patients.csv": csv, "notes/readme.txt": "rien", "export/old/dump.csv.gz": gzipSync(csv) }),
    );
    const [object] = await scanFiles({ "backup-2021.tar.gz": backup });
    expect(object).toMatchObject({ coverage: "scanned", format: "gzip+tar", entries: 3 });
    const nir = object?.findings.find((f) => f.ruleId === "fr-nir");
    expect(nir?.count).toBe(200); // the same 100 NIRs in the CSV and in the gzipped CSV inside the tar
    expect(object?.distinctPersons).toBe(100);
    expect(nir?.samples[0]?.location.path).toBe("export/patients.csv");
  });

  it("reads a plain tar, whatever its name", async () => {
    const [object] = await scanFiles({ "archive.bin": await tarOf({ "a.csv": csv }) });
    expect(object).toMatchObject({ format: "tar", entries: 1, distinctPersons: 100 });
  });

  it("stops at the entry limit and reports it", async () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, "x"]));
    const [object] = await scanFiles({ "many.tar": await tarOf(many) }, { maxArchiveEntries: 10 });
    expect(object).toMatchObject({
      coverage: "partial",
      reason: expect.stringMatching(/^entry-limit: more than 10 archive entries/),
    });
  });

  it("stops at the depth limit", async () => {
    let nested = Buffer.from(csv);
    for (let i = 0; i < 7; i++) nested = gzipSync(nested);
    const [object] = await scanFiles({ "deep.gz": nested }, { maxArchiveDepth: 5 });
    expect(object).toMatchObject({
      coverage: "partial",
      reason: expect.stringMatching(/^depth-limit: more than 5 nested levels/),
    });
  });

  it("reports a cut tar as corrupt, keeping the entries it read", async () => {
    const tar = await tarOf({ "a.csv": csv, "b.csv": csv });
    const [object] = await scanFiles({ "cut.tar": tar.subarray(0, Math.floor(tar.length * 0.75)) });
    expect(object).toMatchObject({ error: true, reason: expect.stringMatching(/^corrupt tar/) });
    expect(object?.distinctPersons).toBe(100);
  });

  it("stops an object whose extraction outlasts its time, even when nothing waits on the network", async () => {
    // Highly compressible, so that the per-MiB grace of the timeout stays tiny, and the ratio limit lifted for the test.
    const { text } = patientCsv(seededRandom(9), 200);
    const rows = Buffer.from(text.repeat(400));
    const [o] = await scanFiles(
      { "big.csv.gz": gzipSync(await tarOf({ "export/patients.csv": rows })) },
      { objectTimeoutMs: 1, maxExpansionRatio: 100_000, exhaustive: true },
    );
    expect(o).toMatchObject({ coverage: "partial", error: true });
    expect(o?.reason).toMatch(/^timeout after \d+ ms/);
  });
});
