import { zipOf } from "./archives.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Column letters of a 0-based index: 0 → A. */
const letters = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : letters(Math.floor(i / 26) - 1) + letters(i % 26);

/**
 * A minimal xlsx, written part by part as Excel does: strings in the shared-string table,
 * numbers inline. `missing` names sheets that the workbook lists but the zip lacks.
 */
export async function xlsxOf(sheets: Record<string, (string | number)[][]>, missing: string[] = []): Promise<Buffer> {
  const strings: string[] = [];
  const files: Record<string, string> = {};
  const names = [...Object.keys(sheets), ...missing];
  names.forEach((name, i) => {
    const rows = sheets[name];
    if (!rows) return;
    const xml = rows
      .map((row, r) => {
        const cells = row.map((v, c) => {
          const ref = `${letters(c)}${r + 1}`;
          if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
          strings.push(v);
          return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
        });
        return `<row r="${r + 1}">${cells.join("")}</row>`;
      })
      .join("");
    files[`xl/worksheets/sheet${i + 1}.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${xml}</sheetData></worksheet>`;
  });
  files["[Content_Types].xml"] =
    `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`;
  files["xl/workbook.xml"] =
    `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${names
      .map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("")}</sheets></workbook>`;
  files["xl/_rels/workbook.xml.rels"] =
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names
      .map((_, i) => `<Relationship Id="rId${i + 1}" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join("")}</Relationships>`;
  files["xl/sharedStrings.xml"] =
    `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings
      .map((s) => `<si><t>${esc(s)}</t></si>`)
      .join("")}</sst>`;
  return zipOf(files);
}

/** A minimal docx: paragraphs, and tables as arrays of rows. */
export async function docxOf(blocks: (string | string[][])[]): Promise<Buffer> {
  const body = blocks
    .map((b) =>
      typeof b === "string"
        ? `<w:p><w:r><w:t xml:space="preserve">${esc(b)}</w:t></w:r></w:p>`
        : `<w:tbl>${b
            .map(
              (row) =>
                `<w:tr>${row.map((c) => `<w:tc><w:p><w:r><w:t>${esc(c)}</w:t></w:r></w:p></w:tc>`).join("")}</w:tr>`,
            )
            .join("")}</w:tbl>`,
    )
    .join("");
  return zipOf({
    "[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    "word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  });
}

/** A PDF with one page of lines per entry (pdf-lib, standard Helvetica: WinAnsi text). */
export async function pdfOf(pages: string[][]): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import("pdf-lib");
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage();
    lines.forEach((line, i) => {
      page.drawText(line, { x: 50, y: 750 - i * 20, font, size: 11 });
    });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
