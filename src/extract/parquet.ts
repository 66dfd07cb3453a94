import type { FileMetaData } from "hyparquet";
import { normalizeHeader as normalize } from "../rules/layout.js";
import { CorruptError, checkExpansion, ExpandLimitError } from "./limits.js";
import { bufferAccess, bufferAll, type RandomAccess, readRange } from "./random-access.js";
import { TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

const isParquet = (h: Uint8Array) => h[0] === 0x50 && h[1] === 0x41 && h[2] === 0x52 && h[3] === 0x31; // PAR1

/**
 * Parquet by `hyparquet` (with `hyparquet-compressors` for gzip, zstd, brotli, lz4): the footer
 * through a ranged read, then one row group at a time, never the whole file. Columns are the
 * header of one delimited document. When sampling, row groups stop once their compressed size
 * passes the sample budget. A Parquet file inside an archive is buffered (64 MiB at most).
 */
export const parquetExtractor: Extractor = {
  format: "parquet",
  container: false,
  detect: isParquet,
  async *extract(source, ctx) {
    let file: RandomAccess;
    let budget = Number.POSITIVE_INFINITY;
    if (source.ranges) {
      await source.close();
      file = source.ranges;
      budget = ctx.budget;
    } else file = bufferAccess(await bufferAll(source.stream, "parquet"));
    const { parquetMetadataAsync, parquetRead, parquetSchema } = await import("hyparquet");
    const { compressors } = await import("hyparquet-compressors");
    const buffer = {
      byteLength: file.size,
      slice: async (start: number, end?: number) => {
        const b = await readRange(file, start, (end ?? file.size) - start);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      },
    };
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer, { initialFetchSize: 16 * 1024 });
    } catch (error) {
      throw new CorruptError(`corrupt parquet: ${(error as Error).message}`, { cause: error });
    }
    const headers = parquetSchema(metadata).children.map((c) => c.element.name);
    async function* rows(): AsyncIterable<Uint8Array> {
      const out = new TextOut();
      out.row(headers);
      let start = 0;
      let read = 0;
      let spent = 0;
      for (const group of metadata.row_groups) {
        if (spent >= budget) break;
        const end = start + Number(group.num_rows);
        const compressed = Number(group.total_compressed_size ?? group.total_byte_size);
        spent += compressed;
        ctx.counters.compressed += compressed;
        ctx.counters.expanded += Number(group.total_byte_size);
        checkExpansion(ctx.counters, ctx.limits);
        await parquetRead({
          file: buffer,
          metadata,
          rowStart: start,
          rowEnd: end,
          compressors,
          onComplete: (values: unknown[][]) => {
            for (const row of values) out.row(row.map(cellText));
          },
        }).catch((error: unknown) => {
          if (error instanceof ExpandLimitError) throw error;
          throw new CorruptError(`corrupt parquet: row group ${read + 1}: ${(error as Error).message}`, {
            cause: error,
          });
        });
        read++;
        start = end;
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
      layout: { kind: "delimited", delimiter: "\t", headers: headers.map(normalize) },
      bytes: rows(),
    };
  },
};

/** A cell as text: dates as ISO days (birth dates), bigints in full, nested values as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object")
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) ?? "";
  return String(value);
}
