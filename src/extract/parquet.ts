import type { FileMetaData, RowGroup } from "hyparquet";
import { normalizeHeader } from "./layout.js";
import { CorruptError, checkExpansion } from "./limits.js";
import { randomAccessTo, readRange } from "./random-access.js";
import { inSandbox } from "./sandbox.js";
import { TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

const isParquet = (h: Uint8Array) => h[0] === 0x50 && h[1] === 0x41 && h[2] === 0x52 && h[3] === 0x31; // PAR1

/**
 * Parquet by `hyparquet` (with `hyparquet-compressors` for gzip, zstd, brotli, lz4): the footer
 * through a ranged read, then one row group at a time, never the whole file. Columns are the
 * header of one delimited document. When sampling, row groups stop once their compressed size
 * passes the sample budget. Row groups are decoded in the sandbox thread (hyparquet loops forever
 * on some corrupt pages). A Parquet file inside an archive is buffered (64 MiB at most).
 */
export const parquetExtractor: Extractor = {
  format: "parquet",
  container: false,
  detect: isParquet,
  async *extract(source, ctx) {
    const file = await randomAccessTo(source, "parquet");
    // Sampling limits the object itself; a Parquet file inside an archive is read whole.
    const budget = source.ranges ? ctx.budget : Number.POSITIVE_INFINITY;
    const { parquetMetadataAsync, parquetSchema } = await import("hyparquet");
    let metadata: FileMetaData;
    let headers: string[];
    try {
      const footer = {
        byteLength: file.size,
        slice: async (start: number, end?: number) => {
          const b = await readRange(file, start, (end ?? file.size) - start);
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        },
      };
      metadata = await parquetMetadataAsync(footer, { initialFetchSize: 16 * 1024 });
      headers = parquetSchema(metadata).children.map((c) => c.element.name);
    } catch (error) {
      throw new CorruptError(`corrupt parquet: ${(error as Error).message}`, { cause: error });
    }
    async function* rows(): AsyncIterable<Uint8Array> {
      const out = new TextOut();
      out.row(headers);
      let start = 0;
      let read = 0;
      let spent = 0;
      for (const group of metadata.row_groups) {
        if (spent >= budget) break;
        const [at, end] = byteRange(group, file.size);
        spent += end - at;
        ctx.counters.compressed += end - at;
        ctx.counters.expanded += Number(group.total_byte_size);
        checkExpansion(ctx.counters, ctx.limits);
        const bytes = await readRange(file, at, end - at);
        const rowEnd = start + Number(group.num_rows);
        const task = { kind: "parquet" as const, metadata, size: file.size, at, bytes, rowStart: start, rowEnd };
        for (const row of (await inSandbox(task, ctx.signal)).rows) out.row(row);
        read++;
        start = rowEnd;
        const chunk = out.take();
        if (chunk) yield chunk;
      }
      const rest = out.take();
      if (rest) yield rest;
      if (read < metadata.row_groups.length)
        ctx.partial(`parquet: footer and ${read} of ${metadata.row_groups.length} row groups read (sampling)`);
    }
    yield {
      path: source.path,
      layout: { kind: "delimited", delimiter: "\t", headers: headers.map(normalizeHeader) },
      bytes: rows(),
    };
  },
};

/** The bytes of a row group's column chunks, checked against the file. */
function byteRange(group: RowGroup, size: number): [number, number] {
  let at = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const column of group.columns) {
    const m = column.meta_data;
    if (!m) continue;
    const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
    at = Math.min(at, start);
    end = Math.max(end, start + Number(m.total_compressed_size));
  }
  if (!(at >= 0 && at <= end && end <= size))
    throw new CorruptError("corrupt parquet: a row group lies outside the file");
  return [at, end];
}
