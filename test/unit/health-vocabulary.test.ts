/**
 * The French health vocabulary (rules/fr-health.yaml, rule fr-health-terms): its size and
 * groups, the families a lab or a prescription writes, the words that count only next to a
 * health term (`requires.nearTerm`), and no health finding at all on non-medical French text.
 */
import { describe, expect, it } from "vitest";
import { hitsInText } from "../../src/rules/kinds/index.js";
import { compilePack } from "../../src/rules/load.js";
import type { DictionaryRuleSpec } from "../../src/rules/schema.js";
import type { Hit } from "../../src/rules/types.js";
import { ADMIN_TEMPLATES, frenchAdminDocuments, frenchAdminSentences } from "../corpus/french-admin-corpus.js";
import { detect, rules } from "../helpers/detect.js";

const terms = rules.find((r) => r.spec.id === "fr-health-terms");
if (terms?.spec.kind !== "dictionary") throw new Error("fr-health-terms is missing");
const spec: DictionaryRuleSpec = terms.spec;
const hits = (text: string): Hit[] => hitsInText(terms, text);
const groupsOf = (text: string) => hits(text).map((h) => h.group);

describe("the vocabulary", () => {
  it("holds at least 600 terms in at least 12 weighted groups, the most sensitive weighing 3", () => {
    const groups = Object.entries(spec.groups);
    const count = groups.reduce((n, [, g]) => n + new Set([...g.terms, ...g.caseSensitive]).size, 0);
    expect(count).toBeGreaterThanOrEqual(600);
    expect(groups.length).toBeGreaterThanOrEqual(12);
    for (const name of ["pathology-sensitive", "pregnancy-reproduction", "mental-health-addiction"])
      expect(spec.groups[name]?.weight, name).toBe(3);
    for (const [name, g] of groups) expect(g.weight, name).toBeGreaterThanOrEqual(1);
  });

  it("finds VIH and HIV in lower case too, and keeps ambiguous acronyms case-sensitive", () => {
    expect(groupsOf("sérologie vih négative")).toEqual(["lab-tests", "pathology-sensitive"]);
    expect(groupsOf("HIV-1 RNA")).toEqual(["pathology-sensitive"]);
    expect(hits("Ist das gut? une âme sensible")).toEqual([]);
  });

  it("does not count a term in a name field: a surname, a catalogue's product name", () => {
    for (const [skipped, counted] of [
      ["nom;prenom;ville\nGRIPPE;Marie;Lyon", "motif;prenom;ville\nGRIPPE;Marie;Lyon"],
      ["nom;prix\nDoliprane;2,18", "produit;prix\nDoliprane;2,18"],
      ["id;patient_nom;commentaire\n1;Grippe;RAS", "id;patient;commentaire\n1;Grippe;RAS"],
    ] as const) {
      expect(hits(skipped), skipped).toEqual([]);
      expect(hits(counted), counted).toHaveLength(1);
    }
    // The rest of the row still counts.
    expect(groupsOf("nom;prenom;commentaire\nGRIPPE;Marie;diabète de type 2")).toEqual(["pathology-chronic"]);
    // HL7 v2: PID-5 is the patient's name.
    const pid = (name: string) =>
      `MSH|^~\\&|SIL|LAB|||20240101||ADT^A01|1|P|2.5\rPID|1||123^^^LAB||${name}||19700512|M\r`;
    expect(hits(pid("GRIPPE^MARIE"))).toEqual([]);
  });

  it("finds a term spelled with oe when the text writes the ligature œ, in UTF-8 and Windows-1252", async () => {
    for (const [ligature, plain] of [
      ["reflux gastro-œsophagien", "reflux gastro-oesophagien"],
      ["MALADIE CŒLIAQUE", "maladie coeliaque"],
    ] as const) {
      expect(groupsOf(plain)).toHaveLength(1);
      expect(groupsOf(ligature)).toEqual(groupsOf(plain));
      for (const encoding of ["utf8", "latin1"] as const) {
        // Node's latin1 has no œ: write the Windows-1252 byte (0x9c, 0x8c) by hand.
        const text = encoding === "latin1" ? ligature.replace("œ", "\x9c").replace("Œ", "\x8c") : ligature;
        const d = await detect(`compte rendu : ${text}`, encoding);
        expect(d.findings.find((f) => f.ruleId === "fr-health-terms")?.count, `${ligature} in ${encoding}`).toBe(1);
      }
    }
  });

  it("finds blood counts and biochemistry as a lab writes them", () => {
    for (const analyte of [
      "Hémoglobine",
      "HEMATIES",
      "leucocytes",
      "polynucléaires",
      "lymphocytes",
      "cholestérol total",
      "acide urique",
      "bilirubine",
      "phosphatases alcalines",
      "protéine C réactive",
      "créatinine",
      "transaminases",
    ])
      expect(groupsOf(`${analyte} : voir valeurs`), analyte).toEqual(["lab-tests"]);
    // Analytes that are everyday words count next to a unit.
    expect(groupsOf("Plaquettes : 250 G/l")).toEqual(["lab-values-in-context"]);
    expect(groupsOf("Glucose 5,4 mmol/l")).toEqual(["lab-values-in-context"]);
    expect(groupsOf("CRP 12 mg/l")).toEqual(["lab-acronyms"]);
  });

  it("finds pregnancy serologies, conditions by CIM-10 chapter and dispensed drugs", () => {
    expect(groupsOf("toxoplasmose, rubéole, CMV")).toEqual([
      "pregnancy-reproduction",
      "pregnancy-reproduction",
      "pregnancy-reproduction",
    ]);
    expect(groupsOf("pneumopathie")).toEqual(["conditions-cardio-respiratory"]);
    expect(groupsOf("cystite")).toEqual(["conditions-digestive-urogenital"]);
    expect(groupsOf("gonocoque")).toEqual(["pathology-sensitive"]);
    expect(groupsOf("paracétamol, amoxicilline, ibuprofène, oméprazole, atorvastatine, tramadol")).toEqual(
      Array(6).fill("drug-substances"),
    );
    expect(groupsOf("lévothyroxine")).toEqual(["treatments"]);
    expect(groupsOf("Doliprane 1000 mg")).toEqual(["drug-brands"]);
    expect(groupsOf("sertraline")).toEqual(["mental-health-addiction"]);
  });

  it("counts a term inside a longer word or glued to digits nowhere", () => {
    expect(hits("prédiabétique, sidalité, HIV2024, archive")).toEqual([]);
  });
});

