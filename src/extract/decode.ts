import { TextDecoder } from "node:util";

/**
 * Bytes → text, streaming. UTF-16 with a BOM, UTF-8 (with or without BOM), and Windows-1252
 * when the bytes are not valid UTF-8: French lab exports are usually CP1252. Windows-1252 is
 * also what WHATWG decoders use for ISO-8859-1 and a superset of ISO-8859-15's letters.
 */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DecodedText {
  /** The encoding finally used (a fallback switches it once, to windows-1252). */
  encoding(): TextEncoding;
  /** Decoded pieces, in order. */
  pieces: AsyncIterable<string>;
}

/** Decodes a byte stream lazily. */
export function decodeText(bytes: AsyncIterable<Uint8Array>): DecodedText {
  let encoding: TextEncoding = "utf-8";
  async function* pieces(): AsyncIterable<string> {
    let decoder: TextDecoder | undefined;
    for await (const chunk of bytes) {
      if (!decoder) {
        encoding = sniffBom(chunk) ?? "utf-8";
        // fatal: invalid UTF-8 throws, which is our cue to switch to Windows-1252.
        decoder = new TextDecoder(encoding, { fatal: encoding === "utf-8" });
      }
      try {
        yield decoder.decode(chunk, { stream: true });
      } catch {
        encoding = "windows-1252";
        decoder = new TextDecoder(encoding);
        yield decoder.decode(chunk, { stream: true });
      }
    }
    if (!decoder) return;
    try {
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch {
      // A cut final character: sampled reads stop mid-object. At most 3 bytes, never a whole value.
    }
  }
  return { encoding: () => encoding, pieces: pieces() };
}

function sniffBom(head: Uint8Array): TextEncoding | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return undefined; // TextDecoder strips a UTF-8 BOM by itself.
}
