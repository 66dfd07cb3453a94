import { describe, expect, it } from "vitest";
import { decodeText } from "../../src/extract/decode.js";

async function decodeAll(chunks: Uint8Array[]) {
  async function* source() {
    yield* chunks;
  }
  const decoded = decodeText(source());
  let text = "";
  for await (const piece of decoded.pieces) text += piece;
  return { text, encoding: decoded.encoding() };
}

const FRENCH = "Résultat: sérologie négative, prélèvement à jeun; NIR 1 85 05 78 006 084 91 — fin";

describe("decodeText", () => {
  it("decodes UTF-8 and keeps a character split across chunks", async () => {
    const bytes = Buffer.from(FRENCH, "utf8");
    const cut = bytes.indexOf(Buffer.from("é")) + 1; // inside the two-byte é
    const { text, encoding } = await decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(encoding).toBe("utf-8");
    expect(text).toBe(FRENCH);
  });

  it("strips a UTF-8 BOM", async () => {
    const { text } = await decodeAll([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("nom;nir")])]);
    expect(text).toBe("nom;nir");
  });

  it("falls back to Windows-1252 when the bytes are not valid UTF-8", async () => {
    const cp1252 = Buffer.from("Hélène; prélèvement à jeun; 185057800608491", "latin1");
    const { text, encoding } = await decodeAll([cp1252]);
    expect(encoding).toBe("windows-1252");
    expect(text).toBe("Hélène; prélèvement à jeun; 185057800608491");
  });

  it("decodes Windows-1252 bytes that Latin-1 lacks (€, œ, curly quote)", async () => {
    const { text } = await decodeAll([Buffer.from([0x80, 0x20, 0x9c, 0x75, 0x66, 0x92, 0xe9])]);
    expect(text).toBe("€ œuf’é");
  });

  it("switches to Windows-1252 when invalid bytes come after a valid UTF-8 start", async () => {
    const { text, encoding } = await decodeAll([Buffer.from("ascii only\n"), Buffer.from("Hélène", "latin1")]);
    expect(encoding).toBe("windows-1252");
    expect(text).toBe("ascii only\nHélène");
  });

  it.each([
    ["utf-16le", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FRENCH, "utf16le")])],
    ["utf-16be", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(FRENCH, "utf16le").swap16()])],
  ])("decodes %s with a BOM", async (encoding, bytes) => {
    const result = await decodeAll([bytes.subarray(0, 7), bytes.subarray(7)]);
    expect(result).toEqual({ text: FRENCH, encoding });
  });

  it("tolerates a multi-byte character cut at the end of a sampled read", async () => {
    const bytes = Buffer.from("abc é", "utf8");
    const { text, encoding } = await decodeAll([bytes.subarray(0, bytes.length - 1)]);
    expect(text).toBe("abc ");
    expect(encoding).toBe("utf-8");
  });
});
