import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { patientCsv, seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { tarOf, zipOf } from "../helpers/archives.js";
import { docxOf, pdfOf, xlsxOf } from "../helpers/office.js";
import { scanFiles } from "../helpers/scan.js";

const rng = seededRandom(43);
const nirs = Array.from({ length: 40 }, () => syntheticNir(rng));
const body = (nir: string) => nir.slice(0, 13);
type Found = { count: number; samples: { location: { path?: string; field?: string; line: number } }[] };
const finding = (o: { findings: { ruleId: string }[] } | undefined, id: string) =>
  o?.findings.find((f) => f.ruleId === id) as Found | undefined;

async function parquetOf(rows: number, rowGroupSize: number): Promise<Buffer> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const ids = Array.from({ length: rows }, (_, i) => nirs[i % nirs.length] as string);
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "nom", data: ids.map((_, i) => `PATIENT${i}`), type: "STRING" },
      { name: "num_secu", data: ids.map(body), type: "STRING" },
      { name: "date_naissance", data: ids.map(() => new Date(Date.UTC(1970, 4, 12))), type: "TIMESTAMP" },
      { name: "diagnostic", data: ids.map((_, i) => (i % 2 ? "diabète" : "asthme")), type: "STRING" },
    ],
    rowGroupSize,
  });
  return Buffer.from(buffer);
}

