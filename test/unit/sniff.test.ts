import { deflateSync } from "node:zlib";
import fc from "fast-check";
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

  it("recognises database backups file-type does not know: pg_dump by its magic, dBase by its header's arithmetic", async () => {
    const pg = Buffer.concat([Buffer.from("PGDMP\x01\x0e\x00\x04\x08\x01\x01\x01", "latin1"), Buffer.alloc(64)]);
    expect(await sniffUnsupported(pg)).toEqual({ type: "pg_dump", scanRaw: true });
    // 200 fields: the header runs past the 4,100 bytes sniffed, and is judged by the fields seen.
    const fields = 200;
    const header = Buffer.alloc(32 + 32 * fields + 1);
    header.set([0x03, 124, 6, 30], 0);
    header.writeUInt16LE(header.length, 8);
    header.writeUInt16LE(1 + 10 * fields, 10);
    for (let i = 0; i < fields; i++) {
      header.write(`F${i}`, 32 + 32 * i, "latin1");
      header[32 + 32 * i + 11] = 0x43;
      header[32 + 32 * i + 16] = 10;
    }
    header[header.length - 1] = 0x0d;
    expect(await sniffUnsupported(header.subarray(0, 4100))).toEqual({ type: "dbase", scanRaw: true });
    expect(await sniffUnsupported(Buffer.concat([header, Buffer.alloc(20)]))).toEqual({ type: "dbase", scanRaw: true });
    // One field length off: the record length no longer adds up, so it is not a dBase table.
    const small = Buffer.from(header.subarray(0, 32 + 64 + 1));
    small.writeUInt16LE(small.length, 8);
    small.writeUInt16LE(21, 10);
    small[small.length - 1] = 0x0d;
    expect(await sniffUnsupported(small)).toEqual({ type: "dbase", scanRaw: true });
    small[32 + 16] = 11;
    expect((await sniffUnsupported(small))?.type).not.toBe("dbase");
  });

  it("never takes text for a database backup (fast-check)", async () => {
    const char = fc.constantFrom(...'0123Cc;,|\t\r\n "PGDMabcxyz9é'.split(""));
    await fc.assert(
      fc.asyncProperty(fc.array(char, { minLength: 65, maxLength: 400 }), async (chars) => {
        const type = (await sniffUnsupported(Buffer.from(chars.join(""), "latin1")))?.type;
        expect(["dbase", "pg_dump"]).not.toContain(type);
      }),
      { numRuns: 300 },
    );
  });
});
