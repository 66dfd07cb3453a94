/**
 * Documents carried in base64 inside another one: a PDF report or a CDA in HL7 v2 OBX-5 (type
 * ED, `^text^XML^Base64^…`), a FHIR `Attachment.data` or `Binary.data`, a CDA `nonXMLBody/text
 * representation="B64"`. Read raw, their text is invisible (and rules skip hits inside base64
 * runs, see rules/base64.ts), so each payload is decoded and opened as a document of its own
 * (documents.ts), with a path that says where it was embedded.
 */
import { looksLikeText } from "./sniff.js";
import { once } from "./text-io.js";
import type { Document } from "./types.js";

/** A field value at least this long may be a payload; shorter, it is a token, a hash or a key. */
const MIN_PAYLOAD_CHARS = 256;
/** Decoded bytes of one object's payloads held at once (they are opened after their carrier). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/** A character that a line of base64 never holds. */
const OUTSIDE = /[^A-Za-z0-9+/=]/;
/** Decoded bytes worth opening: known magic numbers (PDF, zip, gzip, OLE, images, DICOM at 128 is checked apart). */
const MAGIC = [
  "%PDF-",
  "PK\x03\x04",
  "\x1f\x8b",
  "\xd0\xcf\x11\xe0",
  "\x89PNG",
  "\xff\xd8\xff",
  "GIF8",
  "II*\0",
  "MM\0*",
  "PGDMP",
  "SQLite format 3",
].map((m) => Buffer.from(m, "latin1"));

/**
 * The decoded bytes when `value` is a base64 payload: long, only the alphabet (wrapped lines
 * allowed, no spaces: a list of codes or dates has them), padding only at the end, mixed like
 * encoded bytes (they change class, digit, upper, lower, symbol, at about 60% of characters; a
 * column of numbers or a long word almost never), and decoding to a known format or to text
 * (a long hex string or an identifier decodes to noise). Every test is linear in the value:
 * a backtracking regex here stalled a scan for minutes on a long run of spaces.
 */
export function payloadOf(value: string): Buffer | undefined {
  if (value.length < MIN_PAYLOAD_CHARS) return undefined;
  // Wrapped lines, each maybe indented (a CDA's text), else no space at all. Line by line, so
  // that a long note is refused at its first space, not split whole first.
  const lines: string[] = [];
  for (let at = 0; at <= value.length; ) {
    const nl = value.indexOf("\n", at);
    const line = value.slice(at, nl < 0 ? value.length : nl).trim();
    if (OUTSIDE.test(line)) return undefined;
    lines.push(line);
    at = nl < 0 ? value.length + 1 : nl + 1;
  }
  const clean = lines.join("");
  const pad = clean.indexOf("=");
  // Padding: one or two `=`, at the end only.
  if (clean.length < MIN_PAYLOAD_CHARS || (pad >= 0 && (pad < clean.length - 2 || /[^=]/.test(clean.slice(pad)))))
    return undefined;
  let changes = 0;
  let last = -1;
  const n = Math.min(clean.length, 2048);
  for (let i = 0; i < n; i++) {
    const c = clean.charCodeAt(i);
    const k = c >= 48 && c <= 57 ? 0 : c >= 65 && c <= 90 ? 1 : c >= 97 && c <= 122 ? 2 : c === 43 || c === 47 ? 3 : -1;
    if (k < 0) continue;
    if (last >= 0 && k !== last) changes++;
    last = k;
  }
  if (changes < n * 0.3) return undefined;
  const bytes = Buffer.from(clean, "base64");
  return plausible(bytes) ? bytes : undefined;
}

/** A known format by its first bytes, or mostly printable text (UTF-8 or Latin-1, or UTF-16 with a BOM). */
function plausible(bytes: Buffer): boolean {
  if (MAGIC.some((m) => bytes.subarray(0, m.length).equals(m))) return true;
  if (bytes.subarray(128, 132).toString("latin1") === "DICM") return true;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  return looksLikeText(bytes);
}

/** Payloads found while a carrier was read, given out once it is done. */
export class Payloads {
  private found: { path: string; bytes: Buffer }[] = [];
  private held = 0;
  /** Payloads dropped past MAX_PAYLOAD_BYTES. */
  dropped = 0;

  /** Keeps `value`'s payload under `path` when it is one (cheap for short values); says whether it was. */
  offer(path: string, value: string): boolean {
    const bytes = payloadOf(value);
    if (!bytes) return false;
    if (this.held + bytes.length > MAX_PAYLOAD_BYTES) this.dropped++;
    else {
      this.found.push({ path, bytes });
      this.held += bytes.length;
    }
    return true;
  }

  /** The payloads as documents to open, under `parent` (the carrier's own path); empties the list. */
  *documents(parent: string | undefined): Generator<Document> {
    const found = this.found;
    this.found = [];
    this.held = 0;
    for (const { path, bytes } of found)
      yield { path: parent ? `${parent}#${path}` : path, bytes: once(bytes), embedded: true };
  }

  /** The partial reason for payloads not read, if any. */
  get droppedReason(): string | undefined {
    return this.dropped > 0
      ? `embedded documents: ${this.dropped} past ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB of payloads in all, not read`
      : undefined;
  }
}

/**
 * HL7 v2 segments passed through unchanged, with the ED payloads of OBX-5 (`^text^XML^Base64^…`,
 * `^application^pdf^Base64^…`) kept in `payloads` as `OBX-5 of message M`. Segments end with CR,
 * LF or both; one split across chunks is carried over.
 */
export async function* hl7Payloads(bytes: AsyncIterable<Uint8Array>, payloads: Payloads): AsyncIterable<Uint8Array> {
  let message = 0;
  const segment = (line: string) => {
    if (line.startsWith("MSH|")) message++;
    if (!line.startsWith("OBX|")) return;
    const fields = line.split("|");
    if (fields[2] !== "ED") return;
    // Each repetition (`~`) its own ED: source ^ type ^ subtype ^ encoding ^ data. Line breaks
    // written as HL7 escapes (\.br\, \X0D\, \X0A\) wrap the data; they are not base64.
    (fields[5] ?? "").split("~").forEach((repetition, k) => {
      const parts = repetition.split("^");
      if ((parts[3] ?? "").toLowerCase() !== "base64") return;
      const data = (parts[4] ?? "").replace(/\\(?:\.br|X0D0A|X0D|X0A)\\/gi, "\n");
      payloads.offer(`OBX-5${k > 0 ? `~${k + 1}` : ""} of message ${Math.max(1, message)}`, data);
    });
  };
  // A segment's pieces until its end: a payload of megabytes comes in many chunks.
  let pieces: string[] = [];
  for await (const chunk of bytes) {
    yield chunk;
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    let start = 0;
    for (const end of text.matchAll(/\r\n|\r|\n/g)) {
      pieces.push(text.slice(start, end.index));
      segment(pieces.join(""));
      pieces = [];
      start = end.index + end[0].length;
    }
    pieces.push(text.slice(start));
  }
  segment(pieces.join(""));
}

/** HL7 v2: a message header first, or a batch or file header (after a BOM, blank lines or MLLP framing). */
export const isHl7 = (head: Uint8Array): boolean =>
  /^(?:\xef\xbb\xbf)?[\s\x0b]*(?:MSH|BHS|FHS)\|/.test(Buffer.from(head.subarray(0, 64)).toString("latin1"));
