import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { patientCsv, seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { tarOf, zipOf } from "../helpers/archives.js";
import { xlsxOf } from "../helpers/office.js";
import { scanFiles } from "../helpers/scan.js";

type Found = { count: number; samples: { location: { field?: string; path?: string } }[] };
type Scanned = Awaited<ReturnType<typeof scanFiles>>[number];
const finding = (o: Scanned | undefined, id: string) => o?.findings.find((f) => f.ruleId === id) as Found | undefined;
const nirCount = (o: Scanned | undefined) => finding(o, "fr-nir")?.count ?? 0;
const byKey = (objects: Scanned[]) => Object.fromEntries(objects.map((o) => [o.key, o]));

const csv = (seed: number, rows: number) => Buffer.from(patientCsv(seededRandom(seed), rows).text, "latin1");
/** Debian's tools write the fixtures; `-n` leaves the name and time out, so the bytes are fixed. */
const tool = (name: string, args: string[], input: Buffer) => {
  const run = spawnSync(name, args, { input });
  return { status: run.status, stdout: run.stdout as Buffer, stderr: String(run.stderr) };
};
const gzip = (data: Buffer) => tool("gzip", ["-c", "-n"], data).stdout;
const bzip2 = (data: Buffer) => tool("bzip2", ["-c"], data).stdout;

describe("gzip with more than one member, or with bytes after them", () => {
  const a = csv(1, 1);
  const b = csv(2, 1);
  const garbage = Buffer.from("GARBAGE, not gzip");

  it("keeps what every member decoded when trailing garbage follows, and says how many bytes were ignored", async () => {
    const one = Buffer.concat([gzip(a), garbage]);
    const two = Buffer.concat([gzip(a), gzip(b), garbage]);
    // What gzip -d does with the same bytes: everything decoded, a warning (exit status 2).
    expect(tool("gzip", ["-dc"], two)).toMatchObject({ status: 2, stdout: Buffer.concat([a, b]) });
    expect(tool("gzip", ["-dc"], two).stderr).toMatch(/trailing garbage ignored/);
    const o = byKey(await scanFiles({ "one.csv.gz": one, "two.csv.gz": two }));
    expect(o["one.csv.gz"]).toMatchObject({ coverage: "partial", format: "gzip", expandedBytes: a.length });
    expect(o["one.csv.gz"]?.reason).toMatch(/^gzip: trailing garbage after 1 member \(17 bytes ignored\) \(gzip: /);
    expect(nirCount(o["one.csv.gz"])).toBe(1);
    expect(o["two.csv.gz"]).toMatchObject({ coverage: "partial", expandedBytes: a.length + b.length });
    expect(o["two.csv.gz"]?.reason).toMatch(/^gzip: trailing garbage after 2 members \(17 bytes ignored\) \(gzip: /);
    expect(o["two.csv.gz"]?.error).toBeUndefined();
    expect(nirCount(o["two.csv.gz"])).toBe(2);
  });

  it("reads two concatenated members (valid gzip) and zero padding after the last one as a complete scan", async () => {
    const two = Buffer.concat([gzip(a), gzip(b)]);
    const padded = Buffer.concat([gzip(a), Buffer.alloc(512)]);
    expect(tool("gzip", ["-dc"], padded).status).toBe(0);
    const o = byKey(await scanFiles({ "two.csv.gz": two, "padded.csv.gz": padded }));
    expect(o["two.csv.gz"]).toMatchObject({ coverage: "scanned", expandedBytes: a.length + b.length });
    expect(o["two.csv.gz"]?.reason).toBeUndefined();
    expect(nirCount(o["two.csv.gz"])).toBe(2);
    expect(o["padded.csv.gz"]).toMatchObject({ coverage: "scanned", expandedBytes: a.length });
    expect(nirCount(o["padded.csv.gz"])).toBe(1);
  });

  it("scans what a small gzip with a wrong CRC decoded, and reports the CRC as gzip -t does", async () => {
    const bad = Buffer.from(gzip(a));
    bad[bad.length - 8] = (bad[bad.length - 8] as number) ^ 0xff;
    expect(tool("gzip", ["-t"], bad).status).toBe(1);
    const [o] = await scanFiles({ "crc.csv.gz": bad });
    expect(o).toMatchObject({ coverage: "partial", error: true, reason: "corrupt gzip: incorrect data check" });
    expect(nirCount(o)).toBe(1);
  });

  it("still stops a bomb split into many small members at the expansion ratio", async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const [o] = await scanFiles({ "bomb.gz": bomb });
    expect(o).toMatchObject({ coverage: "partial", reason: expect.stringMatching(/^bomb-suspected: expands more/) });
    expect(o?.expandedBytes).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("structures nested 100,000 deep, with a value at every level", () => {
  const nir = syntheticNir(seededRandom(7));
  const depth = 100_000;

  it("XML: every value is read, the NIR at the bottom is found, and its location is shortened", async () => {
    const xml = `${"<a>diabète ".repeat(depth)}NIR ${nir}${"</a>".repeat(depth)}`;
    const [o] = await scanFiles({ "deep.xml": Buffer.from(xml) }, { exhaustive: true });
    expect(Buffer.byteLength(xml)).toBe(1_600_019);
    expect(o).toMatchObject({ coverage: "scanned", format: "xml" });
    expect(finding(o, "fr-health-terms")?.count).toBe(depth);
    expect(nirCount(o)).toBe(1);
    expect(finding(o, "fr-nir")?.samples[0]?.location.field).toBe(`${"/a".repeat(16)}/…(99,976 more)${"/a".repeat(8)}`);
  });

  it("JSON: every value is read, the NIR at the bottom is found, and its location is shortened", async () => {
    const json = `${'{"v":"diabète","a":'.repeat(depth)}{"nir":"${nir}"}${"}".repeat(depth)}`;
    const [o] = await scanFiles({ "deep.json": Buffer.from(json) }, { exhaustive: true });
    expect(o).toMatchObject({ coverage: "scanned", format: "json" });
    expect(finding(o, "fr-health-terms")?.count).toBe(depth);
    expect(nirCount(o)).toBe(1);
    expect(finding(o, "fr-nir")?.samples[0]?.location.field).toBe(
      `$${".a".repeat(15)}.…(99,977 more)${".a".repeat(8)}.nir`,
    );
  });

  it("NDJSON: a line nested as deep is flattened once, not written again as text", async () => {
    const line = `${'{"v":"diabète","a":'.repeat(depth)}{"nir":"${nir}"}${"}".repeat(depth)}`;
    const ndjson = `{"id":1,"note":"RAS"}\n${line}\n{"id":2,"note":"RAS"}\n`;
    const [o] = await scanFiles({ "deep.ndjson": Buffer.from(ndjson) }, { exhaustive: true });
    expect(o).toMatchObject({ coverage: "scanned", format: "json" });
    expect(finding(o, "fr-health-terms")?.count).toBe(depth);
    expect(finding(o, "fr-nir")?.samples[0]?.location.field).toBe(
      `$${".a".repeat(15)}.…(99,977 more)${".a".repeat(8)}.nir`,
    );
  });
});

describe("zips whose local headers are damaged but whose central directory is intact", () => {
  const rng = seededRandom(9);
  const rows = [["nom", "num_secu"], ...Array.from({ length: 200 }, (_, i) => [`P${i}`, syntheticNir(rng)])];

  it("opens an xlsx whose first header signature is gone by its central directory, and says so", async () => {
    const book = await xlsxOf({ Patients: rows });
    const damaged = Buffer.from(book).fill(0, 0, 4);
    const [o] = await scanFiles({ "damaged.xlsx": damaged });
    expect(o).toMatchObject({ coverage: "partial", format: "zip+xlsx" });
    expect(o?.error).toBeUndefined();
    expect(o?.reason).toMatch(
      /^zip: the first bytes are not a zip header \(damaged\?\); opened by its central directory; zip: entry 'xl\/worksheets\/sheet1\.xml' has a damaged local header; read by its central directory record \(zip\+xlsx: /,
    );
    expect(nirCount(o)).toBe(200);
  });

  it("reads the other sheets of an xlsx whose first sheet's header is wiped out, and fails that one sheet", async () => {
    const book = await xlsxOf({ Patients: rows.slice(0, 101), More: [rows[0] as string[], ...rows.slice(101)] });
    const [o] = await scanFiles({ "wiped.xlsx": Buffer.from(book).fill(0, 0, 64) });
    expect(o).toMatchObject({
      coverage: "partial",
      error: true,
      format: "zip+xlsx",
      reason:
        "corrupt zip entry 'xl/worksheets/sheet1.xml': invalid local file header signature: 0x0 (in sheet:Patients)",
    });
    expect(nirCount(o)).toBe(100);
  });

  it("fails the one entry whose local header is overwritten, with its name, and reads the others", async () => {
    const [a, b, c] = [csv(1, 3), csv(2, 4), csv(3, 5)];
    const zip = await zipOf({ "a.csv": a, "b.csv": b, "c.csv": c });
    const second = zip.indexOf(Buffer.from("PK\x03\x04"), 4);
    const middle = Buffer.from(zip).fill(0x20, second, second + 40);
    const first = Buffer.from(zip).fill(0, 0, 40);
    const o = byKey(await scanFiles({ "middle.zip": middle, "first.zip": first }));
    expect(o["middle.zip"]).toMatchObject({
      coverage: "partial",
      error: true,
      reason: "corrupt zip entry 'b.csv': invalid local file header signature: 0x20202020",
    });
    expect(nirCount(o["middle.zip"])).toBe(3 + 5);
    expect(o["first.zip"]).toMatchObject({
      coverage: "partial",
      error: true,
      format: "zip",
      reason: "corrupt zip entry 'a.csv': invalid local file header signature: 0x0",
    });
    expect(nirCount(o["first.zip"])).toBe(4 + 5);
  });

  it("checks each entry's CRC-32: a changed byte in a stored entry is told, its text still scanned", async () => {
    const zip = Buffer.from(await zipOf({ "a.csv": csv(1, 3), "b.csv": csv(2, 4) }, true));
    zip[zip.indexOf(Buffer.from("nom"))] = 0x4e; // `Nom`: the header line of a.csv
    const [o] = await scanFiles({ "stored.zip": zip });
    expect(o).toMatchObject({ coverage: "partial", error: true, reason: "corrupt zip entry 'a.csv': CRC-32 mismatch" });
    expect(nirCount(o)).toBe(3 + 4);
  });
});

describe("one bad entry of an archive fails alone", () => {
  it("reads the tar entries after a cut gzip entry, and says which was cut", async () => {
    const full = gzip(csv(5, 400));
    const cut = full.subarray(0, full.length >> 1);
    const tar = await tarOf({ "a/bad.csv.gz": cut, "b/good.csv": csv(6, 7) });
    const o = byKey(await scanFiles({ "alone.csv.gz": cut, "backup.tar": tar }));
    expect(o["backup.tar"]).toMatchObject({
      coverage: "partial",
      error: true,
      format: "tar+gzip",
      reason: "corrupt gzip: unexpected end of file (in a/bad.csv.gz)",
    });
    expect(nirCount(o["backup.tar"])).toBe(nirCount(o["alone.csv.gz"]) + 7);
  });
});

describe("bz2 errors in plain words", () => {
  const data = csv(4, 50);
  const bz = bzip2(data);
  const flip = (at: number) => {
    const b = Buffer.from(bz);
    b[at] = (b[at] as number) ^ 0x55;
    return b;
  };

  it("names what is wrong instead of passing on the decoder's jokes", async () => {
    const files = {
      "1-block-magic.bz2": flip(6),
      "2-block-crc.bz2": flip(10),
      "3-code-lengths.bz2": flip(20),
      "4-selector.bz2": flip(40),
      "5-code.bz2": flip(60),
      "6-cut.bz2": bz.subarray(0, bz.length - 20),
    };
    for (const bytes of Object.values(files)) expect(tool("bzip2", ["-t"], bytes).status).toBe(2);
    const reasons = (await scanFiles(files)).map((o) => [o.key, o.reason, o.error]);
    expect(reasons).toEqual([
      ["1-block-magic.bz2", "corrupt bz2: bad block header", true],
      ["2-block-crc.bz2", "corrupt bz2: data error (CRC mismatch)", true],
      ["3-code-lengths.bz2", "corrupt bz2: data error (bad Huffman code lengths)", true],
      ["4-selector.bz2", "corrupt bz2: data error (bad Huffman selector)", true],
      ["5-code.bz2", "corrupt bz2: data error (bad Huffman code)", true],
      ["6-cut.bz2", "corrupt bz2: unexpected end of data", true],
    ]);
  });

  it("keeps every stream, and reads bytes after the last one as bzip2 -d does: ignored, with a warning", async () => {
    const trailing = Buffer.concat([bz, bz, Buffer.from("GARBAGE here")]);
    expect(tool("bzip2", ["-dc"], trailing)).toMatchObject({ status: 0, stdout: Buffer.concat([data, data]) });
    const o = byKey(await scanFiles({ "two.bz2": Buffer.concat([bz, bz]), "trailing.bz2": trailing }));
    expect(o["two.bz2"]).toMatchObject({ coverage: "scanned", expandedBytes: 2 * data.length });
    expect(nirCount(o["two.bz2"])).toBe(100);
    expect(o["trailing.bz2"]).toMatchObject({ coverage: "partial", expandedBytes: 2 * data.length });
    expect(o["trailing.bz2"]?.reason).toMatch(/^bz2: trailing garbage after the last stream \(ignored\) \(bz2: /);
    expect(nirCount(o["trailing.bz2"])).toBe(100);
  });
});
