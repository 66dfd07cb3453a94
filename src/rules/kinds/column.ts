import type { TextBlock } from "../../extract/text-blocks.js";
import { expandPattern } from "../byte-regex.js";
import { headerMatcher, type Layout, normalizeHeader, splitFields } from "../layout.js";
import type { ColumnRuleSpec } from "../schema.js";
import { type Emit, perEncoding, type Rule } from "../types.js";
import { validators } from "../validators/index.js";

/**
 * A `column` rule: in delimited files only, the value of each row in a column whose header
 * matches (optionally joined with a key column) must match `value` and pass the validator.
 * Costs a split per row, so it runs only when the header row names such a column.
 */
export function compileColumnRule(spec: ColumnRuleSpec, pack: string, file: string): Rule {
  const validator = validators[spec.validator];
  if (!validator)
    throw new Error(
      `field "validator": unknown validator "${spec.validator}" (known: ${Object.keys(validators).join(", ")})`,
    );
  const value = perEncoding((enc) => new RegExp(`^(?:${expandPattern(spec.value, enc)})$`));
  value("utf-8");
  const isValueHeader = headerMatcher(spec.headers.map(normalizeHeader));
  const isKeyHeader = headerMatcher(spec.keyHeaders.map(normalizeHeader));
  const needsKey = spec.keyHeaders.length > 0;
  const columns = new WeakMap<Layout, { value: number; key: number } | null>();

  const locate = (layout: Layout) => {
    if (layout.kind !== "delimited") return null;
    let found = columns.get(layout);
    if (found === undefined) {
      const v = layout.headers.findIndex(isValueHeader);
      const k = needsKey ? layout.headers.findIndex(isKeyHeader) : -1;
      found = v < 0 || (needsKey && k < 0) ? null : { value: v, key: k };
      columns.set(layout, found);
    }
    return found;
  };

  return {
    spec,
    pack,
    file,
    searches: () => [],
    scan(block: TextBlock, layout: Layout, _found, emit: Emit) {
      const where = locate(layout);
      if (!where || layout.kind !== "delimited") return;
      const re = value(block.encoding);
      const header = layout.headers[where.value];
      for (let start = 0; start < block.text.length; ) {
        const nl = block.text.indexOf("\n", start);
        const end = nl < 0 ? block.text.length : nl;
        const line = block.text.slice(start, end);
        const fields = splitFields(line, layout.delimiter);
        const raw = (fields[where.value] ?? "").trim() + (where.key >= 0 ? (fields[where.key] ?? "").trim() : "");
        if (raw && re.test(raw)) {
          const normalized = validator.normalize(raw);
          const verdict = validator.validate(normalized);
          if (verdict.valid) {
            const at = line.indexOf((fields[where.value] ?? "").trim());
            emit(
              start + Math.max(0, at),
              raw.length,
              Math.min(0.99, verdict.confidence + 0.05),
              [...verdict.reasons, `header '${header}'`],
              spec.group,
              validator.identifier
                ? { masked: validator.mask(normalized), person: validator.person(normalized) }
                : undefined,
            );
          }
        }
        start = end + 1;
      }
    },
  };
}
