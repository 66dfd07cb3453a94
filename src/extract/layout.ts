/**
 * How a document's text is laid out, as an extractor gives it (or as rules/layout.ts sniffs it
 * from the first block): plain text, delimited rows with their header, or `path<TAB>value`
 * lines. Rules read column names from it (`num_secu`, `groupe_sanguin`).
 */
import { foldTerm } from "../fold.js";

export type Layout =
  | { kind: "text"; records?: "line" | "message" }
  /** `cells`: the rows are a spreadsheet's, so that a location reads `C5`. */
  | { kind: "delimited"; delimiter: string; headers: string[]; cells?: boolean }
  /**
   * Lines of `path<TAB>value`, written by the JSON and XML extractors, with a blank line between
   * records. The path plays the header's part: `$.patient.num_secu` names `num_secu`.
   */
  | { kind: "fields" };

/**
 * Normalises a header: camelCase split (`dateNaissance`, `birthTime` → `date_naissance`,
 * `birth_time`), folded, lower case, runs of non-alphanumerics → `_`.
 */
export function normalizeHeader(raw: string): string {
  let normalized = headerCache.get(raw);
  if (normalized === undefined) {
    normalized = foldTerm(raw.replace(/([a-z])([A-Z])/g, "$1_$2"))
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "");
    if (headerCache.size < 10_000) headerCache.set(raw, normalized);
  }
  return normalized;
}

/** Exports of one bucket share their header rows: normalise each distinct header once. */
const headerCache = new Map<string, string>();
