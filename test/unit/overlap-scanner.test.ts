import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OverlapScanner, type RawMatch } from "../../src/rules/overlap-scanner.js";

const NIRISH = /(?<![0-9])[12][0-9]{14}(?![0-9])/g;

function scanInPieces(text: string, cuts: number[], regex = NIRISH): RawMatch[] {
  const found: RawMatch[] = [];
  const scanner = new OverlapScanner(new RegExp(regex.source, regex.flags), (m) => found.push(m));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(text.slice(at, cut));
    at = cut;
  }
  scanner.push(text.slice(at));
  scanner.finish();
  return found;
}

function singlePass(text: string, regex = NIRISH): RawMatch[] {
  return [...text.matchAll(new RegExp(regex.source, regex.flags))].map((m) => ({
    text: m[0],
    offset: m.index,
    line: text.slice(0, m.index).split("\n").length,
  }));
}

describe("OverlapScanner", () => {
  it("finds a number that straddles two pieces exactly once", () => {
    const text = `ligne 1\nNIR 185057800608491 fin\n`;
    for (let cut = 1; cut < text.length; cut++) {
      expect(scanInPieces(text, [cut])).toEqual([{ text: "185057800608491", offset: 12, line: 2 }]);
    }
  });

  it("does not report a 15-digit prefix of a 16-digit run cut at the boundary", () => {
    const text = "x 1850578006084911 y";
    for (let cut = 1; cut < text.length; cut++) expect(scanInPieces(text, [cut])).toEqual([]);
  });

  it("finds the same matches as one pass, whatever the piece sizes (property)", () => {
    const token = fc.constantFrom("185057800608491", "2690549588157", "1850578006084911", " ", "\n", "a", "7", "é");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 12 }), (tokens, rawCuts) => {
        const text = tokens.join("");
        const cuts = rawCuts.map((c) => (text.length === 0 ? 0 : c % (text.length + 1)));
        expect(scanInPieces(text, cuts)).toEqual(singlePass(text));
      }),
      { numRuns: 400 },
    );
  });

  it("keeps memory bounded: the carry never grows with the text", () => {
    const scanner = new OverlapScanner(/x{3}/g, () => {});
    for (let i = 0; i < 10_000; i++) scanner.push("abcdefghij".repeat(10));
    expect((scanner as unknown as { carry: string }).carry.length).toBeLessThanOrEqual(200);
  });

  it("refuses a regex without the global flag", () => {
    expect(() => new OverlapScanner(/x/, () => {})).toThrow(/global/);
  });
});
