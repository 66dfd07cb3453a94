import type { Entry } from "yauzl";
import { docxReader } from "./docx.js";
import type { Document, ExtractContext } from "./types.js";
import { xlsxReader } from "./xlsx.js";
import type { ZipArchive } from "./zip.js";

/** A format that is a zip of XML parts (Office Open XML): recognised by its parts, read from them. */
export interface OfficeFormat {
  /** Name in the report's `format`. */
  readonly format: string;
  /** Whether the zip's entries are this format's parts. */
  detect(entries: Map<string, Entry>): boolean;
  /**
   * The documents inside (sheets, the body text). A missing part is told through
   * `ctx.partial`; a broken one fails as its document's bytes (CorruptError), and the others
   * are still read; limits throw as in any archive. Parts after `budget` compressed bytes are
   * not read (sampling), which `ctx.partial` tells too.
   */
  read(archive: ZipArchive, ctx: ExtractContext, budget: number, parent?: string): AsyncIterable<Document>;
}

/** Adding a zip-based format is one file plus one line here. */
export const officeFormats: OfficeFormat[] = [xlsxReader, docxReader];

/** `parent#part`, or `part` for the object itself. */
export function partPath(parent: string | undefined, part: string): string {
  return parent ? `${parent}#${part}` : part;
}
