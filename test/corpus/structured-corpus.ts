/**
 * The quality corpus for structured formats: FHIR JSON, NDJSON, CDA XML, SQL dumps, HPRIM
 * Médecins, xlsx, docx, PDF, Parquet, and the same inside zip and gzip. Extraction rewrites
 * offsets, so each document is labelled with the persons (NIR bodies) planted in it, next to
 * decoys of every kind in a field of their own (a reference, an order number: a decoy in a
 * column named `nir` would be a NIR by the rules' own definition); detections are matched by person.
 */
import { gzipSync } from "node:zlib";
import { seededRandom } from "../../src/demo/synthetic.js";
import { normalizeNir } from "../../src/rules/validators/nir.js";
import { zipOf } from "../helpers/archives.js";
import { docxOf, pdfOf, xlsxOf } from "../helpers/office.js";
import { decoys, nirForms, TERMS } from "./quality-corpus.js";

export interface PersonDoc {
  name: string;
  bytes: Buffer;
  /** NIR bodies (13 characters) planted in the document. */
  persons: string[];
}

type Row = { nir: string | undefined; decoy: string; note: string };
const FORMATS = ["fhir", "ndjson", "cda", "sql", "hprim", "xlsx", "docx", "pdf", "parquet", "zip", "gzip"] as const;
/** The body a written NIR stands for: separators and "clé" removed, Corsican letters kept. */
const bodyOf = (written: string) => normalizeNir(written.replace(/cl[ée]/i, "")).slice(0, 13);

async function render(format: (typeof FORMATS)[number], rows: Row[]): Promise<Buffer> {
  const nir = (r: Row) => r.nir ?? "";
  switch (format) {
    case "fhir":
      return Buffer.from(
        JSON.stringify({
          resourceType: "Bundle",
          entry: rows.map((r) => ({
            resource: {
              resourceType: "Patient",
              identifier: [
                ...(r.nir ? [{ system: "urn:oid:1.2.250.1.213.1.4.8", value: r.nir }] : []),
                { system: "urn:oid:1.2.250.1.71.4.2.7", value: r.decoy },
              ],
              text: { div: r.note },
            },
          })),
        }),
      );
    case "ndjson":
      return Buffer.from(rows.map((r) => JSON.stringify({ nir: nir(r), reference: r.decoy, note: r.note })).join("\n"));
    case "cda":
      return Buffer.from(
        `<?xml version="1.0"?><ClinicalDocument>${rows.map((r) => `<patient><nir>${nir(r)}</nir><reference>${r.decoy}</reference><note>${r.note}</note></patient>`).join("")}</ClinicalDocument>`,
      );
    case "sql":
      return Buffer.from(
        `CREATE TABLE p (nir varchar(40), reference varchar(40), note text);\nINSERT INTO p VALUES ${rows.map((r) => `('${nir(r)}','${r.decoy}','${r.note.replace(/'/g, "''")}')`).join(",")};\n`,
      );
    case "hprim":
      return Buffer.from(
        rows
          .map((r, i) =>
            [
              "RESULTATS",
              `PATIENT${i}`,
              "JEAN",
              "",
              "",
              "75011 PARIS",
              "01/02/1970",
              nir(r),
              r.decoy,
              "01/01/2021",
              "LABO",
              "DR X",
              r.note,
              "****FIN****",
            ].join("\r\n"),
          )
          .join("\r\n"),
        "latin1",
      );
    case "xlsx":
      return xlsxOf({ Patients: [["nir", "reference", "note"], ...rows.map((r) => [nir(r), r.decoy, r.note])] });
    case "docx":
      return docxOf(rows.map((r) => `Patient ${nir(r)}, référence ${r.decoy} : ${r.note}`));
    case "pdf":
      return pdfOf([
        rows.map((r) => `Patient ${nir(r)}, reference ${r.decoy} : ${r.note}`.replace(/[^\x20-\xff]/g, " ")),
      ]);
    case "parquet": {
      const { parquetWriteBuffer } = await import("hyparquet-writer");
      return Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: "nir", data: rows.map(nir), type: "STRING" },
            { name: "reference", data: rows.map((r) => r.decoy), type: "STRING" },
            { name: "note", data: rows.map((r) => r.note), type: "STRING" },
          ],
        }),
      );
    }
    case "zip":
      return zipOf({
        "export/patients.json": await render("ndjson", rows),
        "export/cr.docx": await render("docx", rows),
      });
    case "gzip":
      return gzipSync(await render("sql", rows));
  }
}

export async function structuredCorpus(docs = 110, seed = 7): Promise<PersonDoc[]> {
  const rng = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)] as T;
  const out: PersonDoc[] = [];
  for (let i = 0; i < docs; i++) {
    const format = FORMATS[i % FORMATS.length] as (typeof FORMATS)[number];
    const rows: Row[] = Array.from({ length: 12 }, () => ({
      // PDF text goes through pdf.js, which keeps spaces but not NBSP: the compact and spaced forms only there.
      nir: rng() < 0.5 ? pick(nirForms(rng).slice(0, format === "pdf" ? 2 : undefined)) : undefined,
      decoy: pick(decoys(rng)),
      note: rng() < 0.5 ? pick(TERMS) : "RAS",
    }));
    const persons = [...new Set(rows.flatMap((r) => (r.nir ? [bodyOf(r.nir)] : [])))];
    out.push({ name: `${format}-${i}`, bytes: await render(format, rows), persons });
  }
  return out;
}
