import { fileTypeFromBuffer } from "file-type";

/** Bytes `file-type` needs to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/** What to do with a format Reliquat has no extractor for yet. */
export interface Unsupported {
  /** `pdf`, `parquet`, `image/png`… */
  type: string;
  /** True: the raw bytes are still scanned (text may show through); false: skipped (no text in it). */
  scanRaw: boolean;
}

/** Media and executables hold no text worth matching. */
const NO_TEXT = /^(image|audio|video|font)\/|^application\/(x-elf|x-msdownload|x-mach-binary|wasm|x-sharedlib)/;
/**
 * Documents and containers without an extractor yet: their raw bytes are scanned, and the
 * coverage says so (`dcm`: a DICOM header's tags show through, its pixel data is not text).
 */
const RAW = new Set(["7z", "xz", "rar", "zst", "lz4", "sqlite", "cfb", "rtf", "ps", "arrow", "avro", "dcm"]);
const BOMS = [
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];

const PGDMP = [0x50, 0x47, 0x44, 0x4d, 0x50];
/** dBase, FoxPro and Visual FoxPro version bytes. */
const DBASE_VERSIONS = new Set([0x02, 0x03, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8b, 0xcb, 0xf5, 0xfb]);
/** Field types of a dBase field descriptor. */
const DBASE_TYPES = new Set([..."CNDLMFBGPYTIV@O+0WQ"].map((c) => c.charCodeAt(0)));

/**
 * A dBase table header: a version byte, a last-update date, the header and record lengths,
 * then 32-byte field descriptors (a name, a type letter, a length) ended by 0x0D, whose
 * lengths plus the deletion flag make the record length. No magic number: all of it must
 * hold, which text never does (its 10th to 12th bytes would have to encode those lengths).
 */
function isDbase(h: Uint8Array): boolean {
  if (h.length < 65 || !DBASE_VERSIONS.has(h[0] as number)) return false;
  const month = h[2] as number;
  const day = h[3] as number;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const headerLength = (h[8] as number) | ((h[9] as number) << 8);
  const recordLength = (h[10] as number) | ((h[11] as number) << 8);
  if (headerLength < 65 || recordLength < 2) return false;
  let sum = 1;
  let fields = 0;
  for (let at = 32; at < Math.min(h.length, headerLength); at += 32) {
    if (h[at] === 0x0d) return fields > 0 && sum === recordLength;
    if (at + 32 > h.length) break;
    const name = h[at] as number;
    if (name < 0x21 || name > 0x7e || !DBASE_TYPES.has(h[at + 11] as number)) return false;
    sum += h[at + 16] as number;
    fields++;
  }
  // A header longer than the head read: judged by the fields seen.
  return fields >= 2 && headerLength > h.length && sum <= recordLength;
}

/** Mostly printable bytes (ASCII, whitespace, or the high half of Latin and UTF-8 text). */
export function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512);
  let text = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127)) text++;
  }
  return n > 0 && text / n >= 0.95;
}

/**
 * Recognises a binary format by its magic bytes (`file-type`) among those with no extractor:
 * undefined for text (XML and HTML included) and for the archives `documents.ts` opens itself.
 * Never trusts an extension: a `.dat` or `.txt` file is judged by its bytes.
 */
export async function sniffUnsupported(head: Uint8Array): Promise<Unsupported | undefined> {
  // Text with a byte-order mark (UTF-16 exports from Excel) fools magic numbers (it looks like MPEG audio).
  if (BOMS.some((bom) => bom.every((b, i) => head[i] === b))) return undefined;
  // Database backups `file-type` does not know. A pg_dump custom-format archive (and the
  // toc.dat of a directory or tar one) compresses its table data: read raw, it shows only its
  // table of contents. A dBase table's records are fixed-width fields glued to one another.
  if (PGDMP.every((b, i) => head[i] === b)) return { type: "pg_dump", scanRaw: true };
  if (isDbase(head)) return { type: "dbase", scanRaw: true };
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (!found) return undefined;
  if (RAW.has(found.ext)) return { type: found.ext, scanRaw: true };
  if (NO_TEXT.test(found.mime) && !looksLikeText(head)) return { type: found.mime, scanRaw: false };
  return undefined;
}
