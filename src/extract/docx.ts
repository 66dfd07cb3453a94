import type { OfficeFormat } from "./office.js";
import { partPath } from "./office.js";
import { saxText } from "./sax.js";
import { TextOut } from "./text-io.js";

const BODY = "word/document.xml";

/**
 * Word (docx): the body's paragraphs, one a line, table cells tab-separated, an empty
 * paragraph as a blank line (records are paragraphs of text). Headers, footers and comments
 * are not read.
 */
export const docxReader: OfficeFormat = {
  format: "docx",
  detect: (entries) => entries.has(BODY),
  async *read(archive, _ctx, _budget, parent) {
    const entry = archive.entries.get(BODY);
    if (!entry) return;
    const out = new TextOut();
    let line: string[] = [];
    let inText = false;
    let cells = 0; // open table cells: paragraphs inside one stay on the row's line
    const bytes = saxText(archive.read(entry), "docx", out, (parser) => {
      parser.on("opentag", (tag) => {
        if (tag.name === "w:t") inText = true;
        else if (tag.name === "w:tab") line.push("\t");
        else if (tag.name === "w:br" || tag.name === "w:cr") line.push(" ");
        else if (tag.name === "w:tc") cells++;
      });
      parser.on("text", (text) => {
        if (inText) line.push(text);
      });
      parser.on("closetag", (tag) => {
        if (tag.name === "w:t") inText = false;
        else if (tag.name === "w:tc") {
          cells--;
          line.push("\t");
        } else if ((tag.name === "w:p" && cells === 0) || tag.name === "w:tr") {
          out.write(`${line.join("").replace(/\t$/, "")}\n`);
          line = [];
        } else if (tag.name === "w:p") line.push(" ");
      });
    });
    yield { path: partPath(parent, "body"), layout: { kind: "text" }, bytes };
  },
};
