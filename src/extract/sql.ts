import { normalizeHeader } from "./layout.js";
import { type SqlRow, SqlRowReader } from "./sql-rows.js";
import { decodeText, TextOut } from "./text-io.js";
import type { Document, Extractor } from "./types.js";

/** Comments and blank lines, then an SQL keyword; and an INSERT, COPY or CREATE TABLE in the head. */
const START =
  /^\s*(?:(?:--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)\s*)*(?:CREATE|INSERT|SET|DROP|LOCK|BEGIN|USE|ALTER|START|PRAGMA|COPY|SELECT)\b/i;
const ROWS = /\bINSERT\s+(?:IGNORE\s+)?INTO\b|\bCOPY\s+\S+.*FROM\s+stdin|\bCREATE\s+TABLE\b/i;

/**
 * SQL dumps: each run of rows of one table is a delimited document (`table:patients`) whose
 * header is the table's column names, so that a column named `num_secu` counts and each row is
 * a record.
 */
export const sqlExtractor: Extractor = {
  format: "sql",
  container: false,
  detect: (head) => {
    const text = Buffer.from(head).toString("latin1");
    return START.test(text) && ROWS.test(text);
  },
  async *extract(source) {
    const reader = new SqlRowReader();
    const text = decodeText(source.stream)[Symbol.asyncIterator]();
    let batch: SqlRow[] = [];
    let at = 0;
    const next = async (): Promise<SqlRow | undefined> => {
      while (at >= batch.length) {
        const r = await text.next();
        if (r.done) return undefined;
        batch = reader.write(r.value);
        at = 0;
      }
      return batch[at++];
    };
    let row = await next();
    while (row) {
      const first: SqlRow = row;
      const columns = first.columns.length > 0 ? first.columns : first.cells.map((_, i) => `column_${i + 1}`);
      let drained = false;
      async function* rows(): AsyncIterable<Uint8Array> {
        const out = new TextOut();
        out.row(columns);
        for (row = first; row && row.table === first.table && row.columns === first.columns; row = await next()) {
          out.row(row.cells);
          if (out.full) yield out.take() as Buffer;
        }
        drained = true;
        const rest = out.take();
        if (rest) yield rest;
      }
      const path = source.path ? `${source.path}#table:${first.table}` : `table:${first.table}`;
      const doc: Document = {
        path,
        layout: { kind: "delimited", delimiter: "\t", headers: columns.map(normalizeHeader) },
        bytes: rows(),
      };
      yield doc;
      // A consumer that stopped early: skip the rest of this table's rows.
      if (!drained) for (; row && row.table === first.table && row.columns === first.columns; row = await next());
    }
  },
};
