/**
 * Issue 15, defect 10: a named patient is an identity signal, and with a health term in the same
 * record a patient record, found in the fields that name it (columns, FHIR, CDA, HL7 v2 PID-5),
 * and never printed. Every name below is made up.
 */
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();

async function names(text: string) {
  const { report } = await scanInMemory(Buffer.from(text), rules);
  return { report, names: report.findings.find((f) => f.ruleId === "fr-person-name") };
}

describe("names as identity", () => {
  it("a CSV of names and diagnoses, without NIR or birth date, holds patient records", async () => {
    const { report, names: found } = await names("nom;prenom;diagnostic\nDUPONT;Jean;asthme\nMARTIN;Léa;diabète\n");
    expect(found?.count).toBe(4);
    expect(found?.category).toBe("identity");
    expect(report.patientRecords).toBe(2);
    expect(report.distinctPersons).toBe(0);
  });

  it("FHIR name.family and name.given", async () => {
    const patient = { resourceType: "Patient", name: [{ family: "MARTINEZ", given: ["Léa", "Marie"] }] };
    const { names: found } = await names(JSON.stringify(patient));
    expect(found?.count).toBe(3);
    expect(found?.reasons).toEqual(["name in a name field", "header 'name_given'"]);
  });

  it("CDA patient/name", async () => {
    const cda = `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><patient><name><given>Jeanne</given><family>DURANDAL</family></name></patient></patientRole></recordTarget></ClinicalDocument>`;
    const { names: found } = await names(cda);
    expect(found?.count).toBe(2);
  });

  it("HL7 v2 PID-5, components joined, with its birth date and a health term: one patient record", async () => {
    const hl7 =
      "MSH|^~\\&|SIL|LAB|||20240101||ORU^R01|1|P|2.5\rPID|1||123^^^LAB||DUPONTEL^JEAN^^^^^L||19700512|M\rOBX|1|TX|NOTE||sérologie VIH négative||||||F\r";
    const { report, names: found } = await names(hl7);
    expect(found?.count).toBe(1);
    expect(found?.reasons).toContain("header 'pid_5'");
    expect(report.patientRecords).toBe(1);
  });

  it("never prints a name: no sample, and neither a reason nor a field holds one, even in a JSON key", async () => {
    const doc = {
      dossiers: { "DUPONTEL Jeanne": { nom: "DUPONTEL", prenom: "Jeanne", commentaire: "asthme sévère" } },
    };
    const { report, names: found } = await names(JSON.stringify(doc));
    expect(found?.count).toBe(2);
    expect(found?.samples).toEqual([]);
    expect(found?.reasons).toEqual(["name in a name field", "header 'nom'"]);
    const health = report.findings.find((f) => f.ruleId === "fr-health-terms");
    expect(health?.samples[0]?.location.field).toBe("$.dossiers[…].commentaire");
    expect(JSON.stringify(report)).not.toMatch(/DUPONTEL|Jeanne/i);
  });

  it("a named woman with her age in a call's free text, pregnant: a patient record, the name never shown", async () => {
    const call = { case: { freetext: "Femme enceinte de 2 mois tombée d'une échelle. Delphine Vignal, 32 ans." } };
    const { report } = await names(JSON.stringify(call));
    const named = report.findings.find((f) => f.ruleId === "fr-named-age");
    expect(named?.count).toBe(1);
    expect(named?.samples).toEqual([]);
    expect(report.patientRecords).toBe(1);
    expect(JSON.stringify(report)).not.toMatch(/Delphine|Vignal/);
  });

  it.each([
    ["a product name column", "nom_produit;prix\nDoliprane;2,18\n"],
    ["placeholders and codes", "nom;prenom\nNULL;N/A\n12345;X\n"],
    ["a header row alone", "nom;prenom\n"],
    ["JSON names that are not a person's", JSON.stringify({ product: { name: "Doliprane" }, file_name: "export.csv" })],
  ])("ignores %s", async (_, text) => {
    const { names: found } = await names(text);
    expect(found).toBeUndefined();
  });
});

describe("reasons name the header a rule looks for, never a path of data", () => {
  it("keeps a JSON key that is a patient's name out of every reason and sample", async () => {
    // The NIR's key is valid; the keys of `dossiers` are the patients' names.
    const doc = {
      dossiers: {
        "Sophie Martinez": { num_secu: "185057800608491", allergies: "allergie aux arachides", nom: "Martinez" },
      },
    };
    const { report } = await scanInMemory(Buffer.from(JSON.stringify(doc)), rules);
    const ids = report.findings.map((f) => f.ruleId).sort();
    expect(ids).toEqual(expect.arrayContaining(["fr-nir", "fr-health-terms", "fr-person-name"]));
    const reasons = report.findings.flatMap((f) => [
      ...f.reasons,
      ...(f.samples ?? []).flatMap((s) => s.reasons ?? []),
    ]);
    expect(reasons).toEqual(expect.arrayContaining(["header 'num_secu'"]));
    expect(JSON.stringify(report.findings).toLowerCase()).not.toMatch(/sophie|martinez/);
  });
});
