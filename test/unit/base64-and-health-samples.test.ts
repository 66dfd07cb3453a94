/**
 * Issue 15, defects 3 and 12: text rules skip base64 payloads (pregnancy weeks and acronyms fired
 * inside an embedded PDF), and health findings show samples (the term and where it is) with the
 * reasons of their own occurrence. Every value is synthetic.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/demo/synthetic.js";
import { insideBase64 } from "../../src/rules/base64.js";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();

/** Random bytes as base64, with the given text planted in the middle of the payload. */
function payload(seed: number, planted: string, wrap?: number): string {
  const random = seededRandom(seed);
  const bytes = Buffer.from(Array.from({ length: 600 }, () => Math.floor(random() * 256)));
  const b64 = bytes.toString("base64");
  const body = `${b64.slice(0, 300)}${planted}${b64.slice(300)}`;
  return wrap ? (body.match(new RegExp(`.{1,${wrap}}`, "g")) ?? []).join("\r\n") : body;
}

describe("base64 runs", () => {
  it.each([
    ["pregnancy weeks", "/7SA/"],
    ["a case-sensitive acronym", "+VIH+"],
    ["a term", "/grossesse+"],
  ])("hides %s planted inside an HL7 OBX-5 payload", async (_, planted) => {
    const text = `MSH|^~\\&|LAB|X|||20240101||ORU^R01|1|P|2.5\rOBX|1|ED|PDF^Report||^application^pdf^Base64^${payload(3, planted)}||||||F\r`;
    const { report } = await scanInMemory(Buffer.from(text), rules);
    expect(report.findings.filter((f) => f.category === "health")).toEqual([]);
  });

  it("hides a term in a payload wrapped at 76 characters, as a CDA nonXMLBody writes it", async () => {
    const text = `<ClinicalDocument><component><nonXMLBody><text representation="B64">${payload(5, "/VIH/", 76)}</text></nonXMLBody></component></ClinicalDocument>`;
    const { report } = await scanInMemory(Buffer.from(text), rules);
    expect(report.findings.filter((f) => f.category === "health")).toEqual([]);
  });

  it("still finds the same words in prose, in a path and in a column of one NIR per line", () => {
    const prose = "Patiente enceinte de 12 SA, sérologie VIH négative.";
    expect(insideBase64(prose, prose.indexOf("VIH"), 3)).toBe(false);
    const path = "exports/patients/DossierMedicalCompletAvecResultatsEtComptesRendus/grossesse/suivi2021";
    expect(insideBase64(path, path.indexOf("grossesse"), 9)).toBe(false);
    const column = Array.from({ length: 20 }, (_, i) => `18505780060${String(i).padStart(2, "0")}91`).join("\n");
    expect(insideBase64(column, 16 * 7, 15)).toBe(false);
  });

  it("reads random base64 as a payload wherever the hit falls in it", () => {
    const b64 = payload(9, "");
    for (let at = 0; at + 3 <= b64.length; at += 37) expect(insideBase64(b64, at, 3)).toBe(true);
  });
});

describe("health samples", () => {
  it("shows the term, its line and its own reasons, never an identifier's digits", async () => {
    const text = "nom;commentaire\nDUPONT;suivi de grossesse\nMARTIN;sérologie VIH négative\n";
    const { report } = await scanInMemory(Buffer.from(text, "latin1"), rules);
    const terms = report.findings.find((f) => f.ruleId === "fr-health-terms");
    expect(terms?.samples.map((s) => [s.masked, s.location.line, s.location.field])).toEqual([
      ["grossesse", 2, "commentaire"],
      ["sérologie", 3, "commentaire"],
      ["VIH", 3, "commentaire"],
    ]);
    for (const s of terms?.samples ?? []) {
      expect(s.fingerprint).toMatch(/^[0-9a-f]{24}$/);
      expect(s.reasons?.length).toBeGreaterThanOrEqual(1);
    }
  });

  it("gives each identifier sample the reasons of its own occurrence", async () => {
    // The first NIR is vouched for by its column header, the second only by its key.
    const text = "num_secu;autre\n185057800608491;x\nx;269054958815780\n";
    const { report } = await scanInMemory(Buffer.from(text), rules);
    const nir = report.findings.find((f) => f.ruleId === "fr-nir");
    expect(nir?.samples).toHaveLength(2);
    const [first, second] = nir?.samples ?? [];
    expect(first?.reasons).toContain("header 'num_secu'");
    expect(second?.reasons).not.toContain("header 'num_secu'");
    expect(nir?.reasons).toEqual(first?.reasons);
  });
});

describe("sample locations (issue 15, defect 11)", () => {
  const NIR = "185057800608491";
  it.each([
    ["JSON", JSON.stringify({ resourceType: "Patient", note: "x".repeat(200), identifier: [{ value: NIR }] }, null, 2)],
    [
      "XML",
      `<?xml version="1.0"?>\n<patients>\n${"<!-- -->\n".repeat(40)}<patient><nir>${NIR}</nir></patient>\n</patients>\n`,
    ],
    ["SQL", `${"-- dump\n".repeat(40)}INSERT INTO patient (nom, nir) VALUES ('DURAND', '${NIR}');\n`],
  ])("%s: no line or offset into the flattened text, the field says where", async (_, text) => {
    const { report } = await scanInMemory(Buffer.from(text), rules);
    const location = report.findings.find((f) => f.ruleId === "fr-nir")?.samples[0]?.location;
    expect(location?.line).toBeUndefined();
    expect(location?.offset).toBeUndefined();
    expect(location?.field).toMatch(/nir|identifier/);
  });

  it("CSV and text: the line and the byte offset in the object", async () => {
    const text = `nom;num_secu\n${"X;\n".repeat(30)}DURAND;${NIR}\n`;
    const { report } = await scanInMemory(Buffer.from(text), rules);
    const location = report.findings.find((f) => f.ruleId === "fr-nir")?.samples[0]?.location;
    expect(location?.line).toBe(32);
    expect(location?.offset).toBe(text.indexOf(NIR));
  });
});
