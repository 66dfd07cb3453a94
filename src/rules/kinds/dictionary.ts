import type { TextBlock } from "../../extract/text-blocks.js";
import { foldTerm } from "../../fold.js";
import type { MatchList, SearchSource } from "../automaton/searcher.js";
import { spellTerm, trieSource, wordEnd, wordStart } from "../byte-regex.js";
import { type ContextMatcher, contextMatcher, nearestInWindow } from "../context.js";
import { fieldPath, headerAt, headerMatcher, type Layout, normalizeHeader, wantedName } from "../layout.js";
import { ColumnCursor } from "../row-index.js";
import type { DictionaryRuleSpec } from "../schema.js";
import { decodeExcerpt, type Emit, perEncoding, type Rule } from "../types.js";

interface GroupInfo {
  name: string;
  requires?: {
    /** Unit words, when the group lists some. */
    context?: ContextMatcher;
    isHeader: (header: string | undefined) => boolean;
    /** The names its headers are matched by, for reasons. */
    headers: string[];
    window: number;
    /** Whether a counted term of a group that stands alone within the window suffices. */
    nearTerm: boolean;
    /** Index of its context words among the rule's searches (-1 without words). */
    search: number;
  };
}

/** A term's match, once it is known to count: byte span and reasons. */
type Confirm = (
  group: GroupInfo,
  block: TextBlock,
  layout: Layout,
  index: number,
  length: number,
  matchesOf: (i: number) => MatchList,
  anchors: readonly number[],
  columns: ColumnCursor,
) => readonly string[] | undefined;

/**
 * A `dictionary` rule: every term of every group in one trie-shaped regex (one for the
 * case-insensitive terms, one for the case-sensitive acronyms); a match maps back to its
 * group through the folded term. Groups with `requires.nearTerm` are read last: their terms
 * count next to a counted term of another group (see schema.ts).
 */
