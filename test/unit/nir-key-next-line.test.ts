/**
 * SESAM-Vitale beneficiary files write the NIR body and its key on two lines (`Numero=` then
 * `Cle=`): five persons of one such file were missed. Synthetic values only.
 */
import { describe, expect, it } from "vitest";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { loadRules } from "../../src/rules/load.js";
import { scanInMemory } from "../helpers/memory.js";

const rules = await loadRules();
const random = seededRandom(7);
const nirs = Array.from({ length: 5 }, () => syntheticNir(random));

const beneficiaries = (eol: string, key: (nir: string) => string) =>
  nirs
    .map((nir, i) =>
      [`[Beneficiaire${i + 1}]`, `Nom=PATIENT${"ABCDE"[i]}`, `Numero=${nir.slice(0, 13)}`, `Cle=${key(nir)}`, ""].join(
        eol,
      ),
    )
    .join(eol);

describe("NIR body and key on separate lines", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("counts every beneficiary (%s)", async (_, eol) => {
    const { report } = await scanInMemory(Buffer.from(beneficiaries(eol, (n) => n.slice(13))), rules);
    // It starts with "[Beneficiaire1]": text, not a corrupt JSON array (it was partial, unread).
    expect(report.coverage).toBe("scanned");
    expect(report.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(5);
    expect(report.distinctPersons).toBe(5);
  });

  it("does not take a wrong key on the next line", async () => {
    const wrong = (n: string) => String(((Number(n.slice(13)) % 97) + 1) % 98).padStart(2, "0");
    const { report } = await scanInMemory(Buffer.from(beneficiaries("\n", wrong)), rules);
    expect(report.findings.find((f) => f.ruleId === "fr-nir")).toBeUndefined();
  });
});
