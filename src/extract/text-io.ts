/** Text in and out of the extractors that rewrite what they read (JSON, XML, SQL, sheets). */
import { TextDecoder } from "node:util";
import type { Payloads } from "./embedded.js";

/** Decoded text of a byte stream: BOM-aware UTF-8 and UTF-16, else Windows-1252 once the bytes are not UTF-8. */
export async function* decodeText(bytes: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  let decoder: TextDecoder | undefined;
  let strict = true;
  for await (const raw of bytes) {
    if (!decoder) {
      const encoding =
        raw[0] === 0xff && raw[1] === 0xfe ? "utf-16le" : raw[0] === 0xfe && raw[1] === 0xff ? "utf-16be" : "utf-8";
      strict = encoding === "utf-8";
      decoder = new TextDecoder(encoding, { fatal: strict });
    }
    if (!strict) {
      yield decoder.decode(raw, { stream: true });
      continue;
    }
    try {
      yield decoder.decode(raw, { stream: true });
    } catch {
      // Not UTF-8 after all: this chunk and the rest are read as Windows-1252 (ISO-8859-15 exports read the same letters).
      strict = false;
      decoder = new TextDecoder("windows-1252");
      yield decoder.decode(raw, { stream: true });
    }
  }
  if (decoder) yield decoder.decode();
}

/** Collects text and hands it out as UTF-8 chunks of about 64 KiB. */
export class TextOut {
  private parts: string[] = [];
  private size = 0;

  /** With `payloads`, a field holding a base64 document also gives it there, decoded. */
  constructor(private readonly payloads?: Payloads) {}

  /** Appends text. */
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** One `path<TAB>value` line of a fields layout; the value is kept on one line. */
  field(path: string, value: string): void {
    // The value is written too: should it not be base64 after all, its text is still read.
    this.payloads?.offer(path, value);
    this.write(`${path}\t${oneLine(value)}\n`);
  }

  /** One delimited row, tab-separated. */
  row(cells: readonly string[]): void {
    this.write(`${cells.map(oneLine).join("\t")}\n`);
  }

  /** Whether enough text waits to be handed out. */
  get full(): boolean {
    return this.size >= 64 * 1024;
  }

  /** The text written so far, as UTF-8, or undefined when there is none. */
  take(): Buffer | undefined {
    if (this.size === 0) return undefined;
    const out = Buffer.from(this.parts.join(""), "utf8");
    this.parts = [];
    this.size = 0;
    return out;
  }
}

/** Values keep to one line and one cell: tabs and line breaks become spaces. */
export function oneLine(value: string): string {
  return /[\t\r\n]/.test(value) ? value.replace(/[\t\r\n]+/g, " ") : value;
}

/** One buffer as a byte stream. */
export async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** The decoded start of some bytes, BOM-aware (UTF-8 or UTF-16), for sniffing a text format. */
export function headText(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder("utf-16le").decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder("utf-16be").decode(head);
  return Buffer.from(head)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
}