describe("documents and columnar formats", () => {
  it("xlsx: sheets with their header row, cell locations, numbers kept whole; a missing sheet is told", async () => {
    const book = await xlsxOf(
      {
        Patients: [
          ["nom", "num_secu", "groupe_sanguin", "diagnostic"],
          ["DUPONT", body(nirs[0] as string), "A+", "séropositivité"],
          ["MARTIN", Number(nirs[1]), "O", "RAS"], // a bare O under a blood-group header is health data too
        ],
        Notes: [["commentaire"], ["rien à signaler"]],
      },
      ["Archives"],
    );
    const [o] = await scanFiles({ "export.xlsx": book });
    expect(o).toMatchObject({ format: "zip+xlsx", distinctPersons: 2, patientRecords: 2, coverage: "partial" });
    expect(o?.reason).toMatch(/^xlsx: sheet 'Archives' missing \(xl\/worksheets\/sheet3\.xml\)/);
    // The cell says where; a sheet has no lines of its own (the text was rewritten as rows).
    expect(finding(o, "fr-nir-body")?.samples[0]?.location).toEqual({ path: "sheet:Patients", field: "B2 (num_secu)" });
    expect(finding(o, "fr-nir")?.samples[0]?.location.field).toBe("B3 (num_secu)");
    // A bare A+ counts under a blood-group header only: the header reached the rules.
    expect(o?.findings.some((f) => (f as { groups?: Record<string, number> }).groups?.["blood-group"])).toBe(true);
  });

  it("docx: paragraphs and table rows; an xlsx and a docx inside a zip keep their paths", async () => {
    const doc = await docxOf([
      "Compte rendu de consultation",
      `Patient : DURAND Paul, NIR ${nirs[2]}, suivi pour hépatite C.`,
      "",
      [
        ["nir", "traitement"],
        [nirs[3] as string, "méthadone"],
      ],
    ]);
    const [alone] = await scanFiles({ "cr.docx": doc });
    expect(alone).toMatchObject({ format: "zip+docx", coverage: "scanned", distinctPersons: 2, patientRecords: 2 });
    const [inZip] = await scanFiles({
      "backup.zip": await zipOf({
        "docs/cr.docx": doc,
        "docs/x.xlsx": await xlsxOf({ S: [["nir"], [nirs[4] as string]] }),
      }),
    });
    expect(inZip).toMatchObject({ distinctPersons: 3, coverage: "scanned" });
    const paths = inZip?.findings.flatMap((f) => (f as Found).samples.map((s) => s.location.path));
    expect(paths).toEqual(expect.arrayContaining(["docs/cr.docx#body", "docs/x.xlsx#sheet:S"]));
  });

  it("PDF: the text layer page by page; a broken cross-reference table is rebuilt, a cut PDF is partial", async () => {
    const pdf = await pdfOf([
      ["Laboratoire d'analyses", "Resultats"],
      [`NIR ${nirs[5]}`, "Serologie VIH : negatif"],
    ]);
    const broken = Buffer.from(pdf.toString("latin1").replace(/startxref\s+\d+/, "startxref\n999999"), "latin1");
    const [a, b, c] = await scanFiles({
      "a.pdf": pdf,
      "b.pdf": broken,
      "c.pdf": pdf.subarray(0, 200),
    });
    expect(a).toMatchObject({ format: "pdf", coverage: "scanned", distinctPersons: 1, patientRecords: 1 });
    expect(finding(a, "fr-nir")?.samples[0]?.location.path).toBe("page:2");
    expect(b).toMatchObject({ format: "pdf", distinctPersons: 1 });
    // Its bytes were read, but pdf.js finds no document structure in them.
    expect(c).toMatchObject({ coverage: "partial", error: true, distinctPersons: 0 });
    expect(c?.reason).toMatch(/^corrupt pdf: /);
  });

  it("Parquet: column names are headers, row groups are read one by one, dates become ISO days", async () => {
    const file = await parquetOf(120, 50);
    const [o] = await scanFiles({ "patients.parquet": file }, { exhaustive: true });
    expect(o).toMatchObject({ format: "parquet", coverage: "scanned", distinctPersons: 40, patientRecords: 120 });
    expect(finding(o, "fr-nir-body")?.samples[0]?.location).toEqual({ field: "num_secu" });
    expect(finding(o, "fr-birth-date")?.count).toBe(120);
  });

  it("Parquet sampling reads the footer and the first row groups only, through ranged reads", async () => {
    const file = await parquetOf(90_000, 30_000);
    const [o] = await scanFiles({ "big.parquet": file }, { sampleBytes: 1024 });
    expect(o?.coverage).toBe("partial");
    expect(o?.reason).toMatch(/^parquet: footer and 1 of 3 row groups read \(sampling\)/);
    expect(o?.bytesRead).toBeLessThan(file.length * 0.6);
    expect(o?.distinctPersons).toBe(40);
  });

  const missing = spawnSync("bzip2", ["--help"]).error
    ? " (SKIPPED: bzip2, which writes the fixtures, is not installed; run `npm run setup:system`)"
    : "";
  if (missing) {
    if (process.env.RELIQUAT_REQUIRE_SYSTEM) throw new Error("bzip2 is required: it is missing");
    console.warn(`[reliquat tests] bz2 test${missing}`);
  }
  it.skipIf(!!missing)(
    `bz2 (and .tar.bz2) expands on the fly; a cut bz2 is partial with the reason${missing}`,
    async () => {
      const bz = (data: Buffer) => spawnSync("bzip2", ["-c"], { input: data }).stdout as Buffer;
      const csv = Buffer.from(
        `nom;nir;diagnostic\n${nirs
          .slice(0, 10)
          .map((n) => `X;${n};asthme`)
          .join("\n")}\n`,
      );
      const [a, b, c] = await scanFiles({
        "a.csv.bz2": bz(csv),
        "b.tar.bz2": bz(await tarOf({ "x/p.csv": csv })),
        "c.bz2": bz(csv).subarray(0, 60),
      });
      expect(a).toMatchObject({ format: "bz2", coverage: "scanned", distinctPersons: 10, patientRecords: 10 });
      expect(b).toMatchObject({ format: "bz2+tar", distinctPersons: 10 });
      expect(c).toMatchObject({ error: true });
      expect(c?.reason).toMatch(/corrupt bz2/);
      // A sampled head of a bz2 ends mid-block by design: partial, not an error.
      const big = bz(Buffer.from(patientCsv(seededRandom(5), 20_000).text));
      const [d] = await scanFiles({ "big.csv.bz2": big }, { sampleBytes: 64 * 1024 });
      expect(d).toMatchObject({ coverage: "partial", format: "bz2" });
      expect(d?.error).toBeUndefined();
      expect(d?.reason).toMatch(/^head 64 KiB of /);
    },
  );
});
