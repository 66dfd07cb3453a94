import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ByteEncoding, TextBlock } from "../../src/extract/text-blocks.js";
import { compileSearches, createSearcher, type SearchSource } from "../../src/rules/automaton/searcher.js";
import { detectBlock } from "../../src/rules/engine.js";
import { sniffLayout } from "../../src/rules/layout.js";
import { ruleSearches } from "../../src/rules/searches.js";
import { decodeExcerpt } from "../../src/rules/types.js";
import { rules } from "../helpers/detect.js";

const hashers = { fingerprint: (rule: string, v: string) => `${rule}:${v.length}`, distinct: (v: string) => v.length };

/** Bits of French patient data: every kind of rule, separators, accents, case, glued words. */
const PIECES = [
  "185057800608491",
  "1 85 05 78 006 084 91",
  "1.85.05.78.006.084",
  " clé 91",
  "2A",
  "2b",
  "976",
  "12/05/1970",
  "1970-05-12",
  "née le ",
  "DDN",
  "nir",
  "NIR ",
  "matricule",
  "sécurité sociale",
  "INS-NIR",
  "facture",
  "JEAN",
  "EAN",
  "RIBEIRO",
  "grossesse",
  "grossesse extra-utérine",
  "GROSSESSE",
  "Diabète",
  "diabete",
  "prédiabétique",
  "VIH",
  "vih",
  "TSH",
  " mUI/l",
  "HbA1c",
  "7,2 %",
  "IVL_TS",
  "TS",
  "12 SA",
  "38SA",
  "semaines d'aménorrhée",
  "groupe sanguin O Rh-",
  "AB positif",
  "hépatite C",
  "\u00a0",
  "\u202f",
  "\r\n",
  "\n",
  ";",
  ",",
  " ",
  "-",
  ".",
  "é",
  "É",
  "œ",
  "’",
  "0",
  "9",
  "x",
  "Z",
  "\t",
  "(key 91)",
  "IBAN : ",
  "Iban",
  "LIBAN ",
  "FR86 1234 5678 9001 2345 6789 A12",
  "FR8612345678900123456789A12",
  "\rPV1|1|I|",
  "^WPN^PH^^0546442221",
];

const block = (text: string, enc: ByteEncoding): TextBlock => ({
  text: Buffer.from(text, enc === "utf-8" ? "utf8" : "latin1").toString("latin1"),
  encoding: enc,
  byteOffset: 0,
  firstLine: 1,
});

const texts = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((xs) => xs.join("")),
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((xs) => `nom;nir;ddn;examen;resultat\n${xs.join(";")}\n`),
);

