/**
 * An INS whose key fails is still a person's number when an INS OID labels it (found on the ANS
 * examples: test INS in CDA, FHIR Shorthand and HL7 v2 with keys that do not check). It is
 * reported as its own low-confidence national-id finding, counts its person, and stays out of
 * fr-nir. Every value below is synthetic: 185057800608491 is valid, so …92 has a wrong key.
 */
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();
const BAD = "185057800608492";
const GOOD = "185057800608491";

const cda = (root: string, extension: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <recordTarget><patientRole>
    <id extension="${extension}" root="${root}"/>
    <patient><name><family>TEST</family></name></patient>
  </patientRole></recordTarget>
</ClinicalDocument>
`;

const fhir = (system: string, value: string) =>
  JSON.stringify({ resourceType: "Patient", identifier: [{ system, value }], birthDate: "1985-05-12" });

async function verdict(text: string) {
  const { report } = await scanInMemory(Buffer.from(text), rules);
  const find = (id: string) => report.findings.find((f) => f.ruleId === id);
  return { invalid: find("fr-ins-key-invalid"), nir: find("fr-nir"), persons: report.distinctPersons };
}

describe("INS labelled by its OID, key invalid", () => {
  it.each([
    ["CDA, test INS-NIR OID", cda("1.2.250.1.213.1.4.10", BAD)],
    ["CDA, production INS-NIR OID", cda("1.2.250.1.213.1.4.8", BAD)],
    ["FHIR, INS-NIA test OID", fhir("urn:oid:1.2.250.1.213.1.4.11", BAD)],
    ["HL7 v2 PID-3", `PID|||${BAD}^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS||TEST^JEAN\r`],
  ])("%s: reported at low confidence, the person counted, fr-nir untouched", async (_, text) => {
    const { invalid, nir, persons } = await verdict(text);
    expect(invalid?.count).toBe(1);
    expect(invalid?.category).toBe("national-id");
    expect(invalid?.confidence).toBeLessThanOrEqual(0.5);
    expect(invalid?.reasons).toContain("INS by OID, key invalid");
    expect(invalid?.samples[0]?.masked).not.toContain(BAD.slice(2, 13));
    expect(nir).toBeUndefined();
    expect(persons).toBe(1);
  });

  it("leaves a valid key to fr-nir: one finding, one person", async () => {
    const { invalid, nir, persons } = await verdict(cda("1.2.250.1.213.1.4.10", GOOD));
    expect(invalid).toBeUndefined();
    expect(nir?.count).toBe(1);
    expect(persons).toBe(1);
  });

  it.each([
    ["no INS label", `patient;numero\nTEST;${BAD}\n`],
    ["another OID (a professional's RPPS)", cda("1.2.250.1.71.4.2.2", BAD)],
    ["an impossible structure (month 13)", cda("1.2.250.1.213.1.4.10", "185137800608492")],
  ])("ignores a wrong key with %s", async (_, text) => {
    const { invalid, persons } = await verdict(text);
    expect(invalid).toBeUndefined();
    expect(persons).toBe(0);
  });
});
