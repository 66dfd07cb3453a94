import type { TextBlock } from "../../extract/text-blocks.js";
import type { MatchList, SearchSource } from "../automaton/searcher.js";
import { expandPattern } from "../byte-regex.js";
import { contextMatcher } from "../context.js";
import { headerAt, headerMatcher, type Layout, normalizeHeader, wantedName } from "../layout.js";
import { ColumnCursor } from "../row-index.js";
import type { PatternRuleSpec } from "../schema.js";
import { decodeExcerpt, type Emit, perEncoding, type Rule } from "../types.js";
import { validators } from "../validators/index.js";

const CONTEXT_BOOST = 0.05;
const HEADER_BOOST = 0.3;
const NEGATIVE_PENALTY = 0.45;

/** A `pattern` rule: regexes, a validator, then context and headers move the confidence. */
export function compilePatternRule(spec: PatternRuleSpec, pack: string, file: string): Rule {
  const validator = validators[spec.validator];
  if (!validator)
    throw new Error(
      `field "validator": unknown validator "${spec.validator}" (known: ${Object.keys(validators).join(", ")})`,
    );
  const flags = spec.caseSensitive ? "g" : "gi";
  const source = perEncoding((enc) => spec.patterns.map((p) => `(?:${expandPattern(p, enc)})`).join("|"));
  new RegExp(source("utf-8"), flags); // compile now: a bad pattern fails at load, naming the rule
  const context = spec.context && contextMatcher(spec.context.words, spec.context.window);
  const negative = spec.negativeContext && contextMatcher(spec.negativeContext.words, spec.negativeContext.window);
  const wantedHeaders = spec.headers.map(normalizeHeader);
  const isHeader = headerMatcher(wantedHeaders);
  const hasHeaders = spec.headers.length > 0;
  // Search 0 is the patterns, then the context words, then the negative words, when given.
  const CONTEXT = 1;
  const NEGATIVE = context ? 2 : 1;
  const searches = (enc: TextBlock["encoding"]): SearchSource[] => [
    spec.automaton === "prefix" ? { source: source(enc), flags, prefix: true } : { source: source(enc), flags },
    ...(context ? [context.search(enc)] : []),
    ...(negative ? [negative.search(enc)] : []),
  ];
  /** Skips the block when a rule that requires context has neither a vouching header nor a keyword. */
  const worthScanning = (layout: Layout, found: (i: number) => MatchList) => {
    if (spec.requires !== "context") return true;
    if (layout.kind === "delimited" && layout.headers.some(isHeader)) return true;
    if (layout.kind === "fields" || hasFieldNames(layout)) return true; // paths and fields are headers: checked per match
    return context !== undefined && found(CONTEXT).length > 0;
  };

  const scan = (block: TextBlock, layout: Layout, found: (i: number) => MatchList, emit: Emit) => {
    if (!worthScanning(layout, found)) return;
    const matches = found(0);
    if (matches.length === 0) return;
    const contextFound = context ? found(CONTEXT) : undefined;
    const negativeFound = negative ? found(NEGATIVE) : undefined;
    // Rows, and the `path → value` lines of JSON and XML, are their own context: a neighbour's key is not.
    const sameLine = layout.kind === "delimited" || layout.kind === "fields";
    const columns = new ColumnCursor();
    const decode = (bytes: string) => decodeExcerpt(bytes, block.encoding);
    // Per header, tested once per block rather than once per match: whether it vouches, and the
    // reason list of a match it vouches for (shared by every such match).
    const headers = new Map<string | undefined, { ok: boolean; reasons: Map<readonly string[], string[]> }>();
    for (let k = 0; k < matches.length; k += 2) {
      const index = matches[k] as number;
      const length = (matches[k + 1] as number) - index;
      const value = validator.always ? "" : validator.normalize(block.text.slice(index, index + length));
      const verdict = validator.always ?? validator.validate(value);
      if (!verdict.valid) continue;
      let confidence = verdict.confidence;
      let reasons: readonly string[] = verdict.reasons;
      let supported = false;
      if ((layout.kind !== "text" || hasFieldNames(layout)) && hasHeaders) {
        const header = headerAt(layout, block.text, index, decode, columns);
        let known = headers.get(header);
        if (!known) {
          known = { ok: isHeader(header), reasons: new Map() };
          headers.set(header, known);
        }
        if (known.ok) {
          confidence += HEADER_BOOST;
          let list = known.reasons.get(verdict.reasons);
          if (!list) {
            list = [...verdict.reasons, `header '${wantedName(wantedHeaders, header as string)}'`];
            known.reasons.set(verdict.reasons, list);
          }
          reasons = list;
          supported = true;
        }
      }
      // A header already vouches for the value: skip the keyword lookup.
      const word = supported
        ? undefined
        : context?.find(contextFound as MatchList, block.text, index, length, block.encoding, sameLine);
      if (word) {
        confidence += supported ? CONTEXT_BOOST : Math.max(CONTEXT_BOOST, HEADER_BOOST / 2);
        reasons = [...reasons, `keyword '${word}' within ${spec.context?.window} chars`];
        supported = true;
      }
      const bad = negative?.find(negativeFound as MatchList, block.text, index, length, block.encoding, sameLine);
      if (bad) {
        confidence -= NEGATIVE_PENALTY;
        reasons = [...reasons, `negative context '${bad}'`];
      }
      if (spec.requires === "context" && !supported) continue;
      confidence = Math.min(0.99, Math.max(0, confidence));
      if (confidence < spec.minConfidence) continue;
      emit(
        index,
        length,
        Math.round(confidence * 100) / 100,
        reasons,
        spec.group,
        validator.identifier ? { masked: validator.mask(value), person: validator.person(value) } : undefined,
      );
    }
  };

  return { spec, pack, file, searches, scan };
}

/** HL7 v2 messages name their fields (`PID-7`): headers for the rules, like a column's. */
const hasFieldNames = (layout: Layout) => layout.kind === "text" && layout.records === "message";
