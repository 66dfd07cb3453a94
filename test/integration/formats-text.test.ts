import { describe, expect, it } from "vitest";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { scanFiles } from "../helpers/scan.js";

const rng = seededRandom(41);
const nirs = Array.from({ length: 6 }, () => syntheticNir(rng));
const body = (nir: string) => nir.slice(0, 13);

const finding = (o: { findings: { ruleId: string }[] } | undefined, id: string) =>
  o?.findings.find((f) => f.ruleId === id) as
    | { count: number; reasons: string[]; samples: { location: { path?: string; field?: string; line: number } }[] }
    | undefined;

describe("structured text formats: locations, records and structured hints", () => {
  it("FHIR Bundle: an INS-NIR identifier.system turns a bare 13-digit value into a NIR; entries are records", async () => {
    const bundle = {
      resourceType: "Bundle",
      type: "collection",
      entry: nirs.slice(0, 2).map((nir, i) => ({
        resource: {
          resourceType: "Patient",
          identifier: [
            { system: "urn:oid:1.2.250.1.213.1.4.1", value: `IPP-${i}` },
            { value: body(nir), system: "urn:oid:1.2.250.1.213.1.4.8" },
          ],
          name: [{ family: "DUPONT", given: ["Jeanne"] }],
          text: { div: "<div>Suivi de grossesse, 12 SA</div>" },
        },
      })),
    };
    // The same bare bodies without the INS system are not NIRs.
    const plain = { patients: nirs.slice(2, 4).map((nir) => ({ code: body(nir), note: "grossesse" })) };
    const [fhir, other] = await scanFiles({
      "a-bundle.json": Buffer.from(JSON.stringify(bundle, null, 2)),
      "b-plain.json": Buffer.from(JSON.stringify(plain)),
    });
    expect(fhir).toMatchObject({ format: "json", coverage: "scanned", distinctPersons: 2, patientRecords: 2 });
    const f = finding(fhir, "fr-nir-body");
    // The reason names the header the rule looks for, not the path (a JSON key may be data).
    expect(f?.reasons).toContain("header 'nir'");
    expect(f?.samples[0]?.location.field).toBe("$.entry[0].resource.identifier[1]{INS-NIR}.value");
    expect(other).toMatchObject({ format: "json", distinctPersons: 0, patientRecords: 0 });
  });

  it("NDJSON: each line is a record, keys are headers, and a line that is not JSON is still scanned as text", async () => {
    const lines = [
      JSON.stringify({ nom: "MARTIN", num_secu: body(nirs[0] as string), diagnostic: "diabète de type 2" }),
      JSON.stringify({ nom: "BERNARD", nir: nirs[1], traitement: "insuline" }),
      `not json: NIR ${nirs[2]}`,
      JSON.stringify({ nom: "PETIT", commentaire: "RAS" }),
    ];
    const [o] = await scanFiles({ "export.ndjson": Buffer.from(`${lines.join("\n")}\n`) });
    expect(o).toMatchObject({ format: "json", distinctPersons: 3, patientRecords: 2, coverage: "scanned" });
    expect(finding(o, "fr-nir-body")?.samples[0]?.location.field).toBe("$.num_secu");
    expect(finding(o, "fr-nir-body")?.reasons).toContain("header 'num_secu'");
  });

  it("a cut JSON document is partial with the reason, and what came before the cut is still found", async () => {
    const text = JSON.stringify({ patients: nirs.map((n) => ({ nir: n, groupe: "O Rh-" })) });
    const [o] = await scanFiles({ "cut.json": Buffer.from(text.slice(0, text.lastIndexOf(nirs[5] as string) - 5)) });
    expect(o).toMatchObject({ coverage: "partial", error: true, distinctPersons: 5 });
    expect(o?.reason).toMatch(/^corrupt json: unexpected end/);
  });

  it("CDA: a patientRole id with the INS-NIR root is a NIR; the whole document is one patient record", async () => {
    const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <recordTarget><patientRole>
    <id root="1.2.250.1.213.1.4.8" extension="${body(nirs[0] as string)}"/>
    <patient><name><family>DURAND</family></name></patient>
  </patientRole></recordTarget>
  <component><structuredBody><component><section>
    <text>Patiente séropositive, charge virale indétectable.</text>
  </section></component></structuredBody></component>
</ClinicalDocument>`;
    const [o] = await scanFiles({ "cr.xml": Buffer.from(cda) });
    expect(o).toMatchObject({ format: "xml", coverage: "scanned", distinctPersons: 1, patientRecords: 1 });
    expect(finding(o, "fr-nir-body")?.samples[0]?.location.field).toBe(
      "/ClinicalDocument/recordTarget/patientRole/id{INS-NIR}/@extension",
    );
  });

  it("reads every INS OID of FR Core: INS-NIR and INS-NIA, their test OIDs, NIR and NIA as social-security numbers", async () => {
    const systems = ["1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11", "1.2.250.1.213.1.4.13", "1.2.250.1.213.1.4.14"];
    const labels = ["INS-NIR-TEST", "INS-NIA-TEST", "NIR", "NIA"];
    const patients = systems.map((system, i) => ({
      resourceType: "Patient",
      identifier: [{ system: `urn:oid:${system}`, value: body(nirs[i] as string) }],
    }));
    const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole>
  <id root="1.2.250.1.213.1.4.10" extension="${body(nirs[4] as string)}"/>
</patientRole></recordTarget></ClinicalDocument>`;
    const [json, xml] = await scanFiles({
      "a-patients.json": Buffer.from(JSON.stringify(patients)),
      "b-cda.xml": Buffer.from(cda),
    });
    expect(json).toMatchObject({ format: "json", distinctPersons: 4 });
    const f = finding(json, "fr-nir-body");
    // Each sample says which OID labelled it: a test OID is marked as such.
    expect(f?.samples.map((s) => s.location.field)).toEqual(
      labels.slice(0, 3).map((label, i) => `$[${i}].identifier[0]{${label}}.value`),
    );
    expect(xml).toMatchObject({ format: "xml", distinctPersons: 1 });
    expect(finding(xml, "fr-nir-body")?.samples[0]?.location.field).toBe(
      "/ClinicalDocument/recordTarget/patientRole/id{INS-NIR-TEST}/@extension",
    );
  });

  it("reads birth dates as structured formats write them: CDA birthTime, FHIR birthDate, JSON dateNaissance", async () => {
    const cda = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><patient>
  <birthTime value="20221201"/>
</patient></patientRole></recordTarget>
<component><structuredBody><component><section><text>Bilan néonatal, ictère.</text></section></component></structuredBody></component>
<effectiveTime value="20240105"/></ClinicalDocument>`;
    const fhir = { resourceType: "Patient", birthDate: "1979-03-28", meta: { lastUpdated: "2024-01-05" } };
    const export_ = [{ nom: "MARTIN", dateNaissance: "1962-11-04", dateExamen: "2024-01-05" }];
    const [a, b, c] = await scanFiles({
      "a-cda.xml": Buffer.from(cda),
      "b-patient.json": Buffer.from(JSON.stringify(fhir)),
      "c-export.json": Buffer.from(JSON.stringify(export_)),
    });
    // One birth date each: the document's effectiveTime, lastUpdated and dateExamen are not.
    expect(finding(a, "fr-birth-date")?.count).toBe(1);
    expect(finding(a, "fr-birth-date")?.reasons).toContain("header 'birth'");
    expect(finding(b, "fr-birth-date")?.count).toBe(1);
    expect(finding(c, "fr-birth-date")?.count).toBe(1);
    expect(finding(c, "fr-birth-date")?.reasons).toContain("header 'date_naissance'");
  });

  it("XML in Windows-1252 and JSON in UTF-16 are decoded before matching", async () => {
    const xml = `<?xml version="1.0" encoding="windows-1252"?><patients><patient><nir>${nirs[0]}</nir><note>séropositivité</note></patient></patients>`;
    const json = `\ufeff${JSON.stringify([{ nir: nirs[1], note: "hépatite C" }])}`;
    const [x, j] = await scanFiles({
      "a.xml": Buffer.from(xml, "latin1"),
      "b.json": Buffer.from(json, "utf16le"),
    });
    expect(x).toMatchObject({ format: "xml", distinctPersons: 1, patientRecords: 1 });
    expect(x?.categories.health).toBe(1);
    expect(j).toMatchObject({ format: "json", distinctPersons: 1, patientRecords: 1 });
  });

  it("HL7 v2 with \\r separators: PID-3 with the INS-NIR OID, a field location, one record per message", async () => {
    const message = (nir: string, id: number) =>
      [
        `MSH|^~\\&|LAB|LABO|DPI|HOPITAL|20210512||ORU^R01|${id}|P|2.5`,
        `PID|1||${nir}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||DUPONT^JEAN||19700512|M`,
        "OBX|1|TX|VIH^Sérologie VIH||négatif",
      ].join("\r");
    const [o] = await scanFiles({
      "results.hl7": Buffer.from(`${message(nirs[0] as string, 1)}\r${message(nirs[1] as string, 2)}\r`),
    });
    expect(o).toMatchObject({ distinctPersons: 2, patientRecords: 2 });
    expect(finding(o, "fr-nir")?.samples[0]?.location.field).toBe("PID-3");
  });

  it("SQL dumps: INSERT rows mapped to CREATE TABLE columns, a body and key in two columns, PostgreSQL COPY", async () => {
    const [b0, b1] = [nirs[0] as string, nirs[1] as string];
    const mysql = `-- MySQL dump
CREATE TABLE \`patients\` (
  \`id\` int NOT NULL,
  \`nom\` varchar(50),
  \`num_secu\` char(13),
  \`cle\` char(2),
  \`commentaire\` text,
  PRIMARY KEY (\`id\`)
);
INSERT INTO \`patients\` VALUES (1,'O\\'BRIEN','${body(b0)}','${b0.slice(13)}','suivi VIH; ok'),(2,'L''HERMITE','${body(b1)}','${b1.slice(13)}',NULL);
`;
    const pg = `SET client_encoding = 'UTF8';
COPY public.analyses (id, nir, resultat) FROM stdin;
1\t${nirs[2]}\tHbA1c 7,2 %
2\t${nirs[3]}\t\\N
\\.
`;
    const [m, p] = await scanFiles({ "a.sql": Buffer.from(mysql), "b.sql": Buffer.from(pg) });
    expect(m).toMatchObject({ format: "sql", distinctPersons: 2, patientRecords: 1 });
    const cols = finding(m, "fr-nir-columns");
    expect(cols?.count).toBe(2);
    expect(cols?.samples[0]?.location).toEqual({ path: "table:patients", field: "num_secu" });
    expect(p).toMatchObject({ format: "sql", distinctPersons: 2 });
    expect(finding(p, "fr-nir")?.samples[1]?.location).toEqual({ path: "table:analyses", field: "nir" });
  });

  it("CSV findings say their column", async () => {
    const [o] = await scanFiles({
      "patients.csv": Buffer.from(`nom;date_naissance;nir;diagnostic\nDUPONT;12/05/1970;${nirs[0]};asthme\n`),
    });
    expect(finding(o, "fr-nir")?.samples[0]?.location).toMatchObject({ line: 2, field: "nir" });
  });
});

