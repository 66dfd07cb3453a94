import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printable, printableLines } from "../../src/report/printable.js";

/** The inverse of printable, written independently: it proves that no two names print the same. */
function decode(text: string): string {
  return text.replace(/\\(?:x([0-9a-f]{2})|u\{([0-9a-f]+)\}|u([0-9a-f]{4})|(\\))/g, (_, x, big, u, slash) =>
    slash ? "\\" : String.fromCodePoint(Number.parseInt(x ?? big ?? u, 16)),
  );
}
/** Only our escapes may follow a backslash in printable output. */
const WELL_FORMED = /^(?:[^\\]|\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]{5,6}\}|\\))*$/;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const hex = (cp: number, width: number) => cp.toString(16).padStart(width, "0");

describe("printable", () => {
  it("escapes every C0 control U+0000–U+001F, DEL and every C1 control U+0080–U+009F as \\xHH", () => {
    for (const cp of [...range(0x00, 0x1f), 0x7f, ...range(0x80, 0x9f)])
      expect(printable(`a${String.fromCodePoint(cp)}b`)).toBe(`a\\x${hex(cp, 2)}b`);
    expect(printable("\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED")).toBe("\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED");
    expect(printable("line 1\nline 2\ttab\r")).toBe("line 1\\x0aline 2\\x09tab\\x0d");
  });

  it("escapes every bidi embedding, override, isolate and mark as \\uHHHH (Trojan Source)", () => {
    for (const cp of [...range(0x202a, 0x202e), ...range(0x2066, 0x2069), 0x200e, 0x200f, 0x061c])
      expect(printable(`x${String.fromCodePoint(cp)}y`)).toBe(`x\\u${hex(cp, 4)}y`);
    // "invoice_‮fdp.exe" would display as "invoice_exe.pdf".
    expect(printable("invoice_\u202efdp.exe")).toBe("invoice_\\u202efdp.exe");
  });

  it("escapes zero-width and other invisible format characters, line separators and tag characters", () => {
    for (const cp of [
      ...range(0x200b, 0x200d),
      0x2060,
      0xfeff,
      0x00ad,
      0x180e,
      0x2028,
      0x2029,
      ...range(0xfff9, 0xfffb),
    ])
      expect(printable(String.fromCodePoint(cp))).toBe(cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`);
    for (const cp of [0xe0001, ...range(0xe0020, 0xe007f)])
      expect(printable(String.fromCodePoint(cp))).toBe(`\\u{${hex(cp, 5)}}`);
  });

  it("escapes a lone surrogate, and keeps a surrogate pair (an emoji) whole", () => {
    for (const cp of range(0xd800, 0xdfff)) expect(printable(String.fromCharCode(cp))).toBe(`\\u${hex(cp, 4)}`);
    expect(printable("😀")).toBe("😀");
  });

  it("doubles a backslash, so that a name cannot forge an escape", () => {
    expect(printable("a\\x1b")).toBe("a\\\\x1b");
    expect(printable("a\x1b")).toBe("a\\x1b");
    expect(printable("C:\\data")).toBe("C:\\\\data");
  });

  it("leaves visible text alone: masks, accents, other scripts, emoji with variation selectors, combining marks", () => {
    for (const text of [
      "export-1•••••••••••••1.csv",
      "dossier médical/ÉTÉ 2021 œ ß",
      "患者 مريض пациент",
      "❤️ e\u0301 a\u00a0b …≈–",
      "s3://bucket/k e y#%?&=+[]{}|<>`'\"",
    ])
      expect(printable(text)).toBe(text);
  });

  it("over all 1,114,112 code points: escapes exactly the listed ones below U+2100, and decodes back", () => {
    const escapedBelow2100: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const char = String.fromCodePoint(cp);
      const out = printable(char);
      if (out === char) continue;
      if (cp < 0x2100) escapedBelow2100.push(cp);
      expect(out).toMatch(WELL_FORMED);
      if (decode(out) !== char) expect.fail(`U+${hex(cp, 4)} does not decode back from ${out}`);
    }
    expect(escapedBelow2100).toEqual([
      ...range(0x00, 0x1f),
      0x5c,
      ...range(0x7f, 0x9f),
      0xad,
      ...range(0x600, 0x605),
      0x61c,
      0x6dd,
      0x70f,
      0x890,
      0x891,
      0x8e2,
      0x180e,
      ...range(0x200b, 0x200f),
      ...range(0x2028, 0x202e),
      ...range(0x2060, 0x2064),
      ...range(0x2066, 0x206f),
    ]);
  });

  it("is one-to-one on any string: the output is well formed, has no control character, and decodes back", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const out = printable(text);
        expect(out).toMatch(WELL_FORMED);
        expect(out).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        expect(decode(out)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it("printableLines keeps line breaks and escapes everything else on each line", () => {
    expect(printableLines("Error: bad \x1b[2J\n    at x (\u202efile.ts)")).toBe(
      "Error: bad \\x1b[2J\n    at x (\\u202efile.ts)",
    );
  });
});
