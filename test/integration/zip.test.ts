import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import { tarOf, zipOf } from "../helpers/archives.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings, scanFiles, scanTargets } from "../helpers/scan.js";

const csv = patientCsv(seededRandom(31), 50).text;
const server = inject("servers").s3rver;

describe("zip archives", () => {
  it("scans every entry of a zip and says in which entry each sample was found", async () => {
    const zip = await zipOf({ "export/patients.csv": csv, "LISEZMOI.txt": "rien", "vide/": "" });
    const [object] = await scanFiles({ "export_sil.zip": zip });
    expect(object).toMatchObject({ coverage: "scanned", format: "zip", entries: 2, distinctPersons: 50 });
    expect(object?.findings.find((f) => f.ruleId === "fr-nir")?.samples[0]?.location.path).toBe("export/patients.csv");
  });

  it("opens zips inside tar.gz and tar.gz inside zips, whatever the names", async () => {
    const inner = await zipOf({ "a.csv": csv });
    const [outer] = await scanFiles({ "backup.dat": gzipSync(await tarOf({ "deep/archive.zip": inner })) });
    expect(outer).toMatchObject({ coverage: "scanned", format: "gzip+tar+zip", distinctPersons: 50 });
    expect(outer?.findings.find((f) => f.ruleId === "fr-nir")?.samples[0]?.location.path).toBe(
      "deep/archive.zip/a.csv",
    );
    const [reverse] = await scanFiles({
      "x.bin": await zipOf({ "b.tar.gz": gzipSync(await tarOf({ "c.csv": csv })) }),
    });
    expect(reverse).toMatchObject({ format: "zip+gzip+tar", distinctPersons: 50 });
  });

  it("samples a large zip over S3 through its central directory, then the first entries (ranged reads)", async () => {
    // 40 entries of incompressible filler, one with patients first: 1 MiB sampled of ~2.4 MiB.
    const files: Record<string, Buffer | string> = { "000_patients.csv": csv };
    for (let i = 1; i < 40; i++)
      files[`${String(i).padStart(3, "0")}_blob.bin`] = randomBytes(60_000).toString("base64");
    const zip = await zipOf(files, true);
    const name = bucketName("zip");
    const admin = adminClient(server);
    await createBucketWith(admin, name, [{ key: "backup.zip", body: zip }]);
    admin.destroy();
    const report = await scanTargets(
      [`s3://${name}`],
      { failOn: "never", sampleBytes: 1024 * 1024 },
      s3Settings(server),
    );
    const object = report.buckets[0]?.objects.at(0);
    expect(object).toMatchObject({ coverage: "partial", format: "zip", distinctPersons: 50 });
    expect(object?.reason).toMatch(/^zip: central directory and (\d+) of 40 entries read \(sampling\)/);
    expect(object?.bytesRead).toBeLessThan(zip.length * 0.6);
    const exhaustive = await scanTargets([`s3://${name}`], { failOn: "never", exhaustive: true }, s3Settings(server));
    expect(exhaustive.buckets[0]?.objects.at(0)).toMatchObject({ coverage: "scanned", entries: 40 });
  });

  it("stops a 42.zip-style bomb (zips of zips of zeros) at the ratio limit, and goes on", async () => {
    const zeros = await zipOf({ "zeros.bin": Buffer.alloc(64 * 1024 * 1024) });
    const level = await zipOf(Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`z${i}.zip`, zeros])));
    const bomb = await zipOf({ "a.zip": level, "b.zip": level });
    const objects = await scanFiles({ "42.zip": bomb, "z-next.csv": Buffer.from(csv) });
    expect(objects.at(0)).toMatchObject({
      coverage: "partial",
      reason: expect.stringMatching(/^bomb-suspected: expands more than 100:1/),
    });
    expect(objects.at(1)).toMatchObject({ coverage: "scanned", distinctPersons: 50 });
  });

  it("reports a zip with a broken central directory and a truncated zip, with the reason", async () => {
    const good = await zipOf({ "a.csv": csv });
    const broken = Buffer.from(good);
    // The end-of-central-directory record points the directory past the end of the file.
    const eocd = broken.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    broken.writeUInt32LE(broken.length + 1000, eocd + 16);
    const objects = await scanFiles({
      "broken.zip": broken,
      "cut.zip": good.subarray(0, Math.floor(good.length / 2)),
    });
    for (const o of objects) {
      expect(o.error).toBe(true);
      expect(o.reason).toMatch(/corrupt zip/);
      expect(["partial", "skipped"]).toContain(o.coverage);
    }
  });

  it("marks formats without an extractor, never silently: raw-scanned 7z, skipped image, in an archive too", async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from("IHDR"),
      Buffer.alloc(64, 7),
    ]);
    const objects = await scanFiles({
      // A 7z header (no extractor: no maintained pure-JS reader), with text showing through.
      "compte-rendu.txt": Buffer.concat([
        Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]),
        Buffer.alloc(24),
        Buffer.from(`\nNIR du patient : ${patientCsv(seededRandom(4), 1).nirs[0]}\n`),
      ]),
      "photo.dat": png,
      "scans.zip": await zipOf({ "a.png": png, "b.csv": csv }),
    });
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    expect(byKey["compte-rendu.txt"]).toMatchObject({
      coverage: "partial",
      reason: "unsupported-format (7z: raw bytes only)",
    });
    expect(byKey["compte-rendu.txt"]?.distinctPersons).toBe(1);
    expect(byKey["photo.dat"]).toMatchObject({ coverage: "skipped", reason: "unsupported-format (image/png)" });
    expect(byKey["scans.zip"]).toMatchObject({
      coverage: "partial",
      reason: "unsupported-format (image/png in 1 entry)",
      distinctPersons: 50,
    });
  });
});
