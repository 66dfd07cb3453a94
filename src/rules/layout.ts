/**
 * Delimited files (CSV, TSV, `;` or `|` exports): the delimiter and the header row, sniffed
 * from the first block, so that rules can read column names (`num_secu`, `groupe_sanguin`).
 */
import { type Layout, normalizeHeader } from "../extract/layout.js";
import type { ColumnCursor } from "./row-index.js";

// The layout is the extractors' to give (a producer's type); rules sniff it when none is given.
export type { Layout };
export { normalizeHeader };

const DELIMITERS = [";", ",", "\t", "|"];

/**
 * Sniffs the first lines: a delimiter that splits the first non-comment line into 2+ fields,
 * mostly non-numeric, and the next lines into the same number of fields (±1).
 */
export function sniffLayout(head: string, decode: (bytes: string) => string): Layout {
  // Only the first dozen lines matter: do not split the whole head.
  let end = -1;
  for (let i = 0; i < 12; i++) {
    const next = head.indexOf("\n", end + 1);
    if (next === -1) {
      end = head.length;
      break;
    }
    end = next;
  }
  const lines = head
    .slice(0, end)
    .split(/\r?\n/)
    .filter((l) => l.length > 0 && !l.startsWith("#") && !l.startsWith("--"));
  const [first, ...rest] = lines.slice(0, 6);
  if (!first) return { kind: "text" };
  // HL7 v2 and HPRIM: one record per message or patient, whatever the | in them suggests.
  if (/^(?:MSH|H|FHS|BHS)\|/.test(first)) return { kind: "text", records: "message" };
  // SQL dumps: one INSERT per line is one record.
  if (
    lines.slice(0, 6).filter((l) => /^\s*INSERT\s+INTO/i.test(l)).length >= Math.ceil(Math.min(6, lines.length) / 2)
  ) {
    return { kind: "text", records: "line" };
  }
  let best: { delimiter: string; fields: string[]; score: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const fields = splitFields(first, delimiter);
    if (fields.length < 2) continue;
    const consistent = rest.filter((l) => Math.abs(splitFields(l, delimiter).length - fields.length) <= 1).length;
    const score = fields.length * (1 + consistent);
    if (!best || score > best.score) best = { delimiter, fields, score };
  }
  if (!best) return { kind: "text" };
  const named = best.fields.filter((f) => /[A-Za-z]/.test(f) && !/^[0-9 .,/:-]+$/.test(f)).length;
  if (named < best.fields.length * 0.6 || (rest.length > 0 && best.score <= best.fields.length))
    return { kind: "text" };
  return { kind: "delimited", delimiter: best.delimiter, headers: best.fields.map((f) => normalizeHeader(decode(f))) };
}

/** Splits one line on `delimiter`, honouring double quotes. */
export function splitFields(line: string, delimiter: string): string[] {
  // Most rows have no quotes: the native split is an order of magnitude faster than the loop.
  if (!line.includes('"')) return line.replace(/\r$/, "").split(delimiter);
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field.replace(/\r$/, ""));
  return fields;
}

/** The column index of byte `offset` in `text`: delimiters counted from the line start, quotes honoured. */
export function columnAt(text: string, offset: number, delimiter: string): number {
  let column = 0;
  let quoted = false;
  for (let i = text.lastIndexOf("\n", offset - 1) + 1; i < offset; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) column++;
  }
  return column;
}

/**
 * The header of the value at byte `offset`: the column's in a delimited file, the path's in a
 * fields layout (array indices dropped, so that `$.entry[3].resource.birthDate` reads
 * `entry_resource_birthdate`), else undefined.
 */
export function headerAt(
  layout: Layout,
  text: string,
  offset: number,
  decode: (bytes: string) => string,
  columns?: ColumnCursor,
): string | undefined {
  if (layout.kind === "delimited")
    return layout.headers[
      columns ? columns.at(text, offset, layout.delimiter) : columnAt(text, offset, layout.delimiter)
    ];
  // HL7 v2: the segment field is the header (`PID-7` → `pid_7`, the date of birth).
  if (layout.kind === "text" && layout.records === "message") {
    const field = segmentField(text, offset);
    return field === undefined ? undefined : normalizeHeader(field);
  }
  if (layout.kind !== "fields") return undefined;
  const path = fieldPath(text, offset);
  return path === undefined ? undefined : normalizeHeader(decode(path.replace(/\[[0-9]+\]/g, "")));
}

/** HL7 v2 and HPRIM segment ids: `MSH`, `PID`, `OBX`, `P`, `OBR`, `RES`. */
const SEGMENT = /^[A-Z][A-Z0-9]{0,2}$/;

/** `PID-3`: the segment id, then the field number (MSH counts its own separator as field 1). */
export function segmentField(text: string, offset: number): string | undefined {
  // One walk back to the nearest CR or LF: lastIndexOf of each ran back to the block's start in
  // a CR-only or LF-only file, for every match (1.4 s per MiB of HL7).
  let start = offset;
  while (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c === 13 || c === 10) break;
    start--;
  }
  const separator = text.indexOf("|", start);
  if (separator < 0 || separator >= offset) return undefined;
  const segment = text.slice(start, separator);
  if (!SEGMENT.test(segment)) return undefined;
  let field = 0;
  for (let i = separator; i < offset; i = text.indexOf("|", i + 1)) {
    if (i < 0) break;
    field++;
  }
  return `${segment}-${segment === "MSH" ? field + 1 : field}`;
}

/** In a fields layout, the path of the line holding byte `offset`, when the offset is in its value. */
export function fieldPath(text: string, offset: number): string | undefined {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const tab = text.indexOf("\t", start);
  return tab >= 0 && tab < offset ? text.slice(start, tab) : undefined;
}

/**
 * A test for normalised headers naming one of `wanted`, exactly or as a `_`-separated part
 * (`num_secu_patient` names `num_secu`); with `suffix`, only as the last part (`patient_nom`
 * names `nom`, `nom_produit` does not). Compiled once per rule: it runs for every header of
 * every object.
 */
export function headerMatcher(
  wanted: string[],
  match: "part" | "suffix" = "part",
): (header: string | undefined) => boolean {
  if (wanted.length === 0) return () => false;
  const names = wanted.map((w) => w.replace(/[^a-z0-9_]/g, "")).join("|");
  const re = new RegExp(`^(?:[a-z0-9_]*_)?(?:${names})${match === "part" ? "(?:_[a-z0-9_]*)?" : ""}$`);
  return (header) => header !== undefined && re.test(header);
}

/**
 * The name, among `wanted`, that a matching header was matched by. A reason names it rather than
 * the header: a JSON or XML path holds keys that are data (`$.dossiers["Martin Sophie"].nom`).
 */
export function wantedName(wanted: string[], header: string): string {
  return (
    wanted.find((w) => header === w || header.endsWith(`_${w}`)) ??
    wanted.find((w) => header.startsWith(`${w}_`) || header.includes(`_${w}_`)) ??
    wanted[0] ??
    "?"
  );
}