describe("words that count only next to a health term (requires.nearTerm)", () => {
  it("does not count a generic word alone", () => {
    for (const text of [
      "diagnostic immobilier avant la vente",
      "traitement de texte et tableur",
      "examen du permis de conduire",
      "l'assuré déclare le sinistre",
      "consultation publique en mairie",
    ])
      expect(hits(text), text).toEqual([]);
  });

  it("counts it next to a term of a group that stands alone, and says which", () => {
    const found = hits("diagnostic de diabète posé en 2015");
    expect(found.map((h) => h.group)).toEqual(["pathology-chronic", "care-context"]);
    expect(found[1]?.reasons).toEqual(["term 'diagnostic' (care-context)", "term 'diabète' within 60 chars"]);
    expect(found[1]?.confidence).toBe(0.7);
    expect(groupsOf("traitement par insuline")).toContain("care-context");
  });

  it("does not let two generic words confirm each other", () => {
    expect(hits("consultation, examen, traitement, ordonnance")).toEqual([]);
    expect(hits("une dépression atlantique, un examen")).toEqual([]);
  });

  it("stops at the window", () => {
    expect(hits(`traitement ${"x".repeat(70)} insuline`).map((h) => h.group)).toEqual(["treatments"]);
    expect(hits(`traitement ${"x".repeat(40)} insuline`).map((h) => h.group)).toEqual(["treatments", "care-context"]);
  });

  it("stops at the row in a delimited file: the next row is another record", () => {
    const csv = "nom;commentaire\nA;traitement de texte\nB;diabète\n";
    expect(groupsOf(csv)).toEqual(["pathology-chronic"]);
    expect(groupsOf("nom;commentaire\nA;traitement du diabète\n")).toEqual(["pathology-chronic", "care-context"]);
  });

  it("counts it under a health header without another term", () => {
    const found = hits("nom;allergies\nDUPONT;allergie aux arachides\n");
    expect(found.map((h) => h.group)).toEqual(["care-context"]);
    expect(found[0]?.reasons).toEqual(["term 'allergie' (care-context)", "header 'allergies'"]);
  });

  it("keeps sensitive words with an everyday sense for health contexts", () => {
    expect(hits("enceinte Bluetooth, barrette DDR 16 Go, 15:04:05 MST 2006")).toEqual([]);
    // Terms that need another are read after the others.
    expect(groupsOf("enceinte, DDR le 3 mars, échographie")).toEqual([
      "procedures",
      "sensitive-in-context",
      "sensitive-in-context",
    ]);
    // A pregnant woman or patient needs nothing else (a SAMU call: "Femme enceinte de 2 mois").
    expect(groupsOf("Femme enceinte de 2 mois")).toEqual(["pregnancy-reproduction"]);
  });

  it("refuses a rule whose every group needs another term, naming the field", async () => {
    const pack = `
version: 1
pack: t
rules:
  - id: only-context
    kind: dictionary
    name: T
    category: health
    severity: low
    groups:
      generic:
        terms: [examen]
        requires: { nearTerm: true }
    examples: { match: ["examen"], noMatch: ["x"] }
`;
    await expect(compilePack(pack, "t.yaml")).rejects.toThrow(
      /t\.yaml: rule "only-context", field "groups\.generic\.requires\.nearTerm"/,
    );
    await expect(compilePack(pack.replace("{ nearTerm: true }", "{ window: 40 }"), "t.yaml")).rejects.toThrow(
      /field "rules\.0\.groups\.generic\.requires|needs words, headers or nearTerm/,
    );
  });
});

describe("non-medical French text (test/corpus/french-admin-corpus.ts)", () => {
  it("covers every template in at least 200 sentences", () => {
    const sentences = frenchAdminSentences();
    expect(sentences.length).toBeGreaterThanOrEqual(200);
    expect(new Set(sentences).size).toBeGreaterThan(200);
    expect(ADMIN_TEMPLATES).toBeGreaterThanOrEqual(50);
  });

  it("gives no health finding, in UTF-8 and Windows-1252, as prose and as CSV", async () => {
    const found: string[] = [];
    for (const doc of frenchAdminDocuments())
      for (const enc of ["utf8", "latin1"] as const) {
        const d = await detect(doc.text, enc);
        for (const f of d.findings.filter((x) => x.category === "health"))
          found.push(`${doc.name} (${enc}): ${f.ruleId} ${f.samples.map((s) => s.masked).join(", ")} ${f.reasons}`);
      }
    expect(found).toEqual([]);
  });

  it("gives no health term in any sentence on its own", () => {
    const found = frenchAdminSentences().flatMap((s) => hits(s).map((h) => `${h.reasons[0]} in "${s}"`));
    expect(found).toEqual([]);
  });
});
