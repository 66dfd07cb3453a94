/**
 * Case-sensitive acronyms (`TS`, "tentative de suicide") in CDA: datatypes (`xsi:type="TS"`,
 * `IVL_TS`, `PIVL_TS`) and coded values are not prose, so they are not health terms; the same
 * acronym in a narrative is. Found on the ANS CDA examples: 34 of 39 mental-health hits.
 */
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();

const cda = (narrative: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <effectiveTime xsi:type="TS" value="20240101"/>
  <component><section><entry><observation classCode="OBS" moodCode="EVN">
    <code code="TS" codeSystem="1.2.250.1.213.1.1.4.5" displayName="Bilan"/>
    <effectiveTime xsi:type="IVL_TS"><low value="20240101"/></effectiveTime>
    <effectiveTime xsi:type="PIVL_TS"><period value="1" unit="d"/></effectiveTime>
    <text>${narrative}</text>
  </observation></entry></section></component>
</ClinicalDocument>
`;

const mentalHealth = async (xml: string) => {
  const { report } = await scanInMemory(Buffer.from(xml), rules);
  return report.findings.find((f) => f.ruleId === "fr-health-terms")?.groups?.["mental-health-addiction"] ?? 0;
};

describe("acronyms in machine values", () => {
  it("counts TS in the narrative only, not as a datatype, a code or inside IVL_TS", async () => {
    expect(await mentalHealth(cda("Antécédent de TS en 2019."))).toBe(1);
    expect(await mentalHealth(cda("Bilan annuel sans particularité."))).toBe(0);
  });

  it("still finds TS in plain text and in a CSV", async () => {
    const { report } = await scanInMemory(Buffer.from("nom;commentaire\nDUPONT;TS médicamenteuse en 2019\n"), rules);
    expect(report.findings.find((f) => f.ruleId === "fr-health-terms")?.groups?.["mental-health-addiction"]).toBe(1);
  });

  it("takes _ as part of an acronym's word in text too", async () => {
    const { report } = await scanInMemory(Buffer.from("types IVL_TS, PIVL_TS et TS_2 du modèle\n"), rules);
    expect(report.findings.find((f) => f.ruleId === "fr-health-terms")).toBeUndefined();
  });
});
