import { MAX_BUFFERED, randomAccessTo, readRange } from "./random-access.js";
import { inSandbox } from "./sandbox.js";
import { once } from "./text-io.js";
import type { Extractor } from "./types.js";

const isPdf = (h: Uint8Array) => h[0] === 0x25 && h[1] === 0x50 && h[2] === 0x44 && h[3] === 0x46 && h[4] === 0x2d; // %PDF-

/**
 * PDF text layer by `unpdf` (Mozilla pdf.js), one document a page (`page:3`). pdf.js needs the
 * whole file, so a PDF is read whole, 64 MiB at most (through ranged reads for the object itself,
 * even when sampling: a head holds no cross-reference table). A page that fails is told and the
 * others are read; a page without a text layer (a scan) makes the object partial (no OCR). pdf.js runs in the
 * sandbox thread, which the object's deadline can kill.
 */
export const pdfExtractor: Extractor = {
  format: "pdf",
  container: false,
  detect: isPdf,
  async *extract(source, ctx) {
    const file = await randomAccessTo(source, "pdf");
    if (file.size > MAX_BUFFERED) {
      ctx.partial(`pdf: over ${MAX_BUFFERED} bytes, not read`);
      return;
    }
    const data = await readRange(file, 0, file.size);
    // A fresh copy (never a slice of Node's shared buffer pool), moved to the sandbox rather than copied again.
    const copy = new Uint8Array(data);
    const { pages } = await inSandbox({ kind: "pdf", data: copy }, ctx.signal, [copy.buffer]);
    const imageOnly: number[] = [];
    for (const [i, page] of pages.entries()) {
      if (page.error !== undefined) {
        ctx.partial(`pdf: page ${i + 1} unreadable (${page.error})`);
        continue;
      }
      if ((page.text ?? "").trim() === "") {
        imageOnly.push(i + 1);
        continue;
      }
      const path = source.path ? `${source.path}#page:${i + 1}` : `page:${i + 1}`;
      yield { path, layout: { kind: "text" }, bytes: once(Buffer.from(`${page.text}\n`, "utf8")) };
    }
    if (imageOnly.length > 0) ctx.partial(noTextLayer(imageOnly, pages.length));
  },
};

/**
 * A page without a text layer is a scan or a picture: what it shows was not read (no OCR), so
 * the object is never `scanned` clean. Says which pages (the first 10) of how many.
 */
function noTextLayer(pages: number[], total: number): string {
  const list = pages.slice(0, 10).join(", ") + (pages.length > 10 ? ", …" : "");
  const which =
    pages.length === total
      ? `${total === 1 ? "its page" : `all ${total} pages`}`
      : `page${pages.length === 1 ? "" : "s"} ${list} of ${total}`;
  return `pdf: no text layer on ${which}, no OCR`;
}
