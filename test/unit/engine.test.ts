import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnAt } from "../../src/rules/layout.js";
import { ColumnCursor } from "../../src/rules/row-index.js";
import { countOf, detect, rules } from "../helpers/detect.js";

const NIR = "185057800608491";

describe("detection engine", () => {
  it("finds a NIR next to accented words in Windows-1252 and in UTF-8 alike", async () => {
    const text = `Hélène Dupré, née le 12/05/1985, sécurité sociale ${NIR}, sérologie VIH négative\n`;
    for (const enc of ["utf8", "latin1"] as const) {
      const d = await detect(text, enc);
      expect(countOf(d, "fr-nir")).toBe(1);
      expect(countOf(d, "fr-health-terms")).toBe(2); // sérologie, VIH
      expect(countOf(d, "fr-birth-date")).toBe(1);
      expect(d.patientRecords).toBe(1);
    }
  });

  it("explains a NIR's confidence with its reasons", async () => {
    const d = await detect(
      `numero_assure_social;${"x".repeat(80)}\n${NIR};DUPONT\n`.replace("numero_assure_social", "nss"),
    );
    const f = d.findings.find((x) => x.ruleId === "fr-nir");
    expect(f?.reasons).toEqual(["key valid", "structure valid", "header 'nss'"]);
    expect(f?.confidence).toBe(0.99);
    const bare = (await detect(`${"x".repeat(80)}\n${NIR}\n`)).findings.find((x) => x.ruleId === "fr-nir");
    expect(bare).toMatchObject({ confidence: 0.9, reasons: ["key valid", "structure valid"] });
  });

  it("counts a term inside a longer term once, as the longer one (grossesse extra-utérine)", async () => {
    const d = await detect("suspicion de grossesse extra-utérine\n");
    const f = d.findings.find((x) => x.ruleId === "fr-health-terms");
    expect(f?.count).toBe(1);
    expect(f?.reasons).toEqual(["term 'grossesse extra-utérine' (pregnancy-reproduction)"]);
    expect(countOf(await detect("grossesse extra\n"), "fr-health-terms")).toBe(1);
  });

  it("judges a context word's boundaries on the whole text, whatever the window cuts (JEAN is not EAN)", async () => {
    for (let pad = 1; pad <= 50; pad++) {
      for (const name of ["JEAN", "RIBEIRO"]) {
        const d = await detect(`${name}${" ".repeat(pad)}${NIR}\n`);
        expect({ name, pad, n: countOf(d, "fr-nir") }).toEqual({ name, pad, n: 1 });
      }
      // The negative word itself, inside its 40-byte window, still drops the NIR.
      if (pad <= 35) expect(countOf(await detect(`EAN${" ".repeat(pad)}${NIR}\n`), "fr-nir")).toBe(0);
    }
  });

  it("lowers confidence under negative context, and keeps a NIR that also has positive context", async () => {
    expect(countOf(await detect(`facture ${NIR}\n`), "fr-nir")).toBe(0);
    const both = await detect(`facture du patient, NIR ${NIR}\n`);
    expect(both.findings.find((x) => x.ruleId === "fr-nir")?.reasons).toContain("negative context 'facture'");
  });

  it.each([
    ["a 14-digit run", "18505780060849"],
    ["a 16-digit run", "1850578006084911"],
    ["a number glued to letters", `ref${NIR}x`],
    ["a SIRET", "73282932000074"],
    ["an IBAN", "FR76 3000 6000 0112 3456 7890 189"],
    ["an EAN-13", "3017620422003"],
    ["a card number", "4970 1012 3456 7890"],
    ["an IMEI", "490154203237518"],
    ["a wrong key", "185057800608492"],
    ["an order number with a wrong key", "Commande 2 69 05 49 588 157 81"],
  ])("finds no NIR in %s", async (_, text) => {
    expect(countOf(await detect(`${text}\n`), "fr-nir")).toBe(0);
    expect(countOf(await detect(`${text}\n`), "fr-nir-body")).toBe(0);
  });

  it("counts the key written apart, the body alone only with context, and body + key columns", async () => {
    expect(countOf(await detect("assuré 1 85 05 78 006 084 clé 91\n"), "fr-nir")).toBe(1);
    expect(countOf(await detect("1850578006084\n"), "fr-nir-body")).toBe(0);
    expect(countOf(await detect("NIR 1850578006084\n"), "fr-nir-body")).toBe(1);
    const columns = await detect("nom;num_secu;cle\nDUPONT;1850578006084;91\nMARTIN;2690549588157;80\n");
    expect(countOf(columns, "fr-nir-columns")).toBe(2);
    // The same body under the num_secu header is one person, not two findings.
    expect(columns.persons.size).toBe(2);
  });

  it("counts distinct persons by body: the same NIR written two ways is one person", async () => {
    const d = await detect(`${NIR}\n1 85 05 78 006 084 91\nNIR 1850578006084\n`);
    expect(countOf(d, "fr-nir")).toBe(2);
    expect(d.persons.size).toBe(1);
  });

  it("does not count a brochure as patient records", async () => {
    const brochure = "Le diabète de type 2\n\nLa grossesse et l'hépatite B : parlez-en à votre médecin traitant.\n";
    const d = await detect(brochure);
    expect(d.categories.health).toBeGreaterThanOrEqual(4);
    expect(d.patientRecords).toBe(0);
    expect(d.persons.size).toBe(0);
  });

  it("groups by CSV row: a NIR and a health term in different rows do not make a patient record", async () => {
    const d = await detect(`nom;nir;commentaire\nA;${NIR};\nB;;grossesse\n`);
    expect(d.patientRecords).toBe(0);
    const same = await detect(`nom;nir;commentaire\nA;${NIR};grossesse\nB;;\n`);
    expect(same.patientRecords).toBe(1);
    // The acronym pass runs after the term pass: its hit on row 1 comes after the term's on row 3.
    const twoPasses = await detect(`nom;nir;commentaire\nA;${NIR};VIH\nB;;RAS\nC;${NIR};grossesse\nD;;VIH\n`);
    expect(twoPasses.patientRecords).toBe(2);
  });

  it("reads the column of every value alike on rows with and without quotes, in any order of offsets", () => {
    const text = 'a;"b;c";d;e\n"x"";y";z;;w\nplain;row;here\n"open;quote\nnext;line\n';
    const forward = new ColumnCursor();
    const backward = new ColumnCursor();
    const offsets = [...Array(text.length).keys()].filter((i) => text[i] !== "\n");
    for (const i of offsets) expect(forward.at(text, i, ";"), `offset ${i}`).toBe(columnAt(text, i, ";"));
    for (const i of offsets.reverse()) expect(backward.at(text, i, ";"), `offset ${i}`).toBe(columnAt(text, i, ";"));
  });

  it("reads each block's own columns when rules ask about two blocks in turn (one index at a time is kept)", () => {
    const one = "a;b;c\nd;e;f\n";
    const two = "x,y\n;;;;z\n";
    const a = new ColumnCursor();
    const b = new ColumnCursor();
    for (let i = 0; i < one.length; i++) {
      expect(a.at(one, i, ";")).toBe(columnAt(one, i, ";"));
      const j = i % two.length;
      expect(b.at(two, j, ";")).toBe(columnAt(two, j, ";"));
      expect(b.at(two, j, ",")).toBe(columnAt(two, j, ","));
    }
  });

  it("reads columns like columnAt for any increasing offsets, near and far apart (fast-check)", () => {
    const piece = fc.constantFrom("a", ";", '"', "\n", "bb;c", "x".repeat(600), "\n".repeat(3));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 40 }), (parts, picks) => {
        const text = parts.join("");
        if (text.length === 0) return;
        const offsets = [...new Set(picks.map((p) => p % text.length))].sort((a, b) => a - b);
        const cursor = new ColumnCursor();
        for (const i of offsets) expect(cursor.at(text, i, ";"), `offset ${i}`).toBe(columnAt(text, i, ";"));
      }),
      { numRuns: 300 },
    );
  });

  it("groups an SQL dump by INSERT line", async () => {
    const sql = `-- dump\nINSERT INTO p VALUES ('${NIR}', 'diabète');\nINSERT INTO p VALUES ('269054958815780', 'RAS');\nINSERT INTO p VALUES ('x', 'grossesse');\n`;
    const d = await detect(sql);
    expect(countOf(d, "fr-nir")).toBe(2);
    expect(d.patientRecords).toBe(1);
  });

  it("groups HL7 v2 by message and HPRIM by patient, across segments ended by \\r", async () => {
    const hl7 = `MSH|^~\\&|LAB|X\rPID|1||${NIR}^^^&1.2.250.1.213.1.4.8&ISO^INS\rOBX|1|ST|VIH^Sérologie VIH||négatif\rMSH|^~\\&|LAB|X\rPID|2||269054958815780\rOBX|1|NM|NA^Sodium||140|mmol/l\r`;
    const d = await detect(hl7);
    expect(countOf(d, "fr-nir")).toBe(2);
    expect(d.patientRecords).toBe(1);
    const hprim = `H|LAB\rP|1||${NIR}|DURAND\rOBX|1|NM|GLY^Glycémie||5.4|mmol/l\rP|2||269054958815780|MARTIN\rOBX|1|NM|NA^Sodium||140\r`;
    const h = await detect(hprim);
    expect(countOf(h, "fr-nir")).toBe(2);
    expect(h.patientRecords).toBe(1);
  });

  it("groups text by paragraph", async () => {
    const d = await detect(`Patient NIR ${NIR}\nsuivi de grossesse\n\nAutre paragraphe: diabète\n`);
    expect(d.patientRecords).toBe(1);
  });

  it("reads blood groups: strong forms anywhere, a bare A+ only under a blood-group header", async () => {
    expect(countOf(await detect("groupe sanguin O Rh-, AB positif\n"), "fr-blood-group")).toBe(1);
    // A written-out group needs a blood-group word nearby: here "groupe sanguin", 17 bytes before.
    expect(countOf(await detect("groupe sanguin O Rh-, AB positif\n"), "fr-blood-group-context")).toBe(1);
    expect(countOf(await detect("note A+\n"), "fr-blood-group")).toBe(0);
    // A serology result is not a blood group (issue 15, defect 4).
    const serology = await detect("Recherche de l'antigène HBs : la sérologie de l'hépatite B négatif.\n");
    expect(countOf(serology, "fr-blood-group") + countOf(serology, "fr-blood-group-context")).toBe(0);
    expect(countOf(await detect("AB positif\n"), "fr-blood-group-context")).toBe(0);
    expect(countOf(await detect("nom;groupe_sanguin\nX;A+\nY;O-\n"), "fr-blood-group-column")).toBe(2);
  });

  it("counts lab acronyms only near a unit or under a lab header, and AME only in capitals", async () => {
    expect(countOf(await detect("TSH 4,5 mUI/l\n"), "fr-health-terms")).toBe(1);
    expect(countOf(await detect("la TSH de la maison\n"), "fr-health-terms")).toBe(0);
    expect(countOf(await detect("une âme, une Ame\n"), "fr-health-terms")).toBe(0);
    expect(countOf(await detect("droits AME ouverts\n"), "fr-health-terms")).toBe(1);
  });

  it("reads CIM-10 codes only under a diagnosis header", async () => {
    expect(countOf(await detect("nom;diagnostic\nX;E11.9\nY;B20\n"), "fr-icd10-column")).toBe(2);
    expect(countOf(await detect("nom;ref\nX;E11.9\n"), "fr-icd10-column")).toBe(0);
  });

  it("finds NIRs that straddle chunk boundaries exactly once", async () => {
    const text = Array.from({ length: 200 }, (_, i) => `ligne ${i} ${i % 7 === 0 ? NIR : "rien"}`).join("\n");
    for (const chunk of [1, 7, 64, 1000]) expect(countOf(await detect(text, "utf8", chunk), "fr-nir")).toBe(29);
  });
});

