/**
 * Leftovers whose text Reliquat cannot read yet (issue 17, honest coverage first): each holds a
 * NIR next to health terms, and none may end `scanned` as if clean. A scanned PDF page, a
 * pg_dump custom-format backup (made by PostgreSQL itself), a dBase table and a DICOM file.
 * Documents carried in base64 (HL7 v2 OBX-5, FHIR attachments, CDA nonXMLBody) are read.
 */
import { crc32, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { pdfOf } from "../helpers/office.js";
import { pgDump, postgresMissing } from "../helpers/postgres.js";
import { scanFiles } from "../helpers/scan.js";

const rng = seededRandom(1717);
const nir = syntheticNir(rng);

/** A PNG of `w` × `h` grey pixels of noise: a page that is only a picture. */
function png(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  // Noise: a picture's bytes do not compress to nothing.
  const rows = Buffer.from(Array.from({ length: (w + 1) * h }, (_, i) => Math.imul(i + 1, 2654435761) >>> 24));
  for (let y = 0; y < h; y++) rows[y * (w + 1)] = 0; // filter byte
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PDF whose pages are text (an array of lines) or a scan (null): pdf-lib. */
async function pdfWithScans(pages: (string[] | null)[]): Promise<Buffer> {
  const { PDFDocument } = await import("pdf-lib");
  const doc = await PDFDocument.load(await pdfOf(pages.map((p) => p ?? [])));
  const image = await doc.embedPng(png(40, 60));
  pages.forEach((p, i) => {
    if (p === null) doc.getPage(i).drawImage(image, { x: 0, y: 0, width: 400, height: 600 });
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A dBase III table (the format is documented and small; no Debian tool writes it). */
function dbase(fields: [string, number][], rows: string[][]): Buffer {
  const recordLength = 1 + fields.reduce((a, [, n]) => a + n, 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const head = Buffer.alloc(headerLength);
  head.set([0x03, 121, 3, 14], 0); // dBase III, last updated 2021-03-14
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  fields.forEach(([name, length], i) => {
    head.write(name, 32 + 32 * i, "latin1");
    head[32 + 32 * i + 11] = 0x43; // C: characters
    head[32 + 32 * i + 16] = length;
  });
  head[headerLength - 1] = 0x0d;
  const records = rows.map((row) =>
    Buffer.from(
      ` ${row.map((v, i) => v.padEnd((fields[i] as [string, number])[1]).slice(0, (fields[i] as [string, number])[1])).join("")}`,
      "latin1",
    ),
  );
  return Buffer.concat([head, ...records, Buffer.from([0x1a])]);
}

/** A DICOM Part 10 file: preamble, `DICM`, then explicit-VR elements (no pixel data needed). */
function dicom(elements: [number, number, string, string][]): Buffer {
  const parts = [Buffer.alloc(128), Buffer.from("DICM")];
  for (const [group, element, vr, value] of elements) {
    const v = Buffer.from(value.length % 2 ? `${value} ` : value, "latin1");
    const e = Buffer.alloc(8);
    e.writeUInt16LE(group, 0);
    e.writeUInt16LE(element, 2);
    e.write(vr, 4, "latin1");
    e.writeUInt16LE(v.length, 6);
    parts.push(e, v);
  }
  return Buffer.concat(parts);
}

const never = (reports: unknown) => expect(JSON.stringify(reports)).not.toContain(nir);

describe("leftovers that hide their text are never reported clean", () => {
  it("PDF: a scanned page (no text layer) makes the object partial, and says which pages", async () => {
    const [allScans, mixed] = await scanFiles({
      "a-scan.pdf": await pdfWithScans([null, null]),
      "b-report.pdf": await pdfWithScans([[`NIR ${nir}`, "Serologie VIH : negatif"], null]),
    });
    expect(allScans).toMatchObject({
      format: "pdf",
      coverage: "partial",
      reason: "pdf: no text layer on all 2 pages, no OCR (pdf)",
    });
    expect(mixed).toMatchObject({ format: "pdf", coverage: "partial", distinctPersons: 1 });
    expect(mixed?.reason).toBe("pdf: no text layer on page 2 of 2, no OCR (pdf)");
    never([allScans, mixed]);
  });

  it(`pg_dump custom format: recognised by its bytes, partial with the reason${postgresMissing}`, async () => {
    if (postgresMissing) {
      if (process.env.RELIQUAT_REQUIRE_SYSTEM) throw new Error("PostgreSQL is required: it is missing");
      return;
    }
    const sql = `create table patients(nom text, nir text, commentaire text);
      insert into patients values ('DUPONT', '${nir}', 'grossesse 12 SA, VIH');`;
    const custom = pgDump(sql, ["-Fc"]);
    expect(custom.subarray(0, 5).toString("latin1")).toBe("PGDMP");
    // A name that says nothing: formats are judged by their bytes.
    const [o] = await scanFiles({ "export.bak": custom });
    expect(o).toMatchObject({ coverage: "partial", reason: "unsupported-format (pg_dump: raw bytes only)" });
    never(o);
  });

  it("dBase and DICOM: recognised by their bytes, partial (raw bytes only) with the reason", async () => {
    const table = dbase(
      [
        ["NOM", 20],
        ["NIR", 15],
        ["COMMENT", 30],
      ],
      [["DUPONT", nir, "grossesse 12 SA"]],
    );
    const image = dicom([
      [0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1"],
      [0x0010, 0x0010, "PN", "DUPONT^JEAN"],
      [0x0010, 0x0020, "LO", nir],
    ]);
    const [d, m] = await scanFiles({ "d-patients.dbf": table, "m-IM0001": image });
    expect(d).toMatchObject({ coverage: "partial", reason: "unsupported-format (dbase: raw bytes only)" });
    expect(m).toMatchObject({ coverage: "partial", reason: "unsupported-format (dcm: raw bytes only)" });
    never([d, m]);
  });
});

describe("documents carried in base64 are decoded and read, with where they were embedded", () => {
  const b64 = (b: Buffer) => b.toString("base64");
  const wrapped = (b: Buffer) => (b64(b).match(/.{1,76}/g) ?? []).join("\n");

  it("HL7 v2 OBX-5 (ED, Base64), a FHIR attachment and a CDA nonXMLBody: their PDF's NIR and terms", async () => {
    const pdf = await pdfOf([["Compte rendu", `NIR ${nir}`, "Serologie VIH positive, grossesse 12 SA"]]);
    const hl7 = [
      "MSH|^~\\&|LAB|X|DMP|Y|20240101||ORU^R01|1|P|2.5",
      "PID|||IPP123^^^X||PATIENT^TEST",
      `OBX|1|ED|11502-2^CR^LN||^application^pdf^Base64^${b64(pdf)}||||||F`,
      "",
    ].join("\r");
    const fhir = JSON.stringify({
      resourceType: "DocumentReference",
      content: [{ attachment: { contentType: "application/pdf", data: b64(pdf) } }],
    });
    const cda = `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><component><nonXMLBody><text mediaType="application/pdf" representation="B64">\n${wrapped(pdf)}\n</text></nonXMLBody></component></ClinicalDocument>`;
    const [h, f, c] = await scanFiles({
      "a.hl7": Buffer.from(hl7),
      "b.json": Buffer.from(fhir),
      "c.xml": Buffer.from(cda),
    });
    const where = (o: typeof h) =>
      o?.findings.find((x) => x.ruleId === "fr-nir")?.samples.map((x) => x.location.path) ?? [];
    expect(h).toMatchObject({
      format: "hl7+pdf",
      coverage: "scanned",
      distinctPersons: 1,
      patientRecords: 1,
      entries: 1,
    });
    expect(where(h)).toEqual(["OBX-5 of message 1#page:1"]);
    expect(f).toMatchObject({ coverage: "scanned", distinctPersons: 1, patientRecords: 1 });
    expect(where(f)).toEqual(["$.content[0].attachment.data#page:1"]);
    expect(c).toMatchObject({ coverage: "scanned", distinctPersons: 1, patientRecords: 1 });
    expect(where(c)).toEqual(["/ClinicalDocument/component/nonXMLBody/text#page:1"]);
    for (const o of [h, f, c]) expect(o?.categories.health).toBeGreaterThanOrEqual(2);
    never([h, f, c]);
  });

  it("HL7 batches, repeated OBX-5 and payloads wrapped with HL7 escapes are read too", async () => {
    const csv = Buffer.from(`nom;nir;diagnostic\n${`DUPONT;${nir};VIH, suivi de grossesse\n`.repeat(6)}`);
    const wrappedCsv = (b64(csv).match(/.{1,24}/g) ?? []).join("\\.br\\");
    const batch = [
      "FHS|^~\\&|LAB",
      "BHS|^~\\&|LAB",
      "MSH|^~\\&|LAB|X|DMP|Y|20240101||ORU^R01|1|P|2.5",
      `OBX|1|ED|X^Y^LN||^text^plain^A^cGxhaW4=~^text^csv^Base64^${wrappedCsv}||||||F`,
      "",
    ].join("\r");
    const [o] = await scanFiles({ "batch.hl7": Buffer.from(batch) });
    expect(o).toMatchObject({ format: "hl7", coverage: "scanned", distinctPersons: 1, patientRecords: 6, entries: 1 });
    const paths = o?.findings.find((x) => x.ruleId === "fr-nir")?.samples.map((x) => x.location.path);
    expect(new Set(paths)).toEqual(new Set(["OBX-5~2 of message 1"])); // three samples of six rows, all from there
    never(o);
  });

  it("an embedded picture makes the object partial; short tokens and columns of numbers are not payloads", async () => {
    const withImage = JSON.stringify({ resourceType: "Binary", contentType: "image/png", data: b64(png(64, 64)) });
    const token = "A1b2C3d4".repeat(12); // 96 chars: a key or a hash, not a document
    const column = Array.from({ length: 40 }, () => nir).join(" "); // 600 digits and spaces
    // Codes and NIRs glued by spaces only: letters and digits like base64, but text.
    const codes = `${nir} B20 O24 E11 I10 J45 K21 F32 C50 Z34 `.repeat(8);
    const hex = "0123456789abcdef".repeat(40); // decodes to noise
    const [img, text] = await scanFiles({
      "a.json": Buffer.from(withImage),
      "b.json": Buffer.from(JSON.stringify({ token, nirs: column, codes, hex })),
    });
    expect(img).toMatchObject({ coverage: "partial", reason: "unsupported-format (image/png in 1 entry)" });
    expect(text).toMatchObject({ coverage: "scanned", distinctPersons: 1 });
    expect(text?.entries).toBeUndefined();
  });
});
