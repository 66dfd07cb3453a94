import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completeUtf8Length, type TextBlock, textBlocks } from "../../src/extract/text-blocks.js";

async function collect(chunks: Uint8Array[], options = {}) {
  async function* source() {
    yield* chunks;
  }
  const stream = textBlocks(source(), options);
  const blocks: TextBlock[] = [];
  for await (const b of stream.blocks) blocks.push(b);
  return { blocks, encoding: stream.encoding() };
}

const decode = (b: TextBlock) => Buffer.from(b.text, "latin1").toString(b.encoding === "utf-8" ? "utf8" : "latin1");
const FRENCH = "Résultat: sérologie négative, prélèvement à jeun; NIR 1 85 05 78 006 084 91 — fin\n";

describe("textBlocks", () => {
  it("keeps UTF-8 bytes as they are, even when a character is split across chunks", async () => {
    const bytes = Buffer.from(FRENCH, "utf8");
    const cut = bytes.indexOf(Buffer.from("é")) + 1;
    const { blocks, encoding } = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(encoding).toBe("utf-8");
    expect(blocks.map(decode).join("")).toBe(FRENCH);
  });

  it("strips a UTF-8 BOM", async () => {
    const { blocks } = await collect([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("nom;nir\n")])]);
    expect(blocks.map((b) => b.text).join("")).toBe("nom;nir\n");
  });

  it("reads bytes that are not valid UTF-8 as Windows-1252", async () => {
    const { blocks, encoding } = await collect([
      Buffer.from("Hélène; prélèvement à jeun; 185057800608491\n", "latin1"),
    ]);
    expect(encoding).toBe("windows-1252");
    expect(blocks[0]?.encoding).toBe("windows-1252");
    expect(decode(blocks[0] as TextBlock)).toBe("Hélène; prélèvement à jeun; 185057800608491\n");
  });

  it("switches to Windows-1252 when invalid bytes come after a valid UTF-8 start", async () => {
    const { blocks, encoding } = await collect([Buffer.from("ascii only\n"), Buffer.from("Hélène\n", "latin1")], {
      blockSize: 4,
    });
    expect(encoding).toBe("windows-1252");
    expect(blocks.map((b) => b.encoding)).toEqual(["utf-8", "windows-1252"]);
  });

  it.each([
    ["utf-16le", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FRENCH, "utf16le")])],
    ["utf-16be", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(FRENCH, "utf16le").swap16()])],
  ])("transcodes %s with a BOM to UTF-8 bytes", async (encoding, bytes) => {
    const result = await collect([bytes.subarray(0, 7), bytes.subarray(7)]);
    expect(result.encoding).toBe(encoding);
    expect(result.blocks.map(decode).join("")).toBe(FRENCH);
  });

  it("ends blocks at newlines and numbers their first lines", async () => {
    const text = Array.from({ length: 100 }, (_, i) => `ligne ${i}`).join("\n");
    const { blocks } = await collect([Buffer.from(text)], { blockSize: 64 });
    expect(blocks.length).toBeGreaterThan(5);
    for (const b of blocks.slice(0, -1)) expect(b.text.endsWith("\n")).toBe(true);
    expect(blocks.map((b) => b.text).join("")).toBe(text);
    for (const b of blocks) expect(b.text.split("\n")[0]).toBe(`ligne ${b.firstLine - 1}`);
    for (const b of blocks) expect(b.byteOffset).toBe(text.indexOf(b.text.split("\n")[0] as string));
  });

  it("cuts an over-long line at a delimiter, never inside a value", async () => {
    const line = Array.from({ length: 2000 }, () => "185057800608491").join(";");
    const { blocks } = await collect([Buffer.from(line)], { blockSize: 1024, maxLine: 1024 });
    expect(blocks.length).toBeGreaterThan(1);
    for (const b of blocks.slice(0, -1)) expect(b.text.endsWith(";")).toBe(true);
  });

  it("gives every line once and in order, whatever the chunk sizes (property)", async () => {
    const line = fc.stringMatching(/^[a-zé0-9 ;]{0,30}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        async (lines, sizes) => {
          const bytes = Buffer.from(lines.join("\n"), "utf8");
          const chunks: Buffer[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length] as number;
            chunks.push(bytes.subarray(at, at + size));
            at += size;
          }
          const { blocks } = await collect(chunks, { blockSize: 16 });
          expect(Buffer.concat(blocks.map((b) => Buffer.from(b.text, "latin1")))).toEqual(bytes);
          for (const b of blocks.slice(0, -1)) expect(b.text.endsWith("\n")).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("finds where a truncated UTF-8 tail starts", () => {
    const e = Buffer.from("abé", "utf8");
    expect(completeUtf8Length(e)).toBe(4);
    expect(completeUtf8Length(e.subarray(0, 3))).toBe(2);
    expect(completeUtf8Length(Buffer.from("€", "utf8").subarray(0, 2))).toBe(0);
  });
});
