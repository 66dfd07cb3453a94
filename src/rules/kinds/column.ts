import type { TextBlock } from "../../extract/text-blocks.js";
import { expandPattern } from "../byte-regex.js";
import { headerMatcher, type Layout, normalizeHeader, splitFields, wantedName } from "../layout.js";
import { rowIndex } from "../row-index.js";
import type { ColumnRuleSpec } from "../schema.js";
import { decodeExcerpt, type Emit, perEncoding, type Rule } from "../types.js";
import { validators } from "../validators/index.js";
import { afterHeaderRow, cellText, segments } from "./column-rows.js";

/**
 * A `column` rule: the value of each record in a field whose header matches (optionally joined
 * with a key column) must match `value` and pass the validator. Fields are the columns of a
 * delimited file (costs a split per row, so it runs only when the header row names such a
 * column), the paths of flattened JSON and XML (`$.name[0].family` → `name_family`), and the
 * fields of HL7 v2 segments (`PID-5` → `pid_5`). A key column exists in delimited files only.
 */
export function compileColumnRule(spec: ColumnRuleSpec, pack: string, file: string): Rule {
  const validator = validators[spec.validator];
  if (!validator)
    throw new Error(
      `field "validator": unknown validator "${spec.validator}" (known: ${Object.keys(validators).join(", ")})`,
    );
  const value = perEncoding((enc) => new RegExp(`^(?:${expandPattern(spec.value, enc)})$`));
  value("utf-8");
  const wantedHeaders = spec.headers.map(normalizeHeader);
  const isValueHeader = headerMatcher(wantedHeaders, spec.headerMatch);
  const isKeyHeader = headerMatcher(spec.keyHeaders.map(normalizeHeader), spec.headerMatch);
  const isSkipHeader = headerMatcher(spec.skipWhenHeaders.map(normalizeHeader));
  const needsKey = spec.keyHeaders.length > 0;
  // HL7 v2 segments are split only for a rule that names a segment field (`pid_5`).
  const readsSegments = wantedHeaders.some((h) => /^[a-z][a-z0-9]{1,2}_[0-9]+$/.test(h));
  const columns = new WeakMap<Layout, { values: number[]; key: number } | null>();

  // Every matching column (a nom and a prenom column); with a key column, the first one only.
  const locate = (layout: Layout) => {
    if (layout.kind !== "delimited") return null;
    let found = columns.get(layout);
    if (found === undefined) {
      const skip = layout.headers.some(isSkipHeader);
      const values = skip ? [] : layout.headers.flatMap((h, i) => (isValueHeader(h) ? [i] : []));
      const k = needsKey ? layout.headers.findIndex(isKeyHeader) : -1;
      found =
        values.length === 0 || (needsKey && k < 0) ? null : { values: needsKey ? values.slice(0, 1) : values, key: k };
      columns.set(layout, found);
    }
    return found;
  };

  // Per header, the reason list of a verdict it vouches for: one list shared by every row.
  const reasonLists = new Map<string, Map<readonly string[], string[]>>();
  const reasonsOf = (header: string, verdict: readonly string[]): string[] => {
    let byVerdict = reasonLists.get(header);
    if (!byVerdict) {
      byVerdict = new Map();
      reasonLists.set(header, byVerdict);
    }
    let list = byVerdict.get(verdict);
    if (!list) {
      list = [...verdict, `header '${wantedName(wantedHeaders, header)}'`];
      byVerdict.set(verdict, list);
    }
    return list;
  };

  /** Checks one field's raw bytes at `offset` of the block and emits it when it holds a value; says whether it did. */
  const check = (block: TextBlock, offset: number, raw: string, header: string, emit: Emit): boolean => {
    if (!raw || !value(block.encoding).test(raw)) return false;
    const normalized = validator.normalize(raw);
    const verdict = validator.validate(normalized);
    if (!verdict.valid) return false;
    emit(
      offset,
      raw.length,
      Math.min(0.99, verdict.confidence + 0.05),
      reasonsOf(header, verdict.reasons),
      spec.group,
      validator.identifier ? { masked: validator.mask(normalized), person: validator.person(normalized) } : undefined,
    );
    return true;
  };

  const scanDelimited = (block: TextBlock, layout: Layout & { kind: "delimited" }, emit: Emit) => {
    const where = locate(layout);
    if (!where) return;
    const text = block.text;
    const delimiter = layout.delimiter;
    const wanted = where.key >= 0 ? [...where.values, where.key] : where.values;
    const last = Math.max(...wanted);
    // Cell bounds of the wanted columns on the current line, by column index.
    const from = new Int32Array(last + 1);
    const to = new Int32Array(last + 1);
    let quote = text.indexOf('"');
    let quoted: string[] | undefined;
    const firstRow = block.byteOffset === 0 ? afterHeaderRow(block, layout, where.values[0] as number) : 0;
    // Lines and delimiters from the block's index, shared with every rule (row-index.ts).
    const index = rowIndex(text, delimiter);
    const { lineStart, lineDelim, delims } = index;
    const firstLine = firstRow > text.length ? index.lines : firstRow > 0 ? index.lineOf(firstRow) : 0;
    for (let line = firstLine; line < index.lines; line++) {
      const start = lineStart[line] as number;
      if (start >= text.length) break;
      const lineEnd = (lineStart[line + 1] as number) - 1;
      const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd; // CRLF
      // A quoted line (a delimiter may sit inside quotes) goes through the full split, for the
      // values with their quotes undone. The next quote is searched again only once passed:
      // searching from every line start to a quote far ahead made each block quadratic.
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      if (quote >= 0 && quote < end) {
        const row = text.slice(start, end);
        quoted = splitFields(row, delimiter);
        let at = 0;
        for (let c = 0; c <= last; c++) {
          // The value comes from the split (quotes undone); its offset is where it is found, or
          // where the cell begins ("O""BRIEN" is not written as O"BRIEN).
          const f = quoted[c] ?? "";
          const i = row.indexOf(f, at);
          from[c] = start + (i < 0 ? at : i);
          at = i < 0 ? Math.min(row.length, at + f.length) : i + f.length;
        }
      } else {
        quoted = undefined;
        const base = lineDelim[line] as number;
        const count = (lineDelim[line + 1] as number) - base;
        for (let c = 0; c <= last; c++) {
          from[c] = c === 0 ? start : c - 1 < count ? (delims[base + c - 1] as number) + 1 : end;
          to[c] = c < count ? (delims[base + c] as number) : end;
        }
      }
      for (const column of where.values) {
        // Trimmed by hand, so that the offset comes with the value: finding the value again with
        // indexOf cost a substring search per row.
        let a = from[column] as number;
        let value: string;
        if (quoted) value = (quoted[column] ?? "").trim();
        else {
          let b = to[column] as number;
          while (a < b && text.charCodeAt(a) <= 32) a++;
          while (b > a && text.charCodeAt(b - 1) <= 32) b--;
          value = text.slice(a, b);
        }
        const raw = where.key >= 0 ? value + cellText(text, from, to, where.key, quoted) : value;
        if (!raw) continue;
        check(block, a, raw, layout.headers[column] as string, emit);
      }
    }
  };

  // Paths and segment fields repeat on every record: each is normalised and matched once per block.
  const headerOf = (cache: Map<string, string | null>, name: string, block: TextBlock): string | null => {
    let header = cache.get(name);
    if (header === undefined) {
      const normalized = normalizeHeader(decodeExcerpt(name.replace(/\[[0-9]+\]/g, ""), block.encoding));
      header = isValueHeader(normalized) ? normalized : null;
      cache.set(name, header);
    }
    return header;
  };

  const scanFields = (block: TextBlock, emit: Emit) => {
    const cache = new Map<string, string | null>();
    const text = block.text;
    for (let start = 0; start < text.length; ) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      const tab = text.indexOf("\t", start);
      if (tab >= 0 && tab < end) {
        const header = headerOf(cache, text.slice(start, tab), block);
        if (header)
          check(
            block,
            tab + 1,
            text
              .slice(tab + 1, end)
              .replace(/\r$/, "")
              .trim(),
            header,
            emit,
          );
      }
      start = end + 1;
    }
  };

  const scanSegments = (block: TextBlock, emit: Emit) => {
    const cache = new Map<string, string | null>();
    for (const { index, line } of segments(block.text)) {
      const fields = line.split("|");
      const id = fields[0] as string;
      if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) continue;
      let at = index + id.length + 1;
      for (let f = 1; f < fields.length; f++) {
        const field = fields[f] as string;
        // MSH counts its own separator as field 1 (see locate.ts).
        const header = headerOf(cache, `${id}-${id === "MSH" ? f + 1 : f}`, block);
        // The whole field first (a name's components make one name); else each repetition and
        // component: a phone sits in the 12th component of an XTN (`^WPN^PH^^^^^^^^^0546…`).
        if (header && !check(block, at, field.trim(), header, emit) && /[~^]/.test(field)) {
          let from = 0;
          for (const part of field.split(/[~^]/)) {
            check(block, at + from, part, header, emit);
            from += part.length + 1;
          }
        }
        at += field.length + 1;
      }
    }
  };

  return {
    spec,
    pack,
    file,
    searches: () => [],
    scan(block: TextBlock, layout: Layout, _found, emit: Emit) {
      if (layout.kind === "delimited") scanDelimited(block, layout, emit);
      else if (needsKey) return;
      else if (layout.kind === "fields") scanFields(block, emit);
      else if (layout.records === "message" && readsSegments) scanSegments(block, emit);
    },
  };
}