describe("detection on worker threads", () => {
  it("gives the same result as inline detection, block for block", async () => {
    const { DetectionPool } = await import("../../src/rules/pool.js");
    const { createObjectDetector } = await import("../../src/rules/engine.js");
    const { createDistinctHasher, createFingerprinter } = await import("../../src/rules/fingerprint.js");
    const { textBlocks } = await import("../../src/extract/text-blocks.js");
    const { BUILTIN_RULES_DIR } = await import("../../src/rules/load.js");
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      i % 10 === 0
        ? `P${i};${NIR.slice(0, 3)}${String(i % 97).padStart(2, "0")}7800608491;grossesse`
        : `P${i};;bilan normal`,
    );
    const text = Buffer.from(`nom;nir;commentaire\n${rows.join("\n")}\n1 85 05 78 006 084 91 VIH\n`);
    const run = async (runner?: Parameters<typeof createObjectDetector>[2]) => {
      const d = createObjectDetector(
        rules,
        { fingerprint: createFingerprinter("k"), distinct: createDistinctHasher(7) },
        runner,
      );
      async function* one() {
        yield text;
      }
      for await (const b of textBlocks(one(), { blockSize: 64 * 1024 }).blocks) await d.push(b);
      return d.finish();
    };
    const pool = new DetectionPool(2, { ruleDirs: [BUILTIN_RULES_DIR], fingerprintKey: "k", distinctSeed: 7 });
    try {
      const [inline, threaded] = await Promise.all([run(), run(pool.runner())]);
      expect(threaded.patientRecords).toBe(inline.patientRecords);
      expect(new Set(threaded.persons.values())).toEqual(new Set(inline.persons.values()));
      expect(threaded.findings).toEqual(inline.findings);
      expect(inline.findings.find((f) => f.ruleId === "fr-nir")?.count).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