describe("automaton searcher", () => {
  it("finds exactly what each search's own regex finds, on random, mutated and adversarial text", () => {
    for (const enc of ["utf-8", "windows-1252"] as const) {
      const { searcher } = ruleSearches(rules, enc);
      const reference = ruleSearches(rules, enc, "regex").searcher;
      fc.assert(
        fc.property(texts, (text) => {
          const b = block(text, enc);
          const got = searcher.search(b.text);
          const want = reference.search(b.text);
          const n = rules.flatMap((r) => r.searches(enc)).length;
          for (let i = 0; i < n; i++) expect([...got.matches(i)]).toEqual([...want.matches(i)]);
        }),
        { numRuns: 300, seed: 14 },
      );
    }
  });

  it("gives the regex engine's block results, block for block", () => {
    for (const enc of ["utf-8", "windows-1252"] as const) {
      fc.assert(
        fc.property(texts, (text) => {
          const b = block(text, enc);
          const layout = sniffLayout(b.text, (x) => decodeExcerpt(x, enc));
          expect(detectBlock(rules, hashers, b, layout, 3, "automaton")).toEqual(
            detectBlock(rules, hashers, b, layout, 3, "regex"),
          );
        }),
        { numRuns: 200, seed: 41 },
      );
    }
  });

  it("runs every built-in search in the automaton, none as a regex", () => {
    for (const enc of ["utf-8", "windows-1252"] as const)
      expect(ruleSearches(rules, enc).searcher.fallbacks).toEqual([]);
  });

  it("keeps a search it cannot express as its regex, with the reason, and still finds its matches", () => {
    const sources: SearchSource[] = [
      { source: "(a+)b\\1", flags: "g" },
      { source: "x?", flags: "g" },
      { source: "(?<![0-9])[0-9]{3}(?![0-9])", flags: "g" },
    ];
    const compiled = compileSearches(sources);
    expect(compiled.fallbacks).toEqual([
      { id: 0, reason: "back-reference" },
      { id: 1, reason: "can match the empty string" },
    ]);
    const found = createSearcher(sources, compiled).search("aabaa 123 4567 x");
    expect([...found.matches(0)]).toEqual([0, 5]);
    expect([...found.matches(2)]).toEqual([6, 9]);
  });

  it("reads only a prefix search's leading bytes, and finds what its regex finds", () => {
    const sources: SearchSource[] = [
      {
        source: "(?<![A-Za-z])(?:IBAN|RIB)[^A-Za-z0-9]{0,4}[A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){2,7}",
        flags: "g",
        prefix: true,
      },
      // Two leading bytes only: too short to look for, so it stays a regex.
      { source: "ab[0-9]+", flags: "g", prefix: true },
    ];
    const compiled = compileSearches(sources);
    expect(compiled.fallbacks).toEqual([{ id: 1, reason: "prefix: fewer than 3 leading bytes" }]);
    // The automaton holds the labels, not the IBAN's 30 positions.
    expect((compiled.forward?.table.length ?? 0) / (compiled.forward?.width ?? 1)).toBeLessThan(20);
    const searcher = createSearcher(sources, compiled);
    const reference = createSearcher(sources);
    for (const text of [
      "IBAN : FR86 1234 5678 9001 2345 6789 A12, RIB FR8612345678900123456789A12",
      "LIBAN FR86 1234 5678 IBAN IBAN:DE60123456780012345678 ab12 IBANIBAN FR86 1234 5678",
      "IBAN",
    ]) {
      const got = searcher.search(text);
      const want = reference.search(text);
      for (let i = 0; i < sources.length; i++) expect([...got.matches(i)], text).toEqual([...want.matches(i)]);
    }
    expect([...searcher.search("x IBAN : FR86 1234 5678 9001").matches(0)]).toEqual([2, 28]);
  });

  it("finds leftmost-first matches that start before an earlier end (unbounded repeats, alternation order)", () => {
    const sources: SearchSource[] = [
      { source: "a[ ]*b|a", flags: "g" },
      { source: "ab|abcd", flags: "g" },
      { source: "x{2,4}", flags: "gi" },
    ];
    const searcher = createSearcher(sources, compileSearches(sources));
    const reference = createSearcher(sources);
    for (const text of ["a    b a", "abcd abc", "xXxXx", "aaab", "a  a  b"]) {
      const got = searcher.search(text);
      const want = reference.search(text);
      for (let i = 0; i < sources.length; i++) expect([...got.matches(i)]).toEqual([...want.matches(i)]);
    }
  });

  it("stays exact and linear on text built to make the backward walks long", () => {
    // Every "b" ends a match that may start at any earlier "a": walking back from each would be quadratic.
    const sources: SearchSource[] = [{ source: "a[a ]*b", flags: "g" }];
    const searcher = createSearcher(sources, compileSearches(sources));
    const text = `${"a ".repeat(200_000)}${"b".repeat(50_000)}`;
    const found = searcher.search(text);
    expect([...found.matches(0)]).toEqual([0, 400_001]);
    // 50,000 walks of 400,000 bytes each without the budget; with it, at most 8 per byte plus 64 Ki.
    expect(found.walked()).toBeLessThanOrEqual(8 * text.length + 65_536);
    expect(found.walked()).toBeGreaterThan(400_000);
  });
});
