import { bz2Extractor } from "./bz2.js";
import { gzipExtractor } from "./gzip.js";
import { hprimExtractor } from "./hprim.js";
import { jsonExtractor } from "./json.js";
import { parquetExtractor } from "./parquet.js";
import { pdfExtractor } from "./pdf.js";
import { sqlExtractor } from "./sql.js";
import { tarExtractor } from "./tar.js";
import type { Extractor } from "./types.js";
import { xmlExtractor } from "./xml.js";
import { zipExtractor } from "./zip.js";

/**
 * Format → extractor, tried in this order on an object's first bytes: magic numbers first, then
 * text that has a structure. What none of them takes is read as text (CSV, HL7, HPRIM, logs:
 * their layout is sniffed by the rules). Adding a format is one file plus one line here.
 */
export const extractors: Record<string, Extractor> = {
  zip: zipExtractor,
  gzip: gzipExtractor,
  bz2: bz2Extractor,
  tar: tarExtractor,
  parquet: parquetExtractor,
  pdf: pdfExtractor,
  json: jsonExtractor,
  xml: xmlExtractor,
  sql: sqlExtractor,
  hprim: hprimExtractor,
};

/** The extractor that the first bytes name, else one that the name's extension names (text formats only). */
export function findExtractor(head: Uint8Array, name = ""): Extractor | undefined {
  for (const extractor of Object.values(extractors)) if (extractor.detect(head)) return extractor;
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (!extension || !looksLikeText(head)) return undefined;
  return Object.values(extractors).find((e) => e.extensions?.includes(extension));
}

/** No NUL byte in the head: an extension may only name a text format for text. */
function looksLikeText(head: Uint8Array): boolean {
  return head.length > 0 && !head.subarray(0, 1024).includes(0);
}