export function compileDictionaryRule(spec: DictionaryRuleSpec, pack: string, file: string): Rule {
  const groupOf = new Map<string, GroupInfo>();
  const spelled: string[] = [];
  const exact: string[] = [];
  for (const [name, g] of Object.entries(spec.groups)) {
    const info: GroupInfo = {
      name,
      requires: g.requires && {
        context: g.requires.words.length > 0 ? contextMatcher(g.requires.words, g.requires.window) : undefined,
        isHeader: headerMatcher(g.requires.headers.map(normalizeHeader)),
        headers: g.requires.headers.map(normalizeHeader),
        window: g.requires.window,
        nearTerm: g.requires.nearTerm,
        search: -1, // numbered below, after the term searches
      },
    };
    const sensitive = new Set(g.caseSensitive);
    for (const term of new Set([...g.terms, ...g.caseSensitive])) {
      (sensitive.has(term) ? exact : spelled).push(spellTerm(term, sensitive.has(term)));
      groupOf.set(foldTerm(term, sensitive.has(term)), info);
    }
  }
  const groups = Object.entries(spec.groups);
  const needy = groups.find(([, g]) => g.requires?.nearTerm);
  if (needy && groups.every(([, g]) => g.requires?.nearTerm))
    throw new Error(
      `field "groups.${needy[0]}.requires.nearTerm": every group of the rule needs another term, so none can count`,
    );
  const termSearch = (terms: string[], caseSensitive: boolean) =>
    perEncoding((enc): SearchSource | undefined =>
      terms.length === 0
        ? undefined
        : {
            // Acronyms (the case-sensitive terms) take `_` as part of their word: not the TS of IVL_TS.
            source: `${wordStart(enc, caseSensitive)}(?:${trieSource(terms, enc, caseSensitive)})${wordEnd(enc, caseSensitive)}`,
            flags: "g",
          },
    );
  const termSearches = [termSearch(spelled, false), termSearch(exact, true)];
  const withWords = [...new Set([...groupOf.values()])].flatMap((g) => (g.requires?.context ? [g.requires] : []));
  withWords.forEach((r, i) => {
    r.search = 2 + i;
  });
  // Always two term searches (one may match nothing), so that the numbering is fixed.
  const searches = (enc: TextBlock["encoding"]): SearchSource[] => [
    ...termSearches.map((t) => t(enc) ?? { source: "[^\\s\\S]", flags: "g" }),
    ...withWords.map((r) => (r.context as ContextMatcher).search(enc)),
  ];
  const isSkipHeader = headerMatcher(spec.skipHeaders.map(normalizeHeader), "suffix");
  // Where a layout may hold a skipped field: in a CSV, the columns its header row names (none:
  // no per-hit cost), tested by index rather than by header; JSON and XML paths and HL7 fields
  // vary record by record (`true`: test each hit's header).
  const skipping = new WeakMap<Layout, Uint8Array | boolean>();
  const skippedIn = (layout: Layout): Uint8Array | boolean => {
    if (spec.skipHeaders.length === 0) return false;
    let where = skipping.get(layout);
    if (where === undefined) {
      if (layout.kind === "delimited") {
        const columns = Uint8Array.from(layout.headers, (h) => (isSkipHeader(h) ? 1 : 0));
        where = columns.includes(1) ? columns : false;
      } else where = layout.kind === "fields" || (layout.kind === "text" && layout.records === "message");
      skipping.set(layout, where);
    }
    return where;
  };
  const skipped = (where: Uint8Array | true, block: TextBlock, layout: Layout, index: number, columns: ColumnCursor) =>
    where === true
      ? isSkipHeader(headerAt(layout, block.text, index, (b) => decodeExcerpt(b, block.encoding), columns))
      : layout.kind === "delimited" && where[columns.at(block.text, index, layout.delimiter)] === 1;

  // Matched bytes → group and reason, cached: the same few spellings recur thousands of times.
  // One map per encoding, keyed by the match itself: a key made per hit (`${enc}\0${matched}`)
  // cost a string and its hash on every one of a million hits.
  type Seen = Map<string, { group: GroupInfo; reason: string; reasons: readonly string[] } | null>;
  const seenBy: Record<TextBlock["encoding"], Seen> = { "utf-8": new Map(), "windows-1252": new Map() };
  const lookup = (matched: string, enc: TextBlock["encoding"]) => {
    const seen = seenBy[enc];
    let found = seen.get(matched);
    if (found === undefined) {
      const text = decodeExcerpt(matched, enc);
      const group = groupOf.get(foldTerm(text, true)) ?? groupOf.get(foldTerm(text));
      found = null;
      if (group) {
        // One reason list per spelling, shared by its hits.
        const reason = `term '${text}' (${group.name})`;
        found = { group, reason, reasons: [reason] };
      }
      // A copy as the key: the match is a slice that would keep its whole block alive.
      if (seen.size < 10_000) seen.set(Buffer.from(matched, "latin1").toString("latin1"), found);
    }
    return found;
  };

  /** Why a term of a group with `requires` counts here (a header, a unit, a nearby term), or undefined. */
  const confirm: Confirm = (group, block, layout, index, length, matchesOf, anchors, columns) => {
    const r = group.requires;
    if (!r) return [];
    // A cursor over the block's rows: headerAt from each line's start walked every row again.
    const header = headerAt(layout, block.text, index, (b) => decodeExcerpt(b, block.encoding), columns);
    // A header names its column: the header row's own "allergies" is not a value under it.
    const headerRow = layout.kind === "delimited" && block.byteOffset === 0 && index < block.text.indexOf("\n");
    if (r.isHeader(header) && !headerRow) return [`header '${wantedName(r.headers, header as string)}'`];
    const word = r.context?.find(matchesOf(r.search), block.text, index, length, block.encoding, true);
    if (word) return [`'${word}' within ${r.window} chars`];
    if (!r.nearTerm || anchors.length === 0) return undefined;
    const near = nearestInWindow(anchors, block.text, index, length, r.window, layout.kind === "delimited");
    return near < 0
      ? undefined
      : [
          `term '${decodeExcerpt(block.text.slice(anchors[near], anchors[near + 1]), block.encoding)}' within ${r.window} chars`,
        ];
  };

  return {
    spec,
    pack,
    file,
    searches,
    scan(block: TextBlock, layout: Layout, matchesOf: (i: number) => MatchList, emit: Emit) {
      // Counted terms of groups that stand alone, as start/end pairs, for the groups that need one nearby.
      const anchors: number[] = [];
      // Terms of the groups that need one, read once every anchor of the block is known.
      const waiting: { index: number; length: number; found: NonNullable<ReturnType<typeof lookup>> }[] = [];
      const columns = new ColumnCursor();
      const skips = skippedIn(layout);
      let split = 0; // where the second search's anchors start: each search's come in order
      for (let t = 0; t < 2; t++) {
        if (t === 1) split = anchors.length;
        const matches = matchesOf(t);
        for (let k = 0; k < matches.length; k += 2) {
          const index = matches[k] as number;
          const text = block.text.slice(index, matches[k + 1]);
          const found = lookup(text, block.encoding);
          if (!found) continue;
          if (skips !== false && skipped(skips, block, layout, index, columns)) continue;
          // An acronym in a machine value (`xsi:type="TS"`, a code, an identifier) is not prose.
          if (t === 1 && layout.kind === "fields" && machineField(fieldPath(block.text, index))) continue;
          const { group } = found;
          if (group.requires?.nearTerm) {
            waiting.push({ index, length: text.length, found });
            continue;
          }
          let reasons = found.reasons;
          if (group.requires) {
            const why = confirm(group, block, layout, index, text.length, matchesOf, anchors, columns);
            if (!why) continue;
            reasons = [found.reason, ...why];
          }
          if (needy) anchors.push(index, index + text.length);
          emit(index, text.length, group.requires ? 0.8 : 0.7, reasons, group.name);
        }
      }
      if (waiting.length === 0) return;
      // The two term searches each come in order; anchors are searched by start.
      if (split > 0 && split < anchors.length) mergePairs(anchors, split);
      for (const { index, length, found } of waiting) {
        const why = confirm(found.group, block, layout, index, length, matchesOf, anchors, columns);
        if (!why) continue;
        emit(index, length, why[0]?.startsWith("term ") ? 0.7 : 0.8, [found.reason, ...why], found.group.name);
      }
    },
  };
}

