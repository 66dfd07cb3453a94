import { normalizeHeader } from "./layout.js";
import { CorruptError } from "./limits.js";
import { type OfficeFormat, partPath } from "./office.js";
import { readXml, saxText } from "./sax.js";
import { TextOut } from "./text-io.js";
import type { ZipArchive } from "./zip.js";

const WORKBOOK = "xl/workbook.xml";
/** Most empty rows written for a gap, so that line numbers stay row numbers without a bomb of newlines. */
const MAX_GAP = 10_000;
/** Columns A to XFD. */
const MAX_COLUMNS = 16_384;

/**
 * Excel (xlsx): each sheet is a delimited document (`sheet:Patients`), its first row the header,
 * each row on the line of its row number, so that a sample reads `C5 (num_secu)`. Read here from
 * the zip's parts with `saxes`, streaming, rather than with exceljs: the zip layer must stay
 * ours, for ranged reads of the central directory and the limits on bombs, entries and depth.
 * Dates stay Excel serial numbers.
 */
export const xlsxReader: OfficeFormat = {
  format: "xlsx",
  detect: (entries) => entries.has(WORKBOOK),
  async *read(archive, ctx, budget, parent) {
    const sheets = await workbookSheets(archive);
    const strings = await sharedStrings(archive);
    let spent = 0;
    let read = 0;
    for (const sheet of sheets) {
      if (spent >= budget) break;
      read++;
      const entry = archive.entries.get(sheet.part);
      if (!entry) {
        ctx.partial(`xlsx: sheet '${sheet.name}' missing (${sheet.part})`);
        continue;
      }
      spent += entry.compressedSize;
      yield* sheetDocument(archive.read(entry), strings, partPath(parent, `sheet:${sheet.name}`));
    }
    if (read < sheets.length) ctx.partial(`xlsx: ${read} of ${sheets.length} sheets read (sampling)`);
  },
};

async function* sheetDocument(bytes: AsyncIterable<Uint8Array>, strings: string[], path: string) {
  const out = new TextOut();
  let header: string[] | undefined;
  let lastRow = 0;
  let cells: string[] = [];
  let rowNumber = 0;
  let cell: { column: number; type: string; text: string[] } | undefined;
  let inValue = false;
  const chunks = saxText(bytes, "xlsx", out, (parser) => {
    parser.on("opentag", (tag) => {
      const a = tag.attributes as Record<string, string>;
      if (tag.name === "row") {
        rowNumber = a.r ? Number(a.r) : lastRow + 1;
        cells = [];
      } else if (tag.name === "c") {
        const column = a.r ? columnIndex(a.r) : cells.length;
        // Excel stops at column XFD: a larger reference is corrupt, and would make a row as long as it says.
        cell = column >= 0 && column < MAX_COLUMNS ? { column, type: a.t ?? "n", text: [] } : undefined;
      } else if (tag.name === "v" || tag.name === "t") inValue = true;
    });
    parser.on("text", (text) => {
      if (inValue && cell) cell.text.push(text);
    });
    parser.on("closetag", (tag) => {
      if (tag.name === "v" || tag.name === "t") inValue = false;
      else if (tag.name === "c" && cell) {
        const raw = cell.text.join("");
        cells[cell.column] = cell.type === "s" ? (strings[Number(raw)] ?? "") : raw;
        cell = undefined;
      } else if (tag.name === "row") {
        out.write("\n".repeat(Math.max(0, Math.min(MAX_GAP, rowNumber - lastRow - 1))));
        out.row(Array.from(cells, (c) => c ?? ""));
        header ??= Array.from(cells, (c) => c ?? "");
        lastRow = rowNumber;
      }
    });
  });
  // The header row is needed before the document starts: read until it is known.
  const it = chunks[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let done = false;
  let deferred: unknown;
  try {
    while (header === undefined && !done) {
      const r = await it.next();
      if (r.done) done = true;
      else first.push(r.value);
    }
  } catch (error) {
    // A damaged sheet fails as its document does, so that the other sheets are still read.
    if (!(error instanceof CorruptError)) throw error;
    deferred = error;
    done = true;
  }
  async function* rest(): AsyncIterable<Uint8Array> {
    yield* first;
    if (deferred) throw deferred;
    if (!done) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  yield {
    path,
    layout: { kind: "delimited" as const, delimiter: "\t", headers: (header ?? []).map(normalizeHeader), cells: true },
    bytes: rest(),
  };
}

/** `C5` → 2. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const c of ref) {
    const code = c.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

/** Sheet names and parts, in workbook order, through the workbook's relationships. */
async function workbookSheets(archive: ZipArchive): Promise<{ name: string; part: string }[]> {
  const sheets: { name: string; id: string }[] = [];
  const targets = new Map<string, string>();
  await readXml(
    archive.read(archive.entries.get(WORKBOOK) as NonNullable<ReturnType<typeof archive.entries.get>>),
    "xlsx",
    (p) =>
      p.on("opentag", (tag) => {
        const a = tag.attributes as Record<string, string>;
        if (tag.name === "sheet") sheets.push({ name: a.name ?? "", id: a["r:id"] ?? "" });
      }),
  );
  const rels = archive.entries.get("xl/_rels/workbook.xml.rels");
  if (rels)
    await readXml(archive.read(rels), "xlsx", (p) =>
      p.on("opentag", (tag) => {
        const a = tag.attributes as Record<string, string>;
        if (tag.name === "Relationship" && a.Id && a.Target) targets.set(a.Id, a.Target);
      }),
    );
  return sheets.map((s, i) => {
    const target = targets.get(s.id) ?? `worksheets/sheet${i + 1}.xml`;
    return { name: s.name, part: target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}` };
  });
}

/** The shared string table (`<si>` items; phonetic runs left out). */
async function sharedStrings(archive: ZipArchive): Promise<string[]> {
  const entry = archive.entries.get("xl/sharedStrings.xml");
  if (!entry) return [];
  const strings: string[] = [];
  let item: string[] | undefined;
  let inText = false;
  let phonetic = false;
  await readXml(archive.read(entry), "xlsx", (p) => {
    p.on("opentag", (tag) => {
      if (tag.name === "si") item = [];
      else if (tag.name === "rPh") phonetic = true;
      else if (tag.name === "t") inText = !phonetic;
    });
    p.on("text", (text) => {
      if (inText) item?.push(text);
    });
    p.on("closetag", (tag) => {
      if (tag.name === "t") inText = false;
      else if (tag.name === "rPh") phonetic = false;
      else if (tag.name === "si") strings.push((item ?? []).join(""));
    });
  });
  return strings;
}
