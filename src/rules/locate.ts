/**
 * Where inside its record a sample sits, for a human: the column of a delimited file
 * (`num_secu`), the cell of a spreadsheet (`C5 (num_secu)`), the path of a JSON or XML value
 * (`$.entry[0].resource.identifier[0]{INS-NIR}.value`), the field of an HL7 or HPRIM segment
 * (`PID-3`). Runs for shown samples only, so it may rescan a line.
 */
import { columnAt, fieldPath, type Layout, segmentField } from "./layout.js";

/**
 * A field as shown in a sample, without what in it is data rather than a name: a JSON key quoted
 * because it is not a name (`$["DUPONT Jean"].note` → `$[…].note`), and any part holding an
 * e-mail or a run of six digits (`$.patients.185057800604830` → `$.patients.…`; an XML attribute's
 * `@extension` stays). A key may be a
 * patient's name or number; health samples now show their field for every term.
 */
export function shownField(field: string): string {
  return field
    .replace(/\["(?:[^"\\]|\\.)*"\]/g, "[…]")
    .replace(/[^./[\]\s]*(?:[0-9]{6}|[^./[\]\s@]@)[^./[\]\s]*/g, "…");
}

export function fieldAt(
  layout: Layout,
  text: string,
  offset: number,
  line: number,
  decode: (bytes: string) => string,
): string | undefined {
  if (layout.kind === "delimited") {
    const column = columnAt(text, offset, layout.delimiter);
    const header = layout.headers[column];
    if (!layout.cells) return header;
    return `${columnLetters(column)}${line}${header ? ` (${header})` : ""}`;
  }
  if (layout.kind === "fields") {
    const path = fieldPath(text, offset);
    return path === undefined ? undefined : decode(path);
  }
  if (layout.records === "message") return segmentField(text, offset);
  return undefined;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