/** Merges two runs of start/end pairs, each sorted by start (`[0, split)` and `[split, end)`), in place. */
function mergePairs(pairs: number[], split: number): void {
  const left = pairs.slice(0, split);
  let i = 0;
  let j = split;
  let k = 0;
  while (i < left.length && j < pairs.length) {
    if ((left[i] as number) <= (pairs[j] as number)) {
      pairs[k++] = left[i++] as number;
      pairs[k++] = left[i++] as number;
    } else {
      pairs[k++] = pairs[j++] as number;
      pairs[k++] = pairs[j++] as number;
    }
  }
  while (i < left.length) pairs[k++] = left[i++] as number;
}

/**
 * XML attributes and JSON keys whose values are types, codes or identifiers, never prose: CDA
 * datatypes (`xsi:type`), coded values (`code`, `codeSystem`), ids (`root`, `extension`), HL7
 * class, mood and type codes, FHIR `system`, `resourceType`, `reference`. `displayName` and
 * `value` stay prose: they hold the human label and the result.
 */
const MACHINE_FIELD =
  /(?:^|[/.@])(?:xsi:type|type|code|codeSystem|codeSystemName|codeSystemVersion|root|extension|classCode|moodCode|typeCode|determinerCode|use|mediaType|representation|unit|nullFlavor|operator|system|resourceType|reference|id)$/;

function machineField(path: string | undefined): boolean {
  return path !== undefined && MACHINE_FIELD.test(path.replace(/\[[0-9]+\]$/, ""));
}
