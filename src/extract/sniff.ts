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
/** Documents and containers without an extractor yet: their raw bytes are scanned, and the coverage says so. */
const RAW = new Set(["7z", "xz", "rar", "zst", "lz4", "sqlite", "cfb", "rtf", "ps", "arrow", "avro"]);
const BOMS = [
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];

/** Mostly printable bytes (ASCII, whitespace, or the high half of Latin and UTF-8 text). */
function looksLikeText(head: Uint8Array): boolean {
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
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (!found) return undefined;
  if (RAW.has(found.ext)) return { type: found.ext, scanRaw: true };
  if (NO_TEXT.test(found.mime) && !looksLikeText(head)) return { type: found.mime, scanRaw: false };
  return undefined;
}