describe("HPRIM Médecins", () => {
  it("reads the twelve unlabelled header lines by position: line 8 is the NIR, line 7 the birth date", async () => {
    const patient = (nir: string, name: string) =>
      [
        "RESULTATS BIOLOGIE",
        name,
        "JEANNE",
        "12 RUE DES LILAS",
        "",
        "75011 PARIS",
        "12/05/1970",
        nir.slice(0, 13),
        "D2021-0042",
        "14/06/2021",
        "LABO CENTRAL",
        "DR MARTIN",
        "Bilan de suivi de grossesse",
        "****LAB****",
        "RES|Hémoglobine glyquée|HBA1C|N|6.1|%|4.0|6.0|H|F",
        "****FIN****",
      ].join("\r\n");
    const file = `${patient(nirs[0] as string, "DUPONT")}\r\n${patient(nirs[1] as string, "MARTIN")}\r\n`;
    const [o] = await scanFiles({ "resultats.hpr": Buffer.from(file, "latin1") });
    expect(o).toMatchObject({ format: "hprim", distinctPersons: 2, patientRecords: 2, coverage: "scanned" });
    expect(finding(o, "fr-nir-body")?.samples[0]?.location.field).toBe("header/matricule_secu");
    expect(finding(o, "fr-birth-date")?.count).toBe(2);
  });
});

describe("format by extension, last", () => {
  it("an .hpr file whose first 4 KiB hold no end mark is still read as HPRIM Médecins; a .txt one is plain text", async () => {
    // The end mark lies far past the first 4,100 bytes, which are all that detection reads.
    const long = Array.from({ length: 6000 }, (_, i) => `Commentaire ${i} : prélèvement effectué sans incident.`).join(
      "\r\n",
    );
    const file = [
      "RESULTATS",
      "DURAND",
      "ANNE",
      "",
      "",
      "69000 LYON",
      "03/04/1980",
      (nirs[4] as string).slice(0, 13),
      "D9",
      "01/01/2021",
      "LABO",
      "DR Y",
      "Suivi VIH",
      long,
      "****FIN****",
    ].join("\r\n");
    const [hpr, txt] = await scanFiles({ "a.hpr": Buffer.from(file), "b.txt": Buffer.from(file) });
    expect(hpr).toMatchObject({ format: "hprim", distinctPersons: 1, patientRecords: 1 });
    expect(txt?.format).toBeUndefined();
    expect(txt?.distinctPersons).toBe(0); // a bare 13-digit body with no context is not a NIR
  });
});
