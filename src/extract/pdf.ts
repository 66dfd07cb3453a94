import { CorruptError } from "./limits.js";
import { bufferAll, MAX_BUFFERED, readRange } from "./random-access.js";
import { once } from "./text-io.js";
import type { Extractor } from "./types.js";

const isPdf = (h: Uint8Array) => h[0] === 0x25 && h[1] === 0x50 && h[2] === 0x44 && h[3] === 0x46 && h[4] === 0x2d; // %PDF-

/**
 * PDF text layer by `unpdf` (Mozilla pdf.js), one document a page (`page:3`). pdf.js needs the
 * whole file, so a PDF is read whole, 64 MiB at most (through ranged reads for the object itself,
 * even when sampling: a head holds no cross-reference table). A page that fails is told and the
 * others are read; a scanned PDF without a text layer gives no text (no OCR).
 */
export const pdfExtractor: Extractor = {
  format: "pdf",
  container: false,
  detect: isPdf,
  async *extract(source, ctx) {
    let data: Buffer;
    if (source.ranges) {
      await source.close();
      if (source.ranges.size > MAX_BUFFERED) {
        ctx.partial(`pdf: over ${MAX_BUFFERED} bytes, not read`);
        return;
      }
      data = await readRange(source.ranges, 0, source.ranges.size);
    } else data = await bufferAll(source.stream, "pdf");
    const { getDocumentProxy } = await import("unpdf");
    let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
    try {
      // verbosity 0: pdf.js must not print warnings (which could quote the document) to the console.
      pdf = await getDocumentProxy(new Uint8Array(data), { verbosity: 0, isEvalSupported: false });
    } catch (error) {
      throw new CorruptError(`corrupt pdf: ${(error as Error).message}`, { cause: error });
    }
    try {
      for (let n = 1; n <= pdf.numPages; n++) {
        ctx.signal.throwIfAborted();
        let text: string;
        try {
          const page = await pdf.getPage(n);
          const content = await page.getTextContent();
          text = content.items.map((item) => ("str" in item ? `${item.str}${item.hasEOL ? "\n" : " "}` : "")).join("");
        } catch (error) {
          ctx.partial(`pdf: page ${n} unreadable (${(error as Error).message})`);
          continue;
        }
        const path = source.path ? `${source.path}#page:${n}` : `page:${n}`;
        yield { path, layout: { kind: "text" }, bytes: once(Buffer.from(`${text}\n`, "utf8")) };
      }
    } finally {
      await pdf.destroy();
    }
  },
};
