import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sniffUnsupported } from "../../src/extract/sniff.js";

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from("IHDR"),
  Buffer.alloc(17, 1),
  deflateSync(Buffer.alloc(100)),
]);

describe("format sniffing by magic bytes, never by name", () => {
  it("flags binary formats without an extractor: documents scanned raw, media skipped", async () => {
    const sevenZip = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(32)]);
    expect(await sniffUnsupported(sevenZip)).toEqual({ type: "7z", scanRaw: true });
    expect(await sniffUnsupported(Buffer.from("SQLite format 3\0\x10\0\x01\x01", "latin1"))).toEqual({
      type: "sqlite",
      scanRaw: true,
    });
    expect(await sniffUnsupported(png)).toEqual({ type: "image/png", scanRaw: false });
  });

  it("leaves text alone: CSV, XML, HL7, JSON, and UTF-16 with a BOM (which looks like MPEG audio)", async () => {
    for (const text of ["nom;nir\n", '<?xml version="1.0"?><a/>', "MSH|^~\\&|LAB", '{"resourceType":"Bundle"}'])
      expect(await sniffUnsupported(Buffer.from(text))).toBeUndefined();
    expect(await sniffUnsupported(Buffer.from("\ufeffnom;nir;commentaire\r\n", "utf16le"))).toBeUndefined();
  });
});
